import time

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from urja.billing.choices import RunStatus
from urja.billing.models import BillRun
from urja.billing.services import bill_run_create, bill_run_start
from urja.org.models import Office


class Command(BaseCommand):
    help = "Bill every active account for a cycle: one bill per account per period (a second run bills nobody twice)."

    def add_arguments(self, parser):
        parser.add_argument("--cycle", required=True, help="billing month YYYY-MM")
        parser.add_argument("--office", help="limit to this office's subtree (office code)")
        parser.add_argument("--resume", type=int, metavar="RUN_ID", help="resume an unfinished run")

    def handle(self, *args, cycle, office, resume, **options):
        started = time.monotonic()
        if resume:
            run = BillRun.objects.filter(pk=resume).first()
            if run is None:
                raise CommandError(f"No bill run {resume}.")
        else:
            scope = None
            if office:
                scope = Office.objects.filter(code=office).first()
                if scope is None:
                    raise CommandError(f"No office with code {office!r}.")
            try:
                run = bill_run_create(cycle_code=cycle, office=scope)
            except ValidationError as exc:
                raise CommandError(" ".join(exc.messages))
        self.stdout.write(f"Bill run {run.pk} for {run.cycle.code}: {run.partitions_total} partitions")
        run = bill_run_start(run=run)
        seconds = time.monotonic() - started
        self.stdout.write(
            f"accounts {run.accounts:,}  issued {run.billed:,}  held {run.held:,} ({run.held_percent}%)  "
            f"already billed {run.skipped:,}  failed partitions {run.failed}  in {seconds:.1f}s"
        )
        if run.status == RunStatus.FAILED:
            raise CommandError(
                f"Some partitions failed; resume with: urja billrun --cycle {run.cycle.code} --resume {run.pk}"
            )
