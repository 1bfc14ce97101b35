"""The bill engine: one :class:`BillInput` in, one :class:`BillResult` out. Pure, exact, deterministic.

The rules, in the order they are applied (the small rules themselves live in :mod:`urja.domain.rules`):

1. **Category.** A lifeline (``LMV1-LIFELINE``) consumer whose billable load exceeds the lifeline load
   or whose units exceed the lifeline units x months is billed, for the whole period, as the normal
   domestic category of his area: ``BillInput.fallback_category``, else the rule's ``fallback_category``.
2. **Tariff parts.** The period is cut wherever the category's tariff version changes; each part gets
   its days' share of the period's months and of the units (see :mod:`urja.domain.rules`), and line
   descriptions name the version and dates of their part.
3. **Energy charge.** Telescopic slabs, limits = monthly limit x the part's months (whole units, half
   up). With kVAh billing (the version has a kVAh rule, the billable load reaches its threshold and a
   kVAh reading is given) energy is billed on kVAh at per-kWh rate x factor; otherwise on kWh.
4. **Fixed charge.** Rate x billable load (sanctioned load in the tariff's unit, a fraction counting as
   the next whole unit; kVA under kVAh billing) x the part's months.
5. **Minimum charge.** Per part, when energy + fixed fall below the minimum for the part, a top-up line.
6. **Provisional true-up.** ``true_up_units`` (positive: debit, negative: credit, in the billed unit) are
   priced as if consumed on top of this period's units: E(units + true-up) - E(units), where E is this
   bill's energy function extended below zero at the first slab rate of the last part.
7. **Electricity duty** % (per version) on the "rate charged": energy + fixed + minimum top-up + true-up.
8. **FPPAS** % on the same base (energy + fixed + minimum top-up + true-up), not on duty. With a
   percentage per calendar month, each month's percentage applies to its days' share of the base.
9. **Prepaid rebate** % (per version) on energy + fixed + minimum top-up, shown as a negative line.
10. **Subsidy** (rule of the version in force at the period's end), when eligible, as a negative line paid
    by the government: its % of the current charges (energy + fixed + top-up + true-up + duty + FPPAS -
    rebate). Not eligible when the rule needs a metered connection or no arrears and that fails
    (``has_arrears`` or positive ``arrears``).
11. **Meter-not-accessible penalty** (``na_penalty``): Rs per kW of billable load (in kW), once per bill.
12. **LPSC** and **arrears** carried from the ledger as given.
13. **Round-off.** Every line is rounded to the paisa (half up) when it is made; ``total`` is the sum of
    the lines; ``payable`` is ``total`` rounded by :data:`urja.domain.money.PAYABLE_ROUNDING` (to the
    rupee, half up) and the difference is the last line, ``round_off``. So the lines add up to payable.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from enum import StrEnum
from fractions import Fraction
from typing import Any, Self

from urja.domain.money import format_money, format_number, format_rate, round_paisa, round_payable
from urja.domain.rules import (
    ONE_DAY,
    apportion,
    billable_load,
    calendar_month_days,
    derived_rate,
    percent_of,
    period_charge,
    period_days,
    period_months,
    scaled_limit,
    slab_limits,
    split_slabs,
)
from urja.domain.tariff import LoadUnit, MinimumChargeBasis, TariffVersion, version_in_force

ZERO = Decimal("0.00")


class BillBasis(StrEnum):
    MU = "MU"  # metered units
    UM = "UM"  # unmetered, flat
    MIN = "MIN"  # minimum charge applied
    PROV = "PROV"  # provisional (average of the last 3 actual months)
    ASS = "ASS"  # assessed


class LineHead(StrEnum):
    ENERGY = "energy"
    FIXED = "fixed"
    MINIMUM_TOPUP = "minimum_charge_topup"
    TRUE_UP = "provisional_true_up"
    DUTY = "electricity_duty"
    FPPAS = "fppas"
    REBATE = "prepaid_rebate"
    SUBSIDY = "subsidy"
    PENALTY = "na_penalty"
    LPSC = "lpsc"
    ARREARS = "arrears"
    ROUND_OFF = "round_off"


FppasSchedule = Decimal | tuple[tuple[str, Decimal], ...]
"""One FPPAS percentage for the whole period, or ``(("2025-11", Decimal("2.00")), ...)`` per month."""


def _dec(value: Any) -> Decimal:
    if isinstance(value, float):
        raise TypeError(f"use a string, not the float {value!r}, for an exact amount")
    return Decimal(value)


@dataclass(frozen=True, slots=True)
class BillInput:
    tariffs: Sequence[TariffVersion]
    category: str
    sanctioned_load: Decimal
    load_unit: LoadUnit
    period_start: date
    period_end: date  # inclusive
    units: Decimal | None = None  # kWh; None for unmetered
    kvah: Decimal | None = None
    basis: BillBasis = BillBasis.MU
    metered: bool | None = None  # None: follows the basis (UM is unmetered)
    phase: int = 1  # carried for phase-dependent rules; no current rule uses it
    na_penalty: bool = False
    fppas: FppasSchedule = Decimal(0)
    arrears: Decimal = Decimal(0)
    has_arrears: bool = False
    prepaid: bool = False
    true_up_units: Decimal = Decimal(0)
    lpsc: Decimal = Decimal(0)
    fallback_category: str | None = None  # the area's domestic category for a lifeline consumer

    def to_dict(self) -> dict[str, Any]:
        fppas: Any = (
            str(self.fppas) if isinstance(self.fppas, Decimal) else [[m, str(p)] for m, p in self.fppas]
        )
        return {
            "tariffs": [version.to_dict() for version in self.tariffs],
            "category": self.category,
            "sanctioned_load": str(self.sanctioned_load),
            "load_unit": self.load_unit.value,
            "period_start": self.period_start.isoformat(),
            "period_end": self.period_end.isoformat(),
            "units": None if self.units is None else str(self.units),
            "kvah": None if self.kvah is None else str(self.kvah),
            "basis": self.basis.value,
            "metered": self.metered,
            "phase": self.phase,
            "na_penalty": self.na_penalty,
            "fppas": fppas,
            "arrears": str(self.arrears),
            "has_arrears": self.has_arrears,
            "prepaid": self.prepaid,
            "true_up_units": str(self.true_up_units),
            "lpsc": str(self.lpsc),
            "fallback_category": self.fallback_category,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Self:
        raw_fppas = data.get("fppas", "0")
        fppas: FppasSchedule = (
            _dec(raw_fppas)
            if isinstance(raw_fppas, str | int | Decimal)
            else tuple((str(month), _dec(percent)) for month, percent in raw_fppas)
        )
        units, kvah, metered = data.get("units"), data.get("kvah"), data.get("metered")
        return cls(
            tariffs=tuple(TariffVersion.from_dict(item) for item in data["tariffs"]),
            category=str(data["category"]),
            sanctioned_load=_dec(data["sanctioned_load"]),
            load_unit=LoadUnit(data["load_unit"]),
            period_start=date.fromisoformat(data["period_start"]),
            period_end=date.fromisoformat(data["period_end"]),
            units=None if units is None else _dec(units),
            kvah=None if kvah is None else _dec(kvah),
            basis=BillBasis(data.get("basis", "MU")),
            metered=None if metered is None else bool(metered),
            phase=int(data.get("phase", 1)),
            na_penalty=bool(data.get("na_penalty", False)),
            fppas=fppas,
            arrears=_dec(data.get("arrears", "0")),
            has_arrears=bool(data.get("has_arrears", False)),
            prepaid=bool(data.get("prepaid", False)),
            true_up_units=_dec(data.get("true_up_units", "0")),
            lpsc=_dec(data.get("lpsc", "0")),
            fallback_category=data.get("fallback_category"),
        )


@dataclass(frozen=True, slots=True)
class BillLine:
    head: LineHead
    description: str
    amount: Decimal
    quantity: Decimal | None = None
    rate: Decimal | None = None
    unit: str | None = None
    # What the line's words are made of, as plain strings (a slab's bounds, a part's dates, a percentage
    # base, ...): the bill is stored as codes and parameters and rendered in the reader's language at
    # display time; ``description`` is the English rendering kept for logs and the API.
    params: tuple[tuple[str, str], ...] = ()

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "head": self.head.value,
            "description": self.description,
            "amount": format_money(self.amount),
        }
        if self.params:
            data["params"] = dict(self.params)
        if self.quantity is not None:
            data["quantity"] = format_number(self.quantity)
        if self.rate is not None:
            data["rate"] = format_rate(self.rate)
        if self.unit is not None:
            data["unit"] = self.unit
        return data


@dataclass(frozen=True, slots=True)
class BillResult:
    category: str  # the category billed (after a lifeline fallback)
    basis: BillBasis  # MIN when a metered bill needed a minimum-charge top-up
    billed_unit: str | None  # "kWh", "kVAh", or None when unmetered
    billed_quantity: Decimal | None
    months: Fraction
    lines: tuple[BillLine, ...]
    energy_charge: Decimal
    fixed_charge: Decimal
    min_charge_topup: Decimal
    true_up: Decimal
    electricity_duty: Decimal
    fppas: Decimal
    rebate: Decimal  # negative or zero
    subsidy: Decimal  # negative or zero: paid by the government
    penalty: Decimal
    lpsc: Decimal
    arrears: Decimal
    total: Decimal  # before round-off
    round_off: Decimal
    payable: Decimal
    notes: tuple[str, ...] = field(default=())

    def to_dict(self) -> dict[str, Any]:
        money_fields = (
            "energy_charge",
            "fixed_charge",
            "min_charge_topup",
            "true_up",
            "electricity_duty",
            "fppas",
            "rebate",
            "subsidy",
            "penalty",
            "lpsc",
            "arrears",
            "total",
            "round_off",
            "payable",
        )
        return {
            "category": self.category,
            "basis": self.basis.value,
            "billed_unit": self.billed_unit,
            "billed_quantity": None if self.billed_quantity is None else format_number(self.billed_quantity),
            "months": str(self.months),
            "lines": [line.to_dict() for line in self.lines],
            **{name: format_money(getattr(self, name)) for name in money_fields},
            "notes": list(self.notes),
        }


@dataclass(frozen=True, slots=True)
class _Part:
    """One tariff version's share of the period, with everything needed to price it."""

    version: TariffVersion
    days: int
    months: Fraction
    suffix: str  # names the version and dates when the period is split, else ""
    kvah_due: bool  # the version's kVAh rule applies at this load
    kvah_billing: bool  # ... and a kVAh reading was given
    unit: str  # "kWh" or "kVAh"
    limits: tuple[Decimal | None, ...]
    rates: tuple[Decimal, ...]
    tariff_load: Decimal  # billable load in the tariff's unit (kW or BHP)
    fixed_load: Decimal  # billable load the fixed charge is levied on (kVA under kVAh billing)
    fixed_load_unit: LoadUnit
    fixed_rate: Decimal
    start: date | None = None  # the part's dates, for the words of a split period's lines
    end: date | None = None


def tariff_segments(
    tariffs: Sequence[TariffVersion], category: str, start: date, end: date
) -> list[tuple[TariffVersion, date, date]]:
    """Cut the inclusive period where the category's version in force changes: (version, from, to)."""
    cuts = {start}
    for version in tariffs:
        if version.category != category:
            continue
        if start < version.effective_from <= end:
            cuts.add(version.effective_from)
        if version.effective_to is not None and start <= version.effective_to < end:
            cuts.add(version.effective_to + ONE_DAY)
    ordered = sorted(cuts)
    segments: list[tuple[TariffVersion, date, date]] = []
    for index, cut in enumerate(ordered):
        upto = ordered[index + 1] - ONE_DAY if index + 1 < len(ordered) else end
        version = version_in_force(tariffs, category, cut)
        if segments and segments[-1][0] is version:
            segments[-1] = (version, segments[-1][1], upto)
        else:
            segments.append((version, cut, upto))
    return segments


def _months_text(months: Fraction) -> str:
    return f"{months} month" if months <= 1 else f"{months} months"


def _validate(bill: BillInput) -> None:
    if bill.period_end < bill.period_start:
        raise ValueError(
            f"period ends ({bill.period_end.isoformat()}) before it starts ({bill.period_start.isoformat()})"
        )
    if bill.sanctioned_load <= 0:
        raise ValueError(f"sanctioned load must be positive, got {bill.sanctioned_load}")
    for name in ("units", "kvah"):
        value = getattr(bill, name)
        if value is not None and value < 0:
            raise ValueError(f"{name} must not be negative, got {value}")
    if bill.phase not in (1, 3):
        raise ValueError(f"phase must be 1 or 3, got {bill.phase}")
    unmetered_basis = bill.basis is BillBasis.UM
    if bill.metered is not None and bill.metered == unmetered_basis:
        raise ValueError(f"bill basis {bill.basis} does not match metered={bill.metered}")
    if unmetered_basis and (bill.units or bill.kvah or bill.true_up_units):
        raise ValueError("an unmetered (UM) bill takes no units, kVAh or true-up units")


def _lifeline_category(bill: BillInput, months: Fraction, notes: list[str]) -> str:
    rule = version_in_force(bill.tariffs, bill.category, bill.period_end).lifeline
    if rule is None:
        return bill.category
    load_kw = billable_load(bill.sanctioned_load, bill.load_unit, LoadUnit.KW)
    unit_limit = scaled_limit(rule.max_units_per_month, months)
    units = bill.units or Decimal(0)
    if load_kw <= rule.max_load_kw and units <= unit_limit:
        return bill.category
    fallback = bill.fallback_category or rule.fallback_category
    notes.append(
        f"Lifeline limits ({format_number(rule.max_load_kw)} kW, {format_number(unit_limit)} units for the "
        f"period) exceeded by {format_number(load_kw)} kW, {format_number(units)} units: billed as {fallback}"
    )
    return fallback


def _prepare_part(
    bill: BillInput, version: TariffVersion, start: date, end: date, months: Fraction, split: bool
) -> _Part:
    days = period_days(start, end)
    total_days = period_days(bill.period_start, bill.period_end)
    part_months = months if not split else months * Fraction(days, total_days)
    rule = version.kvah
    load, given = bill.sanctioned_load, bill.load_unit
    if rule is None:
        tariff_load = billable_load(load, given, version.load_unit)
    else:
        tariff_load = billable_load(
            load, given, version.load_unit, power_factor=rule.factor, kw_per_bhp=rule.kw_per_bhp
        )
    band = version.band_for(tariff_load)
    threshold = None
    if rule is not None:
        threshold = rule.threshold_bhp if version.load_unit is LoadUnit.BHP else rule.threshold_kw
    kvah_due = threshold is not None and tariff_load >= threshold
    kvah_billing = kvah_due and bill.kvah is not None
    rates = tuple(slab.rate for slab in band.slabs)
    fixed_load, fixed_load_unit, fixed_rate = tariff_load, version.load_unit, band.fixed_rate
    if kvah_billing and rule is not None:
        rates = tuple(derived_rate(rate, rule.factor) for rate in rates)
        fixed_load_unit = LoadUnit.KVA
        fixed_load = billable_load(
            load, given, LoadUnit.KVA, power_factor=rule.factor, kw_per_bhp=rule.kw_per_bhp
        )
        divisor = rule.kw_per_bhp if version.load_unit is LoadUnit.BHP else Decimal(1)
        fixed_rate = derived_rate(band.fixed_rate, rule.factor, divisor)
    suffix = ""
    if split:
        suffix = f" [{version.label} tariff, {start.isoformat()} to {end.isoformat()}]"
    return _Part(
        version=version,
        days=days,
        months=part_months,
        suffix=suffix,
        kvah_due=kvah_due,
        kvah_billing=kvah_billing,
        unit="kVAh" if kvah_billing else "kWh",
        limits=slab_limits([slab.upto for slab in band.slabs], part_months),
        rates=rates,
        tariff_load=tariff_load,
        fixed_load=fixed_load,
        fixed_load_unit=fixed_load_unit,
        fixed_rate=fixed_rate,
        start=start,
        end=end,
    )


def _slab_range(lower: Decimal, limit: Decimal | None, unit: str, only: bool) -> str:
    if only:
        return ""
    if limit is None:
        return f" above {format_number(lower)} {unit}"
    if lower == 0:
        return f" up to {format_number(limit)} {unit}"
    return f" {format_number(lower + 1)}-{format_number(limit)} {unit}"


#: The basis word of an energy line as a code for its params (the English word is in its description).
_ENERGY_BASIS = {"Energy (provisional)": "provisional", "Energy (assessed)": "assessed"}


def _part_params(part: _Part) -> tuple[tuple[str, str], ...]:
    """The tariff part a line belongs to, when the period is split between versions ("" otherwise)."""
    if not part.suffix or part.start is None or part.end is None:
        return ()
    return (
        ("part", part.version.label),
        ("part_from", part.start.isoformat()),
        ("part_to", part.end.isoformat()),
    )


def _energy_params(
    word: str,
    lower: Decimal,
    limit: Decimal | None,
    only: bool,
    inside: Decimal,
    unit: str,
    rate: Decimal,
    part: _Part,
) -> tuple[tuple[str, str], ...]:
    # Built flat, without unpacking: this runs for every slab of every bill.
    params: tuple[tuple[str, str], ...] = (("basis", _ENERGY_BASIS.get(word, "metered")),)
    if not only:
        if limit is None:
            params += (("from", str(lower)),)
        else:
            params += (("from", str(lower)), ("upto", str(limit)))
    params += (("quantity", str(inside)), ("unit", unit), ("rate", str(rate)))
    return params + _part_params(part) if part.suffix else params


def _energy(parts: Sequence[_Part], quantities: Sequence[Decimal], word: str) -> list[list[BillLine]]:
    """Energy lines per part for the given per-part quantities."""
    result: list[list[BillLine]] = []
    for part, quantity in zip(parts, quantities, strict=True):
        lines: list[BillLine] = []
        lower = Decimal(0)
        only = len(part.limits) == 1
        for limit, rate, inside in zip(
            part.limits, part.rates, split_slabs(quantity, part.limits), strict=True
        ):
            if inside:
                lines.append(
                    BillLine(
                        LineHead.ENERGY,
                        f"{word}{_slab_range(lower, limit, part.unit, only)}: {format_number(inside)} "
                        f"{part.unit} @ Rs {format_rate(rate)}{part.suffix}",
                        round_paisa(inside * rate),
                        inside,
                        rate,
                        part.unit,
                        params=_energy_params(word, lower, limit, only, inside, part.unit, rate, part)
                        if word
                        else (),
                    )
                )
            if limit is not None:
                lower = limit
        result.append(lines)
    return result


def _part_quantities(bill: BillInput, parts: Sequence[_Part], delta: Decimal = Decimal(0)) -> list[Decimal]:
    weights = [part.days for part in parts]
    kwh = apportion((bill.units or Decimal(0)) + delta, weights)
    kvah = apportion((bill.kvah or Decimal(0)) + delta, weights)
    return [kv if part.kvah_billing else kw for part, kw, kv in zip(parts, kwh, kvah, strict=True)]


def _energy_total(bill: BillInput, parts: Sequence[_Part], delta: Decimal) -> Decimal:
    """E(quantity + delta): the energy charge had ``delta`` more units been billed (true-up pricing)."""
    quantities = _part_quantities(bill, parts)
    if sum(quantities, Decimal(0)) + delta < 0:
        below_zero = sum(quantities, Decimal(0)) + delta
        return round_paisa(below_zero * parts[-1].rates[0])
    return sum(
        (line.amount for lines in _energy(parts, _part_quantities(bill, parts, delta), "") for line in lines),
        ZERO,
    )


def _percent_groups(
    parts: Sequence[_Part], bases: Sequence[Decimal], percent_of_part: Callable[[TariffVersion], Decimal]
) -> list[tuple[Decimal, Decimal]]:
    """(percent, base) with parts of equal percentage merged, in order of first appearance."""
    groups: dict[Decimal, Decimal] = {}
    for part, base in zip(parts, bases, strict=True):
        percent = percent_of_part(part.version)
        groups[percent] = groups.get(percent, ZERO) + base
    return list(groups.items())


def _fppas_lines(bill: BillInput, base: Decimal) -> list[BillLine]:
    if base == 0:
        return []
    if isinstance(bill.fppas, Decimal):
        percents = {bill.fppas}
        monthly: list[tuple[str, int, Decimal]] = []
    else:
        schedule = dict(bill.fppas)
        monthly = []
        for month, days in calendar_month_days(bill.period_start, bill.period_end):
            if month not in schedule:
                raise ValueError(f"no FPPAS percentage given for {month}")
            monthly.append((month, days, schedule[month]))
        percents = {percent for _, _, percent in monthly}
    if len(percents) == 1:
        (percent,) = percents
        if percent == 0:
            return []
        return [
            BillLine(
                LineHead.FPPAS,
                f"FPPAS {format_number(percent)}% on Rs {format_money(base)}",
                percent_of(base, percent),
                base,
                percent,
                "%",
                params=(("percent", str(percent)), ("base", str(base))),
            )
        ]
    total_days = period_days(bill.period_start, bill.period_end)
    return [
        BillLine(
            LineHead.FPPAS,
            f"FPPAS {month} {format_number(percent)}% on {days}/{total_days} days of Rs {format_money(base)}",
            percent_of(base, percent, Fraction(days, total_days)),
            base,
            percent,
            "%",
            params=(
                ("month", month),
                ("percent", str(percent)),
                ("days", str(days)),
                ("total_days", str(total_days)),
                ("base", str(base)),
            ),
        )
        for month, days, percent in monthly
        if percent != 0
    ]


def _sum(lines: Sequence[BillLine], head: LineHead) -> Decimal:
    return sum((line.amount for line in lines if line.head is head), ZERO)


def compute_bill(bill: BillInput) -> BillResult:
    """Price one bill. Raises ``ValueError`` with a clear message for inconsistent input."""
    _validate(bill)
    months = period_months(bill.period_start, bill.period_end)
    notes: list[str] = []
    category = _lifeline_category(bill, months, notes)
    segments = tariff_segments(bill.tariffs, category, bill.period_start, bill.period_end)
    split = len(segments) > 1
    parts = [_prepare_part(bill, version, start, end, months, split) for version, start, end in segments]
    metered = parts[-1].version.metered
    if metered == (bill.basis is BillBasis.UM):
        kind = "metered" if metered else "unmetered"
        raise ValueError(f"tariff {category} is {kind} but the bill basis is {bill.basis}")

    energy_by_part: list[list[BillLine]] = [[] for _ in parts]
    billed_quantity: Decimal | None = None
    billed_unit: str | None = None
    if metered:
        if any(part.kvah_billing for part in parts):
            billed_unit, billed_quantity = "kVAh", bill.kvah
        elif bill.units is None:
            raise ValueError(f"tariff {category} is metered: give the units (kWh)")
        else:
            billed_unit, billed_quantity = "kWh", bill.units
        if bill.kvah is not None and not any(part.kvah_billing for part in parts):
            notes.append("kVAh reading not used: kVAh billing does not apply at this load")
        word = {BillBasis.PROV: "Energy (provisional)", BillBasis.ASS: "Energy (assessed)"}.get(
            bill.basis, "Energy"
        )
        if bill.kvah is None and any(part.kvah_due for part in parts):
            notes.append("kVAh billing applies at this load but no kVAh reading was given: billed on kWh")
        energy_by_part = _energy(parts, _part_quantities(bill, parts), word)

    lines: list[BillLine] = [line for part_lines in energy_by_part for line in part_lines]
    fixed_lines: list[BillLine] = []
    topup_lines: list[BillLine] = []
    part_bases: list[Decimal] = []
    for part, part_energy in zip(parts, energy_by_part, strict=True):
        sanctioned = ""
        if part.fixed_load != bill.sanctioned_load or part.fixed_load_unit is not bill.load_unit:
            sanctioned = f" (sanctioned {format_number(bill.sanctioned_load)} {bill.load_unit})"
        fixed = BillLine(
            LineHead.FIXED,
            f"Fixed charge: {format_number(part.fixed_load)} {part.fixed_load_unit}{sanctioned} @ Rs "
            f"{format_rate(part.fixed_rate)}/{part.fixed_load_unit}/month x {_months_text(part.months)}"
            f"{part.suffix}",
            period_charge(part.fixed_rate, part.fixed_load, part.months),
            part.fixed_load,
            part.fixed_rate,
            str(part.fixed_load_unit),
            params=(
                ("load", str(part.fixed_load)),
                ("unit", str(part.fixed_load_unit)),
                *(
                    (
                        ("sanctioned", str(bill.sanctioned_load)),
                        ("sanctioned_unit", str(bill.load_unit)),
                    )
                    if sanctioned
                    else ()
                ),
                ("rate", str(part.fixed_rate)),
                ("months", str(part.months)),
                *_part_params(part),
            ),
        )
        fixed_lines.append(fixed)
        charged = sum((line.amount for line in part_energy), ZERO) + fixed.amount
        topup = ZERO
        minimum = part.version.minimum_charge
        if minimum is not None:
            per = part.tariff_load if minimum.basis is MinimumChargeBasis.PER_LOAD else Decimal(1)
            floor = period_charge(minimum.amount, per, part.months)
            if charged < floor:
                topup = floor - charged
                topup_lines.append(
                    BillLine(
                        LineHead.MINIMUM_TOPUP,
                        f"Minimum charge top-up: minimum Rs {format_money(floor)} less Rs "
                        f"{format_money(charged)} charged{part.suffix}",
                        topup,
                        params=(
                            ("minimum", str(floor)),
                            ("charged", str(charged)),
                            *_part_params(part),
                        ),
                    )
                )
        part_bases.append(charged + topup)
    lines += fixed_lines + topup_lines

    true_up = ZERO
    if bill.true_up_units:
        if not metered:
            raise ValueError("a provisional true-up needs a metered tariff")
        true_up = _energy_total(bill, parts, bill.true_up_units) - _energy_total(bill, parts, Decimal(0))
        kind = "debit" if bill.true_up_units > 0 else "credit"
        unit = billed_unit or "kWh"
        lines.append(
            BillLine(
                LineHead.TRUE_UP,
                f"Provisional true-up: {kind} of {format_number(abs(bill.true_up_units))} {unit} billed "
                "provisionally, priced at this bill's slab rates",
                true_up,
                bill.true_up_units,
                None,
                unit,
                params=(("kind", kind), ("quantity", str(abs(bill.true_up_units))), ("unit", unit)),
            )
        )

    duty_bases = list(part_bases)
    duty_bases[-1] += true_up
    for percent, base in _percent_groups(parts, duty_bases, lambda v: v.duty_percent):
        if percent and base:
            lines.append(
                BillLine(
                    LineHead.DUTY,
                    f"Electricity duty {format_number(percent)}% on Rs {format_money(base)}",
                    percent_of(base, percent),
                    base,
                    percent,
                    "%",
                    params=(("percent", str(percent)), ("base", str(base))),
                )
            )

    lines += _fppas_lines(bill, sum(part_bases, ZERO) + true_up)

    if bill.prepaid:
        for percent, base in _percent_groups(parts, part_bases, lambda v: v.prepaid_rebate_percent):
            if percent and base:
                lines.append(
                    BillLine(
                        LineHead.REBATE,
                        f"Prepaid meter rebate {format_number(percent)}% on Rs {format_money(base)}",
                        -percent_of(base, percent),
                        base,
                        percent,
                        "%",
                        params=(("percent", str(percent)), ("base", str(base))),
                    )
                )

    subsidy_rule = parts[-1].version.subsidy
    if subsidy_rule is not None:
        in_arrears = bill.has_arrears or bill.arrears > 0
        if subsidy_rule.metered_only and not metered:
            notes.append("No subsidy: the subsidy is for metered connections only")
        elif subsidy_rule.requires_no_arrears and in_arrears:
            notes.append("No subsidy: the connection has arrears")
        else:
            base = sum((line.amount for line in lines), ZERO)
            if base > 0 and subsidy_rule.percent:
                lines.append(
                    BillLine(
                        LineHead.SUBSIDY,
                        f"Subsidy {format_number(subsidy_rule.percent)}% of current charges Rs "
                        f"{format_money(base)}, paid by {subsidy_rule.payer}",
                        -percent_of(base, subsidy_rule.percent),
                        base,
                        subsidy_rule.percent,
                        "%",
                        params=(
                            ("percent", str(subsidy_rule.percent)),
                            ("base", str(base)),
                            ("payer", subsidy_rule.payer),
                        ),
                    )
                )

    if bill.na_penalty:
        rate = parts[-1].version.na_penalty_per_kw
        load_kw = billable_load(bill.sanctioned_load, bill.load_unit, LoadUnit.KW)
        if rate:
            lines.append(
                BillLine(
                    LineHead.PENALTY,
                    f"Meter not accessible penalty: {format_number(load_kw)} kW @ Rs {format_rate(rate)}/kW",
                    round_paisa(rate * load_kw),
                    load_kw,
                    rate,
                    "kW",
                    params=(("load", str(load_kw)), ("unit", "kW"), ("rate", str(rate))),
                )
            )
    if bill.lpsc:
        lines.append(
            BillLine(
                LineHead.LPSC,
                "Late payment surcharge",
                round_paisa(bill.lpsc),
                params=(("amount", str(bill.lpsc)),),
            )
        )
    if bill.arrears:
        lines.append(
            BillLine(
                LineHead.ARREARS,
                "Arrears",
                round_paisa(bill.arrears),
                params=(("amount", str(bill.arrears)),),
            )
        )

    total = sum((line.amount for line in lines), ZERO)
    payable = round_payable(total)
    round_off = payable - total
    lines.append(
        BillLine(
            LineHead.ROUND_OFF,
            "Round-off to the rupee",
            round_off,
            params=(("total", str(total)), ("payable", str(payable))),
        )
    )

    topup_total = _sum(lines, LineHead.MINIMUM_TOPUP)
    basis = bill.basis
    if basis is BillBasis.MU and topup_total > 0:
        basis = BillBasis.MIN
    return BillResult(
        category=category,
        basis=basis,
        billed_unit=billed_unit,
        billed_quantity=billed_quantity,
        months=months,
        lines=tuple(lines),
        energy_charge=_sum(lines, LineHead.ENERGY),
        fixed_charge=_sum(lines, LineHead.FIXED),
        min_charge_topup=topup_total,
        true_up=true_up,
        electricity_duty=_sum(lines, LineHead.DUTY),
        fppas=_sum(lines, LineHead.FPPAS),
        rebate=_sum(lines, LineHead.REBATE),
        subsidy=_sum(lines, LineHead.SUBSIDY),
        penalty=_sum(lines, LineHead.PENALTY),
        lpsc=_sum(lines, LineHead.LPSC),
        arrears=_sum(lines, LineHead.ARREARS),
        total=total,
        round_off=round_off,
        payable=payable,
        notes=tuple(notes),
    )
