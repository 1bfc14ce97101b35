from datetime import date
from decimal import Decimal

import pytest

from urja.domain.allocation import PRINCIPAL, SURCHARGE, Due
from urja.domain.lpsc import LpscRates, describe, months_overdue, surcharge_items, surcharge_total

D = Decimal
RATES = LpscRates(first_percent=D("1.25"), later_percent=D("2.00"), first_months=3)


@pytest.mark.parametrize(
    ("due_on", "on", "months"),
    [
        (date(2026, 1, 15), date(2026, 1, 15), 0),  # on the due date: not yet overdue
        (date(2026, 1, 15), date(2026, 1, 10), 0),
        (date(2026, 1, 15), date(2026, 1, 16), 1),
        (date(2026, 1, 15), date(2026, 2, 15), 1),  # exactly one month
        (date(2026, 1, 15), date(2026, 2, 16), 2),
        (date(2026, 1, 15), date(2026, 4, 15), 3),
        (date(2026, 1, 15), date(2026, 4, 16), 4),
        (date(2026, 1, 31), date(2026, 2, 28), 1),  # clamped to the month's end
        (date(2026, 1, 31), date(2026, 3, 1), 2),
        (date(2025, 12, 20), date(2026, 1, 5), 1),  # across a year
        (date(2024, 11, 20), date(2026, 11, 20), 24),
    ],
)
def test_months_overdue_counts_started_months(due_on, on, months):
    assert months_overdue(due_on, on) == months


def test_rate_by_age_first_months_then_later():
    assert RATES.percent_for(1) == D("1.25")
    assert RATES.percent_for(3) == D("1.25")
    assert RATES.percent_for(4) == D("2.00")


def test_surcharge_per_item_by_age_principal_only():
    on = date(2026, 11, 20)
    dues = [
        Due("2026-05", SURCHARGE, date(2026, 6, 1), D("50.00")),  # never surcharged
        Due("2026-05", PRINCIPAL, date(2026, 6, 10), D("400.00")),  # 6 months: 2%
        Due("2026-08", PRINCIPAL, date(2026, 9, 15), D("1000.00")),  # 3 months: 1.25%
        Due("2026-10", PRINCIPAL, date(2026, 11, 25), D("900.00")),  # not yet due
    ]
    items = surcharge_items(dues, on, RATES)
    assert [(i.period, i.months_overdue, i.percent, i.surcharge) for i in items] == [
        ("2026-05", 6, D("2.00"), D("8.00")),
        ("2026-08", 3, D("1.25"), D("12.50")),
    ]
    assert surcharge_total(items) == D("20.50")
    assert describe("2026-11", items) == "LPSC 2026-11: 2% on 400.00 (2026-05); 1.25% on 1000.00 (2026-08)"


@pytest.mark.parametrize(("base", "expected"), [("100.20", "1.25"), ("100.40", "1.26"), ("0.39", "0.00")])
def test_each_item_rounded_to_the_paisa_half_up(base, expected):
    items = surcharge_items([Due("2026-01", PRINCIPAL, date(2026, 2, 1), D(base))], date(2026, 2, 10), RATES)
    assert surcharge_total(items) == D(expected)


def test_opening_balance_item_and_long_description_are_named():
    items = surcharge_items([Due("", PRINCIPAL, date(2020, 1, 1), D("100.00"))], date(2026, 1, 1), RATES)
    assert describe("2026-01", items) == "LPSC 2026-01: 2% on 100.00 (opening)"
    many = items * 20
    assert len(describe("2026-01", many)) == 200


def test_rates_refuse_floats_and_negatives():
    with pytest.raises(ValueError):
        LpscRates(first_percent=1.25, later_percent=D("2"), first_months=3)  # type: ignore[arg-type]
    with pytest.raises(ValueError):
        LpscRates(first_percent=D("-1"), later_percent=D("2"), first_months=3)
