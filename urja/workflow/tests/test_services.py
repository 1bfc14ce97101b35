"""The engine (urja/workflow/services.py) on the test process of definitions.py."""

import datetime
from zoneinfo import ZoneInfo

import pytest

from urja.common import clock
from urja.org.choices import OfficeLevel
from urja.org.models import Holiday
from urja.workflow import registry, selectors, services
from urja.workflow.choices import EventKind, WorkOrderStatus
from urja.workflow.models import WorkEvent, WorkItem, WorkOrder
from urja.workflow.services import TransitionRefused, WorkOrderRefused

IST = ZoneInfo("Asia/Kolkata")
pytestmark = [pytest.mark.django_db, pytest.mark.clock("2026-11-28T12:00:00+05:30")]  # a Saturday


def ist(*args):
    return datetime.datetime(*args, tzinfo=IST)


def opened(org, by=None):
    return services.start("wftest", office=org["dc"], by=by or org["je"], data={"name": "Asha"})


def snapshot(item):
    item.refresh_from_db()
    return (
        item.state,
        item.due_at,
        item.closed_at,
        item.escalation_level,
        WorkEvent.objects.filter(item=item).count(),
    )


def test_start_numbers_the_item_and_sets_its_clocks(process, org, calls):
    item = opened(org)
    second = opened(org)
    assert item.reference == "TP-2026-000001" and second.reference == "TP-2026-000002"
    assert item.state == "applied" and item.definition_version == 1
    # 3 working days after Saturday 28 Nov: Mon 30, Tue 1, Wed 2 Dec (Sunday off) — across the month end.
    assert item.due_at == ist(2026, 12, 2, 23, 59, 59)
    assert item.total_due_at == ist(2026, 12, 13, 23, 59, 59)
    [event] = item.events.all()
    assert (event.kind, event.to_state, event.by) == (EventKind.START, "applied", org["je"])
    assert calls[0] == ("applied", "")


def test_a_holiday_pushes_the_due_time(process, org):
    Holiday.objects.create(date=datetime.date(2026, 11, 30), name="Local fair", office=org["dc"])
    assert opened(org).due_at == ist(2026, 12, 3, 23, 59, 59)
    # A holiday of another office does not count.
    Holiday.objects.create(date=datetime.date(2026, 12, 1), name="Elsewhere", office=org["other_dc"])
    assert opened(org).due_at == ist(2026, 12, 3, 23, 59, 59)


def test_happy_path_through_a_work_order_to_approval(process, org, calls):
    item = opened(org)
    services.transition(item, "inspect", by=org["je"])
    assert item.state == "inspection"  # 48 clock hours
    assert ist(2026, 11, 30, 12, 0) <= item.due_at < ist(2026, 11, 30, 12, 1)
    [order] = item.work_orders.all()
    assert order.status == WorkOrderStatus.OPEN and order.reference.startswith("WO-2026-")
    services.work_order_assign(order, to=org["lineman"], by=org["je"])
    services.work_order_complete(
        order, by=org["lineman"], key="k-1", result={"remarks": "ok", "gps": {"lat": 26.8, "lon": 80.9}}
    )
    item.refresh_from_db()
    assert item.state == "verified"
    last = item.events.filter(kind=EventKind.TRANSITION).last()
    assert (last.action, last.by, last.data["work_order"]) == ("inspected", None, order.reference)
    services.transition(
        item, "approve", by=org["sdo"], attachments=[{"kind": "site_report", "name": "report.pdf"}]
    )
    assert item.state == "approved" and item.outcome == "approved" and item.closed_at is not None
    assert item.due_at is None
    assert [c[0] for c in calls] == ["applied", "inspection", "verified", "approved"]
    assert services.available_actions(item, org["sdo"]) == []


def test_an_illegal_action_is_refused_and_changes_nothing(process, org):
    item = opened(org)
    before = snapshot(item)
    for action in ("approve", "no_such_action", "resubmit"):
        with pytest.raises(TransitionRefused) as caught:
            services.transition(item, action, by=org["je"])
        assert "not possible" in caught.value.message
    assert snapshot(item) == before


def test_a_closed_item_refuses_everything(process, org):
    item = opened(org)
    services.transition(item, "reject", by=org["je"], reason="Not our area")
    with pytest.raises(TransitionRefused, match="closed"):
        services.transition(item, "inspect", by=org["je"])


def test_a_role_not_allowed_is_refused(process, org):
    item = opened(org)
    before = snapshot(item)
    for user in (org["cashier"], org["sdo"], org["lineman"]):
        with pytest.raises(TransitionRefused, match="role"):
            services.transition(item, "inspect", by=user)
    assert snapshot(item) == before
    assert [a.code for a in services.available_actions(item, org["sdo"])] == ["reject"]
    assert services.available_actions(item, org["cashier"]) == []


def test_system_only_actions_are_refused_to_people_and_taken_by_the_system(process, org):
    item = opened(org)
    services.transition(item, "inspect", by=org["je"])
    with pytest.raises(TransitionRefused, match="system"):
        services.transition(item, "inspected", by=org["je"])
    services.transition(item, "inspected", by=None)
    assert item.state == "verified"


def test_another_office_is_refused(process, org):
    item = opened(org)
    before = snapshot(item)
    with pytest.raises(TransitionRefused, match="office"):
        services.transition(item, "inspect", by=org["other_je"])
    assert snapshot(item) == before
    assert services.available_actions(item, org["other_je"]) == []
    with pytest.raises(TransitionRefused, match="office"):
        services.start("wftest", office=org["other_dc"], by=org["je"])


def test_a_reason_is_required_where_the_action_says_so(process, org):
    item = opened(org)
    before = snapshot(item)
    for reason in ("", "   "):
        with pytest.raises(TransitionRefused, match="reason"):
            services.transition(item, "send_back", by=org["je"], reason=reason)
    assert snapshot(item) == before
    services.transition(item, "send_back", by=org["je"], reason="Address proof missing")
    assert item.state == "returned"
    assert item.events.last().reason == "Address proof missing"


def test_required_documents_are_checked(process, org):
    item = opened(org)
    services.transition(item, "inspect", by=org["je"])
    services.transition(item, "inspected", by=None)
    assert services.missing_documents(item) == ["site_report"]
    with pytest.raises(TransitionRefused, match="site_report"):
        services.transition(item, "approve", by=org["sdo"])
    with pytest.raises(TransitionRefused, match="kind"):
        services.transition(item, "approve", by=org["sdo"], attachments=[{"name": "x.pdf"}])
    services.transition(item, "reject", by=org["sdo"], reason="No report")  # rejection needs none
    assert item.outcome == "rejected"


def test_refusals_are_translated(process, org):
    from django.utils import translation

    item = opened(org)
    with translation.override("hi"), pytest.raises(TransitionRefused) as caught:
        services.transition(item, "send_back", by=org["je"])
    assert "कारण" in caught.value.message


# --- sweeps ------------------------------------------------------------------------------------------


def test_sweep_escalates_up_the_ladder_once_per_breach(process, org, travel):
    item = opened(org)  # due Wed 2 Dec 23:59:59
    assert services.sweep_breaches() == []
    travel.move_to(ist(2026, 12, 3, 0, 0, 30))
    [breach] = services.sweep_breaches()
    assert (breach.rule, breach.escalation_level, breach.escalated_to_role) == ("escalate", 1, "sdo")
    assert breach.due_at == ist(2026, 12, 2, 23, 59, 59)
    item.refresh_from_db()
    assert (item.escalation_level, item.escalated_to_role) == (1, "sdo")
    assert item.due_at == ist(2026, 12, 5, 23, 59, 59)  # SDO: 2 working days (Fri 4, Sat 5)
    assert services.sweep_breaches() == []  # twice: nothing more
    assert item.events.filter(kind=EventKind.ESCALATION).count() == 1
    # Escalated, the SDO may now take the JE's actions, and sees it in the inbox.
    assert "inspect" in [a.code for a in services.available_actions(item, org["sdo"])]
    assert item in selectors.inbox(org["sdo"])

    travel.move_to(ist(2026, 12, 6, 10, 0))
    [breach] = services.sweep_breaches()
    assert breach.escalated_to_role == "ee"
    item.refresh_from_db()
    assert item.due_at == ist(2026, 12, 9, 23, 59, 59)  # EE: 3 working days from Sunday
    travel.move_to(ist(2026, 12, 10, 9, 0))
    assert services.sweep_breaches()[0].escalated_to_role == "se"
    travel.move_to(ist(2026, 12, 17, 9, 0))
    top = [b for b in services.sweep_breaches() if b.rule != "total"]
    assert [b.rule for b in top] == ["top"]
    travel.move_to(ist(2026, 12, 18, 9, 0))
    assert services.sweep_breaches() == []
    item.refresh_from_db()
    assert item.escalation_level == 3 and item.escalated_to_role == "se"
    assert item.events.filter(kind=EventKind.TOTAL_BREACH).count() == 1  # 15 days passed on 13 Dec
    assert item.events.filter(kind=EventKind.ESCALATION).count() == 3
    assert item in selectors.breaches_for(org["se"])
    assert item not in selectors.breaches_for(org["other_je"])


def test_sweep_across_the_year_end_and_a_state_holiday(process, org, travel):
    travel.move_to(ist(2026, 12, 30, 16, 0))  # Wednesday
    Holiday.objects.create(date=datetime.date(2027, 1, 1), name="New Year")
    item = opened(org)
    # Thu 31 (1), Fri 1 Jan holiday, Sat 2 (2), Sun off, Mon 4 (3).
    assert item.due_at == ist(2027, 1, 4, 23, 59, 59)
    travel.move_to(ist(2027, 1, 4, 23, 59, 59))
    assert services.sweep_breaches() == []  # not yet past
    travel.move_to(ist(2027, 1, 5, 0, 0, 1))
    assert [b.rule for b in services.sweep_breaches()] == ["escalate"]


def test_a_deemed_approval_is_taken_by_the_system(process, org, travel):
    item = opened(org)
    services.transition(item, "inspect", by=org["je"])
    services.transition(item, "inspected", by=None)  # verified on Sat 28 Nov: due Tue 1 Dec
    travel.move_to(ist(2026, 12, 2, 0, 1))
    [breach] = services.sweep_breaches()
    assert (breach.rule, breach.action_taken) == ("deem_approved", "approve")
    item.refresh_from_db()
    assert item.outcome == "approved"
    deemed = item.events.filter(kind=EventKind.TRANSITION).last()
    assert deemed.by is None and deemed.data["deemed"] is True and "Deemed" in deemed.reason
    assert services.sweep_breaches() == []


def test_a_notify_breach_is_recorded_once_and_signalled(process, org, travel):
    from urja.workflow.signals import item_breached

    received = []

    def receiver(sender, item, breach, **kwargs):
        received.append((item.reference, breach.rule))

    item_breached.connect(receiver)
    try:
        item = opened(org)
        services.transition(item, "send_back", by=org["je"], reason="Photo missing")  # due Mon 30 Nov
        travel.move_to(ist(2026, 12, 1, 0, 0, 5))
        assert [b.rule for b in services.sweep_breaches()] == ["notify"]
        assert services.sweep_breaches() == []
    finally:
        item_breached.disconnect(receiver)
    assert received == [(item.reference, "notify")]
    item.refresh_from_db()
    assert item.state == "returned" and item.events.filter(kind=EventKind.BREACH).count() == 1
    # Resubmitted, the item gets a fresh clock and no escalation.
    services.transition(item, "resubmit", by=org["je"])
    assert item.due_at > ist(2026, 12, 1, 0, 0, 5) and item.escalation_level == 0


def test_the_sweep_command(process, org, travel):
    from io import StringIO

    from django.core.management import call_command

    opened(org)
    travel.move_to(ist(2026, 12, 3, 8, 0))
    out = StringIO()
    call_command("workflow", "sweep", stdout=out)
    assert "TP-2026-000001" in out.getvalue() and "Breaches handled: 1" in out.getvalue()
    out = StringIO()
    call_command("workflow", "sweep", stdout=out)
    assert "Breaches handled: 0" in out.getvalue()


def test_the_beat_task_is_scheduled():
    from django.conf import settings

    from urja.workflow.tasks import sweep_breaches

    entry = settings.CELERY_BEAT_SCHEDULE["workflow-sweep-breaches"]
    assert entry["task"] == sweep_breaches.name == "urja.workflow.sweep_breaches"


# --- work orders -------------------------------------------------------------------------------------


def make_order(org, **kwargs):
    return services.work_order_create(
        "disconnection", office=org["dc"], reason="Dues unpaid after notice", by=org["je"], **kwargs
    )


def test_a_work_order_needs_a_reason_and_a_known_kind(org):
    for reason in ("", "  "):
        with pytest.raises(WorkOrderRefused, match="reason"):
            services.work_order_create("disconnection", office=org["dc"], reason=reason, by=org["je"])
    with pytest.raises(WorkOrderRefused):
        services.work_order_create("demolition", office=org["dc"], reason="x", by=org["je"])
    with pytest.raises(WorkOrderRefused, match="office"):
        services.work_order_create("disconnection", office=org["other_dc"], reason="x", by=org["je"])
    with pytest.raises(WorkOrderRefused, match="role"):
        services.work_order_create("disconnection", office=org["dc"], reason="x", by=org["cashier"])
    assert WorkOrder.objects.count() == 0


def test_assignment_goes_to_a_lineman_or_je_of_the_office(org):
    order = make_order(org)
    for to in (org["other_lineman"], org["cashier"], org["sdo"]):
        with pytest.raises(WorkOrderRefused):
            services.work_order_assign(order, to=to, by=org["je"])
    with pytest.raises(WorkOrderRefused):
        services.work_order_assign(order, to=org["lineman"], by=org["other_je"])
    with pytest.raises(WorkOrderRefused):
        services.work_order_assign(order, to=org["lineman"], by=org["lineman"])
    order.refresh_from_db()
    assert order.status == WorkOrderStatus.OPEN and order.assigned_to is None
    services.work_order_assign(order, to=org["lineman"], by=org["sdo"])
    assert order.status == WorkOrderStatus.ASSIGNED and order.assigned_to == org["lineman"]
    assert list(selectors.assigned_work_orders(org["lineman"])) == [order]


def test_completion_is_idempotent_by_key(org):
    order = make_order(org, assigned_to=org["lineman"])
    result = {
        "readings": [{"register": "kwh", "value": "1234.5"}],
        "photos": ["p1"],
        "remarks": "cut at pole",
    }
    done = services.work_order_complete(order, by=org["lineman"], key="retry-me", result=result)
    first = (done.status, done.completed_at, done.result, done.updated_at)
    again = services.work_order_complete(
        WorkOrder.objects.get(pk=order.pk), by=org["lineman"], key="retry-me", result={"remarks": "changed"}
    )
    assert (again.status, again.completed_at, again.result, again.updated_at) == first
    with pytest.raises(WorkOrderRefused, match="already"):
        services.work_order_complete(order, by=org["lineman"], key="another", result=result)
    order.refresh_from_db()
    assert order.result["remarks"] == "cut at pole" and order.completion_key == "retry-me"


def test_completion_refusals(org):
    order = make_order(org, assigned_to=org["lineman"])
    with pytest.raises(WorkOrderRefused, match="key"):
        services.work_order_complete(order, by=org["lineman"], key="", result={})
    with pytest.raises(WorkOrderRefused):
        services.work_order_complete(order, by=org["other_lineman"], key="k", result={})
    with pytest.raises(WorkOrderRefused, match="GPS"):
        services.work_order_complete(order, by=org["lineman"], key="k", result={"gps": {"lat": 95, "lon": 0}})
    with pytest.raises(WorkOrderRefused, match="reading"):
        services.work_order_complete(order, by=org["lineman"], key="k", result={"readings": [{"value": ""}]})
    other = make_order(org)
    services.work_order_complete(other, by=org["je"], key="used", result={})  # an officer may complete it
    with pytest.raises(WorkOrderRefused, match="another work order"):
        services.work_order_complete(order, by=org["lineman"], key="used", result={})
    order.refresh_from_db()
    assert order.status == WorkOrderStatus.ASSIGNED


def test_cancel_needs_a_reason_and_closes_the_order(org):
    order = make_order(org)
    with pytest.raises(WorkOrderRefused, match="reason"):
        services.work_order_cancel(order, by=org["je"], reason=" ")
    services.work_order_cancel(order, by=org["je"], reason="Paid in full")
    assert order.status == WorkOrderStatus.CANCELLED
    with pytest.raises(WorkOrderRefused, match="cancelled"):
        services.work_order_complete(order, by=org["lineman"], key="k", result={})


def test_registering_checks_the_definition():
    import dataclasses

    from urja.domain.workflow import DefinitionError

    from .definitions import TEST_PROCESS

    with pytest.raises(DefinitionError):
        registry.register(dataclasses.replace(TEST_PROCESS, code="broken", start="nowhere"))
    registry.register(TEST_PROCESS)
    try:
        registry.register(TEST_PROCESS)  # again, unchanged: fine
        with pytest.raises(ValueError, match="new version"):
            registry.register(dataclasses.replace(TEST_PROCESS, title="Changed"))
        v2 = dataclasses.replace(TEST_PROCESS, version=2, title="Changed")
        registry.register(v2)
        assert registry.definition("wftest") is v2
        assert registry.definition("wftest", 1) is TEST_PROCESS
    finally:
        registry.unregister("wftest")


def test_inbox_is_sorted_by_time_left_and_scoped(process, org, travel):
    late = opened(org)
    travel.move_to(ist(2026, 11, 30, 10, 0))
    early_due = opened(org)
    services.transition(early_due, "send_back", by=org["je"], reason="x")  # due 2 Dec end (2 days)
    inbox = list(selectors.inbox(org["je"]))
    assert inbox == [early_due, late] or inbox == [late, early_due]
    assert inbox[0].due_at <= inbox[1].due_at
    assert list(selectors.inbox(org["other_je"])) == []
    assert list(selectors.inbox(org["cashier"])) == []
    assert WorkItem.objects.count() == 2


def test_an_escalation_rung_counts_its_working_days_past_holidays(process, org, travel):
    Holiday.objects.create(date=datetime.date(2026, 12, 4), name="State holiday")
    Holiday.objects.create(
        date=datetime.date(2026, 12, 5), name="Local holiday", office=org[OfficeLevel.DIVISION]
    )
    item = opened(org)  # due Wed 2 Dec
    travel.move_to(ist(2026, 12, 3, 0, 0, 30))  # Thursday
    assert [b.escalated_to_role for b in services.sweep_breaches()] == ["sdo"]
    item.refresh_from_db()
    # SDO's 2 working days: Fri 4 and Sat 5 are holidays, Sun 6 off: Mon 7 and Tue 8.
    assert item.due_at == ist(2026, 12, 8, 23, 59, 59)


def test_breach_counts_per_office(process, org, travel):
    opened(org)
    opened(org)
    services.start("wftest", office=org["other_dc"], by=org["other_je"])
    travel.move_to(ist(2026, 12, 3, 9, 0))
    counts = {row["office__code"]: row["count"] for row in selectors.breach_counts(org["sdo"])}
    assert counts == {org["dc"].code: 2, org["other_dc"].code: 1}
    assert {row["office__code"] for row in selectors.breach_counts(org["je"])} == {org["dc"].code}


def test_side_effects_wait_for_the_commit_and_a_failing_hook_changes_nothing(
    org, django_capture_on_commit_callbacks
):
    from django.db import transaction

    from .definitions import TEST_PROCESS

    sent = []

    def on_enter(item, event):
        if event.action == "send_back":
            transaction.on_commit(lambda: sent.append(item.reference))
        if event.action == "resubmit":
            raise RuntimeError("the process failed")

    registry.register(TEST_PROCESS, on_enter=on_enter)
    try:
        item = opened(org)
        with django_capture_on_commit_callbacks(execute=True) as callbacks:
            services.transition(item, "send_back", by=org["je"], reason="x")
            assert sent == []  # not before the commit
        assert len(callbacks) == 1 and sent == [item.reference]
        before = snapshot(item)
        with pytest.raises(RuntimeError):
            services.transition(item, "resubmit", by=org["je"])
        assert snapshot(item) == before
    finally:
        registry.unregister(TEST_PROCESS.code)


def test_an_order_without_an_item_calls_the_hooks_of_its_kind_once(org):
    seen = []

    def hook(order):
        seen.append((order.reference, order.result["remarks"]))

    registry.on_order_kind_done("disconnection", hook)
    registry.on_order_kind_done("disconnection", hook)  # a re-run ready() adds it once
    try:
        order = make_order(org, assigned_to=org["lineman"])
        assert order.item_id is None and order.kind == "disconnection"
        services.work_order_complete(order, by=org["lineman"], key="k1", result={"remarks": "cut"})
        services.work_order_complete(order, by=org["lineman"], key="k1", result={"remarks": "cut"})  # retry
        assert seen == [(order.reference, "cut")]
    finally:
        registry.forget_order_kind_hook("disconnection", hook)


def test_a_breach_is_told_by_sms_to_the_officers_who_must_act_now(process, org, travel):
    from urja.notifications.models import OutboundMessage

    org["sdo"].mobile, org["sdo"].preferred_language = "9811100001", "en"
    org["sdo"].save()
    org["je"].mobile = "9811100002"
    org["je"].save()
    item = opened(org)
    travel.move_to(ist(2026, 12, 3, 0, 0, 30))
    services.sweep_breaches()
    services.sweep_breaches()  # a second sweep tells nobody again
    [sms] = OutboundMessage.objects.filter(template="sla_breach")
    assert sms.to == "9811100001"  # escalated to the SDO: the SDO hears of it, not the JE
    assert (
        sms.body
        == f"Urja: {item.reference} at {org['dc'].code} is past its time limit of 02-12-2026 23:59. Please act now."
    )


def test_the_applicants_wait_does_not_count_against_the_whole_process(process, org, travel):
    item = opened(org)
    assert item.total_due_at == ist(2026, 12, 13, 23, 59, 59)
    services.transition(item, "send_back", by=org["je"], reason="Photo missing")
    travel.move_to(ist(2026, 12, 20, 12, 0))  # a week past the whole process's due time, still sent back
    assert [b.rule for b in services.sweep_breaches() if b.rule == "total"] == []
    item.refresh_from_db()
    assert item.total_breached_at is None
    sent_back = item.state_entered_at
    services.transition(item, "resubmit", by=org["je"])
    item.refresh_from_db()
    assert item.total_due_at == ist(2026, 12, 13, 23, 59, 59) + (item.state_entered_at - sent_back)
    assert item.total_due_at > clock.now()
    assert [b.rule for b in services.sweep_breaches() if b.rule == "total"] == []
