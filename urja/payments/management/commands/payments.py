import datetime
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError

from urja.payments.choices import MatchStatus
from urja.payments.models import SettlementFile
from urja.payments.settlement import (
    MAX_FILE_BYTES,
    settlement_day_report,
    settlement_decide,
    settlement_import,
)

LABELS = {
    MatchStatus.MATCHED: "matched",
    MatchStatus.TO_POST: "to post",
    MatchStatus.POSTED_LATE: "posted late",
    MatchStatus.AMOUNT_MISMATCH: "amount mismatch",
    MatchStatus.INVALID: "invalid",
    MatchStatus.MISSING_IN_FILE: "missing in file",
}


def _error(exc: Exception) -> CommandError:
    if isinstance(exc, ValidationError):
        return CommandError(" ".join(exc.messages))
    return CommandError(str(exc) or "Not allowed.")


class Command(BaseCommand):
    help = (
        "Bank/NEFT and gateway settlement files: import (match and report; nothing is posted), approve "
        "(a second supervisor posts what Urja lacks) or reject, and daily reports."
    )

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        imp = sub.add_parser(
            "import", help="Import a settlement CSV (docs/settlement-files.md); it waits for approval."
        )
        imp.add_argument("file", help="the CSV file")
        imp.add_argument(
            "--source", required=True, help="the code of a registered settlement source, e.g. SBI-MVVNL"
        )
        imp.add_argument("--by", required=True, help="username of the cash supervisor uploading it")
        imp.add_argument("--format", default="generic", choices=["generic"], dest="file_format")
        approve = sub.add_parser("approve", help="Approve a pending file: post its lines missing in Urja.")
        approve.add_argument("file_id", type=int)
        approve.add_argument(
            "--by", required=True, help="username of the approving supervisor (not the uploader)"
        )
        reject = sub.add_parser("reject", help="Reject a pending file: nothing is posted.")
        reject.add_argument("file_id", type=int)
        reject.add_argument("--by", required=True, help="username of the supervisor (not the uploader)")
        reject.add_argument("--reason", required=True)
        report = sub.add_parser("report", help="Reconciliation per source for payments made on a day.")
        report.add_argument("--date", required=True, help="YYYY-MM-DD")

    def handle(self, *args, action, **options):
        if action == "import":
            self._import(options["file"], options["source"], options["by"], options["file_format"])
        elif action in ("approve", "reject"):
            self._decide(options["file_id"], options["by"], action == "approve", options.get("reason") or "")
        else:
            self._report(options["date"])

    def _user(self, username: str):
        user = get_user_model().objects.filter(username=username, is_active=True).first()
        if user is None:
            raise CommandError(f"No active staff user {username!r}.")
        return user

    def _import(self, file_name: str, source: str, username: str, file_format: str) -> None:
        user = self._user(username)
        path = Path(file_name)
        if not path.is_file():
            raise CommandError(f"No such file: {file_name}")
        if path.stat().st_size > MAX_FILE_BYTES:
            raise CommandError(f"The file is larger than {MAX_FILE_BYTES // (1024 * 1024)} MB; split it.")
        try:
            settlement = settlement_import(
                data=path.read_bytes(),
                file_name=path.name,
                source_name=source,
                by=user,
                file_format=file_format,
            )
        except (ValidationError, PermissionDenied) as exc:
            raise _error(exc)
        self._summary(settlement)
        to_post = settlement.summary["to_post"]
        self.stdout.write(
            f"Awaiting approval by a second supervisor: {to_post['lines']} lines to post to "
            f"{to_post['accounts']} accounts, {to_post['amount']}. "
            f"`urja payments approve {settlement.pk} --by USERNAME` posts them."
        )

    def _decide(self, file_id: int, username: str, approve: bool, reason: str) -> None:
        user = self._user(username)
        if not SettlementFile.objects.filter(pk=file_id).exists():
            raise CommandError(f"No settlement file #{file_id}.")
        try:
            settlement = settlement_decide(file_id=file_id, by=user, approve=approve, note=reason)
        except (ValidationError, PermissionDenied) as exc:
            raise _error(exc)
        self._summary(settlement)
        verb = "approved and posted" if approve else "rejected"
        self.stdout.write(f"Settlement file #{settlement.pk} {verb} by {user.username}.")

    def _summary(self, settlement: SettlementFile) -> None:
        summary = settlement.summary
        self.stdout.write(
            f"Settlement file #{settlement.pk} {settlement.file_name} for {settlement.source} "
            f"({summary['date_from']} to {summary['date_to']}), {settlement.get_status_display().lower()}"
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
                f"  {where}: {LABELS[line.status]} {line.reference} {line.account_number} "
                f"{line.amount or ''} {line.note}"
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
