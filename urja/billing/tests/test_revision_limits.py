"""Revision approval limits apply to the cumulative change of an account's bill for a period, and an
approval needs an officer ranked above the one who asked."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied

from urja.billing import runs, services
from urja.billing.choices import BillStatus, RevisionStatus
from urja.billing.models import Bill
from urja.ledger.selectors import balance
from urja.metering.services import reading_record
from urja.org.choices import Role
from urja.testing import UserFactory

from .conftest import metered_consumer

pytestmark = pytest.mark.django_db


@pytest.fixture
def bill(billing_office, settings):
    settings.URJA_BILLING = {**settings.URJA_BILLING, "REVISION_APPROVAL_ABOVE": "100"}
    consumer = metered_consumer(billing_office, serial="M1")
    reading_record(
        consumer=consumer, reading_date=datetime.date(2026, 7, 31), kwh=Decimal(850), source="manual"
    )
    runs.bill_run(cycle_code="2026-07", office=billing_office)
    return Bill.objects.get(consumer=consumer)  # 250 units, payable 1727.00


def current(bill):
    return Bill.objects.get(consumer=bill.consumer, period=bill.period, status=BillStatus.ISSUED)


def test_chained_small_revisions_count_from_the_original_bill(bill, two_subdivisions):
    sdo = two_subdivisions["sdo_a"]
    first = services.bill_revision_request(bill=bill, by=sdo, reason="misread", units=Decimal("240"))
    assert first.status == RevisionStatus.APPLIED and abs(first.difference) <= 100
    second = services.bill_revision_request(
        bill=current(bill), by=sdo, reason="misread again", units=Decimal("230")
    )
    # 60 + 60 from the bill as first issued: above the limit, though each step is not.
    assert second.status == RevisionStatus.PENDING
    assert second.cumulative_difference == current(bill).payable - bill.payable + second.difference
    assert abs(second.cumulative_difference) > 100
    assert current(bill).units == Decimal("240")


def test_eight_steps_under_the_limit_do_not_pass(bill, two_subdivisions):
    sdo = two_subdivisions["sdo_a"]
    applied = 0
    for units in range(245, 205, -5):
        revision = services.bill_revision_request(
            bill=current(bill), by=sdo, reason="step", units=Decimal(units)
        )
        if revision.status == RevisionStatus.PENDING:
            break
        applied += 1
    assert applied < 8
    assert abs(current(bill).payable - bill.payable) <= 100
    assert balance(bill.consumer_id) == current(bill).payable


def test_after_a_senior_approval_the_limit_counts_from_the_approved_bill(bill, two_subdivisions):
    sdo = two_subdivisions["sdo_a"]
    ee = UserFactory(username="ee", role=Role.EE, office=two_subdivisions["division"])
    big = services.bill_revision_request(bill=bill, by=sdo, reason="defective meter", units=Decimal("100"))
    services.bill_revision_decide(revision_id=big.id, by=ee, approve=True)
    small = services.bill_revision_request(
        bill=current(bill), by=sdo, reason="one more unit", units=Decimal("101")
    )
    assert small.status == RevisionStatus.APPLIED


def test_a_lower_officer_cannot_approve_a_higher_officers_revision(bill, two_subdivisions):
    ee = UserFactory(username="ee", role=Role.EE, office=two_subdivisions["division"])
    management = UserFactory(username="md", role=Role.MANAGEMENT, office=two_subdivisions["discom"])
    revision = services.bill_revision_request(bill=bill, by=ee, reason="defective meter", units=Decimal("50"))
    assert revision.status == RevisionStatus.PENDING
    with pytest.raises(PermissionDenied):
        services.bill_revision_decide(revision_id=revision.id, by=two_subdivisions["sdo_a"], approve=True)
    assert Bill.objects.get(pk=bill.pk).status == BillStatus.ISSUED
    services.bill_revision_decide(revision_id=revision.id, by=management, approve=True)
    assert Bill.objects.get(pk=bill.pk).status == BillStatus.CANCELLED
