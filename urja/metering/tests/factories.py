"""Meters and installations for the metering tests (consumers come from urja.testing)."""

import datetime
import itertools
from decimal import Decimal

from urja.metering.models import Meter, MeterInstallation

_serials = itertools.count(1)


def make_meter(*, digits: int = 6, ct_ratio: str = "1", has_kvah: bool = False, office=None) -> Meter:
    return Meter.objects.create(
        serial=f"MTR{next(_serials):06d}",
        digits=digits,
        ct_ratio=Decimal(ct_ratio),
        has_kvah=has_kvah,
        office=office,
    )


def install(consumer, meter: Meter, on: datetime.date, initial: str = "0") -> MeterInstallation:
    return MeterInstallation.objects.create(
        consumer=consumer, meter=meter, installed_on=on, initial_reading=Decimal(initial)
    )


def days(n: int) -> datetime.timedelta:
    return datetime.timedelta(days=n)
