"""Collection pages of the staff console: counters and cash books, taking a payment, receipts, the
close of the day, verification, cancellation and cheque bounce, and the daily collection summary.

Every record is reached through a selector limited to the user's office subtree, so a counter, book,
account or payment of another office is a 404. Writes go through the services, one transaction each.
"""

from decimal import Decimal

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from urja.common import clock
from urja.common.errors import NotFound
from urja.customers.selectors import consumer_get
from urja.domain.money import format_indian
from urja.org import roles
from urja.org.permissions import capability_required
from urja.payments import cashbooks as cash
from urja.payments import selectors as collections
from urja.payments.choices import CashBookStatus, Channel, MatchStatus, PaymentStatus
from urja.payments.receipts import receipt_for, render_receipt_pdf
from urja.payments.services import PaymentConflict, payment_bounce, payment_cancel, payment_max
from urja.payments.settlement import settlement_files_for
from urja.staff.forms.collections import (
    AccountLookupForm,
    BounceForm,
    CancelForm,
    CloseForm,
    PaymentForm,
    SummaryForm,
    new_token,
)
from urja.staff.views.base import error_text, errors_to_form

RECENT_BOOKS = 10


COUNTER_ROLES = (roles.TAKE_PAYMENTS, roles.VERIFY_CASH, roles.VIEW_REPORTS)


# ------------------------------------------------------------------------------------------ counters


@capability_required(*COUNTER_ROLES)
def counter_list(request):
    today = clock.today()
    counters = list(cash.counters_for(request.user).filter(is_active=True))
    books = {
        book.counter_id: book
        for book in cash.cash_books_for(request.user).filter(
            business_date=today, counter__in=[c.pk for c in counters]
        )
    }
    rows = [(counter, books.get(counter.pk)) for counter in counters]
    waiting = cash.cash_books_for(request.user).filter(status=CashBookStatus.CLOSED).count()
    return render(
        request,
        "payments/counters.html",
        {"rows": rows, "today": today, "waiting": waiting},
    )


@require_POST
@capability_required(roles.TAKE_PAYMENTS)
def cash_book_open(request, counter_id: int):
    counter = get_object_or_404(cash.counters_for(request.user), pk=counter_id)
    try:
        cash.cash_book_open(counter=counter, cashier=request.user)
    except (ValidationError, PermissionDenied) as exc:
        messages.error(request, error_text(exc))
        return redirect("payments:counters")
    messages.success(request, _("Today's cash book for %(counter)s is open.") % {"counter": counter})
    return redirect("payments:counter", counter_id=counter.pk)


def _counter_page(request, counter, *, lookup=None, form=None, overview=None, status=200, lookup_error=""):
    today = clock.today()
    book = cash.cash_books_for(request.user).filter(counter=counter, business_date=today).first()
    can_take = bool(
        book and book.status == CashBookStatus.OPEN and book.cashier_id == request.user.pk
    ) and request.user.can(roles.TAKE_PAYMENTS)
    if can_take and lookup is None:
        lookup = AccountLookupForm(initial={"account": ""})
    payments = list(cash.book_payments(book)) if book else []
    recent = list(
        cash.cash_books_for(request.user).filter(counter=counter).exclude(business_date=today)[:RECENT_BOOKS]
    )
    return render(
        request,
        "payments/counter.html",
        {
            "counter": counter,
            "book": book,
            "today": today,
            "can_take": can_take,
            "lookup": lookup,
            "lookup_error": lookup_error,
            "overview": overview,
            "form": form,
            "payments": payments,
            "expected_cash": cash.cash_expected(book) if book else None,
            "recent": recent,
        },
        status=status,
    )


@capability_required(*COUNTER_ROLES)
def counter_detail(request, counter_id: int):
    """The counter page; `?account=` looks an account up and shows the payment form for it."""
    counter = get_object_or_404(cash.counters_for(request.user), pk=counter_id)
    if "account" not in request.GET:
        return _counter_page(request, counter)
    lookup = AccountLookupForm(request.GET)
    if not lookup.is_valid():
        return _counter_page(request, counter, lookup=lookup, status=400)
    number = lookup.cleaned_data["account"]
    try:
        consumer = consumer_get(principal=request.user, account_number=number)
    except NotFound:
        message = _("No account %(number)s in your office.") % {"number": number}
        return _counter_page(request, counter, lookup=lookup, lookup_error=message, status=404)
    overview = cash.account_overview(consumer)
    form = PaymentForm(
        initial={
            "account": consumer.account_number,
            "token": new_token(),
            "amount": overview.suggested_amount or None,
            "mode": Channel.CASH,
        }
    )
    return _counter_page(request, counter, lookup=lookup, form=form, overview=overview)


@require_POST
@capability_required(roles.TAKE_PAYMENTS)
def payment_take(request, book_id: int):
    book = get_object_or_404(cash.cash_books_for(request.user), pk=book_id)
    form = PaymentForm(request.POST)
    lookup = AccountLookupForm(initial={"account": request.POST.get("account", "")})
    if not form.is_valid():
        return _counter_page(request, book.counter, lookup=lookup, form=form, status=400)
    data = form.cleaned_data
    consumer = consumer_get(principal=request.user, account_number=data["account"])
    overview = cash.account_overview(consumer)
    advance = data["amount"] - max(overview.amount_due, Decimal("0"))
    # An amount the service refuses anyway (over the channel's maximum) is refused with its reason.
    if (
        advance > 0
        and not data["confirm_advance"]
        and data["amount"] <= payment_max(data["mode"])
        and not cash.token_used(book, data["token"])
    ):
        form.add_error(
            "confirm_advance",
            _(
                "₹%(amount)s is more than the ₹%(due)s due: ₹%(advance)s will be kept as advance "
                "against the next bills. Tick to confirm, or correct the amount."
            )
            % {
                "amount": format_indian(data["amount"]),
                "due": format_indian(max(overview.amount_due, Decimal("0"))),
                "advance": format_indian(advance),
            },
        )
        form.ask_advance = True
        return _counter_page(request, book.counter, lookup=lookup, form=form, overview=overview, status=400)
    try:
        result = cash.counter_payment_take(
            cash_book=book,
            consumer=consumer,
            amount=data["amount"],
            mode=data["mode"],
            by=request.user,
            token=data["token"],
            instrument_number=data["instrument_number"],
            instrument_bank=data["instrument_bank"],
            instrument_date=data["instrument_date"],
            txn_reference=data["txn_reference"],
        )
    except ValidationError as exc:
        errors_to_form(form, exc)
    except PermissionDenied as exc:
        form.add_error(None, error_text(exc))
    except PaymentConflict as exc:
        form.data = form.data.copy()
        form.data["token"] = new_token()
        form.add_error(
            None,
            _("This form was already used for receipt %(number)s with other details: start a new payment.")
            % {"number": exc.existing.receipt_number},
        )
    else:
        payment = result.payment
        if result.created:
            # One step: the receipt page this redirects to opens the print dialog once, on its
            # thermal copy (a replayed form or a later visit does not print again).
            request.session[AUTOPRINT_KEY] = payment.pk
            messages.success(
                request,
                _("₹%(amount)s received: receipt %(number)s.")
                % {"amount": payment.amount, "number": payment.receipt_number},
            )
        else:
            messages.info(
                request,
                _("This payment was already taken: receipt %(number)s.") % {"number": payment.receipt_number},
            )
        return redirect("payments:payment", payment_id=payment.pk)
    return _counter_page(request, book.counter, lookup=lookup, form=form, overview=overview, status=400)


# ---------------------------------------------------------------------------------------- cash books


def _book_context(request, book) -> dict:
    payments = list(cash.book_payments(book))
    totals = book.totals if book.status != CashBookStatus.OPEN else cash.book_totals(book)
    channel_labels = dict(Channel.choices)
    by_mode = [
        (channel_labels.get(mode, mode), values["count"], values["amount"])
        for mode, values in sorted(totals.get("by_mode", {}).items())
    ]
    denominations = [
        (int(value), count, int(value) * count) for value, count in (book.denominations or {}).items()
    ]
    return {
        "book": book,
        "payments": payments,
        "totals": totals,
        "by_mode": by_mode,
        "denominations": denominations,
        "expected_cash": cash.cash_expected(book)
        if book.status == CashBookStatus.OPEN
        else book.cash_expected,
        "can_verify": (
            book.status == CashBookStatus.CLOSED
            and request.user.can(roles.VERIFY_CASH)
            and book.cashier_id != request.user.pk
        ),
        "can_close": book.status == CashBookStatus.OPEN and book.cashier_id == request.user.pk,
    }


@capability_required(*COUNTER_ROLES)
def book_detail(request, book_id: int):
    book = get_object_or_404(cash.cash_books_for(request.user), pk=book_id)
    return render(request, "payments/book.html", _book_context(request, book))


@capability_required(*COUNTER_ROLES)
def book_print(request, book_id: int):
    """The day-end printout of a cash book: every payment, the totals by mode, the cash counted, and
    lines for the cashier's and the verifying officer's signatures."""
    book = get_object_or_404(cash.cash_books_for(request.user), pk=book_id)
    return render(request, "payments/book_print.html", _book_context(request, book))


@capability_required(roles.TAKE_PAYMENTS)
def book_close(request, book_id: int):
    book = get_object_or_404(cash.cash_books_for(request.user), pk=book_id)
    if book.cashier_id != request.user.pk:
        raise PermissionDenied
    form = CloseForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                cash.cash_book_close(cash_book=book, by=request.user, denominations=form.denominations())
            except (ValidationError, PermissionDenied) as exc:
                form.add_error(None, error_text(exc))
            else:
                messages.success(request, _("The cash book is closed and waits for the supervisor's check."))
                return redirect("payments:book", book_id=book.pk)
        status = 400
        book.refresh_from_db()
    context = _book_context(request, book) | {"form": form}
    return render(request, "payments/close.html", context, status=status)


@capability_required(roles.VERIFY_CASH)
def books_to_verify(request):
    books = list(
        cash.cash_books_for(request.user)
        .filter(status=CashBookStatus.CLOSED)
        .order_by("business_date", "counter__code")
    )
    return render(request, "payments/verify.html", {"books": books})


@require_POST
@capability_required(roles.VERIFY_CASH)
def book_verify(request, book_id: int):
    book = get_object_or_404(cash.cash_books_for(request.user), pk=book_id)
    try:
        cash.cash_book_verify(cash_book=book, by=request.user)
    except (ValidationError, PermissionDenied) as exc:
        messages.error(request, error_text(exc))
    else:
        messages.success(
            request,
            _("Cash book of %(counter)s for %(date)s verified.")
            % {"counter": book.counter.code, "date": book.business_date.strftime("%d-%m-%Y")},
        )
    return redirect("payments:book", book_id=book.pk)


# ------------------------------------------------------------------------------------------ payments


def _payment_get(request, payment_id: int):
    qs = collections.payments_for(request.user).select_related(
        "consumer", "consumer__office", "cash_book", "cash_book__counter", "posted_by", "cancelled_by"
    )
    return get_object_or_404(qs, pk=payment_id)


def _posting_line(user, payment):
    """The settlement file line that posted a late payment, if the user may see its file."""
    if not payment.late:
        return None
    line = payment.settlement_lines.filter(status=MatchStatus.POSTED_LATE).select_related("file").first()
    if line is not None and not settlement_files_for(user).filter(pk=line.file_id).exists():
        return {"line_number": line.line_number, "file": None}
    return line


#: Session key: the payment whose receipt the next view of its page prints (set by "take payment").
AUTOPRINT_KEY = "urja_autoprint_payment"


def _payment_page(request, payment, *, cancel_form=None, bounce_form=None, status=200):
    user = request.user
    autoprint = request.session.get(AUTOPRINT_KEY) == payment.pk
    if autoprint:
        del request.session[AUTOPRINT_KEY]
    can_act = payment.status == PaymentStatus.POSTED and user.can(roles.VERIFY_CASH)
    return render(
        request,
        "payments/payment.html",
        {
            "payment": payment,
            "receipt": receipt_for(payment),
            "autoprint": autoprint,
            "settlement_line": _posting_line(user, payment),
            "bounce_charge": settings.URJA_PAYMENTS["BOUNCE_CHARGE"],
            "cash_only_days": settings.URJA_PAYMENTS["CASH_ONLY_DAYS"],
            "cancel_form": (cancel_form or CancelForm()) if can_act else None,
            "bounce_form": (bounce_form or BounceForm())
            if can_act and payment.channel in (Channel.CHEQUE, Channel.DD)
            else None,
        },
        status=status,
    )


@capability_required(roles.VIEW_CONSUMERS)
def payment_detail(request, payment_id: int):
    return _payment_page(request, _payment_get(request, payment_id))


@require_POST
@capability_required(roles.VERIFY_CASH)
def payment_cancel_view(request, payment_id: int):
    payment = _payment_get(request, payment_id)
    form = CancelForm(request.POST)
    if form.is_valid():
        try:
            payment_cancel(payment=payment, by=request.user, reason=form.cleaned_data["reason"])
        except (ValidationError, PermissionDenied) as exc:
            form.add_error(None, error_text(exc))
        else:
            messages.success(
                request,
                _("Receipt %(number)s cancelled; the payment is reversed in the ledger.")
                % {"number": payment.receipt_number},
            )
            return redirect("payments:payment", payment_id=payment.pk)
    return _payment_page(request, payment, cancel_form=form, status=400)


@require_POST
@capability_required(roles.VERIFY_CASH)
def payment_bounce_view(request, payment_id: int):
    payment = _payment_get(request, payment_id)
    form = BounceForm(request.POST)
    if form.is_valid():
        try:
            payment_bounce(
                payment=payment,
                by=request.user,
                reason=form.cleaned_data["reason"],
                bounce_date=form.cleaned_data["bounce_date"],
            )
        except (ValidationError, PermissionDenied) as exc:
            form.add_error(None, error_text(exc))
        else:
            messages.success(
                request,
                _("Receipt %(number)s marked bounced: reversed, charged, and the account is cash-only.")
                % {"number": payment.receipt_number},
            )
            return redirect("payments:payment", payment_id=payment.pk)
    return _payment_page(request, payment, bounce_form=form, status=400)


@capability_required(roles.VIEW_CONSUMERS)
def receipt_pdf(request, payment_id: int):
    payment = _payment_get(request, payment_id)
    response = HttpResponse(render_receipt_pdf(payment), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="receipt-{payment.receipt_number}.pdf"'
    return response


@capability_required(roles.VIEW_CONSUMERS)
def receipt_print(request, payment_id: int):
    """The receipt on a narrow page for a thermal printer: ?width=58 or 80 (mm)."""
    payment = _payment_get(request, payment_id)
    width = "58" if request.GET.get("width") == "58" else "80"
    return render(
        request,
        "payments/receipt_print.html",
        {"payment": payment, "receipt": receipt_for(payment), "width": width},
    )


# ------------------------------------------------------------------------------------------- summary


@capability_required(*COUNTER_ROLES)
def collection_summary(request):
    form = SummaryForm(request.GET or None, user=request.user, initial={"day": clock.today()})
    summary = check = None
    if not request.GET or form.is_valid():
        data = form.cleaned_data if form.is_bound else {}
        day = data.get("day") or clock.today()
        summary = collections.collection_summary(principal=request.user, day=day, office=data.get("office"))
        check = collections.collection_ledger_check(summary, principal=request.user)
    return render(
        request,
        "payments/summary.html",
        {"form": form, "summary": summary, "check": check},
        status=200 if summary else 400,
    )
