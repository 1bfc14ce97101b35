"""`urja demo`: make the embedded demo ready (migrate, seed, bill) and print where to log in.
Idempotent: a second run reuses the database and data and only prints."""

import logging

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.test.utils import override_settings

from urja.org.choices import Role

DEMO_SEED = 20260401


class Command(BaseCommand):
    help = "Prepare the demo database (migrate, seed demo data, run billing) and print URLs and logins."

    def add_arguments(self, parser):
        parser.add_argument("--consumers", type=int, default=3000)
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", default="8000")

    def handle(self, *args, consumers, host, port, **options):
        if settings.URJA_PRODUCTION:
            # Demo consumers, staff with a published password, and payments with no money behind them.
            raise CommandError("urja demo makes demo data and refuses to run under production settings.")
        settings.VAR_DIR.mkdir(parents=True, exist_ok=True)
        settings.STATIC_ROOT.mkdir(parents=True, exist_ok=True)
        call_command("migrate", interactive=False, verbosity=0)
        from urja.customers.models import Consumer

        if not Consumer.objects.exists():
            self.stdout.write(f"Seeding a demo utility with {consumers:,} consumers…")
            call_command("seed", consumers=consumers, seed=DEMO_SEED, verbosity=0)
        else:
            self.stdout.write(f"Demo data present ({Consumer.objects.count():,} consumers): reusing it.")
        # The demo history writes thousands of SMS (bills, receipts, reminders) to the outbox: they
        # are left queued in the demo outbox (a worker or `urja notifications send` sends them); the setup
        # neither sends nor prints each one.
        notifier = logging.getLogger("urja.notifications")
        level = notifier.level
        notifier.setLevel(logging.WARNING)
        quiet = {**settings.URJA_NOTIFICATIONS, "DISPATCH_ON_COMMIT": False}
        try:
            with override_settings(URJA_NOTIFICATIONS=quiet):
                for step in self.demo_steps():
                    step(self)
        finally:
            notifier.setLevel(level)
        self.print_logins(host, port)

    def demo_steps(self):
        """Further demo preparation contributed by later apps (billing history, payments…)."""
        from django.utils.module_loading import import_string

        steps = []
        for path in getattr(settings, "URJA_DEMO_STEPS", []):
            steps.append(import_string(path))
        return steps

    def portal_consumer(self):
        """An active demo consumer with a mobile and an issued bill, to try the portal with."""
        from urja.billing.choices import BillStatus
        from urja.customers.choices import ConsumerStatus
        from urja.customers.models import Consumer

        return (
            Consumer.objects.filter(status=ConsumerStatus.ACTIVE, bills__status=BillStatus.ISSUED)
            .exclude(mobile="")
            .order_by("office__code", "account_number")
            .first()
        )

    def print_logins(self, host, port):
        from urja.org.models import User

        base = f"http://{host}:{port}"
        password = settings.URJA["DEMO_PASSWORD"]
        self.stdout.write("")
        self.stdout.write(self.style.SUCCESS("Urja is ready."))
        self.stdout.write(f"  Staff console : {base}/staff/")
        self.stdout.write(f"  Admin         : {base}/admin/")
        self.stdout.write(f"  API (OpenAPI) : {base}/api/v1/docs  ({base}/api/v1/openapi.json)")
        self.stdout.write(f"  Consumer portal: {base}/  (demo outbox with the OTPs: {base}/demo/outbox/)")
        self.stdout.write(
            f"  Field app     : {base}/field/  (meter_reader, lineman; supervisors: {base}/field/supervisor/)"
        )
        self.stdout.write(
            f"  Command centre: {base}/staff/ucc/  (management; energy audit {base}/staff/energy/, "
            f"reports {base}/staff/reports/, inspection list {base}/staff/revenue/)"
        )
        consumer = self.portal_consumer()
        if consumer is not None:
            self.stdout.write(
                f"  A consumer to log in as: account {consumer.account_number} or mobile {consumer.mobile}; "
                f"quick pay: {base}/pay/start/?account={consumer.account_number}"
            )
        self.stdout.write("")
        self.stdout.write(f"Demo logins (password for all: {password}):")
        for role in Role:
            username = "admin" if role == Role.SYSTEM_ADMIN else role.value
            user = User.objects.filter(username=username).select_related("office").first()
            if user is None:
                continue
            office = f"{user.office.name} ({user.office.code})" if user.office_id else "all offices"
            self.stdout.write(f"  {user.username:<14} {role.label:<28} {office}")
        self.stdout.write("")
