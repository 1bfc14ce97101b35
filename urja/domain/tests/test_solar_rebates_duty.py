"""Rooftop solar (net and gross metering), the late-bill rebate, duty exemptions and deposit interest."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from urja.domain import deposits, late_bill, solar
from urja.domain.engine import BillBasis, BillInput, LineHead, compute_bill
from urja.domain.solar import SolarScheme
from urja.domain.tariff import LoadUnit
from urja.domain.tariff_book import default_tariff_book

BOOK = default_tariff_book()


def bill(units: str | None = "250", **fields: object) -> BillInput:
    values: dict[str, object] = {
        "load_unit": LoadUnit.KW,
        "period_start": date(2025, 4, 1),
        "period_end": date(2025, 4, 30),
    }
    values.update(fields)
    return BillInput(
        tariffs=BOOK,
        category="LMV1-URBAN",
        sanctioned_load=Decimal("2"),
        units=None if units is None else Decimal(units),
        **values,  # type: ignore[arg-type]
    )


# --- net metering -------------------------------------------------------------------------------------


def test_net_metering_bills_import_less_export_less_banked() -> None:
    result = compute_bill(
        bill("300", solar_scheme=SolarScheme.NET, export_units=Decimal("120"), banked_units=Decimal("30"))
    )
    assert result.billed_quantity == Decimal("150")
    assert result.energy_charge == Decimal("825.00")  # 150 x 5.50
    assert result.banked_units == Decimal("0")
    assert result.lines[0].head is LineHead.NET_METERING
    assert dict(result.lines[0].params)["billed"] == "150"


def test_net_metering_banks_a_surplus_and_bills_no_energy() -> None:
    result = compute_bill(
        bill("100", solar_scheme=SolarScheme.NET, export_units=Decimal("180"), banked_units=Decimal("30"))
    )
    assert result.banked_units == Decimal("110")
    assert result.energy_charge == Decimal("0.00")
    assert result.fixed_charge == Decimal("220.00")
    assert result.payable == Decimal("231.00")  # fixed 220 + duty 11


def test_banked_units_are_used_before_a_new_surplus_is_banked() -> None:
    net = solar.net_metering(Decimal("100"), Decimal("80"), Decimal("50"))
    assert (net.billed, net.banked_after, net.banked_used) == (Decimal(0), Decimal(30), Decimal(20))


def test_net_metering_needs_the_import_units() -> None:
    with pytest.raises(ValueError, match="import units"):
        compute_bill(bill(None, basis=BillBasis.UM, solar_scheme=SolarScheme.NET))


def test_export_without_a_solar_scheme_is_refused() -> None:
    with pytest.raises(ValueError, match="without rooftop solar"):
        compute_bill(bill(export_units=Decimal("10")))


def test_settlement_credit_pays_the_banked_units_at_the_rate() -> None:
    assert solar.settlement_credit(Decimal("110"), Decimal("2.00")) == Decimal("-220.00")
    assert solar.settlement_due(3, 3) and not solar.settlement_due(2, 3)


# --- gross metering -----------------------------------------------------------------------------------


def test_gross_metering_bills_all_import_and_credits_all_export_at_the_feed_in_rate() -> None:
    plain = compute_bill(bill("250"))
    result = compute_bill(
        bill("250", solar_scheme=SolarScheme.GROSS, export_units=Decimal("200"), feed_in_rate=Decimal("3.10"))
    )
    assert result.energy_charge == plain.energy_charge
    assert result.electricity_duty == plain.electricity_duty  # the credit is outside the duty base
    assert result.solar_credit == Decimal("-620.00")
    assert result.total == plain.total - Decimal("620.00")
    assert result.banked_units is None


def test_gross_metering_without_a_feed_in_rate_is_refused() -> None:
    with pytest.raises(ValueError, match="feed-in rate"):
        compute_bill(bill(solar_scheme=SolarScheme.GROSS, export_units=Decimal("5")))


# --- late-bill rebate ---------------------------------------------------------------------------------


def test_a_late_bill_gets_its_rebate_on_the_current_charges() -> None:
    result = compute_bill(bill(late_rebate_percent=Decimal("2"), days_late=75))
    (line,) = [line for line in result.lines if line.head is LineHead.LATE_REBATE]
    assert line.amount == Decimal("-34.55")  # 2% of 1727.25
    assert result.late_rebate == Decimal("-34.55")
    assert dict(line.params)["days"] == "75"


def test_the_late_rebate_does_not_touch_arrears() -> None:
    with_arrears = compute_bill(bill(late_rebate_percent=Decimal("2"), days_late=75, arrears=Decimal("1000")))
    assert with_arrears.late_rebate == Decimal("-34.55")


@pytest.mark.parametrize(("days", "percent"), [(0, "0"), (59, "0"), (60, "2"), (200, "2")])
def test_the_rebate_is_due_from_sixty_days_late(days: int, percent: str) -> None:
    assert late_bill.late_rebate_percent(days, after_days=60, percent=Decimal("2")) == Decimal(percent)


def test_days_late_count_from_the_period_end() -> None:
    assert late_bill.days_late(date(2025, 4, 30), date(2025, 6, 29)) == 60
    assert late_bill.days_late(date(2025, 4, 30), date(2025, 4, 28)) == 0


# --- duty exemption -----------------------------------------------------------------------------------


def test_an_exempt_consumer_pays_no_duty_and_the_bill_names_the_order() -> None:
    result = compute_bill(bill(duty_exempt_percent=Decimal("100"), duty_exemption_order="GO 123/2025"))
    assert result.electricity_duty == Decimal("0.00")
    assert not [line for line in result.lines if line.head is LineHead.DUTY]
    assert any("GO 123/2025" in note for note in result.notes)


def test_a_partial_exemption_reduces_the_duty() -> None:
    result = compute_bill(bill(duty_exempt_percent=Decimal("50"), duty_exemption_order="GO 7/2025"))
    assert result.electricity_duty == Decimal("41.13")  # 2.5% of 1645.00


def test_an_exemption_above_100_percent_is_refused() -> None:
    with pytest.raises(ValueError, match="0-100"):
        compute_bill(bill(duty_exempt_percent=Decimal("101")))


# --- security deposit interest ------------------------------------------------------------------------


def test_a_deposit_held_all_year_earns_the_rate() -> None:
    year = deposits.financial_year("2025-26")
    held = [deposits.DepositHeld(date(2020, 1, 1), Decimal("2000.00"))]
    assert deposits.deposit_interest(held, year, Decimal("6.50")) == Decimal("130.00")


def test_a_deposit_held_part_of_the_year_earns_pro_rata() -> None:
    year = deposits.financial_year("2025-26")  # 365 days
    # 1000 from 1 Oct 2025 (92 days to 31 Dec), raised to 3000 on 1 Jan 2026 (90 days to 31 Mar)
    held = [
        deposits.DepositHeld(date(2025, 10, 1), Decimal("1000")),
        deposits.DepositHeld(date(2026, 1, 1), Decimal("3000")),
    ]
    # (1000 x 92 + 3000 x 90) x 6.5% / 365 = 362000 x 0.065 / 365 = 64.4657... -> 64.47
    assert deposits.deposit_days(held, year) == [(Decimal("1000"), 92), (Decimal("3000"), 90)]
    assert deposits.deposit_interest(held, year, Decimal("6.50")) == Decimal("64.47")


@pytest.mark.parametrize("code", ["2025", "2025-27", "25-26", "२०२५-26"])
def test_a_financial_year_is_written_yyyy_yy(code: str) -> None:
    with pytest.raises(ValueError):
        deposits.financial_year(code)


# --- properties ---------------------------------------------------------------------------------------

UNITS = st.integers(min_value=0, max_value=2000).map(Decimal)


@given(imported=UNITS, exported=UNITS, banked=UNITS, more=st.integers(min_value=1, max_value=500))
def test_more_export_never_raises_a_net_metering_bill(
    imported: Decimal, exported: Decimal, banked: Decimal, more: int
) -> None:
    def payable(export: Decimal) -> tuple[Decimal, Decimal]:
        result = compute_bill(
            bill(str(imported), solar_scheme=SolarScheme.NET, export_units=export, banked_units=banked)
        )
        assert result.banked_units is not None
        return result.total, result.banked_units

    total, banked_after = payable(exported)
    more_total, more_banked = payable(exported + more)
    assert more_total <= total and more_banked >= banked_after
    plain = compute_bill(bill(str(imported)))
    assert total <= plain.total
