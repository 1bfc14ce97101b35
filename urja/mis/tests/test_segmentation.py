from decimal import Decimal as D

import pytest
from django.db.models import F, Sum

from urja.billing.models import Bill
from urja.domain import segmentation as seg
from urja.mis.segmentation import class_members, previous_period, segmentation_report, subdivision_of
from urja.testing import ConsumerFactory, posted_bill

MAY, JUNE = "2026-05", "2026-06"
RULE = seg.Rule(min_group=5)


def make_bill(consumer, period, units, *, charges="100.00", subsidy="0", status="issued", basis="MU"):
    """A bill row only, not posted (``urja.testing.posted_bill``)."""
    return posted_bill(
        consumer, period, units=units, charges=charges, subsidy=subsidy, status=status, basis=basis,
        post=False, number_suffix=status[0],
    )  # fmt: skip


def build_area(two_subdivisions):
    """Sub-division A: ten 2 kW homes billed 10…100 units in June (reversed in May), one unmetered rural
    home, a held and a cancelled bill that never count; sub-division B: one home."""
    t = two_subdivisions
    homes = [ConsumerFactory(office=t["dc_a"], name=f"Home {i}") for i in range(1, 11)]
    for i, c in enumerate(homes, start=1):
        make_bill(c, JUNE, 10 * i, charges=f"{50 * i}.50", subsidy="10.00")
        make_bill(c, MAY, 10 * (11 - i), charges="80.00")
    flat = ConsumerFactory(office=t["dc_a"], category="LMV1-RURAL-UM", name="Flat")
    make_bill(flat, JUNE, None, basis="UM", charges="300.00")
    held = ConsumerFactory(office=t["dc_a"], name="Held")
    make_bill(held, JUNE, "900", status="held")
    make_bill(t["consumer_a"], JUNE, "5000", status="cancelled")
    make_bill(t["consumer_b"], JUNE, "700")
    return {**t, "homes": homes, "flat": flat, "held": held}


@pytest.fixture
def area(two_subdivisions):
    return build_area(two_subdivisions)


def test_previous_period_crosses_the_year():
    assert previous_period("2026-01") == "2025-12"
    assert previous_period(JUNE) == MAY


def test_subdivision_of(area):
    assert subdivision_of(area["dc_a"]) == area["sub_a"]
    assert subdivision_of(area["sub_a"]) == area["sub_a"]
    assert subdivision_of(area["division"]) is None
    with pytest.raises(ValueError):
        segmentation_report(office=area["division"], period=JUNE)


def test_class_totals_equal_the_subdivisions_issued_bills(area, django_assert_max_num_queries):
    with django_assert_max_num_queries(2):
        report = segmentation_report(office=area["sub_a"], period=JUNE, rule=RULE)
    issued = Bill.objects.filter(
        status="issued", period=JUNE, consumer__office__path__startswith=area["sub_a"].path
    ).aggregate(n=Sum(1), units=Sum("units"), amount=Sum(F("current_charges") - F("subsidy")))
    total = report.grand_total
    assert total.count == 11
    assert total.units == issued["units"] == D("550")
    assert total.amount == issued["amount"]
    assert report.totals[seg.UNMETERED].count == 1
    assert sum(r.count for r in report.rows) == 11
    assert sum((r.amount for r in report.rows), D(0)) == issued["amount"]


def test_classes_and_movement(area):
    report = segmentation_report(office=area["sub_a"], period=JUNE, rule=RULE)
    homes = area["homes"]
    # June: 10..100; nearest rank: low ≤ 40 (4th of 10), high > 80 (8th of 10)
    assert [report.current_classes[h.pk] for h in homes] == [seg.LOW] * 4 + [seg.MEDIUM] * 4 + [seg.HIGH] * 2
    # May was the reverse, so the top two of June were low in May, the bottom four were high/medium
    m = report.matrix
    assert m[(seg.LOW, seg.HIGH)] == 2
    assert m[(seg.HIGH, seg.LOW)] == 2 and m[(seg.MEDIUM, seg.LOW)] == 2
    assert m[(seg.NO_BILL, seg.UNMETERED)] == 1  # the flat-rate home entered
    assert sum(m.values()) == 11


def test_a_dc_is_classed_among_its_subdivision_and_shows_only_its_own(area):
    other_dc = area["sub_a"].children.create(code="DC-A2", name="DC A2", level="dc")
    stranger = ConsumerFactory(office=other_dc, name="Elsewhere")
    make_bill(stranger, JUNE, "1000")
    whole = segmentation_report(office=area["sub_a"], period=JUNE, rule=RULE)
    dc = segmentation_report(office=area["dc_a"], period=JUNE, rule=RULE)
    assert stranger.pk in whole.current_classes and stranger.pk not in dc.current_classes
    assert dc.grand_total.count == 11
    assert dc.current.groups == whole.current.groups  # same peers, same thresholds


def test_category_filter(area):
    report = segmentation_report(office=area["sub_a"], period=JUNE, category="LMV1-RURAL-UM", rule=RULE)
    assert report.grand_total.count == 1 and report.totals[seg.UNMETERED].amount == D("300.00")
    assert [r.category for r in report.rows] == ["LMV1-RURAL-UM"]


def test_the_list_behind_a_class_is_exactly_that_class(area, django_assert_max_num_queries):
    report = segmentation_report(office=area["sub_a"], period=JUNE, rule=RULE)
    for klass in seg.CLASSES:
        with django_assert_max_num_queries(1):
            members = class_members(report, klass=klass)
        assert {m.consumer_id for m in members} == set(report.current.accounts_in(klass))
        assert all(m.klass == klass for m in members)
        assert len(members) == report.totals[klass].count
    moved = class_members(report, klass=seg.HIGH, was=seg.LOW)
    assert {m.name for m in moved} == {"Home 9", "Home 10"}
    assert all(m.previous == seg.LOW for m in moved)
    entered = class_members(report, klass=seg.UNMETERED, was=seg.NO_BILL)
    assert [m.name for m in entered] == ["Flat"]


def test_the_list_of_those_who_left(area):
    gone = ConsumerFactory(office=area["dc_a"], name="Gone")
    make_bill(gone, MAY, "70")
    report = segmentation_report(office=area["sub_a"], period=JUNE, rule=RULE)
    assert sum(report.matrix[(k, seg.NO_BILL)] for k in seg.CLASSES) == 1
    left = [m for k in seg.CLASSES for m in class_members(report, klass=seg.NO_BILL, was=k)]
    assert [(m.name, m.klass) for m in left] == [("Gone", seg.NO_BILL)]
    assert left[0].units == D("70.00")
