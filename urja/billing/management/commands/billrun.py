import time

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from urja.billing.choices import RunStatus
from urja.billing.models import BillRun
from urja.billing.partitions import bill_partition_execute
from urja.billing.runs import bill_run_create, bill_run_start
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
        run = self._run_with_progress(run, show=options["verbosity"] > 0)
        seconds = time.monotonic() - started
        self.stdout.write(
            f"accounts {run.accounts:,}  issued {run.billed:,}  held {run.held:,} ({run.held_percent}%)  "
            f"already billed {run.skipped:,}  failed partitions {run.failed}  in {seconds:.1f}s"
        )
        if run.status != RunStatus.DONE:
            raise CommandError(
                f"Some partitions failed; resume with: urja billrun --cycle {run.cycle.code} --resume {run.pk}"
            )

    def _run_with_progress(self, run: BillRun, show: bool) -> BillRun:
        """Bill the run's partitions with a progress bar: here and now without a broker, or queued to
        the workers and followed until they finish."""
        from django.conf import settings
        from tqdm import tqdm

        bar = tqdm(
            total=run.partitions_total,
            initial=run.partitions_done,
            unit="partition",
            disable=not show,
            file=self.stderr,
        )
        if settings.CELERY_TASK_ALWAYS_EAGER:
            BillRun.objects.filter(pk=run.pk).update(status=RunStatus.RUNNING)
            for partition_id in run.partitions.exclude(status=RunStatus.DONE).values_list("id", flat=True):
                bill_partition_execute(partition_id=partition_id)
                bar.update(1)
            run = bill_run_start(run=run)  # nothing left to queue: records the finish
        else:
            run = bill_run_start(run=run)
            while run.status in (RunStatus.PENDING, RunStatus.RUNNING):
                time.sleep(1)
                run.refresh_from_db()
                bar.update(run.partitions_done - bar.n)
        bar.close()
        return run
