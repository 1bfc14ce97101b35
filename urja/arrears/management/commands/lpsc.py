import datetime

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from urja.arrears.lpsc import lpsc_apply
from urja.org.models import Office


class Command(BaseCommand):
    help = "Late payment surcharge: charge overdue principal once per account per month (again = no more)."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        apply = sub.add_parser("apply", help="Charge LPSC for the month of --on.")
        apply.add_argument("--on", required=True, help="YYYY-MM-DD: dues before this date are overdue")
        apply.add_argument("--office", help="limit to this office's subtree (office code)")

    def handle(self, *args, action, on, office=None, **options):
        try:
            day = datetime.date.fromisoformat(on)
        except ValueError:
            raise CommandError("Give --on as YYYY-MM-DD.")
        scope = None
        if office:
            scope = Office.objects.filter(code=office).first()
            if scope is None:
                raise CommandError(f"No office with code {office!r}.")
        try:
            result = lpsc_apply(on=day, office=scope)
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages))
        self.stdout.write(
            f"LPSC {result.month} on {day:%d-%m-%Y}: accounts {result.accounts_seen:,}  charged {result.charged:,}  "
            f"already charged this month {result.already_charged:,}  total {result.total:.2f}"
        )
