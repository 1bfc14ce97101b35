import json
from datetime import date

from django.core.management.base import BaseCommand, CommandError

from urja.tariffs.services import tariff_quote


def _date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise CommandError(f"invalid date {text!r}: use YYYY-MM-DD")


class Command(BaseCommand):
    help = "Price a bill for a tariff, load and consumption (the same calculator as the console and API)."

    def add_arguments(self, parser):
        parser.add_argument("--tariff", required=True, help="tariff category code, e.g. LMV1-URBAN")
        parser.add_argument(
            "--load", required=True, help="sanctioned load with its unit: 2kW, 1.5kW, 12kVA, 7.5BHP"
        )
        parser.add_argument("--units", help="units consumed (kWh); leave out for unmetered tariffs")
        parser.add_argument("--kvah", help="kVAh consumed, for kVAh billing")
        parser.add_argument(
            "--from", dest="period_from", help="period start YYYY-MM-DD (default: one month ending today)"
        )
        parser.add_argument("--to", dest="period_to", help="period end YYYY-MM-DD, inclusive")
        parser.add_argument(
            "--bill-date",
            dest="bill_date",
            help="date the bill is raised YYYY-MM-DD, whose month's FPPAS order applies (default: the day "
            "after the period ends)",
        )
        parser.add_argument(
            "--fppas",
            help="FPPAS percent, negative in a rebate month (default: the order for the bill month; 0 "
            "leaves it out)",
        )
        parser.add_argument(
            "--area", choices=["urban", "rural"], help="where a lifeline consumer over the limits is billed"
        )
        parser.add_argument("--prepaid", action="store_true", help="smart prepaid meter (rebate)")
        parser.add_argument(
            "--md", dest="md_kva", help="recorded maximum demand, kVA (demand-billed tariffs)"
        )
        parser.add_argument("--pf", dest="power_factor", help="average power factor, e.g. 0.92")
        parser.add_argument("--kv", dest="supply_kv", help="supply voltage in kV (voltage rebates)")
        parser.add_argument("--tod", help="TOD meter units by slot: peak=1200,normal=3000,offpeak=800")
        parser.add_argument("--json", action="store_true", help="print one JSON object")

    def handle(self, *args, **o):
        try:
            result = tariff_quote(
                tariff=o["tariff"],
                load=o["load"],
                units=o["units"],
                kvah=o["kvah"],
                period_from=_date(o["period_from"]) if o["period_from"] else None,
                period_to=_date(o["period_to"]) if o["period_to"] else None,
                fppas=o["fppas"],
                prepaid=o["prepaid"],
                bill_date=_date(o["bill_date"]) if o["bill_date"] else None,
                area=o["area"],
                md_kva=o["md_kva"],
                power_factor=o["power_factor"],
                supply_kv=o["supply_kv"],
                tod=o["tod"],
            )
        except ValueError as exc:
            raise CommandError(str(exc))
        if o["json"]:
            self.stdout.write(json.dumps(result, ensure_ascii=False))
            return
        self.stdout.write(
            f"{result['tariff']}  {result['load']}  {result['period']['from']} to {result['period']['to']}"
        )
        for line in result["lines"]:
            self.stdout.write(f"  {line['description']:<60} {line['amount']:>12}")
        self.stdout.write(f"  {'Total':<60} {result['total']:>12}")
        self.stdout.write(f"  {'Payable':<60} {result['payable']:>12}")
