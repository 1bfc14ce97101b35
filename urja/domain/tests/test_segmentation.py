from decimal import Decimal as D

import pytest

from urja.domain import segmentation as seg
from urja.domain.segmentation import HIGH, LOW, MEDIUM, NO_BILL, UNMETERED, BillLine, Rule, classify

SMALL = Rule(min_group=5)


def line(
    account: int,
    units: int | str | None,
    *,
    category: str = "LMV1-URBAN",
    load: str = "2",
    basis: str = "MU",
    amount: str = "100.00",
) -> BillLine:
    return BillLine(
        account=account,
        category=category,
        load=D(load),
        basis=basis,
        units=None if units is None else D(units),
        amount=D(amount),
    )


def test_nearest_rank_percentile_is_an_observed_value():
    values = [D(v) for v in range(1, 101)]
    assert seg.percentile(values, D("33")) == D("33")
    assert seg.percentile(values, D("80")) == D("80")
    assert seg.percentile([D("7")], D("33")) == D("7")
    with pytest.raises(ValueError):
        seg.percentile([], D("50"))


def test_hundred_distinct_consumers_split_33_47_20():
    result = classify([line(i, i) for i in range(1, 101)])
    assert result.totals[LOW].count == 33
    assert result.totals[MEDIUM].count == 47
    assert result.totals[HIGH].count == 20
    assert result.classes[33] == LOW and result.classes[34] == MEDIUM
    assert result.classes[80] == MEDIUM and result.classes[81] == HIGH
    t = result.groups[("LMV1-URBAN", 1)]
    assert (t.low, t.high, t.source, t.reference) == (D("33"), D("80"), seg.FROM_GROUP, 100)


def test_ties_are_never_split():
    # 10 consumers: four at 50 straddle the low threshold (rank ceil(3.3) = 4th value = 50)
    units = [10, 20, 50, 50, 50, 50, 90, 100, 100, 100]
    result = classify([line(i, u) for i, u in enumerate(units)], SMALL)
    t = result.groups[("LMV1-URBAN", 1)]
    assert t.low == D("50") and t.high == D("100")
    by_units: dict[int, set[str]] = {}
    for i, u in enumerate(units):
        by_units.setdefault(u, set()).add(result.classes[i])
    assert all(len(classes) == 1 for classes in by_units.values())
    assert by_units[50] == {LOW}  # ties at the low threshold go low
    assert by_units[100] == {MEDIUM}  # ties at the high threshold stay medium: nobody is above 100
    assert result.totals[HIGH].count == 0


def test_load_bands_by_category_prefix():
    rule = Rule()
    assert rule.band_of("LMV1-URBAN", D("1")) == 0
    assert rule.band_of("LMV1-URBAN", D("1.5")) == 1
    assert rule.band_of("LMV1-RURAL", D("5")) == 2
    assert rule.band_of("LMV1-RURAL", D("5.01")) == 3
    assert rule.band_label("LMV1-URBAN", 0) == "≤ 1"
    assert rule.band_label("LMV1-URBAN", 2) == "2–5"
    assert rule.band_label("LMV1-URBAN", 3) == "> 5"
    assert rule.band_label("LMV5-RURAL", 2) == "7.5–10"
    assert rule.bounds_for("XYZ") == () and rule.band_of("XYZ", D("9")) == 0
    assert rule.band_label("XYZ", 0) == "all"


def test_each_load_band_has_its_own_thresholds():
    small = [line(i, 10 * i, load="1") for i in range(1, 6)]  # 10..50 units, ≤ 1 kW
    large = [line(100 + i, 100 * i, load="4") for i in range(1, 6)]  # 100..500 units, 2–5 kW
    result = classify(small + large, SMALL)
    assert result.classes[5] == HIGH  # 50 units is high among 1 kW homes
    assert result.classes[101] == LOW  # 100 units is low among 4 kW homes
    assert result.groups[("LMV1-URBAN", 0)].high == D("40")
    assert result.groups[("LMV1-URBAN", 2)].low == D("200")


def test_a_small_group_falls_back_to_its_categorys_thresholds():
    big = [line(i, 10 * i, load="2") for i in range(1, 10)]  # nine in the 1–2 kW band
    tiny = [line(100, "1000", load="9")]  # one > 5 kW home
    result = classify(big + tiny, SMALL)
    t = result.groups[("LMV1-URBAN", 3)]
    assert t.source == seg.FROM_CATEGORY and t.reference == 10
    assert result.groups[("LMV1-URBAN", 1)].source == seg.FROM_GROUP
    assert result.classes[100] == HIGH


def test_a_category_with_too_few_peers_is_all_medium_except_zero_units():
    lines = [
        line(1, "5000", category="HV2-11KV", load="900"),
        line(2, "9000", category="HV2-11KV", load="900"),
    ]
    lines.append(line(3, "0", category="HV2-11KV", load="900"))
    result = classify(lines, SMALL)
    assert result.groups[("HV2-11KV", 1)].source == seg.TOO_FEW
    assert result.groups[("HV2-11KV", 1)].low is None
    assert result.classes == {1: MEDIUM, 2: MEDIUM, 3: LOW}


def test_zero_units_are_low_and_do_not_set_thresholds():
    lines = [line(i, 0) for i in range(20)] + [line(100 + i, 10 * i) for i in range(1, 11)]
    result = classify(lines, SMALL)
    t = result.groups[("LMV1-URBAN", 1)]
    assert t.reference == 10 and t.low == D("40")  # the 20 zeros did not pull it to 0
    assert all(result.classes[i] == LOW for i in range(20))
    assert result.classes[110] == HIGH


def test_estimates_are_classed_but_do_not_set_thresholds():
    lines = [line(i, 10 * i) for i in range(1, 11)]
    lines += [line(50, "5000", basis="ASS"), line(51, "1", basis="PROV")]
    result = classify(lines, SMALL)
    t = result.groups[("LMV1-URBAN", 1)]
    assert t.reference == 10 and t.high == D("80")
    assert result.classes[50] == HIGH and result.classes[51] == LOW


def test_unmetered_bills_are_not_ranked_but_are_counted():
    lines = [line(i, 10 * i) for i in range(1, 11)]
    lines += [line(60, None, basis="UM", amount="450.00", category="LMV1-RURAL-UM")]
    result = classify(lines, SMALL)
    assert result.classes[60] == UNMETERED
    assert result.totals[UNMETERED].count == 1 and result.totals[UNMETERED].amount == D("450.00")


def test_class_totals_add_up_to_the_months_bills():
    lines = [line(i, i * 7 % 53, amount=f"{i}.25") for i in range(60)]
    lines += [line(100, None, basis="UM", amount="300.00")]
    result = classify(lines, SMALL)
    total = result.grand_total
    assert total.count == 61
    assert total.units == sum((x.units or 0 for x in lines), D("0"))
    assert total.amount == sum((x.amount for x in lines), D("0"))
    group_sum = sum((t.amount for t in result.group_totals.values()), D("0"))
    assert group_sum == total.amount


def test_rule_from_config_and_validation():
    rule = Rule.from_config({"LOW_PERCENTILE": 25, "HIGH_PERCENTILE": "90", "LOAD_BANDS": {"LMV2": [3]}})
    assert rule.low_percentile == D("25") and rule.high_percentile == D("90") and rule.min_group == 20
    assert rule.bounds_for("LMV2-URBAN") == (D("3"),) and rule.bounds_for("LMV1-URBAN") == ()
    assert Rule.from_config(None) == Rule()
    with pytest.raises(ValueError):
        Rule(low_percentile=D("80"), high_percentile=D("33"))
    with pytest.raises(ValueError):
        Rule(load_bands={"LMV1": (D("5"), D("2"))})
    with pytest.raises(ValueError):
        Rule(min_group=0)


def test_movement_matrix_counts_moves_entries_and_exits():
    previous = {1: HIGH, 2: HIGH, 3: MEDIUM, 4: LOW, 5: LOW, 6: UNMETERED}
    current = {1: HIGH, 2: LOW, 3: HIGH, 4: LOW, 7: MEDIUM, 6: MEDIUM}
    m = seg.movement(previous, current)
    assert m[(HIGH, HIGH)] == 1 and m[(HIGH, LOW)] == 1 and m[(MEDIUM, HIGH)] == 1 and m[(LOW, LOW)] == 1
    assert m[(LOW, NO_BILL)] == 1  # 5 left
    assert m[(NO_BILL, MEDIUM)] == 1  # 7 entered
    assert m[(UNMETERED, MEDIUM)] == 1
    assert m[(NO_BILL, NO_BILL)] == 0
    assert sum(m.values()) == len(set(previous) | set(current))
    assert len(m) == len(seg.STATES) ** 2
    assert seg.movers(previous, current, was=HIGH, now=LOW) == [2]
    assert seg.movers(previous, current, was=NO_BILL, now=MEDIUM) == [7]
    assert seg.movers(previous, current, was=LOW, now=NO_BILL) == [5]


def test_vectorised_movement_equals_the_plain_one() -> None:
    import random

    rng = random.Random(7)
    before = [line(i, rng.choice([0, 5, 50, 500, None]), basis="MU") for i in range(0, 300, 2)]
    after = [line(i, rng.choice([0, 5, 50, 500]), basis="MU") for i in range(100, 400, 3)]
    before = [x if x.units is not None else line(x.account, None, basis="UM") for x in before]
    p, c = classify(before, SMALL), classify(after, SMALL)
    assert seg.movement_between(p, c) == seg.movement(p.classes, c.classes)
    for was in seg.STATES:
        for now in seg.STATES:
            assert seg.movers_between(p, c, was=was, now=now) == seg.movers(
                p.classes, c.classes, was=was, now=now
            )
    mask = p.accounts < 200
    kept = {a: k for a, k in p.classes.items() if a < 200}
    assert seg.movement_between(p, c, previous_mask=mask) == seg.movement(kept, c.classes)
    empty = classify([], SMALL)
    assert seg.movement_between(empty, c) == seg.movement({}, c.classes)
    assert seg.movement_between(p, empty) == seg.movement(p.classes, {})
