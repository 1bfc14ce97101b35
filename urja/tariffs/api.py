from datetime import date
from typing import Literal

from ninja import Field, Query, Router, Schema

from urja.api.auth import StaffTokenAuth
from urja.api.errors import ApiError
from urja.api.fields import InputDate

from .services import tariff_quote

router = Router(tags=["tariffs"], auth=StaffTokenAuth())


class QuoteParams(Schema):
    tariff: str = Field(..., description="Tariff category code, e.g. LMV1-URBAN", max_length=20)
    load: str = Field(..., description="Sanctioned load with unit: 2kW, 1.5kW, 12kVA, 7.5BHP", max_length=20)
    units: str | None = Field(None, description="Units (kWh); leave out for unmetered tariffs", max_length=20)
    kvah: str | None = Field(None, max_length=20)
    period_from: InputDate | None = Field(None, alias="from")
    period_to: InputDate | None = Field(None, alias="to")
    bill_date: InputDate | None = Field(
        None,
        description="The date the bill is raised; its month's FPPAS order applies. Default: the day "
        "after the period ends",
    )
    fppas: str | None = Field(
        None,
        description="FPPAS percent, negative in a rebate month; default the order for the bill month (an "
        "error when none is entered)",
        max_length=10,
    )
    prepaid: bool = False
    area: Literal["urban", "rural"] | None = Field(
        None,
        description="Where a lifeline consumer over the lifeline limits is billed: LMV1-URBAN or LMV1-RURAL",
    )
    md_kva: str | None = Field(
        None, description="Recorded maximum demand (kVA), demand-billed tariffs", max_length=20
    )
    power_factor: str | None = Field(None, description="Average power factor, e.g. 0.92", max_length=10)
    supply_kv: str | None = Field(None, description="Supply voltage in kV (voltage rebates)", max_length=10)
    tod: str | None = Field(
        None, description="TOD meter units by slot: peak=1200,normal=3000,offpeak=800", max_length=120
    )


class QuoteLine(Schema):
    head: str
    description: str
    amount: str


class QuoteOut(Schema):
    tariff: str
    category_billed: str
    units: str | None
    bill_month: str | None = Field(None, description="YYYY-MM the bill is raised in: its FPPAS order applies")
    lines: list[QuoteLine]
    energy_charge: str
    fixed_charge: str
    electricity_duty: str
    fppas: str
    demand_charge: str
    excess_demand: str
    tod: str
    power_factor_adjustment: str
    total: str
    payable: str


class TariffVersionOut(Schema):
    category: str
    label: str
    effective_from: date
    effective_to: date | None
    source: str
    schedule: dict


@router.get("/tariffs/quote", response=QuoteOut, summary="Price a bill")
def quote(request, params: Query[QuoteParams]):
    try:
        return tariff_quote(
            tariff=params.tariff,
            load=params.load,
            units=params.units,
            kvah=params.kvah,
            period_from=params.period_from,
            period_to=params.period_to,
            fppas=params.fppas,
            prepaid=params.prepaid,
            bill_date=params.bill_date,
            area=params.area,
            md_kva=params.md_kva,
            power_factor=params.power_factor,
            supply_kv=params.supply_kv,
            tod=params.tod,
        )
    except ValueError as exc:
        raise ApiError(422, "invalid_input", str(exc))
    except ArithmeticError:  # e.g. units of 1e999: a clear error, not a 500
        raise ApiError(422, "invalid_input", "A number is too large to price.")


@router.get("/tariffs", response=list[TariffVersionOut], summary="Tariff versions")
def tariff_list(request):
    from .models import TariffVersion

    return list(TariffVersion.objects.all())
