"""Category load limits (rate schedule applicability, issue 8 rule 8): e.g. LMV-6 is for contracted loads
up to 75 kW; above that the supply is HV-2.

A version's ``min_load`` / ``max_load`` are inclusive and in the tariff's load unit (kW or BHP). The
contracted load is converted to that unit by :func:`urja.domain.rules.convert_load` (to 2 decimals, not
rounded up: the limit is on the contracted load, not on the billable load), so 100 BHP = 74.60 kW fits
LMV-6 and 75.01 kW does not.

The engine, the consumer service and the calculator all refuse a load outside the limits with
:class:`LoadOutsideLimits` (a ``ValueError`` whose English text the Django side replaces by a translated
message built from its fields).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from decimal import Decimal

from urja.domain.money import format_number
from urja.domain.rules import convert_load
from urja.domain.tariff import LoadUnit, TariffVersion, versions_of


class LoadOutsideLimits(ValueError):
    def __init__(
        self,
        *,
        category: str,
        load: Decimal,
        unit: LoadUnit,
        tariff_load: Decimal,
        tariff_unit: LoadUnit,
        min_load: Decimal | None,
        max_load: Decimal | None,
    ) -> None:
        self.category, self.load, self.unit = category, load, unit
        self.tariff_load, self.tariff_unit = tariff_load, tariff_unit
        self.min_load, self.max_load = min_load, max_load
        super().__init__(
            f"a load of {format_number(load)} {unit.value} is outside the {category} limits "
            f"({limits_text(min_load, max_load, tariff_unit)})"
        )


def limits_text(min_load: Decimal | None, max_load: Decimal | None, unit: LoadUnit) -> str:
    """``"up to 75 kW"``, ``"from 1 kW"`` or ``"1 to 75 kW"`` (English; the Django side translates)."""
    if min_load is None and max_load is None:
        return "no limits"
    if min_load is None:
        return f"up to {format_number(max_load or Decimal(0))} {unit.value}"
    if max_load is None:
        return f"from {format_number(min_load)} {unit.value}"
    return f"{format_number(min_load)} to {format_number(max_load)} {unit.value}"


def check_version_load(version: TariffVersion, load: Decimal, unit: LoadUnit) -> None:
    """Raise :class:`LoadOutsideLimits` when ``load`` (in ``unit``) is outside ``version``'s limits."""
    if version.min_load is None and version.max_load is None:
        return
    tariff_load = convert_load(load, unit, version.load_unit)
    below = version.min_load is not None and tariff_load < version.min_load
    above = version.max_load is not None and tariff_load > version.max_load
    if below or above:
        raise LoadOutsideLimits(
            category=version.category,
            load=load,
            unit=unit,
            tariff_load=tariff_load,
            tariff_unit=version.load_unit,
            min_load=version.min_load,
            max_load=version.max_load,
        )


def check_load(
    tariffs: Sequence[TariffVersion], category: str, load: Decimal, unit: LoadUnit, start: date, end: date
) -> None:
    """Check ``load`` against every version of ``category`` in force between ``start`` and ``end``."""
    for version in versions_of(tariffs, category):
        if version.effective_from > end:
            continue
        if version.effective_to is not None and version.effective_to < start:
            continue
        check_version_load(version, load, unit)
