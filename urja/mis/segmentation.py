"""Consumption segmentation reads (rule: urja.domain.segmentation; docs/segmentation.md).

A sub-division's segmentation is one query: the issued bills of the month and of the month before of
the consumers whose office lies in the sub-division (account, office, category, sanctioned load, basis,
units and revenue billed), classed in Python in one pass. The list behind a class is one more query (the
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

from django.conf import settings
from django.db.models import DecimalField, ExpressionWrapper, F

from urja.billing.choices import BillStatus
from urja.billing.models import Bill
from urja.domain import segmentation as rule_mod
from urja.domain.rules import add_months
from urja.domain.segmentation import BillLine, Rule, Segmentation, Total
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


@dataclass
class Report:
    subdivision: Office
    office: Office
    period: str
    previous_period: str
    category: str
    rule: Rule
    current: Segmentation
    previous: Segmentation
    current_classes: dict[int, str]
    previous_classes: dict[int, str]
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


def _in_scope(office: Office, subdivision: Office) -> set[int] | None:
    """Office ids of a DC's subtree; None when the office is the whole sub-division."""
    if office.pk == subdivision.pk:
        return None
    return set(Office.objects.filter(path__startswith=office.path).values_list("pk", flat=True))


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
    lines: dict[str, list[BillLine]] = {period: [], before: []}
    shown: dict[str, set[int]] = {period: set(), before: set()}
    rows = (
        _bills(subdivision, (period, before))
        .annotate(amount=_amount())
        .values_list(
            "consumer_id",
            "consumer__office_id",
            "period",
            "category",
            "sanctioned_load",
            "basis",
            "units",
            "amount",
        )
    )
    for consumer_id, office_id, bill_period, cat, load, basis, units, amount in rows.iterator(
        chunk_size=5000
    ):
        lines[bill_period].append(BillLine(consumer_id, cat, load, basis, units, amount))
        if (offices is None or office_id in offices) and (not category or cat == category):
            shown[bill_period].add(consumer_id)
    current = rule_mod.classify(lines[period], rule)
    previous = rule_mod.classify(lines[before], rule)
    report = Report(
        subdivision=subdivision,
        office=office,
        period=period,
        previous_period=before,
        category=category,
        rule=rule,
        current=current,
        previous=previous,
        current_classes={a: k for a, k in current.classes.items() if a in shown[period]},
        previous_classes={a: k for a, k in previous.classes.items() if a in shown[before]},
    )
    _summarise(report, [x for x in lines[period] if x.account in shown[period]])
    report.matrix = rule_mod.movement(report.previous_classes, report.current_classes)
    return report


def _summarise(report: Report, lines: list[BillLine]) -> None:
    rule = report.rule
    totals = {k: Total() for k in rule_mod.CLASSES}
    groups: dict[tuple[str, int, str], Total] = {}
    for x in lines:
        klass = report.current.classes[x.account]
        key = (x.category, rule.band_of(x.category, x.load), klass)
        groups.setdefault(key, Total()).add(x.units, x.amount)
        totals[klass].add(x.units, x.amount)
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
    report.totals = totals


def class_members(report: Report, *, klass: str, was: str = "") -> list[Member]:
    """The consumers behind one class of the report's month (and, with ``was``, behind one cell of the
    movement matrix: in class ``was`` the month before, ``none`` for not billed then). ``klass`` may be
    ``none`` with ``was`` set: the consumers who left. One query, ordered by account number."""
    if was:
        accounts = set(rule_mod.movers(report.previous_classes, report.current_classes, was=was, now=klass))
    else:
        accounts = {a for a, k in report.current_classes.items() if k == klass}
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
