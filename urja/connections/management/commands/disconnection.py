"""`urja disconnection list --office CODE --min-arrears AMOUNT --min-age DAYS [--json]` and
`urja disconnection orders [--office CODE]` (disconnection work orders for notices whose period is over)."""

import json
from decimal import Decimal, InvalidOperation

from django.core.management.base import BaseCommand, CommandError

from urja.connections.disconnection import candidates, consumers_of_office, orders_issue
from urja.org.models import Office


def _office(code):
    office = Office.objects.filter(code=code).first()
    if office is None:
        raise CommandError(f"No office {code!r}.")
    return office


class Command(BaseCommand):
    help = "Disconnection for non-payment: the eligible list, and the orders of notices whose period is over."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        listing = sub.add_parser("list")
        listing.add_argument("--office", required=True)
        listing.add_argument("--min-arrears", default="0")
        listing.add_argument("--min-age", type=int, default=0)
        listing.add_argument("--json", action="store_true")
        orders = sub.add_parser("orders")
        orders.add_argument("--office")
        permanent = sub.add_parser(
            "permanent", help="open permanent disconnection for long-disconnected accounts"
        )
        permanent.add_argument(
            "--months", type=int, help="disconnected at least this long (default: the setting)"
        )
        permanent.add_argument("--office")

    def handle(self, *args, **options):
        if options["action"] == "permanent":
            from urja.connections.changes import permanent_disconnections_open

            office = _office(options["office"]) if options.get("office") else None
            items = permanent_disconnections_open(months=options.get("months"), office=office)
            self.stdout.write(f"{len(items)} permanent disconnection(s) opened.")
            return
        if options["action"] == "orders":
            office = _office(options["office"]) if options.get("office") else None
            made = orders_issue(office=office)
            self.stdout.write(f"{len(made)} disconnection work order(s) issued.")
            return
        try:
            min_arrears = Decimal(options["min_arrears"])
        except InvalidOperation:
            raise CommandError("--min-arrears must be an amount.") from None
        rows = candidates(
            consumers_of_office(_office(options["office"])),
            min_arrears=min_arrears,
            min_age_days=options["min_age"],
        )
        data = [
            {
                "account_number": r.consumer.account_number,
                "name": r.consumer.name,
                "arrears": f"{r.arrears:.2f}",
                "age_days": r.eligibility.age_days,
                "barred_over_two_years": f"{r.eligibility.barred:.2f}",
                "last_payment": r.last_payment_on.isoformat() if r.last_payment_on else None,
                "notice": r.notice.number if r.notice else None,
            }
            for r in rows
        ]
        if options["json"]:
            self.stdout.write(json.dumps(data, indent=2))
            return
        for row in data:
            self.stdout.write(
                f"{row['account_number']}  {row['arrears']:>12}  {row['age_days']:>5}d  "
                f"{row['last_payment'] or '-':>10}  {row['notice'] or '-'}"
            )
        self.stdout.write(f"{len(data)} eligible account(s).")
