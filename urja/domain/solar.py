"""Rooftop solar: net metering and gross metering (UPERC Rooftop Solar PV Grid Interactive Systems
Gross/Net Metering Regulations; docs/decisions/0013-solar-deposits-late-bills-duty.md).

Net metering
    The meter keeps two registers: import (energy drawn from the grid, the ordinary kWh register) and
    export (energy injected into the grid). A bill is for the *net* units::

        net = import - export - banked units brought forward

    When ``net`` is positive it is billed at the tariff like any consumption and nothing is banked;
    when it is zero or negative nothing is billed for energy (the fixed charge and levies on it stay)
    and ``-net`` units are banked: carried to the next bill. At the end of the settlement period (the
    financial year, April-March) the units still banked are paid for at a rate set as configuration,
    as a ledger credit (``urja.billing.solar``), and the bank starts again from zero.

Gross metering
    All import is billed at the tariff, and all export is paid for at the feed-in rate as its own
    credit line of the bill. Nothing is banked.
"""

from __future__ import annotations

from calendar import monthrange
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from enum import StrEnum

from urja.domain.money import round_paisa

ZERO_UNITS = Decimal(0)


class SolarScheme(StrEnum):
    NONE = ""
    NET = "net"
    GROSS = "gross"


@dataclass(frozen=True, slots=True)
class NetMetering:
    """What net metering makes of one period's registers."""

    imported: Decimal
    exported: Decimal
    banked_before: Decimal
    billed: Decimal  # the units billed at the tariff (never negative)
    banked_after: Decimal  # the units carried to the next bill (never negative)

    @property
    def banked_used(self) -> Decimal:
        """Banked units set off against this period's import."""
        return (
            self.banked_before - self.banked_after if self.banked_after < self.banked_before else ZERO_UNITS
        )


def net_metering(imported: Decimal, exported: Decimal, banked_before: Decimal) -> NetMetering:
    """Net the import against the export and the units banked: bill what is left, bank a surplus."""
    for name, value in (("import", imported), ("export", exported), ("banked units", banked_before)):
        if value < 0:
            raise ValueError(f"solar {name} must not be negative, got {value}")
    net = imported - exported - banked_before
    return NetMetering(
        imported=imported,
        exported=exported,
        banked_before=banked_before,
        billed=max(net, ZERO_UNITS),
        banked_after=max(-net, ZERO_UNITS),
    )


def feed_in_credit(exported: Decimal, rate: Decimal) -> Decimal:
    """Gross metering: the credit for the exported units at the feed-in rate (a negative amount)."""
    if exported < 0:
        raise ValueError(f"solar export must not be negative, got {exported}")
    if rate < 0:
        raise ValueError(f"feed-in rate must not be negative, got {rate}")
    return -round_paisa(exported * rate)


def settlement_credit(banked_units: Decimal, rate: Decimal) -> Decimal:
    """Net metering, year end: what the units still banked are paid (a negative amount, a credit)."""
    if banked_units < 0:
        raise ValueError(f"banked units must not be negative, got {banked_units}")
    return -round_paisa(banked_units * rate)


def settlement_due(period_end_month: int, settlement_month: int) -> bool:
    """Whether a bill whose period ends in ``period_end_month`` closes the settlement period."""
    if not 1 <= settlement_month <= 12:
        raise ValueError(f"settlement month must be 1-12, got {settlement_month}")
    return period_end_month == settlement_month


def settlement_year_end(day: date, settlement_month: int) -> date:
    """The last day of the settlement year ``day`` falls in: the end of the next ``settlement_month``
    on or after ``day`` (31 March for the financial year)."""
    if not 1 <= settlement_month <= 12:
        raise ValueError(f"settlement month must be 1-12, got {settlement_month}")
    year = day.year if day.month <= settlement_month else day.year + 1
    return date(year, settlement_month, monthrange(year, settlement_month)[1])
