"""The rate schedule's rules for provisional bills, assessments and their true-up, through bill runs.

The fixture consumer is LMV1-URBAN, 2 kW, read 0 / 200 / 400 / 600 at the ends of March-June 2026
(200 units a month). LMV1-URBAN: 0-150 @ 5.50, 151-300 @ 6.00, above 300 @ 6.50; fixed Rs 110/kW;
duty 5%; no FPPAS in these months.
"""

import datetime
from decimal import Decimal

import pytest

from urja.billing import runs
from urja.billing.models import Bill
from urja.metering.models import Meter
from urja.metering.services import meter_replace, reading_record
from urja.tariffs.models import NormativeUsage

from .conftest import metered_consumer

pytestmark = pytest.mark.django_db

JUL, AUG, SEP, OCT = (datetime.date(2026, m, d) for m, d in ((7, 31), (8, 31), (9, 30), (10, 31)))


def read(consumer, value, day, status="OK"):
    kwargs = {"kwh": Decimal(value)} if value is not None else {}
    return reading_record(consumer=consumer, reading_date=day, status=status, source="manual", **kwargs)


def bill_for(consumer, period):
    return Bill.objects.get(consumer=consumer, period=period)


def test_a_new_meter_after_defective_months_gets_an_ordinary_bill(billing_office):
    """Three IDF assessments, then a new meter's first reading of 150 units: an ordinary bill of
    150 x 5.50 = 825.00 + fixed 220.00 + duty 5% of 1,045.00 = 52.25 -> 1,097.25, no true-up credit
    (the old engine trued up the assessments: a payable of -1,502.00)."""
    a = metered_consumer(billing_office, serial="OLD")
    for day, code in ((JUL, "2026-07"), (AUG, "2026-08"), (SEP, "2026-09")):
        read(a, None, day, status="IDF")
        runs.bill_run(cycle_code=code)
        assert bill_for(a, code).basis == "ASS"
    new = Meter.objects.create(serial="NEW", digits=6)
    meter_replace(
        consumer=a, new_meter=new, replaced_on=datetime.date(2026, 10, 1), final_reading=Decimal("600")
    )
    read(a, 150, OCT)
    runs.bill_run(cycle_code="2026-10")
    oct_bill = bill_for(a, "2026-10")
    assert oct_bill.basis == "MU" and oct_bill.units == Decimal("150")
    assert oct_bill.true_up_units == 0 and oct_bill.true_up == 0
    charges = (oct_bill.energy_charge, oct_bill.fixed_charge, oct_bill.electricity_duty)
    assert charges == (Decimal("825.00"), Decimal("220.00"), Decimal("52.25"))
    assert oct_bill.current_charges == Decimal("1097.00")  # 1,097.25 rounded to the rupee


def test_an_actual_reading_after_an_idf_assessment_is_not_trued_up(billing_office):
    a = metered_consumer(billing_office, serial="M1")
    read(a, None, JUL, status="IDF")
    runs.bill_run(cycle_code="2026-07")
    read(a, 850, AUG)  # the register moved 250 since June (the meter recovered)
    runs.bill_run(cycle_code="2026-08")
    aug = bill_for(a, "2026-08")
    assert aug.units == Decimal("250") and aug.true_up_units == 0


def test_a_true_up_re_bills_each_provisional_month_on_its_own_slabs(billing_office):
    """Two provisional months (NA, 200 units each), then 900 units read over July-September. Shared by
    days (31, 31, 30): July 303, August 304, September 293.
    July re-billed: E(303) - E(200) = (825 + 900 + 3 x 6.50) - (825 + 50 x 6.00) = 1,744.50 - 1,125.00
    = 619.50; August: E(304) - E(200) = 1,751.00 - 1,125.00 = 626.00; true-up 1,245.50.
    Stacked on September's slabs (the old rule) it was E(300 + 200) - E(300) = 200 x 6.50 = 1,300.00."""
    a = metered_consumer(billing_office, serial="M1")
    for day, code in ((JUL, "2026-07"), (AUG, "2026-08")):
        read(a, None, day, status="NA")
        runs.bill_run(cycle_code=code)
        assert bill_for(a, code).basis == "PROV" and bill_for(a, code).units == Decimal("200")
    read(a, 1500, SEP)
    runs.bill_run(cycle_code="2026-09")
    sep = bill_for(a, "2026-09")
    assert sep.basis == "MU" and sep.units == Decimal("293")
    assert sep.true_up_units == Decimal("207")
    assert sep.true_up == Decimal("1245.50")
    lines = [line for line in sep.lines if line["head"] == "provisional_true_up"]
    assert [line["amount"] for line in lines] == ["619.50", "626.00"]
    assert [line["params"]["start"] for line in lines] == ["2026-07-01", "2026-08-01"]
    # September itself: 150 x 5.50 + 143 x 6.00 = 1,683.00 energy.
    assert sep.energy_charge == Decimal("1683.00")


def test_a_revision_prices_the_true_up_the_same_way(billing_office, two_subdivisions):
    from urja.billing import services

    a = metered_consumer(billing_office, serial="M1")
    for day, code in ((JUL, "2026-07"), (AUG, "2026-08")):
        read(a, None, day, status="NA")
        runs.bill_run(cycle_code=code)
    read(a, 1500, SEP)
    runs.bill_run(cycle_code="2026-09")
    sep = bill_for(a, "2026-09")
    sdo = two_subdivisions["sdo_a"]
    revision = services.bill_revision_request(bill=sep, by=sdo, reason="tariff order applied", units=None)
    revised = Bill.objects.get(pk=revision.new_bill_id)
    assert revised.true_up == Decimal("1245.50") and revised.payable == sep.payable
    assert revised.true_up_periods == sep.true_up_periods


@pytest.mark.parametrize("months_defective", [3])
def test_the_fourth_defective_month_is_assessed_on_normative_units(billing_office, months_defective):
    """Assessed on the 200-unit average while the meter is defective up to 3 months; the next on the
    normative units held as data (here 150 units per kW per month x 2 kW = 300)."""
    NormativeUsage.objects.update_or_create(
        category="LMV1-URBAN", upto_load=None, defaults={"units_per_load": Decimal("150"), "source": "test"}
    )
    a = metered_consumer(billing_office, serial="M1")
    days = [JUL, AUG, SEP, OCT]
    for day in days:
        read(a, None, day, status="IDF")
        runs.bill_run(cycle_code=f"{day:%Y-%m}")
    units = [bill_for(a, f"{day:%Y-%m}").units for day in days]
    assert units == [Decimal("200")] * months_defective + [Decimal("300")]
    assert bill_for(a, "2026-10").flag_assessment


def test_kvah_below_kwh_is_held_as_defective(billing_office):
    history = [
        (datetime.date(2026, 3, 31), 0),
        (datetime.date(2026, 4, 30), 700),
        (datetime.date(2026, 5, 31), 1400),
    ]
    a = metered_consumer(billing_office, serial="M1", category="LMV6", load="15", history=history)
    Meter.objects.filter(serial="M1").update(has_kvah=True)
    june = datetime.date(2026, 6, 30)
    reading_record(consumer=a, reading_date=june, kwh=Decimal("2100"), kvah=Decimal("2300"), source="manual")
    reading_record(consumer=a, reading_date=JUL, kwh=Decimal("2800"), kvah=Decimal("2450"), source="manual")
    runs.bill_run(cycle_code="2026-07")
    bill = bill_for(a, "2026-07")
    assert bill.status == "held" and "KVAH" in bill.hold_reason_list
    assert bill.kvah is None  # computed on kWh for the reviewer, not on the impossible kVAh
