import datetime
from decimal import Decimal

import pytest

from urja.billing.models import BillGroup
from urja.helpdesk.models import Category, TheftRate
from urja.helpdesk.seed import seed_helpdesk
from urja.metering.choices import ReadingSource
from urja.metering.models import Meter
from urja.metering.services import meter_install, reading_record
from urja.testing import ConsumerFactory

PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 64


@pytest.fixture
def helpdesk_categories(db):
    seed_helpdesk(Category, TheftRate)
    return {c.code: c for c in Category.objects.all()}


@pytest.fixture
def reader(two_subdivisions):
    """A 2 kW domestic account of DC-A read monthly (150 units a month), reading day 1."""
    consumer = ConsumerFactory(
        office=two_subdivisions["dc_a"], sanctioned_load=Decimal("2"), mobile="9811111111"
    )
    BillGroup.objects.create(code="G-DC-A", office=consumer.office, reading_day=1)
    meter = Meter.objects.create(serial=f"PR-{consumer.pk}", digits=6)
    meter_install(
        consumer=consumer, meter=meter, installed_on=datetime.date(2026, 6, 1), initial_reading=Decimal(0)
    )
    value = Decimal(0)
    for month in (7, 8, 9, 10, 11):
        value += Decimal(150)
        reading_record(consumer=consumer, reading_date=datetime.date(2026, month, 1), kwh=value,
                       source=ReadingSource.SPOT)  # fmt: skip
    return consumer
