"""Posting payments. One transaction per payment, with its ledger entry and receipt number.

Exactly once: (source, reference) is unique in the database. A retry with the same reference, account
and amount returns the receipt already issued and posts nothing; the same reference with another
account or amount is refused (409 in the API). Concurrent postings for one account are serialised by
the account row lock (lock order: account › bill › payment › receipt series); two postings of one
reference for different accounts race on the unique constraint and the loser gets the winner's answer.

Bounded: one payment is at most URJA_PAYMENTS["PAYMENT_MAX"] for its channel, and may not leave more
than URJA_PAYMENTS["ADVANCE_MAX"] in advance on the account. Without a bound one payment could leave a
balance the 14-digit money columns cannot hold, and the account could no longer be billed or paid.

When the money was paid (`paid_at`) is bounded here, for every channel (counters, the partner API,
gateway webhooks, settlement files): not in the future, not older than
``URJA_PAYMENTS["PAID_AT_MAX_AGE_DAYS"]`` days (by IST date) and not before the account's connection
date (``paid_at_check``). A retry of a payment already posted still gets its receipt.
"""

from __future__ import annotations

import datetime
import logging
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import translation
from django.utils.translation import gettext as _

from urja.common import clock
from urja.customers.models import Consumer
from urja.domain.allocation import allocate
from urja.domain.money import format_indian, round_paisa
from urja.ledger import descriptions
from urja.ledger.choices import EntryType
from urja.ledger.descriptions import describe
from urja.ledger.models import LedgerEntry
from urja.ledger.selectors import open_dues
from urja.ledger.services import entry_post, entry_reverse
from urja.notifications.choices import Event
from urja.notifications.services import notify

from .choices import CASH_LIKE, Channel, PaymentStatus
from .models import Payment, ReceiptSeries
from .signals import payment_posted

logger = logging.getLogger(__name__)
ZERO = Decimal("0.00")
#: A payment time a little ahead of the server's clock is a clock skew, not a payment from the future.
FUTURE_SLACK = datetime.timedelta(minutes=10)


class PaymentConflict(Exception):
    """The reference was already used for another account or amount."""

    def __init__(self, existing: Payment):
        super().__init__(f"reference already used for receipt {existing.receipt_number}")
        self.existing = existing


@dataclass(frozen=True)
class PostResult:
    payment: Payment
    created: bool


def series_prefix(code: str) -> str:
    """Default receipt prefix of a series: its code in capitals, e.g. "counter:LKO1" -> "COUNTER-LKO1-"."""
    return "".join(ch if ch.isalnum() else "-" for ch in code.upper())[:24] + "-"


def receipt_number_next(*, series_code: str, prefix: str) -> str:
    """Take the next number of a series under a row lock (gapless: a rollback gives it back)."""
    series = ReceiptSeries.objects.select_for_update().filter(code=series_code).first()
    if series is None:
        ReceiptSeries.objects.get_or_create(code=series_code, defaults={"prefix": prefix})
        series = ReceiptSeries.objects.select_for_update().get(code=series_code)
    number = series.next_number
    series.next_number = number + 1
    series.save(update_fields=["next_number"])
    return f"{series.prefix}{number:08d}"


def payment_max(channel: str) -> Decimal:
    """The most one payment by `channel` may be (URJA_PAYMENTS["PAYMENT_MAX"], rupees)."""
    limits = settings.URJA_PAYMENTS["PAYMENT_MAX"]
    return Decimal(str(limits.get(channel, limits["default"])))


def advance_max() -> Decimal:
    """The most advance (credit balance) a payment or credit adjustment may leave on an account."""
    return Decimal(str(settings.URJA_PAYMENTS["ADVANCE_MAX"]))


def advance_check(*, balance: Decimal, credit: Decimal) -> None:
    """Refuse a credit of `credit` (> 0) that would leave more than the allowed advance on an account
    whose balance is `balance` now; the message says how much can still be taken."""
    limit = advance_max()
    if balance - credit >= -limit:
        return
    room = balance + limit
    if room > 0:
        message = _(
            "This would leave ₹%(advance)s in advance on the account; at most ₹%(limit)s may be held. "
            "Up to ₹%(room)s can be taken now."
        ) % {
            "advance": format_indian(credit - balance),
            "limit": format_indian(limit),
            "room": format_indian(room),
        }
    else:
        message = _(
            "The account already holds ₹%(advance)s in advance (at most ₹%(limit)s); nothing more can be "
            "credited until it is billed."
        ) % {"advance": format_indian(-balance), "limit": format_indian(limit)}
    raise ValidationError({"amount": message})


def paid_at_max_age_days() -> int:
    return int(settings.URJA_PAYMENTS["PAID_AT_MAX_AGE_DAYS"])


def paid_at_check(*, paid_at: datetime.datetime, connection_date: datetime.date | None = None) -> None:
    """ValidationError({"paid_at": …}) unless the payment time is believable for a new posting: not in
    the future, its IST date not more than PAID_AT_MAX_AGE_DAYS before today, and not before the
    account's connection date (when given)."""
    try:
        day = clock.local_date(paid_at)
        future = paid_at > clock.now() + FUTURE_SLACK
    except (OverflowError, TypeError, ValueError):  # year 1 or 9999 shifted out of range; naive
        raise ValidationError({"paid_at": _("The payment time is out of range.")})
    if future:
        raise ValidationError({"paid_at": _("The payment time is in the future.")})
    days = paid_at_max_age_days()
    earliest = clock.today() - datetime.timedelta(days=days)
    if day < earliest:
        raise ValidationError(
            {
                "paid_at": _(
                    "The payment time is more than %(days)s days ago: only payments made on or after "
                    "%(date)s can be posted."
                )
                % {"days": days, "date": earliest.strftime("%d-%m-%Y")}
            }
        )
    if connection_date is not None and day < connection_date:
        raise ValidationError(
            {
                "paid_at": _("The payment time is before the account's connection date (%(date)s).")
                % {"date": connection_date.strftime("%d-%m-%Y")}
            }
        )


def _existing_or_conflict(existing: Payment, consumer: Consumer, amount: Decimal) -> PostResult:
    if existing.consumer_id != consumer.pk or existing.amount != amount:
        raise PaymentConflict(existing)
    return PostResult(existing, False)


def payment_post(
    *,
    consumer: Consumer,
    amount: Decimal,
    channel: str,
    source: str,
    reference: str,
    paid_at: datetime.datetime | None = None,
    by=None,
    receipt_series: str | None = None,
    receipt_prefix: str | None = None,
    cash_book=None,
    partner=None,
    instrument_number: str = "",
    instrument_bank: str = "",
    instrument_date: datetime.date | None = None,
    late: bool = False,
) -> PostResult:
    """Post a payment exactly once for (source, reference). Returns the payment and whether it was
    created now. Raises ValidationError for bad input and PaymentConflict for a reused reference."""
    amount = round_paisa(Decimal(amount))
    reference = (reference or "").strip()
    if amount <= 0:
        raise ValidationError({"amount": _("The amount must be more than zero.")})
    if not reference:
        raise ValidationError({"reference": _("A payment needs a reference.")})
    if channel not in Channel.values:
        raise ValidationError({"channel": _("Unknown payment channel.")})
    paid_at = paid_at or clock.now()
    # The future is refused even for a retry (as before); the other bounds apply to new postings, so a
    # partner's or gateway's late retry of a payment already posted still gets its receipt.
    try:
        future = paid_at > clock.now() + FUTURE_SLACK
    except (OverflowError, TypeError):
        raise ValidationError({"paid_at": _("The payment time is out of range.")})
    if future:
        raise ValidationError({"paid_at": _("The payment time is in the future.")})
    existing = Payment.objects.filter(source=source, reference=reference).first()
    if existing is not None:
        return _existing_or_conflict(existing, consumer, amount)
    if amount > payment_max(channel):
        raise ValidationError(
            {
                "amount": _("A single payment by %(channel)s can be at most ₹%(limit)s.")
                % {"channel": Channel(channel).label, "limit": format_indian(payment_max(channel))}
            }
        )
    try:
        with transaction.atomic():
            locked = Consumer.objects.select_for_update().get(pk=consumer.pk)
            # Re-check under the account lock: a concurrent retry for this account has finished by now.
            existing = Payment.objects.filter(source=source, reference=reference).first()
            if existing is not None:
                return _existing_or_conflict(existing, consumer, amount)
            paid_at_check(paid_at=paid_at, connection_date=locked.connection_date)
            if (
                channel not in CASH_LIKE
                and locked.cash_only_until
                and paid_at.date() <= locked.cash_only_until
            ):
                raise ValidationError(
                    _("After a bounced cheque this account pays in cash, card or online until %(date)s.")
                    % {"date": locked.cash_only_until}
                )
            dues, balance = open_dues(locked.pk)
            advance_check(balance=balance, credit=amount)
            allocations, advance = allocate(dues, amount)
            payment = Payment(
                consumer=locked,
                account_number=locked.account_number,
                channel=channel,
                source=source,
                reference=reference,
                amount=amount,
                paid_at=paid_at,
                receipt_number=receipt_number_next(
                    series_code=receipt_series or source,
                    prefix=receipt_prefix or series_prefix(receipt_series or source),
                ),
                cash_book=cash_book,
                partner=partner,
                instrument_number=instrument_number,
                instrument_bank=instrument_bank,
                instrument_date=instrument_date,
                allocation=[a.to_dict() for a in allocations],
                advance=advance,
                balance_before=balance,
                late=late,
                posted_by=by,
            )
            payment.full_clean(
                exclude=["consumer", "cash_book", "partner", "posted_by"],
                validate_unique=False,
                validate_constraints=False,
            )
            payment.save()
            # The entry is built from values checked above; written directly to keep the time the
            # receipt series is locked short (no per-field validation queries, no savepoint).
            LedgerEntry.objects.create(
                consumer=locked,
                entry_type=EntryType.PAYMENT,
                amount=-amount,
                entry_date=clock.local_date(paid_at),
                **describe(descriptions.PAYMENT, receipt=payment.receipt_number, channel=payment.channel),
                posted_by=by,
                source_type="payment",
                source_id=payment.pk,
            )
            _confirm_by_sms(payment, locked)
            transaction.on_commit(
                lambda: payment_posted.send(sender=Payment, payment_id=payment.pk, consumer_id=locked.pk),
                robust=True,
            )
            return PostResult(payment, True)
    except IntegrityError:
        # Lost a race on (source, reference) to another account's posting: answer as the winner did.
        existing = Payment.objects.filter(source=source, reference=reference).first()
        if existing is None:
            raise
        return _existing_or_conflict(existing, consumer, amount)


def _confirm_by_sms(payment: Payment, consumer: Consumer) -> None:
    # In the posting's transaction: the outbox row exists if and only if the payment does.
    notify(
        Event.PAYMENT_RECEIVED,
        to=consumer.mobile,
        language=consumer.language,
        variables={
            "amount": f"{payment.amount}",
            "account": consumer.account_number,
            "date": f"{clock.localtime(payment.paid_at):%d-%m-%Y}",
            "receipt": payment.receipt_number,
        },
        consumer_id=consumer.pk,
        dedupe_key=f"payment:{payment.pk}",
        optional_allowed=consumer.optional_messages,
    )


def _reverse_payment(payment: Payment, *, by, reason: str) -> LedgerEntry:
    entry = LedgerEntry.objects.get(source_type="payment", source_id=payment.pk, entry_type=EntryType.PAYMENT)
    return entry_reverse(entry=entry, by=by, reason=reason, entry_date=clock.today())


@transaction.atomic
def payment_cancel(*, payment: Payment, by, reason: str) -> Payment:
    """Cancel a posted payment (wrong account, duplicate at a counter): a supervisor's act, with a reason."""
    from urja.org import roles

    if by is None or not by.can(roles.VERIFY_CASH):
        raise PermissionDenied(_("Only a supervisor may cancel a payment."))
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the payment is cancelled.")})
    Consumer.objects.select_for_update().filter(pk=payment.consumer_id).first()
    payment = Payment.objects.select_for_update().get(pk=payment.pk)
    if payment.status != PaymentStatus.POSTED:
        raise ValidationError(_("Only a posted payment can be cancelled."))
    _reverse_payment(payment, by=by, reason=f"payment cancelled: {reason}")
    payment.status, payment.cancelled_by, payment.cancelled_at, payment.cancel_reason = (
        PaymentStatus.CANCELLED,
        by,
        clock.now(),
        reason[:255],
    )
    payment.save(update_fields=["status", "cancelled_by", "cancelled_at", "cancel_reason"])
    return payment


BOUNCE_CHANNELS = frozenset({Channel.CHEQUE, Channel.DD})


@transaction.atomic
def payment_bounce(*, payment: Payment, by, reason: str, bounce_date: datetime.date) -> Payment:
    """A cheque or draft came back unpaid: reverse its ledger entry, charge the configured bounce
    charge, mark the payment bounced and the account cash-only for the configured days (recorded in
    the consumer's history). One transaction; the SMS is queued on commit. Entries are dated today
    (the day the bounce is booked); `bounce_date` is the bank's return date."""
    from django.conf import settings

    from urja.customers.models import ConsumerChange
    from urja.customers.services import consumer_update
    from urja.org import roles

    if by is None or not by.can(roles.VERIFY_CASH):
        raise PermissionDenied(_("Only a supervisor may record a bounced cheque."))
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Say why the cheque or draft was returned.")})
    today = clock.today()
    if bounce_date is None or bounce_date > today:
        raise ValidationError({"bounce_date": _("The bounce date cannot be in the future.")})
    locked = Consumer.objects.select_for_update().get(pk=payment.consumer_id)
    payment = Payment.objects.select_for_update().get(pk=payment.pk)
    if payment.channel not in BOUNCE_CHANNELS:
        raise ValidationError(_("Only a cheque or demand draft can bounce."))
    if payment.status != PaymentStatus.POSTED:
        raise ValidationError(
            _("Only a posted payment can bounce; this one is %(status)s.")
            % {"status": payment.get_status_display()}
        )
    if bounce_date < clock.local_date(payment.paid_at):
        raise ValidationError({"bounce_date": _("The bounce date is before the payment was received.")})
    instrument = (
        f"{_instrument_word(payment, 'en')} {payment.instrument_number} {payment.instrument_bank}".strip()
    )
    _reverse_payment(payment, by=by, reason=f"bounced: {reason}"[:255])
    charge = round_paisa(Decimal(str(settings.URJA_PAYMENTS["BOUNCE_CHARGE"])))
    if charge > 0:
        entry_post(
            consumer=locked,
            entry_type=EntryType.ADJUSTMENT,
            amount=charge,
            entry_date=today,
            due_date=today,
            **describe(
                descriptions.BOUNCE_CHARGE,
                instrument="cheque" if payment.channel == Channel.CHEQUE else "dd",
                number=payment.instrument_number,
                bank=payment.instrument_bank,
                receipt=payment.receipt_number,
            ),
            by=by,
            reason=reason[:255],
            source_type="payment_bounce",
            source_id=payment.pk,
            lock=False,
        )
    payment.status = PaymentStatus.BOUNCED
    payment.cancelled_by, payment.cancelled_at = by, clock.now()
    payment.cancel_reason = f"bounced {bounce_date:%d-%m-%Y}: {reason}"[:255]
    payment.save(update_fields=["status", "cancelled_by", "cancelled_at", "cancel_reason"])
    until = bounce_date + datetime.timedelta(days=int(settings.URJA_PAYMENTS["CASH_ONLY_DAYS"]))
    if locked.cash_only_until is None or locked.cash_only_until < until:
        consumer_update(
            consumer=locked,
            # The history names the supervisor when they may change what the account is billed on;
            # otherwise it is the system's change.
            by=by if by.can(roles.EDIT_CONNECTIONS) else None,
            source=ConsumerChange.Source.SYSTEM,
            reason=f"{instrument} bounced (receipt {payment.receipt_number}): {reason}"[:255],
            cash_only_until=until,
        )
    _bounce_sms(payment, locked, charge, until)
    return payment


def _instrument_word(payment: Payment, language: str) -> str:
    with translation.override(language):
        return _("cheque") if payment.channel == Channel.CHEQUE else _("demand draft")


def _bounce_sms(payment: Payment, consumer: Consumer, charge: Decimal, until: datetime.date) -> None:
    notify(
        Event.CHEQUE_BOUNCED,
        to=consumer.mobile,
        language=consumer.language,
        variables={
            "instrument": _instrument_word(payment, consumer.language),
            "number": payment.instrument_number,
            "amount": f"{payment.amount}",
            "account": consumer.account_number,
            "charge": f"{charge}",
            "until": f"{until:%d-%m-%Y}",
        },
        consumer_id=consumer.pk,
        dedupe_key=f"bounce:{payment.pk}",
        optional_allowed=consumer.optional_messages,
    )
