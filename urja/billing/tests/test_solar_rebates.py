"""Rooftop solar, late-bill rebate and duty exemptions through a bill run (compute.py's hooks)."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from urja.billing import runs, services
from urja.billing.models import Bill, BillCycle
from urja.customers.services import consumer_update
from urja.metering.models import Meter, MeterInstallation
from urja.metering.services import reading_record
from urja.testing import ConsumerFactory

pytestmark = pytest.mark.django_db

HISTORY = [  # (day, import kWh register, export kWh register)
    (datetime.date(2026, 3, 31), 0, 0),
    (datetime.date(2026, 4, 30), 200, 20),
    (datetime.date(2026, 5, 31), 400, 40),
    (datetime.date(2026, 6, 30), 600, 60),
]


def solar_consumer(office, *, scheme="net", serial="S1", history=HISTORY):
    consumer = ConsumerFactory(
        office=office, solar_scheme=scheme, solar_capacity_kw=Decimal("3"), sanctioned_load=Decimal("2")
    )
    meter = Meter.objects.create(serial=serial, digits=6)
    MeterInstallation.objects.create(
        consumer=consumer, meter=meter, installed_on=datetime.date(2015, 4, 1), initial_reading=Decimal("0")
    )
    for day, kwh, export in history:
        read(consumer, day, kwh, export)
    return consumer


def read(consumer, day, kwh, export):
    return reading_record(
        consumer=consumer, reading_date=day, kwh=Decimal(kwh), export_kwh=Decimal(export), source="manual"
    )


def lines(bill, head):
    return [line for line in bill.lines if line["head"] == head]


def test_export_register_gives_export_units_since_the_last_reading(billing_office):
    consumer = solar_consumer(billing_office)
    reading = read(consumer, datetime.date(2026, 7, 31), 750, 260)
    assert (reading.units, reading.export_units) == (Decimal("150"), Decimal("200"))


def test_a_connection_without_solar_has_no_export_register(billing_office):
    consumer = ConsumerFactory(office=billing_office)
    meter = Meter.objects.create(serial="N1", digits=6)
    MeterInstallation.objects.create(consumer=consumer, meter=meter, installed_on=datetime.date(2015, 4, 1))
    with pytest.raises(ValidationError) as error:
        read(consumer, datetime.date(2026, 7, 31), 100, 5)
    assert "export_kwh" in error.value.message_dict


def test_net_metering_banks_a_surplus_and_the_next_bill_uses_it(billing_office):
    consumer = solar_consumer(billing_office)
    read(consumer, datetime.date(2026, 7, 31), 750, 260)  # import 150, export 200: 50 banked
    runs.bill_run(cycle_code="2026-07", office=billing_office)
    july = Bill.objects.get(consumer=consumer, period="2026-07")
    assert (july.units, july.export_units, july.banked_units) == (
        Decimal("150"),
        Decimal("200"),
        Decimal("50"),
    )
    assert july.energy_charge == Decimal("0.00") and july.payable == Decimal("231.00")  # fixed 220 + duty 11
    read(consumer, datetime.date(2026, 8, 31), 950, 340)  # import 200, export 80, 50 banked: 70 billed
    runs.bill_run(cycle_code="2026-08", office=billing_office)
    august = Bill.objects.get(consumer=consumer, period="2026-08")
    assert august.banked_units == Decimal("0")
    assert august.energy_charge == Decimal("385.00")  # 70 x 5.50
    (netting,) = lines(august, "solar_net_metering")
    assert netting["params"]["banked_before"] == "50"
    # current charges 385 + 220 + duty 30.25 = 635.25 -> 635.00, on top of July's 231.00 arrears
    assert august.current_charges == Decimal("635.00")


def test_a_new_settlement_year_starts_with_nothing_banked(billing_office):
    march = [
        (datetime.date(2026, 1, 31), 0, 0),
        (datetime.date(2026, 2, 28), 100, 50),
    ]
    consumer = solar_consumer(billing_office, history=march)
    read(consumer, datetime.date(2026, 3, 31), 200, 200)  # import 100, export 150: 50 banked at year end
    runs.bill_run(cycle_code="2026-03", office=billing_office)
    assert Bill.objects.get(consumer=consumer, period="2026-03").banked_units == Decimal("50")
    read(consumer, datetime.date(2026, 4, 30), 300, 220)  # import 100, export 20
    runs.bill_run(cycle_code="2026-04", office=billing_office)
    april = Bill.objects.get(consumer=consumer, period="2026-04")
    assert april.energy_charge == Decimal("440.00")  # 80 x 5.50: March's 50 are settled, not carried


def test_gross_metering_without_a_feed_in_rate_is_held(billing_office):
    consumer = solar_consumer(billing_office, scheme="gross")
    read(consumer, datetime.date(2026, 7, 31), 750, 260)
    runs.bill_run(cycle_code="2026-07", office=billing_office)
    bill = Bill.objects.get(consumer=consumer)
    assert bill.status == "held" and any("feed-in rate" in note for note in bill.notes)


def test_gross_metering_credits_all_export_at_the_feed_in_rate(billing_office, settings):
    settings.URJA_BILLING = {**settings.URJA_BILLING, "SOLAR_FEED_IN_RATE": "3.00"}
    consumer = solar_consumer(billing_office, scheme="gross")
    read(consumer, datetime.date(2026, 7, 31), 850, 260)  # import 250, export 200
    runs.bill_run(cycle_code="2026-07", office=billing_office)
    bill = Bill.objects.get(consumer=consumer)
    assert bill.units == Decimal("250") and bill.energy_charge == Decimal("1425.00")
    assert bill.solar_credit == Decimal("-600.00")
    assert bill.payable == Decimal("1127.00")  # 1727.25 - 600.00 = 1127.25


def test_a_bill_issued_sixty_days_or_more_after_its_period_gets_the_rebate(billing_office):
    consumer = ConsumerFactory(office=billing_office)
    meter = Meter.objects.create(serial="L1", digits=6)
    MeterInstallation.objects.create(consumer=consumer, meter=meter, installed_on=datetime.date(2015, 4, 1))
    for day, value in [(datetime.date(2026, 6, 30), 600), (datetime.date(2026, 7, 31), 850)]:
        reading_record(consumer=consumer, reading_date=day, kwh=Decimal(value), source="manual")
    BillCycle.objects.create(
        code="2026-07",
        period_start=datetime.date(2026, 7, 1),
        period_end=datetime.date(2026, 7, 31),
        issue_date=datetime.date(2026, 9, 29),  # 60 days after the period ends
        due_date=datetime.date(2026, 10, 14),
    )
    runs.bill_run(cycle_code="2026-07", office=billing_office)
    bill = Bill.objects.get(consumer=consumer)
    (rebate,) = lines(bill, "late_bill_rebate")
    assert rebate["amount"] == "-34.55" and rebate["params"]["days"] == "60"  # 2% of 1727.25
    assert bill.late_rebate == Decimal("-34.55") and bill.payable == Decimal("1693.00")


def test_a_bill_issued_on_time_gets_no_rebate(billing_office):
    consumer = solar_consumer(billing_office)
    read(consumer, datetime.date(2026, 7, 31), 850, 60)
    runs.bill_run(cycle_code="2026-07", office=billing_office)
    assert not lines(Bill.objects.get(consumer=consumer), "late_bill_rebate")


def test_a_duty_exempt_consumer_is_billed_without_duty_and_the_exemption_is_in_its_history(
    billing_office, two_subdivisions
):
    consumer = solar_consumer(billing_office, scheme="net")
    sdo = two_subdivisions["sdo_a"]
    rows = consumer_update(
        consumer=consumer,
        by=sdo,
        reason="Exempt by GO 45/2026",
        duty_exempt_percent=Decimal("100"),
        duty_exemption_order="GO 45/2026",
    )
    assert {row.field for row in rows} == {"duty_exempt_percent", "duty_exemption_order"}
    assert all(row.changed_by == sdo and row.reason == "Exempt by GO 45/2026" for row in rows)
    read(consumer, datetime.date(2026, 7, 31), 850, 60)  # 250 import - 0 export (60 - 60) = 250
    runs.bill_run(cycle_code="2026-07", office=billing_office)
    bill = Bill.objects.get(consumer=consumer)
    assert bill.electricity_duty == Decimal("0.00") and bill.payable == Decimal("1645.00")
    assert any("GO 45/2026" in note for note in bill.notes)


def test_an_exemption_needs_its_order(billing_office, two_subdivisions):
    consumer = ConsumerFactory(office=billing_office)
    with pytest.raises(ValidationError):
        consumer_update(consumer=consumer, by=two_subdivisions["sdo_a"], duty_exempt_percent=Decimal("100"))


def test_a_solar_scheme_needs_the_plant_capacity(billing_office, two_subdivisions):
    consumer = ConsumerFactory(office=billing_office)
    with pytest.raises(ValidationError):
        consumer_update(consumer=consumer, by=two_subdivisions["sdo_a"], solar_scheme="net")


def test_a_revision_of_a_net_metering_bill_nets_again(billing_office, two_subdivisions):
    consumer = solar_consumer(billing_office)
    read(consumer, datetime.date(2026, 7, 31), 750, 260)
    runs.bill_run(cycle_code="2026-07", office=billing_office)
    read(consumer, datetime.date(2026, 8, 31), 950, 340)
    runs.bill_run(cycle_code="2026-08", office=billing_office)
    august = Bill.objects.get(consumer=consumer, period="2026-08")
    services.bill_revision_request(
        bill=august, by=two_subdivisions["sdo_a"], reason="register misread", units=Decimal("210")
    )
    revised = Bill.objects.get(consumer=consumer, period="2026-08", status="issued")
    assert revised.energy_charge == Decimal("440.00")  # 210 - 80 export - 50 banked = 80 x 5.50
