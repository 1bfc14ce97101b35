"""Races on PostgreSQL: the row locks make one transition, one completion and one number win."""

import pytest

from urja.testing import run_concurrently
from urja.workflow import services
from urja.workflow.choices import EventKind, WorkOrderStatus
from urja.workflow.models import WorkEvent, WorkItem, WorkOrder

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
    pytest.mark.clock("2026-11-28T12:00:00+05:30"),
]


def test_two_officers_taking_an_action_at_once_move_the_item_once(process, org):
    item = services.start("wftest", office=org["dc"], by=org["je"])
    users = [org["je"], org["sdo"]]

    def reject(i):
        return services.transition(WorkItem.objects.get(pk=item.pk), "reject", by=users[i], reason=f"r{i}")

    results = run_concurrently(2, reject)
    refused = [r for r in results if isinstance(r, services.TransitionRefused)]
    assert len(refused) == 1, results
    assert WorkEvent.objects.filter(item=item, kind=EventKind.TRANSITION).count() == 1


def test_two_completions_with_different_keys_complete_once(org):
    order = services.work_order_create(
        "disconnection", office=org["dc"], reason="Dues", by=org["je"], assigned_to=org["lineman"]
    )

    def complete(i):
        return services.work_order_complete(
            WorkOrder.objects.get(pk=order.pk), by=org["lineman"], key=f"key-{i}", result={"remarks": str(i)}
        )

    results = run_concurrently(2, complete)
    assert sum(isinstance(r, services.WorkOrderRefused) for r in results) == 1, results
    order.refresh_from_db()
    assert order.status == WorkOrderStatus.DONE and order.completion_key in ("key-0", "key-1")


def test_the_same_completion_retried_at_once_is_one_completion(org):
    order = services.work_order_create(
        "disconnection", office=org["dc"], reason="Dues", by=org["je"], assigned_to=org["lineman"]
    )

    def complete(i):
        return services.work_order_complete(
            WorkOrder.objects.get(pk=order.pk), by=org["lineman"], key="same-key", result={"remarks": str(i)}
        )

    results = run_concurrently(3, complete)
    assert all(isinstance(r, WorkOrder) for r in results), results
    assert len({r.completed_at for r in results}) == 1


def test_starts_at_once_get_distinct_numbers(process, org):
    results = run_concurrently(4, lambda i: services.start("wftest", office=org["dc"], by=org["je"]))
    assert all(isinstance(r, WorkItem) for r in results), results
    assert sorted(r.reference for r in results) == [f"TP-2026-00000{n}" for n in range(1, 5)]


def test_two_sweeps_at_once_escalate_once(process, org, travel):
    import datetime
    from zoneinfo import ZoneInfo

    item = services.start("wftest", office=org["dc"], by=org["je"])
    travel.move_to(item.due_at.astimezone(ZoneInfo("Asia/Kolkata")) + datetime.timedelta(minutes=5))
    results = run_concurrently(2, lambda i: services.sweep_breaches())
    assert sorted(len(r) for r in results) == [0, 1], results
    item.refresh_from_db()
    assert item.escalation_level == 1
    assert WorkEvent.objects.filter(item=item, kind=EventKind.ESCALATION).count() == 1
