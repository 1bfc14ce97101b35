from datetime import date
from decimal import Decimal
from typing import Any

from urja.common import clock
from urja.common.inputs import date_range_message, input_error_text
from urja.customers.load_limits import load_limit_message
from urja.domain import quote as domain_quote
from urja.domain.inputs import InputError, date_in_range
from urja.domain.load_limits import LoadOutsideLimits
from urja.domain.rules import ONE_DAY

from . import selectors


def tariff_quote(
    *,
    tariff: str,
    load: str,
    units: str | None = None,
    kvah: str | None = None,
    period_from: date | None = None,
    period_to: date | None = None,
    fppas: str | Decimal | None = None,
    prepaid: bool = False,
    today: date | None = None,
    bill_date: date | None = None,
    area: str | None = None,
    **demand: Any,
) -> dict[str, Any]:
    """Price a hypothetical bill with the tariffs in the database. FPPAS is that of the bill (issue)
    month: `bill_date`, by default the day after the period ends (as a bill run issues). Without
    `fppas`, the order entered for that month applies, and a month with no order is an error (never a
    silent 0%). `area` (urban/rural) is where a lifeline consumer over the limits falls back to.
    `demand` passes a demand-billed tariff's inputs to the calculator (md_kva, power_factor, supply_kv,
    tod: :func:`urja.domain.quote.quote`). Raises ValueError with a message fit for the user, in the
    active language."""
    unknown = set(demand) - {"md_kva", "power_factor", "supply_kv", "tod"}
    if unknown:
        raise TypeError(f"unknown quote inputs {sorted(unknown)}")
    today = today or clock.today()
    for day in (period_from, period_to, bill_date):
        if day is not None and not date_in_range(day):
            raise ValueError(date_range_message())
    if bill_date is None:
        period_end = period_to if period_from is not None and period_to is not None else today
        bill_date = period_end + ONE_DAY
        if not date_in_range(bill_date):
            raise ValueError(date_range_message())
    month = selectors.bill_month(bill_date)
    if fppas is None or (isinstance(fppas, str) and not fppas.strip()):
        fppas = selectors.fppas_for_bill_date(bill_date)
        if fppas is None:
            raise ValueError(selectors.fppas_missing_message(month))
    try:
        return domain_quote.quote(
            tariff=tariff,
            load=load,
            units=units,
            kvah=kvah,
            period_from=period_from,
            period_to=period_to,
            fppas=fppas,
            prepaid=prepaid,
            today=today,
            bill_month=month,
            area=area or None,
            tariffs=selectors.tariff_book(),
            **{name: value for name, value in demand.items() if value not in (None, "")},
        )
    except LoadOutsideLimits as exc:
        raise ValueError(load_limit_message(exc)) from exc
    except InputError as exc:
        raise ValueError(input_error_text(exc)) from exc
