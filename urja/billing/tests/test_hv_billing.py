"""An HV consumer billed by a run: the reading's MD and TOD units reach the engine (urja.billing.compute),
and a provisional bill has no recorded demand."""

import datetime
from decimal import Decimal

import pytest

from urja.billing import runs
from urja.billing.compute import supply_kv
from urja.billing.models import Bill
from urja.metering.models import Meter, MeterInstallation
from urja.metering.services import reading_record
from urja.testing import ConsumerFactory

pytestmark = pytest.mark.django_db
D = Decimal
JUNE, JULY = datetime.date(2026, 6, 30), datetime.date(2026, 7, 31)


def hv_consumer(office):
    consumer = ConsumerFactory(
        office=office,
        category="HV2-11KV",
        sanctioned_load=D("1000"),
        load_unit="kVA",
        supply_voltage="11kV",
        phase=3,
        connection_date=datetime.date(2015, 4, 1),
    )
    meter = Meter.objects.create(serial="HV1", digits=7, has_kvah=True)
    MeterInstallation.objects.create(consumer=consumer, meter=meter, installed_on=datetime.date(2015, 4, 1))
    for day, kwh, kvah, tod in (
        (datetime.date(2026, 3, 31), 0, 0, (0, 0, 0)),
        (datetime.date(2026, 4, 30), 90000, 100000, (30000, 50000, 20000)),
        (datetime.date(2026, 5, 31), 180000, 200000, (60000, 100000, 40000)),
        (JUNE, 270000, 300000, (90000, 150000, 60000)),
    ):
        read(consumer, day, kwh, kvah, tod)
    return consumer


def read(consumer, day, kwh, kvah, tod, md=None):
    return reading_record(
        consumer=consumer,
        reading_date=day,
        kwh=D(kwh),
        kvah=D(kvah),
        max_demand=None if md is None else D(md),
        source="amr",
        tod_registers=dict(zip(("offpeak", "normal", "peak"), map(D, tod), strict=True)),
        tod_unit="kVAh",
    )


@pytest.fixture
def office(two_subdivisions, tariffs):
    return two_subdivisions["dc_a"]


def test_an_hv_bill_carries_demand_and_tod_from_the_reading(office):
    consumer = hv_consumer(office)
    read(consumer, JULY, 360000, 400000, (120000, 200000, 80000), md="800")
    runs.bill_run(cycle_code="2026-07", office=office)
    bill = Bill.objects.get(consumer=consumer)
    heads = {line["head"]: line for line in bill.lines}
    # 100000 kVAh x 7.10 = 710000.00; TOD -31950.00 (off-peak 30%, -15%) + 21300.00 (peak 20%, +15%);
    # demand 800 kVA x 300 = 240000.00; duty 7.5% of 939350.00 = 70451.25; total 1009801.25
    assert (bill.kvah, bill.energy_charge, bill.fixed_charge) == (D("100000"), D("710000.00"), D("0.00"))
    assert heads["demand"]["amount"] == "240000.00" and heads["demand"]["params"]["md_kva"] == "800"
    assert [line["amount"] for line in bill.lines if line["head"] == "tod"] == ["-31950.00", "21300.00"]
    assert bill.electricity_duty == D("70451.25")
    assert bill.payable == D("1009801.00")


def test_a_provisional_hv_bill_is_priced_on_contracted_demand(office):
    consumer = hv_consumer(office)
    runs.bill_run(cycle_code="2026-07", office=office)  # no July reading: provisional
    bill = Bill.objects.get(consumer=consumer)
    demand = next(line for line in bill.lines if line["head"] == "demand")
    assert bill.basis == "PROV"
    assert demand["amount"] == "300000.00" and "no MD recorded" in demand["description"]
    assert not any(line["head"] == "tod" for line in bill.lines)


@pytest.mark.parametrize(("code", "kv"), [("11kV", D("11")), ("132kV", D("132")), ("415V", D("0.415"))])
def test_supply_voltage_codes_in_kv(code, kv):
    assert supply_kv(code) == kv
