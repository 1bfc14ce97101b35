"""Bill determinants: which bills a reading trues up, normative assessment, impossible kVAh."""

from datetime import date
from decimal import Decimal as D
from fractions import Fraction
from typing import Any

from urja.domain.determinants import AccountFacts, Hold, determine
from urja.domain.engine import BillBasis, TrueUpPeriod

JUL = (date(2026, 7, 1), date(2026, 7, 31))
AUG = (date(2026, 8, 1), date(2026, 8, 31))
SEP = (date(2026, 9, 1), date(2026, 9, 30))


def facts(**kwargs: Any) -> AccountFacts:
    kwargs.setdefault("actual_monthly_units", [D(200)] * 3)
    return AccountFacts(metered=True, months=Fraction(1), **kwargs)


def test_the_reading_is_shared_by_days_and_each_provisional_month_re_billed() -> None:
    decision = determine(
        facts(
            reading_status="OK",
            units=D(900),
            provisional_in_row=2,
            provisional_units_pending=D(400),
            provisional_periods=[(*JUL, D(200)), (*AUG, D(200))],
            period=SEP,
        )
    )
    # 900 over 31 + 31 + 30 days: boundaries 303.26 -> 303 and 606.52 -> 607, September the rest.
    assert decision.units == D(293)
    assert decision.true_up_periods == (
        TrueUpPeriod(*JUL, D(200), D(303)),
        TrueUpPeriod(*AUG, D(200), D(304)),
    )
    assert decision.true_up_units == D(207)


def test_a_meter_change_ends_the_true_up_chain() -> None:
    decision = determine(
        facts(
            reading_status="OK",
            units=D(150),
            provisional_in_row=2,
            provisional_units_pending=D(400),
            provisional_periods=[(*JUL, D(200)), (*AUG, D(200))],
            period=SEP,
            meter_changed=True,
        )
    )
    assert decision.units == D(150) and decision.true_up_units == 0 and decision.true_up_periods == ()


def test_normative_units_after_three_defective_bills_in_a_row() -> None:
    on_average = determine(facts(reading_status="IDF", defective_in_row=2, normative_units_per_month=D(300)))
    normative = determine(facts(reading_status="IDF", defective_in_row=3, normative_units_per_month=D(300)))
    assert (on_average.basis, on_average.units) == (BillBasis.ASS, D(200))
    assert (normative.basis, normative.units, normative.flag_assessment) == (BillBasis.ASS, D(300), True)
    assert "3 bills in a row" in normative.note


def test_kvah_below_kwh_is_held_and_billed_on_kwh() -> None:
    decision = determine(facts(reading_status="OK", units=D(800), kvah=D(150)))
    assert Hold.KVAH in decision.holds and decision.kvah is None and decision.units == D(800)
    fine = determine(facts(reading_status="OK", units=D(800), kvah=D(850)))
    assert Hold.KVAH not in fine.holds and fine.kvah == D(850)
