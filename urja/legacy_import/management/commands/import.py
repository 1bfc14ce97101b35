"""`urja import <what> FILE`: bring data over from an old billing system. One subcommand per kind of data
(`consumers` now; `readings` and others can be added as further subparsers)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from urja.legacy_import.consumers import import_consumers


class Command(BaseCommand):
    help = "Import data from an old billing system's CSV export. See docs/import-consumers.md."

    def add_arguments(self, parser) -> None:
        subparsers = parser.add_subparsers(dest="what", required=True, metavar="WHAT", title="what to import")
        consumers = subparsers.add_parser(
            "consumers",
            help="consumer accounts (docs/import-consumers.md)",
            description="Import consumer accounts from a UTF-8 CSV file with a header row. A file with any error "
            "changes nothing unless --skip-invalid is given. Re-importing a file creates no duplicates.",
        )
        consumers.add_argument("file", metavar="FILE.csv", help="the CSV file to import")
        consumers.add_argument(
            "--skip-invalid", action="store_true", help="import the valid rows even if some rows are invalid"
        )
        consumers.add_argument(
            "--errors-file",
            metavar="PATH",
            help="where to write the errors (default: FILE.errors.csv next to the file)",
        )
        consumers.add_argument(
            "--dry-run", action="store_true", help="check and count everything, then roll back"
        )

    def handle(self, *args, what: str, **options) -> None:
        handlers = {"consumers": self.import_consumers}
        handlers[what](**options)

    def import_consumers(
        self, *, file: str, skip_invalid: bool, errors_file: str | None, dry_run: bool, **_
    ) -> None:
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"There is no file {path}.")
        try:
            result = import_consumers(
                path, skip_invalid=skip_invalid, dry_run=dry_run, errors_path=errors_file
            )
        except (OSError, ValueError) as exc:
            raise CommandError(str(exc))

        if result.file_errors:
            for error in result.file_errors:
                where = f"line {error.line}" + (f", column {error.column}" if error.column else "")
                self.stderr.write(f"{path}: {where}: {error.reason}")
            raise CommandError(
                f"{path} cannot be imported; nothing was imported. Errors are in {result.errors_path}."
            )

        verb = "would be " if result.dry_run or not result.written else ""
        self.stdout.write(
            f"{path}: {result.rows_read} rows read: {result.created} {verb}created, {result.updated} {verb}updated, "
            f"{result.unchanged} unchanged, {result.invalid} invalid."
        )
        if result.error_count:
            self.stdout.write(
                f"{result.error_count} error{'s' if result.error_count != 1 else ''} written to {result.errors_path}; the first:"
            )
            for error in result.first_errors:
                self.stdout.write(f"  line {error.line}, column {error.column or '-'}: {error.reason}")
        else:
            self.stdout.write(f"No errors ({result.errors_path} lists none).")
        if result.has_errors and not result.skip_invalid:
            raise CommandError(
                f"{result.invalid} of {result.rows_read} rows have errors; nothing was imported. "
                f"Fix them (see {result.errors_path}) or re-run with --skip-invalid."
            )
        if result.dry_run:
            self.stdout.write("Dry run: nothing was written.")
        elif result.has_errors:
            self.stdout.write(
                self.style.WARNING(f"Imported the valid rows; {result.invalid} invalid rows were skipped.")
            )
        else:
            self.stdout.write(self.style.SUCCESS("Import complete."))
