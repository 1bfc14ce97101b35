"""Disconnection pages: the eligible list (with filters), serving notices (after a confirmation that
says how many notices and SMS), a notice's bilingual print page and PDF, a deposit under protest, and
the notices whose period is over (issue their work orders). Thin: each checks the capability (403),
reaches a notice through ``notice_get`` (404 outside the user's offices) and calls the services."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from urja.connections import disconnection as svc
from urja.connections import selectors
from urja.connections.models import NoticeStatus
from urja.connections.notice_doc import notice_versions, render_notice_pdf
from urja.domain.mobile import mask
from urja.org import roles
from urja.org.permissions import capability_required
from urja.payments.services import PaymentConflict
from urja.staff.forms.disconnection import DisconnectionFilterForm, ProtestForm
from urja.staff.views.base import error_text, errors_to_form
from urja.workflow.services import WorkflowRefused

ROLES = (roles.ASSIGN_WORK_ORDERS,)


def _filtered(request, data):
    form = DisconnectionFilterForm(data or None, user=request.user)
    rows = []
    if form.is_valid():
        rows = svc.candidates(
            svc.consumers_of_office(form.cleaned_data["office"]),
            min_arrears=form.cleaned_data["min_arrears"],
            min_age_days=form.cleaned_data["min_age"],
        )
    return form, rows


@capability_required(*ROLES)
def disconnection_list(request):
    """The accounts of an office of the user's that may be disconnected."""
    form, rows = _filtered(request, request.GET)
    for row in rows:
        row.mobile_masked = mask(row.consumer.mobile) if row.consumer.mobile else ""
    return render(
        request,
        "staff/disconnection/list.html",
        {"form": form, "rows": rows, "without_notice": sum(1 for r in rows if r.notice is None)},
    )


@capability_required(*ROLES)
def notices_serve(request):
    """GET: what serving would do (how many notices and SMS); POST: serve them."""
    form, rows = _filtered(request, request.GET if request.method != "POST" else request.POST)
    if not form.is_valid():
        return redirect("staff:disconnection_list")
    to_serve = [r for r in rows if r.notice is None]
    if request.method == "POST":
        served = svc.notices_serve(to_serve, by=request.user)
        messages.success(request, _("%(count)s notices served.") % {"count": len(served)})
        return redirect(f"{reverse('staff:disconnection_list')}?{request.POST.urlencode()}")
    return render(
        request,
        "staff/disconnection/serve_confirm.html",
        {
            "form": form,
            "count": len(to_serve),
            "sms": sum(1 for r in to_serve if r.consumer.mobile),
            "clear_days": svc.clear_days(),
        },
    )


@capability_required(*ROLES)
def notice_print(request, notice_id: int):
    notice = selectors.notice_get(principal=request.user, notice_id=notice_id)
    return render(
        request,
        "staff/disconnection/notice_print.html",
        {"notice": notice, "versions": notice_versions(notice)},
    )


@capability_required(*ROLES)
def notice_pdf(request, notice_id: int):
    notice = selectors.notice_get(principal=request.user, notice_id=notice_id)
    response = HttpResponse(render_notice_pdf(notice), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="notice-{notice.number}.pdf"'
    return response


@capability_required(*ROLES, roles.TAKE_PAYMENTS)
def notice_protest(request, notice_id: int):
    """A deposit under protest against a notice (a payment; the required amount stays the notice)."""
    notice = selectors.notice_get(principal=request.user, notice_id=notice_id)
    form = ProtestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            svc.protest_deposit(notice, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            errors_to_form(form, exc)
        except (svc.DisconnectionRefused, PaymentConflict, WorkflowRefused) as exc:
            form.add_error(None, error_text(exc))
        else:
            if notice.status == NoticeStatus.STAYED:
                messages.success(request, _("Deposit recorded: the notice is stayed."))
            else:
                messages.warning(
                    request, _("Payment recorded, but less than the amount that stays the notice.")
                )
            return redirect("staff:disconnection_orders")
    return render(
        request,
        "staff/disconnection/protest.html",
        {"notice": notice, "form": form},
        status=400 if form.errors else 200,
    )


@capability_required(*ROLES)
def orders_due(request):
    """Served notices whose period is over, and the disconnection orders issued."""
    due = list(selectors.notices_due_for_order(request.user).order_by("action_from", "id"))
    ordered = list(selectors.notices_ordered(request.user).order_by("action_from", "id")[:200])
    return render(request, "staff/disconnection/orders.html", {"due": due, "ordered": ordered})


@require_POST
@capability_required(*ROLES)
def orders_issue(request):
    due = list(selectors.notices_due_for_order(request.user))
    offices = {n.office for n in due}
    made = []
    try:
        for office in offices:
            made += svc.orders_issue(office=office, by=request.user)
    except (svc.DisconnectionRefused, WorkflowRefused) as exc:
        messages.error(request, error_text(exc))
    messages.success(request, _("%(count)s disconnection work orders issued.") % {"count": len(made)})
    return redirect("staff:disconnection_orders")
