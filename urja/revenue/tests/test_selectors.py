"""The facts behind the score, read from bills, readings and input energy with grouped queries, and the
office's ranked list."""

import datetime
from decimal import Decimal as D

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from urja.energyaudit.models import InputEnergy
from urja.revenue import selectors

from .conftest import PERIOD, bill, reading, steady

pytestmark = [pytest.mark.django_db, pytest.mark.clock("2026-11-15T10:00:00+05:30")]


def codes(entry):
    return [r.code for r in entry.score.reasons]


def by_account(entries):
    return {e.consumer["account_number"]: e for e in entries}


def test_falling_zero_and_load_factors_from_bills(rp):
    dc = rp["dc_a"]
    falling = steady(dc, history=200, now=60)
    zero = steady(dc, history=200, now=0)
    heavy = steady(dc, history=900, now=900, sanctioned_load=D("2"))
    quiet = steady(dc)  # nothing wrong
    unmetered_zero = steady(dc, history=0, now=0, metered=False)
    entries = by_account(selectors.inspection_list(office=rp["sub_a"], period=PERIOD))
    assert codes(entries[falling.account_number]) == ["falling"]
    assert entries[falling.account_number].score.reasons[0].params["drop_pct"] == "70.0"
    assert codes(entries[zero.account_number]) == ["falling", "zero_units"]
    assert codes(entries[heavy.account_number]) == ["load_below"]
    assert quiet.account_number not in entries
    assert unmetered_zero.account_number not in entries


def test_below_peers_within_the_dc(rp):
    dc = rp["dc_a"]
    for _ in range(5):
        steady(dc, history=200, now=200)
    low = steady(dc, history=20, now=15)
    entries = by_account(selectors.inspection_list(office=rp["division"], period=PERIOD))
    assert codes(entries[low.account_number]) == ["below_peers"]
    assert entries[low.account_number].score.reasons[0].params["peers"] == "5"


def test_idf_na_and_spot_far_from_readings(rp):
    dc = rp["dc_a"]
    locked = steady(dc)
    reading(locked, datetime.date(2026, 6, 10), status="IDF")
    reading(locked, datetime.date(2026, 8, 10), status="NA")
    reading(locked, datetime.date(2026, 9, 10), status="NA")
    reading(locked, datetime.date(2026, 3, 10), status="NA")  # outside the six months
    far = steady(dc, latitude=D("26.850000"), longitude=D("80.950000"))
    reading(far, datetime.date(2026, 10, 12), source="spot", lat=D("26.860000"), lon=D("80.950000"))
    near = steady(dc, latitude=D("26.850000"), longitude=D("80.950000"))
    reading(near, datetime.date(2026, 10, 12), source="spot", lat=D("26.850500"), lon=D("80.950000"))
    entries = by_account(selectors.inspection_list(office=dc, period=PERIOD))
    assert codes(entries[locked.account_number]) == ["idf_na"]
    assert entries[locked.account_number].score.points == 15
    assert codes(entries[far.account_number]) == ["spot_far"]
    assert entries[far.account_number].score.reasons[0].params["metres"] == "1111"
    assert near.account_number not in entries


def test_dt_loss_from_input_energy(rp, dt_factory):
    dc = rp["dc_a"]
    dt = dt_factory(dc)
    first = steady(dc, dt=dt, now=200)
    steady(dc, dt=dt, now=100)
    InputEnergy.objects.create(dt=dt, period=PERIOD, kwh=D("600"))  # billed 300: 50% lost
    entries = by_account(selectors.inspection_list(office=dc, period=PERIOD))
    assert codes(entries[first.account_number]) == ["dt_loss"]
    assert entries[first.account_number].score.reasons[0].params == {"dt": dt.code, "loss_pct": "50.0"}


def test_ranking_and_scope(rp):
    a = steady(rp["dc_a"], history=200, now=0)  # 30 + 25
    b = steady(rp["dc_a"], history=200, now=90)  # 20
    c = steady(rp["dc_b"], history=200, now=10)  # in the other sub-division
    entries = selectors.inspection_list(office=rp["sub_a"], period=PERIOD)
    assert [e.consumer["account_number"] for e in entries] == [a.account_number, b.account_number]
    assert [e.rank for e in entries] == [1, 2]
    assert entries[0].score.band == "high" and entries[1].score.band == "low"
    assert c.account_number in by_account(selectors.inspection_list(office=rp["division"], period=PERIOD))


def test_query_count_does_not_grow_with_consumers(rp):
    steady(rp["dc_a"], history=200, now=0)
    with CaptureQueriesContext(connection) as few:
        selectors.inspection_list(office=rp["sub_a"], period=PERIOD)
    for _ in range(6):
        c = steady(rp["dc_a"], history=200, now=0, latitude=D("26.85"), longitude=D("80.95"))
        reading(c, datetime.date(2026, 10, 3), source="spot", lat=D("26.9"), lon=D("80.95"))
        bill(c, "2026-03", 10)
    with CaptureQueriesContext(connection) as many:
        entries = selectors.inspection_list(office=rp["sub_a"], period=PERIOD)
    assert len(entries) == 7
    assert len(many) == len(few) <= 8


def test_consumer_score_equals_the_list(rp):
    for _ in range(5):
        steady(rp["dc_a"])
    low = steady(rp["dc_a"], history=200, now=15)
    listed = by_account(selectors.inspection_list(office=rp["division"], period=PERIOD))[low.account_number]
    alone = selectors.consumer_score(consumer=low, period=PERIOD)
    assert alone == listed.score


def test_inspection_list_command(rp):
    import json
    from io import StringIO

    from django.core.management import call_command

    suspect = steady(rp["dc_a"], history=200, now=0)
    out = StringIO()
    call_command("inspection_list", office="SUB-A", period=PERIOD, json=True, stdout=out)
    data = json.loads(out.getvalue())
    assert data["listed"] == 1 and data["top"][0]["account_number"] == suspect.account_number
    assert [r["code"] for r in data["top"][0]["reasons"]] == ["falling", "zero_units"]
