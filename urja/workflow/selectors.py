"""Reads of the workflow engine, scoped to the user (`org.selectors.office_q`)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet

from urja.common import clock
from urja.common.errors import NotFound
from urja.org.selectors import office_q

from . import registry
from .choices import WorkOrderStatus
from .models import WorkEvent, WorkItem, WorkOrder
from .services import sla_due


def items_for(user) -> QuerySet[WorkItem]:
    return WorkItem.objects.filter(office_q(user)).select_related("office", "consumer")


def item_for(user, pk) -> WorkItem:
    """One item the user may see; `NotFound` for another office's (or no such) item."""
    item = items_for(user).filter(pk=pk).first()
    if item is None:
        raise NotFound("No such work item")
    return item


def timeline(item: WorkItem) -> QuerySet[WorkEvent]:
    return item.events.select_related("by").order_by("at", "id")


def _actionable_q(user) -> Q:
    """Open items in a state where `user`'s role has a (non-system) action, or escalated to it."""
    q = Q(escalated_to_role=user.role)
    for defn in registry.definitions():
        states = {
            state
            for action in defn.actions
            if not action.system_only and (user.is_superuser or user.role in action.roles)
            for state in action.from_states
        }
        if states:
            q |= Q(definition_code=defn.code, definition_version=defn.version, state__in=sorted(states))
    return q


def inbox(user) -> QuerySet[WorkItem]:
    """The officer's open items — those they may act on or that were escalated to their role — the
    least time left first (overdue at the top), items with no due time last."""
    return (
        items_for(user)
        .filter(closed_at__isnull=True)
        .filter(_actionable_q(user))
        .order_by("due_at", "opened_at", "pk")
    )


def breaches_q(now=None) -> Q:
    now = now or clock.now()
    return Q(closed_at__isnull=True) & (Q(due_at__lt=now) | Q(total_breached_at__isnull=False))


def breaches_for(user, now=None) -> QuerySet[WorkItem]:
    """Open items of the user's offices past their SLA (the state's or the whole process's)."""
    return items_for(user).filter(breaches_q(now)).order_by("due_at", "pk")


def breach_counts(user, now=None) -> list[dict]:
    """How many open items are past their SLA in each of the user's offices (office code, name, count),
    the most first."""
    return list(
        breaches_for(user, now)
        .order_by()
        .values("office__code", "office__name", "office__name_hi")
        .annotate(count=Count("pk"))
        .order_by("-count", "office__code")
    )


def breaches_for_office(office, now=None) -> QuerySet[WorkItem]:
    """Open items of `office` and the offices under it past their SLA."""
    return (
        WorkItem.objects.filter(office__path__startswith=office.path)
        .filter(breaches_q(now))
        .select_related("office")
        .order_by("due_at", "pk")
    )


def work_orders_for(user) -> QuerySet[WorkOrder]:
    return WorkOrder.objects.filter(office_q(user)).select_related(
        "office", "consumer", "assigned_to", "item"
    )


def work_order_for(user, pk) -> WorkOrder:
    order = work_orders_for(user).filter(pk=pk).first()
    if order is None:
        raise NotFound("No such work order")
    return order


def assigned_work_orders(user) -> QuerySet[WorkOrder]:
    """Open orders assigned to `user` (the field app's list), soonest due first."""
    return (
        WorkOrder.objects.filter(assigned_to=user, status=WorkOrderStatus.ASSIGNED)
        .filter(office_q(user))
        .select_related("office", "consumer", "item")
        .order_by("due_at", "pk")
    )


def items_of_consumer(consumer, codes=None) -> QuerySet[WorkItem]:
    """The requests of one account (the portal's "My requests"), newest first."""
    items = WorkItem.objects.filter(consumer=consumer)
    if codes is not None:
        items = items.filter(definition_code__in=list(codes))
    return items.order_by("-opened_at", "-id")


@dataclass(frozen=True)
class Step:
    """One state of an item as the applicant sees it: done (with when), current (due by) or ahead
    (expected by, projected from the current step's due time and each later state's SLA)."""

    code: str
    title: str
    status: str  # "done", "current", "ahead"
    at: datetime.datetime | None  # done: when it was left; current: since when
    due_at: datetime.datetime | None  # current: its SLA due time; ahead: the expected time


def _title(state, language: str) -> str:
    return state.title_hi if language.startswith("hi") and state.title_hi else state.title


def progress(item: WorkItem, *, language: str = "en", ahead: bool = True) -> list[Step]:
    """Each step of `item` with its due date: the states it went through (from its events), the one it
    is in, and — unless it has ended — the states still ahead on the main path (by the definition's
    order, leaving out side states such as "sent back" or "rejected" it has not been in). `ahead=False`
    leaves the states ahead out (a list of requests needs only where each one is)."""
    defn = registry.definition(item.definition_code, item.definition_version)
    events = sorted(item.events.all(), key=lambda e: (e.at, e.pk))  # uses prefetched events when there are
    visited: list[tuple[str, datetime.datetime]] = []
    for event in events:
        if event.to_state and (not visited or visited[-1][0] != event.to_state):
            visited.append((event.to_state, event.at))
    steps: list[Step] = []
    for index, (code, _at) in enumerate(visited[:-1]):
        steps.append(Step(code, _title(defn.state(code), language), "done", visited[index + 1][1], None))
    current = defn.state(item.state)
    steps.append(
        Step(
            item.state,
            _title(current, language),
            "done" if current.end else "current",
            item.state_entered_at,
            None if current.end else item.due_at,
        )  # fmt: skip
    )
    if current.end or not ahead:
        return steps
    seen = {code for code, _at in visited}
    codes = list(defn.states)
    expected = item.due_at or clock.now()
    side = {a.to_state for a in defn.actions if a.needs_reason}
    for code in codes[codes.index(item.state) + 1 :]:
        state = defn.state(code)
        if code in seen or code in side or (state.end and code != _final_state(defn)):
            continue
        expected = sla_due(expected, state.sla, item.office) or expected
        steps.append(Step(code, _title(state, language), "ahead", None, expected))
    return steps


def _final_state(defn) -> str:
    """The end state the main path leads to: the first end state in the definition's order."""
    return next(code for code, state in defn.states.items() if state.end)
