"""Consumption segmentation pages (issue 12, MIS): a sub-division's consumers classed high, medium and
low for a month (rule: urja.domain.segmentation, docs/segmentation.md), the movement since the month
before, and the list behind each class or movement cell, each downloadable as CSV or XLSX. Office
scoping: the office asked for must lie in the user's subtree (404 otherwise, via report_office)."""

from __future__ import annotations

import re
from decimal import Decimal

from django import forms
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from urja.common import clock
from urja.common.export import table_response
from urja.customers.choices import TariffCategory
from urja.domain import segmentation as seg
from urja.domain.rules import add_months
from urja.mis.scope import report_office
from urja.mis.segmentation import (
    class_members,
    segmentation_report,
    subdivision_of,
    subdivisions_under,
)
from urja.org import roles
from urja.org.permissions import capability_required

PER_PAGE = 50
PERIOD = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")

CLASS_LABELS = {
    seg.HIGH: gettext_lazy("High"),
    seg.MEDIUM: gettext_lazy("Medium"),
    seg.LOW: gettext_lazy("Low"),
    seg.UNMETERED: gettext_lazy("Unmetered (not ranked)"),
    seg.NO_BILL: gettext_lazy("No bill"),
}
SOURCE_LABELS = {
    seg.FROM_GROUP: gettext_lazy("this load band"),
    seg.FROM_CATEGORY: gettext_lazy("whole category (band too small)"),
    seg.TOO_FEW: gettext_lazy("too few peers: all medium"),
}
#: Chart colours per class (also in the legend).
COLOURS = {seg.HIGH: "#b3261e", seg.MEDIUM: "#e8a317", seg.LOW: "#2e7d32", seg.UNMETERED: "#7a7a7a"}

SUMMARY_SORTS = {
    "category": lambda r: (r.category, r.band),
    "band": lambda r: (r.band, r.category),
    "class": lambda r: seg.CLASSES.index(r.klass),
    "count": lambda r: r.count,
    "units": lambda r: r.units,
    "amount": lambda r: r.amount,
    "share": lambda r: r.share,
}
MEMBER_SORTS = {
    "account": lambda m: m.account_number,
    "name": lambda m: m.name.casefold(),
    "load": lambda m: m.load,
    "units": lambda m: m.units if m.units is not None else Decimal(-1),
    "amount": lambda m: m.amount,
}


def _default_period() -> str:
    return f"{add_months(clock.today().replace(day=1), -1):%Y-%m}"


class SegmentForm(forms.Form):
    period = forms.RegexField(
        label=gettext_lazy("Month"),
        regex=PERIOD,
        error_messages={"invalid": gettext_lazy("Enter a month as YYYY-MM.")},
        widget=forms.TextInput(attrs={"inputmode": "numeric", "placeholder": "YYYY-MM", "size": 8}),
    )
    office = forms.CharField(label=gettext_lazy("Office code"), required=False, max_length=20)
    category = forms.ChoiceField(
        label=gettext_lazy("Category"),
        required=False,
        choices=[("", gettext_lazy("All categories"))] + list(TariffCategory.choices),
    )


def _form(request) -> SegmentForm:
    data = {
        "period": request.GET.get("period") or _default_period(),
        "office": request.GET.get("office", ""),
        "category": request.GET.get("category", ""),
    }
    return SegmentForm(data)


def _band(label: str) -> str:
    """A load band's label as shown: the domain's ``all`` (a category with one band) in words."""
    return str(_("all loads")) if label == seg.ALL_LOADS else label


def _category_label(code: str) -> str:
    try:
        return str(TariffCategory(code).label)
    except ValueError:
        return code


def _sorted(items, sorts: dict, request, default: str):
    key = request.GET.get("sort", default)
    if key not in sorts:
        key = default
    reverse = request.GET.get("dir") == "desc"
    return sorted(items, key=sorts[key], reverse=reverse), key, "desc" if reverse else "asc"


def _query_without(request, *names: str) -> str:
    query = request.GET.copy()
    for name in names:
        query.pop(name, None)
    return query.urlencode()


def _resolve(request):
    """(form, office, report) — report None when the form is invalid or the office lies above a
    sub-division (the page then offers the sub-divisions to choose from). NotFound outside the user's
    subtree."""
    form = _form(request)
    if not form.is_valid():
        return form, None, None
    office = report_office(request.user, form.cleaned_data["office"] or None)
    if office is None or subdivision_of(office) is None:
        return form, office, None
    report = segmentation_report(
        office=office, period=form.cleaned_data["period"], category=form.cleaned_data["category"]
    )
    return form, office, report


CHART_WIDTH = (
    400  # the bar (100%) spans the chart; the group's name is written above it, so a phone can read it
)
CHART_ROW = 40


def _chart(report) -> list[dict]:
    """Stacked bars: one per (category, load band) group (and one for all), each split by class share."""
    groups: dict[tuple[str, int], dict] = {}
    for row in report.rows:
        g = groups.setdefault(
            (row.category, row.band),
            {"label": f"{row.category} {_band(row.band_label)}", "total": 0, "parts": {}},
        )
        g["total"] += row.count
        g["parts"][row.klass] = row.count
    bars = []
    overall = {"label": _("All"), "total": report.grand_total.count, "parts": {}}
    for k, t in report.totals.items():
        overall["parts"][k] = t.count
    for i, g in enumerate([overall, *groups.values()]):
        x = 0.0
        segments = []
        for k in seg.CLASSES:
            n = g["parts"].get(k, 0)
            if not n or not g["total"]:
                continue
            width = CHART_WIDTH * n / g["total"]
            segments.append(
                {"x": round(x, 1), "width": round(width, 1), "colour": COLOURS[k], "klass": k, "n": n}
            )
            x += width
        bars.append({"label": g["label"], "y": i * CHART_ROW, "segments": segments, "total": g["total"]})
    return bars


def _matrix(report) -> dict:
    """The movement matrix as rows for the table (every state) and the 3×3 ranked core for the SVG."""
    m = report.matrix
    ranked_max = max((m[(a, b)] for a in seg.RANKED for b in seg.RANKED), default=0) or 1
    rows = []
    for a in seg.STATES:
        cells = [{"was": a, "now": b, "n": m[(a, b)]} for b in seg.STATES]
        rows.append(
            {"state": a, "label": CLASS_LABELS[a], "cells": cells, "total": sum(c["n"] for c in cells)}
        )
    core = []
    for i, a in enumerate(seg.RANKED):
        for j, b in enumerate(seg.RANKED):
            n = m[(a, b)]
            core.append(
                {
                    "x": 90 + j * 70,
                    "y": 30 + i * 50,
                    "n": n,
                    "was": a,
                    "now": b,
                    "opacity": round(0.08 + 0.8 * n / ranked_max, 2),
                    "ink": "#ffffff" if n / ranked_max > 0.5 else "#1b1b1b",  # readable on the cell
                }
            )
    return {
        "rows": rows,
        "core": core,
        "labels": [
            {"x": 124 + i * 70, "y": 60 + i * 50, "state": k, "label": CLASS_LABELS[k]}
            for i, k in enumerate(seg.RANKED)
        ],
    }


def _summary_export(fmt: str, report, rows):
    headers = [
        _("Sub-division"),
        _("Month"),
        _("Category"),
        _("Load band"),
        _("Class"),
        _("Consumers"),
        _("Units"),
        _("Revenue billed (₹)"),
        _("Share of the band (%)"),
        _("Low: units at or below"),
        _("High: units above"),
        _("Thresholds from"),
    ]
    table = [
        [
            report.subdivision.code,
            report.period,
            r.category,
            _band(r.band_label),
            str(CLASS_LABELS[r.klass]),
            r.count,
            r.units,
            r.amount,
            r.share,
            r.low,
            r.high,
            str(SOURCE_LABELS[r.source]),
        ]
        for r in rows
    ]
    return table_response(fmt, f"segmentation-{report.office.code}-{report.period}", headers, table)


@capability_required(roles.VIEW_REPORTS)
def report(request):
    """The month's classes per category and load band, the chart, and the movement matrix."""
    form, office, result = _resolve(request)
    fmt = request.GET.get("fmt")
    context: dict = {"form": form, "office": office, "report": result}
    if result is None:
        if form.is_valid():
            context["subdivisions"] = subdivisions_under(office).order_by("path")[:500]
        return render(request, "staff/segments/report.html", context, status=200 if form.is_valid() else 400)
    rows, sort, direction = _sorted(result.rows, SUMMARY_SORTS, request, "category")
    if fmt in ("csv", "xlsx"):
        return _summary_export(fmt, result, rows)
    context.update(
        {
            "rows": [
                {
                    "row": r,
                    "label": CLASS_LABELS[r.klass],
                    "category_label": _category_label(r.category),
                    "band": _band(r.band_label),
                    "source": SOURCE_LABELS[r.source],
                }
                for r in rows
            ],
            "sort": sort,
            "dir": direction,
            "base_query": _query_without(request, "sort", "dir", "fmt", "page"),
            "filter_query": _query_without(request, "sort", "dir", "fmt", "page", "klass", "was"),
            "totals": [
                {"klass": k, "label": CLASS_LABELS[k], "total": t, "colour": COLOURS[k], "share": s}
                for (k, t), s in zip(result.totals.items(), result.shares().values(), strict=True)
            ],
            "grand": result.grand_total,
            "bars": _chart(result),
            "chart_height": CHART_ROW * (len({(r.category, r.band) for r in result.rows}) + 1),
            "matrix": _matrix(result),
            "states": [{"state": k, "label": CLASS_LABELS[k]} for k in seg.STATES],
            "rule": result.rule,
        }
    )
    return render(request, "staff/segments/report.html", context)


@capability_required(roles.VIEW_REPORTS)
def members(request):
    """The consumers behind one class (``klass``), or behind one movement cell (``was`` → ``klass``)."""
    klass = request.GET.get("klass", "")
    was = request.GET.get("was", "")
    if klass not in seg.STATES or (was and was not in seg.STATES) or (klass == seg.NO_BILL and not was):
        raise Http404("class")
    form, office, result = _resolve(request)
    if result is None:
        raise Http404("office")
    people = class_members(result, klass=klass, was=was)
    people, sort, direction = _sorted(people, MEMBER_SORTS, request, "account")
    fmt = request.GET.get("fmt")
    if fmt in ("csv", "xlsx"):
        headers = [
            _("Account"),
            _("Name"),
            _("Category"),
            _("Sanctioned load"),
            _("Load unit"),
            _("Load band"),
            _("Bill basis"),
            _("Units"),
            _("Revenue billed (₹)"),
            _("Class"),
            _("Class the month before"),
        ]
        table = [
            [m.account_number, m.name, m.category, m.load, m.load_unit, _band(m.band), m.basis, m.units, m.amount,
             str(CLASS_LABELS[m.klass]), str(CLASS_LABELS[m.previous])]
            for m in people
        ]  # fmt: skip
        name = f"segment-{klass}-{office.code}-{result.period}" + (f"-from-{was}" if was else "")
        return table_response(fmt, name, headers, table)
    page = Paginator(people, PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "staff/segments/members.html",
        {
            "form": form,
            "report": result,
            "klass": klass,
            "was": was,
            "klass_label": CLASS_LABELS[klass],
            "was_label": CLASS_LABELS.get(was, ""),
            "page": page,
            "count": len(people),
            "labels": CLASS_LABELS,
            "all_band": seg.ALL_LOADS,
            "sort": sort,
            "dir": direction,
            "base_query": _query_without(request, "sort", "dir", "fmt", "page"),
            "page_query": _query_without(request, "fmt", "page"),
            "back_query": _query_without(request, "sort", "dir", "fmt", "page", "klass", "was"),
        },
    )
