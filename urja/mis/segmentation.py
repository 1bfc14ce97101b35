"""Consumption segmentation reads (rule: urja.domain.segmentation; docs/segmentation.md).

A sub-division's segmentation is one query: the issued bills of the month and of the month before of
the consumers whose office lies in the sub-division (account, office, category, sanctioned load, basis,
units and revenue billed; load, units and revenue as exact integers of hundredths), classed column-wise
with NumPy (``classify_columns``). The list behind a class is one more query (the
month's bills with the consumers' account numbers and names). Never a query per consumer.

The thresholds are always the sub-division's: a report for a distribution centre is classed among its
sub-division's peers and then shows only the centre's consumers. A category filter keeps the thresholds
(they are per category anyway) and shows one category's rows, lists and movement.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cached_property

import numpy as np
from django.conf import settings
from django.db import connection
from django.db.models import BigIntegerField, DecimalField, ExpressionWrapper, F
from django.db.models.functions import Cast, Round

from urja.billing.choices import BillStatus
from urja.billing.models import Bill
from urja.domain import segmentation as rule_mod
from urja.domain.rules import add_months
from urja.domain.segmentation import Rule, Segmentation, Total
from urja.org.choices import LEVEL_ORDER, OfficeLevel
from urja.org.models import Office

_SUB = LEVEL_ORDER.index(OfficeLevel.SUBDIVISION)


def configured_rule() -> Rule:
    return Rule.from_config(getattr(settings, "URJA_SEGMENTATION", None))


def previous_period(period: str) -> str:
    day = add_months(datetime.date(int(period[:4]), int(period[5:7]), 1), -1)
    return f"{day:%Y-%m}"


def subdivision_of(office: Office) -> Office | None:
    """The sub-division an office is or lies in; None for an office above sub-division level."""
    if LEVEL_ORDER.index(office.level) < _SUB:
        return None
    while office.level != OfficeLevel.SUBDIVISION and office.parent_id is not None:
        office = office.parent
    return office if office.level == OfficeLevel.SUBDIVISION else None


def subdivisions_under(office: Office | None):
    """The sub-divisions of an office's subtree (every one for None), for choosing one."""
    qs = Office.objects.filter(level=OfficeLevel.SUBDIVISION)
    return qs.filter(path__startswith=office.path) if office is not None else qs


def _amount():
    # Revenue billed: current charges gross of subsidy (subsidy is stored negative), as the energy audit
    # counts it and as each bill posts it to the ledger.
    return ExpressionWrapper(
        F("current_charges") - F("subsidy"), output_field=DecimalField(max_digits=14, decimal_places=2)
    )


def _hundredths(expression):
    """An exact integer of hundredths of a two-decimal column, computed by the database (the rule works
    on integers; no Decimal is built per bill)."""
    return Cast(Round(expression * 100), output_field=BigIntegerField())


def _bills(subdivision: Office, periods: Iterable[str]):
    # "not cancelled" is implied by "issued"; it is said too because it is the predicate of the partial
    # unique index on (consumer, period), which lets PostgreSQL fetch each consumer's two bills directly.
    return (
        Bill.objects.filter(
            status=BillStatus.ISSUED,
            period__in=list(periods),
            consumer__office__path__startswith=subdivision.path,
        )
        .exclude(status=BillStatus.CANCELLED)
        .order_by()
    )


@dataclass(frozen=True, slots=True)
class Member:
    """One consumer in the list behind a class."""

    consumer_id: int
    account_number: str
    name: str
    category: str
    band: str
    load: Decimal
    load_unit: str
    basis: str
    units: Decimal | None
    amount: Decimal
    klass: str
    previous: str


@dataclass
class Row:
    category: str
    band: int
    band_label: str
    klass: str
    count: int
    units: Decimal
    amount: Decimal
    low: Decimal | None
    high: Decimal | None
    source: str
    share: Decimal  # of the group's consumers, per cent


@dataclass(eq=False)
class Report:
    subdivision: Office
    office: Office
    period: str
    previous_period: str
    category: str
    rule: Rule
    current: Segmentation
    previous: Segmentation
    #: Which of each month's bills the report shows (the office's subtree, the category).
    current_mask: np.ndarray
    previous_mask: np.ndarray
    rows: list[Row] = field(default_factory=list)
    totals: dict[str, Total] = field(default_factory=dict)
    matrix: dict[tuple[str, str], int] = field(default_factory=dict)

    @property
    def grand_total(self) -> Total:
        total = Total()
        for t in self.totals.values():
            total.count += t.count
            total.units += t.units
            total.amount += t.amount
        return total

    def shares(self) -> dict[str, Decimal]:
        """Each class's share of the consumers, per cent (for the chart)."""
        n = self.grand_total.count
        return {k: (Decimal(t.count) * 100 / n if n else Decimal(0)) for k, t in self.totals.items()}

    @cached_property
    def current_classes(self) -> dict[int, str]:
        """Account → class this month, for the bills shown."""
        return _classes(self.current, self.current_mask)

    @cached_property
    def previous_classes(self) -> dict[int, str]:
        return _classes(self.previous, self.previous_mask)


def _classes(segmentation: Segmentation, mask: np.ndarray) -> dict[int, str]:
    names = [rule_mod.CLASSES[i] for i in segmentation.klass[mask].tolist()]
    return dict(zip(segmentation.accounts[mask].tolist(), names, strict=True))


def _in_scope(office: Office, subdivision: Office) -> list[int] | None:
    """Office ids of a DC's subtree; None when the office is the whole sub-division."""
    if office.pk == subdivision.pk:
        return None
    return list(Office.objects.filter(path__startswith=office.path).values_list("pk", flat=True))


_COLUMNS = (
    "consumer_id",
    "consumer__office_id",
    "period",
    "category",
    "load_c",
    "basis",
    "units_c",
    "amount_p",
)


def _columns(queryset) -> dict[str, np.ndarray]:
    """The query's rows as NumPy columns. The SQL is the ORM's own; it is run on the cursor so that
    100,000 rows do not each pass through the ORM's per-value converters (a second of CPU at this size):
    the database already returns plain ints and strings."""
    sql, params = queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    columns = list(zip(*rows, strict=True)) if rows else [() for _ in _COLUMNS]
    types = (np.int64, np.int64, object, object, np.int64, object, np.float64, np.int64)
    return {
        name: np.asarray(column, dtype=dtype)  # units: None (unmetered) becomes NaN
        for name, column, dtype in zip(_COLUMNS, columns, types, strict=True)
    }


def _month(columns: dict[str, np.ndarray], period: str) -> dict[str, np.ndarray]:
    rows = columns["period"] == period
    return {name: column[rows] for name, column in columns.items()}


def _classify(columns: dict[str, np.ndarray], rule: Rule) -> Segmentation:
    return rule_mod.classify_columns(
        accounts=columns["consumer_id"],
        categories=columns["category"],
        loads_c=columns["load_c"],
        bases=columns["basis"],
        units_c=columns["units_c"],
        amounts_p=columns["amount_p"],
        rule=rule,
    )


def _mask(columns: dict[str, np.ndarray], offices: list[int] | None, category: str) -> np.ndarray:
    mask = np.ones(len(columns["consumer_id"]), dtype=bool)
    if offices is not None:
        mask &= np.isin(columns["consumer__office_id"], np.asarray(offices, dtype=np.int64))
    if category:
        mask &= columns["category"] == category
    return mask


def segmentation_report(
    *, office: Office, period: str, category: str = "", rule: Rule | None = None
) -> Report:
    """The month's segmentation of the office's sub-division, shown for the office (a sub-division or a
    DC in it). Raises ValueError for an office above sub-division level."""
    subdivision = subdivision_of(office)
    if subdivision is None:
        raise ValueError("segmentation is per sub-division")
    rule = rule or configured_rule()
    before = previous_period(period)
    offices = _in_scope(office, subdivision)
    columns = _columns(
        _bills(subdivision, (period, before))
        .annotate(
            load_c=_hundredths(F("sanctioned_load")),
            units_c=_hundredths(F("units")),
            amount_p=_hundredths(F("current_charges") - F("subsidy")),
        )
        .values_list(*_COLUMNS)
    )
    now_columns, before_columns = _month(columns, period), _month(columns, before)
    report = Report(
        subdivision=subdivision,
        office=office,
        period=period,
        previous_period=before,
        category=category,
        rule=rule,
        current=_classify(now_columns, rule),
        previous=_classify(before_columns, rule),
        current_mask=_mask(now_columns, offices, category),
        previous_mask=_mask(before_columns, offices, category),
    )
    _summarise(report)
    report.matrix = rule_mod.movement_between(
        report.previous, report.current, report.previous_mask, report.current_mask
    )
    return report


def _summarise(report: Report) -> None:
    rule = report.rule
    report.totals = report.current.totals_for(report.current_mask)
    groups = report.current.group_totals_for(report.current_mask)
    group_counts: dict[tuple[str, int], int] = {}
    for (cat, band, _k), t in groups.items():
        group_counts[(cat, band)] = group_counts.get((cat, band), 0) + t.count
    order = {k: i for i, k in enumerate(rule_mod.CLASSES)}
    for (cat, band, klass), t in sorted(groups.items(), key=lambda kv: (kv[0][0], kv[0][1], order[kv[0][2]])):
        thresholds = report.current.groups[(cat, band)]
        report.rows.append(
            Row(
                category=cat,
                band=band,
                band_label=rule.band_label(cat, band),
                klass=klass,
                count=t.count,
                units=t.units,
                amount=t.amount,
                low=thresholds.low,
                high=thresholds.high,
                source=thresholds.source,
                share=(Decimal(t.count) * 100 / group_counts[(cat, band)]).quantize(Decimal("0.1")),
            )
        )


def class_members(report: Report, *, klass: str, was: str = "") -> list[Member]:
    """The consumers behind one class of the report's month (and, with ``was``, behind one cell of the
    movement matrix: in class ``was`` the month before, ``none`` for not billed then). ``klass`` may be
    ``none`` with ``was`` set: the consumers who left. One query, ordered by account number."""
    if was:
        accounts = set(
            rule_mod.movers_between(
                report.previous,
                report.current,
                was=was,
                now=klass,
                previous_mask=report.previous_mask,
                current_mask=report.current_mask,
            )
        )
    else:
        current = report.current
        accounts = set(
            current.accounts[report.current_mask & (current.klass == rule_mod.CLASSES.index(klass))].tolist()
        )
    if not accounts:
        return []
    month = report.previous_period if klass == rule_mod.NO_BILL else report.period
    rule = report.rule
    members = []
    rows = (
        _bills(report.subdivision, (month,))
        .annotate(amount=_amount())
        .values_list(
            "consumer_id",
            "consumer__account_number",
            "consumer__name",
            "category",
            "sanctioned_load",
            "load_unit",
            "basis",
            "units",
            "amount",
        )
        .order_by("consumer__account_number")
    )
    for cid, number, name, cat, load, unit, basis, units, amount in rows.iterator(chunk_size=5000):
        if cid not in accounts:
            continue
        members.append(
            Member(
                consumer_id=cid,
                account_number=number,
                name=name,
                category=cat,
                band=rule.band_label(cat, rule.band_of(cat, load)),
                load=load,
                load_unit=unit,
                basis=basis,
                units=units,
                amount=amount,
                klass=report.current_classes.get(cid, rule_mod.NO_BILL),
                previous=report.previous_classes.get(cid, rule_mod.NO_BILL),
            )
        )
    return members
