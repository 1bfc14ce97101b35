import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.db import IntegrityError, transaction

from urja.billing import partitions, runs, services
from urja.billing.choices import BillStatus, RevisionStatus
from urja.billing.models import Bill, BillRun
from urja.ledger.choices import EntryType
from urja.ledger.models import LedgerEntry
from urja.ledger.selectors import balance
from urja.metering.services import reading_record
from urja.org.choices import Role
from urja.testing import ConsumerFactory, UserFactory

from .conftest import metered_consumer

pytestmark = pytest.mark.django_db
OCT = datetime.date(2026, 7, 31)


def read(consumer, value, day=OCT, status="OK"):
    kwargs = {"kwh": Decimal(value)} if value is not None else {}
    return reading_record(consumer=consumer, reading_date=day, status=status, source="manual", **kwargs)


def test_run_bills_every_active_account_once(billing_office, two_subdivisions):
    a = metered_consumer(billing_office, serial="M1")
    read(a, 850)  # 250 units, like the worked example
    flat = ConsumerFactory(
        office=billing_office, category="LMV1-RURAL-UM", area_type="rural", sanctioned_load=Decimal("1")
    )
    gone = ConsumerFactory(office=billing_office, status="pd")
    run = runs.bill_run(cycle_code="2026-07", office=billing_office)
    # a, flat and the fixture's consumer_a (metered, never read: provisional on normative units)
    assert (run.accounts, run.billed, run.held) == (3, 3, 0)
    assert Bill.objects.get(consumer=two_subdivisions["consumer_a"]).basis == "PROV"
    bill = Bill.objects.get(consumer=a)
    assert (bill.units, bill.energy_charge, bill.fixed_charge, bill.electricity_duty) == (
        Decimal("250"),
        Decimal("1425.00"),
        Decimal("220.00"),
        Decimal("82.25"),
    )
    assert bill.payable == Decimal("1727.00") and bill.basis == "MU"
    assert bill.bill_number == "2607" + a.account_number
    assert Bill.objects.get(consumer=flat).basis == "UM"
    assert not Bill.objects.filter(consumer=gone).exists()
    assert balance(a.id) == Decimal("1727.00")
    # Second run: nobody billed twice.
    again = runs.bill_run(cycle_code="2026-07", office=billing_office)
    assert (again.billed, again.held, again.skipped) == (0, 0, 3)
    assert Bill.objects.filter(consumer=a).count() == 1
    assert LedgerEntry.objects.filter(consumer=a, entry_type=EntryType.BILL).count() == 1


def test_database_refuses_second_bill_for_period(billing_office):
    a = metered_consumer(billing_office, serial="M1")
    read(a, 850)
    runs.bill_run(cycle_code="2026-07")
    bill = Bill.objects.get(consumer=a)
    bill.pk, bill.bill_number = None, "duplicate"
    with pytest.raises(IntegrityError), transaction.atomic():
        bill.save()


def test_arrears_carried_into_next_bill(billing_office):
    a = metered_consumer(billing_office, serial="M1")
    read(a, 850)
    runs.bill_run(cycle_code="2026-07")
    read(a, 950, day=datetime.date(2026, 8, 31))
    runs.bill_run(cycle_code="2026-08")
    nov = Bill.objects.get(consumer=a, period="2026-08")
    assert nov.arrears == Decimal("1727.00")
    assert nov.payable == nov.arrears + nov.current_charges
    assert balance(a.id) == nov.payable


def test_exceptions_are_held_and_not_posted(billing_office):
    spike = metered_consumer(billing_office, serial="M1")
    read(spike, 600 + 900)  # 900 units vs an average of 200: > 3x
    zero = metered_consumer(billing_office, serial="M2")
    read(zero, 600)  # unchanged register: ADF, zero units
    new = metered_consumer(billing_office, serial="M3", history=[], connection=datetime.date(2026, 6, 20))
    read(new, 150)
    run = runs.bill_run(cycle_code="2026-07")
    assert run.held == 3 and run.billed == 2  # the two fixture consumers are billed provisionally
    reasons = {b.consumer_id: b.hold_reason_list for b in Bill.objects.all()}
    assert reasons[spike.id] == ["HIGH"] and reasons[zero.id] == ["ZERO"] and "FIRST" in reasons[new.id]
    assert not LedgerEntry.objects.filter(consumer__in=[spike, zero, new]).exists()


def test_provisional_then_true_up(billing_office):
    a = metered_consumer(billing_office, serial="M1")
    read(a, None, status="NA")
    runs.bill_run(cycle_code="2026-07")
    oct_bill = Bill.objects.get(consumer=a)
    assert (
        oct_bill.basis == "PROV"
        and oct_bill.units == Decimal("200")
        and oct_bill.penalty == Decimal("100.00")
    )
    read(a, 1100, day=datetime.date(2026, 8, 31))  # 500 units over two months; 200 billed already
    runs.bill_run(cycle_code="2026-08")
    nov = Bill.objects.get(consumer=a, period="2026-08")
    assert nov.basis == "MU" and nov.units == Decimal("250") and nov.true_up_units == Decimal("50")
    assert any(line["head"] == "provisional_true_up" for line in nov.lines)


def test_review_approve_and_correct(billing_office, two_subdivisions):
    sdo = two_subdivisions["sdo_a"]
    spike = metered_consumer(billing_office, serial="M1")
    read(spike, 1500)
    other = metered_consumer(billing_office, serial="M2")
    read(other, 1500)
    runs.bill_run(cycle_code="2026-07")
    held = Bill.objects.get(consumer=spike)
    services.bill_approve(bill_id=held.id, by=sdo)
    held.refresh_from_db()
    assert held.status == BillStatus.ISSUED and held.reviewed_by == sdo
    assert balance(spike.id) == held.payable
    fixed = services.bill_correct(
        bill_id=Bill.objects.get(consumer=other).id,
        by=sdo,
        units=Decimal("250"),
        reason="reader typed 1500 for 850",
    )
    assert fixed.payable == Decimal("1727.00") and fixed.status == BillStatus.ISSUED
    with pytest.raises(ValidationError):
        services.bill_approve(bill_id=held.id, by=sdo)  # not held any more


def test_je_cannot_review(billing_office, two_subdivisions):
    a = metered_consumer(billing_office, serial="M1")
    read(a, 1500)
    runs.bill_run(cycle_code="2026-07")
    with pytest.raises(PermissionDenied):
        services.bill_approve(bill_id=Bill.objects.get(consumer=a).id, by=two_subdivisions["je_a"])


def test_small_revision_applies_with_reversal(billing_office, two_subdivisions):
    sdo = two_subdivisions["sdo_a"]
    a = metered_consumer(billing_office, serial="M1")
    read(a, 850)
    runs.bill_run(cycle_code="2026-07")
    bill = Bill.objects.get(consumer=a)
    revision = services.bill_revision_request(
        bill=bill, by=sdo, reason="reading misread", units=Decimal("150")
    )
    assert revision.status == RevisionStatus.APPLIED
    bill.refresh_from_db()
    assert bill.status == BillStatus.CANCELLED and bill.cancelled_by == sdo
    new = Bill.objects.get(consumer=a, period="2026-07", status=BillStatus.ISSUED)
    assert new.revision_of == bill and new.bill_number.endswith("R1")
    assert LedgerEntry.objects.filter(consumer=a, entry_type=EntryType.REVERSAL).count() == 1
    assert balance(a.id) == new.payable
    assert list(bill.revised_by.all()) == [new]
    # One revision per bill, whatever writes it: the database refuses a second one.
    new.status = BillStatus.CANCELLED
    new.save(update_fields=["status"])
    twin = Bill.objects.get(pk=new.pk)
    twin.pk, twin.bill_number, twin.status = None, new.bill_number + "X", BillStatus.ISSUED
    with pytest.raises(IntegrityError, match="revision_of|bill_revised_once"), transaction.atomic():
        twin.save()


def test_large_revision_needs_higher_role(billing_office, two_subdivisions, settings):
    settings.URJA_BILLING = {**settings.URJA_BILLING, "REVISION_APPROVAL_ABOVE": "100"}
    sdo = two_subdivisions["sdo_a"]
    ee = UserFactory(username="ee", role=Role.EE, office=two_subdivisions["division"])
    a = metered_consumer(billing_office, serial="M1")
    read(a, 850)
    runs.bill_run(cycle_code="2026-07")
    bill = Bill.objects.get(consumer=a)
    revision = services.bill_revision_request(
        bill=bill, by=sdo, reason="meter found defective", units=Decimal("50")
    )
    assert revision.status == RevisionStatus.PENDING
    assert Bill.objects.get(pk=bill.pk).status == BillStatus.ISSUED
    with pytest.raises(PermissionDenied):
        services.bill_revision_decide(revision_id=revision.id, by=sdo, approve=True)
    services.bill_revision_decide(revision_id=revision.id, by=ee, approve=True)
    assert Bill.objects.get(pk=bill.pk).status == BillStatus.CANCELLED
    assert balance(a.id) == Bill.objects.get(consumer=a, status=BillStatus.ISSUED).payable


def test_billrun_command(billing_office, capsys):
    a = metered_consumer(billing_office, serial="M1")
    read(a, 850)
    call_command("billrun", "--cycle", "2026-07", "--office", billing_office.code)
    out = capsys.readouterr().out
    assert "issued 2" in out  # a and the fixture consumer_a
    assert Bill.objects.filter(consumer=a).count() == 1


def test_failed_partition_is_resumable(billing_office, monkeypatch):
    a = metered_consumer(billing_office, serial="M1")
    read(a, 850)
    from urja.billing import compute

    def boom(*args, **kwargs):
        raise RuntimeError("worker crashed")

    original = compute.compute_bills
    monkeypatch.setattr(partitions, "compute_bills", boom)
    run = runs.bill_run(cycle_code="2026-07")
    assert run.status == "failed" and not Bill.objects.exists() and not LedgerEntry.objects.exists()
    monkeypatch.setattr(partitions, "compute_bills", original)
    run = runs.bill_run_start(run=run)
    assert run.status == "done" and Bill.objects.filter(consumer=a).count() == 1


def test_partitions_are_bill_groups_one_per_distribution_centre(billing_office, two_subdivisions):
    from urja.billing.models import BillGroup

    run = runs.bill_run_create(cycle_code="2026-07")
    groups = {p.group.code: p.office for p in run.partitions.select_related("group", "office")}
    assert groups == {"DC-A": two_subdivisions["dc_a"], "DC-B": two_subdivisions["dc_b"]}
    runs.bill_run_create(cycle_code="2026-08")
    assert BillGroup.objects.count() == 2  # reused, not duplicated


def test_starting_a_run_needs_an_office_that_contains_it(billing_office, two_subdivisions):
    run = runs.bill_run_create(cycle_code="2026-07")  # all offices
    with pytest.raises(PermissionDenied):
        runs.bill_run_start(run=run, by=two_subdivisions["sdo_a"])
    own = runs.bill_run_create(cycle_code="2026-07", office=two_subdivisions["sub_a"])
    assert runs.bill_run_start(run=own, by=two_subdivisions["sdo_a"]).status == "done"


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_partition_locks_only_its_own_row(two_subdivisions):
    """Issue 13: a partition held by one worker must not stop another partition of the same run (the
    run, cycle and office rows read with it are shared). Worker 1 holds partition A's lock open while
    partition B is billed here with a lock timeout: B finishes; A is billed once worker 1 lets go."""
    import threading

    from django.db import connection

    run = runs.bill_run_create(cycle_code="2026-07")
    by_office = {p.office_id: p for p in run.partitions.all()}
    part_a, part_b = by_office[two_subdivisions["dc_a"].pk], by_office[two_subdivisions["dc_b"].pk]
    locked, release, failures = threading.Event(), threading.Event(), []

    def hold_a():
        try:
            with transaction.atomic():
                partitions.partition_locked(part_a.pk)
                locked.set()
                release.wait(timeout=30)
        except Exception as exc:  # noqa: BLE001 - reported below
            failures.append(exc)
        finally:
            connection.close()

    worker = threading.Thread(target=hold_a)
    worker.start()
    try:
        assert locked.wait(timeout=30)
        with connection.cursor() as cursor:
            cursor.execute("SET lock_timeout = '3s'")
        done = partitions.bill_partition_execute(partition_id=part_b.pk)
        assert (done.status, done.error) == ("done", "")
        assert Bill.objects.filter(consumer=two_subdivisions["consumer_b"]).count() == 1
    finally:
        release.set()
        worker.join(timeout=30)
        with connection.cursor() as cursor:
            cursor.execute("RESET lock_timeout")
    assert not failures, failures
    assert partitions.bill_partition_execute(partition_id=part_a.pk).status == "done"
    run.refresh_from_db()
    # Each account billed once (issued, or held for review: which depends on what the factory drew).
    assert (run.status, run.billed + run.held) == ("done", 2)
    assert Bill.objects.filter(consumer=two_subdivisions["consumer_a"]).count() == 1


def test_the_already_billed_check_is_keyed_on_the_partitions_accounts(billing_office, two_subdivisions):
    """Issue 13: which accounts are billed already is asked by account id (the (account, period) index,
    whatever the planner knows of a new period), never by a join on the office over the period's bills."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for i in range(3):
        ConsumerFactory(office=billing_office, name=f"Extra {i}")
    run = runs.bill_run_create(cycle_code="2026-07", office=billing_office)
    partition = run.partitions.get()
    with CaptureQueriesContext(connection) as captured:
        partitions.bill_partition_execute(partition_id=partition.pk)
    reads = [
        q["sql"] for q in captured.captured_queries
        if q["sql"].startswith("SELECT") and 'FROM "billing_bill"' in q["sql"] and '"period" =' in q["sql"]
    ]  # fmt: skip
    assert reads, "the partition asks which accounts are billed"
    assert all('"consumer_id" IN' in sql and "customers_consumer" not in sql for sql in reads), reads
    assert Bill.objects.filter(consumer__office=billing_office, period="2026-07").count() == 4


def test_a_second_run_over_the_same_offices_waits_for_the_first(billing_office, two_subdivisions):
    going = runs.bill_run_create(cycle_code="2026-07", office=two_subdivisions["sub_a"])
    BillRun.objects.filter(pk=going.pk).update(status="running")
    for scope in (two_subdivisions["sub_a"], billing_office, None):  # the same, inside it, around it
        with pytest.raises(ValidationError, match=f"Bill run {going.pk} of 2026-07 is still going"):
            runs.bill_run_create(cycle_code="2026-07", office=scope)
    other = runs.bill_run_create(cycle_code="2026-07", office=two_subdivisions["sub_b"])  # elsewhere: fine
    assert runs.bill_run_create(cycle_code="2026-06", office=billing_office)  # another month: fine
    BillRun.objects.filter(pk=going.pk).update(status="done")
    assert runs.bill_run_create(cycle_code="2026-07", office=billing_office).pk > other.pk
    # A run created but never started (its start refused) blocks nothing.
    assert runs.bill_run_create(cycle_code="2026-07", office=billing_office)
