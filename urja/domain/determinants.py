"""Bill determinants: from what was read (or not) to what is billed, and whether a person must look
at the bill before it goes out.

Rules (DOMAIN.md "Meter readings and bill basis"):

* Unmetered category -> UM (flat).
* Reading OK or ADF -> MU with the units read (ADF is billed as OK with 0 units). When the bills since
  the last actual reading were provisional (PROV, or ASS in place of a NA/NR reading past the provisional
  limit), the reading covers all those periods: the units read are shared among them and this period
  by days (whole units, half up, this period taking what is left), this bill is charged its share, and
  each provisional period is re-billed on its own slabs with its share (``true_up_periods``: a debit
  when more was used, a credit when less). An assessment of a defective or missing meter (IDF, RDF, NM)
  or a meter change ends that chain: the units of a new meter are this period's alone.
* CDF (consumption > 800 kWh per kW per month) -> MU, held for review.
* No reading, NA (door locked) or NR (not read) -> PROV: the average of the last 3 actual months x the
  period's months. At most 2 provisional bills in a row and 2 per financial year; past that the bill
  is ASS (assessed on the same average) and the account is flagged for an assessment visit. NA also
  carries the meter-not-accessible penalty.
* IDF / RDF (defective meter or reading) -> ASS on the average of the last 3 actual months; with no
  history, or once the meter has been defective for 3 bills in a row, normative units (per unit of load
  per month, by category and load band, data of the tariff version).
* A kVAh advance below the kWh advance is physically impossible: the kVAh register is defective, the
  bill is computed on kWh and held (KVAH) for a person to look at.
* No meter on a metered category (NM) -> ASS likewise.

Exceptions held back for review instead of being issued: CDF; zero units on an active metered
connection; consumption above 3x or below a third of the average of the last 3 actual months (only
when that average is known and positive); the first bill of a new connection.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from fractions import Fraction

from urja.domain.engine import BillBasis, TrueUpPeriod
from urja.domain.money import UNIT_ROUNDING
from urja.domain.rules import apportion, units_per_month

ZERO = Decimal(0)
MAX_PROVISIONAL_IN_ROW = 2
MAX_PROVISIONAL_PER_FY = 2
HIGH_FACTOR = Decimal(3)
LOW_FACTOR = Decimal(1) / Decimal(3)
#: After this many defective-meter assessments in a row, the next is on normative units (DOMAIN.md).
DEFECTIVE_BEFORE_NORMATIVE = 3


class Hold:
    CDF = "CDF"
    ZERO = "ZERO"
    HIGH = "HIGH"
    LOW = "LOW"
    FIRST = "FIRST"
    KVAH = "KVAH"
    ERROR = "ERROR"


HOLD_TEXT = {
    Hold.CDF: "consumption above 800 kWh per kW per month (CDF)",
    Hold.ZERO: "zero units on an active metered connection",
    Hold.HIGH: "consumption above 3 times the average",
    Hold.LOW: "consumption below a third of the average",
    Hold.FIRST: "first bill of a new connection",
    Hold.KVAH: "kVAh advance below the kWh advance: the kVAh register is defective",
    Hold.ERROR: "the bill could not be computed",
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
    # The provisional bills since the last actual reading, oldest first: (start, end, units billed). When
    # given, the reading is shared among them by days and each is re-billed on its own slabs.
    provisional_periods: Sequence[tuple[date, date, Decimal]] = ()
    period: tuple[date, date] | None = None  # this bill's period (needed with provisional_periods)
    meter_changed: bool = False  # the reading's span includes a meter change
    defective_in_row: int = 0  # IDF/RDF/NM assessments immediately before this bill


@dataclass(frozen=True, slots=True)
class Determination:
    basis: BillBasis
    units: Decimal | None
    kvah: Decimal | None = None
    true_up_units: Decimal = ZERO
    true_up_periods: tuple[TrueUpPeriod, ...] = ()
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
        periods: tuple[TrueUpPeriod, ...] = ()
        chain = facts.provisional_in_row > 0 and not facts.meter_changed
        if chain and facts.provisional_periods and facts.period is not None:
            start, end = facts.period
            spans = [*((a, b) for a, b, _ in facts.provisional_periods), (start, end)]
            shares = apportion(read, [(b - a).days + 1 for a, b in spans])
            units = shares[-1]
            periods = tuple(
                TrueUpPeriod(a, b, billed, share)
                for (a, b, billed), share in zip(facts.provisional_periods, shares, strict=False)
            )
            true_up = sum((p.actual_units - p.billed_units for p in periods), ZERO)
        elif chain:
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
        kvah = facts.kvah if not chain else None
        if kvah is not None and kvah < read:
            holds.append(Hold.KVAH)
            kvah = None
        return Determination(
            basis=BillBasis.MU,
            units=units,
            kvah=kvah,
            true_up_units=true_up,
            true_up_periods=periods,
            holds=tuple(holds),
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
    if average is not None and facts.defective_in_row < DEFECTIVE_BEFORE_NORMATIVE:
        return Determination(basis=BillBasis.ASS, units=estimate, holds=first, note="assessed on average")
    normative = _whole(Fraction(facts.normative_units_per_month) * facts.months)
    note = "assessed on normative units"
    if average is not None:
        note = f"assessed on normative units: the meter has been defective for {facts.defective_in_row} bills in a row"
    return Determination(basis=BillBasis.ASS, units=normative, flag_assessment=True, holds=first, note=note)
