from decimal import Decimal

import pytest

from urja.domain.connection_charges import Rates, billable_load, demand_note

D = Decimal
RATES = Rates(D("100.00"), D("300.00"), D("0.00"), D("112.50"))


def test_demand_note_lines_by_hand():
    # 2.4 kW is charged as 3 kW: fee 100 + SD 3 × 300 = 900 + system loading 3 × 112.50 = 337.50
    note = demand_note(D("2.4"), RATES)
    assert note.billable_load == D("3")
    assert [(line.code, line.amount) for line in note.lines] == [
        ("processing_fee", D("100.00")),
        ("security_deposit", D("900.00")),
        ("system_loading", D("337.50")),
    ]  # the line charge of 0 is left out
    assert note.total == D("1337.50")
    assert note.deposit == D("900.00")
    assert note.charges == D("437.50")


def test_rates_with_paise_are_exact():
    note = demand_note(D("7"), Rates(D("0"), D("0"), D("33.335"), D("0")))
    assert note.total == D("233.35")  # 7 × 33.335 = 233.345, half up


@pytest.mark.parametrize(("load", "units"), [("1", "1"), ("0.5", "1"), ("5.01", "6"), ("10", "10")])
def test_billable_load(load, units):
    assert billable_load(D(load)) == D(units)


def test_no_load_refused():
    with pytest.raises(ValueError, match="load"):
        demand_note(D("0"), RATES)
