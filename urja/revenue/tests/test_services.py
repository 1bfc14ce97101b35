"""Raising an inspection from the list, hearing of its completion, recording the outcome, the hit
rate; who may and where."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from urja.common.errors import NotFound
from urja.org.choices import Role
from urja.revenue import selectors, services
from urja.revenue.choices import CaseEventKind, CaseStatus
from urja.revenue.models import InspectionCase, InspectionCaseEvent
from urja.testing import UserFactory
from urja.workflow.choices import WorkOrderKind, WorkOrderStatus
from urja.workflow.models import WorkOrder
from urja.workflow.services import work_order_cancel, work_order_complete

from .conftest import PERIOD, steady

pytestmark = [pytest.mark.django_db, pytest.mark.clock("2026-11-15T10:00:00+05:30")]


@pytest.fixture
def suspect(rp):
    return steady(rp["dc_a"], history=200, now=0)


def raise_(rp, consumer, key="k1", by=None):
    return services.case_raise(consumer=consumer, period=PERIOD, by=by or rp["je_a"], key=key)


def test_raise_keeps_the_score_and_creates_a_theft_inspection(rp, suspect):
    case = raise_(rp, suspect)
    order = case.work_order
    assert order.kind == WorkOrderKind.THEFT_INSPECTION and order.office == rp["dc_a"]
    assert order.consumer == suspect and order.created_by == rp["je_a"] and case.reference in order.reason
    assert (case.score, case.band, case.status) == (55, "high", CaseStatus.OPEN)
    assert [r["code"] for r in case.reasons] == ["falling", "zero_units"]
    assert list(case.events.values_list("kind", "by")) == [(CaseEventKind.RAISED, rp["je_a"].pk)]


def test_replayed_raise_makes_nothing_more_and_one_open_case_per_consumer(rp, suspect):
    first = raise_(rp, suspect)
    assert raise_(rp, suspect) == first
    with pytest.raises(ValidationError, match="already has an open"):
        raise_(rp, suspect, key="k2")
    assert InspectionCase.objects.count() == 1 and WorkOrder.objects.count() == 1


def test_raise_refusals(rp, suspect):
    auditor = UserFactory(username="aud", role=Role.AUDITOR, office=rp["division"])
    with pytest.raises(PermissionDenied):
        raise_(rp, suspect, by=auditor)
    with pytest.raises(NotFound):
        raise_(rp, suspect, by=rp["je_b"])
    quiet = steady(rp["dc_a"])
    with pytest.raises(ValidationError, match="not on the inspection list"):
        raise_(rp, quiet)
    assert not WorkOrder.objects.exists()


def test_management_raises_with_the_system_creating_the_order(rp, suspect):
    boss = UserFactory(username="md", role=Role.MANAGEMENT, office=rp["discom"])
    case = raise_(rp, suspect, by=boss)
    assert case.raised_by == boss and case.work_order.created_by is None


def test_completion_marks_inspected_and_an_officer_records_the_outcome(rp, suspect):
    case = raise_(rp, suspect)
    with pytest.raises(ValidationError, match="not completed"):
        services.case_outcome_record(case=case, by=rp["je_a"], outcome="confirmed", remarks="hook")
    lineman = UserFactory(username="lm", role=Role.LINEMAN, office=rp["dc_a"])
    order = case.work_order
    from urja.workflow.services import work_order_assign

    work_order_assign(order, to=lineman, by=rp["je_a"])
    work_order_complete(
        order, by=lineman, key="c1", result={"remarks": "hook on the line", "outcome": "confirmed"}
    )
    case.refresh_from_db()
    # a lineman may not record the outcome: the case waits for an officer
    assert case.status == CaseStatus.INSPECTED and case.outcome == ""
    with pytest.raises(NotFound):
        services.case_outcome_record(case=case, by=rp["sdo_b"], outcome="confirmed", remarks="x")
    with pytest.raises(PermissionDenied):
        services.case_outcome_record(case=case, by=lineman, outcome="confirmed", remarks="x")
    with pytest.raises(ValidationError):
        services.case_outcome_record(
            case=case, by=rp["sdo_a"], outcome="not_confirmed", assessed_units="5", remarks="x"
        )
    services.case_outcome_record(case=case, by=rp["sdo_a"], outcome="confirmed", assessed_units="1200")
    case.refresh_from_db()
    assert (case.status, case.outcome, str(case.assessed_units), case.closed_by) == (
        CaseStatus.CLOSED, "confirmed", "1200.00", rp["sdo_a"],
    )  # fmt: skip
    assert [e.kind for e in case.events.all()] == ["raised", "inspected", "outcome"]
    with pytest.raises(ValidationError, match="already closed"):
        services.case_outcome_record(case=case, by=rp["sdo_a"], outcome="confirmed", remarks="x")
    # closed: a new case may be raised for the consumer
    assert raise_(rp, suspect, key="k2").pk != case.pk


def test_an_officer_completing_with_an_outcome_closes_the_case(rp, suspect):
    case = raise_(rp, suspect)
    work_order_complete(
        case.work_order, by=rp["je_a"], key="c1", result={"remarks": "locked", "outcome": "no_access"}
    )
    case.refresh_from_db()
    assert (case.status, case.outcome, case.remarks) == (CaseStatus.CLOSED, "no_access", "locked")


def test_a_cancelled_order_allows_no_access(rp, suspect):
    case = raise_(rp, suspect)
    work_order_cancel(case.work_order, by=rp["je_a"], reason="house locked twice")
    assert case.work_order.status == WorkOrderStatus.CANCELLED
    services.case_outcome_record(case=case, by=rp["je_a"], outcome="no_access", remarks="locked")


def test_history_is_append_only(rp, suspect):
    case = raise_(rp, suspect)
    event = case.events.get()
    event.reason = "changed"
    with pytest.raises(Exception):
        event.save()
    with pytest.raises(Exception):
        InspectionCaseEvent.objects.all().delete()


def test_hit_rate_overall_and_by_band(rp):
    outcomes = [("confirmed", 0), ("not_confirmed", 0), ("confirmed", 90), ("no_access", 90), (None, 0)]
    for i, (outcome, now) in enumerate(outcomes):
        consumer = steady(rp["dc_a"], history=200, now=now)
        case = raise_(rp, consumer, key=f"k{i}")
        if outcome:
            work_order_complete(
                case.work_order, by=rp["je_a"], key=f"c{i}", result={"remarks": "seen", "outcome": outcome}
            )
    rates = selectors.hit_rates(office=rp["sub_a"], period=PERIOD)
    assert (rates.raised, rates.awaiting) == (5, 1)
    assert (rates.overall.inspected, rates.overall.confirmed, rates.overall.no_access) == (3, 2, 1)
    assert str(rates.overall.rate_pct) == "66.7"
    assert (rates.by_band["high"].inspected, str(rates.by_band["high"].rate_pct)) == (2, "50.0")
    assert (rates.by_band["low"].inspected, str(rates.by_band["low"].rate_pct)) == (1, "100.0")
    assert rates.by_band["medium"].rate_pct is None
    assert selectors.hit_rates(office=rp["sub_b"], period=PERIOD).raised == 0
    assert selectors.hit_rates(office=rp["division"], period="2026-Q3").raised == 5
