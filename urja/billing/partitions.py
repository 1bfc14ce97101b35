"""Billing one partition of a run (one distribution centre) in one transaction. Called by the
`bill_partition_task` Celery task (and in-process by `urja billrun` without a broker); it imports
nothing that queues tasks."""

from __future__ import annotations

import logging

from django.db import transaction
from django.db.models import F

from urja.common import clock
from urja.common.bulk import insert_rows
from urja.customers.models import Consumer
from urja.ledger.services import entries_post_bulk
from urja.tariffs.selectors import fppas_for_bill_date, tariff_book

from .choices import BillStatus, RunStatus
from .compute import billed_accounts_q, compute_bills, ledger_entries_for
from .models import Bill, BillRun, BillRunPartition
from .notices import bills_issued_notify

logger = logging.getLogger(__name__)


def bill_partition_execute(*, partition_id: int) -> BillRunPartition:
    """Bill one partition in one transaction. Safe to call again: a done partition does nothing, and
    accounts billed for the period by anyone are skipped."""
    # Claimed in its own short transaction, before billing: a worker killed mid-partition leaves it
    # RUNNING since `started_at`, which is how a stalled run is recognised (selectors.run_stale_since).
    BillRunPartition.objects.filter(pk=partition_id).exclude(status=RunStatus.DONE).update(
        status=RunStatus.RUNNING, started_at=clock.now()
    )
    try:
        with transaction.atomic():
            partition = partition_locked(partition_id)
            if partition.status == RunStatus.DONE:
                return partition
            _bill_partition(partition)
    except Exception as exc:  # a failed partition is recorded and can be resumed; others go on
        logger.exception("bill run partition %s failed", partition_id)
        BillRunPartition.objects.filter(pk=partition_id).update(
            status=RunStatus.FAILED, error=str(exc)[:2000], finished_at=clock.now()
        )
        partition = BillRunPartition.objects.get(pk=partition_id)
        run_finish_if_done(partition.run_id)
        return partition
    run_finish_if_done(partition.run_id)
    return BillRunPartition.objects.get(pk=partition_id)


def partition_locked(partition_id: int) -> BillRunPartition:
    """The partition, its row locked for the caller's transaction — and only its row (``of=self``):
    the run, cycle and office read with it are shared by every partition of the run, and locking them
    too made partitions on several workers wait for one another's whole transaction."""
    return (
        BillRunPartition.objects.select_for_update(of=("self",))
        .select_related("run__cycle", "office")
        .get(pk=partition_id)
    )


#: Accounts looked up per query when checking which are billed already (under SQLite's variable limit).
BILLED_CHUNK = 900


def _bill_partition(partition: BillRunPartition) -> None:
    run, cycle = partition.run, partition.run.cycle
    partition.started_at = clock.now()
    consumers = list(
        Consumer.objects.filter(
            billed_accounts_q(), office=partition.office, connection_date__lte=cycle.period_end
        ).order_by("id")
    )
    # No account locks: the partition row lock (taken by the caller) serialises re-deliveries of this
    # partition, accounts already billed for the period are skipped, and the unique constraint on
    # (account, period) stops any other writer. Payments posted meanwhile only move the arrears.
    # Keyed on the partition's own accounts (the (account, period) unique index), not on the office:
    # for a new period the planner knows nothing of its bills and scanned the whole period for each
    # partition (issue 13: 447 ms instead of 13 ms at 186k bills).
    ids = [c.id for c in consumers]
    billed: set[int] = set()
    for start in range(0, len(ids), BILLED_CHUNK):
        billed.update(
            Bill.objects.filter(consumer_id__in=ids[start : start + BILLED_CHUNK], period=cycle.code)
            .exclude(status=BillStatus.CANCELLED)
            .values_list("consumer_id", flat=True)
        )
    todo = [c for c in consumers if c.id not in billed]
    bills = compute_bills(todo, cycle, tariff_book(), fppas_for_bill_date(cycle.issue_date))
    for bill in bills:
        bill.run = run
    insert_rows(Bill, bills)  # COPY on PostgreSQL; the bills' ids are set for their ledger entries
    issued = [b for b in bills if b.status == BillStatus.ISSUED]
    entries_post_bulk([entry for bill in issued for entry in ledger_entries_for(bill)])
    bills_issued_notify(issued, {c.id: c for c in todo})
    partition.accounts = len(consumers)
    partition.skipped = len(consumers) - len(todo)
    partition.billed = len(issued)
    partition.held = len(bills) - len(issued)
    partition.status = RunStatus.DONE
    partition.error = ""
    partition.finished_at = clock.now()
    partition.save()
    BillRun.objects.filter(pk=run.pk).update(
        accounts=F("accounts") + partition.accounts,
        billed=F("billed") + partition.billed,
        held=F("held") + partition.held,
        skipped=F("skipped") + partition.skipped,
        partitions_done=F("partitions_done") + 1,
    )


def run_finish_if_done(run_id: int) -> None:
    run = BillRun.objects.get(pk=run_id)
    statuses = list(run.partitions.values_list("status", flat=True))
    if statuses and all(s in (RunStatus.DONE, RunStatus.FAILED) for s in statuses):
        failed = sum(1 for s in statuses if s == RunStatus.FAILED)
        BillRun.objects.filter(pk=run_id).update(
            status=RunStatus.FAILED if failed else RunStatus.DONE, failed=failed, finished_at=clock.now()
        )
    elif not statuses:
        BillRun.objects.filter(pk=run_id).update(status=RunStatus.DONE, finished_at=clock.now())
