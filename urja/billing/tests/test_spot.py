"""Spot billing (urja/billing/spot.py): one account billed now through the bill run's compute path, once
per period, posted to the ledger; and the device's engine input giving the same bill."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied

from urja.billing import runs
from urja.billing.models import Bill
from urja.billing.spot import bill_differences, device_bill_inputs, spot_bill, tariffs_for_device
from urja.domain.engine import BillInput, compute_bill
from urja.ledger.choices import EntryType
from urja.ledger.models import LedgerEntry
from urja.ledger.selectors import balance
from urja.metering.services import reading_record
from urja.org.choices import Role
from urja.testing import UserFactory

from .conftest import metered_consumer

# A reader reads inside the period (2026-11): a bill served 60 days or more late carries the late-bill
# rebate, and the demo's orders are for the current month, so these tests set their day.
pytestmark = [pytest.mark.django_db, pytest.mark.clock("2026-11-28T12:00:00+05:30")]
HISTORY = [(datetime.date(2026, 9, 30), 0), (datetime.date(2026, 10, 31), 600)]
READ_ON = datetime.date(2026, 11, 20)


@pytest.fixture
def reader(two_subdivisions):
    return UserFactory(username="mr_a", role=Role.METER_READER, office=two_subdivisions["dc_a"])


def test_spot_bill_bills_one_account_once_and_posts_it(billing_office, reader):
    consumer = metered_consumer(billing_office, serial="SP1", history=HISTORY)
    reading_record(consumer=consumer, reading_date=READ_ON, kwh=Decimal("850"), source="spot", by=reader)
    first = spot_bill(consumer=consumer, period="2026-11", by=reader)
    assert first.created
    bill = first.bill
    assert (bill.units, bill.energy_charge, bill.fixed_charge, bill.payable) == (
        Decimal("250"),
        Decimal("1425.00"),
        Decimal("220.00"),
        Decimal("1727.00"),
    )
    assert bill.issue_date == datetime.date(2026, 11, 28) and bill.status == "issued"
    assert balance(consumer.pk) == Decimal("1727.00")
    again = spot_bill(consumer=consumer, period="2026-11", by=reader)
    assert not again.created and again.bill.pk == bill.pk
    assert Bill.objects.filter(consumer=consumer).count() == 1
    assert LedgerEntry.objects.filter(consumer=consumer, entry_type=EntryType.BILL).count() == 1
    # a bill run of the same period afterwards skips the account
    run = runs.bill_run(cycle_code="2026-11", office=billing_office)
    assert Bill.objects.filter(consumer=consumer).count() == 1 and run.skipped >= 1


def test_the_device_input_gives_the_server_bill(billing_office, reader):
    consumer = metered_consumer(billing_office, serial="SP2", history=HISTORY)
    inputs = device_bill_inputs([consumer], "2026-11")[consumer.pk]
    assert "tariffs" not in inputs and "units" not in inputs and "kvah" not in inputs
    device = compute_bill(
        BillInput.from_dict({**inputs, "tariffs": tariffs_for_device(), "units": "250"})
    ).to_dict()
    reading_record(consumer=consumer, reading_date=READ_ON, kwh=Decimal("850"), source="spot", by=reader)
    bill = spot_bill(consumer=consumer, period="2026-11", by=reader).bill
    assert bill_differences(bill, device) == []
    device["payable"] = "1728.00"
    device["lines"][0]["amount"] = "826.00"
    differences = bill_differences(bill, device)
    [line_one] = [d for d in differences if d.get("line") == 1]
    assert line_one["device"]["amount"] == "826.00" and line_one["server"]["amount"] == "825.00"
    assert {"field": "payable", "server": "1727.00", "device": "1728.00"} in differences


def test_spot_bill_needs_a_reader_of_the_office(billing_office, two_subdivisions):
    consumer = metered_consumer(billing_office, serial="SP3", history=HISTORY)
    other = UserFactory(username="mr_b", role=Role.METER_READER, office=two_subdivisions["dc_b"])
    with pytest.raises(PermissionDenied):
        spot_bill(consumer=consumer, period="2026-11", by=other)
    cashier = UserFactory(username="cash_a", role=Role.CASHIER, office=two_subdivisions["sub_a"])
    with pytest.raises(PermissionDenied):
        spot_bill(consumer=consumer, period="2026-11", by=cashier)
    assert not Bill.objects.filter(consumer=consumer).exists()
