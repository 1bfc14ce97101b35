from django.core.management.base import BaseCommand

from urja.notifications.sending import outbox_drain


class Command(BaseCommand):
    help = "Outbox: send every message that is due (again = nothing more is sent)."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        send = sub.add_parser("send", help="Send queued messages now, and settle ones a stopped sender left.")
        send.add_argument("--limit", type=int, help="send at most this many")

    def handle(self, *args, action, limit=None, **options):
        counts = outbox_drain(limit=limit)
        summary = "  ".join(f"{key} {value:,}" for key, value in sorted(counts.items()))
        self.stdout.write(f"Outbox: {summary}")
