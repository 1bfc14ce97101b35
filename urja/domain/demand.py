"""Demand-based and time-of-day charges: the rules HV consumers (and LMV-6 on a TOD meter) are billed by.

The rules are data on a :class:`urja.domain.tariff.TariffVersion` (fields ``demand``, ``tod``,
``power_factor``, ``voltage_rebates``, ``load_factor_rebate``); the engine calls the pricing functions
below and turns each :class:`Charge` into a bill line. Nothing here imports the engine or the load rules,
so the tariff module can hold these classes without an import cycle.

1. **Demand charge** (:class:`DemandRule`): billable demand = the higher of the recorded maximum demand
   (kVA) and ``minimum_share_percent`` % of the contracted demand (kVA, 2 decimals); charge = rate per
   kVA per month x billable demand x the part's months. Without a recorded MD (a provisional or assessed
   bill) the billable demand is the contracted demand, with a note. The demand charge takes the place of
   the fixed charge line of the version's load band.
2. **Excess demand**: MD above the contracted demand is charged, in all, at ``excess_rate_multiple``
   times the demand rate; the demand charge already carries it once, so the excess line is
   excess kVA x rate x (multiple - 1) x months.
3. **Time of day** (:class:`TodRule`): each slot's register (kWh or kVAh, by slot name) takes its share of
   the period's energy charge, and the slot's +/- percentage of that share is a line of its own:
   energy charge x slot units / all slot units x percent. A bill without TOD registers on a TOD tariff is
   billed at the normal rate, with a note.
4. **Power factor** (:class:`PowerFactorRule`), only for loads not billed on kVAh (kVAh billing already
   prices a poor power factor): average PF = kWh / kVAh (or as given); below ``surcharge_below`` a
   surcharge of ``surcharge_percent_per_step`` % of the energy charge per ``step`` (part steps count
   whole), above ``rebate_above`` a rebate likewise.
5. **Rebates**: a supply-voltage rebate (:class:`VoltageRebate`, % of demand + energy + TOD charges for
   supply at or above ``min_kv``; the highest matching row applies) and a load-factor rebate
   (:class:`LoadFactorRebate`, % of the energy charge when the load factor, billed units / (billable
   demand x hours of the period) x 100, exceeds ``above_percent``).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_CEILING, ROUND_HALF_UP, Decimal
from fractions import Fraction
from typing import Any, Self

from urja.domain.money import (
    exact,
    exact_or_none,
    format_money,
    format_number,
    format_rate,
    round_paisa,
    str_or_none,
)

ZERO = Decimal("0.00")
HUNDRED = Decimal(100)
KVA_DECIMALS = Decimal("0.01")


# --- the rules, as data -------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class DemandRule:
    """Demand charge per kVA of billable demand per month (see the module docstring, 1 and 2)."""

    rate_per_kva: Decimal
    minimum_share_percent: Decimal = Decimal("75")
    excess_rate_multiple: Decimal = Decimal("2")

    def __post_init__(self) -> None:
        if self.rate_per_kva < 0:
            raise ValueError("the demand rate must not be negative")
        if not 0 <= self.minimum_share_percent <= 100:
            raise ValueError("the minimum share of contracted demand is a percentage from 0 to 100")
        if self.excess_rate_multiple < 1:
            raise ValueError("excess demand is charged at least at the demand rate (multiple >= 1)")

    def to_dict(self) -> dict[str, Any]:
        return {
            "rate_per_kva": str(self.rate_per_kva),
            "minimum_share_percent": str(self.minimum_share_percent),
            "excess_rate_multiple": str(self.excess_rate_multiple),
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Self:
        return cls(
            rate_per_kva=exact(data["rate_per_kva"]),
            minimum_share_percent=exact(data.get("minimum_share_percent", "75")),
            excess_rate_multiple=exact(data.get("excess_rate_multiple", "2")),
        )


@dataclass(frozen=True, slots=True)
class TodSlot:
    """One time-of-day slot: hours ``start_hour`` to ``end_hour`` (24-hour clock; may wrap past
    midnight), the energy rate changed by ``percent`` (negative: a rebate)."""

    name: str
    start_hour: int
    end_hour: int
    percent: Decimal

    def __post_init__(self) -> None:
        if not self.name:
            raise ValueError("a TOD slot needs a name (the meter register it is read from)")
        if not (0 <= self.start_hour <= 23 and 0 <= self.end_hour <= 24) or self.start_hour == self.end_hour:
            raise ValueError(f"TOD slot {self.name}: hours must be 0-24 and the slot not empty")

    @property
    def hours(self) -> str:
        return f"{self.start_hour:02d}:00-{self.end_hour:02d}:00"

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "start_hour": self.start_hour,
            "end_hour": self.end_hour,
            "percent": str(self.percent),
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Self:
        return cls(
            name=str(data["name"]),
            start_hour=int(data["start_hour"]),
            end_hour=int(data["end_hour"]),
            percent=exact(data["percent"]),
        )


@dataclass(frozen=True, slots=True)
class TodRule:
    """Time-of-day slots covering the day once (their hours add up to 24)."""

    slots: tuple[TodSlot, ...]

    def __post_init__(self) -> None:
        names = [slot.name for slot in self.slots]
        if not self.slots or len(set(names)) != len(names):
            raise ValueError("a TOD rule needs slots with distinct names")
        total = sum((slot.end_hour - slot.start_hour) % 24 or 24 for slot in self.slots)
        if total != 24:
            raise ValueError(f"TOD slots must cover the 24 hours of the day once, not {total}")

    def slot(self, name: str) -> TodSlot:
        for slot in self.slots:
            if slot.name == name:
                return slot
        known = ", ".join(slot.name for slot in self.slots)
        raise ValueError(f"unknown TOD register {name!r}; this tariff's slots: {known}")

    def to_dict(self) -> dict[str, Any]:
        return {"slots": [slot.to_dict() for slot in self.slots]}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Self:
        return cls(slots=tuple(TodSlot.from_dict(slot) for slot in data["slots"]))


@dataclass(frozen=True, slots=True)
class PowerFactorRule:
    """Power-factor surcharge (and optional rebate) on the energy charge of loads not billed on kVAh."""

    surcharge_below: Decimal = Decimal("0.90")
    surcharge_percent_per_step: Decimal = Decimal("1")
    rebate_above: Decimal | None = None
    rebate_percent_per_step: Decimal = Decimal("0")
    step: Decimal = Decimal("0.01")

    def __post_init__(self) -> None:
        if self.step <= 0:
            raise ValueError("the power-factor step must be positive")
        if self.rebate_above is not None and self.rebate_above < self.surcharge_below:
            raise ValueError("the rebate threshold must not be below the surcharge threshold")

    def to_dict(self) -> dict[str, Any]:
        return {
            "surcharge_below": str(self.surcharge_below),
            "surcharge_percent_per_step": str(self.surcharge_percent_per_step),
            "rebate_above": str_or_none(self.rebate_above),
            "rebate_percent_per_step": str(self.rebate_percent_per_step),
            "step": str(self.step),
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Self:
        return cls(
            surcharge_below=exact(data.get("surcharge_below", "0.90")),
            surcharge_percent_per_step=exact(data.get("surcharge_percent_per_step", "1")),
            rebate_above=exact_or_none(data.get("rebate_above")),
            rebate_percent_per_step=exact(data.get("rebate_percent_per_step", "0")),
            step=exact(data.get("step", "0.01")),
        )


@dataclass(frozen=True, slots=True)
class VoltageRebate:
    """``percent`` % off demand + energy (+ TOD) charges for supply at ``min_kv`` kV or above."""

    min_kv: Decimal
    percent: Decimal

    def to_dict(self) -> dict[str, Any]:
        return {"min_kv": str(self.min_kv), "percent": str(self.percent)}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Self:
        return cls(min_kv=exact(data["min_kv"]), percent=exact(data["percent"]))


@dataclass(frozen=True, slots=True)
class LoadFactorRebate:
    """``percent`` % off the energy charge when the load factor exceeds ``above_percent`` %."""

    above_percent: Decimal
    percent: Decimal

    def to_dict(self) -> dict[str, Any]:
        return {"above_percent": str(self.above_percent), "percent": str(self.percent)}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Self:
        return cls(above_percent=exact(data["above_percent"]), percent=exact(data["percent"]))


def rule_to_dict(rule: Any) -> dict[str, Any] | None:
    return None if rule is None else dict(rule.to_dict())


# --- pricing ------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Charge:
    """A priced line before the engine makes it a ``BillLine`` (``head`` is a ``LineHead`` value)."""

    head: str
    description: str
    amount: Decimal
    quantity: Decimal | None = None
    rate: Decimal | None = None
    unit: str | None = None
    params: tuple[tuple[str, str], ...] = ()


def _months_text(months: Fraction) -> str:
    return f"{months} month" if months <= 1 else f"{months} months"


def _monthly(rate: Decimal, quantity: Decimal, months: Fraction) -> Decimal:
    return round_paisa(Fraction(rate) * Fraction(quantity) * months)


def _percent(base: Decimal, percent: Decimal, share: Fraction = Fraction(1)) -> Decimal:
    return round_paisa(Fraction(base) * Fraction(percent) / 100 * share)


def billable_demand(rule: DemandRule, contracted_kva: Decimal, md_kva: Decimal | None) -> Decimal:
    """The higher of the recorded MD and the rule's share of the contracted demand (kVA, 2 decimals);
    the contracted demand itself when no MD was recorded."""
    if md_kva is None:
        return contracted_kva
    floor = (contracted_kva * rule.minimum_share_percent / HUNDRED).quantize(KVA_DECIMALS, ROUND_HALF_UP)
    return max(md_kva, floor)


def demand_charges(
    rule: DemandRule,
    *,
    contracted_kva: Decimal,
    md_kva: Decimal | None,
    months: Fraction,
    suffix: str = "",
) -> list[Charge]:
    """The demand charge and, when MD exceeds the contracted demand, the excess-demand line."""
    billed = billable_demand(rule, contracted_kva, md_kva)
    if md_kva is None:
        basis = f"no MD recorded, contracted demand {format_number(contracted_kva)} kVA"
    elif billed > md_kva:
        basis = (
            f"{format_number(rule.minimum_share_percent)}% of contracted {format_number(contracted_kva)} kVA, "
            f"above recorded MD {format_number(md_kva)} kVA"
        )
    else:
        basis = f"recorded MD, contracted {format_number(contracted_kva)} kVA"
    rate = rule.rate_per_kva
    charges = [
        Charge(
            "demand",
            f"Demand charge: {format_number(billed)} kVA ({basis}) @ Rs {format_rate(rate)}/kVA/month x "
            f"{_months_text(months)}{suffix}",
            _monthly(rate, billed, months),
            billed,
            rate,
            "kVA",
            (
                ("billable_kva", format_number(billed)),
                ("md_kva", "" if md_kva is None else format_number(md_kva)),
                ("contracted_kva", format_number(contracted_kva)),
                ("share_percent", format_number(rule.minimum_share_percent)),
                ("rate", format_rate(rate)),
                ("months", str(months)),
            ),
        )
    ]
    if md_kva is not None and md_kva > contracted_kva and rule.excess_rate_multiple > 1:
        excess = md_kva - contracted_kva
        extra_rate = rate * (rule.excess_rate_multiple - 1)
        charges.append(
            Charge(
                "excess_demand",
                f"Excess demand: {format_number(excess)} kVA above contracted {format_number(contracted_kva)} "
                f"kVA @ Rs {format_rate(extra_rate)}/kVA/month x {_months_text(months)} (charged "
                f"{format_number(rule.excess_rate_multiple)}x the demand rate in all){suffix}",
                _monthly(extra_rate, excess, months),
                excess,
                extra_rate,
                "kVA",
                (
                    ("excess_kva", format_number(excess)),
                    ("contracted_kva", format_number(contracted_kva)),
                    ("rate", format_rate(extra_rate)),
                    ("multiple", format_number(rule.excess_rate_multiple)),
                    ("months", str(months)),
                ),
            )
        )
    return charges


def tod_charges(
    rule: TodRule, registers: Sequence[tuple[str, Decimal]], energy_charge: Decimal, unit: str
) -> list[Charge]:
    """One line per slot with a non-zero percentage: its share of the energy charge x its percentage."""
    for name, _ in registers:
        rule.slot(name)
    total = sum((quantity for _, quantity in registers), Decimal(0))
    if total <= 0 or energy_charge == 0:
        return []
    by_name = dict(registers)
    charges = []
    for slot in rule.slots:
        quantity = by_name.get(slot.name, Decimal(0))
        if not quantity or not slot.percent:
            continue
        sign = "+" if slot.percent > 0 else ""
        charges.append(
            Charge(
                "tod",
                f"Time of day {slot.name} {slot.hours} ({sign}{format_number(slot.percent)}%): "
                f"{format_number(quantity)} of {format_number(total)} {unit} on energy Rs "
                f"{format_money(energy_charge)}",
                _percent(energy_charge, slot.percent, Fraction(quantity) / Fraction(total)),
                quantity,
                slot.percent,
                "%",
                (
                    ("slot", slot.name),
                    ("hours", slot.hours),
                    ("percent", format_number(slot.percent)),
                    ("quantity", format_number(quantity)),
                    ("total", format_number(total)),
                    ("unit", unit),
                    ("energy", format_money(energy_charge)),
                ),
            )
        )
    return charges


def _steps(gap: Decimal, step: Decimal) -> Decimal:
    return (gap / step).to_integral_value(rounding=ROUND_CEILING)


def power_factor_charge(
    rule: PowerFactorRule, power_factor: Decimal, energy_charge: Decimal
) -> Charge | None:
    """Surcharge below the threshold, rebate above the rebate threshold, else None."""
    if energy_charge <= 0:
        return None
    pf = format_number(power_factor)
    if power_factor < rule.surcharge_below and rule.surcharge_percent_per_step:
        percent = _steps(rule.surcharge_below - power_factor, rule.step) * rule.surcharge_percent_per_step
        kind, amount = "surcharge", _percent(energy_charge, percent)
        limit = rule.surcharge_below
        text = f"Power factor surcharge: average PF {pf} below {format_number(limit)}"
    elif rule.rebate_above is not None and power_factor > rule.rebate_above and rule.rebate_percent_per_step:
        percent = _steps(power_factor - rule.rebate_above, rule.step) * rule.rebate_percent_per_step
        kind, amount = "rebate", -_percent(energy_charge, percent)
        limit = rule.rebate_above
        text = f"Power factor rebate: average PF {pf} above {format_number(limit)}"
    else:
        return None
    return Charge(
        "power_factor",
        f"{text}, {format_number(percent)}% on energy Rs {format_money(energy_charge)}",
        amount,
        energy_charge,
        percent,
        "%",
        (
            ("kind", kind),
            ("power_factor", pf),
            ("threshold", format_number(limit)),
            ("percent", format_number(percent)),
            ("energy", format_money(energy_charge)),
        ),
    )


def average_power_factor(kwh: Decimal | None, kvah: Decimal | None) -> Decimal | None:
    """kWh / kVAh to 2 decimals (half up), or None when either is missing or kVAh is zero."""
    if kwh is None or kvah is None or kvah <= 0:
        return None
    return min(Decimal(1), (kwh / kvah).quantize(KVA_DECIMALS, ROUND_HALF_UP))


def voltage_rebate_charge(
    rebates: Sequence[VoltageRebate], supply_kv: Decimal | None, base: Decimal
) -> Charge | None:
    if supply_kv is None or base <= 0:
        return None
    matching = [row for row in rebates if supply_kv >= row.min_kv and row.percent]
    if not matching:
        return None
    row = max(matching, key=lambda r: r.min_kv)
    return Charge(
        "voltage_rebate",
        f"Supply voltage rebate {format_number(row.percent)}% (supply at {format_number(supply_kv)} kV, "
        f"from {format_number(row.min_kv)} kV) on Rs {format_money(base)}",
        -_percent(base, row.percent),
        base,
        row.percent,
        "%",
        (
            ("percent", format_number(row.percent)),
            ("supply_kv", format_number(supply_kv)),
            ("min_kv", format_number(row.min_kv)),
            ("base", format_money(base)),
        ),
    )


def load_factor(quantity: Decimal, demand_kva: Decimal, days: int) -> Decimal | None:
    """Billed units / (billable demand x hours of the period) x 100, to 2 decimals (half up)."""
    if demand_kva <= 0 or days <= 0:
        return None
    return (quantity * HUNDRED / (demand_kva * 24 * days)).quantize(KVA_DECIMALS, ROUND_HALF_UP)


def load_factor_rebate_charge(
    rule: LoadFactorRebate, factor: Decimal | None, energy_charge: Decimal
) -> Charge | None:
    if factor is None or factor <= rule.above_percent or not rule.percent or energy_charge <= 0:
        return None
    return Charge(
        "load_factor_rebate",
        f"Load factor rebate {format_number(rule.percent)}% (load factor {format_number(factor)}% above "
        f"{format_number(rule.above_percent)}%) on energy Rs {format_money(energy_charge)}",
        -_percent(energy_charge, rule.percent),
        energy_charge,
        rule.percent,
        "%",
        (
            ("percent", format_number(rule.percent)),
            ("load_factor", format_number(factor)),
            ("threshold", format_number(rule.above_percent)),
            ("energy", format_money(energy_charge)),
        ),
    )


def total(charges: Sequence[Charge]) -> Decimal:
    return sum((charge.amount for charge in charges), ZERO)
