from datetime import date
from decimal import Decimal
from typing import Any

from urja.common import clock
from urja.common.inputs import date_range_message
from urja.customers.load_limits import load_limit_message
from urja.domain import quote as domain_quote
from urja.domain.inputs import date_in_range
from urja.domain.load_limits import LoadOutsideLimits

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
) -> dict[str, Any]:
    """Price a hypothetical bill with the tariffs in the database. Without `fppas`, the FPPAS order of
    the period's last month applies. Raises ValueError with a message fit for the user."""
    today = today or clock.today()
    for day in (period_from, period_to):
        if day is not None and not date_in_range(day):
            raise ValueError(date_range_message())
    if fppas is None:
        fppas = selectors.fppas_for_month(period_to or today)
    try:
        return _quote(tariff, load, units, kvah, period_from, period_to, fppas, prepaid, today)
    except LoadOutsideLimits as exc:
        raise ValueError(load_limit_message(exc)) from exc


def _quote(tariff, load, units, kvah, period_from, period_to, fppas, prepaid, today) -> dict[str, Any]:
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
        tariffs=selectors.tariff_book(),
    )
