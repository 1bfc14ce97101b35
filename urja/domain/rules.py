"""The billing rules as small pure functions, shared by the bill engine and the vectorised bulk path.

Period factor ("months")
    A bill period runs from ``start`` to ``end``, both inclusive. Its length in months counts whole
    months back from the day after its end, keeping the day of month (a month ending 15 May began on
    16 April), then the days left over as a fraction of the month before::

        stop = end + 1 day
        k = the largest whole number with add_months(stop, -k) >= start
        anchor = add_months(stop, -k)
        months = k + (anchor - start) / (anchor - add_months(stop, -k - 1))

    ``add_months`` keeps the day of month, clamped to the month's last day. So a full calendar month is
    exactly 1, 1 Jan - 28 Feb is exactly 2, a reading-to-reading cycle such as 16 Apr - 15 May is
    exactly 1 (the usual UP billing cycle), and so is every "one month ending today" of
    :func:`urja.domain.quote.default_quote_period`. A part month counts its days against the month
    that ends where it ends: 16-30 April is 15/30 (16 Apr - 15 May has 30 days), 1-15 April is 15/31
    (16 Mar - 15 Apr has 31 days). The factor is an exact ``Fraction`` and never decreases when a
    period is lengthened at either end.

Scaling
    Slab limits are the monthly limits x months, rounded to whole units (half up). Fixed charges and
    minimum charges are the monthly amounts x months, rounded once to the paisa.

Split between tariff versions
    A period that spans a tariff change is cut at the change into parts. Each part gets the share of the
    period's months and of its units in proportion to its days (units apportioned cumulatively to whole
    units, half up, so the parts always add up to the total), and is billed with its own slabs and rates.
"""

from __future__ import annotations

from calendar import monthrange
from collections.abc import Sequence
from datetime import date, timedelta
from decimal import ROUND_CEILING, Decimal
from fractions import Fraction
from functools import lru_cache

from urja.domain.money import LOAD_ROUNDING, RATE_ROUNDING, UNIT_ROUNDING, round_ratio
from urja.domain.tariff import KVA_POWER_FACTOR, KW_PER_BHP, LoadUnit

ONE_DAY = timedelta(days=1)


def add_months(day: date, months: int) -> date:
    """The same day of month ``months`` later, clamped to the month's last day (31 Jan + 1 = 28/29 Feb)."""
    years, month0 = divmod(day.month - 1 + months, 12)
    year, month = day.year + years, month0 + 1
    return date(year, month, min(day.day, monthrange(year, month)[1]))


@lru_cache(maxsize=4096)
def period_months(start: date, end: date) -> Fraction:
    """Length of the inclusive period ``start``-``end`` in months (see the module docstring)."""
    if end < start:
        raise ValueError(f"period ends ({end.isoformat()}) before it starts ({start.isoformat()})")
    stop = end + ONE_DAY
    whole = (stop.year - start.year) * 12 + stop.month - start.month
    while whole > 0 and add_months(stop, -whole) < start:
        whole -= 1
    anchor, preceding = add_months(stop, -whole), add_months(stop, -whole - 1)
    return whole + Fraction((anchor - start).days, (anchor - preceding).days)


def units_per_month(units: Decimal, months: Fraction) -> Decimal:
    """Units consumed over a period of `months` (``period_months``) as units per month: what the
    averages of the bill basis and of the review rules compare. A calendar month is 1."""
    return units / Decimal(months.numerator) * Decimal(months.denominator)


def period_days(start: date, end: date) -> int:
    return (end - start).days + 1


def calendar_month_days(start: date, end: date) -> list[tuple[str, int]]:
    """Days of the inclusive period in each calendar month it touches: ``[("2025-11", 15), ...]``."""
    result: list[tuple[str, int]] = []
    day = start
    while day <= end:
        last = date(day.year, day.month, monthrange(day.year, day.month)[1])
        upto = min(last, end)
        result.append((f"{day.year:04d}-{day.month:02d}", (upto - day).days + 1))
        day = upto + ONE_DAY
    return result


def scaled_limit(monthly_limit: Decimal, months: Fraction) -> Decimal:
    """A monthly slab limit scaled to the period: whole units, half up."""
    return UNIT_ROUNDING.apply(Fraction(monthly_limit) * months)


def slab_limits(monthly_limits: Sequence[Decimal | None], months: Fraction) -> tuple[Decimal | None, ...]:
    if months == 1:
        return tuple(monthly_limits)
    return tuple(None if limit is None else scaled_limit(limit, months) for limit in monthly_limits)


def split_slabs(quantity: Decimal, limits: Sequence[Decimal | None]) -> tuple[Decimal, ...]:
    """Telescopic split: the quantity inside each slab (upper limits cumulative, None = unlimited)."""
    if quantity < 0:
        raise ValueError(f"cannot split a negative quantity {quantity}")
    parts: list[Decimal] = []
    lower = Decimal(0)
    remaining = quantity
    for limit in limits:
        width = remaining if limit is None else max(min(limit - lower, remaining), Decimal(0))
        parts.append(width)
        remaining -= width
        if limit is not None:
            lower = max(lower, limit)
    if remaining:
        raise ValueError("the last slab must be unlimited")
    return tuple(parts)


def apportion(total: Decimal, weights: Sequence[int]) -> tuple[Decimal, ...]:
    """Share ``total`` in proportion to ``weights`` (days): cumulative whole-unit boundaries, half up,
    the last part taking what is left, so the parts are never negative and always add up to ``total``."""
    if len(weights) == 1:
        return (total,)
    whole = sum(weights)
    shares: list[Decimal] = []
    previous = Decimal(0)
    cumulative = 0
    for weight in weights[:-1]:
        cumulative += weight
        boundary = min(UNIT_ROUNDING.apply(Fraction(total) * cumulative / whole), total)
        shares.append(boundary - previous)
        previous = boundary
    shares.append(total - previous)
    return tuple(shares)


def _load_in_kw(value: Fraction, unit: LoadUnit, power_factor: Decimal, kw_per_bhp: Decimal) -> Fraction:
    if unit is LoadUnit.KW:
        return value
    if unit is LoadUnit.KVA:
        return value * Fraction(power_factor)
    return value * Fraction(kw_per_bhp)


def convert_load(
    value: Decimal,
    from_unit: LoadUnit,
    to_unit: LoadUnit,
    *,
    power_factor: Decimal = KVA_POWER_FACTOR,
    kw_per_bhp: Decimal = KW_PER_BHP,
) -> Decimal:
    """Convert a load between kW, kVA (kW / power factor) and BHP (kW / 0.746), rounded once to 2 decimals."""
    if from_unit is to_unit:
        return value
    kw = _load_in_kw(Fraction(value), from_unit, power_factor, kw_per_bhp)
    if to_unit is LoadUnit.KVA:
        kw /= Fraction(power_factor)
    elif to_unit is LoadUnit.BHP:
        kw /= Fraction(kw_per_bhp)
    return LOAD_ROUNDING.apply(kw)


def billable_load(
    value: Decimal,
    from_unit: LoadUnit,
    to_unit: LoadUnit,
    *,
    power_factor: Decimal = KVA_POWER_FACTOR,
    kw_per_bhp: Decimal = KW_PER_BHP,
) -> Decimal:
    """The load charges are levied on (rate schedule, General Provision 1).

    A fractional contracted load in kW or kVA counts as the next whole unit *in its own unit*; a load
    converted to another unit is then converted once, rounded to 2 decimals and not rounded up again
    (10 kW -> 11.11 kVA, so 10 kW x Rs 450 = 4,500.00 and 11.11 kVA x Rs 405 = 4,499.55). A BHP load
    is a pump's rating (7.5, 12.5 BHP) and is not rounded up (docs/decisions/0009-load-rounding.md).
    This one function drives fixed charges, load bands, the kVAh threshold and the NA penalty.
    """
    own = value if from_unit is LoadUnit.BHP else value.to_integral_value(rounding=ROUND_CEILING)
    if from_unit is to_unit:
        return own
    return convert_load(own, from_unit, to_unit, power_factor=power_factor, kw_per_bhp=kw_per_bhp)


def period_charge(rate: Decimal, quantity: Decimal, months: Fraction) -> Decimal:
    """A monthly charge (rate x quantity per month) over ``months``, rounded once to the paisa."""
    rate_n, rate_d = rate.as_integer_ratio()
    quantity_n, quantity_d = quantity.as_integer_ratio()
    return round_ratio(rate_n * quantity_n * months.numerator, rate_d * quantity_d * months.denominator)


def percent_of(base: Decimal, percent: Decimal, share: Fraction = Fraction(1)) -> Decimal:
    """``percent`` % of ``share`` of ``base``, rounded once to the paisa."""
    base_n, base_d = base.as_integer_ratio()
    percent_n, percent_d = percent.as_integer_ratio()
    return round_ratio(base_n * percent_n * share.numerator, base_d * percent_d * 100 * share.denominator)


def derived_rate(rate: Decimal, factor: Decimal, divisor: Decimal = Decimal(1)) -> Decimal:
    """A rate derived by the kVAh rule (rate / divisor x factor), kept to 4 decimals."""
    return RATE_ROUNDING.apply(Fraction(rate) / Fraction(divisor) * Fraction(factor))
