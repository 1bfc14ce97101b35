from __future__ import annotations

from datetime import date
from decimal import Decimal
from fractions import Fraction

import pytest

from urja.domain.rules import (
    add_months,
    apportion,
    billable_load,
    calendar_month_days,
    convert_load,
    derived_rate,
    period_charge,
    period_months,
    scaled_limit,
    split_slabs,
)
from urja.domain.tariff import LoadUnit


@pytest.mark.parametrize(
    ("start", "end", "months"),
    [
        (date(2025, 4, 1), date(2025, 4, 30), Fraction(1)),
        (date(2025, 2, 1), date(2025, 2, 28), Fraction(1)),
        (date(2024, 2, 1), date(2024, 2, 29), Fraction(1)),
        (date(2026, 1, 1), date(2026, 2, 28), Fraction(2)),
        (date(2025, 4, 16), date(2025, 5, 15), Fraction(1)),
        (date(2025, 4, 16), date(2025, 4, 30), Fraction(1, 2)),
        (date(2025, 4, 1), date(2025, 4, 15), Fraction(15, 31)),
        (date(2025, 3, 1), date(2025, 3, 30), Fraction(30, 31)),
        (date(2025, 2, 28), date(2025, 3, 30), Fraction(1)),
        (date(2025, 1, 31), date(2025, 2, 28), Fraction(32, 31)),
        (date(2025, 12, 16), date(2026, 2, 15), Fraction(2)),
        (date(2025, 4, 30), date(2025, 4, 30), Fraction(1, 30)),
        (date(2025, 4, 1), date(2025, 4, 1), Fraction(1, 31)),
        (date(2025, 1, 1), date(2025, 12, 31), Fraction(12)),
    ],
)
def test_period_months(start: date, end: date, months: Fraction) -> None:
    assert period_months(start, end) == months


def test_add_months_clamps_to_the_month_end() -> None:
    assert add_months(date(2025, 1, 31), 1) == date(2025, 2, 28)
    assert add_months(date(2025, 3, 31), -1) == date(2025, 2, 28)
    assert add_months(date(2025, 12, 15), 2) == date(2026, 2, 15)


def test_calendar_month_days() -> None:
    assert calendar_month_days(date(2025, 11, 16), date(2026, 1, 5)) == [
        ("2025-11", 15),
        ("2025-12", 31),
        ("2026-01", 5),
    ]


def test_split_slabs_is_telescopic() -> None:
    limits = (Decimal(150), Decimal(300), None)
    assert split_slabs(Decimal(250), limits) == (Decimal(150), Decimal(100), Decimal(0))
    assert split_slabs(Decimal(400), limits) == (Decimal(150), Decimal(150), Decimal(100))
    assert split_slabs(Decimal("0.5"), limits) == (Decimal("0.5"), Decimal(0), Decimal(0))
    with pytest.raises(ValueError):
        split_slabs(Decimal(-1), limits)


def test_scaled_limit_rounds_half_up_to_whole_units() -> None:
    assert scaled_limit(Decimal(150), Fraction(15, 31)) == Decimal(73)  # 72.58
    assert scaled_limit(Decimal(100), Fraction(1, 2)) == Decimal(50)
    assert scaled_limit(Decimal(1), Fraction(1, 2)) == Decimal(1)  # 0.5 half up


def test_apportion_adds_up_and_is_never_negative() -> None:
    assert apportion(Decimal(310), [15, 16]) == (Decimal(150), Decimal(160))
    assert apportion(Decimal(1), [1, 1, 1]) == (Decimal(0), Decimal(1), Decimal(0))
    assert apportion(Decimal("1.6"), [19, 1]) == (Decimal("1.6"), Decimal(0))
    assert apportion(Decimal(7), [30]) == (Decimal(7),)


@pytest.mark.parametrize(
    ("value", "given", "wanted", "converted", "billable"),
    [
        # A fractional contracted load counts as the next whole unit in its own unit (kW, kVA) ...
        ("1.5", LoadUnit.KW, LoadUnit.KW, "1.5", "2"),
        ("10.2", LoadUnit.KVA, LoadUnit.KVA, "10.2", "11"),
        # ... and a converted load is rounded to 2 decimals, not rounded up again (General Provision 1).
        ("12", LoadUnit.KVA, LoadUnit.KW, "10.80", "10.80"),
        ("10", LoadUnit.KW, LoadUnit.KVA, "11.11", "11.11"),
        ("15", LoadUnit.KW, LoadUnit.KVA, "16.67", "16.67"),
        ("9.5", LoadUnit.KW, LoadUnit.KVA, "10.56", "11.11"),  # 9.5 kW counts as 10 kW first
        # BHP pump ratings are not rounded up (docs/decisions/0009-load-rounding.md).
        ("7.5", LoadUnit.BHP, LoadUnit.BHP, "7.5", "7.5"),
        ("7.5", LoadUnit.BHP, LoadUnit.KW, "5.60", "5.60"),
        ("10", LoadUnit.KW, LoadUnit.BHP, "13.40", "13.40"),
        ("15", LoadUnit.BHP, LoadUnit.KVA, "12.43", "12.43"),
    ],
)
def test_load_conversion_and_rounding(
    value: str, given: LoadUnit, wanted: LoadUnit, converted: str, billable: str
) -> None:
    assert convert_load(Decimal(value), given, wanted) == Decimal(converted)
    assert billable_load(Decimal(value), given, wanted) == Decimal(billable)


def test_the_kva_conversion_is_revenue_neutral() -> None:
    """General Provision 1's own example: 10 kW x Rs 450 = 4,500.00 and 11.11 kVA x Rs 405 = 4,499.55."""
    kva = billable_load(Decimal(10), LoadUnit.KW, LoadUnit.KVA)
    assert kva == Decimal("11.11")
    assert kva * derived_rate(Decimal(450), Decimal("0.90")) == Decimal("4499.5500")


def test_period_charge_is_rounded_once() -> None:
    assert period_charge(Decimal(110), Decimal(2), Fraction(15, 31)) == Decimal("106.45")
    assert period_charge(Decimal(110), Decimal(2), Fraction(1)) == Decimal("220.00")


def test_derived_rates() -> None:
    assert derived_rate(Decimal("8.75"), Decimal("0.90")) == Decimal("7.875")
    assert derived_rate(Decimal("130"), Decimal("0.90"), Decimal("0.746")) == Decimal("156.8365")
