"""The bill engine: one :class:`BillInput` in, one :class:`BillResult` out. Pure, exact, deterministic.

The rules, in the order they are applied (the small rules themselves live in :mod:`urja.domain.rules`):

1. **Category.** A lifeline (``LMV1-LIFELINE``) consumer whose billable load exceeds the lifeline load
   or whose units exceed the lifeline units x months is billed, for the whole period, as the normal
   domestic category of his area: ``BillInput.fallback_category``, else the rule's ``fallback_category``.
2. **Tariff parts.** The period is cut wherever the category's tariff version changes; each part gets
   its days' share of the period's months and of the units (see :mod:`urja.domain.rules`), and line
   descriptions name the version and dates of their part. A load or category change
   (``BillInput.changes``) cuts the period likewise: each stretch is priced on its own particulars,
   by days (decision 0044).
3. **Energy charge.** Telescopic slabs, limits = monthly limit x the part's months (whole units, half
   up). With kVAh billing (the version has a kVAh rule, the billable load reaches its threshold and a
   kVAh reading is given) energy is billed on kVAh at per-kWh rate x factor; otherwise on kWh.
4. **Fixed charge.** Rate x billable load (sanctioned load in the tariff's unit, a fraction counting as
   the next whole unit; kVA under kVAh billing) x the part's months. A version with a demand rule
   charges demand on kVA maximum demand instead, with excess-demand, time-of-day, power-factor and
   voltage/load-factor rebate lines (:mod:`urja.domain.demand`).
5. **Minimum charge.** Per part, when energy + fixed fall below the minimum for the part, a top-up line.
6. **Provisional true-up.** ``true_up_periods`` name the earlier periods billed provisionally with the
   units billed and the units the actual reading shows for each; each is re-billed on its own slab
   widths, category and tariff: E_period(actual) - E_period(billed), one line per period (positive: a
   debit, negative: a credit). Without periods (calculator input), ``true_up_units`` are priced as if
   consumed on top of this period's units on the slabs of the consumer's own category:
   E(units + true-up) - E(units), extended below zero at the first slab rate of the last part.
7. **Electricity duty** % (per version) on the "rate charged": energy + fixed + minimum top-up + true-up,
   plus the FPPAS amount when the version's ``duty_on_fppas`` is set (the FPPAS line is split over the
   parts by their bases, the last part taking the remainder).
8. **FPPAS** % on the same base (energy + fixed + minimum top-up + true-up), never on duty: one
   percentage, that of the month the bill is raised in (``fppas_month``, named on the line), whatever
   months the consumption period covers. It may be negative (a rebate month).
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

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from decimal import Decimal
from enum import StrEnum
from fractions import Fraction
from typing import Any, Self

from urja.domain import demand as dem
from urja.domain import solar
from urja.domain.load_limits import check_load
from urja.domain.money import exact, format_money, format_number, format_rate, round_paisa, round_payable
from urja.domain.rules import (
    ONE_DAY,
    apportion,
    billable_load,
    derived_rate,
    percent_of,
    period_charge,
    period_days,
    period_months,
    scaled_limit,
    slab_limits,
    split_slabs,
)
from urja.domain.solar import SolarScheme
from urja.domain.tariff import (
    KVA_POWER_FACTOR,
    LoadUnit,
    MinimumChargeBasis,
    TariffBook,
    TariffVersion,
    version_in_force,
    versions_of,
)

ZERO = Decimal("0.00")
HUNDRED = Decimal(100)


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
    # urja.domain.demand: HV and TOD tariffs
    DEMAND = "demand"
    EXCESS_DEMAND = "excess_demand"
    TOD = "tod"
    POWER_FACTOR = "power_factor"
    VOLTAGE_REBATE = "voltage_rebate"
    LOAD_FACTOR_REBATE = "load_factor_rebate"
    NET_METERING = "solar_net_metering"  # the netting of import, export and banked units (amount 0)
    SOLAR_EXPORT = "solar_export_credit"  # gross metering: the export paid at the feed-in rate
    LATE_REBATE = "late_bill_rebate"


_BILL_MONTH = re.compile(r"^[0-9]{4}-(0[1-9]|1[0-2])$")


@dataclass(frozen=True, slots=True)
class TrueUpPeriod:
    """One earlier bill period billed provisionally (``billed_units``) whose consumption the actual
    reading has now shown (``actual_units``, that period's share of the units read). The true-up re-bills
    the period on its own slab widths and tariff: E(actual) - E(billed) for that period."""

    start: date
    end: date  # inclusive
    billed_units: Decimal
    actual_units: Decimal

    def to_dict(self) -> dict[str, str]:
        return {
            "start": self.start.isoformat(),
            "end": self.end.isoformat(),
            "billed_units": str(self.billed_units),
            "actual_units": str(self.actual_units),
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Self:
        return cls(
            start=date.fromisoformat(data["start"]),
            end=date.fromisoformat(data["end"]),
            billed_units=exact(data["billed_units"]),
            actual_units=exact(data["actual_units"]),
        )


@dataclass(frozen=True, slots=True)
class ParticularsChange:
    """A change of the connection's billing particulars (load change, category change) in force from
    ``effective_from``: from that day on the period is priced on these particulars, before it on the
    bill's own (or an earlier change's)."""

    effective_from: date
    category: str
    sanctioned_load: Decimal
    load_unit: LoadUnit

    def to_dict(self) -> dict[str, str]:
        return {
            "effective_from": self.effective_from.isoformat(),
            "category": self.category,
            "sanctioned_load": str(self.sanctioned_load),
            "load_unit": self.load_unit.value,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Self:
        return cls(
            effective_from=date.fromisoformat(data["effective_from"]),
            category=str(data["category"]),
            sanctioned_load=exact(data["sanctioned_load"]),
            load_unit=LoadUnit(data["load_unit"]),
        )


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
    fppas: Decimal = Decimal(0)  # the FPPAS % of the bill (issue) month; negative in a rebate month
    arrears: Decimal = Decimal(0)
    has_arrears: bool = False
    prepaid: bool = False
    true_up_units: Decimal = Decimal(0)
    lpsc: Decimal = Decimal(0)
    fallback_category: str | None = None  # the area's domestic category for a lifeline consumer
    # The provisional periods the true-up re-bills, oldest first; their (actual - billed) units add up
    # to ``true_up_units``. Empty: the true-up units are priced on this bill's slabs (calculator input).
    true_up_periods: tuple[TrueUpPeriod, ...] = ()
    fppas_month: str | None = None  # YYYY-MM the bill is raised in, whose FPPAS order ``fppas`` is
    md_kva: Decimal | None = None  # recorded maximum demand (kVA) of the period
    tod_registers: tuple[tuple[str, Decimal], ...] = ()  # (slot name, kWh or kVAh) from a TOD meter
    supply_kv: Decimal | None = None  # supply voltage in kV (voltage rebates)
    power_factor: Decimal | None = None  # average PF; None: kWh / kVAh when both are given
    # Rooftop solar (urja.domain.solar): the scheme, the export register's units, the units banked by
    # earlier bills (net metering) and the feed-in rate (gross metering).
    solar_scheme: SolarScheme = SolarScheme.NONE
    export_units: Decimal | None = None
    banked_units: Decimal = Decimal(0)
    feed_in_rate: Decimal = Decimal(0)
    # Late-bill rebate (urja.domain.late_bill): the percentage due and how late the bill is served.
    late_rebate_percent: Decimal = Decimal(0)
    days_late: int = 0
    # Per-consumer duty exemption: the share of the duty remitted (100: exempt) and the order granting it.
    duty_exempt_percent: Decimal = Decimal(0)
    duty_exemption_order: str = ""
    # Load / category changes effective inside the period, in date order. ``category``,
    # ``sanctioned_load`` and ``load_unit`` above are the particulars in force at the period's start;
    # each change takes over from its date (the period is split there by days).
    changes: tuple[ParticularsChange, ...] = ()
    # The supply was off (temporarily disconnected) for the whole period: no energy is billed and no
    # minimum charge topped up; the fixed (demand) charges and what is levied on them stand.
    supply_off: bool = False

    def to_dict(self) -> dict[str, Any]:
        return {
            **({"supply_off": True} if self.supply_off else {}),
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
            "fppas": str(self.fppas),
            "arrears": str(self.arrears),
            "has_arrears": self.has_arrears,
            "prepaid": self.prepaid,
            "true_up_units": str(self.true_up_units),
            "lpsc": str(self.lpsc),
            "fallback_category": self.fallback_category,
            **(
                {"true_up_periods": [p.to_dict() for p in self.true_up_periods]}
                if self.true_up_periods
                else {}
            ),
            "fppas_month": self.fppas_month,
            "md_kva": None if self.md_kva is None else str(self.md_kva),
            "tod_registers": [[name, str(quantity)] for name, quantity in self.tod_registers],
            "supply_kv": None if self.supply_kv is None else str(self.supply_kv),
            "power_factor": None if self.power_factor is None else str(self.power_factor),
            "solar_scheme": self.solar_scheme.value,
            "export_units": None if self.export_units is None else str(self.export_units),
            "banked_units": str(self.banked_units),
            "feed_in_rate": str(self.feed_in_rate),
            "late_rebate_percent": str(self.late_rebate_percent),
            "days_late": self.days_late,
            "duty_exempt_percent": str(self.duty_exempt_percent),
            "duty_exemption_order": self.duty_exemption_order,
            **({"changes": [c.to_dict() for c in self.changes]} if self.changes else {}),
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Self:
        raw_fppas = data.get("fppas", "0")
        if not isinstance(raw_fppas, str | int | Decimal):
            raise ValueError("FPPAS is one percentage, that of the bill month, not one per consumption month")
        units, kvah, metered = data.get("units"), data.get("kvah"), data.get("metered")
        return cls(
            tariffs=TariffBook(TariffVersion.from_dict(item) for item in data["tariffs"]),
            category=str(data["category"]),
            sanctioned_load=exact(data["sanctioned_load"]),
            load_unit=LoadUnit(data["load_unit"]),
            period_start=date.fromisoformat(data["period_start"]),
            period_end=date.fromisoformat(data["period_end"]),
            units=None if units is None else exact(units),
            kvah=None if kvah is None else exact(kvah),
            basis=BillBasis(data.get("basis", "MU")),
            metered=None if metered is None else bool(metered),
            phase=int(data.get("phase", 1)),
            na_penalty=bool(data.get("na_penalty", False)),
            fppas=exact(raw_fppas),
            arrears=exact(data.get("arrears", "0")),
            has_arrears=bool(data.get("has_arrears", False)),
            prepaid=bool(data.get("prepaid", False)),
            true_up_units=exact(data.get("true_up_units", "0")),
            lpsc=exact(data.get("lpsc", "0")),
            fallback_category=data.get("fallback_category"),
            true_up_periods=tuple(TrueUpPeriod.from_dict(p) for p in data.get("true_up_periods", ())),
            fppas_month=data.get("fppas_month"),
            **_demand_inputs(data),
            solar_scheme=SolarScheme(data.get("solar_scheme", "")),
            export_units=None if data.get("export_units") is None else exact(data["export_units"]),
            banked_units=exact(data.get("banked_units", "0")),
            feed_in_rate=exact(data.get("feed_in_rate", "0")),
            late_rebate_percent=exact(data.get("late_rebate_percent", "0")),
            days_late=int(data.get("days_late", 0)),
            duty_exempt_percent=exact(data.get("duty_exempt_percent", "0")),
            duty_exemption_order=str(data.get("duty_exemption_order", "")),
            changes=tuple(ParticularsChange.from_dict(c) for c in data.get("changes", ())),
            supply_off=bool(data.get("supply_off", False)),
        )


def _demand_inputs(data: Mapping[str, Any]) -> dict[str, Any]:
    md, kv, pf = data.get("md_kva"), data.get("supply_kv"), data.get("power_factor")
    return {
        "md_kva": None if md is None else exact(md),
        "tod_registers": tuple((str(name), exact(q)) for name, q in data.get("tod_registers") or ()),
        "supply_kv": None if kv is None else exact(kv),
        "power_factor": None if pf is None else exact(pf),
    }


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


#: The amounts of a result every bill has, in the order of its dictionary (the golden vectors' keys) ...
RESULT_CORE_MONEY_FIELDS = (
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
#: ... and with those of demand-billed (HV, TOD) tariffs.
RESULT_MONEY_FIELDS = (
    *RESULT_CORE_MONEY_FIELDS,
    "demand_charge",
    "excess_demand",
    "tod",
    "power_factor_adjustment",
    "demand_rebates",
)


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
    demand_charge: Decimal = ZERO
    excess_demand: Decimal = ZERO
    tod: Decimal = ZERO  # time-of-day surcharges less rebates
    power_factor_adjustment: Decimal = ZERO
    demand_rebates: Decimal = ZERO  # voltage and load-factor rebates, negative or zero
    export_units: Decimal | None = None  # the export register's units of the period (rooftop solar)
    banked_units: Decimal | None = None  # net metering: units banked after this bill, carried forward
    solar_credit: Decimal = ZERO  # gross metering: the export credit, negative or zero
    late_rebate: Decimal = ZERO  # negative or zero
    import_units: Decimal | None = None  # net metering: the import register's units (before netting)

    def to_dict(self) -> dict[str, Any]:
        return {
            "category": self.category,
            "basis": self.basis.value,
            "billed_unit": self.billed_unit,
            "billed_quantity": None if self.billed_quantity is None else format_number(self.billed_quantity),
            "months": str(self.months),
            "lines": [line.to_dict() for line in self.lines],
            **{name: format_money(getattr(self, name)) for name in RESULT_MONEY_FIELDS},
            "notes": list(self.notes),
            "export_units": None if self.export_units is None else format_number(self.export_units),
            "banked_units": None if self.banked_units is None else format_number(self.banked_units),
            "solar_credit": format_money(self.solar_credit),
            "late_rebate": format_money(self.late_rebate),
            "import_units": None if self.import_units is None else format_number(self.import_units),
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
    label: str = ""  # the version's label, with the category and load when the particulars change
    owner: BillInput | None = None  # the bill with this part's particulars (None: the bill itself)


def tariff_segments(
    tariffs: Sequence[TariffVersion], category: str, start: date, end: date
) -> list[tuple[TariffVersion, date, date]]:
    """Cut the inclusive period where the category's version in force changes: (version, from, to)."""
    cuts = {start}
    for version in versions_of(tariffs, category):
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
    if bill.supply_off and (unmetered_basis or bill.units or bill.kvah or bill.true_up_units):
        raise ValueError("a bill for a supply disconnected all period is metered and takes no units")
    if bill.true_up_periods:
        caught_up = sum((p.actual_units - p.billed_units for p in bill.true_up_periods), Decimal(0))
        if caught_up != bill.true_up_units:
            raise ValueError(
                f"the true-up periods add up to {caught_up} units, not the {bill.true_up_units} true-up units"
            )
        for p in bill.true_up_periods:
            if p.end < p.start or p.end >= bill.period_start or p.billed_units < 0 or p.actual_units < 0:
                raise ValueError(
                    f"a true-up period ({p.start.isoformat()} to {p.end.isoformat()}) must end before the "
                    "bill's period and have units of zero or more"
                )
    if bill.fppas_month is not None and not _BILL_MONTH.match(bill.fppas_month):
        raise ValueError(f"the FPPAS bill month is written YYYY-MM, got {bill.fppas_month!r}")
    previous = bill.period_start
    for change in bill.changes:
        if (
            not bill.period_start <= change.effective_from <= bill.period_end
            or change.effective_from < previous
        ):
            raise ValueError(
                f"a change of particulars effective {change.effective_from.isoformat()} must fall within "
                "the period, in date order"
            )
        if change.sanctioned_load <= 0:
            raise ValueError(f"sanctioned load must be positive, got {change.sanctioned_load}")
        previous = change.effective_from
    _validate_demand(bill)


def _particulars(bill: BillInput) -> list[tuple[BillInput, date, date]]:
    """The period cut where the particulars change: (bill with that stretch's particulars, from, to).
    A change that leaves category, load and unit as they were does not cut the period; one effective on
    the period's first day replaces the bill's particulars."""
    if not bill.changes:
        return [(bill, bill.period_start, bill.period_end)]
    stretches: list[tuple[BillInput, date, date]] = []
    current, start = replace(bill, changes=()), bill.period_start
    for change in bill.changes:
        same = (change.category, change.sanctioned_load, change.load_unit) == (
            current.category,
            current.sanctioned_load,
            current.load_unit,
        )
        if same:
            continue
        if change.effective_from > start:
            stretches.append((current, start, change.effective_from - ONE_DAY))
        start = change.effective_from
        current = replace(
            current,
            category=change.category,
            sanctioned_load=change.sanctioned_load,
            load_unit=change.load_unit,
        )
    stretches.append((current, start, bill.period_end))
    return stretches


def _validate_demand(bill: BillInput) -> None:
    if bill.md_kva is not None and bill.md_kva < 0:
        raise ValueError(f"maximum demand must not be negative, got {bill.md_kva}")
    if bill.power_factor is not None and not 0 < bill.power_factor <= 1:
        raise ValueError(f"power factor must be above 0 and at most 1, got {bill.power_factor}")
    if bill.supply_kv is not None and bill.supply_kv <= 0:
        raise ValueError(f"supply voltage must be positive, got {bill.supply_kv}")
    names = [name for name, _ in bill.tod_registers]
    if len(set(names)) != len(names) or any(q < 0 for _, q in bill.tod_registers):
        raise ValueError("TOD registers need distinct slot names and non-negative values")


def _lifeline_category(
    bill: BillInput, months: Fraction, notes: list[str], units: Decimal | None = None, on: date | None = None
) -> str:
    rule = version_in_force(bill.tariffs, bill.category, on or bill.period_end).lifeline
    if rule is None:
        return bill.category
    load_kw = billable_load(bill.sanctioned_load, bill.load_unit, LoadUnit.KW)
    unit_limit = scaled_limit(rule.max_units_per_month, months)
    if units is None:
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
    bill: BillInput,
    version: TariffVersion,
    start: date,
    end: date,
    months: Fraction,
    split: bool,
    owner: BillInput | None = None,
) -> _Part:
    days = period_days(start, end)
    total_days = period_days(bill.period_start, bill.period_end)
    part_months = months if not split else months * Fraction(days, total_days)
    rule = version.kvah
    particulars = bill if owner is None else owner
    load, given = particulars.sanctioned_load, particulars.load_unit
    label = version.label
    if owner is not None:
        label = f"{version.label}, {owner.category}, {format_number(load)} {given}"
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
        suffix = f" [{label} tariff, {start.isoformat()} to {end.isoformat()}]"
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
        label=label,
        owner=owner,
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
        ("part", part.label or part.version.label),
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
    """The one FPPAS line: the bill month's percentage on the whole base (none when 0 or no base)."""
    if base == 0 or bill.fppas == 0:
        return []
    percent, base_text = format_number(bill.fppas), format_money(base)
    params: tuple[tuple[str, str], ...] = (("percent", percent), ("base", base_text))
    description = f"FPPAS {percent}% on Rs {base_text}"
    if bill.fppas_month is not None:
        params = (("month", bill.fppas_month), *params)
        description = f"FPPAS for bills of {bill.fppas_month}: {percent}% on Rs {base_text}"
    return [
        BillLine(LineHead.FPPAS, description, percent_of(base, bill.fppas), base, bill.fppas, "%", params)
    ]


def _fppas_shares(parts: Sequence[_Part], bases: Sequence[Decimal], fppas: Decimal) -> list[Decimal]:
    """The FPPAS amount split over the parts in proportion to their bases (each part's share rounded
    to the paisa, the last part taking the remainder so the shares add up to the line)."""
    total = sum(bases, ZERO)
    if not fppas or not total:
        return [ZERO for _ in parts]
    shares = [percent_of(base, Decimal(100), Fraction(fppas) / Fraction(total)) for base in bases[:-1]]
    return [*shares, fppas - sum(shares, ZERO)]


def _sum(lines: Sequence[BillLine], head: LineHead) -> Decimal:
    return sum((line.amount for line in lines if line.head is head), ZERO)


def period_energy_charge(bill: BillInput, start: date, end: date, units: Decimal) -> Decimal:
    """The energy charge ``units`` kWh would have cost over ``start``-``end`` for ``bill``'s consumer:
    that period's category (a lifeline consumer over the limits falls back for it), tariff versions
    (split by days where one changed) and slab widths scaled to that period's months."""
    period = _replace_period(bill, start, end, units)
    months = period_months(start, end)
    category = _lifeline_category(period, months, [])
    segments = tariff_segments(period.tariffs, category, start, end)
    split = len(segments) > 1
    parts = [_prepare_part(period, version, a, b, months, split) for version, a, b in segments]
    if not parts[-1].version.metered:
        raise ValueError(
            f"a true-up period ({start.isoformat()} to {end.isoformat()}) falls on unmetered {category}"
        )
    quantities = _part_quantities(period, parts)
    return sum((line.amount for lines in _energy(parts, quantities, "") for line in lines), ZERO)


def _replace_period(bill: BillInput, start: date, end: date, units: Decimal) -> BillInput:
    return BillInput(
        tariffs=bill.tariffs,
        category=bill.category,
        sanctioned_load=bill.sanctioned_load,
        load_unit=bill.load_unit,
        period_start=start,
        period_end=end,
        units=units,
        fallback_category=bill.fallback_category,
    )


def _true_up_by_period(bill: BillInput) -> list[BillLine]:
    """One line per provisional period: re-billed on its own slabs, E(actual) - E(billed)."""
    lines: list[BillLine] = []
    for period in bill.true_up_periods:
        difference = period.actual_units - period.billed_units
        amount = period_energy_charge(
            bill, period.start, period.end, period.actual_units
        ) - period_energy_charge(bill, period.start, period.end, period.billed_units)
        kind = "debit" if difference >= 0 else "credit"
        lines.append(
            BillLine(
                LineHead.TRUE_UP,
                f"Provisional true-up {period.start.isoformat()} to {period.end.isoformat()}: "
                f"{format_number(period.billed_units)} kWh billed, {format_number(period.actual_units)} kWh "
                f"used ({kind} of {format_number(abs(difference))} kWh), re-billed on that period's slabs",
                amount,
                difference,
                None,
                "kWh",
                params=(
                    ("start", period.start.isoformat()),
                    ("end", period.end.isoformat()),
                    ("billed", format_number(period.billed_units)),
                    ("actual", format_number(period.actual_units)),
                    ("kind", kind),
                    ("units", format_number(abs(difference))),
                    ("unit", "kWh"),
                ),
            )
        )
    return lines


def _total(lines: Sequence[BillLine]) -> Decimal:
    return sum((line.amount for line in lines), ZERO)


def _line(charge: dem.Charge) -> BillLine:
    return BillLine(
        LineHead(charge.head),
        charge.description,
        charge.amount,
        charge.quantity,
        charge.rate,
        charge.unit,
        charge.params,
    )


def _contracted_kva(bill: BillInput) -> Decimal:
    return billable_load(bill.sanctioned_load, bill.load_unit, LoadUnit.KVA, power_factor=KVA_POWER_FACTOR)


def _demand_lines(bill: BillInput, part: _Part) -> tuple[BillLine, list[BillLine]]:
    """The demand charge (in place of the band's fixed charge) and the excess-demand line, if any."""
    assert part.version.demand is not None
    charges = dem.demand_charges(
        part.version.demand,
        contracted_kva=_contracted_kva(part.owner or bill),
        md_kva=bill.md_kva,
        months=part.months,
        suffix=part.suffix,
    )
    return _line(charges[0]), [_line(charge) for charge in charges[1:]]


def _energy_adjustments(
    bill: BillInput, parts: Sequence[_Part], energy: Sequence[Sequence[BillLine]], unit: str, notes: list[str]
) -> list[BillLine]:
    """Time-of-day and power-factor lines on the period's energy charge (rules of the last part)."""
    version = parts[-1].version
    result: list[BillLine] = []
    if version.tod is None and version.power_factor is None and not bill.tod_registers:
        return result
    energy_charge = sum((line.amount for lines in energy for line in lines), ZERO)
    if version.tod is not None and bill.tod_registers:
        result += [_line(c) for c in dem.tod_charges(version.tod, bill.tod_registers, energy_charge, unit)]
    elif version.tod is not None:
        notes.append("Time-of-day tariff but no TOD meter registers were given: billed at the normal rate")
    elif bill.tod_registers:
        notes.append("TOD registers not used: this tariff has no time-of-day rates")
    rule = version.power_factor
    if rule is not None and any(part.kvah_billing for part in parts):
        notes.append("Power factor is priced by kVAh billing: no power-factor surcharge or rebate")
    elif rule is not None:
        pf = bill.power_factor or dem.average_power_factor(bill.units, bill.kvah)
        charge = None if pf is None else dem.power_factor_charge(rule, pf, energy_charge)
        if pf is None:
            notes.append("Average power factor not known (no kVAh reading): no power-factor adjustment")
        elif charge is not None:
            result.append(_line(charge))
    return result


def _demand_rebates(
    bill: BillInput, parts: Sequence[_Part], lines: Sequence[BillLine], quantity: Decimal | None
) -> list[BillLine]:
    """Supply-voltage and load-factor rebates (rules of the last part)."""
    version = parts[-1].version
    result: list[BillLine] = []
    if not version.voltage_rebates and version.load_factor_rebate is None:
        return result
    base = sum((line.amount for line in lines if line.head in _VOLTAGE_REBATE_HEADS), ZERO)
    voltage = dem.voltage_rebate_charge(version.voltage_rebates, bill.supply_kv, base)
    if voltage is not None:
        result.append(_line(voltage))
    rule = version.load_factor_rebate
    if rule is not None and version.demand is not None and quantity is not None:
        demand = dem.billable_demand(version.demand, _contracted_kva(bill), bill.md_kva)
        factor = dem.load_factor(quantity, demand, period_days(bill.period_start, bill.period_end))
        energy = _sum(lines, LineHead.ENERGY)
        charge = dem.load_factor_rebate_charge(rule, factor, energy)
        if charge is not None:
            result.append(_line(charge))
    return result


_VOLTAGE_REBATE_HEADS = frozenset({LineHead.ENERGY, LineHead.TOD, LineHead.DEMAND})


def _solar_netting(bill: BillInput) -> tuple[BillInput, list[BillLine], solar.NetMetering | None]:
    """Net metering: the bill with its units replaced by the net units, the netting line, and the
    netting (units banked after the bill). Other schemes: the bill unchanged, no line, no netting."""
    if bill.export_units is not None and bill.export_units < 0:
        raise ValueError(f"export units must not be negative, got {bill.export_units}")
    if bill.solar_scheme is SolarScheme.NONE:
        if bill.export_units or bill.banked_units:
            raise ValueError("export or banked units given for a consumer without rooftop solar")
        return bill, [], None
    if bill.solar_scheme is SolarScheme.GROSS:
        if bill.banked_units:
            raise ValueError("gross metering banks no units")
        return bill, [], None
    if bill.units is None:
        raise ValueError("net metering needs the import units (kWh)")
    net = solar.net_metering(bill.units, bill.export_units or Decimal(0), bill.banked_units)
    text = (
        f"Net metering: import {format_number(net.imported)} kWh - export {format_number(net.exported)} kWh"
        f" - banked {format_number(net.banked_before)} kWh"
    )
    if net.banked_after:
        text += f": {format_number(net.banked_after)} kWh banked for the next bill"
    else:
        text += f" = {format_number(net.billed)} kWh billed"
    line = BillLine(
        LineHead.NET_METERING,
        text,
        ZERO,
        net.billed,
        None,
        "kWh",
        params=(
            ("import", format_number(net.imported)),
            ("export", format_number(net.exported)),
            ("banked_before", format_number(net.banked_before)),
            ("billed", format_number(net.billed)),
            ("banked_after", format_number(net.banked_after)),
        ),
    )
    # kVAh billing is not netted (the export register is kWh): a net-metering bill is billed on kWh.
    return replace(bill, units=net.billed, kvah=None), [line], net


def _duty_line(bill: BillInput, percent: Decimal, base: Decimal, notes: list[str]) -> BillLine | None:
    """The electricity duty line, reduced (or omitted) by the consumer's duty exemption."""
    exempt = bill.duty_exempt_percent
    if exempt and not ZERO < exempt <= HUNDRED:
        raise ValueError(f"a duty exemption must be 0-100%, got {exempt}")
    if not exempt:
        return BillLine(
            LineHead.DUTY,
            f"Electricity duty {format_number(percent)}% on Rs {format_money(base)}",
            percent_of(base, percent),
            base,
            percent,
            "%",
            params=(("percent", str(percent)), ("base", str(base))),
        )
    order = bill.duty_exemption_order or "order not recorded"
    if exempt == 100:
        notes.append(f"Electricity duty {format_number(percent)}% not levied: exempt by {order}")
        return None
    levied = percent * (HUNDRED - exempt) / HUNDRED
    notes.append(f"Electricity duty reduced by {format_number(exempt)}% by {order}")
    return BillLine(
        LineHead.DUTY,
        f"Electricity duty {format_number(levied)}% ({format_number(percent)}% less "
        f"{format_number(exempt)}% exempt by {order}) on Rs {format_money(base)}",
        percent_of(base, levied),
        base,
        levied,
        "%",
        params=(
            ("percent", format_number(levied)),
            ("duty_percent", format_number(percent)),
            ("exempt_percent", format_number(exempt)),
            ("order", order),
            ("base", format_money(base)),
        ),
    )


def _late_rebate_lines(bill: BillInput, lines: Sequence[BillLine]) -> list[BillLine]:
    """The late-bill rebate: its percentage of the current charges so far (energy to prepaid rebate)."""
    percent = bill.late_rebate_percent
    if not percent:
        return []
    if not ZERO < percent <= HUNDRED:
        raise ValueError(f"a late-bill rebate must be 0-100%, got {percent}")
    base = sum((line.amount for line in lines), ZERO)
    if base <= 0:
        return []
    return [
        BillLine(
            LineHead.LATE_REBATE,
            f"Late bill rebate {format_number(percent)}% on Rs {format_money(base)} (bill served "
            f"{bill.days_late} days after the period)",
            -percent_of(base, percent),
            base,
            percent,
            "%",
            params=(
                ("percent", format_number(percent)),
                ("base", format_money(base)),
                ("days", str(bill.days_late)),
            ),
        )
    ]


def _solar_export_lines(bill: BillInput) -> list[BillLine]:
    """Gross metering: all export paid for at the feed-in rate, as a credit line."""
    exported = bill.export_units or Decimal(0)
    if bill.solar_scheme is not SolarScheme.GROSS or not exported:
        return []
    if not bill.feed_in_rate:
        raise ValueError("gross metering: no feed-in rate given for the export")
    return [
        BillLine(
            LineHead.SOLAR_EXPORT,
            f"Solar export (gross metering): {format_number(exported)} kWh @ Rs {format_rate(bill.feed_in_rate)}",
            solar.feed_in_credit(exported, bill.feed_in_rate),
            exported,
            bill.feed_in_rate,
            "kWh",
            params=(("units", format_number(exported)), ("rate", format_rate(bill.feed_in_rate))),
        )
    ]


def _changed_parts(
    bill: BillInput, stretches: Sequence[tuple[BillInput, date, date]], months: Fraction, notes: list[str]
) -> list[_Part]:
    """The parts of a period whose particulars change: each stretch on its own category (lifeline
    decided on the stretch's share of the units by days against its months) and load, cut again where
    that category's tariff version changes."""
    total_days = period_days(bill.period_start, bill.period_end)
    shares = apportion(bill.units or Decimal(0), [period_days(start, end) for _, start, end in stretches])
    cuts: list[tuple[BillInput, TariffVersion, date, date]] = []
    for (owner, start, end), units in zip(stretches, shares, strict=True):
        stretch_months = months * Fraction(period_days(start, end), total_days)
        own_notes: list[str] = []
        category = _lifeline_category(owner, stretch_months, own_notes, units=units, on=end)
        notes += [f"{note} [{start.isoformat()} to {end.isoformat()}]" for note in own_notes]
        if category != owner.category:
            owner = replace(owner, category=category)
        for version, cut_start, cut_end in tariff_segments(owner.tariffs, category, start, end):
            cuts.append((owner, version, cut_start, cut_end))
    return [
        _prepare_part(bill, version, start, end, months, True, owner) for owner, version, start, end in cuts
    ]


def compute_bill(bill: BillInput) -> BillResult:
    """Price one bill. Raises ``ValueError`` with a clear message for inconsistent input."""
    _validate(bill)
    if bill.supply_off and bill.md_kva is None:
        bill = replace(bill, md_kva=Decimal(0))  # no supply, no demand: the contracted share is billed
    stretches = _particulars(bill)
    for owner, start, end in stretches:
        check_load(owner.tariffs, owner.category, owner.sanctioned_load, owner.load_unit, start, end)
    if bill.changes and len(stretches) == 1:
        bill = stretches[0][0]  # no change cuts the period: billed on the particulars in force throughout
    months = period_months(bill.period_start, bill.period_end)
    notes: list[str] = []
    bill, solar_lines, netting = _solar_netting(bill)
    if not bill.changes:
        category = _lifeline_category(bill, months, notes)
        segments = tariff_segments(bill.tariffs, category, bill.period_start, bill.period_end)
        split = len(segments) > 1
        parts = [_prepare_part(bill, version, start, end, months, split) for version, start, end in segments]
    else:
        parts = _changed_parts(bill, stretches, months, notes)
        category = parts[-1].owner.category if parts[-1].owner is not None else bill.category
    metered = parts[-1].version.metered
    if metered == (bill.basis is BillBasis.UM):
        kind = "metered" if metered else "unmetered"
        raise ValueError(f"tariff {category} is {kind} but the bill basis is {bill.basis}")

    energy_by_part: list[list[BillLine]] = [[] for _ in parts]
    billed_quantity: Decimal | None = None
    billed_unit: str | None = None
    if metered and bill.supply_off:
        notes.append("Supply disconnected for the whole period: no energy billed, fixed charges only")
    elif metered:
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
        energy_by_part[-1] += _energy_adjustments(bill, parts, energy_by_part, billed_unit, notes)

    lines: list[BillLine] = [line for part_lines in energy_by_part for line in part_lines]
    lines[:0] = solar_lines
    fixed_lines: list[BillLine] = []
    topup_lines: list[BillLine] = []
    part_bases: list[Decimal] = []
    for part, part_energy in zip(parts, energy_by_part, strict=True):
        sanctioned = ""
        holder = part.owner or bill
        if part.fixed_load != holder.sanctioned_load or part.fixed_load_unit is not holder.load_unit:
            sanctioned = f" (sanctioned {format_number(holder.sanctioned_load)} {holder.load_unit})"
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
                        ("sanctioned", str(holder.sanctioned_load)),
                        ("sanctioned_unit", str(holder.load_unit)),
                    )
                    if sanctioned
                    else ()
                ),
                ("rate", str(part.fixed_rate)),
                ("months", str(part.months)),
                *_part_params(part),
            ),
        )
        excess: list[BillLine] = []
        if part.version.demand is not None:
            fixed, excess = _demand_lines(holder, part)
        fixed_lines.append(fixed)
        fixed_lines += excess
        charged = sum((line.amount for line in part_energy), ZERO) + fixed.amount + _total(excess)
        topup = ZERO
        minimum = None if bill.supply_off else part.version.minimum_charge
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
    rebate_lines = _demand_rebates(bill, parts, lines, billed_quantity)
    lines += rebate_lines
    part_bases[-1] += _total(rebate_lines)

    true_up = ZERO
    if bill.true_up_units or bill.true_up_periods:
        if not metered:
            raise ValueError("a provisional true-up needs a metered tariff")
        if bill.true_up_periods:
            true_up_lines = _true_up_by_period(bill)
            true_up = sum((line.amount for line in true_up_lines), ZERO)
            lines += true_up_lines
        else:
            # Without the periods, the units are priced on top of this period's, on the slabs of the
            # consumer's own category (a lifeline bill's fallback is decided by this period's units,
            # not by units used earlier).
            own = parts
            if category != bill.category and not bill.changes:
                own = [
                    _prepare_part(bill, version, start, end, months, True)
                    for version, start, end in tariff_segments(
                        bill.tariffs, bill.category, bill.period_start, bill.period_end
                    )
                ]
            true_up = _energy_total(bill, own, bill.true_up_units) - _energy_total(bill, own, Decimal(0))
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
                    params=(
                        ("kind", kind),
                        ("units", format_number(abs(bill.true_up_units))),
                        ("unit", unit),
                    ),
                )
            )

    duty_bases = list(part_bases)
    duty_bases[-1] += true_up
    fppas_lines = _fppas_lines(bill, sum(part_bases, ZERO) + true_up)
    fppas_total = sum((line.amount for line in fppas_lines), ZERO)
    for index, share in enumerate(_fppas_shares(parts, duty_bases, fppas_total)):
        if parts[index].version.duty_on_fppas:
            duty_bases[index] += share
    for percent, base in _percent_groups(parts, duty_bases, lambda v: v.duty_percent):
        if percent and base and (duty := _duty_line(bill, percent, base, notes)) is not None:
            lines.append(duty)

    lines += fppas_lines

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

    lines += _late_rebate_lines(bill, lines)

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

    lines += _solar_export_lines(bill)

    if bill.na_penalty:
        rate = parts[-1].version.na_penalty_per_kw
        final = parts[-1].owner or bill
        load_kw = billable_load(final.sanctioned_load, final.load_unit, LoadUnit.KW)
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

    totals: dict[LineHead, Decimal] = {}
    for line in lines:  # one pass: the per-head totals of the result
        totals[line.head] = totals.get(line.head, ZERO) + line.amount

    def head_total(head: LineHead) -> Decimal:
        return totals.get(head, ZERO)

    topup_total = head_total(LineHead.MINIMUM_TOPUP)
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
        energy_charge=head_total(LineHead.ENERGY),
        fixed_charge=head_total(LineHead.FIXED),
        min_charge_topup=topup_total,
        true_up=true_up,
        electricity_duty=head_total(LineHead.DUTY),
        fppas=head_total(LineHead.FPPAS),
        rebate=head_total(LineHead.REBATE),
        subsidy=head_total(LineHead.SUBSIDY),
        penalty=head_total(LineHead.PENALTY),
        lpsc=head_total(LineHead.LPSC),
        arrears=head_total(LineHead.ARREARS),
        total=total,
        round_off=round_off,
        payable=payable,
        notes=tuple(notes),
        demand_charge=head_total(LineHead.DEMAND),
        excess_demand=head_total(LineHead.EXCESS_DEMAND),
        tod=head_total(LineHead.TOD),
        power_factor_adjustment=head_total(LineHead.POWER_FACTOR),
        demand_rebates=head_total(LineHead.VOLTAGE_REBATE) + head_total(LineHead.LOAD_FACTOR_REBATE),
        export_units=bill.export_units,
        banked_units=None if netting is None else netting.banked_after,
        import_units=None if netting is None else netting.imported,
        solar_credit=head_total(LineHead.SOLAR_EXPORT),
        late_rebate=head_total(LineHead.LATE_REBATE),
    )
