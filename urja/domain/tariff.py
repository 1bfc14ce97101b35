"""Tariff versions as data.

A :class:`TariffVersion` is one category's rate schedule for a stretch of dates: load bands, telescopic
slabs, fixed charge, minimum charge, electricity duty, kVAh rule, lifeline rule, prepaid rebate, state
subsidy and the meter-not-accessible penalty. A new tariff order is a new version with its own
``effective_from``; nothing here is a constant the engine relies on.

Every class round-trips through plain JSON-ready dicts (``to_dict`` / ``from_dict``: decimals as strings,
dates ISO), which is how the Django ``tariffs`` app seeds and stores them and how the test vectors carry
them to the field app's JavaScript.

Load thresholds (load bands, the lifeline limit, the kVAh threshold) compare the *billable* load, i.e.
the sanctioned load converted to the tariff's unit and rounded up to the next whole unit.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from enum import StrEnum
from typing import Any, Self

from urja.domain.demand import (
    DemandRule,
    LoadFactorRebate,
    PowerFactorRule,
    TodRule,
    VoltageRebate,
    rule_to_dict,
)
from urja.domain.money import exact, exact_or_none, str_or_none

CATEGORY_CODES: tuple[str, ...] = (
    "LMV1-LIFELINE",
    "LMV1-RURAL-UM",
    "LMV1-RURAL",
    "LMV1-URBAN",
    "LMV2-URBAN",
    "LMV5-RURAL-UM",
    "LMV5-RURAL",
    "LMV5-URBAN",
    "LMV6",
    # The rest of the LT rate schedule (urja.domain.tariff_book).
    "LMV1-BULK",
    "LMV2-RURAL",
    "LMV3-GP",
    "LMV3-GP-UM",
    "LMV3-NP",
    "LMV3-NP-UM",
    "LMV3-NN",
    "LMV3-NN-UM",
    "LMV4-PUBLIC",
    "LMV4-PRIVATE",
    "LMV6-PLOOM",
    "LMV7",
    "LMV8",
    "LMV8-UM",
    "LMV9",
    "LMV10",
    "LMV10-UM",
    "LMV11",
)

# Rate-schedule general provisions: kVA = kW / 0.90, 1 BHP = 0.746 kW.
KVA_POWER_FACTOR = Decimal("0.90")
KW_PER_BHP = Decimal("0.746")


class LoadUnit(StrEnum):
    KW = "kW"
    KVA = "kVA"
    BHP = "BHP"


class MinimumChargeBasis(StrEnum):
    PER_LOAD = "per_load"  # Rs per kW (or BHP) of billable load per month
    PER_CONNECTION = "per_connection"  # flat Rs per month


@dataclass(frozen=True, slots=True)
class Slab:
    """One telescopic slab: ``rate`` Rs per unit for units up to ``upto`` per month (None: no limit)."""

    upto: Decimal | None
    rate: Decimal

    def to_dict(self) -> dict[str, Any]:
        return {"upto": str_or_none(self.upto), "rate": str(self.rate)}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Self:
        return cls(upto=exact_or_none(data.get("upto")), rate=exact(data["rate"]))


@dataclass(frozen=True, slots=True)
class LoadBand:
    """Fixed charge and slabs for billable loads up to ``upto_load`` (inclusive; None: any load)."""

    upto_load: Decimal | None
    fixed_rate: Decimal
    slabs: tuple[Slab, ...] = ()

    def __post_init__(self) -> None:
        if not self.slabs:
            return
        if self.slabs[-1].upto is not None:
            raise ValueError("the last slab must have no upper limit")
        finite = [slab.upto for slab in self.slabs[:-1] if slab.upto is not None]
        if len(finite) != len(self.slabs) - 1:
            raise ValueError("only the last slab may be unlimited")
        if any(b <= a for a, b in zip(finite, finite[1:], strict=False)) or any(x <= 0 for x in finite):
            raise ValueError("slab limits must be positive and increasing")

    def to_dict(self) -> dict[str, Any]:
        return {
            "upto_load": str_or_none(self.upto_load),
            "fixed_rate": str(self.fixed_rate),
            "slabs": [slab.to_dict() for slab in self.slabs],
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Self:
        return cls(
            upto_load=exact_or_none(data.get("upto_load")),
            fixed_rate=exact(data["fixed_rate"]),
            slabs=tuple(Slab.from_dict(s) for s in data.get("slabs", ())),
        )


@dataclass(frozen=True, slots=True)
class MinimumCharge:
    """Minimum monthly charge: when energy + fixed charge fall below it, a top-up line makes it up."""

    amount: Decimal
    basis: MinimumChargeBasis = MinimumChargeBasis.PER_LOAD

    def to_dict(self) -> dict[str, Any]:
        return {"amount": str(self.amount), "basis": self.basis.value}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Self:
        return cls(amount=exact(data["amount"]), basis=MinimumChargeBasis(data.get("basis", "per_load")))


@dataclass(frozen=True, slots=True)
class KvahRule:
    """kVAh billing at billable load >= ``threshold_kw`` kW (``threshold_bhp`` for BHP tariffs), when a
    kVAh reading is available: fixed charge per kVA = per kW x factor, or per BHP / kW_per_BHP x factor;
    energy per kVAh = per kWh x factor. Slab limits apply unchanged to kVAh."""

    threshold_kw: Decimal = Decimal("10")
    threshold_bhp: Decimal = Decimal("13.4")
    factor: Decimal = KVA_POWER_FACTOR
    kw_per_bhp: Decimal = KW_PER_BHP

    def to_dict(self) -> dict[str, Any]:
        return {
            "threshold_kw": str(self.threshold_kw),
            "threshold_bhp": str(self.threshold_bhp),
            "factor": str(self.factor),
            "kw_per_bhp": str(self.kw_per_bhp),
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Self:
        return cls(**{key: exact(value) for key, value in data.items()})


@dataclass(frozen=True, slots=True)
class LifelineRule:
    """Eligible while billable load <= ``max_load_kw`` and units <= ``max_units_per_month`` x months;
    otherwise the whole bill uses ``fallback_category`` (the normal domestic category of his area; the
    bill input may name the area's category instead)."""

    max_load_kw: Decimal
    max_units_per_month: Decimal
    fallback_category: str

    def to_dict(self) -> dict[str, Any]:
        return {
            "max_load_kw": str(self.max_load_kw),
            "max_units_per_month": str(self.max_units_per_month),
            "fallback_category": self.fallback_category,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Self:
        return cls(
            max_load_kw=exact(data["max_load_kw"]),
            max_units_per_month=exact(data["max_units_per_month"]),
            fallback_category=str(data["fallback_category"]),
        )


@dataclass(frozen=True, slots=True)
class SubsidyRule:
    """A share of the current charges paid by the government, shown as its own (negative) line."""

    percent: Decimal
    payer: str = "Government of Uttar Pradesh"
    metered_only: bool = True
    requires_no_arrears: bool = True

    def to_dict(self) -> dict[str, Any]:
        return {
            "percent": str(self.percent),
            "payer": self.payer,
            "metered_only": self.metered_only,
            "requires_no_arrears": self.requires_no_arrears,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Self:
        return cls(
            percent=exact(data["percent"]),
            payer=str(data.get("payer", "Government of Uttar Pradesh")),
            metered_only=bool(data.get("metered_only", True)),
            requires_no_arrears=bool(data.get("requires_no_arrears", True)),
        )


@dataclass(frozen=True, slots=True)
class TariffVersion:
    """One category's tariff in force from ``effective_from`` to ``effective_to`` (inclusive; None: open)."""

    category: str
    label: str
    effective_from: date
    effective_to: date | None
    metered: bool
    load_unit: LoadUnit
    bands: tuple[LoadBand, ...]
    duty_percent: Decimal
    minimum_charge: MinimumCharge | None = None
    kvah: KvahRule | None = None
    lifeline: LifelineRule | None = None
    prepaid_rebate_percent: Decimal = Decimal("0")
    subsidy: SubsidyRule | None = None
    na_penalty_per_kw: Decimal = Decimal("0")
    source: str = ""
    # Electricity duty is levied on the FPPAS amount too (UP Electricity Duty Act 1952 s.2(h)(v): the
    # "rate charged" includes any surcharge on the rates; docs/decisions/0010-fppas-by-bill-month.md).
    duty_on_fppas: bool = True
    # Demand, time-of-day, power-factor and rebate rules (urja.domain.demand): HV and LMV-6.
    demand: DemandRule | None = None
    tod: TodRule | None = None
    power_factor: PowerFactorRule | None = None
    voltage_rebates: tuple[VoltageRebate, ...] = ()
    load_factor_rebate: LoadFactorRebate | None = None
    # Category load limits (inclusive, in the tariff's load unit; None: no limit), and the names of
    # this version's values that are uncertain (shown in the admin).
    min_load: Decimal | None = None
    max_load: Decimal | None = None
    uncertain: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if self.load_unit is LoadUnit.KVA:
            raise ValueError("a tariff charges per kW or per BHP; per kVA follows from its kVAh rule")
        if not self.bands:
            raise ValueError(f"{self.category}: a tariff needs at least one load band")
        if self.bands[-1].upto_load is not None:
            raise ValueError(f"{self.category}: the last load band must have no upper limit")
        for band in self.bands:
            if self.metered and not band.slabs:
                raise ValueError(f"{self.category}: a metered tariff needs energy slabs")
            if not self.metered and band.slabs:
                raise ValueError(f"{self.category}: an unmetered tariff has no energy slabs")
        if self.effective_to is not None and self.effective_to < self.effective_from:
            raise ValueError(f"{self.category}: effective_to is before effective_from")
        if self.min_load is not None and self.max_load is not None and self.max_load < self.min_load:
            raise ValueError(f"{self.category}: max_load is below min_load")

    def in_force_on(self, day: date) -> bool:
        return self.effective_from <= day and (self.effective_to is None or day <= self.effective_to)

    def band_for(self, billable_load: Decimal) -> LoadBand:
        for band in self.bands:
            if band.upto_load is None or billable_load <= band.upto_load:
                return band
        raise AssertionError("unreachable: the last band is unlimited")

    def to_dict(self) -> dict[str, Any]:
        return {
            "category": self.category,
            "label": self.label,
            "effective_from": self.effective_from.isoformat(),
            "effective_to": None if self.effective_to is None else self.effective_to.isoformat(),
            "metered": self.metered,
            "load_unit": self.load_unit.value,
            "bands": [band.to_dict() for band in self.bands],
            "duty_percent": str(self.duty_percent),
            "minimum_charge": None if self.minimum_charge is None else self.minimum_charge.to_dict(),
            "kvah": None if self.kvah is None else self.kvah.to_dict(),
            "lifeline": None if self.lifeline is None else self.lifeline.to_dict(),
            "prepaid_rebate_percent": str(self.prepaid_rebate_percent),
            "subsidy": None if self.subsidy is None else self.subsidy.to_dict(),
            "na_penalty_per_kw": str(self.na_penalty_per_kw),
            "source": self.source,
            "duty_on_fppas": self.duty_on_fppas,
            "demand": rule_to_dict(self.demand),
            "tod": rule_to_dict(self.tod),
            "power_factor": rule_to_dict(self.power_factor),
            "voltage_rebates": [row.to_dict() for row in self.voltage_rebates],
            "load_factor_rebate": rule_to_dict(self.load_factor_rebate),
            "min_load": str_or_none(self.min_load),
            "max_load": str_or_none(self.max_load),
            "uncertain": list(self.uncertain),
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Self:
        def sub(key: str) -> Mapping[str, Any] | None:
            value = data.get(key)
            return value if value else None

        minimum, kvah, lifeline, subsidy = sub("minimum_charge"), sub("kvah"), sub("lifeline"), sub("subsidy")
        effective_to = data.get("effective_to")
        return cls(
            category=str(data["category"]),
            label=str(data.get("label", "")),
            effective_from=date.fromisoformat(data["effective_from"]),
            effective_to=None if effective_to is None else date.fromisoformat(effective_to),
            metered=bool(data["metered"]),
            load_unit=LoadUnit(data["load_unit"]),
            bands=tuple(LoadBand.from_dict(band) for band in data["bands"]),
            duty_percent=exact(data["duty_percent"]),
            minimum_charge=None if minimum is None else MinimumCharge.from_dict(minimum),
            kvah=None if kvah is None else KvahRule.from_dict(kvah),
            lifeline=None if lifeline is None else LifelineRule.from_dict(lifeline),
            prepaid_rebate_percent=exact(data.get("prepaid_rebate_percent", "0")),
            subsidy=None if subsidy is None else SubsidyRule.from_dict(subsidy),
            na_penalty_per_kw=exact(data.get("na_penalty_per_kw", "0")),
            source=str(data.get("source", "")),
            duty_on_fppas=bool(data.get("duty_on_fppas", True)),
            **_demand_fields(data),
            min_load=exact_or_none(data.get("min_load")),
            max_load=exact_or_none(data.get("max_load")),
            uncertain=tuple(str(name) for name in data.get("uncertain", ())),
        )


def _demand_fields(data: Mapping[str, Any]) -> dict[str, Any]:
    """The demand/TOD/power-factor/rebate fields of a version dict (absent or null: none)."""
    demand, tod, pf, lf = (data.get(key) for key in ("demand", "tod", "power_factor", "load_factor_rebate"))
    return {
        "demand": DemandRule.from_dict(demand) if demand else None,
        "tod": TodRule.from_dict(tod) if tod else None,
        "power_factor": PowerFactorRule.from_dict(pf) if pf else None,
        "voltage_rebates": tuple(VoltageRebate.from_dict(row) for row in data.get("voltage_rebates") or ()),
        "load_factor_rebate": LoadFactorRebate.from_dict(lf) if lf else None,
    }


class TariffBook(tuple[TariffVersion, ...]):
    """An immutable tariff book that finds a category's versions without scanning the whole book.

    The engine looks a category up several times per bill (load limits, version in force, the cuts of
    the period); a book of every category and its history holds dozens of versions. Any sequence of
    versions is accepted where a book is (:func:`versions_of`); this one answers from an index built on
    first use.
    """

    def of(self, category: str) -> tuple[TariffVersion, ...]:
        index: dict[str, tuple[TariffVersion, ...]] | None = self.__dict__.get("_index")
        if index is None:
            grouped: dict[str, list[TariffVersion]] = {}
            for version in self:
                grouped.setdefault(version.category, []).append(version)
            index = {code: tuple(versions) for code, versions in grouped.items()}
            self.__dict__["_index"] = index
        return index.get(category, ())


def versions_of(tariffs: Sequence[TariffVersion], category: str) -> Sequence[TariffVersion]:
    """The versions of ``category`` in ``tariffs``, in the book's order."""
    if isinstance(tariffs, TariffBook):
        return tariffs.of(category)
    return [version for version in tariffs if version.category == category]


def version_in_force(tariffs: Sequence[TariffVersion], category: str, day: date) -> TariffVersion:
    """The version of ``category`` in force on ``day``: of those covering it, the latest ``effective_from``
    (so entering a new order never requires closing the old one first)."""
    best: TariffVersion | None = None
    for version in versions_of(tariffs, category):
        if version.in_force_on(day) and (best is None or version.effective_from > best.effective_from):
            best = version
    if best is None:
        known = sorted({v.category for v in tariffs})
        if category not in known:
            raise ValueError(f"unknown tariff category {category!r}; known: {', '.join(known)}")
        raise ValueError(f"no {category} tariff is in force on {day.isoformat()}")
    return best


def tariff_book_to_dicts(book: Sequence[TariffVersion]) -> list[dict[str, Any]]:
    return [version.to_dict() for version in book]


def tariff_book_from_dicts(data: Sequence[Mapping[str, Any]]) -> list[TariffVersion]:
    return [TariffVersion.from_dict(item) for item in data]
