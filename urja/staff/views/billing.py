from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from urja.billing import runs as billing_runs
from urja.billing import selectors as billing_selectors
from urja.billing import services as billing_services
from urja.billing.choices import BillStatus, RevisionStatus, RunStatus
from urja.org import roles
from urja.org.permissions import capability_required, user_covers
from urja.staff.forms.billing import (
    BillCorrectForm,
    BillHoldForm,
    BillReviseForm,
    BillRunForm,
    RevisionDecideForm,
)
from urja.staff.views.base import error_text


@login_required
def tariff_quote(request):
    from urja.staff.forms.billing import QuoteForm
    from urja.tariffs.services import tariff_quote as quote_service

    form = QuoteForm(request.GET or None)
    result = None
    if form.is_valid():
        data = form.cleaned_data
        try:
            result = quote_service(
                tariff=data["tariff"],
                load=data["load"],
                units=data["units"] or None,
                kvah=data["kvah"] or None,
                period_from=data["period_from"],
                period_to=data["period_to"],
                fppas=data["fppas"] or None,
                prepaid=data["prepaid"],
                bill_date=data["bill_date"],
                area=data["area"] or None,
                md_kva=data["md_kva"],
                power_factor=data["power_factor"],
                supply_kv=data["supply_kv"],
                tod=data["tod"],
            )
        except ValueError as exc:
            form.add_error(None, str(exc))
        except ArithmeticError:  # e.g. units of 1e999: a clear error, not a 500
            form.add_error(None, _("A number is too large to price."))
    return render(request, "staff/quote.html", {"form": form, "result": result})


# --- billing ---------------------------------------------------------------------------------------------


def _with_query(url: str, request) -> str:
    """`url` with the current filters (run, reason, page) kept, so an action returns to the same list."""
    query = request.GET.urlencode()
    return f"{url}?{query}" if query else url


@capability_required(roles.RUN_BILLING, roles.REVIEW_BILLS)
def bill_runs(request):
    user = request.user
    form = BillRunForm(request.POST or None, user=user) if user.can(roles.RUN_BILLING) else None
    status = 200
    if request.method == "POST":
        if form is None:
            raise PermissionDenied
        if form.is_valid():
            try:
                run = billing_runs.bill_run_create(
                    cycle_code=form.cleaned_data["cycle"], office=form.cleaned_data["office"], by=user
                )
                run = billing_runs.bill_run_start_from_console(run=run, by=user)
            except (ValidationError, PermissionDenied) as exc:
                form.add_error(None, error_text(exc))
            else:
                messages.success(request, _("Bill run %(id)s started.") % {"id": run.pk})
                return redirect("staff:bill_run_detail", run_id=run.pk)
        status = 400
    runs = list(billing_selectors.runs_for(user)[:30])
    return render(request, "staff/billing/runs.html", {"form": form, "runs": runs}, status=status)


def _run_progress(run, stale_since=None) -> dict:
    return {
        "id": run.pk,
        "status": run.status,
        "status_display": str(run.get_status_display()),
        "finished": run.status in (RunStatus.DONE, RunStatus.FAILED),
        "partitions_done": run.partitions_done,
        "partitions_total": run.partitions_total,
        "progress_percent": run.progress_percent,
        "accounts": run.accounts,
        "billed": run.billed,
        "held": run.held,
        "held_percent": f"{run.held_percent:.2f}",
        "skipped": run.skipped,
        "failed": run.failed,
        "stale": stale_since is not None,
        "eta": eta_text(None if stale_since else billing_selectors.run_eta_seconds(run)),
    }


def eta_text(seconds: int | None) -> str:
    """ "About 12 min left" (in the user's language), or a dash when there is no estimate yet."""
    if seconds is None:
        return "—"
    if seconds < 60:
        return _("less than a minute left")
    minutes = round(seconds / 60)
    if minutes < 60:
        return _("about %(minutes)d min left") % {"minutes": minutes}
    return _("about %(hours)d h %(minutes)d min left") % {"hours": minutes // 60, "minutes": minutes % 60}


def _may_resume(user, run) -> bool:
    """Resuming re-runs every unfinished partition of the run, so only a user whose offices cover the
    whole run may do it (a state- or division-wide run is visible lower down, but not theirs to re-run)."""
    return user.can(roles.RUN_BILLING) and user_covers(user, run.office)


def _resumable(run, stale_since) -> bool:
    return run.status == RunStatus.FAILED or stale_since is not None


@capability_required(roles.RUN_BILLING, roles.REVIEW_BILLS)
def bill_run_detail(request, run_id: int):
    run = billing_selectors.run_get(request.user, run_id)
    stale_since = billing_selectors.run_stale_since(run)
    return render(
        request,
        "staff/billing/run_detail.html",
        {
            "run": run,
            "partitions": list(billing_selectors.run_partitions(run, request.user)),
            "in_progress": run.status in (RunStatus.PENDING, RunStatus.RUNNING) and stale_since is None,
            "stale": stale_since is not None,
            "stale_since": stale_since,
            "eta": eta_text(None if stale_since else billing_selectors.run_eta_seconds(run)),
            "can_resume": _resumable(run, stale_since) and _may_resume(request.user, run),
        },
    )


@capability_required(roles.RUN_BILLING, roles.REVIEW_BILLS)
def bill_run_progress(request, run_id: int):
    run = billing_selectors.run_get(request.user, run_id)
    return JsonResponse(_run_progress(run, billing_selectors.run_stale_since(run)))


@require_POST
@capability_required(roles.RUN_BILLING)
def bill_run_resume(request, run_id: int):
    run = billing_selectors.run_get(request.user, run_id)
    if not _may_resume(request.user, run):
        raise PermissionDenied
    if not _resumable(run, billing_selectors.run_stale_since(run)):
        messages.error(request, _("Only a failed or stopped run can be resumed."))
    else:
        billing_runs.bill_run_start_from_console(run=run, by=request.user)
        messages.success(request, _("The run's unfinished offices were started again."))
    return redirect("staff:bill_run_detail", run_id=run.pk)


REVIEW_PAGE_SIZE = 50


MAX_ID = 2**63 - 1  # the largest primary key the database can hold


def _int_or_none(value) -> int | None:
    try:
        number = int(value)
    except (TypeError, ValueError):
        return None
    return number if 0 < number <= MAX_ID else None


def _review_queue(request, *, errors: dict | None = None, forms: dict | None = None, status: int = 200):
    user = request.user
    run_id = _int_or_none(request.GET.get("run"))
    reason = request.GET.get("reason") or ""
    if reason not in billing_selectors.HOLD_LABELS:
        reason = ""
    page = Paginator(
        billing_selectors.held_bills_for(user, run_id=run_id, reason=reason or None), REVIEW_PAGE_SIZE
    ).get_page(request.GET.get("page"))
    bills = list(page.object_list)
    averages = billing_selectors.average_monthly_units(bills)
    errors, forms = errors or {}, forms or {}
    rows = [
        {
            "bill": bill,
            "average": averages.get(bill.id),
            "reasons": [billing_selectors.hold_label(code) for code in bill.hold_reason_list],
            "error": errors.get(bill.id),
            "correct_form": forms.get((bill.id, "correct")) or BillCorrectForm(prefix=f"c{bill.id}"),
            "hold_form": forms.get((bill.id, "hold")) or BillHoldForm(prefix=f"h{bill.id}"),
        }
        for bill in bills
    ]
    shown = {bill.id for bill in bills}
    context = {
        "page": page,
        "rows": rows,
        # An error about a bill no longer on this page (e.g. reviewed meanwhile by someone else).
        "page_errors": [message for bill_id, message in errors.items() if bill_id not in shown],
        "run_id": run_id,
        "reason": reason,
        "reasons": list(billing_selectors.HOLD_LABELS.items()),
        "runs": list(billing_selectors.runs_for(user).filter(held__gt=0)[:20]),
        "query": request.GET.urlencode(),
    }
    return render(request, "staff/billing/review.html", context, status=status)


@capability_required(roles.REVIEW_BILLS)
def review_queue(request):
    return _review_queue(request)


def _review_action(request, bill_id: int, action: str):
    """Approve, correct or hold one held bill. On an error the queue is shown again with the message at
    the bill and nothing changed (each service is one transaction)."""
    bill = billing_selectors.bill_get(request.user, bill_id)
    form = None
    try:
        if action == "approve":
            billing_services.bill_approve(bill_id=bill.id, by=request.user)
            done = _("Bill %(number)s approved and issued.")
        elif action == "correct":
            form = BillCorrectForm(request.POST, prefix=f"c{bill.id}")
            if not form.is_valid():
                raise ValidationError(_("Check the corrected units and the reason."))
            billing_services.bill_correct(
                bill_id=bill.id,
                by=request.user,
                units=form.cleaned_data["units"],
                reason=form.cleaned_data["reason"],
            )
            done = _("Bill %(number)s corrected and issued.")
        else:
            form = BillHoldForm(request.POST, prefix=f"h{bill.id}")
            if not form.is_valid():
                raise ValidationError(_("Write a note saying why the bill stays held."))
            billing_services.bill_hold(bill_id=bill.id, by=request.user, note=form.cleaned_data["note"])
            done = _("Bill %(number)s kept on hold with your note.")
    except (ValidationError, PermissionDenied) as exc:
        forms = {(bill.id, action): form} if form is not None else {}
        return _review_queue(request, errors={bill.id: error_text(exc)}, forms=forms, status=400)
    messages.success(request, done % {"number": bill.bill_number})
    return redirect(_with_query(reverse("staff:review_queue"), request))


@require_POST
@capability_required(roles.REVIEW_BILLS)
def bill_approve(request, bill_id: int):
    return _review_action(request, bill_id, "approve")


@require_POST
@capability_required(roles.REVIEW_BILLS)
def bill_correct(request, bill_id: int):
    return _review_action(request, bill_id, "correct")


@require_POST
@capability_required(roles.REVIEW_BILLS)
def bill_hold(request, bill_id: int):
    return _review_action(request, bill_id, "hold")


def _bill_detail(request, bill, *, revise_form=None, status: int = 200):
    user = request.user
    revisions = billing_selectors.bill_revisions(bill)
    replaced_by = billing_selectors.bills_for(user).filter(revision_of=bill).first()
    waiting = any(r.status == RevisionStatus.PENDING for r in revisions)
    can_revise = bill.status == BillStatus.ISSUED and user.can(roles.REVIEW_BILLS) and not waiting
    return render(
        request,
        "staff/billing/bill_detail.html",
        {
            "bill": bill,
            "consumer": bill.consumer,
            "reasons": [billing_selectors.hold_label(code) for code in bill.hold_reason_list],
            "revisions": revisions,
            "replaced_by": replaced_by,
            "revision_waiting": waiting,
            "revise_form": (revise_form or BillReviseForm()) if can_revise else None,
        },
        status=status,
    )


@login_required
def bill_detail(request, bill_id: int):
    return _bill_detail(request, billing_selectors.bill_get(request.user, bill_id))


@require_POST
@capability_required(roles.REVIEW_BILLS)
def bill_revise(request, bill_id: int):
    bill = billing_selectors.bill_get(request.user, bill_id)
    form = BillReviseForm(request.POST)
    if form.is_valid():
        try:
            revision = billing_services.bill_revision_request(
                bill=bill,
                by=request.user,
                reason=form.cleaned_data["reason"],
                units=form.cleaned_data["units"],
            )
        except (ValidationError, PermissionDenied) as exc:
            form.add_error(None, error_text(exc))
        else:
            if revision.new_bill_id:
                messages.success(
                    request,
                    _("Bill revised: %(old)s cancelled, %(new)s issued.")
                    % {"old": bill.bill_number, "new": revision.new_bill.bill_number},
                )
                return redirect("staff:bill_detail", bill_id=revision.new_bill_id)
            messages.info(request, _("The change is above the limit: the revision waits for approval."))
            return redirect("staff:bill_detail", bill_id=bill.id)
    return _bill_detail(request, bill, revise_form=form, status=400)


@login_required
def bill_pdf(request, bill_id: int):
    bill = billing_selectors.bill_get(request.user, bill_id)
    try:
        from urja.billing.pdf import render_bill_pdf
    except ImportError:
        return HttpResponse(_("The bill PDF is not available yet."), status=503, content_type="text/plain")
    response = HttpResponse(render_bill_pdf(bill), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="bill-{bill.bill_number}.pdf"'
    return response


def _revisions_page(request, *, errors: dict | None = None, status: int = 200):
    revisions = list(billing_selectors.revisions_pending_for(request.user)[:100])
    errors = errors or {}
    # A maker never sees the decision buttons on their own request (the service refuses it too).
    rows = [
        {"revision": r, "error": errors.get(r.id), "own": r.requested_by_id == request.user.pk}
        for r in revisions
    ]
    return render(request, "staff/billing/revisions.html", {"rows": rows}, status=status)


@capability_required(roles.APPROVE_REVISIONS)
def revisions_pending(request):
    return _revisions_page(request)


@require_POST
@capability_required(roles.APPROVE_REVISIONS)
def revision_decide(request, revision_id: int):
    revision = billing_selectors.revision_get(request.user, revision_id)
    form = RevisionDecideForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError(" ".join(form.non_field_errors()) or _("Choose approve or reject."))
        approve = form.cleaned_data["decision"] == "approve"
        billing_services.bill_revision_decide(revision_id=revision.id, by=request.user, approve=approve)
    except (ValidationError, PermissionDenied) as exc:
        return _revisions_page(request, errors={revision.id: error_text(exc)}, status=400)
    if approve:
        messages.success(
            request, _("Revision of bill %(number)s approved.") % {"number": revision.bill.bill_number}
        )
    else:
        messages.success(
            request, _("Revision of bill %(number)s rejected.") % {"number": revision.bill.bill_number}
        )
    return redirect("staff:revisions_pending")
