import datetime
from decimal import Decimal

import pytest

from urja.metering.models import Meter, MeterInstallation
from urja.metering.services import reading_record
from urja.testing import ConsumerFactory

HISTORY = [
    (datetime.date(2026, 3, 31), 0),
    (datetime.date(2026, 4, 30), 200),
    (datetime.date(2026, 5, 31), 400),
    (datetime.date(2026, 6, 30), 600),
]


def metered_consumer(
    office, *, serial, history=HISTORY, category="LMV1-URBAN", load="2", connection=datetime.date(2015, 4, 1)
):
    consumer = ConsumerFactory(
        office=office, category=category, sanctioned_load=Decimal(load), connection_date=connection
    )
    meter = Meter.objects.create(serial=serial, digits=6)
    MeterInstallation.objects.create(
        consumer=consumer, meter=meter, installed_on=connection, initial_reading=Decimal("0")
    )
    for day, value in history:
        reading_record(consumer=consumer, reading_date=day, kwh=Decimal(value), source="manual")
    return consumer


@pytest.fixture
def billing_office(two_subdivisions):
    return two_subdivisions["dc_a"]
