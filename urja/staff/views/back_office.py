"""Back-office collection pages of the staff console: settlement files and their reconciliation,
the collection summary rolled up by office, adjustments (maker-checker), one-time settlement schemes,
the statement PDF and the LPSC run; plus what the consumer page shows of them.

Views are thin: they check the capability (403), reach records through office-scoped querysets or
``consumer_get`` (404 outside the user's offices) and call the services, whose errors are shown on the
page in the user's language; a refused write changes nothing (every service is one transaction).
"""

from __future__ import annotations

import datetime

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from urja.arrears import adjustments as adj
from urja.arrears import lpsc, ots
from urja.arrears.choices import AdjustmentStatus
from urja.arrears.models import Adjustment, OtsRegistration, OtsScheme
from urja.billing.selectors import last_twelve_months
from urja.common import clock
from urja.customers.selectors import consumer_get
from urja.domain.lpsc import surcharge_total
from urja.org import roles
from urja.org.permissions import capability_required
from urja.org.selectors import office_q
from urja.payments import selectors as collections
from urja.payments import settlement as reconciliation
from urja.payments.choices import MatchStatus, SettlementFileStatus
from urja.payments.selectors import payments_for
from urja.payments.statement_pdf import render_statement_pdf
from urja.staff.forms.billing import StatementForm
from urja.staff.forms.collections import (
    AdjustmentDecideForm,
    AdjustmentRequestForm,
    DayForm,
    LpscRunForm,
    OtsRegisterForm,
    RollupForm,
    SettlementDecideForm,
    SettlementUploadForm,
)
from urja.staff.views.base import error_text, errors_to_form

LINES_PER_PAGE = 50
FILES_PER_PAGE = 25
SETTLEMENT_ROLES = (roles.VERIFY_CASH, roles.VIEW_REPORTS)
ADJUST_ROLES = (roles.EDIT_CONSUMERS, roles.APPROVE_ADJUSTMENTS)
OTS_ROLES = (roles.EDIT_CONSUMERS, roles.TAKE_PAYMENTS)
OTS_VIEW_ROLES = (*OTS_ROLES, roles.VIEW_REPORTS, roles.APPROVE_ADJUSTMENTS)
LPSC_ROLES = (roles.VERIFY_CASH, roles.ADMINISTER)
REPORT_ROLES = (roles.VIEW_REPORTS, roles.VERIFY_CASH)
# The order statuses are shown in: the file's own lines first, then what only Urja has.
STATUS_ORDER = (
    MatchStatus.MATCHED,
    MatchStatus.TO_POST,
    MatchStatus.POSTED_LATE,
    MatchStatus.AMOUNT_MISMATCH,
    MatchStatus.INVALID,
    MatchStatus.MISSING_IN_FILE,
)


# -------------------------------------------------------------------------------- settlement files


def sees_settlements(user) -> bool:
    """Settlement files are shown to cash supervisors and users who see every office, each file to
    those whose offices contain the file's (``reconciliation.settlement_files_for``)."""
    return user.sees_everything or user.can(roles.VERIFY_CASH)


def _settlement_list_page(request, form, status=200):
    user = request.user
    files = (
        reconciliation.settlement_files_for(user).select_related("imported_by", "decided_by")
        if sees_settlements(user)
        else None
    )
    waiting = None
    if files is not None:
        shown = request.GET.get("status") or ""
        if shown in SettlementFileStatus.values:
            files = files.filter(status=shown)
        waiting = [
            f
            for f in reconciliation.settlement_files_for(user)
            .filter(status=SettlementFileStatus.PENDING)
            .exclude(imported_by=user)
            .select_related("office", "imported_by")[:FILES_PER_PAGE]
            if reconciliation.may_decide(user, f)
        ]
    page = Paginator(files, FILES_PER_PAGE).get_page(request.GET.get("page")) if files is not None else None
    return render(
        request,
        "payments/settlement_list.html",
        {
            "form": form,
            "page": page,
            "sees_files": files is not None,
            "waiting": waiting,
            "can_upload": user.can(roles.VERIFY_CASH),
            "today": clock.today(),
        },
        status=status,
    )


@capability_required(*SETTLEMENT_ROLES)
def settlement_list(request):
    """The settlement files of the user's offices, newest first, those waiting for the user's
    decision, and (for a cash supervisor) the upload form."""
    if request.method != "POST":
        return _settlement_list_page(request, SettlementUploadForm(user=request.user))
    if not request.user.can(roles.VERIFY_CASH):
        raise PermissionDenied
    form = SettlementUploadForm(request.POST, request.FILES, user=request.user)
    if form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            settlement = reconciliation.settlement_import(
                data=upload.read(),
                file_name=upload.name,
                source_name=form.cleaned_data["source"].code,
                by=request.user,
            )
        except (ValidationError, PermissionDenied) as exc:
            form.add_error(None, error_text(exc))
        else:
            messages.success(
                request,
                _(
                    "Settlement file %(name)s imported: %(lines)s lines. Nothing is posted until a second "
                    "supervisor approves it."
                )
                % {"name": settlement.file_name, "lines": settlement.lines_total},
            )
            return redirect("payments:settlement", file_id=settlement.pk)
    return _settlement_list_page(request, form, status=400)


def _status_rows(by_status: dict) -> list[dict]:
    labels = dict(MatchStatus.choices)
    return [
        {
            "status": status.value,
            "label": labels[status],
            "count": (by_status.get(status.value) or {}).get("count", 0),
            "amount": (by_status.get(status.value) or {}).get("amount", "0.00"),
        }
        for status in STATUS_ORDER
    ]


def _settlement_get(request, file_id: int):
    """A file in the user's offices; any other is a 404, like one that does not exist."""
    if not sees_settlements(request.user):
        raise Http404
    files = reconciliation.settlement_files_for(request.user).select_related(
        "imported_by", "decided_by", "office", "settlement_source"
    )
    return get_object_or_404(files, pk=file_id)


def _settlement_page(request, settlement, *, decide_form=None, error="", status=200):
    report = reconciliation.settlement_file_report(settlement)
    shown = request.GET.get("status") or ""
    if shown not in MatchStatus.values:
        shown = ""
    lines = [line for s in STATUS_ORDER if not shown or s == shown for line in report["lines"].get(s, [])]
    lines.sort(key=lambda line: (line.line_number == 0, line.line_number, line.pk))
    page = Paginator(lines, LINES_PER_PAGE).get_page(request.GET.get("page"))
    # Link only the payments the user may open (payment pages are office-scoped).
    payment_ids = [line.payment_id for line in page.object_list if line.payment_id]
    linked = set(payments_for(request.user).filter(pk__in=payment_ids).values_list("pk", flat=True))
    summary = report["summary"] or {}
    pending = settlement.status == SettlementFileStatus.PENDING
    may_decide = reconciliation.may_decide(request.user, settlement)
    return render(
        request,
        "payments/settlement_detail.html",
        {
            "file": settlement,
            "summary": summary,
            "status_rows": _status_rows(summary.get("by_status", {})),
            "status": shown,
            "page": page,
            "linked": linked,
            "pending": pending,
            "to_post": summary.get("to_post") or {"lines": 0, "accounts": 0, "amount": "0.00"},
            "to_post_lines": report["lines"].get(MatchStatus.TO_POST, [])[:LINES_PER_PAGE] if pending else [],
            "may_decide": may_decide,
            "own_file": settlement.imported_by_id == request.user.pk,
            "decide_form": (decide_form or SettlementDecideForm()) if may_decide else None,
            "decide_error": error,
        },
        status=status,
    )


@capability_required(*SETTLEMENT_ROLES)
def settlement_detail(request, file_id: int):
    """One file: counts and amounts per status (the file's lines add up to the file's total), what
    approval would post while it waits, and the lines, optionally of one status, paginated."""
    return _settlement_page(request, _settlement_get(request, file_id))


@require_POST
@capability_required(roles.VERIFY_CASH)
def settlement_decide_view(request, file_id: int):
    """A second supervisor approves (posts) or rejects a pending file."""
    settlement = _settlement_get(request, file_id)
    form = SettlementDecideForm(request.POST)
    if not form.is_valid():
        return _settlement_page(
            request, settlement, decide_form=form, error=_("Choose Approve or Reject."), status=400
        )
    approve = form.cleaned_data["decision"] == "approve"
    try:
        decided = reconciliation.settlement_decide(
            file_id=settlement.pk, by=request.user, approve=approve, note=form.cleaned_data["note"]
        )
    except ValidationError as exc:
        error, status = error_text(exc), 400
    except PermissionDenied as exc:
        error, status = error_text(exc), 403
    else:
        if approve:
            posted = decided.summary["by_status"][MatchStatus.POSTED_LATE]
            text = _("Settlement file %(name)s approved: %(count)s payments posted, ₹%(amount)s.") % {
                "name": decided.file_name,
                "count": posted["count"],
                "amount": posted["amount"],
            }
        else:
            text = _("Settlement file %(name)s rejected; nothing was posted.") % {"name": decided.file_name}
        messages.success(request, text)
        return redirect("payments:settlement", file_id=decided.pk)
    settlement.refresh_from_db()
    return _settlement_page(request, settlement, decide_form=form, error=error, status=status)


@capability_required(*SETTLEMENT_ROLES)
def settlement_day(request):
    """Per bank/gateway source, the payments of a day in the user's offices against the settlement
    lines of that day in the files the user may see."""
    if not sees_settlements(request.user):
        raise Http404
    form = DayForm(request.GET or None)
    rows = None
    day = clock.today()
    if not request.GET or form.is_valid():
        day = form.cleaned_data["date"] if form.is_bound else day
        rows = [
            {"source": row, "statuses": _status_rows(row.statuses)}
            for row in reconciliation.settlement_day_report(day, user=request.user)
        ]
    return render(
        request,
        "payments/settlement_day.html",
        {"form": form, "rows": rows, "day": day, "previous": day - datetime.timedelta(days=1)},
        status=200 if rows is not None else 400,
    )


# ------------------------------------------------------------------------- collection summary roll-up


@capability_required(*REPORT_ROLES)
def collection_rollup(request):
    """The day's collections per office at one level (division, sub-division, DC) and channel, with
    the check that they equal the ledger's payment entries of the day."""
    user = request.user
    form = RollupForm(request.GET or None, user=user, initial={"day": clock.today()})
    summary = ledger_total = office = check = None
    groups = []
    if not request.GET or form.is_valid():
        data = form.cleaned_data if form.is_bound else {}
        day = data.get("day") or clock.today()
        office = data.get("office") or (None if user.sees_everything else user.office)
        if office is None and not user.sees_everything:
            raise PermissionDenied
        summary = collections.collection_summary(
            principal=user, day=day, office=office, level=data.get("level") or "subdivision"
        )
        check = collections.collection_ledger_check(summary, principal=user)
        ledger_total = check.day_ledger_total
        groups = summary.groups()
    return render(
        request,
        "payments/summary_offices.html",
        {
            "form": form,
            "summary": summary,
            "groups": groups,
            "office": office if summary is not None else None,
            "ledger_total": ledger_total,
            "equal": summary is not None and check.equal,
        },
        status=200 if summary is not None else 400,
    )


# ------------------------------------------------------------------------------------- adjustments


def _adjustment_page(request, consumer, form, status=200):
    return render(
        request,
        "payments/adjustment_request.html",
        {
            "consumer": consumer,
            "form": form,
            "limit": adj.approval_limit(),
            "adjustments": consumer.adjustments.select_related("made_by", "decided_by")[:20],
        },
        status=status,
    )


@capability_required(*ADJUST_ROLES)
def adjustment_request_view(request, account_number: str):
    """Ask for a credit or debit to the account (GET shows the form; POST asks the service)."""
    consumer = consumer_get(principal=request.user, account_number=account_number)
    if request.method != "POST":
        return _adjustment_page(request, consumer, AdjustmentRequestForm())
    form = AdjustmentRequestForm(request.POST)
    if form.is_valid():
        try:
            adjustment = adj.adjustment_request(
                consumer=consumer,
                amount=form.cleaned_data["amount"],
                reason=form.cleaned_data["reason"],
                by=request.user,
            )
        except ValidationError as exc:
            errors_to_form(form, exc)
        except PermissionDenied as exc:
            form.add_error(None, error_text(exc))
        else:
            if adjustment.status == AdjustmentStatus.POSTED:
                messages.success(
                    request,
                    _("Adjustment of ₹%(amount)s posted to the account.") % {"amount": adjustment.amount},
                )
            else:
                messages.success(
                    request,
                    _("Adjustment of ₹%(amount)s waits for approval by a checker.")
                    % {"amount": adjustment.amount},
                )
            return redirect(reverse("staff:consumer_detail", args=[consumer.account_number]) + "#adjustments")
    return _adjustment_page(request, consumer, form, status=400)


def _queue_page(request, errors=None, forms=None, status=200):
    pending = list(adj.adjustments_pending_for(request.user).order_by("created_at", "pk"))
    limit = adj.approval_limit()
    forms = forms or {}
    rows = [
        {
            "adjustment": a,
            "form": forms.get(a.pk) or AdjustmentDecideForm(prefix=f"a{a.pk}"),
            "error": (errors or {}).get(a.pk, ""),
            "above_limit": abs(a.amount) > limit,
            "may_approve": abs(a.amount) <= limit or adj.outranks(request.user, a.made_by),
        }
        for a in pending
    ]
    own = (
        Adjustment.objects.filter(made_by=request.user, status=AdjustmentStatus.PENDING)
        .select_related("consumer")
        .order_by("created_at")
    )
    return render(
        request,
        "payments/adjustments.html",
        {"rows": rows, "limit": limit, "own": list(own)},
        status=status,
    )


@capability_required(roles.APPROVE_ADJUSTMENTS)
def adjustment_queue(request):
    """The checker's queue: pending adjustments in the user's offices that they did not make."""
    return _queue_page(request)


@require_POST
@capability_required(roles.APPROVE_ADJUSTMENTS)
def adjustment_decide_view(request, adjustment_id: int):
    adjustment = get_object_or_404(
        Adjustment.objects.filter(office_q(request.user, field="consumer__office")).select_related(
            "consumer"
        ),
        pk=adjustment_id,
    )
    form = AdjustmentDecideForm(request.POST, prefix=f"a{adjustment.pk}")
    error, status = "", 400
    if form.is_valid():
        approve = form.cleaned_data["decision"] == "approve"
        try:
            adj.adjustment_decide(
                adjustment_id=adjustment.pk, by=request.user, approve=approve, note=form.cleaned_data["note"]
            )
        except ValidationError as exc:
            error = error_text(exc)
        except PermissionDenied as exc:
            error, status = error_text(exc), 403
        else:
            if approve:
                text = _("Adjustment #%(id)s for %(account)s approved and posted.")
            else:
                text = _("Adjustment #%(id)s for %(account)s rejected.")
            messages.success(
                request, text % {"id": adjustment.pk, "account": adjustment.consumer.account_number}
            )
            return redirect("payments:adjustments")
    else:
        error = _("Choose Approve or Reject.")
    if adjustment.made_by_id == request.user.pk or adjustment.status != AdjustmentStatus.PENDING:
        # Not in the queue: say why on the queue page.
        messages.error(request, error)
        return _queue_page(request, status=status)
    return _queue_page(request, errors={adjustment.pk: error}, forms={adjustment.pk: form}, status=status)


# ----------------------------------------------------------------------------- one-time settlement


def _registration_get(request, registration_id: int) -> OtsRegistration:
    qs = OtsRegistration.objects.filter(office_q(request.user, field="consumer__office")).select_related(
        "scheme", "consumer"
    )
    return get_object_or_404(qs, pk=registration_id)


@capability_required(*OTS_VIEW_ROLES)
def ots_list(request):
    """The schemes, and the registrations in the user's offices with what is still to pay."""
    today = clock.today()
    schemes = list(OtsScheme.objects.all())
    for scheme in schemes:
        scheme.is_open = scheme.registration_opens <= today <= scheme.registration_closes
        scheme.ends = ots.scheme_ends(scheme)
        scheme.phases = ots.rebate_phases(scheme)
    registrations = OtsRegistration.objects.filter(
        office_q(request.user, field="consumer__office")
    ).select_related("scheme", "consumer")
    page = Paginator(registrations, FILES_PER_PAGE).get_page(request.GET.get("page"))
    rows = [
        {"registration": r, "quote": None if r.settled else ots.ots_quote(registration=r, on=today)}
        for r in page.object_list
    ]
    return render(
        request,
        "payments/ots_list.html",
        {"schemes": schemes, "page": page, "rows": rows, "today": today},
    )


def _consumer_ots_url(consumer) -> str:
    return reverse("staff:consumer_detail", args=[consumer.account_number]) + "#ots"


@require_POST
@capability_required(*OTS_ROLES)
def ots_register_view(request, account_number: str):
    consumer = consumer_get(principal=request.user, account_number=account_number)
    form = OtsRegisterForm(request.POST)
    scheme = None
    if form.is_valid():
        scheme = OtsScheme.objects.filter(pk=form.cleaned_data["scheme"]).first()
    if scheme is None:
        messages.error(request, _("Choose a settlement scheme."))
        return redirect(_consumer_ots_url(consumer))
    try:
        registration = ots.ots_register(scheme=scheme, consumer=consumer, on=clock.today(), by=request.user)
    except (ValidationError, PermissionDenied) as exc:
        messages.error(request, error_text(exc))
    else:
        messages.success(
            request,
            _("Registered in %(scheme)s: principal ₹%(principal)s, surcharge ₹%(surcharge)s.")
            % {
                "scheme": scheme.code,
                "principal": registration.principal,
                "surcharge": registration.surcharge,
            },
        )
    return redirect(_consumer_ots_url(consumer))


@require_POST
@capability_required(*OTS_ROLES)
def ots_settle_view(request, registration_id: int):
    registration = _registration_get(request, registration_id)
    try:
        registration = ots.ots_settle(registration=registration, on=clock.today(), by=request.user)
    except (ValidationError, PermissionDenied) as exc:
        messages.error(request, error_text(exc))
    else:
        messages.success(
            request,
            _("%(scheme)s settled: surcharge waived ₹%(waived)s, principal rebate ₹%(rebate)s.")
            % {
                "scheme": registration.scheme.code,
                "waived": registration.surcharge_waived,
                "rebate": registration.principal_rebate,
            },
        )
    if request.POST.get("next") == "list":
        return redirect("payments:ots")
    return redirect(_consumer_ots_url(registration.consumer))


# ---------------------------------------------------------------------------------- statement PDF


@capability_required(roles.VIEW_CONSUMERS)
def statement_pdf(request, account_number: str):
    """The statement of account ?from= … ?to= (default: the last twelve months) as a PDF."""
    consumer = consumer_get(principal=request.user, account_number=account_number)
    form = StatementForm({"date_from": request.GET.get("from", ""), "date_to": request.GET.get("to", "")})
    if not form.is_valid():
        context = {"consumer": consumer, "form": form, "statement": None}
        return render(request, "staff/statement.html", context, status=400)
    date_to = form.cleaned_data["date_to"] or clock.today()
    date_from = form.cleaned_data["date_from"] or last_twelve_months(date_to)[0]
    date_from = min(date_from, date_to)
    response = HttpResponse(
        render_statement_pdf(consumer, date_from, date_to), content_type="application/pdf"
    )
    name = f"statement-{consumer.account_number}-{date_from:%Y%m%d}-{date_to:%Y%m%d}.pdf"
    response["Content-Disposition"] = f'inline; filename="{name}"'
    return response


# ------------------------------------------------------------------------------------------- LPSC


@capability_required(*LPSC_ROLES)
def lpsc_run(request):
    """Charge this month's late payment surcharge for an office (POST); a second run charges nothing."""
    form = LpscRunForm(request.POST or None, user=request.user)
    result = office = None
    status = 200
    if request.method == "POST":
        if form.is_valid():
            office = form.cleaned_data["office"]
            try:
                result = lpsc.lpsc_apply(on=form.cleaned_data["on"], by=request.user, office=office)
            except ValidationError as exc:
                errors_to_form(form, exc)
        if result is None:
            status = 400
    return render(
        request,
        "payments/lpsc.html",
        {"form": form, "result": result, "office": office, "rates": lpsc.configured_rates()},
        status=status,
    )


# ------------------------------------------------------------------------------- the consumer page


def consumer_context(user, consumer, today: datetime.date | None = None) -> dict:
    """What the consumer page shows of adjustments, settlement schemes, the next LPSC and the
    statement PDF (a few small queries)."""
    today = today or clock.today()
    registrations = []
    for registration in consumer.ots_registrations.select_related("scheme"):
        quote = None if registration.settled else ots.ots_quote(registration=registration, on=today)
        registrations.append(
            {
                "registration": registration,
                "quote": quote,
                "can_settle": quote is not None
                and quote.rebate_percent is not None
                and quote.still_to_pay == 0,
            }
        )
    registered = {r["registration"].scheme_id for r in registrations}
    open_schemes = [
        {"scheme": scheme, "problem": ots.eligibility_problem(scheme, consumer)}
        for scheme in OtsScheme.objects.filter(
            registration_opens__lte=today, registration_closes__gte=today
        ).exclude(pk__in=registered)
    ]
    lpsc_items = lpsc.lpsc_preview(consumer_id=consumer.pk, on=today)
    date_from, date_to = last_twelve_months(today)
    return {
        "back_office": {
            "can_adjust": any(user.can(c) for c in ADJUST_ROLES),
            "can_ots": any(user.can(c) for c in OTS_ROLES),
            "adjustment_form": AdjustmentRequestForm(),
            "adjustment_limit": adj.approval_limit(),
            "adjustments": list(consumer.adjustments.select_related("made_by", "decided_by")[:20]),
            "registrations": registrations,
            "open_schemes": open_schemes,
            "lpsc_items": lpsc_items,
            "lpsc_total": surcharge_total(lpsc_items) if lpsc_items else None,
            "pdf_query": f"from={date_from:%Y-%m-%d}&to={date_to:%Y-%m-%d}",
        }
    }
