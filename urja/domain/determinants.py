"""Bill determinants: from what was read (or not) to what is billed, and whether a person must look
at the bill before it goes out.

Rules (DOMAIN.md "Meter readings and bill basis"):

* Unmetered category -> UM (flat).
* Reading OK or ADF -> MU with the units read (ADF is billed as OK with 0 units). When bills since the
  last actual reading were provisional, the reading covers all those months: this bill is charged
  ``units / (provisional bills + 1)`` (whole units, half up) and the rest, less the units already billed
  provisionally, is a true-up (a debit when more was used, a credit when less).
* CDF (consumption > 800 kWh per kW per month) -> MU, held for review.
* No reading, NA (door locked) or NR (not read) -> PROV: the average of the last 3 actual months x the
  period's months. At most 2 provisional bills in a row and 2 per financial year; past that the bill
  is ASS (assessed on the same average) and the account is flagged for an assessment visit. NA also
  carries the meter-not-accessible penalty.
* IDF / RDF (defective meter or reading) -> ASS on the average of the last 3 actual months; with no
  history, normative units (per kW of load per month, configuration).
* No meter on a metered category (NM) -> ASS likewise.

Exceptions held back for review instead of being issued: CDF; zero units on an active metered
connection; consumption above 3x or below a third of the average of the last 3 actual months (only
when that average is known and positive); the first bill of a new connection.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction

from urja.domain.engine import BillBasis
from urja.domain.money import UNIT_ROUNDING
from urja.domain.rules import units_per_month

ZERO = Decimal(0)
MAX_PROVISIONAL_IN_ROW = 2
MAX_PROVISIONAL_PER_FY = 2
HIGH_FACTOR = Decimal(3)
LOW_FACTOR = Decimal(1) / Decimal(3)


class Hold:
    CDF = "CDF"
    ZERO = "ZERO"
    HIGH = "HIGH"
    LOW = "LOW"
    FIRST = "FIRST"
    ERROR = "ERROR"
    FPPAS_MISSING = "FPPAS_MISSING"


HOLD_TEXT = {
    Hold.CDF: "consumption above 800 kWh per kW per month (CDF)",
    Hold.ZERO: "zero units on an active metered connection",
    Hold.HIGH: "consumption above 3 times the average",
    Hold.LOW: "consumption below a third of the average",
    Hold.FIRST: "first bill of a new connection",
    Hold.ERROR: "the bill could not be computed",
    Hold.FPPAS_MISSING: "no FPPAS order entered for the bill month",
}


@dataclass(frozen=True, slots=True)
class AccountFacts:
    metered: bool
    months: Fraction  # length of the period in months (rules.period_months)
    reading_status: str | None  # closing reading's status in the period; None when none was taken
    units: Decimal | None = None  # kWh advanced in the period (from the readings)
    kvah: Decimal | None = None
    actual_monthly_units: Sequence[Decimal] = ()  # monthly units of the last actual bills, oldest first
    provisional_in_row: int = 0  # provisional bills immediately before this one
    provisional_in_fy: int = 0  # provisional bills earlier in this financial year
    provisional_units_pending: Decimal = ZERO  # units billed provisionally since the last actual reading
    new_connection: bool = False
    normative_units_per_month: Decimal = ZERO  # for assessment without history (load x norm)


@dataclass(frozen=True, slots=True)
class Determination:
    basis: BillBasis
    units: Decimal | None
    kvah: Decimal | None = None
    true_up_units: Decimal = ZERO
    na_penalty: bool = False
    flag_assessment: bool = False
    holds: tuple[str, ...] = field(default=())
    note: str = ""


def average_monthly(actual_monthly_units: Sequence[Decimal]) -> Decimal | None:
    """Average of the last 3 actual months (fewer when there is less history), or None."""
    recent = list(actual_monthly_units)[-3:]
    if not recent:
        return None
    return sum(recent, ZERO) / len(recent)


def _whole(value: Decimal | Fraction) -> Decimal:
    return UNIT_ROUNDING.apply(value if isinstance(value, Fraction) else Decimal(value))


def determine(facts: AccountFacts) -> Determination:
    if not facts.metered:
        return Determination(basis=BillBasis.UM, units=None)
    average = average_monthly(facts.actual_monthly_units)
    status = facts.reading_status or "NR"

    if status in {"OK", "ADF", "CDF"}:
        read = facts.units if facts.units is not None else ZERO
        units, true_up = read, ZERO
        if facts.provisional_in_row > 0:
            units = _whole(Fraction(read) / (facts.provisional_in_row + 1))
            true_up = read - units - facts.provisional_units_pending
        holds: list[str] = []
        if status == "CDF":
            holds.append(Hold.CDF)
        if read == 0:
            holds.append(Hold.ZERO)
        elif average is not None and average > 0 and facts.months > 0:
            monthly = units_per_month(units, facts.months)
            if monthly > HIGH_FACTOR * average:
                holds.append(Hold.HIGH)
            elif monthly < LOW_FACTOR * average:
                holds.append(Hold.LOW)
        if facts.new_connection:
            holds.append(Hold.FIRST)
        kvah = facts.kvah if facts.provisional_in_row == 0 else None
        return Determination(
            basis=BillBasis.MU, units=units, kvah=kvah, true_up_units=true_up, holds=tuple(holds)
        )

    estimate_monthly = average if average is not None else facts.normative_units_per_month
    estimate = _whole(Fraction(estimate_monthly) * facts.months)
    first = (Hold.FIRST,) if facts.new_connection else ()
    if status in {"NA", "NR"}:
        over_limit = (
            facts.provisional_in_row >= MAX_PROVISIONAL_IN_ROW
            or facts.provisional_in_fy >= MAX_PROVISIONAL_PER_FY
        )
        if over_limit:
            return Determination(
                basis=BillBasis.ASS,
                units=estimate,
                na_penalty=status == "NA",
                flag_assessment=True,
                holds=first,
                note="provisional limit reached: assessed and flagged for an assessment visit",
            )
        return Determination(basis=BillBasis.PROV, units=estimate, na_penalty=status == "NA", holds=first)
    # IDF, RDF, NM and anything unknown: the meter cannot be trusted.
    return Determination(
        basis=BillBasis.ASS,
        units=estimate,
        flag_assessment=average is None,
        holds=first,
        note="assessed on average" if average is not None else "assessed on normative units",
    )
