"""Reads of the field app: the book a reader's device downloads, and the supervisor's views (progress,
unbilled accounts, the queue, the GPS plot, the re-check sample). Every read is office-scoped."""

from __future__ import annotations

import datetime
import math
import random
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db.models import Count, Q, QuerySet

from urja.billing.choices import BillStatus
from urja.billing.models import Bill
from urja.billing.spot import ENGINE_VERSION, device_bill_inputs, spot_cycle, tariffs_for_device
from urja.common import clock
from urja.customers.models import Consumer
from urja.ledger.selectors import balances
from urja.metering.choices import ReadingStatus
from urja.metering.models import MeterInstallation, Reading
from urja.org import roles
from urja.org.choices import Role
from urja.org.selectors import office_q
from urja.payments.cashbooks import spot_receipt_next, spot_receipt_prefix
from urja.workflow.selectors import assigned_work_orders

from .models import BillMismatch, Conflict, OrderStatus, Photo, ReadingOrder, RouteBook

FIELD_ROLES = frozenset({Role.METER_READER, Role.LINEMAN})
#: Coverage a route should reach in its window (issue 11).
COVERAGE_TARGET = Decimal("99")


def far_metres_setting() -> int:
    """Readings taken farther than this from the consumer's recorded location are flagged (metres;
    settings.URJA_FIELD["FAR_METRES"], 200 by default)."""
    return int(getattr(settings, "URJA_FIELD", {}).get("FAR_METRES", 200))


def may_download(user) -> bool:
    return bool(user.is_authenticated and (user.role in FIELD_ROLES or user.can(roles.SUPERVISE_FIELD)))


def mask_mobile(mobile: str) -> str:
    return ("*" * 6 + mobile[-4:]) if mobile else ""


def current_period(today: datetime.date | None = None) -> str:
    day = today or clock.today()
    return f"{day:%Y-%m}"


def _meter(installation: MeterInstallation | None) -> dict[str, Any] | None:
    if installation is None:
        return None
    meter = installation.meter
    return {
        "serial": meter.serial,
        "digits": meter.digits,
        "multiplier": f"{meter.multiplying_factor.normalize():f}",
        "md": meter.phase == 3,
        "kvah": meter.has_kvah,
    }


def _plain(value: Decimal | None) -> str | None:
    return None if value is None else f"{value.normalize():f}"


def _last_reading(reading: Reading | None) -> dict[str, Any] | None:
    if reading is None:
        return None
    return {
        "date": reading.reading_date.isoformat(),
        "kwh": _plain(reading.kwh),
        "kvah": _plain(reading.kvah),
        "status": reading.status,
    }


def _per_consumer(consumers: list[Consumer]) -> dict[str, dict[int, Any]]:
    ids = [c.pk for c in consumers]
    installations = {
        i.consumer_id: i
        for i in MeterInstallation.objects.filter(
            consumer_id__in=ids, removed_on__isnull=True
        ).select_related("meter")
    }
    last: dict[int, Reading] = {}
    for reading in Reading.objects.filter(consumer_id__in=ids).order_by(
        "consumer_id", "-reading_date", "-id"
    ):
        last.setdefault(reading.consumer_id, reading)
    history: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for cid, period, units, status in (
        Bill.objects.filter(consumer_id__in=ids)
        .exclude(status=BillStatus.CANCELLED)
        .order_by("consumer_id", "-period")
        .values_list("consumer_id", "period", "units", "reading_status")
    ):
        if len(history[cid]) < 12:
            history[cid].append({"period": period, "units": _plain(units), "status": status or ""})
    return {"installations": installations, "last": last, "history": history}


def _average(history: list[dict[str, Any]]) -> str | None:
    actual = [
        Decimal(h["units"]) for h in history if h["units"] is not None and h["status"] in ("OK", "ADF")
    ][:3]
    if not actual:
        return None
    return f"{(sum(actual) / len(actual)).quantize(Decimal('1'))}"


def book_for(user) -> dict[str, Any]:
    """The signed-in reader's book: their assigned books' open reading orders (walk order), their
    open work orders, and what the device needs to bill offline (contract: FIELD_CONTRACT.md)."""
    today = clock.today()
    orders = list(
        ReadingOrder.objects.filter(reader=user, book__reader=user, status=OrderStatus.OPEN)
        .filter(office_q(user, "consumer__office"))
        .select_related("book", "consumer")
        .order_by("book__code", "period", "seq")
    )
    books: dict[tuple[int, str], dict[str, Any]] = {}
    for order in orders:
        key = (order.book_id, order.period)
        if key not in books:
            start = spot_cycle(order.period, today).period_start
            end = start + datetime.timedelta(days=order.book.window_days - 1)
            books[key] = {
                "id": order.book_id,
                "code": order.book.code,
                "name": order.book.name,
                "period": order.period,
                "window": [start.isoformat(), end.isoformat()],
            }
    consumers = [o.consumer for o in orders]
    extra = _per_consumer(consumers)
    dues = balances([c.pk for c in consumers], today)
    inputs: dict[int, dict[str, Any]] = {}
    for period in sorted({o.period for o in orders}):
        inputs.update(device_bill_inputs([o.consumer for o in orders if o.period == period], period, today))
    stops = []
    for order in orders:
        consumer = order.consumer
        history = extra["history"].get(consumer.pk, [])
        stops.append(
            {
                "order_id": order.pk,
                "book_id": order.book_id,
                "seq": order.seq,
                "account_number": consumer.account_number,
                "name": consumer.name,
                "address": consumer.address,
                "village": consumer.village_town,
                "mobile": mask_mobile(consumer.mobile),
                "category": consumer.category,
                "status": "connected" if consumer.status == "active" else "disconnected",
                "meter": _meter(extra["installations"].get(consumer.pk)),
                "last_reading": _last_reading(extra["last"].get(consumer.pk)),
                "history": history,
                "average_units": _average(history),
                "arrears": f"{max(dues.get(consumer.pk, Decimal('0')), Decimal('0')):.2f}",
                "location": (
                    {"lat": _plain(consumer.latitude), "lon": _plain(consumer.longitude)}
                    if consumer.latitude is not None and consumer.longitude is not None
                    else None
                ),
                "bill_input": inputs[consumer.pk],
            }
        )
    work_orders = []
    for wo in assigned_work_orders(user):
        consumer = wo.consumer
        installation = None
        reading = None
        if consumer is not None:
            more = _per_consumer([consumer])
            installation, reading = more["installations"].get(consumer.pk), more["last"].get(consumer.pk)
        work_orders.append(
            {
                "id": wo.pk,
                "reference": wo.reference,
                "kind": wo.kind,
                "account_number": consumer.account_number if consumer else "",
                "name": consumer.name if consumer else "",
                "address": consumer.address if consumer else "",
                "reason": wo.reason,
                "due_at": wo.due_at.isoformat() if wo.due_at else None,
                "meter": _meter(installation),
                "last_reading": _last_reading(reading),
            }
        )
    return {
        "downloaded_at": clock.now().isoformat(),
        "reader": {
            "username": user.username,
            "name": user.get_full_name() or user.username,
            "office": user.office.code if user.office_id else "",
        },
        "engine": {"python_version": ENGINE_VERSION},
        "tariffs": tariffs_for_device(),
        "books": list(books.values()),
        "stops": stops,
        "work_orders": work_orders,
        "receipts": {"prefix": spot_receipt_prefix(user), "next": spot_receipt_next(user)},
        "_orders": orders,
    }


# -------------------------------------------------------------------------------------- supervisor


def books_for(user) -> QuerySet[RouteBook]:
    return RouteBook.objects.filter(office_q(user)).select_related("office", "reader")


def readers_for(user):
    from urja.org.models import User

    return (
        User.objects.filter(office_q(user), role=Role.METER_READER, is_active=True)
        .select_related("office")
        .order_by("username")
    )


@dataclass
class ReaderProgress:
    reader: Any
    orders: int
    read: int
    not_read: int
    locked: int
    defective: int
    conflict: int

    @property
    def coverage(self) -> Decimal:
        return (
            (Decimal(100) * self.read / self.orders).quantize(Decimal("0.1")) if self.orders else Decimal("0")
        )

    @property
    def on_target(self) -> bool:
        return self.coverage >= COVERAGE_TARGET


def progress(user, period: str) -> list[ReaderProgress]:
    """Per reader: orders of the period read, not read, door locked (NA), defective (IDF/RDF/NM)."""
    orders = ReadingOrder.objects.filter(office_q(user, "book__office"), period=period)
    rows = (
        orders.values("reader_id")
        .annotate(
            total=Count("id"),
            read=Count("id", filter=Q(status=OrderStatus.DONE)),
            not_read=Count("id", filter=Q(status=OrderStatus.OPEN)),
            conflict=Count("id", filter=Q(status=OrderStatus.CONFLICT)),
            locked=Count("id", filter=Q(reading__status=ReadingStatus.NA)),
            defective=Count(
                "id", filter=Q(reading__status__in=[ReadingStatus.IDF, ReadingStatus.RDF, ReadingStatus.NM])
            ),
        )
        .order_by("reader_id")
    )
    from urja.org.models import User

    people = {u.pk: u for u in User.objects.filter(pk__in=[r["reader_id"] for r in rows if r["reader_id"]])}
    return [
        ReaderProgress(
            reader=people.get(r["reader_id"]),
            orders=r["total"],
            read=r["read"],
            not_read=r["not_read"],
            locked=r["locked"],
            defective=r["defective"],
            conflict=r["conflict"],
        )
        for r in rows
    ]


def unbilled(user, period: str) -> QuerySet[ReadingOrder]:
    """Orders of the period whose account has no bill for it yet."""
    billed = Bill.objects.filter(period=period).exclude(status=BillStatus.CANCELLED).values("consumer_id")
    return (
        ReadingOrder.objects.filter(office_q(user, "book__office"), period=period)
        .exclude(consumer_id__in=billed)
        .select_related("book", "consumer", "reader")
        .order_by("book__code", "seq")
    )


def conflicts_for(user) -> QuerySet[Conflict]:
    return Conflict.objects.filter(office_q(user)).select_related("user", "consumer", "order")


def mismatches_for(user) -> QuerySet[BillMismatch]:
    return BillMismatch.objects.filter(office_q(user)).select_related("user", "bill", "order__consumer")


def photo_for(user, photo_uuid) -> Photo | None:
    return (
        Photo.objects.filter(uuid=photo_uuid)
        .filter(Q(office_q(user, "order__book__office")) | Q(office_q(user, "office")))
        .first()
    )


def distance_m(lat1: Decimal, lon1: Decimal, lat2: Decimal, lon2: Decimal) -> float:
    """Great-circle distance in metres (haversine; a plot's scale, not money)."""
    p1, p2 = math.radians(float(lat1)), math.radians(float(lat2))
    dp, dl = p2 - p1, math.radians(float(lon2) - float(lon1))
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6_371_000 * math.asin(math.sqrt(a))


@dataclass
class PlotPoint:
    order: ReadingOrder
    distance: float | None
    far: bool
    x: float = 0
    y: float = 0
    hx: float = 0
    hy: float = 0


def gps_plot(user, period: str, far_metres: int | None = None, size: int = 320) -> dict[str, Any]:
    """Readings of the period with a GPS position, against each consumer's recorded location, scaled
    into a `size` square (an inline SVG: no tile service). Far ones are flagged."""
    far_metres = far_metres if far_metres is not None else far_metres_setting()
    orders = list(
        ReadingOrder.objects.filter(office_q(user, "book__office"), period=period, gps_lat__isnull=False)
        .select_related("consumer", "reader")
        .order_by("book__code", "seq")
    )
    points = []
    coords = []
    for order in orders:
        c = order.consumer
        home = c.latitude is not None and c.longitude is not None
        dist = distance_m(order.gps_lat, order.gps_lon, c.latitude, c.longitude) if home else None
        points.append(PlotPoint(order, dist, dist is not None and dist > far_metres))
        coords.append((float(order.gps_lat), float(order.gps_lon)))
        if home:
            coords.append((float(c.latitude), float(c.longitude)))
    if coords:
        lats, lons = [c[0] for c in coords], [c[1] for c in coords]
        span = max(max(lats) - min(lats), max(lons) - min(lons), 1e-4)
        pad = 12

        def place(lat: float, lon: float) -> tuple[float, float]:
            return (
                round(pad + (lon - min(lons)) / span * (size - 2 * pad), 1),
                round(pad + (max(lats) - lat) / span * (size - 2 * pad), 1),
            )

        for point in points:
            point.x, point.y = place(float(point.order.gps_lat), float(point.order.gps_lon))
            c = point.order.consumer
            if c.latitude is not None and c.longitude is not None:
                point.hx, point.hy = place(float(c.latitude), float(c.longitude))
            else:
                point.hx, point.hy = point.x, point.y
    return {"points": points, "size": size, "far_metres": far_metres, "far": [p for p in points if p.far]}


def recheck_sample(user, period: str, percent: int = 1) -> list[ReadingOrder]:
    """A random `percent`% (at least one) of the period's read orders, the same on every call for a
    period and office (the seed is the period and office), for a second reading."""
    done = list(
        ReadingOrder.objects.filter(office_q(user, "book__office"), period=period, status=OrderStatus.DONE)
        .select_related("consumer", "reader", "reading")
        .order_by("pk")
    )
    if not done:
        return []
    office = user.office.code if user.office_id else "*"
    rng = random.Random(f"{period}:{office}")
    count = max(1, math.ceil(len(done) * percent / 100))
    return sorted(rng.sample(done, count), key=lambda o: o.pk)
