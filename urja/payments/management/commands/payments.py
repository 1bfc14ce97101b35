import datetime
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from urja.payments.choices import MatchStatus
from urja.payments.settlement import settlement_day_report, settlement_import

LABELS = {
    MatchStatus.MATCHED: "matched",
    MatchStatus.POSTED_LATE: "posted late",
    MatchStatus.AMOUNT_MISMATCH: "amount mismatch",
    MatchStatus.INVALID: "invalid",
    MatchStatus.MISSING_IN_FILE: "missing in file",
}


class Command(BaseCommand):
    help = "Bank/NEFT and gateway settlement files: import (match, post late, report) and daily reports."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        imp = sub.add_parser("import", help="Import a settlement CSV (see docs/settlement-files.md).")
        imp.add_argument("file", help="the CSV file")
        imp.add_argument(
            "--source",
            required=True,
            help='bank name ("SBI" means source "bank:SBI") or "gateway:NAME", e.g. gateway:sandbox',
        )
        imp.add_argument("--format", default="generic", choices=["generic"], dest="file_format")
        report = sub.add_parser("report", help="Reconciliation per source for payments made on a day.")
        report.add_argument("--date", required=True, help="YYYY-MM-DD")

    def handle(self, *args, action, **options):
        if action == "import":
            self._import(options["file"], options["source"], options["file_format"])
        else:
            self._report(options["date"])

    def _import(self, file_name: str, source: str, file_format: str) -> None:
        path = Path(file_name)
        if not path.is_file():
            raise CommandError(f"No such file: {file_name}")
        try:
            settlement = settlement_import(
                data=path.read_bytes(), file_name=path.name, source_name=source, file_format=file_format
            )
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages))
        summary = settlement.summary
        self.stdout.write(
            f"Settlement file #{settlement.pk} {settlement.file_name} for {settlement.source} "
            f"({summary['date_from']} to {summary['date_to']})"
        )
        for status, label in LABELS.items():
            item = summary["by_status"][status]
            self.stdout.write(f"  {label:<16} {item['count']:>7}  {item['amount']:>16}")
        self.stdout.write(
            f"  {'file total':<16} {summary['file']['lines']:>7}  {summary['file']['amount']:>16}\n"
            f"  {'Urja total':<16} {summary['urja']['payments']:>7}  {summary['urja']['amount']:>16}"
        )
        for line in settlement.lines.exclude(status=MatchStatus.MATCHED).order_by("line_number", "pk"):
            where = f"line {line.line_number}" if line.line_number else "Urja only"
            self.stdout.write(
                f"  {where}: {LABELS[line.status]} {line.reference} {line.amount or ''} {line.note}"
            )

    def _report(self, date_text: str) -> None:
        try:
            day = datetime.date.fromisoformat(date_text)
        except ValueError:
            raise CommandError("Give the date as YYYY-MM-DD.")
        rows = settlement_day_report(day)
        self.stdout.write(f"Settlement reconciliation for payments made on {day:%d-%m-%Y}")
        if not rows:
            self.stdout.write("  no bank or gateway payments and no settlement lines that day")
        for row in rows:
            self.stdout.write(f"{row.source}: {row.payments} payments in Urja, {row.amount:.2f}")
            for status, label in LABELS.items():
                item = row.statuses[status]
                self.stdout.write(f"  {label:<16} {item['count']:>7}  {item['amount']:>16.2f}")
            self.stdout.write(
                f"  {'in no file yet':<16} {row.not_in_any_file:>7}  {row.not_in_any_file_amount:>16.2f}"
                f"  (files: {', '.join(f'#{f}' for f in row.files) or 'none'})"
            )
