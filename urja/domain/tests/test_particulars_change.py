"""A load or category change effective inside a bill period: the period is split by days."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta
from decimal import Decimal
from fractions import Fraction
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from urja.domain.engine import BillInput, LineHead, ParticularsChange, compute_bill
from urja.domain.tariff import LoadUnit
from urja.domain.tariff_book import default_tariff_book

BOOK = default_tariff_book()
# Metered categories whose load limits all admit 0.5-10 kW.
CATEGORIES = ["LMV1-URBAN", "LMV1-RURAL", "LMV2-URBAN", "LMV5-URBAN"]
loads = st.decimals(min_value=Decimal("0.5"), max_value=Decimal(10), places=1)


def _bill(**kwargs: Any) -> BillInput:
    values: dict[str, Any] = {
        "tariffs": BOOK,
        "category": "LMV1-URBAN",
        "sanctioned_load": Decimal(2),
        "load_unit": LoadUnit.KW,
        "period_start": date(2025, 4, 1),
        "period_end": date(2025, 4, 30),
        "units": Decimal(300),
    }
    values.update(kwargs)
    return BillInput(**values)


@st.composite
def changed(draw: st.DrawFn) -> tuple[BillInput, ParticularsChange]:
    start = date(2025, 4, 1) + timedelta(days=draw(st.integers(0, 300)))
    end = start + timedelta(days=draw(st.integers(1, 62)))
    bill = _bill(
        category=draw(st.sampled_from(CATEGORIES)),
        sanctioned_load=draw(loads),
        period_start=start,
        period_end=end,
        units=Decimal(draw(st.integers(0, 3000))),
        fppas=draw(st.decimals(min_value=Decimal(-5), max_value=Decimal(10), places=2)),
    )
    change = ParticularsChange(
        effective_from=start + timedelta(days=draw(st.integers(0, (end - start).days))),
        category=draw(st.sampled_from(CATEGORIES)),
        sanctioned_load=draw(loads),
        load_unit=LoadUnit.KW,
    )
    return bill, change


@settings(max_examples=150, deadline=None)
@given(changed())
def test_a_change_on_the_first_day_is_billing_the_whole_period_on_the_new_particulars(
    case: tuple[BillInput, ParticularsChange],
) -> None:
    bill, change = case
    change = replace(change, effective_from=bill.period_start)
    split = compute_bill(replace(bill, changes=(change,)))
    whole = compute_bill(
        replace(
            bill,
            category=change.category,
            sanctioned_load=change.sanctioned_load,
            load_unit=change.load_unit,
        )
    )
    assert split == whole  # to the paisa, line by line and word for word


@settings(max_examples=150, deadline=None)
@given(changed())
def test_a_change_to_the_same_particulars_does_not_split_the_period(
    case: tuple[BillInput, ParticularsChange],
) -> None:
    bill, change = case
    same = replace(
        change, category=bill.category, sanctioned_load=bill.sanctioned_load, load_unit=bill.load_unit
    )
    assert compute_bill(replace(bill, changes=(same,))) == compute_bill(bill)


@settings(max_examples=150, deadline=None)
@given(changed())
def test_a_split_period_shares_the_units_and_prorates_the_fixed_charge_by_days(
    case: tuple[BillInput, ParticularsChange],
) -> None:
    bill, change = case
    result = compute_bill(replace(bill, changes=(change,)))
    energy = [line for line in result.lines if line.head is LineHead.ENERGY]
    assert sum((line.quantity or Decimal(0) for line in energy), Decimal(0)) == bill.units
    fixed = [line for line in result.lines if line.head is LineHead.FIXED]
    before = (change.effective_from - bill.period_start).days
    if before and (change.category, change.sanctioned_load) != (bill.category, bill.sanctioned_load):
        # A fixed-charge line per part, each on its own months: the months add up to the period's.
        months = sum((Fraction(dict(line.params)["months"]) for line in fixed), Fraction(0))
        assert months == result.months
        assert len(fixed) >= 2
    assert result.total == sum((line.amount for line in result.lines[:-1]), Decimal(0))


def test_the_changes_round_trip_through_the_stored_input() -> None:
    bill = _bill(changes=(ParticularsChange(date(2025, 4, 16), "LMV2-URBAN", Decimal(3), LoadUnit.KW),))
    assert BillInput.from_dict(bill.to_dict()) == bill
    assert "changes" not in _bill().to_dict()  # the stored input of an unchanged bill is as before


@pytest.mark.parametrize("day", [date(2025, 3, 31), date(2025, 5, 1)])
def test_a_change_outside_the_period_is_refused(day: date) -> None:
    with pytest.raises(ValueError, match="within the period"):
        compute_bill(_bill(changes=(ParticularsChange(day, "LMV1-URBAN", Decimal(4), LoadUnit.KW),)))
