"""Consumption from meter registers: advance, roll-over, meter change, CDF and provisional units.

Plain Python (no Django), exact arithmetic (``Decimal`` and ``Fraction``, never ``float``), so that the
reading service, the bulk billing engine and the field app's JavaScript apply the same rules.

Rules, stated once:

* **Roll-over.** A register with ``digits`` whole-kWh digits counts up to ``10**digits`` and starts again
  at zero. When the current reading is below the previous one, the advance *through* zero
  (``10**digits - previous + current``) is taken as a roll-over only if it is plausible: less than a tenth
  of the register's range (``10**digits / 10``; 10,000 kWh on a 5-digit meter). Anything larger is a
  defective reading (RDF) and yields no units.
* **Meter change.** Units over a period in which the meter was changed are the sum over every meter
  installed in the period of ``(end − start) × multiplying factor``: for the old meter from the previous
  reading to its final reading, for the new one from its initial reading to the current reading.
* **Units rounding.** Units are kept to 2 decimals (what the register shows), rounded half up once, after
  multiplying factors are applied and segments are added.
* **CDF.** Consumption is doubtful when it exceeds 800 kWh per kW of load per month. The months in an
  interval are its days divided by 30.4375 (= 365.25 / 12, the average month), so a bill period of any
  length is judged by the same monthly rate. Loads in kVA count at 0.9 kW per kVA, in BHP at 0.746 kW.
* **Provisional units.** The average of the last 3 actual months (fewer if fewer exist) times the months
  billed, rounded to whole units half up.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from typing import NamedTuple

Exact = Decimal | Fraction | int

#: A roll-over is believed only when the advance through zero is below this share of the register range.
ROLLOVER_PLAUSIBLE_SHARE = Decimal("0.1")
#: Doubtful consumption (CDF) limit, kWh per kW of load per month.
CDF_LIMIT_PER_KW_MONTH = Decimal(800)
#: Days in the average month (365.25 / 12) used to turn an interval into months.
DAYS_PER_MONTH = Fraction("30.4375")
#: How many actual months the provisional average looks back over.
PROVISIONAL_LOOKBACK_MONTHS = 3
KW_PER_KVA = Decimal("0.9")
KW_PER_BHP = Decimal("0.746")

_UNITS_QUANTUM = Decimal("0.01")
_WHOLE_UNIT = Decimal("1")


def round_units(value: Exact) -> Decimal:
    """Units to 2 decimals, half up (the one rounding of metered units)."""
    return _to_decimal(value).quantize(_UNITS_QUANTUM, rounding=ROUND_HALF_UP)


def round_whole_units(value: Exact) -> Decimal:
    """Units to a whole number, half up (provisional units)."""
    return _to_decimal(value).quantize(_WHOLE_UNIT, rounding=ROUND_HALF_UP)


def _to_decimal(value: Exact) -> Decimal:
    if isinstance(value, Fraction):
        # Enough precision that the following quantize rounds the exact value, not an approximation.
        return Decimal(value.numerator) / Decimal(value.denominator)
    return Decimal(value)


class Advance(NamedTuple):
    """How far a register moved between two readings (before the multiplying factor)."""

    units: Decimal
    rolled_over: bool


def register_capacity(digits: int) -> int:
    """The register shows 0 .. 10**digits − 1 whole units, then starts again at zero."""
    if digits < 1:
        raise ValueError("a register has at least one digit")
    return int(10**digits)


def register_advance(previous: Decimal, current: Decimal, digits: int) -> Advance | None:
    """Advance of a ``digits``-digit register from ``previous`` to ``current``.

    Returns ``Advance(units, rolled_over)``, or ``None`` when the reading is defective (RDF): the current
    reading is below the previous one and going round through zero would mean an implausibly large
    consumption (see the module notes). Raises ``ValueError`` for a value the register cannot show.
    """
    capacity = register_capacity(digits)
    for value in (previous, current):
        if value < 0 or value >= capacity:
            raise ValueError(f"{value} cannot be shown on a {digits}-digit register")
    if current >= previous:
        return Advance(current - previous, False)
    through_zero = capacity - previous + current
    if through_zero < capacity * ROLLOVER_PLAUSIBLE_SHARE:
        return Advance(through_zero, True)
    return None


@dataclass(frozen=True, slots=True)
class RegisterSegment:
    """The part of a period read on one meter: register values at its start and end."""

    start: Decimal
    end: Decimal
    digits: int
    multiplying_factor: Decimal = Decimal(1)


@dataclass(frozen=True, slots=True)
class Consumption:
    units: Decimal
    rolled_over: bool
    meter_changed: bool


def consumption_between(segments: Sequence[RegisterSegment]) -> Consumption | None:
    """Units over a period read on one or more meters, oldest segment first.

    Each segment contributes ``advance × multiplying factor``; the sum is rounded once with
    :func:`round_units`. Returns ``None`` (RDF) when any segment's register went backwards implausibly.
    """
    if not segments:
        raise ValueError("a period needs at least one register segment")
    total = Decimal(0)
    rolled_over = False
    for segment in segments:
        advance = register_advance(segment.start, segment.end, segment.digits)
        if advance is None:
            return None
        total += advance.units * segment.multiplying_factor
        rolled_over = rolled_over or advance.rolled_over
    return Consumption(round_units(total), rolled_over, len(segments) > 1)


@dataclass(frozen=True, slots=True)
class ReadingOutcome:
    """What a reading's register values mean: its status ("OK"; "RDF" when a register went backwards
    implausibly; "ADF" when it did not move; "CDF" for consumption above the CDF limit) and, unless
    RDF, the units consumed."""

    status: str
    consumption: Consumption | None


def reading_outcome(
    segments: Sequence[RegisterSegment], *, days: int, sanctioned_load: Decimal, load_unit: str
) -> ReadingOutcome:
    """Classify an OK reading from the register segments since the previous valid reading, `days`
    days before: the rule `metering.services.reading_record` applies to every reading (and the demo to
    the readings it generates)."""
    result = consumption_between(segments)
    if result is None:
        return ReadingOutcome("RDF", None)
    if result.units == 0:
        return ReadingOutcome("ADF", result)
    if is_cdf(result.units, load_in_kw(sanctioned_load, load_unit), months_in(max(days, 1))):
        return ReadingOutcome("CDF", result)
    return ReadingOutcome("OK", result)


def load_in_kw(load: Decimal, unit: str) -> Decimal:
    """A sanctioned load in kW: ``unit`` is "kW", "kVA" (× 0.9) or "BHP" (× 0.746); exact, not rounded."""
    factors = {"kW": Decimal(1), "kVA": KW_PER_KVA, "BHP": KW_PER_BHP}
    try:
        return load * factors[unit]
    except KeyError:
        raise ValueError(f"unknown load unit {unit!r}")


def months_in(days: int) -> Fraction:
    """Months in an interval of ``days`` days, as an exact fraction of the average month."""
    return Fraction(days) / DAYS_PER_MONTH


def is_cdf(
    units: Decimal,
    billable_load_kw: Decimal,
    months: Exact,
    limit_per_kw_month: Decimal = CDF_LIMIT_PER_KW_MONTH,
) -> bool:
    """True when ``units`` exceed ``limit_per_kw_month`` kWh per kW per month (strictly more)."""
    if months <= 0:
        raise ValueError("months must be positive")
    if billable_load_kw <= 0:
        raise ValueError("load must be positive")
    limit = Fraction(limit_per_kw_month) * Fraction(billable_load_kw) * Fraction(months)
    return Fraction(units) > limit


def provisional_units(last_actual_monthly_units: Sequence[Decimal], months: Exact) -> Decimal:
    """Units for a provisional bill of ``months`` months.

    ``last_actual_monthly_units`` lists the units of months billed on actual readings, oldest first; the
    last three are averaged (all of them when fewer exist) and multiplied by ``months``, rounded to whole
    units half up. Raises ``ValueError`` when there is no actual month to average: such an account is
    assessed, not billed provisionally.
    """
    recent = list(last_actual_monthly_units)[-PROVISIONAL_LOOKBACK_MONTHS:]
    if not recent:
        raise ValueError("no actual month to average")
    if months <= 0:
        raise ValueError("months must be positive")
    average = sum((Fraction(u) for u in recent), Fraction(0)) / len(recent)
    return round_whole_units(average * Fraction(months))
