"""Demo step (settings.URJA_DEMO_STEPS): route books for the demo's meter readers over their
distribution centres' consumers, in walk order (village, address), with this month's reading orders.
Lives here, not in urja.demo, because the demo layer sits below the field app. Idempotent."""

from __future__ import annotations

from urja.common import clock
from urja.customers.choices import UNMETERED_CATEGORIES, ConsumerStatus
from urja.customers.models import Consumer
from urja.org.choices import OfficeLevel, Role
from urja.org.models import User

from .models import RouteBook, RouteStop
from .services import reading_orders_build, route_book_create, route_stops_set

#: Stops per demo route book (a day or two of walking).
STOPS_PER_BOOK = 120


def demo_route_books(command=None) -> int:
    """Give each demo meter reader the route books of their distribution centre; returns the books made."""
    out = command.stdout.write if command is not None else print
    period = f"{clock.today():%Y-%m}"
    made = 0
    readers = list(
        User.objects.filter(role=Role.METER_READER, is_active=True, office__level=OfficeLevel.DC)
        .select_related("office")
        .order_by("office__code", "username")
    )
    by_dc: dict[int, list[User]] = {}
    for reader in readers:
        by_dc.setdefault(reader.office_id, []).append(reader)
    system = None  # the demo acts as the system, not as an officer
    for dc_readers in by_dc.values():
        dc = dc_readers[0].office
        if RouteBook.objects.filter(office=dc).exists():
            continue
        consumers = list(
            Consumer.objects.filter(
                office=dc, status__in=[ConsumerStatus.ACTIVE, ConsumerStatus.TEMP_DISCONNECTED]
            )
            .exclude(category__in=sorted(UNMETERED_CATEGORIES))
            .exclude(pk__in=RouteStop.objects.values("consumer_id"))
            .order_by("village_town", "address", "account_number")
        )
        for index in range(0, len(consumers), STOPS_PER_BOOK):
            number = index // STOPS_PER_BOOK + 1
            book = route_book_create(
                office=dc, code=f"RB-{dc.code}-{number:02d}", name=f"{dc.name} {number}", by=system
            )
            route_stops_set(book=book, consumers=consumers[index : index + STOPS_PER_BOOK], by=system)
            reader = dc_readers[(number - 1) % len(dc_readers)]
            RouteBook.objects.filter(pk=book.pk).update(reader=reader)
            book.reader = reader
            reading_orders_build(book=book, period=period, by=system)
            made += 1
    if made:
        out(f"Made {made} route books for the meter readers, with reading orders for {period}.")
    return made
