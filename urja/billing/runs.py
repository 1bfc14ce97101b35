"""Bill runs: creating a run for a cycle over an office subtree, and starting (or resuming) it by
queueing one task per unfinished partition. Each public function is one transaction.

A run is split into partitions, one per distribution centre (`partitions` bills one). A partition
commits whole or not at all, so a crashed run is resumed by starting it again, and an account already
billed for the period is skipped (the unique constraint on (account, period) makes a second bill
impossible even if two workers race)."""

from __future__ import annotations

import calendar
import datetime
import os
import re
import subprocess
import sys
import threading
from collections.abc import Callable
from urllib.parse import quote, urlsplit, urlunsplit

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, connections, transaction
from django.db.models import Count
from django.utils.translation import gettext as _

from urja.common import clock
from urja.common.db import fork_pool
from urja.customers.models import Consumer
from urja.domain.inputs import EARLIEST_DATE, LATEST_DATE, ascii_digits
from urja.notifications.services import dispatch_deferred
from urja.org import roles
from urja.org.choices import OfficeLevel
from urja.org.models import Office
from urja.org.permissions import require, user_covers
from urja.tariffs.selectors import bill_month, fppas_for_bill_date

from .choices import RunStatus
from .compute import billed_accounts_q
from .models import BillCycle, BillGroup, BillRun, BillRunPartition
from .partitions import bill_partition_execute, run_finish_if_done
from .tasks import bill_partition_task

_CYCLE = re.compile(r"^([0-9]{4})-([0-9]{2})$")


def cycle_get_or_create(*, code: str) -> BillCycle:
    """The cycle for month `code` (YYYY-MM, digits of any script): the calendar month, issued the day
    after it ends. The month lies between 1900-01 and 2099-12 (urja.domain.inputs)."""
    match = _CYCLE.match(ascii_digits(code.strip()) if isinstance(code, str) else "")
    try:
        year, month = int(match[1]), int(match[2])  # type: ignore[index]
        start = datetime.date(year, month, 1)
    except (ValueError, TypeError):
        raise ValidationError({"cycle": _("A billing cycle is written YYYY-MM, e.g. 2026-10.")})
    if not EARLIEST_DATE.year <= year <= LATEST_DATE.year:
        raise ValidationError(
            {
                "cycle": _("A billing month lies between %(earliest)s and %(latest)s.")
                % {"earliest": f"{EARLIEST_DATE:%Y-%m}", "latest": f"{LATEST_DATE:%Y-%m}"}
            }
        )
    end = datetime.date(year, month, calendar.monthrange(year, month)[1])
    issue = end + datetime.timedelta(days=1)
    cycle, _created = BillCycle.objects.get_or_create(
        code=f"{year:04d}-{month:02d}",
        defaults={
            "period_start": start,
            "period_end": end,
            "issue_date": issue,
            "due_date": issue + datetime.timedelta(days=settings.URJA_BILLING["DUE_DAYS"]),
        },
    )
    return cycle


@transaction.atomic
def bill_run_create(*, cycle_code: str, office: Office | None = None, by=None) -> BillRun:
    """Create a run for a cycle over `office`'s subtree (all offices when None), one partition per
    distribution centre that has active accounts."""
    require(by, roles.RUN_BILLING)
    if by is not None:
        if office is None and not by.sees_everything:
            office = by.office
        if not user_covers(by, office):
            raise PermissionDenied(_("You may only bill your own offices."))
    cycle = cycle_get_or_create(code=cycle_code)
    if cycle.period_start > clock.today():
        raise ValidationError({"cycle": _("This billing month has not begun yet.")})
    if fppas_for_bill_date(cycle.issue_date) is None:
        raise ValidationError(
            {
                "cycle": _(
                    "The bills of %(cycle)s are raised on %(date)s, and no FPPAS order has been entered for "
                    "bills of %(month)s. Enter it (admin: Tariffs › FPPAS rates, by bill month) before "
                    "running the bills."
                )
                % {
                    "cycle": cycle.code,
                    "date": cycle.issue_date.isoformat(),
                    "month": bill_month(cycle.issue_date),
                }
            }
        )
    _refuse_overlapping_run(cycle, office)
    run = BillRun.objects.create(cycle=cycle, office=office, started_by=by)
    dcs = Office.objects.filter(level=OfficeLevel.DC)
    if office is not None:
        dcs = dcs.filter(path__startswith=office.path)
    active = Consumer.objects.filter(billed_accounts_q()).values("office_id").distinct()
    dc_ids = list(dcs.filter(id__in=active).order_by("code").values_list("id", flat=True))
    groups = bill_groups_for(dc_ids)
    BillRunPartition.objects.bulk_create(
        [BillRunPartition(run=run, office_id=dc_id, group=groups[dc_id]) for dc_id in dc_ids]
    )
    run.partitions_total = len(dc_ids)
    run.save(update_fields=["partitions_total", "updated_at"])
    return run


def _refuse_overlapping_run(cycle: BillCycle, office: Office | None) -> None:
    """One started run at a time over any office of the cycle: a second click on "start" (or a second
    operator) while a run of the same month covering the same offices is still going would only race it
    for the same accounts. A stopped one is to be resumed, not started again (a run created but never
    started — its start refused — blocks nothing)."""
    for other in BillRun.objects.filter(cycle=cycle, status=RunStatus.RUNNING).select_related("office"):
        if (
            office is None
            or other.office is None
            or office.contains(other.office)
            or other.office.contains(office)
        ):
            raise ValidationError(
                {
                    "cycle": _(
                        "Bill run %(id)s of %(cycle)s is still going over these offices: follow it, or resume it "
                        "if it has stopped."
                    )
                    % {"id": other.pk, "cycle": cycle.code}
                }
            )


def bill_groups_for(dc_ids: list[int]) -> dict[int, BillGroup]:
    """The bill group of each distribution centre, created on first use (one group per DC)."""
    existing = {g.office_id: g for g in BillGroup.objects.filter(office_id__in=dc_ids, route="")}
    for dc in Office.objects.filter(id__in=dc_ids).exclude(id__in=list(existing)):
        existing[dc.id], _created = BillGroup.objects.get_or_create(code=dc.code, defaults={"office": dc})
    return existing


def _run_begin(run: BillRun, by) -> None:
    """Check that `by` (None: the system) may start or resume `run`, and mark it started and running."""
    if by is not None:
        require(by, roles.RUN_BILLING)
        if not user_covers(by, run.office):
            raise PermissionDenied(_("This run covers offices outside yours."))
    BillRun.objects.filter(pk=run.pk, started_at__isnull=True).update(started_at=clock.now())
    BillRun.objects.filter(pk=run.pk).update(status=RunStatus.RUNNING)


def bill_run_start(*, run: BillRun, by=None) -> BillRun:
    """Queue every unfinished partition (eager without a broker: they run here and now): pending,
    failed, and those left running by a worker that died. A staff user may start or resume only a run
    whose whole scope lies within their offices. Safe while a partition is still being billed: its
    second task waits for the partition's lock and then finds it done."""
    _run_begin(run, by)
    pending = list(run.partitions.exclude(status=RunStatus.DONE).values_list("id", flat=True))
    for partition_id in pending:
        bill_partition_task.delay(partition_id)
    run_finish_if_done(run.pk)
    run.refresh_from_db()
    return run


def bill_run_start_from_console(*, run: BillRun, by) -> BillRun:
    """What the console's "start" and "resume" buttons do. With a broker: queue the partitions
    (`bill_run_start`). Without one, where `URJA_BILLING["LOCAL_RUNS"]` is "process": mark the run
    running and start `urja billrun --resume RUN` as a process of its own, which bills on every core
    (`bill_run_local`), and return at once; the run page follows its progress. If that process dies,
    the run goes stale and can be resumed (`selectors.run_stale_since`). Starting twice is safe: a
    partition's lock and the one-bill-per-period rule keep the second process from billing anyone again."""
    in_memory = connection.vendor == "sqlite" and connection.is_in_memory_db()
    if not settings.CELERY_TASK_ALWAYS_EAGER or settings.URJA_BILLING["LOCAL_RUNS"] != "process" or in_memory:
        return bill_run_start(run=run, by=by)
    _run_begin(run, by)
    command = [sys.executable, "-m", "urja.manage", "billrun", "--resume", str(run.pk), "--verbosity", "0"]
    env = {**os.environ, "DATABASE_URL": _database_url()}
    if settings.SETTINGS_MODULE:  # else the environment's DJANGO_SETTINGS_MODULE (or manage's default)
        env["DJANGO_SETTINGS_MODULE"] = settings.SETTINGS_MODULE

    def spawn() -> None:  # after commit: the process must find the run
        billing = subprocess.Popen(  # noqa: S603 (our own interpreter and command, no shell)
            command,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,  # not stopped with the web worker that started it
        )
        threading.Thread(target=billing.wait, daemon=True).start()  # reaped when it ends (no zombie)

    transaction.on_commit(spawn)
    run.refresh_from_db()
    return run


def _database_url() -> str:
    """The database this process uses, as a DATABASE_URL for the billing process: the environment's own
    (its options kept) with this connection's database name — the test runner's, under pytest."""
    name = connection.settings_dict["NAME"]
    if connection.vendor == "sqlite":
        return f"sqlite:///{name}"
    parts = urlsplit(os.environ.get("DATABASE_URL", ""))
    return urlunsplit(parts._replace(path="/" + quote(str(name), safe="")))


def bill_run_local(
    *, run: BillRun, workers: int | None = None, progress: Callable[[int], None] | None = None
) -> BillRun:
    """Bill the run's unfinished partitions here, without a broker (`urja billrun` when no
    CELERY_BROKER_URL is set): on PostgreSQL in ``workers`` processes (default: one per core), so every
    core bills; on SQLite, which takes one writer at a time, one partition after another. Each process
    bills one partition at a time in its own transaction (`partitions.bill_partition_execute`), so
    memory grows with the partition, not the run. ``progress(n)`` is called as partitions finish.

    A worker process killed mid-partition (SIGKILL, out of memory) loses only that partition's
    uncommitted transaction: the pool is broken, the run stops with its partition left RUNNING (stale,
    `selectors.run_stale_since`), and starting the run again finishes it. Raises `BrokenProcessPool`."""
    BillRun.objects.filter(pk=run.pk, started_at__isnull=True).update(started_at=clock.now())
    BillRun.objects.filter(pk=run.pk).update(status=RunStatus.RUNNING)
    pending = _largest_first(run)
    workers = min(workers or os.cpu_count() or 1, len(pending))
    with dispatch_deferred():  # the bills' SMS and e-mails wait in the outbox, not in the hot path
        # Forking needs the connection closed: inside a caller's transaction bill here, one by one.
        if connection.vendor != "postgresql" or workers <= 1 or connection.in_atomic_block:
            for partition_id in pending:
                bill_partition_execute(partition_id=partition_id)
                if progress is not None:
                    progress(1)
        else:
            with fork_pool(workers) as pool:
                for _done in pool.map(_bill_partition_in_worker, pending):
                    if progress is not None:
                        progress(1)
    run_finish_if_done(run.pk)
    run.refresh_from_db()
    return run


def _largest_first(run: BillRun) -> list[int]:
    """The run's unfinished partitions, those with the most accounts first: the pool then ends on
    small ones, instead of one process billing the largest office while the others wait."""
    parts = dict(run.partitions.exclude(status=RunStatus.DONE).values_list("office_id", "id"))
    sizes = dict(
        Consumer.objects.filter(billed_accounts_q(), office_id__in=list(parts))
        .values("office_id")
        .annotate(n=Count("id"))
        .values_list("office_id", "n")
    )
    return [
        parts[office] for office in sorted(parts, key=lambda office: (-sizes.get(office, 0), parts[office]))
    ]


def _bill_partition_in_worker(partition_id: int) -> int:
    try:
        return bill_partition_execute(partition_id=partition_id).pk
    finally:
        connections.close_all()


def bill_run(*, cycle_code: str, office: Office | None = None, by=None) -> BillRun:
    """Create and start a run (what `urja billrun` and the console's button do)."""
    run = bill_run_create(cycle_code=cycle_code, office=office, by=by)
    return bill_run_start(run=run, by=by)
