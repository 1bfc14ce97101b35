"""Bill runs with FPPAS by bill month (issue 8, rule 5) and the payable after the due date at the real
LPSC rate of each part of the dues (rule 8)."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from urja.billing import runs, services
from urja.billing.choices import BillStatus
from urja.billing.compute import compute_bills
from urja.billing.models import Bill
from urja.billing.selectors import hold_label
from urja.domain.determinants import Hold
from urja.ledger.choices import EntryType
from urja.ledger.services import entry_post
from urja.metering.services import reading_record
from urja.tariffs.models import FppasRate
from urja.tariffs.selectors import tariff_book

from .conftest import metered_consumer

D = Decimal
pytestmark = pytest.mark.django_db

AUTUMN_2025 = [
    (datetime.date(2025, 8, 31), 0),
    (datetime.date(2025, 9, 30), 200),
    (datetime.date(2025, 10, 31), 400),
    (datetime.date(2025, 11, 30), 600),
]


def _read(consumer, value, day):
    reading_record(consumer=consumer, reading_date=day, kwh=D(value), status="OK", source="manual")


def test_a_run_prices_fppas_of_the_issue_month_a_rebate_in_january_2026(billing_office):
    a = metered_consumer(billing_office, serial="F1", history=AUTUMN_2025)
    _read(a, 850, datetime.date(2025, 12, 31))
    runs.bill_run(cycle_code="2025-12")  # December's consumption, issued 2026-01-01: January's -2.33%
    bill = Bill.objects.get(consumer=a, period="2025-12")

    assert bill.status == BillStatus.ISSUED
    (line,) = [line for line in bill.lines if line["head"] == "fppas"]
    # 250 units: energy 1,425.00 + fixed 220.00 = 1,645.00; FPPAS -2.33% = -38.33; duty on FPPAS
    # 5% of 1,606.67 = 80.33; payable 1,687.00
    assert line == {
        "head": "fppas",
        "description": "FPPAS for bills of 2026-01: -2.33% on Rs 1645.00",
        "amount": "-38.33",
        "params": {"month": "2026-01", "percent": "-2.33", "base": "1645.00"},
        "quantity": "1645",
        "rate": "-2.33",
        "unit": "%",
    }
    assert (bill.fppas, bill.electricity_duty, bill.payable) == (D("-38.33"), D("80.33"), D("1687.00"))


@pytest.mark.no_fppas_orders
def test_a_run_whose_bill_month_has_no_order_is_refused_naming_the_month(billing_office):
    metered_consumer(billing_office, serial="F2")
    with pytest.raises(ValidationError) as err:
        runs.bill_run(cycle_code="2026-10")  # issued 2026-11-01
    text = " ".join(err.value.message_dict["cycle"])
    assert "no FPPAS order has been entered for bills of 2026-11" in text
    assert not Bill.objects.exists()


@pytest.mark.no_fppas_orders
def test_bills_computed_without_an_order_are_held_not_issued_at_zero(billing_office, two_subdivisions):
    """If the order disappears between starting a run and billing a partition, the bills are held."""
    a = metered_consumer(billing_office, serial="F3")
    _read(a, 850, datetime.date(2026, 7, 31))
    FppasRate.objects.create(month="2026-08", percent=D("1.00"), source="test")
    cycle = runs.cycle_get_or_create(code="2026-07")
    (bill,) = compute_bills([a], cycle, tariff_book(), None)

    assert bill.status == BillStatus.HELD
    assert Hold.FPPAS_MISSING in bill.hold_reason_list
    assert "no FPPAS order entered for bills of 2026-08" in " ".join(bill.notes)
    assert hold_label(Hold.FPPAS_MISSING) == "no FPPAS order entered for the bill month"
    bill.save()
    with pytest.raises(ValidationError, match="no order was entered for bills of 2026-08"):
        services.bill_approve(bill_id=bill.pk, by=two_subdivisions["sdo_a"])
    # once the order is in, correcting the bill prices it with the order: 1% of 1,645.00 = 16.45
    fixed = services.bill_correct(
        bill_id=bill.pk, by=two_subdivisions["sdo_a"], units=D("250"), reason="FPPAS order in"
    )
    assert fixed.status == BillStatus.ISSUED and fixed.fppas == D("16.45")


def test_payable_after_due_uses_each_due_items_own_lpsc_rate(billing_office):
    """Old arrears (overdue more than 3 months by the day after this bill's due date) bear 2%, this
    bill's charges 1.25%: not 1.25% on the whole payable."""
    a = metered_consumer(billing_office, serial="F4")
    entry_post(
        consumer=a,
        entry_type=EntryType.OPENING,
        amount=D("1000.00"),
        entry_date=datetime.date(2026, 3, 1),
        due_date=datetime.date(2026, 3, 16),
        description="opening balance",
    )
    _read(a, 850, datetime.date(2026, 7, 31))
    runs.bill_run(cycle_code="2026-07")  # issued 2026-08-01, due 2026-08-16
    bill = Bill.objects.get(consumer=a, period="2026-07")

    assert bill.due_date == datetime.date(2026, 8, 16)
    assert (bill.arrears, bill.payable) == (D("1000.00"), D("2727.00"))  # 1,727.25 current + 1,000 arrears
    # on 17 Aug: the opening balance due 16 Mar is 6 started months overdue -> 2% of 1,000.00 = 20.00;
    # this bill's 1,727.00 (payable less arrears) is 1 month overdue -> 1.25% = 21.5875 -> 21.59;
    # 2,727.00 + 41.59 = 2,768.59 -> 2,769 (one rate for all would give 2,727 x 1.0125 -> 2,761)
    assert bill.payable_after_due == D("2769.00")


def test_payable_after_due_with_arrears_in_their_first_months_is_at_1_25_percent(billing_office):
    a = metered_consumer(billing_office, serial="F5")
    entry_post(
        consumer=a,
        entry_type=EntryType.BILL,
        amount=D("1000.00"),
        entry_date=datetime.date(2026, 6, 1),
        due_date=datetime.date(2026, 6, 16),
        period="2026-05",
        description="an earlier bill",
    )
    _read(a, 850, datetime.date(2026, 7, 31))
    runs.bill_run(cycle_code="2026-07")
    bill = Bill.objects.get(consumer=a, period="2026-07")

    # due 16 Jun, on 17 Aug: 3 started months -> still 1.25%: 12.50 + 21.59 = 34.09; 2,761.09 -> 2,761
    assert bill.payable_after_due == D("2761.00")
