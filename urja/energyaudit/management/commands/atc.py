import json

from django.core.management.base import BaseCommand, CommandError

from urja.energyaudit.selectors import office_audit
from urja.org.models import Office


class Command(BaseCommand):
    help = "An office's energy audit (input, billed, collected, BE, CE, AT&C) for YYYY-MM, YYYY-Qn or FYyyyy."

    def add_arguments(self, parser):
        parser.add_argument("--office", required=True, help="office code (its whole subtree is counted)")
        parser.add_argument("--period", required=True, help="YYYY-MM, YYYY-Qn (financial quarter) or FYyyyy")
        parser.add_argument("--json", action="store_true", help="print one JSON object")
        parser.add_argument(
            "--live",
            action="store_true",
            help="sum bills and ledger now, even for months the monthly roll-up holds (as_of says which)",
        )

    def handle(self, *args, office, period, json: bool, live: bool = False, **options):
        found = Office.objects.filter(code=office).first()
        if found is None:
            raise CommandError(f"unknown office {office}")
        try:
            result = office_audit(office=found, period=period, live=live)
        except ValueError as exc:
            raise CommandError(str(exc))
        data = result.as_dict()
        if json:
            self.stdout.write(_dumps(data))
            return
        for key, value in data.items():
            self.stdout.write(f"{key}: {value}")


def _dumps(data) -> str:
    return json.dumps(data, ensure_ascii=False, sort_keys=False)
