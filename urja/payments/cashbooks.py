"""Collection counters: a cashier's cash book for the day, payments taken at the counter, the close
with a denomination count, the supervisor's verification, and the daily collection summary.

A cash book lives OPEN → CLOSED → VERIFIED. Once closed nothing changes it: no payment is taken on it,
and a later cancellation or cheque bounce of one of its payments is a reversal posted on the day it
happens, leaving the book's closed totals as they were counted.

Lock order: cash book › account › payment › receipt series. Taking a payment locks the book row first
(so a close cannot slip between the status check and the posting), then `payment_post` locks the
account; the close locks the book and reads its payments.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, QuerySet
from django.utils.translation import gettext as _

from urja.common import clock
from urja.common.db import MoneySum
from urja.customers.models import Consumer
from urja.domain.inputs import ascii_digits, is_ascii_digits
from urja.domain.money import round_paisa
from urja.org import roles
from urja.org.permissions import user_covers
from urja.org.selectors import office_q
from urja.payments.choices import COUNTER_CHANNELS, CashBookStatus, Channel, PaymentStatus
from urja.payments.models import CashBook, Counter, Payment
from urja.payments.services import PostResult, payment_post

ZERO = Decimal("0.00")
#: Notes and coins counted at the close, in rupees (₹1, 2, 5, 10 and 20 exist as notes and coins alike;
#: the count is per value).
DENOMINATIONS: tuple[int, ...] = (2000, 500, 200, 100, 50, 20, 10, 5, 2, 1)
INSTRUMENT_CHANNELS = frozenset({Channel.CHEQUE, Channel.DD})
#: Paid by card or UPI at the counter: the payment carries the terminal's or the UPI app's transaction
#: reference (UPI: the 12-digit UTR/RRN; card: the RRN or approval code), kept as its instrument number.
REFERENCE_CHANNELS = frozenset({Channel.CARD, Channel.UPI_COUNTER})
#: A cheque or draft is valid for three months from its date (RBI, April 2012).
INSTRUMENT_VALID_DAYS = 90
_TOKEN = re.compile(r"^[A-Za-z0-9_-]{8,40}$")


def counter_source(counter: Counter) -> str:
    """The namespace a counter's payment references are unique in (and its receipt series)."""
    return f"counter:{counter.code}"


def token_used(cash_book: CashBook, token: str) -> bool:
    """Whether a payment form with this token was already posted on the book (a resubmitted form is
    answered with its receipt, not asked again)."""
    if not token:
        return False
    source = counter_source(cash_book.counter)
    return Payment.objects.filter(source=source, reference=f"{cash_book.pk}:{token}").exists()


# --------------------------------------------------------------------------------------------- open


@transaction.atomic
def cash_book_open(*, counter: Counter, cashier, business_date: datetime.date | None = None) -> CashBook:
    """Open the cash book of `counter` for the day. One book per counter per day (the database
    enforces it); the cashier must be allowed to take payments at an office above the counter."""
    today = clock.today()
    business_date = business_date or today
    if cashier is None or not cashier.can(roles.TAKE_PAYMENTS):
        raise PermissionDenied(_("Only a cashier may open a cash book."))
    if not user_covers(cashier, counter.office):
        raise PermissionDenied(_("This counter is not in your office."))
    if not counter.is_active:
        raise ValidationError(_("Counter %(code)s is not in use.") % {"code": counter.code})
    if business_date > today:
        raise ValidationError({"business_date": _("A cash book cannot be opened for a future day.")})
    existing = CashBook.objects.filter(counter=counter, business_date=business_date).first()
    if existing is not None:
        raise ValidationError(
            _("Counter %(code)s already has a cash book for %(date)s (%(cashier)s, %(status)s).")
            % {
                "code": counter.code,
                "date": business_date.strftime("%d-%m-%Y"),
                "cashier": existing.cashier,
                "status": existing.get_status_display(),
            }
        )
    book = CashBook(counter=counter, cashier=cashier, business_date=business_date)
    book.full_clean(validate_constraints=False)
    try:
        with transaction.atomic():
            book.save()
    except IntegrityError:
        raise ValidationError(
            _("Counter %(code)s already has a cash book for %(date)s.")
            % {"code": counter.code, "date": business_date.strftime("%d-%m-%Y")}
        ) from None
    return book


# --------------------------------------------------------------------------------------------- take


def _clean_txn_reference(reference: str) -> str:
    reference = ascii_digits((reference or "").strip()).replace(" ", "").upper()
    if not (reference.isascii() and reference.isalnum() and 6 <= len(reference) <= 20):
        raise ValidationError(
            {
                "txn_reference": _(
                    "Enter the transaction reference from the card terminal or the UPI app "
                    "(6 to 20 letters and digits, e.g. the 12-digit UTR)."
                )
            }
        )
    return reference


def _clean_instrument(
    mode: str, number: str, bank: str, date: datetime.date | None, today: datetime.date
) -> tuple[str, str, datetime.date | None]:
    if mode not in INSTRUMENT_CHANNELS:
        return "", "", None
    errors = {}
    number, bank = ascii_digits((number or "").strip()), (bank or "").strip()
    if not is_ascii_digits(number) or not 6 <= len(number) <= 20:
        errors["instrument_number"] = _("Enter the cheque or draft number (6 or more digits).")
    if not bank:
        errors["instrument_bank"] = _("Enter the bank the cheque or draft is drawn on.")
    if date is None:
        errors["instrument_date"] = _("Enter the date on the cheque or draft.")
    elif date > today:
        errors["instrument_date"] = _("A post-dated cheque or draft is not accepted.")
    elif (today - date).days > INSTRUMENT_VALID_DAYS:
        errors["instrument_date"] = _("The cheque or draft is older than three months and no longer valid.")
    if errors:
        raise ValidationError(errors)
    return number, bank[:60], date


def counter_payment_take(
    *,
    cash_book: CashBook,
    consumer: Consumer,
    amount: Decimal | str,
    mode: str,
    by,
    token: str = "",
    instrument_number: str = "",
    instrument_bank: str = "",
    instrument_date: datetime.date | None = None,
    txn_reference: str = "",
) -> PostResult:
    """Take a payment at the counter of an open cash book, through `payment_post`.

    `token` is the form's idempotency token: the same token posts once, so a double-submitted form
    returns the first receipt. Without one, the book's next serial is the reference."""
    if isinstance(amount, float):
        raise TypeError("money must not be a float")
    try:
        amount = round_paisa(Decimal(str(amount)))
    except (InvalidOperation, ValueError):
        raise ValidationError({"amount": _("Enter the amount in rupees, e.g. 1250 or 1250.50.")}) from None
    if amount <= 0:
        raise ValidationError({"amount": _("The amount must be more than zero.")})
    if mode not in COUNTER_CHANNELS:
        raise ValidationError({"mode": _("Choose how the money is paid: cash, cheque, DD, card or UPI.")})
    if mode == Channel.CASH and amount != amount.to_integral_value():
        raise ValidationError({"amount": _("Cash is taken in whole rupees.")})
    token = (token or "").strip()
    if token and not _TOKEN.match(token):
        raise ValidationError(_("The form has expired: open the payment form again."))
    if by is None or not by.can(roles.TAKE_PAYMENTS):
        raise PermissionDenied(_("Only a cashier may take payments."))
    today = clock.today()
    number, bank, date = _clean_instrument(mode, instrument_number, instrument_bank, instrument_date, today)
    if mode in REFERENCE_CHANNELS:
        number = _clean_txn_reference(txn_reference)

    with transaction.atomic():
        book = (
            CashBook.objects.select_for_update()
            .select_related("counter", "counter__office")
            .get(pk=cash_book.pk)
        )
        counter = book.counter
        if book.cashier_id != by.pk:
            raise PermissionDenied(_("Only the cashier who opened this cash book may take payments on it."))
        source = counter_source(counter)
        if token:
            reference = f"{book.pk}:{token}"
            if Payment.objects.filter(source=source, reference=reference).exists():
                # A double-submitted form: answer with the receipt already issued (or a conflict).
                return payment_post(
                    consumer=consumer, amount=amount, channel=mode, source=source, reference=reference
                )
        else:
            reference = f"{book.pk}-{book.payments.count() + 1}"
        if book.status != CashBookStatus.OPEN:
            raise ValidationError(
                _("The cash book of %(date)s is %(status)s: no payment can be taken on it.")
                % {"date": book.business_date.strftime("%d-%m-%Y"), "status": book.get_status_display()}
            )
        if book.business_date != today:
            raise ValidationError(
                _("This cash book is for %(date)s: close it and open today's book.")
                % {"date": book.business_date.strftime("%d-%m-%Y")}
            )
        if not user_covers(by, consumer.office):
            raise PermissionDenied(_("This account is not in your office."))
        return payment_post(
            consumer=consumer,
            amount=amount,
            channel=mode,
            source=source,
            reference=reference,
            by=by,
            receipt_series=source,
            cash_book=book,
            instrument_number=number,
            instrument_bank=bank,
            instrument_date=date,
        )


# ------------------------------------------------------------------------------- spot collection

#: The payment source of cash taken at the door by a meter reader (the reference is the device's
#: receipt number, unique within it).
SPOT_SOURCE = "spot"


def spot_receipt_prefix(reader) -> str:
    """A meter reader's own receipt series prefix: SC-<office code>-<reader id>-."""
    return f"SC-{reader.office.code if reader.office_id else 'HQ'}-{reader.pk}-"


def spot_cash_book(*, reader, business_date: datetime.date) -> CashBook:
    """The meter reader's cash book for the day (their own counter at their office, opened on first
    use): spot collections are counted, closed and verified like a counter's."""
    code = f"SC-{reader.pk}"[:20]
    counter, _created = Counter.objects.get_or_create(
        code=code, defaults={"name": f"Spot collection {reader.username}"[:80], "office": reader.office}
    )
    try:
        with transaction.atomic():
            book, _created = CashBook.objects.get_or_create(
                counter=counter, business_date=business_date, defaults={"cashier": reader}
            )
    except IntegrityError:
        book = CashBook.objects.get(counter=counter, business_date=business_date)
    return book


def spot_payment_take(
    *,
    reader,
    consumer: Consumer,
    amount: Decimal | str,
    receipt_number: str,
    paid_at: datetime.datetime,
) -> PostResult:
    """Cash taken at the door by `reader` against receipt `receipt_number` of their own series, posted
    once (the receipt number is the reference) into their cash book of the day it was paid."""
    if isinstance(amount, float):
        raise TypeError("money must not be a float")
    try:
        amount = round_paisa(Decimal(str(amount)))
    except (InvalidOperation, ValueError):
        raise ValidationError({"amount": _("Enter the amount in rupees, e.g. 1250 or 1250.50.")}) from None
    if reader is None or not reader.can(roles.RECORD_READINGS):
        raise PermissionDenied(_("Only a meter reader takes cash at the door."))
    if not user_covers(reader, consumer.office):
        raise PermissionDenied(_("This account is not in your office."))
    prefix = spot_receipt_prefix(reader)
    receipt_number = (receipt_number or "").strip()
    if not receipt_number.startswith(prefix) or not is_ascii_digits(receipt_number[len(prefix) :]):
        raise ValidationError(
            {"receipt_number": _("The receipt number is not of your series %(prefix)s.") % {"prefix": prefix}}
        )
    with transaction.atomic():
        book = spot_cash_book(reader=reader, business_date=clock.local_date(paid_at))
        book = CashBook.objects.select_for_update().get(pk=book.pk)
        existing = Payment.objects.filter(source=SPOT_SOURCE, reference=receipt_number).exists()
        if not existing and book.status != CashBookStatus.OPEN:
            raise ValidationError(
                _("The cash book of %(date)s is %(status)s: no payment can be taken on it.")
                % {"date": book.business_date.strftime("%d-%m-%Y"), "status": book.get_status_display()}
            )
        return payment_post(
            consumer=consumer,
            amount=amount,
            channel=Channel.CASH,
            source=SPOT_SOURCE,
            reference=receipt_number,
            paid_at=paid_at,
            by=reader,
            receipt_series=f"spot:{reader.pk}",
            receipt_prefix=prefix,
            cash_book=book,
        )


def spot_receipt_next(reader) -> int:
    """The next number of the reader's receipt series as the server knows it (after the highest one
    posted), for a device that starts afresh."""
    prefix = spot_receipt_prefix(reader)
    numbers = [
        int(ascii_digits(reference[len(prefix) :]))
        for reference in Payment.objects.filter(source=SPOT_SOURCE, reference__startswith=prefix).values_list(
            "reference", flat=True
        )
        if is_ascii_digits(reference[len(prefix) :])
    ]
    return max(numbers, default=0) + 1


# -------------------------------------------------------------------------------------------- close


def cash_expected(cash_book: CashBook) -> Decimal:
    """The cash that should be in the drawer: the book's posted cash payments (a payment cancelled
    before the close was handed back)."""
    total = cash_book.payments.filter(status=PaymentStatus.POSTED, channel=Channel.CASH).aggregate(
        t=MoneySum("amount")
    )["t"]
    return (total or ZERO).quantize(ZERO)


def denominations_total(denominations: dict[str, int]) -> Decimal:
    """Validate a denomination count {"500": 12, …} and return the cash it adds up to."""
    errors = []
    total = 0
    for key, count in denominations.items():
        try:
            value = int(str(key))
        except ValueError:
            value = None
        if value not in DENOMINATIONS:
            errors.append(_("%(value)s is not a denomination counted at the close.") % {"value": key})
            continue
        if isinstance(count, bool) or not isinstance(count, int) or count < 0:
            errors.append(_("The count of ₹%(value)s must be a whole number, 0 or more.") % {"value": value})
            continue
        total += value * count
    if errors:
        raise ValidationError(errors)
    return Decimal(total).quantize(Decimal("0.01"))


def book_totals(cash_book: CashBook) -> dict:
    """Totals of a book by mode, from its payments (JSON-ready: amounts as strings)."""
    by_mode = {}
    total, count = ZERO, 0
    rows = (
        cash_book.payments.filter(status=PaymentStatus.POSTED)
        .values("channel")
        .annotate(n=Count("id"), amount=MoneySum("amount"))
        .order_by("channel")
    )
    for row in rows:
        by_mode[row["channel"]] = {"count": row["n"], "amount": f"{row['amount']:.2f}"}
        total += row["amount"]
        count += row["n"]
    reversed_ = cash_book.payments.exclude(status=PaymentStatus.POSTED).aggregate(
        n=Count("id"), amount=MoneySum("amount")
    )
    return {
        "by_mode": by_mode,
        "count": count,
        "total": f"{total:.2f}",
        "reversed": {"count": reversed_["n"], "amount": f"{reversed_['amount'] or ZERO:.2f}"},
    }


@transaction.atomic
def cash_book_close(*, cash_book: CashBook, by, denominations: dict[str, int]) -> CashBook:
    """Close the day: the counted cash must equal the book's cash exactly, else nothing changes."""
    book = CashBook.objects.select_for_update().get(pk=cash_book.pk)
    if by is None or book.cashier_id != by.pk:
        raise PermissionDenied(_("Only the cashier of this cash book may close it."))
    if book.status != CashBookStatus.OPEN:
        raise ValidationError(
            _("This cash book is already closed (%(status)s).") % {"status": book.get_status_display()}
        )
    counted = denominations_total(denominations)
    clean = {str(int(str(key))): count for key, count in denominations.items() if count}
    expected = cash_expected(book)
    if counted != expected:
        difference = counted - expected
        raise ValidationError(
            _(
                "The cash counted (₹%(counted)s) does not match the cash taken (₹%(expected)s): "
                "%(what)s ₹%(difference)s. Count again; nothing was closed."
            )
            % {
                "counted": counted,
                "expected": expected,
                "what": _("excess") if difference > 0 else _("short by"),
                "difference": abs(difference),
            }
        )
    book.denominations = {key: clean[key] for key in sorted(clean, key=int, reverse=True)}
    book.cash_counted, book.cash_expected = counted, expected
    book.totals = book_totals(book)
    book.status, book.closed_at = CashBookStatus.CLOSED, clock.now()
    book.full_clean(validate_constraints=False, validate_unique=False)
    book.save(
        update_fields=[
            "denominations",
            "cash_counted",
            "cash_expected",
            "totals",
            "status",
            "closed_at",
            "updated_at",
        ]
    )
    cash_book.refresh_from_db()
    return book


@transaction.atomic
def cash_book_verify(*, cash_book: CashBook, by) -> CashBook:
    """A supervisor (not the cashier) verifies a closed book."""
    book = CashBook.objects.select_for_update().select_related("counter__office").get(pk=cash_book.pk)
    if by is None or not by.can(roles.VERIFY_CASH):
        raise PermissionDenied(_("Only a supervisor may verify a cash book."))
    if book.cashier_id == by.pk:
        raise PermissionDenied(_("A cashier cannot verify their own cash book."))
    if not user_covers(by, book.counter.office):
        raise PermissionDenied(_("This counter is not in your office."))
    if book.status != CashBookStatus.CLOSED:
        raise ValidationError(
            _("Only a closed cash book can be verified; this one is %(status)s.")
            % {"status": book.get_status_display()}
        )
    book.status, book.verified_by, book.verified_at = CashBookStatus.VERIFIED, by, clock.now()
    book.save(update_fields=["status", "verified_by", "verified_at", "updated_at"])
    cash_book.refresh_from_db()
    return book


# ---------------------------------------------------------------------------------------- selectors


def counters_for(user) -> QuerySet[Counter]:
    return Counter.objects.filter(office_q(user)).select_related("office")


def cash_books_for(user) -> QuerySet[CashBook]:
    return CashBook.objects.filter(office_q(user, field="counter__office")).select_related(
        "counter", "counter__office", "cashier", "verified_by"
    )


def book_payments(cash_book: CashBook) -> QuerySet[Payment]:
    """A book's payments in the order taken, with what the list shows (two queries in all)."""
    return cash_book.payments.select_related("consumer", "cancelled_by").order_by("posted_at", "id")


@dataclass(frozen=True)
class AccountOverview:
    """What the cashier sees before taking money: who, how much is due, and whether a cheque is taken."""

    consumer: Consumer
    balance: Decimal
    last_bill_number: str
    last_bill_due: datetime.date | None
    last_bill_payable: Decimal | None
    cash_only_until: datetime.date | None

    @property
    def amount_due(self) -> Decimal:
        return max(self.balance, ZERO)

    @property
    def advance(self) -> Decimal:
        return max(-self.balance, ZERO)

    @property
    def suggested_amount(self) -> Decimal:
        """The amount due, rounded up to the rupee (cash is taken in whole rupees)."""
        return self.amount_due.to_integral_value(rounding="ROUND_CEILING").quantize(Decimal("0.01"))


def account_overview(consumer: Consumer, *, today: datetime.date | None = None) -> AccountOverview:
    from urja.billing.choices import BillStatus
    from urja.billing.models import Bill
    from urja.ledger.selectors import balance

    today = today or clock.today()
    bill = (
        Bill.objects.filter(consumer=consumer, status=BillStatus.ISSUED)
        .order_by("-period", "-id")
        .only("bill_number", "due_date", "payable")
        .first()
    )
    cash_only = (
        consumer.cash_only_until if consumer.cash_only_until and consumer.cash_only_until >= today else None
    )
    return AccountOverview(
        consumer=consumer,
        balance=balance(consumer.pk).quantize(ZERO),
        last_bill_number=bill.bill_number if bill else "",
        last_bill_due=bill.due_date if bill else None,
        last_bill_payable=bill.payable if bill else None,
        cash_only_until=cash_only,
    )
