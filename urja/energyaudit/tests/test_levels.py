"""Every level from one snapshot: substation, child offices, state; ranking and threshold; the
consumers behind a DT. Figures are the hand-computed July 2025 fixture of test_selectors.py:

DT A1 BE 60% CE 75% AT&C 55%; DT A2 BE 25% CE 120% AT&C 70%; DT B1 input 700, billed 200 (T&D 71.43%)
feeder FA input 1,000 billed 400 (T&D 60%, AT&C 64%); feeder FB input 800 billed 200 (T&D 75%, AT&C 75%)
"""

from decimal import Decimal as D

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from urja.energyaudit.selectors import (
    above_threshold,
    child_audits,
    consumer_lines,
    dt_ranking,
    feeder_ranking,
    office_snapshot,
    state_audit,
    substation_audit,
)
from urja.testing import ConsumerFactory, FeederFactory, TransformerFactory

from .test_selectors import july  # noqa: F401


def test_substation_level(july):  # noqa: F811
    a = substation_audit(substation=july["fa"].substation, period="2025-07")
    assert a.level == "substation"
    assert (a.figures.input_kwh, a.figures.billed_kwh, a.figures.atc_loss_pct) == (
        D("1000"),
        D("400"),
        D("64.00"),
    )


def test_child_offices_and_the_state(july):  # noqa: F811
    children = child_audits(office=july["division"], period="2025-07")
    assert [(c.code, c.figures.atc_loss_pct, c.unindexed_consumers) for c in children] == [
        ("EA-SUB", D("64.00"), 1),
        ("EB-SUB", D("75.00"), 0),
    ]
    state = state_audit(period="2025-07")
    assert state.level == "state" and state.code == "STATE"
    assert (state.figures.input_kwh, state.figures.billed_amount, state.figures.atc_loss_pct) == (
        D("1800"), D("4500"), D("68.89")
    )  # fmt: skip
    discoms = child_audits(office=None, period="2025-07")
    assert [d.code for d in discoms] == ["EA-DIS"]


def test_a_dt_with_collection_efficiency_above_100(july):  # noqa: F811
    a2 = next(a for a in dt_ranking(office=july["sda"], period="2025-07") if a.code == "A2")
    assert a2.figures.collection_efficiency == D("120.00")
    assert a2.figures.atc_loss_pct == D("70.00") < a2.figures.td_loss_pct == D("75.00")


def test_ranking_and_threshold(july):  # noqa: F811
    feeders = feeder_ranking(office=july["division"], period="2025-07")
    assert [(f.code, f.figures.td_loss_pct) for f in feeders] == [("FB", D("75.00")), ("FA", D("60.00"))]
    assert [f.code for f in feeders if above_threshold(f, D("70"))] == ["FB"]
    assert [f.code for f in feeders if above_threshold(f, D("60"))] == ["FB"]  # strictly above
    dts = dt_ranking(office=july["division"], period="2025-07", by="atc")
    assert [(d.code, d.figures.atc_loss_pct) for d in dts] == [
        ("B1", D("71.43")), ("A2", D("70.00")), ("A1", D("55.00"))
    ]  # fmt: skip
    # A feeder without input ranks last, never as 0% or 100% loss, and is never flagged.
    bare = FeederFactory(code="FZ", office=july["sda"])
    ranked = feeder_ranking(office=july["division"], period="2025-07")
    assert ranked[-1].code == "FZ" and ranked[-1].figures.td_loss_pct is None
    assert "unmetered_feeder" in ranked[-1].figures.gaps and not above_threshold(ranked[-1], D("0"))
    assert bare.pk == ranked[-1].pk


def test_the_snapshot_costs_the_same_queries_for_more_feeders(july):  # noqa: F811
    def count():
        with CaptureQueriesContext(connection) as ctx:
            snapshot = office_snapshot(office=july["division"], period="2025-07")
            [snapshot.feeder(pk) for pk in snapshot.feeders]
            [snapshot.dt(pk) for pk in snapshot.dts]
            child_audits(office=july["division"], period="2025-07", snapshot=snapshot)
        return len(ctx.captured_queries)

    before = count()
    for n in range(5):
        feeder = FeederFactory(code=f"FX{n}", office=july["sdb"])
        ConsumerFactory(
            office=july["sdb"], dt=TransformerFactory(code=f"X{n}", feeder=feeder, office=july["sdb"])
        )
    assert count() == before


def test_consumers_of_a_dt(july, consumers):  # noqa: F811
    lines = consumer_lines(period="2025-07", dt=july["a1"])
    assert len(lines) == 1
    line = lines[0]
    assert (line.account_number, line.units, line.billed_amount, line.paid, line.reading_status) == (
        consumers["a1"].account_number, D("300"), D("2000"), D("1500"), "OK"
    )  # fmt: skip
    feeder_lines = consumer_lines(period="2025-07", feeder=july["fa"])
    assert sum(line.units for line in feeder_lines) == D("400")
    assert sum(line.paid for line in feeder_lines) == D("2700")


@pytest.mark.parametrize("by", ["xx"])
def test_unknown_ranking_measure(july, by):  # noqa: F811
    with pytest.raises(ValueError):
        feeder_ranking(office=july["division"], period="2025-07", by=by)


def test_billed_by_category_adds_up_to_the_office(july):  # noqa: F811
    from urja.energyaudit.selectors import billed_by_category, office_audit

    lines = billed_by_category(office=july["division"], period="2025-07")
    total = office_audit(office=july["division"], period="2025-07").figures
    assert sum(line.units for line in lines) == total.billed_kwh
    assert sum(line.amount for line in lines) == total.billed_amount
    assert {line.basis for line in lines} == {"MU"}
