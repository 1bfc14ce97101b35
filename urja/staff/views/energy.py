"""Energy audit pages (/staff/energy/): an office's audit for a period with its child offices,
substations, feeders and DTs ranked by loss, drill-down to a feeder, a DT and their consumers; CSV/XLSX
of each table and the BEE quarterly pack (docs/energy-audit.md)."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from urja.billing.choices import BillBasis
from urja.common import clock
from urja.common.errors import NotFound
from urja.common.export import table_response, workbook_response
from urja.domain.energy_audit import parse_period
from urja.energyaudit import selectors
from urja.energyaudit.bee import bee_pack, gap_words
from urja.mis.scope import report_office
from urja.network.models import DistributionTransformer, Feeder
from urja.org import roles
from urja.org.permissions import capability_required, user_covers

#: How many rows a ranking shows on the page (the export has them all).
PAGE_ROWS = 100
CONSUMER_ROWS = 500

GAP_WORDS = {
    "no_input": gettext_lazy("no input energy recorded"),
    "no_billed_amount": gettext_lazy("nothing billed"),
    "unmetered_feeder": gettext_lazy("input missing for a month"),
    "unmetered_dt": gettext_lazy("input missing for a month"),
    "unindexed_consumers": gettext_lazy("consumers not indexed to a DT"),
}


def _period_choices() -> list[tuple[str, str]]:
    """The last twelve ended months, the last four quarters and the last two financial years."""
    today = clock.today()
    year, month = today.year, today.month
    months = []
    for _step in range(12):
        month -= 1
        if month == 0:
            year, month = year - 1, 12
        months.append(f"{year:04d}-{month:02d}")
    quarters = []
    fy = today.year if today.month >= 4 else today.year - 1
    q = (today.month - 4) % 12 // 3 + 1
    for _step in range(4):
        quarters.append(f"{fy}-Q{q}")
        q -= 1
        if q == 0:
            fy, q = fy - 1, 4
    end_year = today.year + 1 if today.month >= 4 else today.year
    years = [parse_period(f"FY{end_year}").code, parse_period(f"FY{end_year - 1}").code]
    return [(code, code) for code in months + quarters + years]


def _params(request):
    default = _period_choices()[0][0]
    period = (request.GET.get("period") or default).strip()
    errors = []
    try:
        span = parse_period(period)
    except ValueError:
        span = parse_period(default)
        errors.append(
            _("“%(asked)s” is not a month, quarter or financial year; showing %(shown)s.")
            % {"asked": period[:20], "shown": span.code}
        )
    by = request.GET.get("by", "td")
    if by not in selectors.RANK_BY:
        by = "td"
    threshold = selectors.loss_threshold()
    raw = request.GET.get("threshold")
    if raw:
        try:
            asked = Decimal(raw)
        except InvalidOperation:
            asked = None
        if asked is not None and asked.is_finite() and 0 <= asked <= 100:
            threshold = asked
        else:
            errors.append(
                _("The threshold “%(asked)s” is not a per cent from 0 to 100; using %(used)s%%.")
                % {"asked": raw[:20], "used": threshold}
            )
    request.input_errors = errors  # shown by _context above the figures
    return span, by, threshold


def _row(audit, threshold, by):
    f = audit.figures
    loss_kwh = None if f.input_kwh is None else f.input_kwh - f.billed_kwh
    return {
        "audit": audit,
        "f": f,
        "loss_kwh": loss_kwh,
        "flagged": selectors.above_threshold(audit, threshold, by=by),
        "gaps": [GAP_WORDS[g] for g in dict.fromkeys(f.gaps)],
        "unmetered": len(audit.unmetered_feeders) + len(audit.unmetered_dts),
    }


HEADERS = (
    gettext_lazy("Code"), gettext_lazy("Name"), gettext_lazy("Input energy (kWh)"),
    gettext_lazy("Energy billed (kWh)"), gettext_lazy("Billed amount (Rs)"), gettext_lazy("Collected amount (Rs)"),
    gettext_lazy("Billing efficiency (%)"), gettext_lazy("Collection efficiency (%)"), gettext_lazy("T&D loss (%)"),
    gettext_lazy("AT&C loss (%)"), gettext_lazy("Above threshold"), gettext_lazy("Gaps"),
)  # fmt: skip


def _export(request, name, audits, threshold, by):
    fmt = request.GET.get("export")
    rows = []
    for a in audits:
        f = a.figures
        rows.append([
            a.code, a.name, f.input_kwh, f.billed_kwh, f.billed_amount, f.collected_amount, f.billing_efficiency,
            f.collection_efficiency, f.td_loss_pct, f.atc_loss_pct,
            _("yes") if selectors.above_threshold(a, threshold, by=by) else "", gap_words(a),
        ])  # fmt: skip
    return table_response(fmt, name, [str(h) for h in HEADERS], rows)


def _wants_export(request) -> bool:
    return request.GET.get("export") in ("csv", "xlsx")


def _context(request, span, by, threshold, **extra):
    query = request.GET.copy()
    for key in ("export", "table"):
        query.pop(key, None)
    return {
        "span": span,
        "by": by,
        "threshold": threshold,
        "periods": _period_choices(),
        "custom_period": span.code not in {code for code, _label in _period_choices()},
        "query": query.urlencode(),
        "input_errors": getattr(request, "input_errors", []),
        **extra,
    }


@capability_required(roles.VIEW_REPORTS)
def audit(request):
    """An office's audit (the user's own, or ?office=CODE in their subtree; the state for a state-wide
    user without an office) with its child offices, substations, and feeders and DTs ranked by loss."""
    span, by, threshold = _params(request)
    try:
        office = report_office(request.user, request.GET.get("office"))
    except NotFound:
        raise Http404
    live = request.GET.get("live") == "1"
    snapshot = selectors.office_snapshot(office=office, period=span, rolled=False if live else None)
    if office is None:
        total = snapshot.area(
            level="state", code=selectors.STATE_CODE, name=_("All discoms"), pk=None,
            feeder_ids=list(snapshot.feeders), unindexed=snapshot.unindexed_under(""),
        )  # fmt: skip
    else:
        total = snapshot.office(office)
    children = selectors.child_audits(office=office, period=span.code, snapshot=snapshot)
    by_category = selectors.billed_by_category(office=office, period=span)
    substations = snapshot.substations()
    feeders = selectors.rank([snapshot.feeder(pk) for pk in snapshot.feeders], by=by)
    dts = selectors.rank([snapshot.dt(pk) for pk in snapshot.dts], by=by)
    if _wants_export(request):
        tables = {"children": children, "substations": substations, "feeders": feeders, "dts": dts}
        table = request.GET.get("table", "feeders")
        if table not in tables:
            raise Http404
        return _export(request, f"energy-{table}-{total.code}-{span.code}", tables[table], threshold, by)
    return render(
        request,
        "staff/energy/audit.html",
        _context(
            request,
            span,
            by,
            threshold,
            office=office,
            as_of=snapshot.as_of,
            total=_row(total, threshold, by),
            by_category=[
                (line, BillBasis(line.basis).label if line.basis in BillBasis.values else line.basis)
                for line in by_category
            ],
            children=[_row(a, threshold, by) for a in children],
            substations=[_row(a, threshold, by) for a in substations],
            feeders=[_row(a, threshold, by) for a in feeders[:PAGE_ROWS]],
            feeder_count=len(feeders),
            flagged_feeders=sum(1 for a in feeders if selectors.above_threshold(a, threshold, by=by)),
            dts=[_row(a, threshold, by) for a in dts[:PAGE_ROWS]],
            dt_count=len(dts),
            flagged_dts=sum(1 for a in dts if selectors.above_threshold(a, threshold, by=by)),
            parent=office.parent
            if office is not None and office.parent_id and user_covers(request.user, office.parent)
            else None,
            is_quarter="-Q" in span.code,
        ),  # fmt: skip
    )


def _consumer_export(request, name, lines):
    headers = [_("Account number"), _("Name"), _("Category"), _("Feeder code"), _("DT code"), _("Bills"),
               _("Units billed (kWh)"), _("Billed amount (Rs)"), _("Paid (Rs)"), _("Reading status")]  # fmt: skip
    rows = [
        [c.account_number, c.name, c.category, c.feeder_code, c.dt_code, c.bills, c.units, c.billed_amount, c.paid,
         c.reading_status]
        for c in lines
    ]  # fmt: skip
    return table_response(request.GET.get("export"), name, headers, rows)


def _scoped_feeder(request, pk: int) -> Feeder:
    feeder = get_object_or_404(Feeder.objects.select_related("office", "substation"), pk=pk)
    if not user_covers(request.user, feeder.office):
        raise Http404
    return feeder


@capability_required(roles.VIEW_REPORTS)
def feeder(request, pk: int):
    """A feeder's audit, its DTs ranked by loss and its consumers."""
    span, by, threshold = _params(request)
    found = _scoped_feeder(request, pk)
    snapshot = selectors.AuditSnapshot(
        period=span, feeder_lookup={"pk": found.pk}, dt_lookup={"feeder_id": found.pk}
    )
    dts = selectors.rank([snapshot.dt(dt_pk) for dt_pk in snapshot.dts], by=by)
    table = request.GET.get("table", "dts")
    if _wants_export(request):
        if table == "consumers":
            return _consumer_export(request, f"energy-consumers-{found.code}-{span.code}",
                                    selectors.consumer_lines(period=span, feeder=found))  # fmt: skip
        return _export(request, f"energy-dts-{found.code}-{span.code}", dts, threshold, by)
    consumers = selectors.consumer_lines(period=span, feeder=found, limit=CONSUMER_ROWS)
    return render(
        request,
        "staff/energy/feeder.html",
        _context(
            request,
            span,
            by,
            threshold,
            feeder=found,
            total=_row(snapshot.feeder(found.pk), threshold, by),
            dts=[_row(a, threshold, by) for a in dts],
            consumers=consumers,
            consumers_capped=len(consumers) == CONSUMER_ROWS,
        ),  # fmt: skip
    )


@capability_required(roles.VIEW_REPORTS)
def dt(request, pk: int):
    """A DT's audit and its consumers with their units, billed, paid and reading status."""
    span, by, threshold = _params(request)
    found = get_object_or_404(DistributionTransformer.objects.select_related("feeder__office"), pk=pk)
    if not user_covers(request.user, found.feeder.office):
        raise Http404
    lines = selectors.consumer_lines(period=span, dt=found)
    if _wants_export(request):
        return _consumer_export(request, f"energy-consumers-{found.code}-{span.code}", lines)
    return render(
        request,
        "staff/energy/dt.html",
        _context(
            request,
            span,
            by,
            threshold,
            dt=found,
            total=_row(selectors.dt_audit(dt=found, period=span.code), threshold, by),
            consumers=lines,
        ),  # fmt: skip
    )


@capability_required(roles.VIEW_REPORTS)
def bee(request):
    """The BEE quarterly energy-accounting pack of an office as one XLSX workbook."""
    try:
        office = report_office(request.user, request.GET.get("office"))
    except NotFound:
        raise Http404
    if office is None:
        raise Http404  # the pack is per discom or below
    quarter = request.GET.get("period", "")
    try:
        sheets = bee_pack(office=office, quarter=quarter)
    except ValueError:
        raise Http404
    return workbook_response(f"bee-energy-accounting-{office.code}-{quarter}", sheets)
