"""A supply disconnected all period (BillInput.supply_off, decision 0045): fixed or demand charges and
what is levied on them, no energy and no minimum-charge top-up."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from urja.domain.engine import BillBasis, BillInput, LineHead, compute_bill
from urja.domain.tariff import LoadUnit
from urja.domain.tariff_book import default_tariff_book
from urja.domain.tariff_book_hv import hv_tariff_book

LT = tuple(default_tariff_book())
HV = tuple(hv_tariff_book())


def lt(**fields: object) -> BillInput:
    data: dict[str, object] = {
        "tariffs": LT,
        "category": "LMV2-URBAN",
        "sanctioned_load": Decimal("3"),
        "load_unit": LoadUnit.KW,
        "period_start": date(2025, 7, 1),
        "period_end": date(2025, 7, 31),
        "units": Decimal("0"),
        "supply_off": True,
    }
    data.update(fields)
    return BillInput(**data)  # type: ignore[arg-type]


def test_fixed_charges_and_duty_only() -> None:
    off = compute_bill(lt())
    on = compute_bill(lt(supply_off=False))
    heads = [line.head for line in off.lines]
    assert LineHead.ENERGY not in heads and LineHead.MINIMUM_TOPUP not in heads
    assert off.fixed_charge == on.fixed_charge > 0
    assert off.energy_charge == 0
    assert any("disconnected" in note for note in off.notes)
    # with the supply on, 0 units are topped up to the minimum charge where the tariff has one
    assert off.total <= on.total


def test_a_demand_tariff_keeps_its_demand_charge_on_the_contracted_share() -> None:
    hv = {
        "tariffs": HV,
        "category": "HV2-11KV",
        "sanctioned_load": Decimal("1000"),
        "load_unit": LoadUnit.KVA,
    }
    off = compute_bill(lt(**hv))
    assert off.demand_charge == Decimal("225000.00")  # 75% of 1000 kVA x Rs 300: no MD was recorded
    assert off.energy_charge == 0


@pytest.mark.parametrize(
    "fields",
    [{"units": Decimal("5")}, {"basis": BillBasis.UM, "units": None}, {"true_up_units": Decimal("3")}],
)
def test_a_disconnected_bill_takes_no_units(fields: dict[str, object]) -> None:
    with pytest.raises(ValueError, match="disconnected"):
        compute_bill(lt(**fields))


def test_round_trips_through_its_dict() -> None:
    bill = lt()
    assert BillInput.from_dict(bill.to_dict()) == bill
    assert "supply_off" not in lt(supply_off=False).to_dict()
