"""Reads of the workflow engine, scoped to the user (`org.selectors.office_q`)."""

from __future__ import annotations

from django.db.models import Count, Q, QuerySet

from urja.common import clock
from urja.common.errors import NotFound
from urja.org.selectors import office_q

from . import registry
from .choices import WorkOrderStatus
from .models import WorkEvent, WorkItem, WorkOrder


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
