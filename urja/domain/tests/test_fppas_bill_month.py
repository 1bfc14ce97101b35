"""FPPAS by bill month (issue 8, rule 5): one percentage, that of the month the bill is raised in, on one
line naming that month; a rebate month (negative percentage) works; electricity duty takes FPPAS into its
base when the tariff version says so (UP Electricity Duty Act 1952 s.2(h)(v))."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal

import pytest

from urja.domain.engine import BillInput, BillLine, BillResult, LineHead, compute_bill
from urja.domain.tariff import LoadUnit, TariffVersion, version_in_force
from urja.domain.tariff_book import default_tariff_book

BOOK = default_tariff_book()
NOV_DEC = {"period_start": date(2025, 11, 16), "period_end": date(2025, 12, 15)}


def _book(duty_on_fppas: bool) -> list[TariffVersion]:
    return [replace(version, duty_on_fppas=duty_on_fppas) for version in BOOK]


def bill(
    percent: str, month: str | None = "2025-12", duty_on_fppas: bool = False, **fields: object
) -> BillInput:
    values: dict[str, object] = {**NOV_DEC, **fields}
    return BillInput(
        tariffs=tuple(_book(duty_on_fppas)),
        category="LMV1-URBAN",
        sanctioned_load=Decimal("2"),
        load_unit=LoadUnit.KW,
        units=Decimal("250"),
        fppas=Decimal(percent),
        fppas_month=month,
        **values,  # type: ignore[arg-type]
    )


def _line(result: BillResult, head: LineHead) -> BillLine:
    (line,) = [line for line in result.lines if line.head is head]
    return line


def test_one_fppas_line_names_the_bill_month_even_when_the_period_spans_two_months() -> None:
    result = compute_bill(bill("5.56"))

    line = _line(result, LineHead.FPPAS)
    # energy 1425 + fixed 220 = 1645.00; 5.56% = 91.462 -> 91.46
    assert line.description == "FPPAS for bills of 2025-12: 5.56% on Rs 1645.00"
    assert line.amount == Decimal("91.46")
    assert dict(line.params) == {"month": "2025-12", "percent": "5.56", "base": "1645.00"}
    assert result.fppas == Decimal("91.46")


def test_a_rebate_month_gives_a_negative_fppas_line() -> None:
    result = compute_bill(bill("-2.33", month="2026-01"))

    line = _line(result, LineHead.FPPAS)
    # -2.33% of 1645.00 = -38.3285 -> -38.33; duty (not on FPPAS) 5% of 1645 = 82.25
    assert line.description == "FPPAS for bills of 2026-01: -2.33% on Rs 1645.00"
    assert line.amount == Decimal("-38.33")
    assert result.electricity_duty == Decimal("82.25")
    assert result.total == Decimal("1688.92")  # 1645.00 + 82.25 - 38.33
    assert sum(line.amount for line in result.lines) == result.payable == Decimal("1689.00")


def test_without_a_month_the_line_is_the_plain_percentage() -> None:
    line = _line(compute_bill(bill("1.24", month=None)), LineHead.FPPAS)

    assert line.description == "FPPAS 1.24% on Rs 1645.00"
    assert dict(line.params) == {"percent": "1.24", "base": "1645.00"}


def test_duty_on_fppas_adds_the_fppas_amount_to_the_duty_base() -> None:
    on = compute_bill(bill("5.56", duty_on_fppas=True))
    off = compute_bill(bill("5.56", duty_on_fppas=False))

    # on: 5% of (1645.00 + 91.46) = 86.823 -> 86.82; off: 5% of 1645.00 = 82.25
    assert _line(on, LineHead.DUTY).description == "Electricity duty 5% on Rs 1736.46"
    assert on.electricity_duty == Decimal("86.82")
    assert off.electricity_duty == Decimal("82.25")
    assert on.fppas == off.fppas == Decimal("91.46")


def test_duty_on_a_negative_fppas_lowers_the_duty_base() -> None:
    result = compute_bill(bill("-2.33", month="2026-01", duty_on_fppas=True))

    # 5% of (1645.00 - 38.33) = 5% of 1606.67 = 80.3335 -> 80.33
    assert result.electricity_duty == Decimal("80.33")


def test_duty_on_fppas_across_a_tariff_change_splits_the_fppas_by_part() -> None:
    urban = version_in_force(BOOK, "LMV1-URBAN", date(2025, 4, 1))
    later = replace(urban, effective_from=date(2025, 12, 1), duty_percent=Decimal("7.5"), label="new")
    book = [
        replace(urban, effective_to=date(2025, 11, 30), duty_on_fppas=True),
        replace(later, duty_on_fppas=True),
    ]
    result = compute_bill(replace(bill("5.56"), tariffs=book))

    duty = [line for line in result.lines if line.head is LineHead.DUTY]
    fppas = _line(result, LineHead.FPPAS)
    # parts 16-30 Nov (15 days) and 1-15 Dec (15 days): each half of 250 units and of 1 month
    # part bases 822.50 each (energy 75x5.50 + 50x6.00 = 712.50, fixed 110.00); FPPAS 5.56% of 1645.00
    # = 91.46, of which 5.56% of 822.50 = 45.731 -> 45.73 on the first part and 91.46 - 45.73 = 45.73
    # on the last; duty 5% of 868.23 = 43.4115 -> 43.41 and 7.5% of 868.23 = 65.117 -> 65.12
    assert fppas.amount == Decimal("91.46")
    assert [(line.rate, line.quantity, line.amount) for line in duty] == [
        (Decimal("5"), Decimal("868.23"), Decimal("43.41")),
        (Decimal("7.5"), Decimal("868.23"), Decimal("65.12")),
    ]


def test_input_round_trips_with_the_month() -> None:
    original = bill("-2.33", month="2026-01")

    assert BillInput.from_dict(original.to_dict()) == original


def test_a_percentage_per_consumption_month_is_refused() -> None:
    data = bill("1").to_dict()
    data["fppas"] = [["2025-11", "2.00"], ["2025-12", "5.56"]]

    with pytest.raises(ValueError, match="one percentage, that of the bill month"):
        BillInput.from_dict(data)


@pytest.mark.parametrize("month", ["2025-13", "Dec 2025", "2025-1"])
def test_the_bill_month_is_yyyy_mm(month: str) -> None:
    with pytest.raises(ValueError, match="FPPAS bill month"):
        compute_bill(bill("1", month=month))


def test_versions_round_trip_the_duty_on_fppas_flag() -> None:
    for version in _book(False) + _book(True):
        assert TariffVersion.from_dict(version.to_dict()) == version
    data = BOOK[0].to_dict()
    del data["duty_on_fppas"]
    assert TariffVersion.from_dict(data).duty_on_fppas is True
