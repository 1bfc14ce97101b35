"""MIS report pages (/staff/reports/): an index, and one page per report with its filters, a sortable
table with a totals row, a light server-drawn chart, and the same table as CSV or XLSX."""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from urllib.parse import urlencode

from django import forms
from django.http import HttpResponseBadRequest
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from urja.common import clock
from urja.common.errors import NotFound
from urja.common.export import table_response
from urja.customers.choices import TariffCategory
from urja.domain.money import format_indian
from urja.mis import reports as mis
from urja.mis.scope import report_office
from urja.mis.selectors import COLLECTION_GROUPS, OVERDUE_DAYS, Filters, offices_for_filter
from urja.org import roles
from urja.org.permissions import capability_required
from urja.staff.templatetags.urja_tags import day

PERIOD = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")
MAX_MONTHS = 36


class ReportFilterForm(forms.Form):
    period_from = forms.RegexField(
        regex=PERIOD, label=_("From month"), widget=forms.TextInput(attrs={"type": "month"})
    )
    period_to = forms.RegexField(
        regex=PERIOD, label=_("To month"), widget=forms.TextInput(attrs={"type": "month"})
    )
    office = forms.CharField(
        label=_("Office code"),
        required=False,
        max_length=20,
        widget=forms.TextInput(attrs={"list": "report-offices", "autocomplete": "off"}),
    )
    category = forms.ChoiceField(
        label=_("Category"), required=False, choices=[("", _("All categories")), *TariffCategory.choices]
    )
    by = forms.ChoiceField(
        label=_("Group by"),
        required=False,
        choices=[("channel", _("Channel")), ("office", _("Office")), ("day", _("Day"))],
    )
    threshold = forms.DecimalField(
        label=_("Owing more than (₹)"), required=False, min_value=0, max_digits=14, decimal_places=2
    )
    overdue_days = forms.TypedChoiceField(
        label=_("Overdue more than (days)"),
        required=False,
        coerce=int,
        choices=[(d, str(d)) for d in OVERDUE_DAYS],
    )

    def __init__(self, *args, report: mis.Report, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("by", "threshold", "overdue_days"):
            if name not in report.options:
                del self.fields[name]
        if not report.uses_category:
            del self.fields["category"]

    def clean(self):
        data = super().clean()
        start, end = data.get("period_from"), data.get("period_to")
        if start and end:
            if start > end:
                raise forms.ValidationError(_("The first month is after the last."))
            years, months = int(end[:4]) - int(start[:4]), int(end[5:]) - int(start[5:])
            if years * 12 + months >= MAX_MONTHS:
                raise forms.ValidationError(_("Choose at most %(n)s months.") % {"n": MAX_MONTHS})
        return data


def _defaults(report: mis.Report) -> dict:
    today = clock.today()
    this_month = f"{today:%Y-%m}"
    first = this_month
    if report.slug == "trend":
        year, month = today.year, today.month - 11
        if month <= 0:
            year, month = year - 1, month + 12
        first = f"{year:04d}-{month:02d}"
    return {
        "period_from": first,
        "period_to": this_month,
        "by": "channel",
        "threshold": "0",
        "overdue_days": 90,
    }


@capability_required(roles.VIEW_REPORTS)
def index(request):
    return render(request, "staff/reports/index.html", {"reports": list(mis.REPORTS.values())})


def _display(column: mis.Column, value) -> str:
    if value is None or value == "":
        return "—"
    if column.kind in (mis.MONEY, mis.RATE, mis.UNITS):
        return format_indian(Decimal(value))  # the console's one number format: 1,23,456.50
    if column.kind == mis.PCT:
        return f"{value}%"
    if hasattr(value, "isoformat"):
        return day(value)
    return str(value)


def _number(value) -> float:
    try:
        return float(value or 0)  # geometry only: never money arithmetic
    except (TypeError, ValueError, InvalidOperation):
        return 0.0


def _chart(result: mis.Result) -> dict | None:
    """Geometry of the report's chart: horizontal bars (one row a bar per series) or a line per series
    over the rows; drawn as inline SVG by the template."""
    chart = result.report.chart
    if chart is None or not result.rows:
        return None
    label_col = result.report.column(chart.label)
    series = [result.report.column(key) for key in chart.values]
    top = max((_number(r.get(c.key)) for r in result.rows for c in series), default=0.0) or 1.0
    if chart.kind == "line":
        rows = sorted(result.rows, key=lambda r: str(r.get(chart.label)))
        n = len(rows)
        width, height = 600, 200
        step = width / max(n - 1, 1)
        lines = []
        for i, c in enumerate(series):
            points = " ".join(
                f"{j * step:.1f},{height - _number(r.get(c.key)) / top * (height - 10):.1f}"
                for j, r in enumerate(rows)
            )
            lines.append({"label": c.label, "points": points, "css": f"s{i}"})
        ticks = [
            {"x": f"{j * step:.1f}", "label": _display(label_col, r.get(chart.label))}
            for j, r in enumerate(rows)
        ]
        return {
            "kind": "line",
            "lines": lines,
            "ticks": ticks,
            "width": width,
            "height": height,
            "series": series,
        }
    if chart.kind == "totals":  # one bar per column, from the totals row (ageing buckets)
        peak = max((_number(result.totals.get(c.key)) for c in series), default=0.0) or 1.0
        groups = []
        for c in series:
            value = result.totals.get(c.key)
            width = f"{max(_number(value) / peak * 100, 0):.1f}"
            bar = {"y": 0, "width": width, "value": _display(c, value), "css": "s0", "series": c.label}
            groups.append({"label": str(c.label), "bars": [bar]})
        return {"kind": "bar", "groups": groups, "series": []}
    rows = _by_label(result.rows, chart.label, series)[:30]
    bar = 14
    bars, y = [], 0
    for r in rows:
        group = []
        for i, c in enumerate(series):
            value = r.get(c.key)
            group.append(
                {
                    "y": y + i * bar,
                    "width": f"{max(_number(value) / top * 100, 0):.1f}",
                    "value": _display(c, value),
                    "css": f"s{i}",
                    "series": c.label,
                }
            )
        bars.append({"label": _display(label_col, r.get(chart.label)), "y": y, "bars": group})
        y += bar * len(series) + 8
    return {"kind": "bar", "groups": bars, "height": y, "series": series}


def _by_label(rows: list[dict], label: str, series) -> list[dict]:
    """One bar group per label: rows sharing a label (an office's categories, say) are added up."""
    merged: dict = {}
    for row in rows:
        key = row.get(label)
        if key not in merged:
            merged[key] = {label: key, **{c.key: row.get(c.key) for c in series}}
        else:
            for c in series:
                if c.summed:
                    merged[key][c.key] = (merged[key][c.key] or 0) + (row.get(c.key) or 0)
    return list(merged.values())


@capability_required(roles.VIEW_REPORTS)
def report(request, slug: str):
    spec = mis.REPORTS.get(slug)
    if spec is None:
        raise NotFound(slug)
    data = {**_defaults(spec), **{k: v for k, v in request.GET.items() if v != ""}}
    form = ReportFilterForm(data, report=spec)
    # The office is resolved first, whatever else is wrong: an office outside the user's subtree is 404.
    office = report_office(request.user, (request.GET.get("office") or "").strip() or None)
    fmt = request.GET.get("format", "")
    if not form.is_valid():
        if fmt:
            return HttpResponseBadRequest("invalid filters")
        return render(
            request, "staff/reports/report.html", {"report": spec, "form": form, "result": None}, status=400
        )
    cd = form.cleaned_data
    filters = Filters(
        office=office,
        period_from=cd["period_from"],
        period_to=cd["period_to"],
        category=cd.get("category") or "",
    )
    options = {}
    if "by" in spec.options:
        options["by"] = cd.get("by") or "channel"
        if options["by"] not in COLLECTION_GROUPS:
            options["by"] = "channel"
    if "threshold" in spec.options:
        options["threshold"] = cd.get("threshold") if cd.get("threshold") is not None else Decimal("0")
    if "overdue_days" in spec.options:
        options["overdue_days"] = cd.get("overdue_days") if cd.get("overdue_days") is not None else 90
    result = mis.run(spec, filters, sort=request.GET.get("sort", ""), options=options)
    if fmt:
        if fmt not in ("csv", "xlsx"):
            return HttpResponseBadRequest("format")
        office_part = office.code if office is not None else "all"
        name = f"{spec.slug}-{office_part}-{filters.period_from}-{filters.period_to}"
        rows = [*result.table, result.totals_row]
        return table_response(fmt, name, [str(c.label) for c in spec.columns], rows)

    kept = {k: v for k, v in request.GET.items() if k not in ("sort", "format") and v != ""}
    headers = []
    for c in spec.columns:
        current = result.sort.lstrip("-") == c.key
        descending = result.sort.startswith("-")
        next_sort = ("" if descending else "-") + c.key if current else ("-" if c.numeric else "") + c.key
        headers.append(
            {
                "column": c,
                "href": "?" + urlencode({**kept, "sort": next_sort}),
                "aria": ("descending" if descending else "ascending") if current else "none",
            }
        )
    table = [
        [{"text": _display(c, row.get(c.key)), "numeric": c.numeric} for c in spec.columns]
        for row in result.rows
    ]
    totals = [
        {
            "text": _display(c, result.totals.get(c.key)) if c.key in result.totals else "",
            "numeric": c.numeric,
        }
        for c in spec.columns
    ]
    exports = {f: "?" + urlencode({**kept, "sort": result.sort, "format": f}) for f in ("csv", "xlsx")}
    return render(
        request,
        "staff/reports/report.html",
        {
            "report": spec,
            "form": form,
            "result": result,
            "headers": headers,
            "table": table,
            "totals": totals,
            "exports": exports,
            "chart": _chart(result),
            "office": office,
            "filters": filters,
            "offices": offices_for_filter(request.user),
        },
    )
