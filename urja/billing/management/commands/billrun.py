import time
from concurrent.futures.process import BrokenProcessPool

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from urja.billing.choices import RunStatus
from urja.billing.models import BillRun
from urja.billing.runs import bill_run_create, bill_run_local, bill_run_start
from urja.billing.selectors import run_stale_since
from urja.common import clock
from urja.org.models import Office


class Command(BaseCommand):
    help = "Bill every active account for a cycle: one bill per account per period (a second run bills nobody twice)."

    def add_arguments(self, parser):
        parser.add_argument("--cycle", help="billing month YYYY-MM")
        parser.add_argument("--office", help="limit to this office's subtree (office code)")
        parser.add_argument("--resume", type=int, metavar="RUN_ID", help="resume an unfinished run")
        parser.add_argument(
            "--unfinished",
            action="store_true",
            help="list the runs not finished (a stalled one, its worker killed, is marked STALE) and exit",
        )
        parser.add_argument(
            "--no-send",
            action="store_true",
            help="without a broker: leave the bills' SMS and e-mails queued for `urja notifications send`",
        )
        parser.add_argument(
            "--workers",
            type=int,
            default=None,
            help="without a broker, on PostgreSQL: processes billing partitions side by side (default: one per core)",
        )

    def handle(self, *args, cycle, office, resume, **options):
        if options["unfinished"]:
            return self._list_unfinished()
        if not cycle and not resume:
            raise CommandError("Give --cycle YYYY-MM (a new run), --resume RUN_ID or --unfinished.")
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
        try:
            run = self._run_with_progress(run, show=options["verbosity"] > 0, workers=options["workers"])
        except BrokenProcessPool:
            raise CommandError(
                f"A billing process died mid-run (killed, or out of memory); the partitions it had not "
                f"committed are left as they were. Finish the run with: urja billrun --resume {run.pk}"
            )
        seconds = time.monotonic() - started
        self._send_queued(options["no_send"])
        self.stdout.write(
            f"accounts {run.accounts:,}  issued {run.billed:,}  held {run.held:,} ({run.held_percent}%)  "
            f"already billed {run.skipped:,}  failed partitions {run.failed}  in {seconds:.1f}s"
        )
        if run.status != RunStatus.DONE:
            raise CommandError(
                f"Some partitions failed; resume with: urja billrun --cycle {run.cycle.code} --resume {run.pk}"
            )

    def _send_queued(self, no_send: bool) -> None:
        """Without a broker the run left its messages in the outbox (runs.bill_run_local): send them
        now, after the billing, unless told not to. With a broker the workers send them."""
        from django.conf import settings

        if not settings.CELERY_TASK_ALWAYS_EAGER:
            return
        from urja.notifications.models import OutboundMessage
        from urja.notifications.sending import outbox_drain

        queued = OutboundMessage.objects.filter(status="queued").count()
        if no_send:
            self.stdout.write(f"{queued:,} messages queued: `urja notifications send` sends them")
        elif queued:
            counts = outbox_drain()
            self.stdout.write("messages: " + ", ".join(f"{k} {v:,}" for k, v in sorted(counts.items())))

    def _list_unfinished(self) -> None:
        runs = BillRun.objects.filter(status__in=[RunStatus.PENDING, RunStatus.RUNNING, RunStatus.FAILED])
        found = False
        for run in runs.select_related("cycle", "office").order_by("pk"):
            found = True
            stale = run_stale_since(run)
            mark = f"STALE since {clock.localtime(stale):%Y-%m-%d %H:%M} IST" if stale else run.status.upper()
            self.stdout.write(
                f"run {run.pk}  {run.cycle.code}  {run.office or 'all offices'}  "
                f"{run.partitions_done}/{run.partitions_total} partitions  {mark}"
                + (f"  -> urja billrun --resume {run.pk}" if stale or run.status == RunStatus.FAILED else "")
            )
        if not found:
            self.stdout.write("No unfinished bill runs.")

    def _run_with_progress(self, run: BillRun, show: bool, workers: int | None = None) -> BillRun:
        """Bill the run's partitions with a progress bar: here and now without a broker, or queued to
        the workers and followed until they finish."""
        from django.conf import settings
        from tqdm import tqdm

        tqdm.monitor_interval = 0  # no monitor thread: the local pool forks this process
        bar = tqdm(
            total=run.partitions_total,
            initial=run.partitions_done,
            unit="partition",
            disable=not show,
            file=self.stderr,
        )
        if settings.CELERY_TASK_ALWAYS_EAGER:
            try:
                run = bill_run_local(run=run, workers=workers, progress=bar.update)
            finally:
                bar.close()
            return run
        else:
            run = bill_run_start(run=run)
            while run.status in (RunStatus.PENDING, RunStatus.RUNNING):
                time.sleep(1)
                run.refresh_from_db()
                bar.update(run.partitions_done - bar.n)
        bar.close()
        return run
