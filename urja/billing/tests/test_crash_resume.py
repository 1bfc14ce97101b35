"""Issue 13: a bill run killed with SIGKILL mid-way — the process billing without a broker, or one of
its worker processes — and started again finishes the remaining partitions, every account ending with
exactly one bill and each issued bill posted to the ledger once; the stopped run is found as stale by
the CLI and by the console. The run is killed for real (a separate process, SIGKILL in the middle of a
partition's transaction, after its bills are written), so these run on PostgreSQL, whose test database
a second process can open."""

import datetime
import os
import signal
import subprocess
import sys
import textwrap
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.models import Count

from urja.billing.models import Bill, BillRun
from urja.billing.selectors import run_stale_since
from urja.common import clock
from urja.ledger.choices import EntryType
from urja.ledger.models import LedgerEntry
from urja.metering.services import reading_record
from urja.org.choices import OfficeLevel
from urja.testing import ConsumerFactory, OfficeFactory

from .conftest import metered_consumer

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

KILLER = textwrap.dedent(
    """
    import os, signal, sys, datetime
    import django, time_machine
    django.setup()
    from django.core.management import call_command
    from urja.billing import partitions

    written = {"bills": 0}
    original = partitions.insert_rows

    def insert_then_die(model, objs, **kwargs):
        result = original(model, objs, **kwargs)
        if model.__name__ == "Bill":
            written["bills"] += 1
            if written["bills"] == int(os.environ["KILL_AT_PARTITION"]):
                os.kill(os.getpid(), signal.SIGKILL)  # mid-transaction: the bills are written, not committed
        return result

    partitions.insert_rows = insert_then_die
    with time_machine.travel(datetime.datetime.fromisoformat(os.environ["RUN_AT"]), tick=True):
        call_command("billrun", cycle="2026-07", workers=int(os.environ["WORKERS"]), verbosity=0)
    """
)


@pytest.fixture
def five_dcs(two_subdivisions, tariffs):
    """Five distribution centres (five partitions), two or three metered accounts each, read for July."""
    dcs = [two_subdivisions["dc_a"], two_subdivisions["dc_b"]]
    for key in "cde":
        dcs.append(
            OfficeFactory(code=f"DC-{key.upper()}", level=OfficeLevel.DC, parent=two_subdivisions["sub_a"])
        )
    for n, dc in enumerate(dcs):
        for i in range(2):
            consumer = metered_consumer(dc, serial=f"K{n}{i}")
            reading_record(
                consumer=consumer,
                reading_date=datetime.date(2026, 7, 31),
                kwh=Decimal(800 + i),
                source="manual",
            )
        if dc.code in ("DC-C", "DC-D", "DC-E"):
            ConsumerFactory(office=dc, name=f"Unread {dc.code}")  # billed on its history / provisionally
    return dcs


def _kill_a_run(workers: int, kill_at: int) -> subprocess.CompletedProcess:
    settings = connection.settings_dict
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "urja.settings.test",
        "DATABASE_URL": f"postgres://{settings['USER']}@{settings['HOST']}:{settings['PORT']}/{settings['NAME']}",
        "KILL_AT_PARTITION": str(kill_at),
        "WORKERS": str(workers),
        "RUN_AT": clock.now().isoformat(),
    }
    connection.close()  # the child must see committed data only; nothing of ours is open
    return subprocess.run(
        [sys.executable, "-c", KILLER], env=env, capture_output=True, text=True, timeout=240, check=False
    )


def _each_account_billed_once():
    per_account = Bill.objects.filter(period="2026-07").values("consumer_id").annotate(n=Count("id"))
    assert per_account and all(row["n"] == 1 for row in per_account), list(per_account)
    issued = Bill.objects.filter(period="2026-07", status="issued")
    posted = LedgerEntry.objects.filter(entry_type=EntryType.BILL, source_type="bill", period="2026-07")
    assert sorted(posted.values_list("source_id", flat=True)) == sorted(
        issued.filter(current_charges__gt=0).values_list("id", flat=True)
    )


@pytest.mark.parametrize(
    "workers, kill_at",
    [(1, 3), (2, 2)],
    ids=["the billing process killed in its third partition", "a worker of the pool killed in its second"],
)
def test_a_run_killed_mid_partition_resumes_to_one_bill_per_account(
    five_dcs, travel, capsys, workers, kill_at
):
    from urja.customers.models import Consumer

    accounts = Consumer.objects.count()
    result = _kill_a_run(workers, kill_at)
    assert result.returncode != 0, result.stdout + result.stderr
    if workers == 1:
        assert result.returncode == -signal.SIGKILL, result.stderr  # the process itself was killed
    else:
        assert "urja billrun --resume" in result.stderr, result.stderr  # the parent saw its worker die
    run = BillRun.objects.get()
    assert run.status == "running"
    done = run.partitions.filter(status="done").count()
    assert 0 < done < 5 if workers == 1 else done < 5
    # Nothing of a killed partition's transaction remains: its bills were written, not committed.
    killed = run.partitions.filter(status="running")
    assert killed.exists() and not Bill.objects.filter(consumer__office__in=killed.values("office")).exists()
    assert Bill.objects.count() < accounts

    # Until the stale limit passes, it is a run that may still be moving; then it is stale.
    call_command("billrun", unfinished=True)
    assert "RUNNING" in capsys.readouterr().out and run_stale_since(run) is None
    travel.shift(datetime.timedelta(minutes=31))
    assert run_stale_since(run) is not None
    call_command("billrun", unfinished=True)
    assert "STALE since" in (out := capsys.readouterr().out) and f"--resume {run.pk}" in out

    call_command("billrun", resume=run.pk, verbosity=0)
    run.refresh_from_db()
    assert (run.status, run.partitions_done) == ("done", 5)
    assert Bill.objects.filter(period="2026-07").count() == accounts
    _each_account_billed_once()
    call_command("billrun", unfinished=True)
    assert "No unfinished bill runs." in capsys.readouterr().out


def test_the_local_pool_bills_as_one_process_does(five_dcs):
    """Two worker processes (no broker) write exactly the bills one process computes, account by account."""
    from urja.billing import runs
    from urja.billing.compute import billed_accounts_q, compute_bills
    from urja.customers.models import Consumer
    from urja.tariffs.selectors import fppas_for_bill_date, tariff_book

    run = runs.bill_run_create(cycle_code="2026-07")
    consumers = list(Consumer.objects.filter(billed_accounts_q()).order_by("id"))
    expected = {
        bill.consumer_id: _key(bill)
        for bill in compute_bills(
            consumers, run.cycle, tariff_book(), fppas_for_bill_date(run.cycle.issue_date)
        )
    }
    runs.bill_run_local(run=run, workers=2)
    run.refresh_from_db()
    assert (run.status, run.partitions_done, run.billed + run.held) == ("done", 5, len(consumers))
    assert {bill.consumer_id: _key(bill) for bill in Bill.objects.filter(period="2026-07")} == expected
    _each_account_billed_once()


def _key(bill) -> tuple:
    return (
        bill.status, bill.basis, bill.units, bill.payable, bill.payable_after_due, bill.arrears,
        bill.current_charges, bill.lines, bill.bill_number,
    )  # fmt: skip


@pytest.mark.clock("2026-08-01T09:00:00+05:30")  # July's bills are issued today: today's payments count
def test_a_payment_posted_while_its_partition_is_billed_is_neither_lost_nor_counted_twice(
    five_dcs, two_subdivisions, monkeypatch, travel
):
    """Issue 13: the partition has read the ledger and priced its bills; a payment for one of its
    accounts commits before the partition does. The bill keeps the arrears it read (the payment came
    after its read), the payment stays posted once, and the next bill counts it exactly once."""
    import threading

    from urja.billing import partitions, runs
    from urja.customers.models import Consumer
    from urja.ledger.selectors import balance
    from urja.payments.models import Payment
    from urja.payments.services import payment_post

    consumer = (
        Consumer.objects.filter(office=five_dcs[0]).exclude(pk=two_subdivisions["consumer_a"].pk).first()
    )
    before = balance(consumer.pk)
    run = runs.bill_run_create(cycle_code="2026-07")
    partition = run.partitions.get(office=five_dcs[0])
    priced, release, failures = threading.Event(), threading.Event(), []
    original = partitions.compute_bills

    def price_then_wait(*args, **kwargs):
        bills = original(*args, **kwargs)
        priced.set()
        release.wait(timeout=60)
        return bills

    monkeypatch.setattr(partitions, "compute_bills", price_then_wait)

    def bill():
        try:
            partitions.bill_partition_execute(partition_id=partition.pk)
        except Exception as exc:  # noqa: BLE001 - reported below
            failures.append(exc)
        finally:
            connection.close()

    worker = threading.Thread(target=bill)
    worker.start()
    try:
        assert priced.wait(timeout=60)
        payment_post(
            consumer=consumer,
            amount=Decimal("500.00"),
            channel="online",
            source="gateway:test",
            reference="PAID-DURING-RUN",
            paid_at=clock.now(),
        )
    finally:
        release.set()
        worker.join(timeout=60)
    assert not failures, failures
    monkeypatch.setattr(partitions, "compute_bills", original)
    july = Bill.objects.get(consumer=consumer, period="2026-07")
    assert july.status == "issued" and july.arrears == before  # read before the payment committed
    assert Payment.objects.filter(reference="PAID-DURING-RUN").count() == 1
    credits = LedgerEntry.objects.filter(consumer=consumer, entry_type=EntryType.PAYMENT)
    assert [e.amount for e in credits] == [Decimal("-500.00")]
    july_charges = _posted_for(consumer, "2026-07")
    assert balance(consumer.pk) == before + july_charges - Decimal("500.00")

    # August's bill carries the payment once: its arrears are the balance on its issue day.
    travel.move_to("2026-09-01T09:00:00+05:30")
    reading_record(
        consumer=consumer, reading_date=datetime.date(2026, 8, 31), kwh=Decimal(1000), source="manual"
    )
    august = runs.bill_run_create(cycle_code="2026-08", office=five_dcs[0])
    runs.bill_run_local(run=august, workers=1)
    august_bill = Bill.objects.get(consumer=consumer, period="2026-08")
    assert august_bill.arrears == before + july_charges - Decimal("500.00")
    assert balance(consumer.pk) == august_bill.arrears + _posted_for(consumer, "2026-08")


def _posted_for(consumer, period: str) -> Decimal:
    return sum(
        (e.amount for e in LedgerEntry.objects.filter(consumer=consumer, source_type="bill", period=period)),
        Decimal("0"),
    )
