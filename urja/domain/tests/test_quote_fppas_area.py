"""The bill calculator's FPPAS of the bill month (negative in a rebate month) and the area a lifeline
consumer falls back to (issue 8, rules 5 and 8)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from urja.domain.quote import parse_percent, quote

DEC_FROM, DEC_TO = date(2025, 12, 1), date(2025, 12, 31)


def test_a_negative_fppas_is_a_rebate_named_by_the_bill_month() -> None:
    result = quote(
        tariff="LMV1-URBAN",
        load="2kW",
        units="250",
        fppas="-2.33",
        bill_month="2026-01",
        period_from=DEC_FROM,
        period_to=DEC_TO,
    )

    fppas = [line for line in result["lines"] if line["head"] == "fppas"]
    # -2.33% of 1645.00 = -38.33; duty 5% of (1645.00 - 38.33) = 80.33; 1645 + 80.33 - 38.33 = 1687.00
    assert fppas == [
        {
            "head": "fppas",
            "description": "FPPAS for bills of 2026-01: -2.33% on Rs 1645.00",
            "amount": "-38.33",
        }
    ]
    assert result["electricity_duty"] == "80.33"
    assert result["payable"] == "1687.00"


@pytest.mark.parametrize(
    ("text", "value"),
    [("-2.33", "-2.33"), (" -0.5 ", "-0.5"), ("5.56", "5.56"), (-3, "-3"), ("-100", "-100")],
)
def test_parse_percent_takes_negatives(text: object, value: str) -> None:
    assert parse_percent(text, "FPPAS percent") == Decimal(value)  # type: ignore[arg-type]


@pytest.mark.parametrize("text", ["-100.01", "--1", "-", "- x", "101"])
def test_parse_percent_refuses_what_no_order_can_say(text: str) -> None:
    with pytest.raises(ValueError, match="FPPAS percent"):
        parse_percent(text, "FPPAS percent")


@pytest.mark.parametrize(("area", "category"), [("urban", "LMV1-URBAN"), ("rural", "LMV1-RURAL")])
def test_a_lifeline_quote_over_the_limits_falls_back_to_the_areas_domestic_tariff(
    area: str, category: str
) -> None:
    result = quote(tariff="LMV1-LIFELINE", load="1kW", units="101", area=area, today=date(2025, 6, 30))

    assert result["category_billed"] == category
    # urban: 101 x 5.50 = 555.50; rural: 100 x 3.35 + 1 x 3.85 = 338.85
    assert result["energy_charge"] == {"urban": "555.50", "rural": "338.85"}[area]


def test_within_the_lifeline_limits_the_area_does_not_matter() -> None:
    result = quote(tariff="LMV1-LIFELINE", load="1kW", units="100", area="urban", today=date(2025, 6, 30))

    assert result["category_billed"] == "LMV1-LIFELINE"


def test_an_unknown_area_is_refused() -> None:
    with pytest.raises(ValueError, match="invalid area"):
        quote(tariff="LMV1-LIFELINE", load="1kW", units="10", area="suburban", today=date(2025, 6, 30))
