"""Billing of a temporarily disconnected (TD) account (decision 0045): the disconnection's reading
closes the energy up to the cut; while the supply is off the account is billed its fixed (demand)
charges only, with no energy and no minimum-charge top-up, until reconnection or permanent
disconnection. ``URJA_BILLING["DISCONNECTED_FIXED_CHARGES"] = False`` leaves TD accounts out."""

import datetime
from decimal import Decimal

import pytest

from urja.billing import runs
from urja.billing.models import Bill
from urja.billing.tests.conftest import metered_consumer
from urja.connections.disconnection import notice_serve, orders_issue
from urja.customers.choices import ConsumerStatus
from urja.ledger import services as ledger
from urja.ledger.choices import EntryType
from urja.ledger.selectors import balance
from urja.metering.choices import ReadingSource
from urja.metering.models import Reading
from urja.testing import ConsumerFactory
from urja.workflow.services import WorkOrderRefused, work_order_complete

D = Decimal


def _debit(consumer, amount="3000.00"):
    return ledger.entry_post(
        consumer=consumer,
        entry_type=EntryType.BILL,
        amount=D(amount),
        entry_date=datetime.date(2026, 9, 30),
        due_date=datetime.date(2026, 10, 15),
        period="2026-09",
        description="Bill 2026-09",
    )


@pytest.fixture
def metered(two_subdivisions, tariffs):
    office = two_subdivisions["dc_a"]
    c = metered_consumer(
        office,
        serial="TDM1",
        history=[(datetime.date(2026, 10, 31), 1000), (datetime.date(2026, 11, 30), 1200)],
    )
    _debit(c)
    return c


def _disconnect(consumer, je, value="1290"):
    notice_serve(consumer, by=je, on=datetime.date(2026, 11, 30))
    [order] = orders_issue()
    return work_order_complete(
        order, by=je, key="td-1", result={"readings": [{"register": "kwh", "value": value}]}
    )


@pytest.mark.clock("2026-12-16T11:00+05:30")
def test_the_disconnection_reading_is_recorded_as_the_meters_reading(metered, two_subdivisions):
    order = _disconnect(metered, two_subdivisions["je_a"])
    metered.refresh_from_db()
    assert metered.status == ConsumerStatus.TEMP_DISCONNECTED
    reading = Reading.objects.filter(consumer=metered).latest("reading_date", "id")
    assert reading.reading_date == datetime.date(2026, 12, 16)
    assert reading.kwh == D("1290") and reading.units == D("90")
    assert reading.source == ReadingSource.WORK_ORDER
    assert order.reference in reading.remarks


@pytest.mark.clock("2026-12-16T11:00+05:30")
def test_a_disconnection_reading_the_meter_cannot_show_is_refused(metered, two_subdivisions):
    with pytest.raises(WorkOrderRefused):
        _disconnect(metered, two_subdivisions["je_a"], value="12345678")
    metered.refresh_from_db()
    assert metered.status == ConsumerStatus.ACTIVE
    assert not Reading.objects.filter(consumer=metered, source=ReadingSource.WORK_ORDER).exists()


@pytest.mark.clock("2026-12-16T11:00+05:30")
def test_the_month_of_the_cut_bills_energy_to_the_cut(metered, two_subdivisions):
    _disconnect(metered, two_subdivisions["je_a"])
    runs.bill_run(cycle_code="2026-12", office=two_subdivisions["dc_a"])
    bill = Bill.objects.get(consumer=metered, period="2026-12")
    assert bill.basis == "MU" and bill.units == D("90")
    assert bill.energy_charge > 0 and bill.fixed_charge > 0


def test_a_month_wholly_disconnected_bills_fixed_charges_only(two_subdivisions, tariffs):
    office = two_subdivisions["dc_a"]
    c = metered_consumer(office, serial="TDM2", category="LMV2-URBAN", load="3")
    c.status = ConsumerStatus.TEMP_DISCONNECTED
    c.save()
    runs.bill_run(cycle_code="2026-07", office=office)
    bill = Bill.objects.get(consumer=c)
    assert bill.units == 0 and bill.energy_charge == 0
    assert bill.fixed_charge > 0
    heads = {line["head"] for line in bill.lines}
    assert "minimum_charge_topup" not in heads and "energy" not in heads
    assert bill.status == "issued"
    assert any("disconnected" in note.lower() for note in bill.notes)
    assert balance(c.pk) == bill.payable  # what the ledger holds is what the bill asks


def test_the_rule_can_be_turned_off(two_subdivisions, tariffs, settings):
    settings.URJA_BILLING = {**settings.URJA_BILLING, "DISCONNECTED_FIXED_CHARGES": False}
    office = two_subdivisions["dc_a"]
    c = metered_consumer(office, serial="TDM3")
    c.status = ConsumerStatus.TEMP_DISCONNECTED
    c.save()
    runs.bill_run(cycle_code="2026-07", office=office)
    assert not Bill.objects.filter(consumer=c).exists()


def test_an_unmetered_disconnected_account_is_not_billed(two_subdivisions, tariffs):
    office = two_subdivisions["dc_a"]
    c = ConsumerFactory(
        office=office,
        category="LMV1-RURAL-UM",
        sanctioned_load=D("1"),
        connection_date=datetime.date(2015, 4, 1),
        status=ConsumerStatus.TEMP_DISCONNECTED,
    )
    runs.bill_run(cycle_code="2026-07", office=office)
    assert not Bill.objects.filter(consumer=c).exists()


def test_permanently_disconnected_accounts_are_never_billed(two_subdivisions, tariffs):
    office = two_subdivisions["dc_a"]
    c = metered_consumer(office, serial="TDM4")
    c.status = ConsumerStatus.PERM_DISCONNECTED
    c.save()
    runs.bill_run(cycle_code="2026-07", office=office)
    assert not Bill.objects.filter(consumer=c).exists()
