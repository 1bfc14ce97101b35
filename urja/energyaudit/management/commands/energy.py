from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from urja.common.export import workbook_bytes
from urja.energyaudit.bee import bee_pack
from urja.energyaudit.services import EnergyImportError, energy_import, rollup_periods, rollup_refresh
from urja.org.models import Office


class Command(BaseCommand):
    help = (
        "Input energy of feeders and DTs: `import FILE.csv` (format: docs/energy-audit.md); "
        "`rollup` rebuilds the command centre's monthly roll-up."
    )

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True)
        load = actions.add_parser("import", help="import monthly input energy from a CSV file")
        load.add_argument("file", help="CSV file: level,code,period,kwh[,meter]")
        pack = actions.add_parser(
            "bee-pack", help="the BEE quarterly energy-accounting pack of an office (XLSX)"
        )
        pack.add_argument("--office", required=True, help="office code (its whole subtree)")
        pack.add_argument(
            "--quarter", required=True, help="financial-year quarter, YYYY-Qn (Q1 = April-June)"
        )
        pack.add_argument("--out", required=True, help="the .xlsx file to write")
        rollup = actions.add_parser(
            "rollup", help="rebuild the monthly roll-up of billed and collected money"
        )
        rollup.add_argument(
            "--months", type=int, default=2, help="the last N months, this month included (default 2)"
        )
        rollup.add_argument("--period", action="append", default=[], help="a month YYYY-MM (repeatable)")

    def handle(self, *args, action, **options):
        if action == "bee-pack":
            return self._bee_pack(**options)
        if action == "rollup":
            return self._rollup(months=options["months"], periods=options["period"])
        return self._import(options["file"])

    def _bee_pack(self, *, office, quarter, out, **options):
        found = Office.objects.filter(code=office).first()
        if found is None:
            raise CommandError(f"unknown office {office}")
        try:
            sheets = bee_pack(office=found, quarter=quarter)
        except ValueError as exc:
            raise CommandError(str(exc))
        Path(out).write_bytes(workbook_bytes(sheets))
        rows = ", ".join(f"{title}: {len(rows):,}" for title, _headers, rows in sheets[1:])
        self.stdout.write(f"{out} written ({rows})")

    def _import(self, file):
        path = Path(file)
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise CommandError(f"cannot read {file}: {exc}")
        try:
            result = energy_import(text=text, source=path.name)
        except EnergyImportError as exc:
            for problem in exc.problems:
                self.stderr.write(str(problem))
            raise CommandError(f"{file} rejected: {len(exc.problems)} problem(s); nothing was imported")
        for flag in result.flagged:
            self.stdout.write(f"flagged {flag}")
        self.stdout.write(f"{result.imported:,} input energy rows imported ({len(result.flagged):,} flagged)")

    def _rollup(self, *, months, periods):
        if not periods and months < 1:
            raise CommandError("--months must be at least 1")
        try:
            written = rollup_refresh(periods=periods or rollup_periods(months=months))
        except ValueError as exc:
            raise CommandError(str(exc))
        for period, rows in written.items():
            self.stdout.write(f"{period}: {rows:,} roll-up rows")
