from __future__ import annotations

from decimal import ROUND_DOWN, ROUND_HALF_EVEN, ROUND_HALF_UP, ROUND_UP, Decimal, localcontext
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from urja.domain.money import (
    LINE_ROUNDING,
    format_money,
    format_rate,
    from_paise,
    parse_money,
    round_paisa,
    round_payable,
    round_ratio,
    round_rupee,
    to_paise,
)


def test_round_paisa_is_half_up() -> None:
    assert round_paisa(Decimal("47.875")) == Decimal("47.88")
    assert round_paisa(Decimal("-47.875")) == Decimal("-47.88")
    assert round_paisa(Decimal("2.344")) == Decimal("2.34")
    assert round_paisa(Fraction(3300, 31)) == Decimal("106.45")


def test_round_rupee_keeps_two_decimals() -> None:
    assert round_rupee(Decimal("1727.25")) == Decimal("1727.00")
    assert str(round_rupee(Decimal("1727.50"))) == "1728.00"
    assert round_payable(Decimal("304.50")) == Decimal("305.00")


def test_paise_round_trip() -> None:
    assert to_paise(Decimal("1727.25")) == 172725
    assert from_paise(172725) == Decimal("1727.25")
    assert str(from_paise(5)) == "0.05"
    with pytest.raises(ValueError, match="round it"):
        to_paise(Decimal("1.005"))


def test_money_is_never_a_float() -> None:
    with pytest.raises(TypeError):
        parse_money(1.5)  # type: ignore[arg-type]
    assert parse_money("12.5") == Decimal("12.50")


def test_formatting() -> None:
    assert format_money(Decimal("1727")) == "1727.00"
    assert format_rate(Decimal("5.5")) == "5.50"
    assert format_rate(Decimal("7.8750")) == "7.875"


@given(st.fractions(min_value=-(10**9), max_value=10**9, max_denominator=10**6))
def test_fraction_and_decimal_paths_round_alike(value: Fraction) -> None:
    # A Fraction with a power-of-ten denominator is exactly representable as a Decimal.
    exact = Fraction(round(value * 10**6), 10**6)
    decimal = Decimal(exact.numerator) / Decimal(exact.denominator)
    assert LINE_ROUNDING.apply(exact) == LINE_ROUNDING.apply(decimal)
    assert LINE_ROUNDING.apply(exact).as_tuple().exponent == -2


@given(
    st.integers(min_value=-(10**12), max_value=10**12),
    st.integers(min_value=1, max_value=10**9),
    st.integers(min_value=0, max_value=4),
    st.sampled_from([ROUND_HALF_UP, ROUND_HALF_EVEN, ROUND_DOWN, ROUND_UP]),
)
def test_round_ratio_rounds_the_exact_quotient_like_decimal(numerator, denominator, places, mode):
    with localcontext() as context:
        context.prec = 60  # far more digits than these quotients need to be rounded right
        exact = Decimal(numerator) / Decimal(denominator)
        assert round_ratio(numerator, denominator, places, mode) == exact.quantize(
            Decimal(1).scaleb(-places), rounding=mode
        )
