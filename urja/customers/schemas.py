from datetime import date, datetime
from decimal import Decimal

from ninja import Schema


class ConsumerListOut(Schema):
    account_number: str
    name: str
    name_hi: str
    village_town: str
    district: str
    area_type: str
    category: str
    status: str
    mobile_masked: str
    office_code: str

    @staticmethod
    def resolve_office_code(obj) -> str:
        return obj.office.code


class ConsumerChangeOut(Schema):
    changed_at: datetime
    changed_by: str | None
    source: str
    field: str
    old_value: str
    new_value: str
    reason: str

    @staticmethod
    def resolve_changed_by(obj) -> str | None:
        return obj.changed_by.username if obj.changed_by_id else None


class ConsumerDetailOut(ConsumerListOut):
    father_husband_name: str
    address: str
    pincode: str
    sanctioned_load: Decimal
    load_unit: str
    phase: int
    supply_voltage: str
    connection_date: date
    security_deposit: Decimal
    solar_scheme: str
    solar_capacity_kw: Decimal | None
    duty_exempt_percent: Decimal
    duty_exemption_order: str
    is_metered: bool
    kyc_document: str
    kyc_number_masked: str
    dt_code: str | None
    feeder_code: str | None
    latitude: Decimal | None
    longitude: Decimal | None
    meter_serial: str | None

    @staticmethod
    def resolve_dt_code(obj) -> str | None:
        return obj.dt.code if obj.dt_id else None

    @staticmethod
    def resolve_feeder_code(obj) -> str | None:
        return obj.dt.feeder.code if obj.dt_id else None

    @staticmethod
    def resolve_meter_serial(obj) -> str | None:
        from .selectors import current_meter

        meter = current_meter(obj)
        return meter.serial if meter else None
