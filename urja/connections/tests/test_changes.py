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

pytestmark = pytest.mark.django_db


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
