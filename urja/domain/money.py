"""Exact money for Urja.

Money is a plain :class:`decimal.Decimal` in rupees (never a float); vectorised code carries int64 paise.
Every rounding in the domain core goes through a :class:`RoundingRule`, and the rules in force are named
once, here:

* ``LINE_ROUNDING``: every bill line item is rounded to the paisa, half up;
* ``PAYABLE_ROUNDING``: the payable total is rounded to the rupee, half up, and the difference is shown
  as a round-off line;
* ``UNIT_ROUNDING``: scaled slab limits and units apportioned between tariff versions are whole units,
  half up;
* ``LOAD_ROUNDING``: a load converted between kW, kVA and BHP is kept to 2 decimals, half up;
* ``RATE_ROUNDING``: a rate derived from a tariff rate (per kVA, per kVAh) is kept to 4 decimals, half up.

"Half up" means what :data:`decimal.ROUND_HALF_UP` means: a tie goes away from zero (2.345 -> 2.35,
-2.345 -> -2.35). Values can be ``Decimal``, ``int`` or an exact ``Fraction`` (period factors are
fractions such as 15/31, so a charge is computed exactly and rounded once).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_DOWN, ROUND_HALF_EVEN, ROUND_HALF_UP, ROUND_UP, Decimal
from fractions import Fraction
from typing import Any

Money = Decimal
"""A sum of money in rupees. Plain ``Decimal``: the alias only documents intent."""

Exact = Decimal | Fraction | int

_SUPPORTED_MODES = (ROUND_HALF_UP, ROUND_HALF_EVEN, ROUND_DOWN, ROUND_UP)


@dataclass(frozen=True, slots=True)
class RoundingRule:
    """Round to ``places`` decimals with a :mod:`decimal` rounding ``mode``; ``name`` says it in words."""

    name: str
    places: int
    mode: str = ROUND_HALF_UP

    def __post_init__(self) -> None:
        if self.mode not in _SUPPORTED_MODES:
            raise ValueError(f"unsupported rounding mode {self.mode!r}")

    @property
    def step(self) -> Decimal:
        return Decimal(1).scaleb(-self.places)

    def apply(self, value: Exact) -> Decimal:
        if isinstance(value, Fraction):
            return _round_fraction(value, self.places, self.mode)
        return Decimal(value).quantize(self.step, rounding=self.mode)


def _round_fraction(value: Fraction, places: int, mode: str) -> Decimal:
    return round_ratio(value.numerator, value.denominator, places, mode)


def round_ratio(numerator: int, denominator: int, places: int = 2, mode: str = ROUND_HALF_UP) -> Decimal:
    """The exact quotient ``numerator / denominator`` rounded to ``places`` decimals by ``mode``.

    The engine's products of rates, quantities and period fractions are formed as integer ratios
    (``Decimal.as_integer_ratio``) and rounded once here: exact like :class:`Fraction`, without building
    and normalising a Fraction for every step.
    """
    if denominator < 0:
        numerator, denominator = -numerator, -denominator
    quotient, remainder = divmod(abs(numerator) * 10**places, denominator)
    if remainder and (
        mode == ROUND_UP
        or (mode == ROUND_HALF_UP and 2 * remainder >= denominator)
        or (
            mode == ROUND_HALF_EVEN
            and (2 * remainder > denominator or (2 * remainder == denominator and quotient % 2))
        )
    ):
        quotient += 1
    return Decimal(-quotient if numerator < 0 else quotient).scaleb(-places)


PAISA = Decimal("0.01")
RUPEE = Decimal("1")

LINE_ROUNDING = RoundingRule("each line item to the paisa, half up", 2, ROUND_HALF_UP)
PAYABLE_ROUNDING = RoundingRule("payable to the rupee, half up", 0, ROUND_HALF_UP)
UNIT_ROUNDING = RoundingRule("slab limits and apportioned units to whole units, half up", 0, ROUND_HALF_UP)
LOAD_ROUNDING = RoundingRule("converted loads to 2 decimals, half up", 2, ROUND_HALF_UP)
RATE_ROUNDING = RoundingRule("derived rates to 4 decimals, half up", 4, ROUND_HALF_UP)


def round_paisa(value: Exact) -> Decimal:
    """Round to the paisa, half up: the rule for every bill line item."""
    return LINE_ROUNDING.apply(value)


def round_rupee(value: Exact) -> Decimal:
    """Round to the whole rupee, half up (returned with two decimals, e.g. ``Decimal('1727.00')``)."""
    return RoundingRule("to the rupee, half up", 0, ROUND_HALF_UP).apply(value).quantize(PAISA)


def round_payable(total: Exact) -> Decimal:
    """Round a bill total with the configured ``PAYABLE_ROUNDING`` rule, two decimals kept for display."""
    return PAYABLE_ROUNDING.apply(total).quantize(PAISA)


def to_paise(amount: Decimal) -> int:
    """Exact rupees -> int paise. Raises ``ValueError`` for a fraction of a paisa: round first."""
    paise = amount * 100
    if paise != paise.to_integral_value():
        raise ValueError(f"{amount} is not a whole number of paise; round it with round_paisa() first")
    return int(paise)


def from_paise(paise: int) -> Decimal:
    """int paise -> rupees with exactly two decimals."""
    return Decimal(paise).scaleb(-2)


def parse_money(value: str | int | Decimal) -> Decimal:
    """Read an amount given as a string or int (never a float) and round it to the paisa."""
    if isinstance(value, float):
        raise TypeError("money must not be a float")
    return round_paisa(Decimal(value))


def exact(value: Any) -> Decimal:
    """A Decimal from a value read from data (str, int, Decimal); a float is refused, it is not exact."""
    if isinstance(value, float):
        raise TypeError(f"use a string, not the float {value!r}, for an exact amount")
    return Decimal(value)


def exact_or_none(value: Any) -> Decimal | None:
    return None if value is None else exact(value)


def str_or_none(value: Decimal | None) -> str | None:
    return None if value is None else str(value)


def format_money(amount: Decimal) -> str:
    """Two decimals, no grouping: ``Decimal('1727') -> '1727.00'``."""
    return f"{round_paisa(amount):f}"


def format_number(value: Decimal) -> str:
    """A quantity or percentage without trailing zeros or exponent: 150, 147.5, 1.24."""
    return f"{value.normalize():f}"


def format_rate(rate: Decimal) -> str:
    """A rate with at least two decimals: 5.50, 7.875, 156.8365."""
    if rate == rate.quantize(PAISA):
        return f"{rate.quantize(PAISA):f}"
    return format_number(rate)


def format_indian(amount: Decimal | int | str | None) -> str:
    """Rupees with two decimals in Indian digit grouping (lakh, crore): 123456.5 -> '1,23,456.50'.
    Rounded to the paisa with the line rounding rule."""
    value = round_paisa(Decimal(str(amount if amount is not None else 0)))
    whole, fraction = f"{abs(value):f}".split(".")
    head, tail = whole[:-3], whole[-3:]
    groups: list[str] = []
    while len(head) > 2:
        groups.insert(0, head[-2:])
        head = head[:-2]
    if head:
        groups.insert(0, head)
    return f"{'-' if value < 0 else ''}{','.join([*groups, tail])}.{fraction}"
