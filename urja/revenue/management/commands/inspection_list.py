import json
import time

from django.core.management.base import BaseCommand, CommandError

from urja.org.models import Office
from urja.revenue.selectors import inspection_list


class Command(BaseCommand):
    help = "An office's revenue-protection inspection list for a month (docs/revenue-protection.md)."

    def add_arguments(self, parser):
        parser.add_argument("--office", required=True, help="office code (its whole subtree is scored)")
        parser.add_argument("--period", required=True, help="YYYY-MM")
        parser.add_argument("--top", type=int, default=20, help="how many lines to print")
        parser.add_argument("--json", action="store_true", help="print one JSON object")

    def handle(self, *args, office, period, top: int, json: bool, **options):
        found = Office.objects.filter(code=office).first()
        if found is None:
            raise CommandError(f"unknown office {office}")
        started = time.perf_counter()
        try:
            entries = inspection_list(office=found, period=period)
        except ValueError as exc:
            raise CommandError(str(exc)) from None
        seconds = round(time.perf_counter() - started, 3)
        lines = [
            {
                "rank": e.rank,
                "account_number": e.consumer["account_number"],
                "score": e.score.points,
                "band": e.score.band,
                "reasons": [r.as_dict() for r in e.score.reasons],
            }
            for e in entries[:top]
        ]
        data = {
            "office": found.code,
            "period": period,
            "listed": len(entries),
            "seconds": seconds,
            "top": lines,
        }
        if json:
            self.stdout.write(_dumps(data))
            return
        self.stdout.write(f"{found.code} {period}: {len(entries)} listed in {seconds} s")
        for line in lines:
            codes = ", ".join(f"{r['code']}+{r['points']}" for r in line["reasons"])
            self.stdout.write(
                f"{line['rank']:>5} {line['account_number']} {line['score']:>3} {line['band']:<6} {codes}"
            )


def _dumps(data) -> str:
    return json.dumps(data, ensure_ascii=False)
