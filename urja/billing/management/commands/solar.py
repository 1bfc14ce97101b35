from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from urja.billing.annual import solar_settlement_post
from urja.domain.money import format_money
from urja.org.models import Office


def by_and_office(username: str | None, code: str | None):
    """The posting officer and the office scope named on the command line."""
    user = scope = None
    if username:
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"No user {username!r}.")
    if code:
        scope = Office.objects.filter(code=code).first()
        if scope is None:
            raise CommandError(f"No office with code {code!r}.")
    return user, scope


class Command(BaseCommand):
    help = "Rooftop solar: `settle --fy 2025-26 [--office CODE]` pays the units banked at the year end, once."

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True)
        settle = actions.add_parser(
            "settle", help="pay net metering's banked units at the settlement year end"
        )
        settle.add_argument("--fy", required=True, help="financial year, e.g. 2025-26")
        settle.add_argument("--office", help="limit to this office's subtree (office code)")
        settle.add_argument("--by", help="username of the officer posting (default: the system)")
        settle.add_argument("--reason", default="", help="why (kept on every ledger entry)")

    def handle(self, *args, action, fy, office, by, reason, **options):
        user, scope = by_and_office(by, office)
        try:
            summary = solar_settlement_post(financial_year=fy, office=scope, by=user, reason=reason)
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages))
        self.stdout.write(
            f"FY {fy}: banked units settled for {summary.posted:,} accounts (Rs {format_money(-summary.total)}); "
            f"already settled {summary.already_posted:,}; nothing banked {summary.nothing_due:,}"
        )
        for account, why in summary.skipped.items():
            self.stdout.write(f"  not settled {account}: {why}")
