"""Money-path review: failing-first tests for bugs found in the billing services."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from urja.billing import runs, services
from urja.billing.choices import BillStatus, RevisionStatus
from urja.billing.models import Bill
from urja.ledger.choices import EntryType
from urja.ledger.selectors import balance
from urja.ledger.services import entry_post
from urja.metering.services import reading_record
from urja.org.choices import Role
from urja.testing import UserFactory

from .conftest import metered_consumer

D = Decimal


def _read(consumer, value, day):
    reading_record(consumer=consumer, reading_date=day, kwh=D(value), status="OK", source="manual")


def _for_update_tables(queries) -> list[str]:
    tables = []
    for query in queries:
        sql = query["sql"]
        if "FOR UPDATE" in sql:
            table = sql.split(" FROM ", 1)[1].split()[0].strip('"')
            tables.append(table)
    return tables


@pytest.mark.postgres
@pytest.mark.django_db
def test_revision_decide_locks_account_before_bill(billing_office, two_subdivisions, settings):
    """Lock order is account › bill: approving a pending revision must not hold the bill row while
    waiting for the account (bill_revision_request and bill_approve take them the other way round)."""
    settings.URJA_BILLING = {**settings.URJA_BILLING, "REVISION_APPROVAL_ABOVE": "100"}
    ee = UserFactory(username="ee", role=Role.EE, office=two_subdivisions["division"])
    a = metered_consumer(billing_office, serial="M1")
    _read(a, 850, datetime.date(2026, 7, 31))
    runs.bill_run(cycle_code="2026-07")
    bill = Bill.objects.get(consumer=a)
    revision = services.bill_revision_request(
        bill=bill, by=two_subdivisions["sdo_a"], reason="meter found defective", units=D("50")
    )
    assert revision.status == RevisionStatus.PENDING
    with CaptureQueriesContext(connection) as ctx:
        services.bill_revision_decide(revision_id=revision.id, by=ee, approve=True)
    tables = _for_update_tables(ctx.captured_queries)
    assert tables and tables[0] == "customers_consumer", tables
    assert balance(a.id) == Bill.objects.get(consumer=a, status=BillStatus.ISSUED).payable


@pytest.mark.django_db
def test_ledger_total_after_bill_equals_payable_with_lpsc_before_bill(billing_office):
    """arrears = balance − LPSC since the last bill, plus an LPSC line: the ledger after posting the bill
    must equal the bill's payable (LPSC not counted twice), also with an advance and a subsidy-free
    account."""
    a = metered_consumer(billing_office, serial="M1")
    _read(a, 850, datetime.date(2026, 7, 31))
    runs.bill_run(cycle_code="2026-07")
    first = Bill.objects.get(consumer=a)
    entry_post(
        consumer=a,
        entry_type=EntryType.LPSC,
        amount=D("21.59"),
        entry_date=datetime.date(2026, 9, 1),
        due_date=datetime.date(2026, 9, 1),
        period="2026-09",
        description="LPSC 2026-09",
    )
    _read(a, 1000, datetime.date(2026, 8, 31))
    runs.bill_run(cycle_code="2026-08")
    second = Bill.objects.get(consumer=a, period="2026-08")
    assert second.lpsc == D("21.59") and second.arrears == first.payable
    assert balance(a.id) == second.payable


@pytest.mark.django_db
def test_payable_after_due_has_no_surcharge_on_the_surcharge_line(billing_office):
    """The amount printed as payable after the due date adds one month's LPSC, and LPSC is never
    charged on LPSC: the bill's own LPSC line is not part of the base."""
    a = metered_consumer(billing_office, serial="M1")
    _read(a, 850, datetime.date(2026, 7, 31))
    runs.bill_run(cycle_code="2026-07")
    entry_post(
        consumer=a,
        entry_type=EntryType.LPSC,
        amount=D("21.59"),
        entry_date=datetime.date(2026, 9, 1),
        due_date=datetime.date(2026, 9, 1),
        period="2026-09",
        description="LPSC 2026-09",
    )
    _read(a, 1000, datetime.date(2026, 8, 31))
    runs.bill_run(cycle_code="2026-08")
    bill = Bill.objects.get(consumer=a, period="2026-08")
    assert bill.payable == D("2846.00")
    # 1.25% of (2846.00 − 21.59) = 35.305 -> 2881.305 -> 2881 (not 1.25% of 2846 -> 2882)
    assert bill.payable_after_due == D("2881.00")


def test_revision_keeps_true_up_and_na_penalty(billing_office, two_subdivisions):
    """A revision re-prices the units but keeps what the bill carried besides them."""
    sdo = two_subdivisions["sdo_a"]
    a = metered_consumer(billing_office, serial="RV1")
    reading_record(consumer=a, reading_date=datetime.date(2026, 7, 31), status="NA", source="manual")
    runs.bill_run(cycle_code="2026-07", office=billing_office)
    jul = Bill.objects.get(consumer=a, period="2026-07")
    assert jul.basis == "PROV" and jul.penalty > 0
    same = services.bill_revision_request(bill=jul, by=sdo, reason="tariff order applied", units=None)
    new = Bill.objects.get(pk=same.new_bill_id)
    assert new.penalty == jul.penalty and new.units == jul.units and new.payable == jul.payable
    reading_record(consumer=a, reading_date=datetime.date(2026, 8, 31), kwh=Decimal(1100), source="manual")
    runs.bill_run(cycle_code="2026-08", office=billing_office)
    aug = Bill.objects.get(consumer=a, period="2026-08")
    assert aug.true_up_units == Decimal("50")
    revised = services.bill_revision_request(bill=aug, by=sdo, reason="reading checked", units=Decimal("240"))
    fixed = Bill.objects.get(pk=revised.new_bill_id)
    assert fixed.units == Decimal("240") and any(
        line["head"] == "provisional_true_up" for line in fixed.lines
    )
    assert balance(a.id) == fixed.payable
