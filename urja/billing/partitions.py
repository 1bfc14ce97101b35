"""Billing one partition of a run (one distribution centre) in one transaction. Called by the
`bill_partition_task` Celery task (and in-process by `urja billrun` without a broker); it imports
nothing that queues tasks."""

from __future__ import annotations

import logging
from collections.abc import Sequence

from django.db import connection, transaction
from django.db.models import F

from urja.common import clock
from urja.common.bulk import insert_rows
from urja.customers.models import Consumer
from urja.ledger.descriptions import describe
from urja.ledger.models import LedgerEntry
from urja.ledger.services import entries_post_bulk
from urja.ledger.signals import entries_posted
from urja.tariffs.selectors import fppas_for_bill_date, tariff_book

from .choices import BillStatus, RunStatus
from .compute import PART_DESCRIPTIONS, billed_accounts_q, compute_bills, ledger_entries_for
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
    bill_entries_post(issued)
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


# What `compute.ledger_entries_for` makes of each bill, written by the database from the bill rows just
# copied: the charges gross of subsidy as a debit due on the due date (a credit adjustment when
# negative), the subsidy as a credit. The English descriptions come from `descriptions.describe`,
# their codes from `compute.PART_DESCRIPTIONS`.
_BILL_ENTRIES_SQL = """
INSERT INTO ledger_ledgerentry (consumer_id, entry_type, amount, entry_date, due_date, period, description,
                                code, params, source_type, source_id, posted_at, reason)
SELECT b.consumer_id, e.entry_type, e.amount, b.issue_date, e.due_date, b.period,
       left(e.before || b.bill_number || e.after, 200), e.code, jsonb_build_object('bill', b.bill_number),
       'bill', b.id, %(now)s, ''
FROM billing_bill b
CROSS JOIN LATERAL (VALUES
    (0, %(bill)s, b.current_charges - b.subsidy, b.due_date, %(bill_before)s, %(bill_after)s, %(bill_code)s),
    (0, %(adjustment)s, b.current_charges - b.subsidy, NULL::date, %(adjustment_before)s, %(adjustment_after)s,
     %(adjustment_code)s),
    (1, %(subsidy)s, b.subsidy, NULL::date, %(subsidy_before)s, %(subsidy_after)s, %(subsidy_code)s)
) AS e(k, entry_type, amount, due_date, before, after, code)
WHERE b.id = ANY(%(ids)s)
  AND CASE WHEN e.entry_type = %(bill)s THEN e.amount > 0 ELSE e.amount < 0 END
ORDER BY b.id, e.k
"""


def bill_entries_post(bills: Sequence[Bill]) -> None:
    """Post the ledger entries of issued `bills`, already inserted (`compute.ledger_entries_for`). On
    PostgreSQL the database writes them from the bill rows, one statement per partition, instead of
    Python building, formatting and copying them (~40% of a run's rows); elsewhere by
    `ledger.services.entries_post_bulk`. The same rows either way (`tests/test_bill_entries.py`)."""
    if not bills:
        return
    if connection.vendor != "postgresql":
        entries_post_bulk([entry for bill in bills for entry in ledger_entries_for(bill)])
        return
    params: dict = {"ids": [bill.pk for bill in bills], "now": clock.now()}
    for entry_type, code in PART_DESCRIPTIONS.items():  # bill, adjustment, subsidy
        before, _mark, after = describe(code, bill="\x00")["description"].partition("\x00")
        name = entry_type.value
        params.update({name: name, f"{name}_before": before, f"{name}_after": after, f"{name}_code": code})
    with connection.cursor() as cursor:
        cursor.execute(_BILL_ENTRIES_SQL, params)
    months = {f"{bill.issue_date:%Y-%m}" for bill in bills} | {bill.period for bill in bills}
    entries_posted.send(sender=LedgerEntry, months=months)


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
