"""Writes of the field app: assigning route books, building reading orders, applying what a device
syncs (readings with their spot bills, spot collections, work orders, print attempts) and photos.

The sync rules (docs/field-sync.md): each item is applied once per client id, under a unique row that
two simultaneous uploads cannot both insert; a repeated id is answered with the first answer. What the
server does not apply as sent (a conflict) is kept whole in `Conflict` for the supervisor; a device bill
that differs from the server's is kept in `BillMismatch`. Nothing the device sent overwrites anything."""

from __future__ import annotations

import datetime
import hashlib
import logging
import re
import uuid as uuidlib
from collections.abc import Mapping
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from urja.billing.models import Bill
from urja.billing.spot import bill_differences, spot_bill
from urja.common import clock
from urja.customers.choices import ConsumerStatus
from urja.customers.models import Consumer
from urja.metering.choices import ENTERED_STATUSES, ReadingSource, ReadingStatus
from urja.metering.models import Reading
from urja.metering.services import reading_record
from urja.org import roles
from urja.org.choices import OfficeLevel, Role
from urja.org.models import Office, User
from urja.org.permissions import user_covers
from urja.payments.cashbooks import spot_payment_take
from urja.payments.models import Payment
from urja.payments.services import PaymentConflict
from urja.workflow.models import WorkOrder
from urja.workflow.services import WorkflowRefused, work_order_complete

from .models import (
    PERIOD_REGEX,
    BillMismatch,
    Conflict,
    ConflictKind,
    OrderDownload,
    OrderStatus,
    Photo,
    PrintAttempt,
    PrintCopy,
    ReadingOrder,
    RouteBook,
    RouteStop,
    SyncItem,
    SyncKind,
    SyncResult,
)

logger = logging.getLogger(__name__)
MAX_ITEMS = 50
PHOTO_MAX_BYTES = 500 * 1024
JPEG_MAGIC = b"\xff\xd8\xff"


class FieldRefused(Exception):
    """An item the server will not apply (answered "rejected" with this text)."""


class FieldConflict(Exception):
    """An item kept for the supervisor instead of applied: recorded once its savepoint is rolled back."""

    def __init__(self, kind: str, detail: str, *, office, order=None, consumer=None):
        super().__init__(detail)
        self.kind, self.detail = kind, detail
        self.office, self.order, self.consumer = office, order, consumer


# ------------------------------------------------------------------------------------- route books


def _check_supervisor(by, office: Office) -> None:
    if by is None or not by.can(roles.SUPERVISE_FIELD):
        raise PermissionDenied(_("Only the JE or SDO of the office assigns route books."))
    if not user_covers(by, office):
        raise PermissionDenied(_("This route book is not in your offices."))


def route_book_create(*, office: Office, code: str, name: str, window_days: int = 10, by=None) -> RouteBook:
    if by is not None:
        _check_supervisor(by, office)
    if office.level != OfficeLevel.DC:
        raise ValidationError({"office": _("A route book belongs to a distribution centre.")})
    book = RouteBook(office=office, code=code, name=name, window_days=window_days)
    book.full_clean()
    book.save()
    return book


def route_stops_set(*, book: RouteBook, consumers: list[Consumer], by=None) -> list[RouteStop]:
    """Put `consumers` on `book` in this walk order (after its present stops)."""
    if by is not None:
        _check_supervisor(by, book.office)
    with transaction.atomic():
        last = book.stops.order_by("-seq").values_list("seq", flat=True).first() or 0
        stops = []
        for offset, consumer in enumerate(consumers, start=1):
            if consumer.office_id != book.office_id:
                raise ValidationError(
                    _("Account %(account)s is not of this distribution centre.")
                    % {"account": consumer.account_number}
                )
            stops.append(RouteStop(book=book, consumer=consumer, seq=last + offset))
        RouteStop.objects.bulk_create(stops)
    return stops


def route_book_assign(*, book: RouteBook, reader: User | None, by) -> RouteBook:
    """Give `book` to `reader` (a meter reader of its distribution centre), or take it back (None). The
    book's open reading orders follow it; a device of the former reader that syncs them meets a
    "reassigned" conflict."""
    _check_supervisor(by, book.office)
    if reader is not None:
        if reader.role != Role.METER_READER or not reader.is_active:
            raise ValidationError({"reader": _("A route book is read by a meter reader.")})
        if reader.office_id is None or not reader.office.contains(book.office):
            raise ValidationError({"reader": _("The meter reader is not of this distribution centre.")})
    with transaction.atomic():
        locked = RouteBook.objects.select_for_update().get(pk=book.pk)
        locked.reader = reader
        locked.save(update_fields=["reader", "updated_at"])
        ReadingOrder.objects.filter(book=locked, status=OrderStatus.OPEN).update(reader=reader)
    book.reader = reader
    return book


def reading_orders_build(*, book: RouteBook, period: str, by=None) -> int:
    """One reading order per stop of `book` for `period` (YYYY-MM), for its reader; an account that
    already has one for the period keeps it. Returns how many were made."""
    if by is not None:
        _check_supervisor(by, book.office)
    if not isinstance(period, str) or not re.match(PERIOD_REGEX, period):
        raise ValidationError({"period": _("Use YYYY-MM.")})
    stops = list(book.stops.select_related("consumer"))
    have = set(
        ReadingOrder.objects.filter(period=period, consumer__in=[s.consumer_id for s in stops]).values_list(
            "consumer_id", flat=True
        )
    )
    made = [
        ReadingOrder(book=book, consumer_id=s.consumer_id, period=period, seq=s.seq, reader=book.reader)
        for s in stops
        if s.consumer_id not in have and s.consumer.status != ConsumerStatus.PERM_DISCONNECTED
    ]
    ReadingOrder.objects.bulk_create(made, ignore_conflicts=True)
    return len(made)


def downloads_record(*, user, orders: list[ReadingOrder]) -> None:
    """What the device was given for each order (the account's category and status now)."""
    now = clock.now()
    existing = {d.order_id: d for d in OrderDownload.objects.filter(user=user, order__in=orders)}
    new, changed = [], []
    for order in orders:
        consumer = order.consumer
        download = existing.get(order.pk)
        if download is None:
            new.append(
                OrderDownload(
                    order=order,
                    user=user,
                    downloaded_at=now,
                    category=consumer.category,
                    status=consumer.status,
                )
            )
        else:
            download.downloaded_at, download.category, download.status = (
                now,
                consumer.category,
                consumer.status,
            )
            changed.append(download)
    OrderDownload.objects.bulk_create(new, ignore_conflicts=True)
    OrderDownload.objects.bulk_update(changed, ["downloaded_at", "category", "status"])


# -------------------------------------------------------------------------------------------- sync


def _text(exc: Exception) -> str:
    if isinstance(exc, ValidationError):
        return " ".join(str(m) for m in exc.messages)
    return str(exc) or exc.__class__.__name__


def sync_batch(*, user, device_id: str, items: list[Any]) -> list[dict[str, Any]]:
    """Apply a device's batch item by item, in order; one answer per item."""
    if not isinstance(items, list) or len(items) > MAX_ITEMS:
        raise ValidationError(_("A batch holds at most %(n)d items.") % {"n": MAX_ITEMS})
    return [sync_item(user=user, device_id=str(device_id or "")[:64], item=item) for item in items]


def _answer(client_id: str, result: str, detail: str, server: Mapping[str, Any]) -> dict[str, Any]:
    return {"client_id": client_id, "result": result, "detail": detail, "server": dict(server)}


def sync_item(*, user, device_id: str, item: Any) -> dict[str, Any]:
    if not isinstance(item, Mapping):
        return _answer("", SyncResult.REJECTED, _("An item must be an object."), {})
    client_id = str(item.get("client_id") or "").strip()
    kind, payload = item.get("kind"), item.get("payload")
    try:
        client_id = str(uuidlib.UUID(client_id))
    except ValueError:
        return _answer(client_id[:64], SyncResult.REJECTED, _("An item needs a client id (a UUID)."), {})
    if kind not in SyncKind.values or not isinstance(payload, Mapping):
        return _answer(client_id, SyncResult.REJECTED, _("Unknown kind of item, or no payload."), {})
    try:
        with transaction.atomic():
            # Inserted first: a simultaneous upload of the same id waits here and then fails the insert.
            record = SyncItem.objects.create(
                client_id=client_id,
                user=user,
                device_id=device_id,
                kind=kind,
                payload=dict(payload),
                result=SyncResult.REJECTED,
                received_at=clock.now(),
            )
            result, detail, server = _apply(user, kind, client_id, payload)
            record.result, record.detail, record.server = result, detail, server
            record.save(update_fields=["result", "detail", "server"])
            return _answer(client_id, result, detail, server)
    except IntegrityError:
        first = SyncItem.objects.filter(client_id=client_id).first()
        if first is None:
            raise
        if first.user_id != user.pk:
            return _answer(client_id, SyncResult.REJECTED, _("This client id was used by someone else."), {})
        return _answer(client_id, SyncResult.DUPLICATE, first.detail, first.server)


def _apply(user, kind: str, client_id: str, payload: Mapping[str, Any]) -> tuple[str, str, dict[str, Any]]:
    handler = {
        SyncKind.READING: _reading,
        SyncKind.PAYMENT: _payment,
        SyncKind.WORK_ORDER: _work_order,
        SyncKind.PRINT: _print,
    }[SyncKind(kind)]
    try:
        with transaction.atomic():
            return handler(user, client_id, payload)
    except FieldConflict as conflict:
        Conflict.objects.create(
            kind=conflict.kind,
            office=conflict.office,
            user=user,
            client_id=client_id,
            order=conflict.order,
            consumer=conflict.consumer,
            payload=dict(payload),
            detail=conflict.detail,
            created_at=clock.now(),
        )
        if conflict.order is not None:
            ReadingOrder.objects.filter(pk=conflict.order.pk, status=OrderStatus.OPEN).update(
                status=OrderStatus.CONFLICT
            )
        return SyncResult.CONFLICT, conflict.detail, {"conflict": conflict.kind}
    except (FieldRefused, ValidationError, PermissionDenied, WorkflowRefused, IntegrityError) as exc:
        return SyncResult.REJECTED, _text(exc), {}
    except (ValueError, ArithmeticError, TypeError, KeyError):
        # A malformed value the checks above missed: this item is refused, the rest of the batch goes on
        # (a failed request would block the device's whole outbox).
        logger.exception("field sync: %s item %s could not be applied", kind, client_id)
        return SyncResult.REJECTED, _("This item could not be read."), {}


def _decimal(value: Any, name: str) -> Decimal | None:
    if value in (None, ""):
        return None
    if isinstance(value, float | bool):
        raise FieldRefused(_("%(name)s must be sent as text.") % {"name": name})
    try:
        number = Decimal(str(value))
    except (InvalidOperation, ValueError):
        raise FieldRefused(_("%(name)s is not a number.") % {"name": name}) from None
    if not number.is_finite():
        raise FieldRefused(_("%(name)s is not a number.") % {"name": name})
    return number


def _date(value: Any, name: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(str(value))
    except ValueError:
        raise FieldRefused(_("%(name)s is not a date (YYYY-MM-DD).") % {"name": name}) from None


def _instant(value: Any, name: str) -> datetime.datetime:
    parsed = parse_datetime(str(value or "")) if isinstance(value, str) else None
    if parsed is None or parsed.tzinfo is None:
        raise FieldRefused(_("%(name)s is not a time with its UTC offset.") % {"name": name})
    return parsed


def _gps(value: Any) -> tuple[Decimal | None, Decimal | None]:
    if not isinstance(value, Mapping):
        return None, None
    lat, lon = _decimal(value.get("lat"), "lat"), _decimal(value.get("lon"), "lon")
    if lat is None or lon is None or not (-90 <= lat <= 90 and -180 <= lon <= 180):
        return None, None
    return lat.quantize(Decimal("0.000001")), lon.quantize(Decimal("0.000001"))


def _order_of(user, order_id: Any) -> ReadingOrder:
    """The reading order `order_id` as the user may send it: one they were given (assigned now or
    downloaded before a reassignment); anything else is "no such order"."""
    if not isinstance(order_id, int) or isinstance(order_id, bool):
        raise FieldRefused(_("No such reading order."))
    order = (
        ReadingOrder.objects.select_related("consumer", "consumer__office", "book")
        .filter(pk=order_id)
        .first()
    )
    if order is None or not user_covers(user, order.consumer.office):
        raise FieldRefused(_("No such reading order."))
    if order.reader_id != user.pk and not OrderDownload.objects.filter(order=order, user=user).exists():
        raise FieldRefused(_("No such reading order."))
    return order


def _period_bounds(period: str) -> tuple[datetime.date, datetime.date]:
    from urja.billing.spot import spot_cycle

    cycle = spot_cycle(period, clock.today())
    return cycle.period_start, cycle.period_end


def _reading(user, client_id: str, payload: Mapping[str, Any]) -> tuple[str, str, dict[str, Any]]:
    if not user.can(roles.RECORD_READINGS):
        raise PermissionDenied(_("You may not record meter readings."))
    order = _order_of(user, payload.get("order_id"))
    consumer = Consumer.objects.select_for_update().select_related("office").get(pk=order.consumer_id)
    order = ReadingOrder.objects.select_for_update().select_related("book").get(pk=order.pk)
    if str(payload.get("account_number") or "") != consumer.account_number:
        raise FieldRefused(_("The account number does not match the reading order."))
    status = str(payload.get("status") or "")
    if status not in ENTERED_STATUSES:
        raise FieldRefused(_("Unknown reading status %(status)s.") % {"status": status[:8]})
    reading_date = _date(payload.get("reading_date"), "reading_date")
    start, end = _period_bounds(order.period)
    if not start <= reading_date <= end or reading_date > clock.today():
        raise FieldRefused(_("The reading date is outside the order's period."))
    kwh = _decimal(payload.get("kwh"), "kwh")
    kvah = _decimal(payload.get("kvah"), "kvah")
    max_demand = _decimal(payload.get("max_demand"), "max_demand")
    lat, lon = _gps(payload.get("gps"))
    office = consumer.office

    def conflict(kind: str, detail: str) -> FieldConflict:
        return FieldConflict(kind, detail, office=office, order=order, consumer=consumer)

    # The rules, in order (docs/field-sync.md).
    if order.reader_id != user.pk:
        raise conflict(ConflictKind.REASSIGNED, _("This route book was given to another reader."))
    if (
        order.status != OrderStatus.OPEN
        or Reading.objects.filter(consumer=consumer, reading_date__gte=start, reading_date__lte=end).exists()
        or Bill.objects.filter(consumer=consumer, period=order.period).exclude(status="cancelled").exists()
    ):
        raise conflict(
            ConflictKind.READING_EXISTS, _("This account already has a reading or bill for the period.")
        )
    download = OrderDownload.objects.filter(order=order, user=user).first()
    if consumer.status != ConsumerStatus.ACTIVE and (download is None or download.status != consumer.status):
        raise conflict(ConflictKind.DISCONNECTED, _("The connection was disconnected after the download."))
    if download is not None and download.category != consumer.category:
        raise conflict(ConflictKind.CATEGORY_CHANGED, _("The account's category changed after the download."))

    reading = reading_record(
        consumer=consumer,
        reading_date=reading_date,
        kwh=kwh if status == ReadingStatus.OK else None,
        kvah=kvah if status == ReadingStatus.OK else None,
        max_demand=max_demand if status == ReadingStatus.OK else None,
        status=status,
        source=ReadingSource.SPOT,
        by=user,
        latitude=lat,
        longitude=lon,
        remarks=str(payload.get("note") or "")[:255],
    )
    bill = spot_bill(consumer=consumer, period=order.period, by=user, issue_date=reading_date).bill
    photo_id = _uuid_or_none(payload.get("photo_id"))
    order.status, order.reading, order.bill, order.photo_id = OrderStatus.DONE, reading, bill, photo_id
    order.gps_lat, order.gps_lon = lat, lon
    order.read_at = _instant_or_none(payload.get("taken_at")) or clock.now()
    order.save()
    if photo_id is not None:
        Photo.objects.filter(uuid=photo_id, user=user).update(order=order, reading=reading)
    device_bill = payload.get("device_bill")
    mismatch = False
    if device_bill is not None:
        differences = bill_differences(bill, device_bill)
        if differences:
            mismatch = True
            BillMismatch.objects.create(
                office=office,
                user=user,
                client_id=client_id,
                order=order,
                bill=bill,
                engine_version=str(payload.get("engine_version") or "")[:40],
                device_bill=device_bill if isinstance(device_bill, dict) else {"value": device_bill},
                differences=differences,
                created_at=clock.now(),
            )
    detail = (
        _("Reading recorded; the device's bill differs from the server's and was sent to the supervisor.")
        if mismatch
        else _("Reading recorded and billed.")
    )
    return (
        SyncResult.ACCEPTED,
        detail,
        {
            "reading_id": reading.pk,
            "bill_number": bill.bill_number,
            "payable": f"{bill.payable:.2f}",
            "mismatch": mismatch,
        },
    )


def _uuid_or_none(value: Any) -> uuidlib.UUID | None:
    try:
        return uuidlib.UUID(str(value)) if value else None
    except ValueError:
        return None


def _instant_or_none(value: Any) -> datetime.datetime | None:
    try:
        return _instant(value, "taken_at")
    except FieldRefused:
        return None


def _books_consumer(user, account_number: Any) -> Consumer:
    """An account on a route book of the user's (the only accounts they collect from)."""
    consumer = (
        Consumer.objects.select_related("office")
        .filter(account_number=str(account_number or ""), route_stop__book__reader=user)
        .first()
    )
    if consumer is None or not user_covers(user, consumer.office):
        raise FieldRefused(_("No such account on your route books."))
    return consumer


def _payment(user, client_id: str, payload: Mapping[str, Any]) -> tuple[str, str, dict[str, Any]]:
    consumer = _books_consumer(user, payload.get("account_number"))
    amount = _decimal(payload.get("amount"), "amount")
    if amount is None:
        raise FieldRefused(_("The payment needs an amount."))
    paid_at = _instant(payload.get("paid_at"), "paid_at")
    receipt = str(payload.get("receipt_number") or "")[:64]
    try:
        posted = spot_payment_take(
            reader=user, consumer=consumer, amount=amount, receipt_number=receipt, paid_at=paid_at
        )
    except PaymentConflict as exc:
        raise FieldConflict(
            ConflictKind.PAYMENT,
            _("Receipt %(receipt)s was already posted for another account or amount.") % {"receipt": receipt},
            office=consumer.office,
            consumer=consumer,
        ) from exc
    except ValidationError as exc:
        # The money was taken: a payment the server cannot post is the supervisor's to settle.
        raise FieldConflict(
            ConflictKind.PAYMENT, _text(exc), office=consumer.office, consumer=consumer
        ) from exc
    payment: Payment = posted.payment
    return (
        SyncResult.ACCEPTED,
        _("Payment posted.") if posted.created else _("Payment already posted."),
        {"payment_id": payment.pk, "receipt_number": payment.receipt_number},
    )


def _work_order(user, client_id: str, payload: Mapping[str, Any]) -> tuple[str, str, dict[str, Any]]:
    order_id = payload.get("order_id")
    order = (
        WorkOrder.objects.select_related("office").filter(pk=order_id, assigned_to=user).first()
        if isinstance(order_id, int) and not isinstance(order_id, bool)
        else None
    )
    if order is None or not user_covers(user, order.office):
        raise FieldRefused(_("No such work order assigned to you."))
    outcome = payload.get("outcome")
    result = payload.get("result") if isinstance(payload.get("result"), Mapping) else {}
    if outcome == "not_done":
        raise FieldConflict(
            ConflictKind.WORK_NOT_DONE,
            _("Work order %(reference)s not done: %(remarks)s")
            % {"reference": order.reference, "remarks": str(result.get("remarks") or "")[:200]},
            office=order.office,
            consumer=order.consumer,
        )
    if outcome != "done":
        raise FieldRefused(_("The outcome is done or not_done."))
    readings = result.get("readings") or {}
    if isinstance(readings, Mapping):
        readings = [{"register": str(k), "value": str(v)} for k, v in readings.items() if v not in (None, "")]
    cleaned = {
        **{k: v for k, v in result.items() if k not in ("readings", "photo_ids")},
        "readings": readings,
        "photos": [str(p) for p in result.get("photo_ids") or [] if isinstance(p, str)],
    }
    done = work_order_complete(order, by=user, key=client_id, result=cleaned)
    return SyncResult.ACCEPTED, _("Work order completed."), {"work_order_id": done.pk, "status": done.status}


def _print(user, client_id: str, payload: Mapping[str, Any]) -> tuple[str, str, dict[str, Any]]:
    bill_number = str(payload.get("bill_number") or "")[:24]
    receipt_number = str(payload.get("receipt_number") or "")[:40]
    if bool(bill_number) == bool(receipt_number):
        raise FieldRefused(_("A print is of one bill or one receipt."))
    if bill_number:
        bill = Bill.objects.select_related("consumer__office").filter(bill_number=bill_number).first()
        if bill is None or not user_covers(user, bill.consumer.office):
            raise FieldRefused(_("No such bill."))
    else:
        payment = (
            Payment.objects.select_related("consumer__office").filter(receipt_number=receipt_number).first()
        )
        if payment is None:
            payment = (
                Payment.objects.select_related("consumer__office")
                .filter(source="spot", reference=receipt_number)
                .first()
            )
        if payment is None or not user_covers(user, payment.consumer.office):
            raise FieldRefused(_("No such receipt."))
    width = payload.get("width_mm")
    if width not in (58, 80):
        raise FieldRefused(_("The paper is 58 or 80 mm wide."))
    earlier = PrintAttempt.objects.filter(
        bill_number=bill_number, receipt_number=receipt_number, ok=True
    ).exists()
    duplicate = earlier or payload.get("copy") == PrintCopy.DUPLICATE
    attempt = PrintAttempt.objects.create(
        client_id=client_id,
        user=user,
        bill_number=bill_number,
        receipt_number=receipt_number,
        copy=PrintCopy.DUPLICATE if duplicate else PrintCopy.ORIGINAL,
        width_mm=width,
        ok=bool(payload.get("ok")),
        at=_instant_or_none(payload.get("at")) or clock.now(),
        recorded_at=clock.now(),
    )
    return SyncResult.ACCEPTED, _("Print recorded."), {"print_id": attempt.pk, "duplicate": duplicate}


# ------------------------------------------------------------------------------------------ photos


def photo_put(*, user, photo_uuid: uuidlib.UUID, data: bytes) -> tuple[Photo, bool]:
    """Keep a meter photo sent by a device, once per uuid (the same uuid again changes nothing). Linked
    to its reading when the reading is already there."""
    if not user.can(roles.RECORD_READINGS) and not user.can(roles.WORK_ORDERS):
        raise PermissionDenied(_("You may not upload photos."))
    if len(data) > PHOTO_MAX_BYTES:
        raise FieldRefused(_("A photo may be at most 500 KB."))
    if not data.startswith(JPEG_MAGIC):
        raise FieldRefused(_("A photo must be a JPEG image."))
    existing = Photo.objects.filter(uuid=photo_uuid).first()
    if existing is not None:
        if existing.user_id != user.pk:
            raise PermissionDenied(_("This photo id belongs to someone else."))
        return existing, False
    order = ReadingOrder.objects.filter(photo_id=photo_uuid, reader=user).first()
    try:
        with transaction.atomic():
            photo = Photo.objects.create(
                uuid=photo_uuid,
                user=user,
                office=user.office,
                data=data,
                size=len(data),
                sha256=hashlib.sha256(data).hexdigest(),
                order=order,
                reading=order.reading if order is not None else None,
                uploaded_at=clock.now(),
            )
    except IntegrityError:
        existing = Photo.objects.get(uuid=photo_uuid)
        if existing.user_id != user.pk:
            raise PermissionDenied(_("This photo id belongs to someone else.")) from None
        return existing, False
    return photo, True


def queue_resolve(*, item: Conflict | BillMismatch, by) -> None:
    """The supervisor has looked at a conflict or mismatch (it stays on record)."""
    _check_supervisor(by, item.office)
    type(item).objects.filter(pk=item.pk, resolved_at__isnull=True).update(
        resolved_by=by, resolved_at=clock.now()
    )
