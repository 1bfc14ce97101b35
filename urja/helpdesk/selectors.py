"""Reads on tickets: office-scoped lists, one ticket (404 outside one's offices), the consumer's view
of a timeline, and the filed / pending / resolved / overdue report."""

from __future__ import annotations

import datetime
import statistics
from collections import defaultdict
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import QuerySet

from urja.common import clock
from urja.common.errors import NotFound
from urja.org.selectors import scope_for_user

from .choices import THEFT_REPORT, TicketStatus
from .models import Category, Ticket, TicketEvent


def categories() -> QuerySet[Category]:
    return Category.objects.filter(active=True)


def categories_for_portal() -> QuerySet[Category]:
    """What a signed-in consumer complains of; theft has its own page (it may be anonymous)."""
    return categories().exclude(code=THEFT_REPORT)


def ticket_status_for_number(number: str) -> Ticket:
    """A ticket found by its number alone (the tracking page, for a reporter with no account): the
    caller shows only its status and due time, never its particulars."""
    ticket = Ticket.objects.select_related("category").filter(number=number.strip().upper()).first()
    if ticket is None:
        raise NotFound("no such ticket")
    return ticket


def tickets_for(user) -> QuerySet[Ticket]:
    return scope_for_user(Ticket.objects.select_related("category", "office", "consumer"), user)


def ticket_get(*, principal, number: str) -> Ticket:
    ticket = tickets_for(principal).filter(number=number).first()
    if ticket is None:
        raise NotFound("no such ticket")
    return ticket


def tickets_of_consumer(consumer) -> QuerySet[Ticket]:
    """The portal's list: the account's own complaints. A theft report's account is the premises
    reported, so theft reports never show there."""
    return (
        Ticket.objects.filter(consumer=consumer)
        .exclude(category__code=THEFT_REPORT)
        .select_related("category")
    )


def ticket_for_consumer(*, consumer, number: str) -> Ticket:
    ticket = tickets_of_consumer(consumer).filter(number=number).first()
    if ticket is None:
        raise NotFound("no such ticket")
    return ticket


def timeline(ticket: Ticket, *, for_consumer: bool) -> QuerySet[TicketEvent]:
    """The ticket's events; the consumer never sees internal notes."""
    events = ticket.events.select_related("by")
    return events.filter(internal=False) if for_consumer else events


def is_overdue(ticket: Ticket, now: datetime.datetime | None = None) -> bool:
    return ticket.status == TicketStatus.OPEN and ticket.due_at < (now or clock.now())


def _hours(delta: datetime.timedelta) -> Decimal:
    return (Decimal(int(delta.total_seconds())) / 3600).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def ticket_report(*, user, start: datetime.date, end: datetime.date) -> list[dict]:
    """Per office and category, for tickets filed from `start` to `end` (local dates, both included):
    filed, pending (open), resolved, overdue (open past due), and hours to resolve (median, mean)."""
    now = clock.now()
    rows = (
        tickets_for(user)
        .filter(
            filed_at__gte=clock.day_start(start),
            filed_at__lt=clock.day_start(end + datetime.timedelta(days=1)),
        )
        .values_list(
            "office__code",
            "office__name",
            "category__code",
            "category__name_en",
            "category__name_hi",
            "status",
            "due_at",
            "filed_at",
            "resolved_at",
        )
    )
    groups: dict[tuple, dict] = defaultdict(
        lambda: {"filed": 0, "pending": 0, "resolved": 0, "overdue": 0, "hours": []}
    )
    names: dict[tuple, tuple] = {}
    for office, office_name, cat, cat_en, cat_hi, status, due, filed, resolved in rows:
        key = (office, cat)
        names[key] = (office_name, cat_en, cat_hi)
        g = groups[key]
        g["filed"] += 1
        if status == TicketStatus.OPEN:
            g["pending"] += 1
            if due < now:
                g["overdue"] += 1
        else:
            g["resolved"] += 1
            g["hours"].append(_hours(resolved - filed))
    result = []
    for key in sorted(groups):
        g = groups[key]
        hours = g.pop("hours")
        office_name, cat_en, cat_hi = names[key]
        result.append(
            {
                "office": key[0],
                "office_name": office_name,
                "category": key[1],
                "category_en": cat_en,
                "category_hi": cat_hi,
                **g,
                "median_hours": statistics.median(hours).quantize(Decimal("0.1")) if hours else None,
                "mean_hours": (sum(hours) / len(hours)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
                if hours
                else None,
            }
        )
    return result
