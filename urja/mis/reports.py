"""The MIS reports as data: each report names its columns, how its rows are read (`urja.mis.selectors`),
which columns add up to a totals row, and what its chart shows. The console page and the CSV/XLSX
export both go through `run()`, so a download always holds the rows the page shows (same filters, same
office scope, same order)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.utils.functional import lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from urja.domain.ageing import BUCKETS

from . import selectors
from .selectors import BUCKET_NAMES, ZERO, Filters

TEXT, COUNT, MONEY, UNITS, PCT, DATE, RATE = "text", "count", "money", "units", "pct", "date", "rate"


@dataclass(frozen=True)
class Column:
    key: str
    label: Any
    kind: str = TEXT

    @property
    def numeric(self) -> bool:
        return self.kind in (COUNT, MONEY, UNITS, PCT, RATE)

    @property
    def summed(self) -> bool:
        return self.kind in (COUNT, MONEY, UNITS)


@dataclass(frozen=True)
class Chart:
    label: str  # the column naming each bar / point
    values: tuple[str, ...]  # one series per column
    kind: str = "bar"  # "bar", "line", or "totals" (one bar per column of the totals row)


@dataclass(frozen=True)
class Report:
    slug: str
    title: Any
    description: Any
    columns: tuple[Column, ...]
    read: Callable[..., list[dict]]
    default_sort: str
    chart: Chart | None = None
    #: Ratios in the totals row, computed from the summed columns: {key: (part, whole)}.
    ratios: dict[str, tuple[str, str]] = field(default_factory=dict)
    options: tuple[str, ...] = ()  # extra filters this report reads (by, threshold, overdue_days)
    uses_category: bool = True
    period_kind: str = "period"  # "period": bill periods; "dates": dates within the months
    balances: bool = False  # balances taken at the as-of day (ageing, defaulters)

    def column(self, key: str) -> Column | None:
        return next((c for c in self.columns if c.key == key), None)


@dataclass
class Result:
    report: Report
    rows: list[dict]
    totals: dict
    sort: str

    @property
    def table(self) -> list[list[Any]]:
        return [[row.get(c.key) for c in self.report.columns] for row in self.rows]

    @property
    def totals_row(self) -> list[Any]:
        cells = [self.totals.get(c.key, "") for c in self.report.columns]
        cells[0] = str(_("Total"))
        return cells


_days = lazy(lambda name: gettext("%(range)s days") % {"range": name}, str)


def _ratio(part, whole):
    if not whole:
        return None
    return (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.1"))


def _per_unit(amount, units):
    return (Decimal(amount) / Decimal(units)).quantize(Decimal("0.01")) if units else None


def _sort_key(column: Column):
    def key(row: dict):
        value = row.get(column.key)
        if value is None:
            return (1, ZERO if column.numeric else "")
        return (0, value if column.numeric or column.kind == DATE else str(value).casefold())

    return key


def run(report: Report, filters: Filters, *, sort: str = "", options: dict | None = None) -> Result:
    rows = report.read(filters, **(options or {}))
    sort = sort or report.default_sort
    column = report.column(sort.lstrip("-"))
    if column is None:
        sort = report.default_sort
        column = report.column(sort.lstrip("-"))
    assert column is not None
    # Stable sort: rows are first put in the default order, so ties keep a deterministic order.
    first = report.column(report.default_sort.lstrip("-"))
    if first is not None:
        rows.sort(key=_sort_key(first), reverse=report.default_sort.startswith("-"))
    rows.sort(key=_sort_key(column), reverse=sort.startswith("-"))
    totals: dict[str, Any] = {}
    for c in report.columns:
        if c.summed:
            totals[c.key] = sum((r.get(c.key) or 0 for r in rows), ZERO if c.kind != COUNT else 0)
    for key, (part, whole) in report.ratios.items():
        if key == "per_unit":
            totals[key] = _per_unit(totals.get(part, 0), totals.get(whole, 0))
        else:
            totals[key] = _ratio(totals.get(part, 0), totals.get(whole, 0))
    return Result(report=report, rows=rows, totals=totals, sort=sort)


_SLA_COLUMNS = (
    Column("opened", _("Opened"), COUNT),
    Column("closed", _("Closed"), COUNT),
    Column("closed_in_time", _("Closed within SLA"), COUNT),
    Column("closed_late", _("Closed late"), COUNT),
    Column("open", _("Open"), COUNT),
    Column("open_late", _("Open past SLA"), COUNT),
    Column("breached", _("SLA breached"), COUNT),
    Column("in_time_share", _("Closed within SLA %"), PCT),
)

REPORTS: dict[str, Report] = {
    r.slug: r
    for r in (
        Report(
            "billing",
            _("Billing summary"),
            _("Issued bills of the periods chosen: bills, units and amount by office and category."),
            (
                Column("office", _("Office")),
                Column("category", _("Category")),
                Column("bills", _("Bills"), COUNT),
                Column("units", _("Units billed"), UNITS),
                Column("amount", _("Amount billed (₹)"), MONEY),
                Column("subsidy", _("Subsidy (₹)"), MONEY),
            ),
            selectors.billing_summary,
            "office",
            chart=Chart("office", ("amount",)),
        ),
        Report(
            "collection",
            _("Collection summary"),
            _("Payments less reversals, from the ledger, dated in the months chosen."),
            (
                Column("key", _("Channel / office / day")),
                Column("receipts", _("Receipts"), COUNT),
                Column("reversed", _("Reversed"), COUNT),
                Column("received", _("Received (₹)"), MONEY),
                Column("reversals", _("Reversals (₹)"), MONEY),
                Column("net", _("Net collection (₹)"), MONEY),
            ),
            selectors.collection_summary,
            "key",
            chart=Chart("key", ("net",)),
            options=("by",),
            period_kind="dates",
        ),
        Report(
            "ageing",
            _("Arrears ageing"),
            _("What accounts owe at the end of the range, by days past the due date."),
            (
                Column("office", _("Office")),
                Column("category", _("Category")),
                Column("accounts", _("Accounts owing"), COUNT),
                *(Column(name, _days(name), MONEY) for name, _l, _h in BUCKETS),
                Column("outstanding", _("Outstanding (₹)"), MONEY),
                Column("advance", _("Advance held (₹)"), MONEY),
                Column("balance", _("Ledger balance (₹)"), MONEY),
            ),
            selectors.arrears_ageing,
            "office",
            chart=Chart("", BUCKET_NAMES, kind="totals"),
            period_kind="dates",
            balances=True,
        ),
        Report(
            "defaulters",
            _("Defaulters"),
            _("Accounts owing more than the amount chosen, overdue more than the days chosen."),
            (
                Column("account", _("Account")),
                Column("name", _("Name")),
                Column("office", _("Office")),
                Column("category", _("Category")),
                Column("oldest", _("Oldest due (days)")),
                Column("overdue", _("Overdue (₹)"), MONEY),
                Column("outstanding", _("Outstanding (₹)"), MONEY),
            ),
            selectors.defaulters,
            "-overdue",
            options=("threshold", "overdue_days"),
            period_kind="dates",
            balances=True,
        ),
        Report(
            "trend",
            _("Demand and collection"),
            _("Month by month: the amount billed for the month's period and the money collected in it."),
            (
                Column("month", _("Month")),
                Column("bills", _("Bills"), COUNT),
                Column("demand", _("Demand (₹)"), MONEY),
                Column("collection", _("Collection (₹)"), MONEY),
                Column("efficiency", _("Collection efficiency %"), PCT),
            ),
            selectors.demand_collection_trend,
            "month",
            chart=Chart("month", ("demand", "collection"), kind="line"),
            ratios={"efficiency": ("collection", "demand")},
        ),
        Report(
            "applications",
            _("Applications against SLA"),
            _("New connections and service requests opened in the range, against the whole process's SLA."),
            (Column("process", _("Process")), Column("office", _("Office")), *_SLA_COLUMNS),
            selectors.applications_sla,
            "process",
            chart=Chart("process", ("closed_in_time", "breached")),
            ratios={"in_time_share": ("closed_in_time", "closed")},
            period_kind="dates",
        ),
        Report(
            "complaints",
            _("Complaints against SLA"),
            _("Complaints filed in the range, against the hours their category allows."),
            (Column("office", _("Office")), Column("complaint", _("Complaint")), *_SLA_COLUMNS),
            selectors.complaints_sla,
            "office",
            chart=Chart("complaint", ("closed_in_time", "breached")),
            ratios={"in_time_share": ("closed_in_time", "closed")},
            period_kind="dates",
        ),
        Report(
            "meter-status",
            _("Meter status"),
            _("Issued bills by the reading status they were billed on, and the unmetered share."),
            (
                Column("status", _("Code")),
                Column("label", _("Reading status")),
                Column("bills", _("Bills"), COUNT),
                Column("units", _("Units billed"), UNITS),
                Column("share", _("Share of bills %"), PCT),
            ),
            selectors.meter_status,
            "-bills",
            chart=Chart("status", ("bills",)),
        ),
        Report(
            "spot-billing",
            _("Spot-billing coverage"),
            _("Share of metered bills whose closing reading was taken in the field (spot billing)."),
            (
                Column("office", _("Office")),
                Column("bills", _("Bills"), COUNT),
                Column("metered", _("Metered bills"), COUNT),
                Column("spot", _("Spot-billed"), COUNT),
                Column("share", _("Spot-billed %"), PCT),
            ),
            selectors.spot_coverage,
            "office",
            chart=Chart("office", ("share",)),
            ratios={"share": ("spot", "metered")},
        ),
        Report(
            "revenue-per-unit",
            _("Revenue per unit"),
            _("Amount billed per unit billed, by category."),
            (
                Column("category", _("Category")),
                Column("bills", _("Bills"), COUNT),
                Column("units", _("Units billed"), UNITS),
                Column("amount", _("Amount billed (₹)"), MONEY),
                Column("per_unit", _("₹ per unit"), RATE),
            ),
            selectors.revenue_per_unit,
            "category",
            chart=Chart("category", ("per_unit",)),
            ratios={"per_unit": ("amount", "units")},
        ),
    )
}
