import datetime
from decimal import Decimal as D

import pytest

from urja.billing.models import Bill
from urja.metering.models import Meter, MeterInstallation, Reading
from urja.network.models import DistributionTransformer
from urja.testing import ConsumerFactory, TransformerFactory

PERIOD = "2026-10"
HISTORY = ("2026-04", "2026-05", "2026-06", "2026-07", "2026-08", "2026-09")


def bill(consumer, period, units):
    year, month = (int(p) for p in period.split("-"))
    start = datetime.date(year, month, 1)
    end = start + datetime.timedelta(days=27)
    return Bill.objects.create(
        consumer=consumer, period=period, period_start=start, period_end=end,
        bill_number=f"{period[2:4]}{period[5:]}{consumer.account_number}", status="issued", basis="MU",
        category=consumer.category, sanctioned_load=consumer.sanctioned_load, load_unit=consumer.load_unit,
        units=D(units), reading_status="OK", energy_charge=D("100"), fixed_charge=D("0"), subsidy=D("0"),
        current_charges=D("100"), payable=D("100"), payable_after_due=D("100"), lines=[], issue_date=end,
        due_date=end + datetime.timedelta(days=15),
    )  # fmt: skip


def meter(consumer):
    m = Meter.objects.create(serial=f"M{consumer.account_number}", office=consumer.office)
    MeterInstallation.objects.create(consumer=consumer, meter=m, installed_on=datetime.date(2020, 1, 1))
    return m


def reading(consumer, day, status="OK", source="manual", lat=None, lon=None):
    current = MeterInstallation.objects.filter(consumer=consumer, removed_on__isnull=True).first()
    return Reading.objects.create(
        meter=current.meter if current and status == "OK" else None, consumer=consumer, account_number=consumer.account_number, reading_date=day, status=status,
        source=source, latitude=lat, longitude=lon, kwh=D("100") if status == "OK" else None,
    )  # fmt: skip


def steady(office, *, history=200, now=200, metered=True, **kw):
    """A consumer billed `history` units in each of the six months before PERIOD and `now` in it."""
    consumer = ConsumerFactory(office=office, **kw)
    if metered:
        meter(consumer)
    for period in HISTORY:
        bill(consumer, period, history)
    if now is not None:
        bill(consumer, PERIOD, now)
    return consumer


@pytest.fixture
def rp(two_subdivisions):
    return dict(two_subdivisions)


@pytest.fixture
def dt_factory():
    def make(office) -> DistributionTransformer:
        return TransformerFactory(office=office)

    return make
