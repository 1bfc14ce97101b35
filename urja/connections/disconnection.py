"""Disconnection for non-payment (Electricity Act s.56): the eligible list, notices, stay by a deposit
under protest, the disconnection work order after the notice period, its cancellation by payment and
its execution. The rules themselves are in `urja.domain.disconnection` (decision 0028)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Max, Sum
from django.utils.translation import gettext as _

from urja.billing.choices import BillStatus
from urja.billing.models import Bill
from urja.common import clock
from urja.customers.choices import ConsumerStatus
from urja.customers.models import Consumer
from urja.domain import disconnection as rules
from urja.domain.money import format_indian, round_paisa
from urja.ledger.choices import EntryType
from urja.ledger.models import LedgerEntry
from urja.ledger.selectors import balance, open_dues_bulk
from urja.notifications.choices import Event
from urja.notifications.services import notify
from urja.org.models import Office
from urja.org.permissions import user_covers
from urja.org.selectors import holiday_dates
from urja.workflow.choices import WorkOrderKind, WorkOrderStatus
from urja.workflow.services import WorkOrderRefused, next_reference, work_order_cancel, work_order_create

from .models import ACTIVE_NOTICE, DisconnectionNotice, NoticeStatus

ZERO = Decimal("0.00")


class DisconnectionRefused(Exception):
    pass


def clear_days() -> int:
    return int(getattr(settings, "URJA_DISCONNECTION_NOTICE_DAYS", rules.CLEAR_DAYS))


def last_hour() -> int:
    return int(getattr(settings, "URJA_DISCONNECTION_LAST_HOUR", 17))


def first_hour() -> int:
    return int(getattr(settings, "URJA_DISCONNECTION_FIRST_HOUR", 8))


def no_sundays() -> bool:
    return bool(getattr(settings, "URJA_DISCONNECTION_NO_SUNDAYS", True))


@dataclass
class Candidate:
    consumer: Consumer
    eligibility: rules.Eligibility
    last_payment_on: datetime.date | None
    notice: DisconnectionNotice | None

    @property
    def arrears(self) -> Decimal:
        return self.eligibility.claimable


def _bill_arrears(ids: list[int]) -> dict[int, dict[str, Decimal]]:
    result: dict[int, dict[str, Decimal]] = {cid: {} for cid in ids}
    rows = Bill.objects.filter(consumer_id__in=ids, status=BillStatus.ISSUED).values_list(
        "consumer_id", "period", "arrears"
    )
    for cid, period, arrears in rows:
        result[cid][period] = arrears
    return result


def monthly_bills(ids: list[int]) -> dict[int, list[Decimal]]:
    """The current charges of each account's issued bills, oldest first (one query)."""
    result: dict[int, list[Decimal]] = {cid: [] for cid in ids}
    rows = (
        Bill.objects.filter(consumer_id__in=ids, status=BillStatus.ISSUED)
        .order_by("period", "id")
        .values_list("consumer_id", "current_charges")
    )
    for cid, charges in rows:
        result[cid].append(charges)
    return result


def _last_payments(ids: list[int]) -> dict[int, datetime.date]:
    rows = (
        LedgerEntry.objects.filter(
            consumer_id__in=ids, entry_type=EntryType.PAYMENT, reversed_by__isnull=True
        )
        .values("consumer_id")
        .annotate(last=Max("entry_date"))
        .order_by()
    )
    return {row["consumer_id"]: row["last"] for row in rows}


def _eligibility_bulk(ids: list[int], on: datetime.date, min_arrears: Decimal, min_age_days: int):
    dues = open_dues_bulk(ids, as_of=on)
    arrears = _bill_arrears(ids)
    return {
        cid: rules.eligibility(
            [rules.OpenDue(d.period, d.due_on, d.amount) for d in dues[cid]],
            on=on,
            min_arrears=min_arrears,
            min_age_days=min_age_days,
            bill_arrears=arrears[cid],
        )
        for cid in ids
    }


def candidates(
    consumers, *, min_arrears: Decimal, min_age_days: int, on: datetime.date | None = None
) -> list[Candidate]:
    """The accounts of `consumers` (a queryset, already office-scoped) that may be disconnected:
    active, with claimable arrears ≥ `min_arrears` at least `min_age_days` old. A fixed number of
    queries whatever the number of accounts."""
    on = on or clock.today()
    accounts = list(consumers.filter(status=ConsumerStatus.ACTIVE).order_by("account_number"))
    ids = [c.pk for c in accounts]
    if not ids:
        return []
    found = _eligibility_bulk(ids, on, Decimal(min_arrears), int(min_age_days))
    payments = _last_payments(ids)
    notices = {
        n.consumer_id: n
        for n in DisconnectionNotice.objects.filter(consumer_id__in=ids, status__in=ACTIVE_NOTICE)
    }
    return [
        Candidate(c, found[c.pk], payments.get(c.pk), notices.get(c.pk))
        for c in accounts
        if found[c.pk].eligible
    ]


def consumers_of_office(office: Office):
    return Consumer.objects.filter(office__in=Office.objects.subtree(office))


# --- notices -----------------------------------------------------------------------------------------


def _notice_sms(notice: DisconnectionNotice) -> None:
    """The served notice's SMS, in the consumer's language, queued in the serving transaction: the
    amount, the account and the last day before supply may be cut (the printed notice carries its
    number and the amount that stays it under protest)."""
    consumer = notice.consumer
    notify(
        Event.DISCONNECTION_NOTICE,
        to=consumer.mobile,
        language=consumer.language or "hi",
        variables={
            "amount": format_indian(notice.amount),
            "account": consumer.account_number,
            "date": f"{notice.action_from - datetime.timedelta(days=1):%d-%m-%Y}",
        },
        consumer_id=consumer.pk,
        dedupe_key=f"disconnection-notice:{notice.number}",
        optional_allowed=consumer.optional_messages,
    )


def _notice_number(on: datetime.date) -> str:
    return next_reference("DN", datetime.datetime.combine(on, datetime.time(12), tzinfo=clock.IST))


def notice_serve(
    consumer: Consumer,
    *,
    by,
    min_arrears: Decimal = ZERO,
    min_age_days: int = 0,
    on: datetime.date | None = None,
) -> DisconnectionNotice:
    """Serve a notice on `consumer` for its claimable dues; refused if not eligible or one is active."""
    on = on or clock.today()
    if by is not None and not user_covers(by, consumer.office):
        raise DisconnectionRefused(_("This account is outside your offices."))
    with transaction.atomic():
        locked = Consumer.objects.select_for_update().get(pk=consumer.pk)
        if locked.status != ConsumerStatus.ACTIVE:
            raise DisconnectionRefused(_("Only a connected account is served a disconnection notice."))
        if DisconnectionNotice.objects.filter(consumer=locked, status__in=ACTIVE_NOTICE).exists():
            raise DisconnectionRefused(_("This account already has an active disconnection notice."))
        found = _eligibility_bulk([locked.pk], on, Decimal(min_arrears), int(min_age_days))[locked.pk]
        if not found.eligible:
            raise DisconnectionRefused(_("This account is not eligible for a disconnection notice."))
        protest = rules.under_protest_amount(found.claimable, monthly_bills([locked.pk])[locked.pk])
        try:
            with transaction.atomic():
                notice = DisconnectionNotice.objects.create(
                    number=_notice_number(on),
                    consumer=locked,
                    office=locked.office,
                    amount=found.claimable,
                    protest_amount=protest,
                    served_on=on,
                    action_from=rules.earliest_action(on, clear_days()),
                    served_by=by,
                )
        except IntegrityError:
            # Lost a race: another notice for this account, or the same number taken meanwhile.
            if DisconnectionNotice.objects.filter(consumer=locked, status__in=ACTIVE_NOTICE).exists():
                raise DisconnectionRefused(
                    _("This account already has an active disconnection notice.")
                ) from None
            raise
        _notice_sms(notice)
    return notice


def notices_serve(
    candidates_: list[Candidate], *, by, on: datetime.date | None = None
) -> list[DisconnectionNotice]:
    """Serve a notice on each candidate that has none."""
    served = []
    for candidate in candidates_:
        if candidate.notice is not None:
            continue
        try:
            served.append(notice_serve(candidate.consumer, by=by, on=on))
        except DisconnectionRefused:
            continue
    return served


def protest_deposit(
    notice: DisconnectionNotice, *, amount: Decimal, by, channel: str, reference: str
) -> DisconnectionNotice:
    """A deposit under protest, posted as a payment. At least the notice's protest amount stays the
    notice (and cancels an order already issued); less is a payment and nothing more."""
    from urja.payments.services import payment_post

    amount = round_paisa(Decimal(amount))
    if notice.status not in (NoticeStatus.SERVED, NoticeStatus.ORDERED):
        raise DisconnectionRefused(_("This notice cannot be stayed now."))
    with transaction.atomic():
        result = payment_post(
            consumer=notice.consumer,
            amount=amount,
            channel=channel,
            source="protest",
            reference=reference,
            by=by,
        )
        if amount >= notice.protest_amount:
            locked = DisconnectionNotice.objects.select_for_update().get(pk=notice.pk)
            if locked.work_order_id and locked.work_order.status not in (
                WorkOrderStatus.DONE,
                WorkOrderStatus.CANCELLED,
            ):
                work_order_cancel(locked.work_order, by=None, reason=_("Deposit under protest made."))
            locked.status = NoticeStatus.STAYED
            locked.stay_payment = result.payment
            locked.save(update_fields=["status", "stay_payment", "updated_at"])
            notice.refresh_from_db()
    return notice


# --- orders ------------------------------------------------------------------------------------------


def orders_issue(*, office: Office | None = None, on: datetime.date | None = None, by=None) -> list:
    """A disconnection work order for every served notice whose notice period is over."""
    on = on or clock.today()
    if by is not None and office is not None and not user_covers(by, office):
        raise DisconnectionRefused(_("This office is outside yours."))
    due = DisconnectionNotice.objects.filter(status=NoticeStatus.SERVED, action_from__lte=on)
    if office is not None:
        due = due.filter(office__in=Office.objects.subtree(office))
    orders = []
    for notice in due.select_related("consumer", "office"):
        with transaction.atomic():
            locked = DisconnectionNotice.objects.select_for_update().get(pk=notice.pk)
            if locked.status != NoticeStatus.SERVED:
                continue
            order = work_order_create(
                WorkOrderKind.DISCONNECTION,
                office=notice.office,
                consumer=notice.consumer,
                by=by,
                reason=_("Disconnection for non-payment: notice %(number)s of %(date)s, Rs %(amount)s.")
                % {"number": notice.number, "date": notice.served_on.isoformat(), "amount": notice.amount},
            )
            locked.work_order = order
            locked.status = NoticeStatus.ORDERED
            locked.save(update_fields=["work_order", "status", "updated_at"])
            orders.append(order)
    return orders


def _paid_since(consumer_id: int, since: datetime.date) -> Decimal:
    return -(
        LedgerEntry.objects.filter(
            consumer_id=consumer_id,
            entry_type=EntryType.PAYMENT,
            entry_date__gte=since,
            reversed_by__isnull=True,
        ).aggregate(total=Sum("amount"))["total"]
        or ZERO
    )


def on_payment_posted(sender=None, *, payment_id: int, consumer_id: int, **kwargs) -> None:
    """A payment of the dues (the amount claimed paid since service, or nothing left owing) closes
    the notice and cancels its order; a disconnected account whose dues and charge are paid gets its
    reconnection order."""
    from .reconnection import reconnection_order_if_paid

    with transaction.atomic():
        notice = (
            DisconnectionNotice.objects.select_for_update()
            .filter(consumer_id=consumer_id, status__in=(NoticeStatus.SERVED, NoticeStatus.ORDERED))
            .first()
        )
        if notice is not None and (
            balance(consumer_id) <= 0 or _paid_since(consumer_id, notice.served_on) >= notice.amount
        ):
            if notice.work_order_id and notice.work_order.status not in (
                WorkOrderStatus.DONE,
                WorkOrderStatus.CANCELLED,
            ):
                work_order_cancel(notice.work_order, by=None, reason=_("The dues were paid."))
            notice.status = NoticeStatus.PAID
            notice.closed_reason = _("The dues were paid.")
            notice.save(update_fields=["status", "closed_reason", "updated_at"])
    reconnection_order_if_paid(consumer_id)


def refusal_now(office: Office) -> str:
    """Why a disconnection may not be carried out now at `office` ("" if it may)."""
    now = clock.localtime()
    holidays = holiday_dates(now.date(), now.date(), office)
    reason = rules.action_refusal(
        now, holidays=holidays, last_hour=last_hour(), first_hour=first_hour(), no_sundays=no_sundays()
    )
    messages = {
        "holiday": _("No disconnection on a holiday."),
        "sunday": _("No disconnection on a Sunday."),
        "after hours": _("No disconnection after %(hour)s:00.") % {"hour": last_hour()},
        "before hours": _("No disconnection before %(hour)s:00.") % {"hour": first_hour()},
    }
    return messages.get(reason, "")


def _register(order, name: str) -> Decimal | None:
    for reading in order.result.get("readings", []):
        if str(reading.get("register") or "kwh").lower() == name:
            try:
                value = Decimal(str(reading["value"]).strip())
            except ArithmeticError:
                raise WorkOrderRefused(_("A reading is a number of zero or more.")) from None
            if not value.is_finite() or value < 0:
                raise WorkOrderRefused(_("A reading is a number of zero or more."))
            return value
    return None


def _cut_reading_record(consumer: Consumer, order) -> None:
    """The meter's reading at the cut, recorded as its reading of that day (source "work order"): it
    closes the energy billed up to the disconnection. An unmetered account has none to record."""
    from django.core.exceptions import ValidationError

    from urja.metering.choices import ReadingSource
    from urja.metering.models import MeterInstallation
    from urja.metering.services import reading_record

    day = clock.localtime(order.completed_at).date() if order.completed_at else clock.today()
    metered = (
        MeterInstallation.objects.filter(consumer=consumer, installed_on__lte=day)
        .exclude(removed_on__lt=day)
        .exists()
    )
    if not consumer.is_metered or not metered:
        return  # no meter on the connection: the order's result keeps what the lineman noted
    kwh = _register(order, "kwh")
    if kwh is None:
        raise WorkOrderRefused(_("A disconnection is completed with the meter's kWh reading."))
    try:
        reading_record(
            consumer=consumer,
            reading_date=day,
            kwh=kwh,
            kvah=_register(order, "kvah"),
            source=ReadingSource.WORK_ORDER,
            by=None,  # the order's completion checked who may; the order names them
            remarks=(
                _("Disconnection: work order %(order)s by %(by)s.")
                % {"order": order.reference, "by": order.completed_by}
            )[:200],
        )
    except ValidationError as exc:
        messages = exc.messages if hasattr(exc, "messages") else [str(exc)]
        raise WorkOrderRefused(" ".join(messages)) from None


def on_disconnection_done(order) -> None:
    """The executed order (inside its completion's transaction): refused on a holiday, a Sunday or
    out of hours, and without a reading; else the account is temporarily disconnected."""
    from .reconnection import reconnection_open

    notice = DisconnectionNotice.objects.select_for_update().filter(work_order=order).first()
    if notice is None:
        return
    refusal = refusal_now(order.office)
    if refusal:
        raise WorkOrderRefused(refusal)
    if not order.result.get("readings"):
        raise WorkOrderRefused(_("A disconnection is completed with the meter reading."))
    if notice.status != NoticeStatus.ORDERED:
        raise WorkOrderRefused(_("This disconnection is no longer ordered."))
    consumer = Consumer.objects.select_for_update().get(pk=notice.consumer_id)
    _cut_reading_record(consumer, order)
    consumer.status = ConsumerStatus.TEMP_DISCONNECTED
    consumer.save(update_fields=["status", "updated_at"])
    notice.status = NoticeStatus.DISCONNECTED
    notice.disconnected_at = order.completed_at
    notice.disconnected_by = order.completed_by
    notice.disconnection_reason = (
        _("Non-payment: notice %(number)s, work order %(order)s.")
        % {"number": notice.number, "order": order.reference}
    )[:200]
    notice.save(
        update_fields=["status", "disconnected_at", "disconnected_by", "disconnection_reason", "updated_at"]
    )
    reconnection_open(notice)
