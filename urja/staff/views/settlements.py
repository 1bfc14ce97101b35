"""Settlement files (upload, reconciliation, a second supervisor's approval, the day report) and the
day's collections rolled up by office. Views are thin: they check the capability (403), reach records
through office-scoped querysets (404 outside the user's offices) and call the services, whose errors
are shown on the page in the user's language; a refused write changes nothing."""

from __future__ import annotations

import datetime

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from urja.common import clock
from urja.org import roles
from urja.org.permissions import capability_required
from urja.payments import selectors as collections
from urja.payments import settlement as reconciliation
from urja.payments.choices import MatchStatus, SettlementFileStatus
from urja.payments.selectors import payments_for
from urja.staff.forms.collections import DayForm, RollupForm, SettlementDecideForm, SettlementUploadForm
from urja.staff.views.base import error_text

LINES_PER_PAGE = 50
FILES_PER_PAGE = 25
SETTLEMENT_ROLES = (roles.VERIFY_CASH, roles.VIEW_REPORTS)
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
