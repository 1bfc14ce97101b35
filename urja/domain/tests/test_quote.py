from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pytest

from urja.domain.quote import default_quote_period, parse_load, quote
from urja.domain.tariff import LoadUnit


@pytest.mark.parametrize(
    ("text", "value", "unit"),
    [
        ("2kW", "2", LoadUnit.KW),
        ("1.5kW", "1.5", LoadUnit.KW),
        ("12kVA", "12", LoadUnit.KVA),
        ("7.5BHP", "7.5", LoadUnit.BHP),
        (" 3 kw ", "3", LoadUnit.KW),
    ],
)
def test_parse_load(text: str, value: str, unit: LoadUnit) -> None:
    assert parse_load(text) == (Decimal(value), unit)


@pytest.mark.parametrize("text", ["", "kW", "2", "-2kW", "0kW", "2MW", "1e3kW", "2 k W", "nankW", ".5kW"])
def test_parse_load_refuses_bad_input(text: str) -> None:
    with pytest.raises(ValueError, match="expected a positive number followed by kW, kVA or BHP"):
        parse_load(text)


def test_default_period_is_one_month_ending_today() -> None:
    assert default_quote_period(date(2025, 5, 15)) == (date(2025, 4, 16), date(2025, 5, 15))
    assert default_quote_period(date(2025, 3, 31)) == (date(2025, 3, 1), date(2025, 3, 31))
    assert default_quote_period(date(2025, 1, 10)) == (date(2024, 12, 11), date(2025, 1, 10))
    assert default_quote_period(date(2025, 6, 30)) == (date(2025, 6, 1), date(2025, 6, 30))
    assert default_quote_period(date(2025, 3, 30)) == (date(2025, 2, 28), date(2025, 3, 30))


def test_quote_worked_check() -> None:
    result = quote(tariff="LMV1-URBAN", load="2kW", units="250", today=date(2025, 9, 20))

    assert result["tariff"] == "LMV1-URBAN"
    assert result["units"] == "250"
    assert result["energy_charge"] == "1425.00"
    assert result["fixed_charge"] == "220.00"
    assert result["electricity_duty"] == "82.25"
    assert result["fppas"] == "0.00"
    assert result["total"] == "1727.25"
    assert result["payable"] == "1727.00"
    assert [line["amount"] for line in result["lines"]] == ["825.00", "600.00", "220.00", "82.25", "-0.25"]
    assert set(result["lines"][0]) == {"head", "description", "amount"}


def test_quote_with_fppas_and_period() -> None:
    result = quote(
        tariff="lmv1-urban",
        load="2kW",
        units=250,
        period_from=date(2025, 4, 1),
        period_to=date(2025, 4, 30),
        fppas="1.24",
    )

    assert result["fppas"] == "20.40"
    # the seeded versions levy duty on FPPAS: 5% of (1645.00 + 20.40) = 83.27; 1645 + 83.27 + 20.40 = 1748.67
    assert result["electricity_duty"] == "83.27"
    assert result["payable"] == "1749.00"


def test_unmetered_quote_takes_no_units() -> None:
    result = quote(tariff="LMV5-RURAL-UM", load="5BHP", today=date(2025, 6, 30))

    assert result["units"] is None
    assert result["fixed_charge"] == "850.00"
    with pytest.raises(ValueError, match="unmetered: leave out units"):
        quote(tariff="LMV5-RURAL-UM", load="5BHP", units=10, today=date(2025, 6, 30))


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"tariff": "LMV1-URBAN", "load": "2kW"}, "is metered: give the units"),
        ({"tariff": "LMV1-URBAN", "load": "2kW", "units": "-3"}, "invalid units"),
        ({"tariff": "LMV1-URBAN", "load": "2kW", "units": "abc"}, "invalid units"),
        ({"tariff": "LMV1-URBAN", "load": "2kW", "units": 1, "fppas": "x"}, "invalid FPPAS"),
        ({"tariff": "LMV99", "load": "2kW", "units": 1}, "unknown tariff category 'LMV99'"),
        ({"tariff": "LMV1-URBAN", "load": "2kW", "units": 1, "period_from": date(2025, 5, 1)}, "both"),
    ],
)
def test_quote_errors(kwargs: dict[str, object], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        quote(**kwargs, today=date(2025, 9, 20))  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("units", "1" * 5000),
        ("units", "10000000000"),
        ("kvah", "1e309"),
        ("fppas", "100.01"),
        ("load", "10001kW"),
        ("load", "1e309kW"),
    ],
)
def test_quote_refuses_quantities_no_bill_can_hold(field: str, value: str) -> None:
    """Beyond the bill's columns (units: 12 digits) or sense (FPPAS above 100 %, a load above the
    10,000 a connection may have), even where the value would be ignored (kVAh on a kWh tariff)."""
    args: dict[str, Any] = {
        "tariff": "LMV1-URBAN",
        "load": "2kW",
        "units": "100",
        "today": date(2026, 10, 31),
    }
    args[field] = value
    with pytest.raises(ValueError, match="at most|expected"):
        quote(**args)


def test_quote_reads_digits_of_any_script() -> None:
    today = date(2026, 10, 31)
    ascii_quote = quote(tariff="LMV1-URBAN", load="2kW", units="250", today=today)
    assert quote(tariff="LMV1-URBAN", load="२kW", units="२५०", today=today) == ascii_quote


def test_quote_of_a_demand_billed_hv_bill_with_md_and_tod() -> None:
    from urja.domain.tariff_book import default_tariff_book
    from urja.domain.tariff_book_hv import hv_tariff_book

    result = quote(
        tariff="HV2-11KV",
        load="100kVA",
        units="28000",
        kvah="30000",
        md_kva="108",
        tod="peak=8000, normal=15000, offpeak=7000",
        supply_kv="11",
        period_from=date(2026, 10, 1),
        period_to=date(2026, 10, 31),
        tariffs=[*default_tariff_book(), *hv_tariff_book()],
    )
    # Hand check (HV-2 at 11 kV: Rs 300/kVA, Rs 7.10/kVAh, TOD -15% / +15%, excess demand at 2x):
    # energy 30,000 x 7.10 = 213,000.00; TOD 8,000 x 7.10 x 15% = 8,520.00 less 7,000 x 7.10 x 15% =
    # 7,455.00: 1,065.00; demand 108 kVA (recorded MD above contracted 100) x 300 = 32,400.00, excess
    # 8 x 300 = 2,400.00 more; duty 7.5% of 248,865.00 = 18,664.88; total 267,529.88, payable 267,530.
    assert (result["billed_unit"], result["energy_charge"], result["tod"]) == ("kVAh", "213000.00", "1065.00")
    assert (result["demand_charge"], result["excess_demand"]) == ("32400.00", "2400.00")
    assert (result["electricity_duty"], result["total"], result["payable"]) == (
        "18664.88",
        "267529.88",
        "267530.00",
    )


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("tod", "peak:12", "expected slot=units"),
        ("tod", "peak=1,peak=2", "given twice"),
        ("tod", "peak=-5", "expected slot=units"),
        ("md_kva", "-3", "not negative"),
        ("power_factor", "1.2", "at most 1"),
        ("power_factor", "0", "above 0"),
    ],
)
def test_quote_refuses_bad_demand_inputs(field: str, value: str, message: str) -> None:
    from urja.domain.tariff_book import default_tariff_book
    from urja.domain.tariff_book_hv import hv_tariff_book

    demand: dict[str, Any] = {field: value}
    with pytest.raises(ValueError, match=message):
        quote(
            tariff="HV2-11KV",
            load="100kVA",
            kvah="30000",
            today=date(2026, 11, 28),
            tariffs=[*default_tariff_book(), *hv_tariff_book()],
            **demand,
        )
