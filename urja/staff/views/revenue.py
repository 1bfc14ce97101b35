"""Revenue protection pages (/staff/revenue/): the ranked inspection list of an office for a month (with
why each consumer is on it, CSV/XLSX), raising an inspection from it, a case with its history and
outcome, and the list's hit rate. Thin: the capability is checked by the decorator (403), the office and
every id through the user's scope (404), and the services decide; their refusals are shown on the page."""

from __future__ import annotations

import datetime
import secrets

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from urja.common import clock
from urja.common.export import table_response
from urja.domain import revenue_protection as rp
from urja.domain.energy_audit import parse_period
from urja.mis.scope import report_office
from urja.org import roles
from urja.org.permissions import capability_required
from urja.revenue import selectors, services
from urja.revenue.choices import Band, Outcome
from urja.revenue.reasons import explain
from urja.staff.views.base import error_text

VIEW = (roles.VIEW_REVENUE, roles.INSPECT_REVENUE)
PER_PAGE = 50


def _last_month() -> str:
    first = clock.today().replace(day=1)
    return (first - datetime.timedelta(days=1)).strftime("%Y-%m")


def _office_and_period(request, *, months_only: bool):
    office = report_office(request.user, request.GET.get("office"))
    period = (request.GET.get("period") or _last_month()).strip().upper()
    try:
        span = parse_period(period)
    except ValueError:
        span = parse_period(_last_month())
        request.period_error = _("“%(asked)s” is not a month (YYYY-MM); showing %(shown)s.") % {
            "asked": period[:20],
            "shown": span.code,
        }
        period = span.code
    if months_only and len(span.months) != 1:
        period = span.months[-1]
    return office, period


@capability_required(*VIEW)
def inspection_list(request):
    office, period = _office_and_period(request, months_only=True)
    if office is None:  # a state-wide user: a list is one office's; ask which
        return render(
            request, "staff/revenue/choose_office.html", {"period": period, "target": "revenue:list"}
        )
    entries = selectors.inspection_list(office=office, period=period)
    fmt = request.GET.get("format", "")
    if fmt in ("csv", "xlsx"):
        headers = [_("Rank"), _("Account"), _("Name"), _("Category"), _("Sanctioned load"), _("Score"),
                   _("Band"), _("Reasons")]  # fmt: skip
        rows = (
            [e.rank, e.consumer["account_number"], e.consumer["name"], e.consumer["category"],
             e.consumer["sanctioned_load"], e.score.points, str(Band(e.score.band).label),
             " ".join(f"[{r['points']}] {r['text']}" for r in explain(e.score.reasons))]
            for e in entries
        )  # fmt: skip
        return table_response(fmt, f"inspection-list-{office.code}-{period}", headers, rows)
    page = Paginator(entries, PER_PAGE).get_page(request.GET.get("page"))
    rows = [{"entry": e, "reasons": explain(e.score.reasons)} for e in page.object_list]
    return render(
        request,
        "staff/revenue/list.html",
        {
            "office": office,
            "period": period,
            "page": page,
            "rows": rows,
            "total": len(entries),
            "may_inspect": request.user.can(roles.INSPECT_REVENUE),
            "key": secrets.token_urlsafe(24),
            "list_min": rp.LIST_MIN_POINTS,
            "period_error": getattr(request, "period_error", ""),
            "bands": rp.BANDS,
        },
    )


@capability_required(roles.INSPECT_REVENUE)
def case_raise(request, consumer_id: int):
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    consumer = selectors.consumer_for(user=request.user, consumer_id=consumer_id)
    period = request.POST.get("period", "")
    try:
        parse_period(period)
        case = services.case_raise(
            consumer=consumer, period=period, by=request.user, key=request.POST.get("key", "")
        )
    except (ValidationError, PermissionDenied) as exc:
        messages.error(request, error_text(exc))
        return redirect(reverse("revenue:list") + f"?period={period}")
    except ValueError:
        messages.error(request, _("Choose a month."))
        return redirect("revenue:list")
    messages.success(
        request,
        _("Inspection %(reference)s raised: work order %(order)s.")
        % {"reference": case.reference, "order": case.work_order.reference},
    )
    return redirect("revenue:case", case_id=case.pk)


def _case_page(request, case, *, errors=None, status=200):
    return render(
        request,
        "staff/revenue/case.html",
        {
            "case": case,
            "reasons": explain(case.reasons),
            "events": case.events.select_related("by").all(),
            "outcomes": Outcome.choices,
            "may_record": request.user.can(roles.INSPECT_REVENUE) and case.is_open,
            "errors": errors or [],
            "posted": request.POST if request.method == "POST" else {},
        },
        status=status,
    )


@capability_required(*VIEW)
def case_detail(request, case_id: int):
    case = selectors.case_get(user=request.user, case_id=case_id)
    return _case_page(request, case)


@capability_required(roles.INSPECT_REVENUE)
def case_outcome(request, case_id: int):
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    case = selectors.case_get(user=request.user, case_id=case_id)
    try:
        services.case_outcome_record(
            case=case,
            by=request.user,
            outcome=request.POST.get("outcome", ""),
            assessed_units=request.POST.get("assessed_units", ""),
            remarks=request.POST.get("remarks", ""),
        )
    except (ValidationError, PermissionDenied) as exc:
        return _case_page(request, case, errors=[error_text(exc)], status=400)
    messages.success(request, _("The outcome is recorded."))
    return redirect("revenue:case", case_id=case.pk)


@capability_required(*VIEW)
def hit_rate(request):
    office, period = _office_and_period(request, months_only=False)
    if office is None:
        return render(
            request, "staff/revenue/choose_office.html", {"period": period, "target": "revenue:hit_rate"}
        )
    rates = selectors.hit_rates(office=office, period=period)
    cases = Paginator(selectors.cases_in(office=office, period=period), PER_PAGE).get_page(
        request.GET.get("page")
    )
    bands = [{"band": band, "label": Band(band).label, "rate": rates.by_band[band]} for band in Band.values]
    return render(
        request,
        "staff/revenue/hit_rate.html",
        {
            "office": office,
            "period": period,
            "rates": rates,
            "bands": bands,
            "cases": cases,
            "period_error": getattr(request, "period_error", ""),
        },
    )
