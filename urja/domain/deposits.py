"""Interest on the security deposit (UP Electricity Supply Code 2005, and Electricity Act 2003 s.47(4):
the licensee pays interest at the bank rate, or more, on the security deposit held, once a year).

The interest for a financial year is the deposit held each day x the rate / the days of the year, so a
deposit held for part of the year (paid, topped up or refunded during it) earns for the days it was
held; it is rounded to the paisa once, for the year."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from fractions import Fraction

from urja.domain.money import round_paisa

ONE_DAY = timedelta(days=1)


@dataclass(frozen=True, slots=True)
class FinancialYear:
    code: str  # "2025-26"
    start: date  # 1 April
    end: date  # 31 March, inclusive

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1


def financial_year(code: str) -> FinancialYear:
    """``"2025-26"`` -> 1 April 2025 to 31 March 2026. Refuses any other shape."""
    parts = code.split("-")
    if len(parts) != 2 or not (parts[0].isascii() and parts[0].isdigit() and len(parts[0]) == 4):
        raise ValueError(f"a financial year is written YYYY-YY, e.g. 2025-26, got {code!r}")
    first = int(parts[0])
    if parts[1] != f"{(first + 1) % 100:02d}":
        raise ValueError(f"{code!r} is not a financial year: the second year must follow the first")
    return FinancialYear(code=code, start=date(first, 4, 1), end=date(first + 1, 3, 31))


def financial_year_of(day: date) -> FinancialYear:
    first = day.year if day.month >= 4 else day.year - 1
    return financial_year(f"{first}-{(first + 1) % 100:02d}")


@dataclass(frozen=True, slots=True)
class DepositHeld:
    """The deposit held from ``start`` (inclusive) until the next change."""

    start: date
    amount: Decimal


def deposit_days(changes: Sequence[DepositHeld], year: FinancialYear) -> list[tuple[Decimal, int]]:
    """(amount, days held within the year) for each stretch of an unchanged deposit in the year.

    ``changes`` are the deposit's values from the day each took effect, in any order; before the first
    one nothing was held."""
    ordered = sorted(changes, key=lambda held: held.start)
    result: list[tuple[Decimal, int]] = []
    for index, held in enumerate(ordered):
        until = ordered[index + 1].start - ONE_DAY if index + 1 < len(ordered) else year.end
        start, end = max(held.start, year.start), min(until, year.end)
        if end >= start and held.amount:
            result.append((held.amount, (end - start).days + 1))
    return result


def deposit_interest(changes: Sequence[DepositHeld], year: FinancialYear, rate_percent: Decimal) -> Decimal:
    """The interest the deposit earned in the year, at ``rate_percent`` a year, pro rata by days held."""
    if rate_percent < 0:
        raise ValueError(f"an interest rate must not be negative, got {rate_percent}")
    for held in changes:
        if held.amount < 0:
            raise ValueError(f"a security deposit must not be negative, got {held.amount}")
    exact = (
        sum((Fraction(amount) * days for amount, days in deposit_days(changes, year)), Fraction(0))
        * Fraction(rate_percent)
        / 100
        / year.days
    )
    return round_paisa(exact)
