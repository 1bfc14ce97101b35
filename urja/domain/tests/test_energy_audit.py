"""AT&C, billing and collection efficiency (DOMAIN.md "Losses and energy audit")."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from urja.domain.energy_audit import (
    NO_BILLED_AMOUNT,
    NO_INPUT,
    UNINDEXED_CONSUMERS,
    UNMETERED_FEEDER,
    audit,
    loss_pct,
    months_between,
    parse_period,
)

MU = Decimal("1000000")  # kWh in a million units
LAKH = Decimal("100000")


def test_worked_check_from_domain_md():
    figures = audit(
        input_kwh=53 * MU, billed_kwh=50 * MU, billed_amount=4500 * LAKH, collected_amount=4000 * LAKH
    )
    assert figures.billing_efficiency == Decimal("94.34")
    assert figures.collection_efficiency == Decimal("88.89")
    assert figures.atc_loss_pct == Decimal("16.14")
    assert figures.td_loss_pct == Decimal("5.66")
    assert figures.gaps == ()


@pytest.mark.parametrize(
    ("be", "ce", "atc"),
    [
        # PGVCL, Gujarat, published monthly figures (DOMAIN.md): April 2015 and July 2015 (CE above 100%).
        ("74.97", "98.20", "26.38"),
        ("79.04", "110.69", "12.51"),
    ],
)
def test_published_pgvcl_months_recompute(be, ce, atc):
    figures = audit(
        input_kwh=Decimal("10000"),
        billed_kwh=Decimal(be) * 100,
        billed_amount=Decimal("10000"),
        collected_amount=Decimal(ce) * 100,
    )
    assert (figures.billing_efficiency, figures.collection_efficiency) == (Decimal(be), Decimal(ce))
    assert figures.atc_loss_pct == Decimal(atc)


def test_collection_above_100_percent_gives_atc_below_td_loss():
    # Arrears and subsidy received in the month: 1,200 collected on 1,000 billed.
    figures = audit(
        input_kwh=Decimal("1000"),
        billed_kwh=Decimal("800"),
        billed_amount=Decimal("1000"),
        collected_amount=Decimal("1200"),
    )
    assert figures.collection_efficiency == Decimal("120.00")
    assert figures.atc_loss_pct == Decimal("4.00")  # 1 - 0.8 * 1.2
    assert figures.td_loss_pct == Decimal("20.00")


def test_atc_is_computed_from_unrounded_efficiencies():
    # BE = 2/3, CE = 2/3: from rounded 66.67% x 66.67% AT&C would be 55.55%; exactly it is 55.56%.
    figures = audit(
        input_kwh=Decimal("3"),
        billed_kwh=Decimal("2"),
        billed_amount=Decimal("3"),
        collected_amount=Decimal("2"),
    )
    assert figures.billing_efficiency == Decimal("66.67")
    assert figures.atc_loss_pct == Decimal("55.56")


def test_open_access_units_are_left_out_of_input():
    figures = audit(
        input_kwh=Decimal("1200"),
        open_access_kwh=Decimal("200"),
        billed_kwh=Decimal("900"),
        billed_amount=Decimal("100"),
        collected_amount=Decimal("100"),
    )
    assert figures.input_kwh == Decimal("1000")
    assert figures.billing_efficiency == Decimal("90.00")
    assert figures.atc_loss_pct == Decimal("10.00")


@pytest.mark.parametrize("input_kwh", [None, Decimal("0")])
def test_no_input_is_a_gap_not_a_division_by_zero(input_kwh):
    figures = audit(
        input_kwh=input_kwh,
        billed_kwh=Decimal("500"),
        billed_amount=Decimal("100"),
        collected_amount=Decimal("90"),
    )
    assert figures.billing_efficiency is None
    assert figures.atc_loss_pct is None
    assert figures.td_loss_pct is None
    assert figures.collection_efficiency == Decimal("90.00")
    assert figures.gaps == (NO_INPUT,)


def test_nothing_billed_is_a_gap():
    figures = audit(
        input_kwh=Decimal("500"),
        billed_kwh=Decimal("0"),
        billed_amount=Decimal("0"),
        collected_amount=Decimal("40"),
    )
    assert figures.billing_efficiency == Decimal("0.00")
    assert figures.collection_efficiency is None
    assert figures.atc_loss_pct is None
    assert figures.gaps == (NO_BILLED_AMOUNT,)


def test_caller_gaps_are_kept_once_and_must_be_known():
    figures = audit(
        input_kwh=Decimal("10"),
        billed_kwh=Decimal("5"),
        billed_amount=Decimal("1"),
        collected_amount=Decimal("1"),
        gaps=[UNMETERED_FEEDER, UNINDEXED_CONSUMERS, UNMETERED_FEEDER],
    )
    assert figures.gaps == (UNMETERED_FEEDER, UNINDEXED_CONSUMERS)
    assert figures.atc_loss_pct == Decimal("50.00")
    with pytest.raises(ValueError):
        audit(
            input_kwh=None,
            billed_kwh=Decimal(0),
            billed_amount=Decimal(0),
            collected_amount=Decimal(0),
            gaps=["x"],
        )


@pytest.mark.parametrize(
    "field", ["input_kwh", "billed_kwh", "billed_amount", "collected_amount", "open_access_kwh"]
)
def test_negative_figures_are_refused(field):
    values = dict(
        input_kwh=Decimal("10"),
        billed_kwh=Decimal("5"),
        billed_amount=Decimal("1"),
        collected_amount=Decimal("1"),
    )
    values[field] = Decimal("-1")
    with pytest.raises(ValueError):
        audit(**values)  # type: ignore[arg-type]


def test_loss_of_a_feeder_or_dt():
    assert loss_pct(input_kwh=Decimal("1000"), billed_kwh=Decimal("420")) == Decimal("58.00")
    assert loss_pct(input_kwh=None, billed_kwh=Decimal("420")) is None
    assert loss_pct(input_kwh=Decimal("0"), billed_kwh=Decimal("0")) is None


@pytest.mark.parametrize(
    ("code", "start", "end", "count"),
    [
        ("2025-07", date(2025, 7, 1), date(2025, 7, 31), 1),
        ("2024-02", date(2024, 2, 1), date(2024, 2, 29), 1),
        ("2025-Q1", date(2025, 4, 1), date(2025, 6, 30), 3),
        ("2025-Q3", date(2025, 10, 1), date(2025, 12, 31), 3),
        ("2025-Q4", date(2026, 1, 1), date(2026, 3, 31), 3),
        ("FY2026", date(2025, 4, 1), date(2026, 3, 31), 12),  # Indian usage: the year ending in March
        ("FY2025-26", date(2025, 4, 1), date(2026, 3, 31), 12),
    ],
)
def test_periods(code, start, end, count):
    period = parse_period(code)
    assert (period.start, period.end, len(period.months)) == (start, end, count)
    assert period.months[0] == start.strftime("%Y-%m") and period.months[-1] == end.strftime("%Y-%m")


@pytest.mark.parametrize("code", ["2025-13", "2025-Q5", "FY2025-27", "25-07", "", "FY25"])
def test_bad_periods(code):
    with pytest.raises(ValueError):
        parse_period(code)


def test_months_between():
    assert months_between("2025-11", "2026-02") == ("2025-11", "2025-12", "2026-01", "2026-02")
    assert months_between("2025-03", "2025-02") == ()


amounts = st.decimals(min_value=Decimal("0.01"), max_value=Decimal("1e9"), places=2)


@given(
    input_kwh=amounts,
    billed_share=st.decimals(min_value=0, max_value=1, places=4),
    billed=amounts,
    collected=amounts,
)
def test_atc_properties(input_kwh, billed_share, billed, collected):
    billed_kwh = (input_kwh * billed_share).quantize(Decimal("0.01"))
    figures = audit(
        input_kwh=input_kwh, billed_kwh=billed_kwh, billed_amount=billed, collected_amount=collected
    )
    assert figures.atc_loss_pct is not None and figures.td_loss_pct is not None
    assert figures.billing_efficiency is not None and figures.collection_efficiency is not None
    # T&D and billing efficiency add to 100 (both rounded from the same ratio).
    assert abs(figures.td_loss_pct + figures.billing_efficiency - 100) <= Decimal("0.01")
    # AT&C agrees with the rounded efficiencies to within the rounding of a product.
    approx = 100 - figures.billing_efficiency * figures.collection_efficiency / 100
    assert abs(figures.atc_loss_pct - approx) <= Decimal("0.02") * (1 + figures.collection_efficiency / 100)
    # Collecting at least what was billed can only lower AT&C to at most the T&D loss.
    if collected >= billed:
        assert figures.atc_loss_pct <= figures.td_loss_pct
    else:
        assert figures.atc_loss_pct >= figures.td_loss_pct
