"""Properties of the engine that must hold for every input, not just the golden vectors."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from urja.domain.engine import BillBasis, BillInput, LineHead, TrueUpPeriod, compute_bill
from urja.domain.money import LINE_ROUNDING
from urja.domain.rules import apportion, billable_load, derived_rate, period_months, split_slabs
from urja.domain.tariff import CATEGORY_CODES, LoadUnit, version_in_force
from urja.domain.tariff_book import default_tariff_book

BOOK = default_tariff_book()
METERED = [code for code in CATEGORY_CODES if version_in_force(BOOK, code, date(2025, 4, 1)).metered]
UNMETERED = [code for code in CATEGORY_CODES if code not in METERED]

days = st.integers(min_value=0, max_value=700).map(lambda n: date(2025, 4, 1) + timedelta(days=n))
# Up to 60 (kW, kVA or BHP): inside every category's load limits (the largest limit is 75 kW).
loads = st.decimals(min_value=Decimal("0.1"), max_value=Decimal(60), places=1)
percents = st.decimals(min_value=Decimal(-5), max_value=Decimal(10), places=2)  # < 0: a rebate month
whole_units = st.integers(min_value=0, max_value=6000).map(Decimal)


@st.composite
def bills(draw: st.DrawFn) -> BillInput:
    metered = draw(st.booleans())
    category = draw(st.sampled_from(METERED if metered else UNMETERED))
    start = draw(days)
    end = start + timedelta(days=draw(st.integers(min_value=0, max_value=92)))
    units = draw(whole_units) if metered else None
    kvah = draw(st.one_of(st.none(), whole_units)) if metered else None
    return BillInput(
        tariffs=BOOK,
        category=category,
        sanctioned_load=draw(loads),
        load_unit=draw(st.sampled_from(list(LoadUnit))),
        period_start=start,
        period_end=end,
        units=units,
        kvah=kvah,
        basis=draw(st.sampled_from([BillBasis.MU, BillBasis.PROV, BillBasis.ASS]))
        if metered
        else BillBasis.UM,
        fppas=draw(percents),
        prepaid=draw(st.booleans()),
        has_arrears=draw(st.booleans()),
        na_penalty=draw(st.booleans()),
        arrears=draw(st.decimals(min_value=Decimal(-500), max_value=Decimal(50000), places=2)),
        true_up_units=draw(st.integers(min_value=-300, max_value=300).map(Decimal))
        if metered
        else Decimal(0),
        fallback_category=draw(st.sampled_from([None, "LMV1-URBAN"])),
    )


@settings(max_examples=300, deadline=None)
@given(bills(), st.integers(min_value=0, max_value=2000).map(Decimal))
def test_total_never_decreases_with_units(bill: BillInput, more: Decimal) -> None:
    if bill.units is None:
        return
    larger = replace(bill, units=bill.units + more, kvah=None if bill.kvah is None else bill.kvah + more)
    assert compute_bill(larger).total >= compute_bill(bill).total


def test_a_lifeline_bill_with_a_true_up_credit_does_not_fall_with_more_units() -> None:
    bill = BillInput(
        tariffs=BOOK,
        category="LMV1-LIFELINE",
        sanctioned_load=Decimal("1"),
        load_unit=LoadUnit.KW,
        period_start=date(2025, 6, 1),
        period_end=date(2025, 6, 30),
        units=Decimal(51),
        basis=BillBasis.MU,
        fppas=Decimal(0),
        true_up_units=Decimal(-300),
        fallback_category="LMV1-URBAN",
    )
    assert compute_bill(replace(bill, units=Decimal(101))).total >= compute_bill(bill).total


@settings(max_examples=300, deadline=None)
@given(bills())
def test_every_line_is_rounded_once_to_the_paisa_and_adds_up(bill: BillInput) -> None:
    result = compute_bill(bill)

    for line in result.lines:
        assert line.amount == LINE_ROUNDING.apply(line.amount)
        assert line.amount.as_tuple().exponent == -2
    assert result.payable - result.total == result.round_off
    assert sum(line.amount for line in result.lines) == result.payable
    assert sum(line.amount for line in result.lines if line.head is not LineHead.ROUND_OFF) == result.total
    assert result.payable == result.payable.to_integral_value()
    assert abs(result.round_off) <= Decimal("0.50")


@settings(max_examples=300, deadline=None)
@given(bills())
def test_energy_lines_add_up_to_the_billed_quantity(bill: BillInput) -> None:
    result = compute_bill(bill)

    energy = [line for line in result.lines if line.head is LineHead.ENERGY]
    billed = sum((line.quantity or Decimal(0) for line in energy), Decimal(0))
    assert billed == (result.billed_quantity or 0)


@given(
    whole_units,
    st.lists(st.integers(min_value=1, max_value=5000).map(Decimal), min_size=1, max_size=5, unique=True),
)
def test_slab_parts_add_up_to_the_units(units: Decimal, limits: list[Decimal]) -> None:
    ordered: list[Decimal | None] = [*sorted(limits), None]
    parts = split_slabs(units, ordered)

    assert sum(parts) == units
    assert all(part >= 0 for part in parts)


@given(
    st.decimals(min_value=Decimal(0), max_value=Decimal(100000), places=3),
    st.lists(st.integers(min_value=1, max_value=31), min_size=1, max_size=4),
)
def test_apportioned_units_add_up_and_are_never_negative(total: Decimal, weights: list[int]) -> None:
    shares = apportion(total, weights)

    assert sum(shares) == total
    assert all(share >= 0 for share in shares)


@given(days, st.integers(min_value=0, max_value=400), st.integers(min_value=1, max_value=40))
def test_a_longer_period_is_never_fewer_months(start: date, length: int, extra: int) -> None:
    end = start + timedelta(days=length)

    assert period_months(start, end + timedelta(days=extra)) >= period_months(start, end)
    assert period_months(start - timedelta(days=extra), end) >= period_months(start, end)


@given(
    st.integers(min_value=2000, max_value=2100), st.integers(min_value=1, max_value=12), st.integers(1, 24)
)
def test_whole_calendar_months_are_whole(year: int, month: int, count: int) -> None:
    start = date(year, month, 1)
    stop_year, stop_month = divmod(month - 1 + count, 12)
    end = date(year + stop_year, stop_month + 1, 1) - timedelta(days=1)

    assert period_months(start, end) == count


@given(
    st.integers(min_value=1, max_value=5000).map(Decimal),
    st.decimals(min_value=Decimal(1), max_value=Decimal(2000), places=2),
)
def test_the_kva_conversion_is_revenue_neutral(kw: Decimal, rate_per_kw: Decimal) -> None:
    """Billing a kW load per kVA (kW / 0.90, 2 decimals) at the per-kW rate x 0.90 charges what the
    per-kW charge is, up to the two roundings: half a hundredth of a kVA at the per-kVA rate, and the
    derived rate's 4th decimal over the load. The difference does not grow with the load."""
    kva = billable_load(kw, LoadUnit.KW, LoadUnit.KVA)
    rate_per_kva = derived_rate(rate_per_kw, Decimal("0.90"))
    bound = Decimal("0.005") * rate_per_kva + Decimal("0.00005") * kva
    assert abs(kva * rate_per_kva - kw * rate_per_kw) <= bound
    assert bound <= Decimal("0.005") * rate_per_kw + Decimal("0.3")


@st.composite
def true_ups(draw: st.DrawFn) -> tuple[BillInput, list[tuple[date, date, Decimal, Decimal]]]:
    category = draw(st.sampled_from([c for c in METERED if c != "LMV1-LIFELINE"] + ["LMV1-LIFELINE"]))
    start = date(2025, 4, 1) + timedelta(days=draw(st.integers(min_value=0, max_value=400)))
    periods = []
    for _ in range(draw(st.integers(min_value=1, max_value=3))):
        end = start + timedelta(days=draw(st.integers(min_value=27, max_value=31)))
        periods.append((start, end, draw(whole_units), draw(whole_units)))
        start = end + timedelta(days=1)
    end = start + timedelta(days=30)
    bill = BillInput(
        tariffs=BOOK,
        category=category,
        sanctioned_load=draw(st.sampled_from([Decimal(1), Decimal(2), Decimal(5)])),
        load_unit=LoadUnit.BHP if category.startswith("LMV5") else LoadUnit.KW,
        period_start=start,
        period_end=end,
        units=draw(whole_units),
        fallback_category="LMV1-URBAN",
    )
    return bill, periods


@settings(max_examples=150, deadline=None)
@given(true_ups())
def test_a_true_up_over_k_months_equals_re_billing_those_months(
    case: tuple[BillInput, list[tuple[date, date, Decimal, Decimal]]],
) -> None:
    """The true-up equals, month by month, the energy of each month re-billed alone on its actual units
    less the energy its provisional bill charged (both priced by the whole engine, independently)."""
    bill, periods = case
    trued = replace(
        bill,
        true_up_units=sum((actual - billed for _, _, billed, actual in periods), Decimal(0)),
        true_up_periods=tuple(TrueUpPeriod(a, b, billed, actual) for a, b, billed, actual in periods),
    )

    def energy(start: date, end: date, units: Decimal) -> Decimal:
        alone = replace(bill, period_start=start, period_end=end, units=units)
        return compute_bill(alone).energy_charge

    expected = sum(
        (energy(a, b, actual) - energy(a, b, billed) for a, b, billed, actual in periods), Decimal(0)
    )
    result = compute_bill(trued)
    assert result.true_up == expected
    assert result.energy_charge == compute_bill(bill).energy_charge
