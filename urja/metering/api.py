"""Meter readings over the API: the spot-billing handheld and AMR imports post here."""

import datetime
from decimal import Decimal
from typing import Annotated

from ninja import Router, Schema, Status
from ninja.pagination import paginate
from pydantic import Field

from urja.api.auth import StaffTokenAuth
from urja.api.fields import InputDate
from urja.api.pagination import LimitOffset
from urja.customers.selectors import consumer_get

from . import selectors, services
from .choices import ReadingSource, ReadingStatus, TodUnit

router = Router(tags=["metering"], auth=StaffTokenAuth())


class ReadingIn(Schema):
    reading_date: InputDate
    status: ReadingStatus = ReadingStatus.OK
    source: ReadingSource
    kwh: Decimal | None = Field(default=None, max_digits=12, decimal_places=2)
    kvah: Decimal | None = Field(default=None, max_digits=12, decimal_places=2)
    max_demand: Decimal | None = Field(default=None, max_digits=9, decimal_places=2)
    latitude: Decimal | None = Field(default=None, max_digits=9, decimal_places=6)
    longitude: Decimal | None = Field(default=None, max_digits=9, decimal_places=6)
    remarks: str = Field(default="", max_length=255)
    # A TOD meter's slot registers, by the tariff's slot names: {"offpeak": "1234.50", "peak": "99.00"}.
    tod_registers: dict[str, Annotated[Decimal, Field(max_digits=12, decimal_places=2)]] | None = Field(
        default=None, max_length=8
    )
    tod_unit: TodUnit = TodUnit.KWH
    export_kwh: Decimal | None = Field(default=None, max_digits=12, decimal_places=2)


class ReadingOut(Schema):
    id: int
    account_number: str
    meter_serial: str | None
    reading_date: datetime.date
    status: str
    status_display: str
    source: str
    kwh: Decimal | None
    kvah: Decimal | None
    max_demand: Decimal | None
    units: Decimal | None
    kvah_units: Decimal | None
    export_kwh: Decimal | None = None
    export_units: Decimal | None = None
    units_since: datetime.date | None
    previous_kwh: Decimal | None
    rolled_over: bool
    meter_changed: bool
    latitude: Decimal | None
    longitude: Decimal | None
    remarks: str
    recorded_by: str | None
    created_at: datetime.datetime
    tod_registers: dict[str, Decimal]
    tod_unit: str
    tod_units: dict[str, Decimal]

    @staticmethod
    def resolve_meter_serial(obj) -> str | None:
        return obj.meter.serial if obj.meter_id else None

    @staticmethod
    def resolve_status_display(obj) -> str:
        return str(obj.get_status_display())

    @staticmethod
    def resolve_recorded_by(obj) -> str | None:
        return obj.recorded_by.username if obj.recorded_by_id else None


@router.post(
    "/consumers/{account_number}/readings",
    response={201: ReadingOut},
    summary="Record a meter reading",
)
def reading_create(request, account_number: str, payload: ReadingIn):
    """Record a reading. The response carries the units computed since the previous valid reading and
    the status, which the service may have raised to RDF (register went backwards), ADF (unchanged) or
    CDF (consumption above 800 kWh per kW per month)."""
    consumer = consumer_get(principal=request.principal, account_number=account_number)
    reading = services.reading_record(consumer=consumer, by=request.principal, **payload.dict())
    return Status(201, reading)


@router.get(
    "/consumers/{account_number}/readings",
    response=list[ReadingOut],
    summary="A consumer's readings, latest first",
)
@paginate(LimitOffset)
def reading_list(request, account_number: str):
    consumer = consumer_get(principal=request.principal, account_number=account_number)
    return selectors.readings_for_consumer(consumer)
