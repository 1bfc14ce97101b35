"""A bill quote for the ``urja quote`` command, the staff console and ``/api/v1/tariffs/quote``.

``quote()`` prices one hypothetical bill and returns a JSON-ready dict with amounts as strings with two
decimals. Without an explicit period the quote covers one month ending today, both days inclusive: it
starts on the day after today's date one month back, i.e. on ``add_months(today + 1 day, -1)`` (day of
month clamped to the month's end). Examples: today 2025-05-15 -> 2025-04-16 to 2025-05-15; today
2025-06-30 -> 2025-06-01 to 2025-06-30; today 2025-03-30 -> 2025-02-28 to 2025-03-30. By the period
rule of :mod:`urja.domain.rules` that period is always exactly one month.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from urja.domain.engine import BillBasis, BillInput, compute_bill
from urja.domain.inputs import InputError, Words, ascii_digits, gettext_noop
from urja.domain.money import format_money, format_number
from urja.domain.rules import ONE_DAY, add_months
from urja.domain.tariff import LoadUnit, TariffBook, TariffVersion, version_in_force
from urja.domain.tariff_book import default_tariff_book

_LOAD = re.compile(r"^\s*(?P<value>[0-9]+(?:\.[0-9]+)?)\s*(?P<unit>kw|kva|bhp)\s*$", re.IGNORECASE)
_UNITS = {"kw": LoadUnit.KW, "kva": LoadUnit.KVA, "bhp": LoadUnit.BHP}
# The largest values a bill can hold: a connection's sanctioned load, the bill's units column (12
# digits with 2 decimals) and a percentage.
MAX_LOAD = Decimal("10000")
MAX_UNITS = Decimal("9999999999.99")
MAX_PERCENT = Decimal("100")


def parse_load(text: str) -> tuple[Decimal, LoadUnit]:
    """``"2kW"`` -> ``(Decimal("2"), LoadUnit.KW)``; also ``"1.5 kW"``, ``"12kVA"``, ``"7.5BHP"`` (any case;
    digits of any script)."""
    match = _LOAD.match(ascii_digits(text))
    if match is None or Decimal(match["value"]) <= 0:
        raise InputError(
            gettext_noop(
                "invalid load %(text)r: expected a positive number followed by kW, kVA or BHP, e.g. 2kW, "
                "1.5kW, 12kVA, 7.5BHP"
            ),
            text=text,
        )
    if Decimal(match["value"]) > MAX_LOAD:
        raise InputError(
            gettext_noop("invalid load %(text)r: a sanctioned load is at most %(max)s"),
            text=text[:40],
            max=MAX_LOAD,
        )
    return Decimal(match["value"]), _UNITS[match["unit"].lower()]


def parse_quantity(value: str | int | Decimal, name: str, maximum: Decimal = MAX_UNITS) -> Decimal:
    """A non-negative quantity such as units or a percentage, given as text, int or Decimal, at most
    `maximum`."""
    if isinstance(value, float):
        raise InputError(
            gettext_noop("%(name)s must be given exactly (a string or integer), not the float %(value)r"),
            name=Words(name),
            value=value,
        )
    try:
        quantity = Decimal(value.strip() if isinstance(value, str) else value)
    except InvalidOperation:
        raise InputError(
            gettext_noop("invalid %(name)s %(value)r: expected a number such as 250 or 1.24"),
            name=Words(name),
            value=value,
        )
    if not quantity.is_finite() or quantity < 0:
        raise InputError(
            gettext_noop("invalid %(name)s %(value)r: expected a number that is not negative"),
            name=Words(name),
            value=value,
        )
    if quantity > maximum:
        raise InputError(
            gettext_noop("invalid %(name)s %(value)r: at most %(max)s"),
            name=Words(name),
            value=str(value)[:40],
            max=maximum,
        )
    return quantity


def parse_percent(value: str | int | Decimal, name: str, maximum: Decimal = MAX_PERCENT) -> Decimal:
    """A percentage that may be negative (an FPPAS rebate month), from -`maximum` to `maximum`."""
    if isinstance(value, str) and value.strip().startswith("-"):
        return -parse_quantity(value.strip()[1:], name, maximum)
    if isinstance(value, int | Decimal) and value < 0:
        return -parse_quantity(-value, name, maximum)
    return parse_quantity(value, name, maximum)


#: The domestic category a lifeline consumer over the lifeline limits is billed as, by area.
AREA_FALLBACK = {"urban": "LMV1-URBAN", "rural": "LMV1-RURAL"}


_TOD_PART = re.compile(r"^\s*(?P<slot>[a-z_]+)\s*=\s*(?P<units>[0-9]+(?:\.[0-9]+)?)\s*$", re.IGNORECASE)


def parse_tod(text: str) -> tuple[tuple[str, Decimal], ...]:
    """``"peak=1200, normal=3000, offpeak=800"`` -> the TOD meter's units by slot (digits of any script)."""
    parts = [part for part in ascii_digits(text).split(",") if part.strip()]
    registers: dict[str, Decimal] = {}
    for part in parts:
        match = _TOD_PART.match(part)
        if match is None:
            raise InputError(
                gettext_noop(
                    "invalid TOD units %(text)r: expected slot=units separated by commas, e.g. peak=1200, "
                    "normal=3000, offpeak=800"
                ),
                text=text[:60],
            )
        slot = match["slot"].lower()
        if slot in registers:
            raise InputError(gettext_noop("invalid TOD units: the slot %(slot)s is given twice"), slot=slot)
        registers[slot] = parse_quantity(match["units"], gettext_noop("TOD units"))
    return tuple(registers.items())


def default_quote_period(today: date) -> tuple[date, date]:
    """One month ending ``today`` (inclusive): from ``add_months(today + 1 day, -1)`` to ``today``."""
    return add_months(today + ONE_DAY, -1), today


def quote(
    *,
    tariff: str,
    load: str,
    units: str | int | Decimal | None = None,
    kvah: str | int | Decimal | None = None,
    period_from: date | None = None,
    period_to: date | None = None,
    fppas: str | int | Decimal = "0",
    prepaid: bool = False,
    fallback_category: str | None = None,
    today: date | None = None,
    bill_month: str | None = None,
    area: str | None = None,
    md_kva: str | int | Decimal | None = None,
    power_factor: str | int | Decimal | None = None,
    supply_kv: str | int | Decimal | None = None,
    tod: str | None = None,
    tariffs: Sequence[TariffVersion] | None = None,
) -> dict[str, Any]:
    """Price one bill from command-line style arguments; raises ``ValueError`` with a clear message.

    ``today`` is the caller's date (the quote period defaults to the month ending on it): the domain core
    reads no clock. ``tariffs`` defaults to :func:`default_tariff_book`; the Django side passes the versions from the
    database. ``fppas`` "0" leaves FPPAS out; it may be negative (a rebate month). ``bill_month`` (YYYY-MM)
    is the month the bill is raised in, whose FPPAS order ``fppas`` is; it is named on the FPPAS line.
    ``area`` ("urban" or "rural") picks the domestic category a lifeline consumer over the lifeline
    limits falls back to. An unmetered tariff takes no ``units``. A demand-billed tariff (HV, LMV-6) takes
    the recorded maximum demand ``md_kva`` (without it the contracted demand's share is billed), the
    average ``power_factor``, the ``supply_kv`` (voltage rebates) and ``tod``, the TOD meter's units by
    slot (:func:`parse_tod`).
    """
    book = TariffBook(default_tariff_book() if tariffs is None else tariffs)
    sanctioned_load, load_unit = parse_load(load)
    if (period_from is None) != (period_to is None):
        raise InputError(gettext_noop("give both the period start and end, or neither"))
    if period_from is None or period_to is None:
        if today is None:
            raise InputError(gettext_noop("give the period, or today's date to quote the month ending today"))
        period_from, period_to = default_quote_period(today)
    if period_to < period_from:
        raise InputError(
            gettext_noop("period ends (%(end)s) before it starts (%(start)s)"),
            end=period_to.isoformat(),
            start=period_from.isoformat(),
        )
    if area is not None and area not in AREA_FALLBACK:
        raise InputError(gettext_noop("invalid area %(area)r: expected urban or rural"), area=area[:20])
    if area is not None:
        fallback_category = AREA_FALLBACK[area]
    code = tariff.strip().upper()
    version = version_in_force(book, code, period_to)
    units_value = None if units is None else parse_quantity(units, gettext_noop("units"))
    kvah_value = None if kvah is None else parse_quantity(kvah, gettext_noop("kVAh"))
    if not version.metered and (units_value is not None or kvah_value is not None):
        raise InputError(gettext_noop("tariff %(code)s is unmetered: leave out units and kVAh"), code=code)
    if version.metered and units_value is None and kvah_value is None:
        raise InputError(gettext_noop("tariff %(code)s is metered: give the units (kWh)"), code=code)
    md_value = (
        None
        if md_kva in (None, "")
        else parse_quantity(md_kva, gettext_noop("maximum demand (kVA)"), MAX_LOAD * 10)
    )
    pf_value = (
        None
        if power_factor in (None, "")
        else parse_quantity(power_factor, gettext_noop("power factor"), Decimal(1))
    )
    if pf_value is not None and pf_value == 0:
        raise InputError(
            gettext_noop("invalid power factor 0: expected a number above 0 and at most 1, e.g. 0.92")
        )
    kv_value = (
        None
        if supply_kv in (None, "")
        else parse_quantity(supply_kv, gettext_noop("supply voltage (kV)"), Decimal(800))
    )
    tod_registers = parse_tod(tod) if tod else ()
    bill = BillInput(
        tariffs=book,
        category=code,
        sanctioned_load=sanctioned_load,
        load_unit=load_unit,
        period_start=period_from,
        period_end=period_to,
        units=units_value,
        kvah=kvah_value,
        basis=BillBasis.MU if version.metered else BillBasis.UM,
        fppas=parse_percent(fppas, gettext_noop("FPPAS percent")),
        fppas_month=bill_month,
        prepaid=prepaid,
        fallback_category=fallback_category,
        md_kva=md_value,
        power_factor=pf_value,
        supply_kv=kv_value,
        tod_registers=tod_registers,
    )
    result = compute_bill(bill)
    return {
        "tariff": code,
        "category_billed": result.category,
        "load": f"{format_number(sanctioned_load)}{load_unit}",
        "period": {
            "from": period_from.isoformat(),
            "to": period_to.isoformat(),
            "months": str(result.months),
        },
        "units": None if units_value is None else format_number(units_value),
        "kvah": None if kvah_value is None else format_number(kvah_value),
        "billed_unit": result.billed_unit,
        "bill_month": bill_month,
        "lines": [
            {"head": line.head.value, "description": line.description, "amount": format_money(line.amount)}
            for line in result.lines
        ],
        "energy_charge": format_money(result.energy_charge),
        "fixed_charge": format_money(result.fixed_charge),
        "electricity_duty": format_money(result.electricity_duty),
        "fppas": format_money(result.fppas),
        "demand_charge": format_money(result.demand_charge),
        "excess_demand": format_money(result.excess_demand),
        "tod": format_money(result.tod),
        "power_factor_adjustment": format_money(result.power_factor_adjustment),
        "total": format_money(result.total),
        "payable": format_money(result.payable),
        "notes": list(result.notes),
    }
