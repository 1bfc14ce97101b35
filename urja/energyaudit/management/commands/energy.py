from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from urja.energyaudit.services import EnergyImportError, energy_import


class Command(BaseCommand):
    help = "Input energy of feeders and DTs: `import FILE.csv` (format: docs/energy-audit.md)."

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True)
        load = actions.add_parser("import", help="import monthly input energy from a CSV file")
        load.add_argument("file", help="CSV file: level,code,period,kwh[,meter]")

    def handle(self, *args, action, file, **options):
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
