from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from urja.billing.annual import deposit_interest_post
from urja.billing.management.commands.solar import by_and_office
from urja.domain.money import format_money


class Command(BaseCommand):
    help = "Security deposits: `interest --fy 2025-26 [--office CODE]` credits the year's interest once per account."

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True)
        interest = actions.add_parser("interest", help="credit the year's interest on security deposits")
        interest.add_argument("--fy", required=True, help="financial year, e.g. 2025-26")
        interest.add_argument("--office", help="limit to this office's subtree (office code)")
        interest.add_argument("--by", help="username of the officer posting (default: the system)")
        interest.add_argument("--reason", default="", help="why (kept on every ledger entry)")

    def handle(self, *args, action, fy, office, by, reason, **options):
        user, scope = by_and_office(by, office)
        try:
            summary = deposit_interest_post(financial_year=fy, office=scope, by=user, reason=reason)
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages))
        self.stdout.write(
            f"FY {fy}: interest credited to {summary.posted:,} accounts (Rs {format_money(-summary.total)}); "
            f"already credited {summary.already_posted:,}; nothing due {summary.nothing_due:,}"
        )
