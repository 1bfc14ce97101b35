from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal

import pytest

from urja.domain.engine import BillBasis, BillInput, LineHead, compute_bill, tariff_segments
from urja.domain.tariff import LoadBand, LoadUnit, Slab
from urja.domain.tariff_book import default_tariff_book

BOOK = default_tariff_book()
APRIL = {"period_start": date(2025, 4, 1), "period_end": date(2025, 4, 30)}


def bill(category: str, load: str, units: str | None = None, **fields: object) -> BillInput:
    values: dict[str, object] = {"load_unit": LoadUnit.KW, **APRIL}
    values.update(fields)
    return BillInput(
        tariffs=BOOK,
        category=category,
        sanctioned_load=Decimal(load),
        units=None if units is None else Decimal(units),
        **values,  # type: ignore[arg-type]
    )


def test_worked_check_urban_2kw_250_units() -> None:
    result = compute_bill(bill("LMV1-URBAN", "2", "250"))

    assert [(line.head, line.amount) for line in result.lines] == [
        (LineHead.ENERGY, Decimal("825.00")),
        (LineHead.ENERGY, Decimal("600.00")),
        (LineHead.FIXED, Decimal("220.00")),
        (LineHead.DUTY, Decimal("82.25")),
        (LineHead.ROUND_OFF, Decimal("-0.25")),
    ]
    assert result.energy_charge == Decimal("1425.00")
    assert result.fixed_charge == Decimal("220.00")
    assert result.electricity_duty == Decimal("82.25")
    assert result.total == Decimal("1727.25")
    assert result.payable == Decimal("1727.00")
    assert result.round_off == Decimal("-0.25")


def test_a_reading_cycle_from_the_16th_to_the_15th_is_one_month() -> None:
    result = compute_bill(
        bill("LMV1-URBAN", "2", "250", period_start=date(2025, 4, 16), period_end=date(2025, 5, 15))
    )

    assert result.months == 1
    assert result.total == Decimal("1727.25")


def test_lines_add_up_to_payable_and_totals_to_total() -> None:
    result = compute_bill(
        bill("LMV1-URBAN", "2", "250", fppas=Decimal("1.24"), prepaid=True, arrears=Decimal("10.10"))
    )

    assert sum(line.amount for line in result.lines) == result.payable
    parts = (
        result.energy_charge
        + result.fixed_charge
        + result.min_charge_topup
        + result.true_up
        + result.electricity_duty
        + result.fppas
        + result.rebate
        + result.subsidy
        + result.penalty
        + result.lpsc
        + result.arrears
    )
    assert parts == result.total


def test_lifeline_consumer_over_100_units_is_billed_as_his_areas_domestic_category() -> None:
    result = compute_bill(bill("LMV1-LIFELINE", "1", "101", fallback_category="LMV1-URBAN"))

    assert result.category == "LMV1-URBAN"
    assert result.energy_charge == Decimal("555.50")
    assert "billed as LMV1-URBAN" in result.notes[0]


def test_lifeline_limit_scales_with_the_period() -> None:
    two_months = {"period_start": date(2025, 4, 1), "period_end": date(2025, 5, 31)}

    assert compute_bill(bill("LMV1-LIFELINE", "1", "200", **two_months)).category == "LMV1-LIFELINE"
    assert compute_bill(bill("LMV1-LIFELINE", "1", "201", **two_months)).category == "LMV1-RURAL"


def test_unmetered_bill_has_no_energy_lines() -> None:
    result = compute_bill(bill("LMV1-RURAL-UM", "3", basis=BillBasis.UM))

    assert {line.head for line in result.lines} == {LineHead.FIXED, LineHead.DUTY, LineHead.ROUND_OFF}
    assert result.billed_unit is None
    assert result.fixed_charge == Decimal("1500.00")


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"category": "LMV1-RURAL-UM", "basis": BillBasis.MU, "units": Decimal(5)}, "unmetered"),
        ({"basis": BillBasis.UM, "units": None}, "is metered"),
        ({"units": None}, "give the units"),
        ({"units": Decimal(-1)}, "must not be negative"),
        ({"sanctioned_load": Decimal(0)}, "must be positive"),
        ({"period_end": date(2025, 3, 31)}, "before it starts"),
        ({"category": "LMV99"}, "unknown tariff category"),
        ({"period_start": date(2019, 3, 1)}, "no LMV1-URBAN tariff is in force on 2019-03-01"),
        ({"fppas": Decimal(1), "fppas_month": "2025-4"}, "FPPAS bill month is written YYYY-MM"),
        ({"basis": BillBasis.UM, "metered": True, "units": None}, "does not match"),
    ],
)
def test_inconsistent_input_is_refused_with_a_clear_message(fields: dict[str, object], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        compute_bill(replace(bill("LMV1-URBAN", "2", "100"), **fields))  # type: ignore[arg-type]


def test_kvah_reading_is_ignored_below_the_threshold() -> None:
    result = compute_bill(bill("LMV6", "9.5", "1000", kvah=Decimal("1200")))

    # 9.5 kW counts as 10 kW, which reaches the threshold: billed on kVAh.
    assert result.billed_unit == "kVAh"
    below = compute_bill(bill("LMV6", "9", "1000", kvah=Decimal("1200")))
    assert below.billed_unit == "kWh"
    assert below.energy_charge == Decimal("7300.00")
    assert "not used" in below.notes[0]


def test_kvah_billing_without_a_kvah_reading_falls_back_to_kwh_with_a_note() -> None:
    result = compute_bill(bill("LMV6", "12", "1000"))

    assert result.billed_unit == "kWh"
    assert "no kVAh reading" in result.notes[0]


def test_subsidy_not_given_for_arrears_flag() -> None:
    with_flag = compute_bill(bill("LMV5-RURAL", "5", "100", load_unit=LoadUnit.BHP, has_arrears=True))
    without = compute_bill(bill("LMV5-RURAL", "5", "100", load_unit=LoadUnit.BHP))

    assert with_flag.subsidy == 0
    assert "arrears" in with_flag.notes[0]
    assert without.subsidy == -(without.energy_charge + without.fixed_charge + without.electricity_duty)
    assert without.payable == 0


def test_tariff_segments_cut_at_a_new_version() -> None:
    old = next(v for v in BOOK if v.category == "LMV6")
    new = replace(old, effective_from=date(2025, 5, 10), label="new")

    segments = tariff_segments([old, new], "LMV6", date(2025, 5, 1), date(2025, 5, 31))

    assert [(v.label, s, e) for v, s, e in segments] == [
        (old.label, date(2025, 5, 1), date(2025, 5, 9)),
        ("new", date(2025, 5, 10), date(2025, 5, 31)),
    ]


def test_split_bill_units_and_months_add_up() -> None:
    old = next(v for v in BOOK if v.category == "LMV1-URBAN")
    new = replace(
        old,
        effective_from=date(2025, 4, 11),
        label="new",
        bands=(
            LoadBand(None, Decimal("100"), (Slab(Decimal("150"), Decimal("5")), Slab(None, Decimal("6")))),
        ),
    )
    result = compute_bill(replace(bill("LMV1-URBAN", "2", "333"), tariffs=[old, new]))

    energy = [line for line in result.lines if line.head is LineHead.ENERGY]
    assert sum(line.quantity or 0 for line in energy) == 333
    assert all("tariff, 2025-04" in line.description for line in energy)
    # fixed: 2 x 110 x 10/30 = 73.33 and 2 x 100 x 20/30 = 133.33
    assert result.fixed_charge == Decimal("206.66")


def test_penalty_for_bhp_load_is_per_kw() -> None:
    result = compute_bill(
        bill("LMV5-RURAL", "7.5", "100", load_unit=LoadUnit.BHP, na_penalty=True, has_arrears=True)
    )

    # 7.5 BHP = 5.595 kW -> 5.60 kW (converted, not rounded up again) x Rs 50
    assert result.penalty == Decimal("280.00")


def test_provisional_and_assessed_lines_say_so() -> None:
    provisional = compute_bill(bill("LMV1-URBAN", "1", "50", basis=BillBasis.PROV))
    assessed = compute_bill(bill("LMV1-URBAN", "1", "50", basis=BillBasis.ASS))

    assert provisional.lines[0].description.startswith("Energy (provisional)")
    assert assessed.lines[0].description.startswith("Energy (assessed)")
    assert provisional.basis is BillBasis.PROV
