"""Arrears pages: adjustments (maker-checker), one-time settlement schemes, the LPSC run, and what the
consumer page shows of them. Views are thin: they check the capability (403), reach accounts through
``consumer_get`` (404 outside the user's offices) and call the services, whose errors are shown on the
page in the user's language; a refused write changes nothing (every service is one transaction)."""

from __future__ import annotations

import datetime

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from urja.arrears import adjustments as adj
from urja.arrears import lpsc, ots
from urja.arrears import selectors as arrears_selectors
from urja.arrears.choices import AdjustmentStatus
from urja.arrears.models import OtsRegistration
from urja.billing.selectors import last_twelve_months
from urja.common import clock
from urja.customers.selectors import consumer_get
from urja.domain.lpsc import surcharge_total
from urja.org import roles
from urja.org.permissions import capability_required
from urja.staff.forms.arrears import AdjustmentDecideForm, AdjustmentRequestForm, LpscRunForm, OtsRegisterForm
from urja.staff.views.base import error_text, errors_to_form

ADJUST_ROLES = (roles.EDIT_CONSUMERS, roles.APPROVE_ADJUSTMENTS)
OTS_ROLES = (roles.EDIT_CONSUMERS, roles.TAKE_PAYMENTS)
OTS_VIEW_ROLES = (*OTS_ROLES, roles.VIEW_REPORTS, roles.APPROVE_ADJUSTMENTS)
LPSC_ROLES = (roles.VERIFY_CASH, roles.ADMINISTER)
PER_PAGE = 25


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
    own = arrears_selectors.adjustments_awaiting_from(request.user)
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
    adjustment = arrears_selectors.adjustment_get(request.user, adjustment_id)
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
        error = " ".join(form.non_field_errors()) or _("Choose Approve or Reject.")
    if adjustment.made_by_id == request.user.pk or adjustment.status != AdjustmentStatus.PENDING:
        # Not in the queue: say why on the queue page.
        messages.error(request, error)
        return _queue_page(request, status=status)
    return _queue_page(request, errors={adjustment.pk: error}, forms={adjustment.pk: form}, status=status)


# ----------------------------------------------------------------------------- one-time settlement


def _registration_get(request, registration_id: int) -> OtsRegistration:
    return arrears_selectors.ots_registration_get(request.user, registration_id)


@capability_required(*OTS_VIEW_ROLES)
def ots_list(request):
    """The schemes, and the registrations in the user's offices with what is still to pay."""
    today = clock.today()
    schemes = list(arrears_selectors.ots_schemes())
    for scheme in schemes:
        scheme.is_open = scheme.registration_opens <= today <= scheme.registration_closes
        scheme.ends = ots.scheme_ends(scheme)
        scheme.phases = ots.rebate_phases(scheme)
    registrations = arrears_selectors.ots_registrations_for(request.user)
    page = Paginator(registrations, PER_PAGE).get_page(request.GET.get("page"))
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
        scheme = arrears_selectors.ots_scheme_get(form.cleaned_data["scheme"])
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
        for scheme in arrears_selectors.ots_schemes_open(today).exclude(pk__in=registered)
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
