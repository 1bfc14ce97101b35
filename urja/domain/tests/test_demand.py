"""Demand charges, excess demand, time of day, power factor and HV rebates (urja.domain.demand), and the
HV tariff book."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from urja.domain import demand as dem
from urja.domain.engine import BillBasis, BillInput, LineHead, compute_bill
from urja.domain.tariff import LoadUnit, TariffVersion, version_in_force
from urja.domain.tariff_book import default_tariff_book
from urja.domain.tariff_book_hv import HV_CATEGORY_CODES, LMV6_TOD, hv_tariff_book

HV = tuple(hv_tariff_book())
DAY = date(2025, 4, 1)


def hv_bill(category: str = "HV2-11KV", **fields: object) -> BillInput:
    data: dict[str, object] = {
        "tariffs": HV,
        "category": category,
        "sanctioned_load": Decimal("1000"),
        "load_unit": LoadUnit.KVA,
        "period_start": DAY,
        "period_end": date(2025, 4, 30),
        "units": Decimal("90000"),
        "kvah": Decimal("100000"),
    }
    data.update(fields)
    return BillInput(**data)  # type: ignore[arg-type]


def heads(result: object) -> list[LineHead]:
    return [line.head for line in result.lines]  # type: ignore[attr-defined]


# --- the rules ----------------------------------------------------------------------------------------


def test_billable_demand_is_the_higher_of_md_and_the_share_of_contracted() -> None:
    rule = dem.DemandRule(Decimal("300"))
    assert dem.billable_demand(rule, Decimal("1000"), Decimal("600")) == Decimal("750.00")
    assert dem.billable_demand(rule, Decimal("1000"), Decimal("820.5")) == Decimal("820.5")
    assert dem.billable_demand(rule, Decimal("1000"), None) == Decimal("1000")
    assert dem.billable_demand(rule, Decimal("115"), Decimal("10")) == Decimal("86.25")


def test_demand_charge_replaces_the_fixed_charge_and_excess_is_charged_twice_in_all() -> None:
    below = compute_bill(hv_bill(md_kva=Decimal("600")))
    assert below.demand_charge == Decimal("225000.00")  # 750 kVA x 300
    assert LineHead.FIXED not in heads(below) and LineHead.EXCESS_DEMAND not in heads(below)
    over = compute_bill(hv_bill(md_kva=Decimal("1100")))
    assert over.demand_charge == Decimal("330000.00")  # 1100 x 300
    assert over.excess_demand == Decimal("30000.00")  # 100 x 300 x (2 - 1)
    # duty is on energy + demand + excess: 7.5% of (710000 + 330000 + 30000)
    assert over.electricity_duty == Decimal("80250.00")
    line = next(line for line in over.lines if line.head is LineHead.EXCESS_DEMAND)
    assert dict(line.params)["excess_kva"] == "100" and dict(line.params)["multiple"] == "2"


def test_excess_multiple_and_share_are_configurable() -> None:
    version = replace(
        version_in_force(HV, "HV2-11KV", DAY),
        demand=dem.DemandRule(Decimal("300"), Decimal("80"), Decimal("1.5")),
    )
    result = compute_bill(hv_bill(tariffs=[version], md_kva=Decimal("1100")))
    assert result.excess_demand == Decimal("15000.00")  # 100 x 300 x 0.5
    assert compute_bill(hv_bill(tariffs=[version], md_kva=Decimal("10"))).demand_charge == Decimal(
        "240000.00"
    )


def test_demand_charge_is_split_with_the_tariff() -> None:
    old = version_in_force(HV, "HV2-11KV", DAY)
    new = replace(old, effective_from=date(2025, 4, 16), label="new", demand=dem.DemandRule(Decimal("330")))
    result = compute_bill(hv_bill(tariffs=[old, new], md_kva=Decimal("800")))
    demand = [line for line in result.lines if line.head is LineHead.DEMAND]
    # 800 x 300 x 15/30 + 800 x 330 x 15/30
    assert [line.amount for line in demand] == [Decimal("120000.00"), Decimal("132000.00")]
    assert all("tariff" in line.description for line in demand)


def test_tod_lines_share_the_energy_charge_and_unknown_slots_are_refused() -> None:
    registers = (("offpeak", Decimal("30000")), ("normal", Decimal("50000")), ("peak", Decimal("20000")))
    result = compute_bill(hv_bill(md_kva=Decimal("800"), tod_registers=registers))
    tod = [line.amount for line in result.lines if line.head is LineHead.TOD]
    assert tod == [Decimal("-31950.00"), Decimal("21300.00")]  # 710000 x 0.3 x -15%, x 0.2 x 15%
    assert result.tod == Decimal("-10650.00")
    with pytest.raises(ValueError, match="unknown TOD register 'shoulder'"):
        compute_bill(hv_bill(tod_registers=(("shoulder", Decimal("1")),)))


def test_a_tod_tariff_without_registers_bills_the_normal_rate_with_a_note() -> None:
    result = compute_bill(hv_bill(md_kva=Decimal("800")))
    assert result.tod == 0
    assert any("no TOD meter registers" in note for note in result.notes)


def test_tod_rule_must_cover_the_day_once() -> None:
    with pytest.raises(ValueError, match="24 hours"):
        dem.TodRule((dem.TodSlot("a", 0, 12, Decimal("0")), dem.TodSlot("b", 11, 0, Decimal("1"))))
    assert LMV6_TOD.slot("peak").hours == "17:00-22:00"


def test_power_factor_surcharge_steps_count_whole() -> None:
    rule = dem.PowerFactorRule()
    charge = dem.power_factor_charge(rule, Decimal("0.895"), Decimal("1000.00"))
    assert charge is not None and charge.amount == Decimal("10.00")  # 0.005 below: one step, 1%
    assert dem.power_factor_charge(rule, Decimal("0.90"), Decimal("1000.00")) is None
    assert dem.average_power_factor(Decimal("1000"), Decimal("1200")) == Decimal("0.83")
    assert dem.average_power_factor(Decimal("1000"), None) is None


def test_unknown_power_factor_is_noted() -> None:
    lmv6 = replace(version_in_force(default_tariff_book(), "LMV6", DAY), power_factor=dem.PowerFactorRule())
    bill = BillInput(
        tariffs=[lmv6],
        category="LMV6",
        sanctioned_load=Decimal("5"),
        load_unit=LoadUnit.KW,
        period_start=DAY,
        period_end=date(2025, 4, 30),
        units=Decimal("500"),
    )
    result = compute_bill(bill)
    assert result.power_factor_adjustment == 0
    assert any("power factor not known" in note for note in result.notes)


def test_inputs_are_validated() -> None:
    with pytest.raises(ValueError, match="maximum demand"):
        compute_bill(hv_bill(md_kva=Decimal("-1")))
    with pytest.raises(ValueError, match="power factor"):
        compute_bill(hv_bill(power_factor=Decimal("1.2")))
    with pytest.raises(ValueError, match="TOD registers"):
        compute_bill(hv_bill(tod_registers=(("peak", Decimal("1")), ("peak", Decimal("2")))))


def test_every_new_line_has_params() -> None:
    version = replace(
        version_in_force(HV, "HV2-66KV", DAY),
        voltage_rebates=(dem.VoltageRebate(Decimal("33"), Decimal("2")),),
        load_factor_rebate=dem.LoadFactorRebate(Decimal("10"), Decimal("1")),
    )
    registers = (("offpeak", Decimal("30000")), ("peak", Decimal("20000")))
    result = compute_bill(
        hv_bill(
            "HV2-66KV",
            tariffs=[version],
            md_kva=Decimal("1200"),
            tod_registers=registers,
            supply_kv=Decimal("66"),
        )
    )
    new_heads = {
        LineHead.DEMAND,
        LineHead.EXCESS_DEMAND,
        LineHead.TOD,
        LineHead.VOLTAGE_REBATE,
        LineHead.LOAD_FACTOR_REBATE,
    }
    assert new_heads <= set(heads(result))
    assert all(line.params for line in result.lines if line.head in new_heads)
    assert result.demand_rebates < 0


# --- data round trips ---------------------------------------------------------------------------------


def test_a_version_with_every_rule_round_trips() -> None:
    version = replace(
        version_in_force(HV, "HV2-11KV", DAY),
        power_factor=dem.PowerFactorRule(
            rebate_above=Decimal("0.95"), rebate_percent_per_step=Decimal("0.5")
        ),
        voltage_rebates=(dem.VoltageRebate(Decimal("33"), Decimal("2")),),
        load_factor_rebate=dem.LoadFactorRebate(Decimal("60"), Decimal("5")),
    )
    assert TariffVersion.from_dict(json.loads(json.dumps(version.to_dict()))) == version


def test_an_old_version_dict_without_the_new_fields_still_loads() -> None:
    data = default_tariff_book()[0].to_dict()
    for key in ("demand", "tod", "power_factor", "voltage_rebates", "load_factor_rebate"):
        del data[key]
    assert TariffVersion.from_dict(data) == default_tariff_book()[0]


def test_bill_input_with_demand_fields_round_trips() -> None:
    bill = hv_bill(
        md_kva=Decimal("812.5"),
        tod_registers=(("peak", Decimal("100")),),
        supply_kv=Decimal("11"),
        power_factor=Decimal("0.92"),
    )
    assert BillInput.from_dict(json.loads(json.dumps(bill.to_dict()))) == bill


# --- the HV book --------------------------------------------------------------------------------------


def test_the_hv_book_has_every_hv_category_once_with_sources_marked_uncertain() -> None:
    assert [version.category for version in HV] == list(HV_CATEGORY_CODES)
    for version in HV:
        assert version.demand is not None and version.kvah is not None
        assert "UNCERTAIN" in version.source and "Found:" in version.source
        assert all(len(code) <= 16 for code in HV_CATEGORY_CODES)
    assert {v.category for v in HV}.isdisjoint({v.category for v in default_tariff_book()})


# --- properties ---------------------------------------------------------------------------------------

mds = st.decimals(min_value=Decimal(0), max_value=Decimal(5000), places=2)


@settings(max_examples=200, deadline=None)
@given(
    category=st.sampled_from(HV_CATEGORY_CODES),
    contracted=st.integers(min_value=75, max_value=4000).map(Decimal),
    md=mds,
    more=st.decimals(min_value=Decimal("0.01"), max_value=Decimal(2000), places=2),
    kvah=st.integers(min_value=0, max_value=2_000_000).map(Decimal),
)
def test_the_bill_never_decreases_as_md_rises(
    category: str, contracted: Decimal, md: Decimal, more: Decimal, kvah: Decimal
) -> None:
    def payable(value: Decimal) -> Decimal:
        bill = hv_bill(category, sanctioned_load=contracted, units=kvah, kvah=kvah, md_kva=value)
        return compute_bill(bill).payable

    assert payable(md + more) >= payable(md)


@settings(max_examples=200, deadline=None)
@given(
    shares=st.lists(st.integers(min_value=0, max_value=100_000).map(Decimal), min_size=3, max_size=3),
    kvah=st.integers(min_value=1, max_value=1_000_000).map(Decimal),
)
def test_tod_moving_units_to_the_peak_never_lowers_the_bill(shares: list[Decimal], kvah: Decimal) -> None:
    off, normal, peak = shares

    def payable(registers: tuple[tuple[str, Decimal], ...]) -> Decimal:
        return compute_bill(hv_bill(kvah=kvah, units=kvah, tod_registers=registers)).payable

    before = payable((("offpeak", off + 1), ("normal", normal), ("peak", peak)))
    after = payable((("offpeak", off), ("normal", normal), ("peak", peak + 1)))
    assert after >= before


def test_provisional_hv_bill_is_priced_on_contracted_demand() -> None:
    result = compute_bill(hv_bill(basis=BillBasis.PROV))
    assert result.demand_charge == Decimal("300000.00")
    assert "no MD recorded" in next(line for line in result.lines if line.head is LineHead.DEMAND).description


@settings(max_examples=200, deadline=None)
@given(
    pf=st.decimals(min_value=Decimal("0.30"), max_value=Decimal("1.00"), places=2),
    drop=st.decimals(min_value=Decimal("0.01"), max_value=Decimal("0.30"), places=2),
    units=st.integers(min_value=0, max_value=5000).map(Decimal),
)
def test_a_lower_power_factor_never_lowers_the_bill(pf: Decimal, drop: Decimal, units: Decimal) -> None:
    rule = dem.PowerFactorRule(rebate_above=Decimal("0.95"), rebate_percent_per_step=Decimal("0.5"))
    lmv6 = replace(version_in_force(default_tariff_book(), "LMV6", DAY), power_factor=rule)

    def payable(value: Decimal) -> Decimal:
        bill = BillInput(
            tariffs=[lmv6],
            category="LMV6",
            sanctioned_load=Decimal("8"),
            load_unit=LoadUnit.KW,
            period_start=DAY,
            period_end=date(2025, 4, 30),
            units=units,
            power_factor=value,
        )
        return compute_bill(bill).payable

    lower = max(pf - drop, Decimal("0.01"))
    assert payable(lower) >= payable(pf)
