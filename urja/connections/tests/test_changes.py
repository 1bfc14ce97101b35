"""Load change and category change: the process, the dated history billing reads, the deposit demand."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from urja.connections import changes
from urja.customers.models import ConnectionChange
from urja.ledger.choices import EntryType
from urja.ledger.models import LedgerEntry
from urja.workflow.models import WorkOrder
from urja.workflow.services import TransitionRefused, transition, work_order_complete

# The effective dates below follow the application day: pinned (the PostgreSQL run moves the clock).
pytestmark = [pytest.mark.django_db, pytest.mark.clock("2026-11-28T12:00+05:30")]


def _to_approval(item, je):
    transition(item, "inspect", by=je)
    order = WorkOrder.objects.get(item=item)
    work_order_complete(order, by=je, key="done-1", result={"note": "load verified on site"})
    item.refresh_from_db()
    assert item.state == "approval"
    return item


def test_a_load_increase_applies_from_its_date_and_demands_the_deposit(two_subdivisions, settings):
    settings.URJA_CONNECTION_CHANGES = {"DEPOSIT_PER_KW": "500"}
    consumer, je, sdo = two_subdivisions["consumer_a"], two_subdivisions["je_a"], two_subdivisions["sdo_a"]
    old_load = consumer.sanctioned_load
    item = changes.apply_for(consumer, by=je, sanctioned_load=old_load + Decimal(3), reason="new AC")
    _to_approval(item, je)
    changes.approve(item, by=sdo, effective_from=datetime.date(2026, 12, 16))
    assert item.state == "applied_done"
    consumer.refresh_from_db()
    assert consumer.sanctioned_load == old_load + 3
    change = ConnectionChange.objects.get(consumer=consumer)
    assert (change.old_sanctioned_load, change.new_sanctioned_load, change.effective_from) == (
        old_load,
        old_load + 3,
        datetime.date(2026, 12, 16),
    )
    assert change.approved_by == sdo and item.reference in change.reason
    deposit = LedgerEntry.objects.get(consumer=consumer, entry_type=EntryType.DEPOSIT)
    assert deposit.amount == Decimal("1500.00") and deposit.posted_by == sdo


def test_a_load_decrease_demands_no_deposit(two_subdivisions):
    consumer, je, sdo = two_subdivisions["consumer_a"], two_subdivisions["je_a"], two_subdivisions["sdo_a"]
    consumer.sanctioned_load = Decimal(5)
    consumer.save()
    item = _to_approval(changes.apply_for(consumer, by=je, sanctioned_load=Decimal(2)), je)
    changes.approve(item, by=sdo, effective_from=datetime.date(2026, 12, 1))
    assert not LedgerEntry.objects.filter(consumer=consumer, entry_type=EntryType.DEPOSIT).exists()


def test_a_category_change_is_recorded_for_billing(two_subdivisions):
    consumer, je, sdo = two_subdivisions["consumer_a"], two_subdivisions["je_a"], two_subdivisions["sdo_a"]
    old = consumer.category
    item = _to_approval(changes.apply_for(consumer, by=je, category="LMV2-URBAN"), je)
    changes.approve(item, by=sdo, effective_from=datetime.date(2026, 12, 10))
    consumer.refresh_from_db()
    change = ConnectionChange.objects.get(consumer=consumer)
    assert consumer.category == "LMV2-URBAN"
    assert (change.kind, change.old_category, change.new_category) == ("category", old, "LMV2-URBAN")


def test_only_the_sdo_approves_and_a_rejection_needs_a_reason(two_subdivisions):
    consumer, je, sdo = two_subdivisions["consumer_a"], two_subdivisions["je_a"], two_subdivisions["sdo_a"]
    item = _to_approval(changes.apply_for(consumer, by=je, category="LMV2-URBAN"), je)
    with pytest.raises(TransitionRefused):
        changes.approve(item, by=je, effective_from=datetime.date(2026, 12, 10))
    with pytest.raises(TransitionRefused):
        changes.approve(item, by=two_subdivisions["sdo_b"], effective_from=datetime.date(2026, 12, 10))
    with pytest.raises(TransitionRefused):
        transition(item, "reject", by=sdo)
    transition(item, "reject", by=sdo, reason="premises are residential")
    assert item.state == "rejected"
    assert not ConnectionChange.objects.exists()


def test_a_change_cannot_be_backdated_before_the_application(two_subdivisions):
    consumer, je, sdo = two_subdivisions["consumer_a"], two_subdivisions["je_a"], two_subdivisions["sdo_a"]
    item = _to_approval(changes.apply_for(consumer, by=je, sanctioned_load=Decimal(4)), je)
    with pytest.raises(ValidationError):
        changes.approve(item, by=sdo, effective_from=datetime.date(2026, 11, 1))


def test_another_offices_consumer_is_refused(two_subdivisions):
    with pytest.raises(TransitionRefused):
        changes.apply_for(
            two_subdivisions["consumer_b"], by=two_subdivisions["je_a"], sanctioned_load=Decimal(4)
        )


def test_a_name_transfer_needs_the_documents_and_keeps_the_kyc_masked(two_subdivisions):
    from urja.customers.models import ConsumerChange

    consumer, je, sdo = two_subdivisions["consumer_a"], two_subdivisions["je_a"], two_subdivisions["sdo_a"]
    item = changes.apply_for_transfer(
        consumer, by=je, new_name="Sita Devi", kyc_document="aadhaar", kyc_number="2345 6789 0123"
    )
    assert "234567890123" not in str(item.data) and item.data["kyc_number_masked"].endswith("0123")
    with pytest.raises(TransitionRefused):
        transition(item, "verify", by=je, attachments=[{"kind": "id_proof", "name": "id.pdf"}])
    transition(
        item,
        "verify",
        by=je,
        attachments=[{"kind": "id_proof", "name": "id.pdf"}, {"kind": "transfer_proof", "name": "deed.pdf"}],
    )
    changes.approve(item, by=sdo, effective_from=datetime.date(2026, 12, 1))
    consumer.refresh_from_db()
    assert consumer.name == "Sita Devi" and consumer.kyc_number_masked.endswith("0123")
    assert "234567890123" not in consumer.kyc_number_masked
    assert ConsumerChange.objects.filter(consumer=consumer, field="name", new_value="Sita Devi").exists()


def _to_settlement(consumer, je, final_kwh="1234"):
    item = changes.apply_for_permanent_disconnection(consumer, by=je, reason="house sold")
    transition(item, "order_final_reading", by=je)
    order = WorkOrder.objects.get(item=item)
    work_order_complete(order, by=je, key="pd-1", result={"final_kwh": final_kwh})
    item.refresh_from_db()
    assert item.state == "settlement"
    return item


def test_permanent_disconnection_sets_the_deposit_against_dues_and_refunds_the_rest(two_subdivisions):
    from urja.ledger.selectors import balance
    from urja.ledger.services import entry_post
    from urja.metering.models import Meter, MeterInstallation, Reading

    consumer, je, sdo = two_subdivisions["consumer_a"], two_subdivisions["je_a"], two_subdivisions["sdo_a"]
    meter = Meter.objects.create(serial="PD1", digits=6)
    MeterInstallation.objects.create(
        consumer=consumer, meter=meter, installed_on=datetime.date(2020, 1, 1), initial_reading=Decimal(0)
    )
    consumer.security_deposit = Decimal("1000.00")
    consumer.save()
    entry_post(
        consumer=consumer,
        entry_type=EntryType.BILL,
        amount=Decimal("400.00"),
        entry_date=datetime.date(2026, 11, 5),
        description="Bill",
    )
    item = _to_settlement(consumer, je)
    assert Reading.objects.filter(consumer=consumer, kwh=Decimal("1234")).exists()
    changes_refused = pytest.raises(TransitionRefused)
    with changes_refused:
        transition(item, "settle", by=je)
    transition(item, "settle", by=sdo, reason="final bill posted")
    consumer.refresh_from_db()
    assert consumer.status == "pd" and consumer.security_deposit == 0
    entries = LedgerEntry.objects.filter(consumer=consumer, source_type="workitem", source_id=item.pk)
    assert sorted(entry.amount for entry in entries) == [Decimal("-1000.00"), Decimal("600.00")]
    assert all(entry.posted_by == sdo and item.reference in entry.reason for entry in entries)
    assert balance(consumer.pk) == Decimal("0.00")
    # The statement reads them in the consumer's language.
    from urja.ledger.descriptions import entry_text

    words = sorted(entry_text(entry, "hi") for entry in entries)
    assert any("1,000.00" in w and "प्रतिभूति" in w for w in words) and any(
        "600.00" in w and "वापसी" in w for w in words
    )


def test_permanent_disconnection_with_dues_above_the_deposit_leaves_them_owed(two_subdivisions):
    from urja.ledger.selectors import balance
    from urja.ledger.services import entry_post

    consumer, je, sdo = two_subdivisions["consumer_a"], two_subdivisions["je_a"], two_subdivisions["sdo_a"]
    consumer.security_deposit = Decimal("300.00")
    consumer.save()
    entry_post(
        consumer=consumer,
        entry_type=EntryType.BILL,
        amount=Decimal("500.00"),
        entry_date=datetime.date(2026, 11, 5),
        description="Bill",
    )
    item = _to_settlement(consumer, je, final_kwh="")
    transition(item, "settle", by=sdo)
    assert balance(consumer.pk) == Decimal("200.00")
    assert not LedgerEntry.objects.filter(consumer=consumer, entry_type=EntryType.ADJUSTMENT).exists()


@pytest.mark.clock("2026-08-20T11:00+05:30")
def test_permanent_disconnection_raises_the_final_bill_up_to_the_final_reading(two_subdivisions, tariffs):
    """Supply Code 2005 cl. 4.14(g): take the reading, disconnect, deliver the final bill with all
    arrears up to the date of disconnection; the deposit is then set against every rupee owed."""
    from urja.billing import runs
    from urja.billing.models import Bill
    from urja.billing.tests.conftest import metered_consumer
    from urja.ledger.selectors import balance
    from urja.metering.services import reading_record

    je, sdo = two_subdivisions["je_a"], two_subdivisions["sdo_a"]
    consumer = metered_consumer(two_subdivisions["dc_a"], serial="PDF1")
    reading_record(
        consumer=consumer, reading_date=datetime.date(2026, 7, 31), kwh=Decimal(850), source="manual"
    )
    runs.bill_run(cycle_code="2026-07", office=two_subdivisions["dc_a"])
    july = Bill.objects.get(consumer=consumer, period="2026-07")
    consumer.security_deposit = Decimal("5000.00")
    consumer.save()
    item = _to_settlement(consumer, je, final_kwh="950")  # 100 units since the July reading of 850
    final = Bill.objects.get(consumer=consumer, period="2026-08")
    assert (final.period_start, final.period_end) == (datetime.date(2026, 8, 1), datetime.date(2026, 8, 20))
    assert final.status == "issued" and final.units == Decimal("100") and final.basis == "MU"
    assert final.arrears == july.payable  # all arrears up to the date of disconnection
    owed = balance(consumer.pk)
    assert owed == july.payable + final.current_charges
    transition(item, "settle", by=sdo, reason="final bill delivered")
    # The deposit is set against it all; the rest goes back to the consumer: nothing left either way.
    assert balance(consumer.pk) == Decimal("0.00")
    refund = LedgerEntry.objects.get(
        consumer=consumer, source_type="workitem", entry_type=EntryType.ADJUSTMENT
    )
    assert refund.amount == Decimal("5000.00") - owed


@pytest.mark.parametrize("paid, refund", [(True, "2100.00"), (False, "600.00")])
def test_a_load_increase_deposit_is_held_with_the_first_one_at_permanent_disconnection(
    two_subdivisions, settings, paid, refund
):
    """Deposit 1,000 at connection, 1,500 demanded on a load increase, a bill of 400: paid, all 2,500
    come back less the 400; unpaid, the demand cancels against itself and 600 come back."""
    from urja.ledger.selectors import balance
    from urja.ledger.services import entry_post
    from urja.payments.services import payment_post

    settings.URJA_CONNECTION_CHANGES = {"DEPOSIT_PER_KW": "500"}
    consumer, je, sdo = two_subdivisions["consumer_a"], two_subdivisions["je_a"], two_subdivisions["sdo_a"]
    consumer.security_deposit = Decimal("1000.00")
    consumer.save()
    item = changes.apply_for(consumer, by=je, sanctioned_load=consumer.sanctioned_load + 3, reason="AC")
    changes.approve(_to_approval(item, je), by=sdo, effective_from=datetime.date(2026, 12, 1))
    if paid:
        payment_post(
            consumer=consumer, amount=Decimal("1500.00"), channel="cash", source="c:1", reference="DEP1"
        )
    entry_post(
        consumer=consumer,
        entry_type=EntryType.BILL,
        amount=Decimal("400.00"),
        entry_date=datetime.date(2026, 11, 5),
        description="Bill",
    )
    pd = _to_settlement(consumer, je, final_kwh="")
    transition(pd, "settle", by=sdo)
    entries = LedgerEntry.objects.filter(consumer=consumer, source_type="workitem", source_id=pd.pk)
    assert sorted(e.amount for e in entries) == sorted([Decimal("-2500.00"), Decimal(refund)])
    assert balance(consumer.pk) == Decimal("0.00")
