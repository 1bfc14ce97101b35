from django.core.management.base import BaseCommand, CommandError

from urja.payments.gateway import UnknownGateway, get_gateway
from urja.payments.models import GatewayOrder


class Command(BaseCommand):
    help = "Online payment gateway operations."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        replay = sub.add_parser(
            "replay", help="Send an order's webhook again (posts nothing twice: it is exactly once)."
        )
        replay.add_argument("order_id")

    def handle(self, *args, action, order_id, **options):
        order = GatewayOrder.objects.select_related("payment").filter(order_id=order_id).first()
        if order is None:
            raise CommandError(f"No gateway order {order_id!r}.")
        try:
            gateway = get_gateway(order.gateway)
        except UnknownGateway:
            raise CommandError(f"Gateway {order.gateway!r} is not configured here.")
        if not hasattr(gateway, "replay"):
            raise CommandError(
                f"Gateway {order.gateway!r} cannot replay webhooks; ask the gateway to resend."
            )
        try:
            result = gateway.replay(order=order)
        except ValueError as exc:
            raise CommandError(str(exc))
        self.stdout.write(f"{order.order_id}: HTTP {result.http_status} {result.outcome}")
        if result.http_status >= 300:
            raise CommandError("The webhook was refused; see the webhook log.")
