from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from urja.domain.engine import BillInput, compute_bill
from urja.domain.load_limits import LoadOutsideLimits, check_load, limits_text
from urja.domain.quote import quote
from urja.domain.tariff import LoadUnit
from urja.domain.tariff_book import default_tariff_book

BOOK = default_tariff_book()


def _bill(load: str, unit: LoadUnit = LoadUnit.KW, category: str = "LMV6") -> BillInput:
    return BillInput(
        tariffs=BOOK,
        category=category,
        sanctioned_load=Decimal(load),
        load_unit=unit,
        period_start=date(2025, 6, 1),
        period_end=date(2025, 6, 30),
        units=Decimal(1000),
    )


def test_lmv6_up_to_75_kw_is_billed() -> None:
    assert compute_bill(_bill("75")).payable > 0
    # 100 BHP = 74.60 kW (converted to 2 decimals, not rounded up): inside the limit.
    assert compute_bill(_bill("100", LoadUnit.BHP)).payable > 0


@pytest.mark.parametrize(
    ("load", "unit"), [("75.01", LoadUnit.KW), ("84", LoadUnit.KVA), ("101", LoadUnit.BHP)]
)
def test_the_engine_refuses_a_load_above_the_category_limit(load: str, unit: LoadUnit) -> None:
    with pytest.raises(LoadOutsideLimits, match=r"outside the LMV6 limits \(up to 75 kW\)") as caught:
        compute_bill(_bill(load, unit))
    assert isinstance(caught.value, ValueError)
    assert caught.value.max_load == Decimal(75)
    assert caught.value.category == "LMV6"


def test_the_quote_refuses_it_too() -> None:
    with pytest.raises(ValueError, match="outside the LMV6 limits"):
        quote(tariff="LMV6", load="80kW", units="100", today=date(2025, 6, 30))


def test_a_category_without_limits_takes_any_load() -> None:
    check_load(BOOK, "LMV1-URBAN", Decimal(500), LoadUnit.KW, date(2025, 1, 1), date(2025, 12, 31))


def test_limits_in_force_in_any_part_of_the_period_apply() -> None:
    with pytest.raises(LoadOutsideLimits):
        check_load(BOOK, "LMV6", Decimal(80), LoadUnit.KW, date(2025, 3, 16), date(2025, 4, 15))


def test_limits_text() -> None:
    assert limits_text(None, Decimal(75), LoadUnit.KW) == "up to 75 kW"
    assert limits_text(Decimal(1), None, LoadUnit.BHP) == "from 1 BHP"
    assert limits_text(Decimal(1), Decimal(75), LoadUnit.KW) == "1 to 75 kW"
