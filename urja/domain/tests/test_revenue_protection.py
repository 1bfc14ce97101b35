"""The revenue-protection score: each factor on hand-made facts, the bands, the ranking, the hit rate."""

from dataclasses import replace
from decimal import Decimal as D
from typing import Any

from urja.domain import revenue_protection as rp


def facts(**kw) -> rp.ConsumerFacts:
    base: dict[str, Any] = {
        "consumer_id": 1,
        "account_number": "1000000001",
        "category": "LMV1-URBAN",
        "load_kw": D("2"),
        "office_id": 7,
        "units": D("200"),
        "history_average": D("200"),
        "history_months": 6,
        "history_max": D("220"),
    }
    base.update(kw)
    return rp.ConsumerFacts(**base)


def test_falling_tiers_and_guards():
    assert rp.falling(facts(units=D("150"))) is None  # 25% drop: below the lowest tier
    r = rp.falling(facts(units=D("120")))  # 40%
    assert (r.code, r.points, r.params["drop_pct"], r.params["average"]) == ("falling", 10, "40.0", "200.0")
    assert rp.falling(facts(units=D("90"))).points == 20  # 55%
    assert rp.falling(facts(units=D("20"))).points == 30  # 90%
    assert rp.falling(facts(units=D("20"), history_months=2)) is None  # too little history
    assert rp.falling(facts(units=D("0"), history_average=D("20"))) is None  # too small to judge
    assert rp.falling(facts(units=None)) is None


def test_below_peers_needs_enough_peers():
    assert rp.below_peers(facts(units=D("10")), (D("200"), 5)) is None  # 4 others
    r = rp.below_peers(facts(units=D("10")), (D("200"), 6))  # 5%
    assert (r.points, r.params["peers"], r.params["median"], r.params["band"]) == (20, "5", "200.0", "1-2")
    assert rp.below_peers(facts(units=D("40")), (D("200"), 6)).points == 12  # 20%
    assert rp.below_peers(facts(units=D("60")), (D("200"), 6)) is None  # 30%


def test_zero_units_only_on_an_active_metered_connection():
    assert rp.zero_units(facts(units=D("0"))).points == 25
    assert rp.zero_units(facts(units=D("0"), active=False)) is None
    assert rp.zero_units(facts(units=D("0"), metered=False)) is None
    assert rp.zero_units(facts(units=D("1"))) is None
    assert rp.zero_units(facts(units=None)) is None


def test_idf_na_points_grow_with_repeats_and_cap():
    assert rp.idf_na(facts(idf_na_count=1)) is None
    assert rp.idf_na(facts(idf_na_count=2)).points == 10
    assert rp.idf_na(facts(idf_na_count=3)).points == 15
    assert rp.idf_na(facts(idf_na_count=9)).points == 20
    assert rp.idf_na(facts(idf_na_count=3)).params == {"count": "3", "months": "6"}


def test_haversine_and_spot_far():
    # 0.01 degree of latitude is about 1112 m
    assert round(rp.haversine_m(26.85, 80.95, 26.86, 80.95)) == 1112
    assert rp.haversine_m(26.85, 80.95, 26.85, 80.95) == 0
    assert rp.spot_far(facts(spot_distance_m=D("150"))) is None
    assert rp.spot_far(facts(spot_distance_m=D("350"))).points == 12
    r = rp.spot_far(facts(spot_distance_m=D("1112.4")))
    assert (r.points, r.params) == (20, {"metres": "1112"})


def test_dt_loss():
    assert rp.dt_loss(facts(dt_loss_pct=D("20"), dt_code="DT1")) is None
    assert rp.dt_loss(facts(dt_loss_pct=D("30"), dt_code="DT1")).points == 8
    r = rp.dt_loss(facts(dt_loss_pct=D("45.5"), dt_code="DT1"))
    assert (r.points, r.params) == (15, {"dt": "DT1", "loss_pct": "45.5"})
    assert rp.dt_loss(facts()) is None


def test_load_below_from_the_largest_month():
    # 2 kW sanctioned; 730 h × 0.3 = 219 h: 657 units imply 3 kW = 150% → 10 points
    r = rp.load_below(facts(units=D("100"), history_max=D("657")))
    assert (r.points, r.params["implied_kw"], r.params["sanctioned_kw"]) == (10, "3.0", "2.0")
    assert rp.load_below(facts(units=D("900"), history_max=None)).points == 20  # 4.1 kW = 205%
    assert rp.load_below(facts(units=D("400"), history_max=D("400"))) is None  # 1.8 kW


def test_load_units_and_bands():
    assert rp.load_kw(D("10"), "BHP") == D("7.460")
    assert rp.load_band(D("0.5")) == "0-1"
    assert rp.load_band(D("2")) == "1-2"
    assert rp.load_band(D("75")) == "50+"


def test_score_bands_and_reasons_in_factor_order():
    f = facts(units=D("0"), idf_na_count=2, dt_loss_pct=D("45"), dt_code="DT9")
    s = rp.score(f)
    assert [r.code for r in s.reasons] == ["falling", "zero_units", "idf_na", "dt_loss"]
    assert s.points == 30 + 25 + 10 + 15 and s.band == "high"
    assert rp.band_of(25) == "medium" and rp.band_of(24) == "low"
    assert s.missing_kwh == D("200")
    assert not rp.score(facts()).listed


def test_rank_orders_by_score_then_missing_units_then_account():
    a = facts(consumer_id=1, account_number="A3", units=D("0"))  # 30 + 25
    b = facts(consumer_id=2, account_number="A2", units=D("120"))  # 10, missing 80
    c = facts(consumer_id=3, account_number="A1", units=D("120"), history_average=D("250"))  # 10? 52% → 20
    d = facts(consumer_id=4, account_number="A0", units=D("110"))  # 45% → 10, missing 90
    e = facts(consumer_id=5, account_number="A9")  # nothing: not listed
    ranked = rp.rank([a, b, c, d, e])
    assert [s.account_number for s in ranked] == ["A3", "A1", "A0", "A2"]


def test_rank_finds_peers_in_the_same_office_category_and_band():
    peers = [facts(consumer_id=10 + i, account_number=f"P{i}", units=D("200")) for i in range(5)]
    low = facts(consumer_id=99, account_number="LOW", units=D("15"), history_months=0, history_average=None)
    ranked = rp.rank([*peers, low])
    assert [s.account_number for s in ranked] == ["LOW"]
    assert [r.code for r in ranked[0].reasons] == ["below_peers"]
    # the same consumer in another office has no peers
    assert rp.rank([*peers, replace(low, office_id=8)]) == []


def test_hit_rate():
    h = rp.hit_rate(["confirmed", "not_confirmed", "confirmed", "no_access", "not_confirmed"])
    assert (h.inspected, h.confirmed, h.no_access, h.rate_pct) == (4, 2, 1, D("50.0"))
    assert rp.hit_rate([]).rate_pct is None
    assert rp.hit_rate(["confirmed"] * 2 + ["not_confirmed"]).rate_pct == D("66.7")


def test_previous_months():
    assert rp.previous_months("2026-02", 3) == ("2025-11", "2025-12", "2026-01")
