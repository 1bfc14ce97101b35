from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from urja.domain.consumption import (
    Advance,
    RegisterSegment,
    consumption_between,
    is_cdf,
    load_in_kw,
    months_in,
    provisional_units,
    register_advance,
)

D = Decimal


def readings(digits: int):
    """Register values a `digits`-digit meter can show, to 2 decimals."""
    return st.integers(0, 10**digits * 100 - 1).map(lambda n: D(n) / 100)


def test_forward_advance():
    assert register_advance(D("1200"), D("1350.5"), 6) == Advance(D("150.5"), False)


def test_five_digit_roll_over():
    advance, rolled_over = register_advance(D("99990"), D("15"), 5)
    assert (advance, rolled_over) == (D("25"), True)


def test_big_backwards_jump_is_rdf():
    assert register_advance(D("5000"), D("4000"), 5) is None


def test_roll_over_plausibility_boundary():
    # 5 digits: the range is 100,000 and a roll-over must advance less than 10,000.
    assert register_advance(D("90001"), D("0"), 5) == Advance(D("9999"), True)
    assert register_advance(D("90000"), D("0"), 5) is None


@pytest.mark.parametrize(("previous", "current"), [("-1", "5"), ("5", "100000")])
def test_value_the_register_cannot_show(previous, current):
    with pytest.raises(ValueError):
        register_advance(D(previous), D(current), 5)


@given(st.integers(4, 9).flatmap(lambda d: st.tuples(st.just(d), readings(d), readings(d))))
def test_advance_is_never_negative_and_round_trips(case):
    digits, previous, current = case
    result = register_advance(previous, current, digits)
    if result is None:
        assert current < previous
        return
    assert result.units >= 0
    assert result.rolled_over == (current < previous)
    # Going forward by the advance from `previous`, modulo the register range, lands on `current`.
    assert (previous + result.units) % (10**digits) == current


@given(
    st.integers(4, 9).flatmap(lambda d: st.tuples(st.just(d), readings(d), st.integers(0, 10**d // 10 - 1)))
)
def test_every_small_forward_step_is_recognised(case):
    digits, previous, step = case
    current = (previous + step) % (10**digits)
    assert register_advance(previous, current, digits).units == step


def test_consumption_applies_multiplying_factor():
    result = consumption_between([RegisterSegment(D("100"), D("150"), 6, D("40"))])
    assert (result.units, result.rolled_over, result.meter_changed) == (D("2000.00"), False, False)


def test_meter_change_adds_both_meters():
    old = RegisterSegment(start=D("4500"), end=D("4620"), digits=5, multiplying_factor=D("1"))
    new = RegisterSegment(start=D("3"), end=D("83"), digits=6, multiplying_factor=D("2"))
    result = consumption_between([old, new])
    assert result.units == (D("4620") - D("4500")) * 1 + (D("83") - D("3")) * 2
    assert result.meter_changed and not result.rolled_over


def test_any_defective_segment_makes_the_period_rdf():
    old = RegisterSegment(D("4500"), D("100"), 5)
    new = RegisterSegment(D("0"), D("80"), 5)
    assert consumption_between([old, new]) is None


def test_units_rounded_once_half_up():
    result = consumption_between([RegisterSegment(D("0"), D("0.05"), 6, D("0.5"))])
    assert result.units == D("0.03")  # 0.025 -> 0.03


@given(st.lists(st.tuples(readings(6), readings(6)), min_size=1, max_size=4))
def test_segments_add_up(pairs):
    segments = [RegisterSegment(min(a, b), max(a, b), 6) for a, b in pairs]
    result = consumption_between(segments)
    assert result.units == sum((s.end - s.start for s in segments), D(0))


@pytest.mark.parametrize(("unit", "kw"), [("kW", "2"), ("kVA", "1.8"), ("BHP", "1.492")])
def test_load_in_kw(unit, kw):
    assert load_in_kw(D("2"), unit) == D(kw)


def test_cdf_limit_is_800_per_kw_month():
    assert not is_cdf(D("1600"), D("2"), 1)
    assert is_cdf(D("1600.01"), D("2"), 1)
    assert not is_cdf(D("3200"), D("2"), Fraction(2))


def test_months_in_uses_the_average_month():
    assert 2 < months_in(61) < months_in(62)
    assert months_in(365) < 12 and months_in(366) > 12
    assert is_cdf(D("801"), D("1"), months_in(30)) and not is_cdf(D("801"), D("1"), months_in(31))


@given(st.decimals(0, 100_000, places=2), st.decimals("0.01", 1000, places=2), st.integers(1, 90))
def test_cdf_is_monotonic_in_units(units, load, days):
    if is_cdf(units, load, months_in(days)):
        assert is_cdf(units + 1, load, months_in(days))


def test_provisional_units_average_of_last_three():
    assert provisional_units([D("500"), D("100"), D("110"), D("121")], 1) == D("110")
    assert provisional_units([D("100"), D("101")], 2) == D("201")
    assert provisional_units([D("100"), D("100"), D("101")], 1) == D("100")  # 100.33 -> 100
    assert provisional_units([D("100"), D("101")], 1) == D("101")  # 100.5 -> 101, half up


def test_provisional_units_needs_an_actual_month():
    with pytest.raises(ValueError):
        provisional_units([], 1)


@given(st.lists(st.decimals(0, 10_000, places=2), min_size=1, max_size=12), st.integers(1, 3))
def test_provisional_units_is_whole_and_within_range(history, months):
    units = provisional_units(history, months)
    recent = history[-3:]
    assert units == units.to_integral_value()
    assert min(recent) * months - 1 <= units <= max(recent) * months + 1
