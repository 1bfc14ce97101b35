"""Reads of the Utility Command Centre (docs/ucc.md): one place's KPIs, trends, league table of
sub-divisions and feeder-loss heat map, for a place in the drill-down state › discom › … › sub-division ›
feeder › DT. Read-only and set-based: every figure is one aggregate (or one grouped) query over the
place's subtree, never a query per office or per feeder, except the headline energy figures of one
place (``urja.energyaudit.selectors.office_audit`` / ``feeder_audit`` / ``dt_audit``).

Energy figures follow docs/energy-audit.md exactly (issued bills of the month; ledger credits of
payments and subsidy less their reversals; input energy of the feeders whose office is in the subtree).
Every energy read of this module is one of the functions marked "energy read" below, so that they can
be switched to faster selectors without touching the pages.

Billed and collected money of a month that has ended is read from the monthly roll-up
(``urja.energyaudit.models.MonthlyRollup``, same definitions, summed by office and DT) once a refresh
has run after the month ended; the current month, and any month never rolled up, are read live.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db.models import Count, Q, Sum

from urja.billing.choices import BillStatus, RunStatus
from urja.billing.compute import financial_year_start
from urja.billing.models import Bill, BillRun
from urja.common import clock
from urja.common.errors import NotFound
from urja.customers.choices import UNMETERED_CATEGORIES, ConsumerStatus
from urja.customers.models import Consumer
from urja.domain.energy_audit import (
    UNMETERED_FEEDER,
    AuditFigures,
    audit,
    loss_pct,
    months_between,
)
from urja.energyaudit import selectors as energy
from urja.energyaudit.models import InputEnergy, MonthlyRollup, RollupRefresh
from urja.helpdesk.choices import TicketStatus
from urja.helpdesk.models import Ticket
from urja.ledger.models import LedgerEntry
from urja.network.models import DistributionTransformer, Feeder
from urja.org.choices import LEVEL_ORDER, OfficeLevel
from urja.org.models import Office
from urja.org.permissions import user_covers
from urja.workflow.models import WorkItem
from urja.workflow.selectors import breaches_q

ZERO = Decimal("0.00")
CENT = Decimal("0.01")
#: How many feeders (worst first) the heat map shows.
HEAT_MAP_ROWS = 20
TREND_MONTHS = 12

STATE = "state"
FEEDER = "feeder"
DT = "dt"
#: The drill-down's levels, top to bottom (the distribution centre is skipped: feeders hang below the
#: sub-division in the drill-down, whichever office below it keeps them).
DRILL_LEVELS = (STATE, *[level.value for level in LEVEL_ORDER if level != OfficeLevel.DC], FEEDER, DT)


#: The levels whose places have sub-divisions below them (a league table, offices as children).
ABOVE_SUBDIVISION = DRILL_LEVELS[: DRILL_LEVELS.index(OfficeLevel.SUBDIVISION)]


def _sum(value: Decimal | None) -> Decimal:
    return (value or ZERO).quantize(CENT)


# --- the place ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Place:
    """One point of the drill-down. ``office`` is set for an office (None for the state: every discom),
    ``feeder``/``dt`` for a feeder or DT; ``trail`` the places above it, top first."""

    level: str
    code: str
    name: str
    office: Office | None = None
    feeder: Feeder | None = None
    dt: DistributionTransformer | None = None
    trail: tuple[tuple[str, str, str], ...] = field(default=())  # (level, code, name)

    @property
    def is_network(self) -> bool:
        return self.level in (FEEDER, DT)

    @property
    def prefix(self) -> str:
        """The office-path prefix of the place ('' for the state)."""
        if self.office is not None:
            return self.office.path
        if self.feeder is not None:
            return self.feeder.office.path
        if self.dt is not None:
            return self.dt.feeder.office.path
        return ""


def _office_trail(user, office: Office) -> list[tuple[str, str, str]]:
    """The offices above `office` that the user covers (and the state for a state-wide user)."""
    codes = office.path.strip("/").split("/")[:-1]
    above = {o.code: o for o in Office.objects.filter(code__in=codes)}
    trail: list[tuple[str, str, str]] = []
    if user.sees_everything and not user.office_id:
        trail.append((STATE, "", ""))
    for code in codes:
        o = above.get(code)
        if o is not None and user_covers(user, o):
            trail.append((o.level, o.code, o.name))
    return trail


def place_for(user, *, office: str = "", feeder: str = "", dt: str = "") -> Place:
    """The place a user asked for, within their subtree (NotFound outside it, as for one that does not
    exist). Nothing asked: the user's own office, or the state for a state-wide user."""
    if dt:
        point = DistributionTransformer.objects.select_related("feeder__office").filter(code=dt).first()
        if point is None or point.feeder is None or not user_covers(user, point.feeder.office):
            raise NotFound(dt)
        home = point.feeder.office
        trail = [*_office_trail(user, home), (home.level, home.code, home.name)]
        trail.append((FEEDER, point.feeder.code, point.feeder.name))
        return Place(DT, point.code, point.name, dt=point, trail=tuple(trail))
    if feeder:
        line = Feeder.objects.select_related("office").filter(code=feeder).first()
        if line is None or not user_covers(user, line.office):
            raise NotFound(feeder)
        trail = [*_office_trail(user, line.office), (line.office.level, line.office.code, line.office.name)]
        return Place(FEEDER, line.code, line.name, feeder=line, trail=tuple(trail))
    if office:
        found = Office.objects.filter(code=office.strip()).first()
        if found is None or not user_covers(user, found):
            raise NotFound(office)
        return Place(
            found.level, found.code, found.name, office=found, trail=tuple(_office_trail(user, found))
        )
    if user.sees_everything and not user.office_id:
        return Place(STATE, "", "")
    if user.office_id is None:
        raise NotFound("office")
    own = user.office
    return Place(own.level, own.code, own.name, office=own, trail=tuple(_office_trail(user, own)))


# --- energy reads ---------------------------------------------------------------------------------------


def place_snapshot(
    place: Place, period: str, *, rolled: bool = False, as_of: datetime.datetime | None = None
) -> energy.AuditSnapshot | None:
    """Energy read: one snapshot of the place's month (a handful of grouped queries; over the monthly
    roll-up with `rolled`); the headline, the children and the league are sums of it. None for a DT
    (its own audit is the whole story)."""
    if place.dt is not None:
        return None
    if place.feeder is not None:
        return energy.feeder_snapshot(feeder=place.feeder, period=period, rolled=rolled, as_of=as_of)
    return energy.office_snapshot(office=place.office, period=period, rolled=rolled, as_of=as_of)


def place_audit(place: Place, period: str, snapshot: energy.AuditSnapshot | None = None) -> AuditFigures:
    """Energy read: the place's figures for a month (those of ``office_audit`` and friends)."""
    if place.dt is not None:
        return energy.dt_audit(dt=place.dt, period=period).figures
    snapshot = snapshot or place_snapshot(place, period)
    assert snapshot is not None
    if place.feeder is not None:
        return snapshot.feeder(place.feeder.pk).figures
    return energy.snapshot_total(snapshot, place.office).figures


@dataclass
class _Totals:
    input_kwh: Decimal | None = None
    billed_kwh: Decimal = ZERO
    billed_amount: Decimal = ZERO
    collected: Decimal = ZERO
    unmetered: int = 0

    def add_input(self, kwh: Decimal) -> None:
        self.input_kwh = (self.input_kwh or ZERO) + kwh

    def figures(self) -> AuditFigures:
        return audit(
            input_kwh=self.input_kwh,
            billed_kwh=self.billed_kwh,
            billed_amount=self.billed_amount,
            collected_amount=self.collected,
            gaps=[UNMETERED_FEEDER] if self.unmetered else [],
        )


def _consumer_lookup(place: Place) -> dict[str, Any]:
    if place.dt is not None:
        return {"dt": place.dt}
    if place.feeder is not None:
        return {"dt__feeder": place.feeder}
    return {"dt__feeder__office__path__startswith": place.prefix}


def _input_rows(place: Place):
    if place.dt is not None:
        return InputEnergy.objects.filter(dt=place.dt)
    if place.feeder is not None:
        return InputEnergy.objects.filter(feeder=place.feeder)
    return InputEnergy.objects.filter(feeder__office__path__startswith=place.prefix)


def rolled_months(months: tuple[str, ...] | list[str]) -> dict[str, datetime.datetime]:
    """The months of `months` to read from the roll-up, with when each was refreshed (the energy
    audit's rule: ended, refreshed after it ended and after the last posting into it)."""
    return energy.rolled_months(months)


def _rollup_rows(place: Place, *, by_office: bool = False):
    """The roll-up rows of the place: by the consumer's office (`by_office`, the money figures of an
    office) or, like the energy figures, by the consumer's DT."""
    if place.dt is not None:
        return MonthlyRollup.objects.filter(dt=place.dt)
    if place.feeder is not None:
        return MonthlyRollup.objects.filter(dt__feeder=place.feeder)
    if by_office:
        return MonthlyRollup.objects.filter(office__path__startswith=place.prefix)
    return MonthlyRollup.objects.filter(dt__feeder__office__path__startswith=place.prefix)


def _live(months: tuple[str, ...] | list[str], rolled: dict[str, Any] | None) -> tuple[str, ...]:
    return tuple(m for m in months if m not in (rolled or {}))


def monthly_series(
    place: Place, months: tuple[str, ...], *, rolled: dict[str, datetime.datetime] | None = None
) -> dict[str, AuditFigures]:
    """Energy read: the place's figures for each month of `months`: the roll-up's for the months in
    `rolled` (default: ``rolled_months(months)``), live for the others in two grouped queries (bills by
    period, ledger collections by month), and input by period. Unmetered gaps are not looked for here."""
    rolled = rolled_months(months) if rolled is None else rolled
    lookup = {f"consumer__{k}": v for k, v in _consumer_lookup(place).items()}
    totals = {m: _Totals() for m in months}
    closed = [m for m in months if m in rolled]
    if closed:
        for row in (
            _rollup_rows(place)
            .filter(period__in=closed)
            .values("period")
            .annotate(units=Sum("billed_kwh"), amount=Sum("billed_amount"), collected=Sum("collected"))
            .order_by()
        ):
            t = totals[row["period"]]
            t.billed_kwh, t.billed_amount = _sum(row["units"]), _sum(row["amount"])
            t.collected = _sum(row["collected"])
    live = _live(months, rolled)
    if live:
        for row in (
            Bill.objects.filter(**lookup, status=BillStatus.ISSUED, period__in=live)
            .values("period")
            .annotate(units=Sum("units"), charges=Sum("current_charges"), subsidy=Sum("subsidy"))
            .order_by()
        ):
            t = totals[row["period"]]
            t.billed_kwh = _sum(row["units"])
            t.billed_amount = _sum(row["charges"]) - _sum(row["subsidy"])
        # One aggregate per part of "collected" (credits; their reversals: apart, each on its index)
        # with a filtered sum per month: exact Decimals, portable, no rows to Python.
        for part in energy.COLLECTED_PARTS:
            credits = (
                LedgerEntry.objects.filter(**lookup, entry_date__gte=_month_start(live[0]))
                .filter(entry_date__lte=_month_end(live[-1]))
                .filter(part)
                .aggregate(
                    **{
                        f"m{i}": Sum(
                            "amount", filter=Q(entry_date__gte=_month_start(m), entry_date__lte=_month_end(m))
                        )
                        for i, m in enumerate(live)
                    }
                )
            )
            for i, m in enumerate(live):
                totals[m].collected -= _sum(credits[f"m{i}"])
    for row in (
        _input_rows(place).filter(period__in=months).values("period").annotate(kwh=Sum("kwh")).order_by()
    ):
        totals[row["period"]].add_input(_sum(row["kwh"]))
    return {m: totals[m].figures() for m in months}


def _month_start(month: str) -> datetime.date:
    return datetime.date(int(month[:4]), int(month[5:]), 1)


def _month_end(month: str) -> datetime.date:
    year, mon = int(month[:4]), int(month[5:])
    nxt = datetime.date(year + (mon == 12), mon % 12 + 1, 1)
    return nxt - datetime.timedelta(days=1)


def _ended_months(months: tuple[str, ...]) -> list[str]:
    current = clock.today().strftime("%Y-%m")
    return [m for m in months if m < current]


def feeder_heat_map(
    place: Place,
    months: tuple[str, ...],
    limit: int = HEAT_MAP_ROWS,
    *,
    rolled: dict[str, datetime.datetime] | None = None,
) -> dict[str, Any]:
    """Energy read: loss % (input less units billed to consumers indexed there, over input) of each
    feeder under the place (of each DT, for a feeder) for each month, the worst `limit` by their loss over
    the months shown; ``None`` where there was no input. Grouped queries: units billed from the roll-up
    for the months in `rolled` (default ``rolled_months(months)``), live for the others; input."""
    rolled = rolled_months(months) if rolled is None else rolled
    rollup = _rollup_rows(place)
    rollup_key = "dt_id" if place.feeder is not None else "dt__feeder_id"
    if place.feeder is not None:
        points = DistributionTransformer.objects.filter(feeder=place.feeder)
        bills = Bill.objects.filter(consumer__dt__feeder=place.feeder)
        bill_key, inputs, input_key = (
            "consumer__dt_id",
            InputEnergy.objects.filter(dt__feeder=place.feeder),
            "dt_id",
        )
    else:
        points = Feeder.objects.filter(office__path__startswith=place.prefix)
        bills = Bill.objects.filter(consumer__dt__feeder__office__path__startswith=place.prefix)
        bill_key = "consumer__dt__feeder_id"
        inputs = InputEnergy.objects.filter(feeder__office__path__startswith=place.prefix)
        input_key = "feeder_id"
    billed: dict[tuple[int, str], Decimal] = {}
    closed = [m for m in months if m in rolled]
    if closed:
        for row in (
            rollup.filter(period__in=closed)
            .values(rollup_key, "period")
            .annotate(units=Sum("billed_kwh"))
            .order_by()
        ):
            billed[(row[rollup_key], row["period"])] = _sum(row["units"])
    live = _live(months, rolled)
    if live:
        for row in (
            bills.filter(status=BillStatus.ISSUED, period__in=live)
            .values(bill_key, "period")
            .annotate(units=Sum("units"))
            .order_by()
        ):
            billed[(row[bill_key], row["period"])] = _sum(row["units"])
    given: dict[tuple[int, str], Decimal] = {}
    for row in (
        inputs.filter(period__in=months).values(input_key, "period").annotate(kwh=Sum("kwh")).order_by()
    ):
        given[(row[input_key], row["period"])] = _sum(row["kwh"])
    pks = {pk for pk, _ in given} | {pk for pk, _ in billed}
    names = {
        pk: (code, name) for pk, code, name in points.filter(pk__in=pks).values_list("pk", "code", "name")
    }
    rows = []
    for pk, (code, name) in names.items():
        cells = [loss_pct(input_kwh=given.get((pk, m)), billed_kwh=billed.get((pk, m), ZERO)) for m in months]
        total_in = sum((given.get((pk, m), ZERO) for m in months), ZERO)
        total_billed = sum((billed.get((pk, m), ZERO) for m in months), ZERO)
        overall = loss_pct(input_kwh=total_in or None, billed_kwh=total_billed) if total_in else None
        rows.append({"code": code, "name": name, "cells": cells, "loss": overall})
    rows.sort(key=lambda r: (r["loss"] is None, -(r["loss"] or 0), r["code"]))
    return {"months": list(months), "rows": rows[:limit], "level": DT if place.feeder is not None else FEEDER}


# --- money and work -------------------------------------------------------------------------------------


def year_months(today: datetime.date) -> tuple[str, ...]:
    """The months of today's financial year up to today's."""
    return tuple(months_between(financial_year_start(today).strftime("%Y-%m"), today.strftime("%Y-%m")))


def _date_spans(months: tuple[str, ...], today: datetime.date) -> Q:
    """Ledger dates in `months` up to `today`, as few ranges as the months allow (consecutive months
    merged), for the index on entry_date."""
    spans: list[list[datetime.date]] = []
    for m in months:
        start, end = _month_start(m), min(_month_end(m), today)
        if start > today:
            continue
        if spans and spans[-1][1] + datetime.timedelta(days=1) == start:
            spans[-1][1] = end
        else:
            spans.append([start, end])
    q = Q(pk__in=[])
    for start, end in spans:
        q |= Q(entry_date__gte=start, entry_date__lte=end)
    return q


def revenue(
    place: Place, today: datetime.date, *, rolled: dict[str, datetime.datetime] | None = None
) -> dict[str, Decimal]:
    """Revenue billed (issued bills, gross of subsidy) and collected (ledger payment and subsidy credits
    less their reversals) today, this month and this financial year: the year's ended months in
    `rolled` (default ``rolled_months``) from the roll-up, the rest live, five queries. Offices count
    their consumers by commercial office (indexed or not); a feeder or DT its indexed consumers."""
    if place.is_network:
        lookup = {f"consumer__{k}": v for k, v in _consumer_lookup(place).items()}
    else:
        lookup = {"consumer__office__path__startswith": place.prefix}
    fy_months = year_months(today)
    rolled = rolled_months(fy_months) if rolled is None else rolled
    closed = [m for m in fy_months if m in rolled]
    live = _live(fy_months, rolled)
    bills = Bill.objects.filter(**lookup, status=BillStatus.ISSUED)

    def gross(q: Q) -> dict[str, Any]:
        return {"charges": Sum("current_charges", filter=q), "subsidy": Sum("subsidy", filter=q)}

    # Today and this month are bills issued then (a month's bills go out early the next month); the
    # year is the financial year's billing months, like the energy audit's.
    # Two aggregates rather than one over an OR, so that each is answered from its own index (issued
    # bills by issue date, bills by status and period).
    b = bills.filter(issue_date__gte=today.replace(day=1), issue_date__lte=today).aggregate(
        **{f"{k}_{name}": v for name, q in (("today", Q(issue_date=today)), ("month", Q()))
           for k, v in gross(q).items()}
    )  # fmt: skip
    b.update(bills.filter(period__in=live).aggregate(**{f"{k}_year": v for k, v in gross(Q()).items()}))
    # The energy audit's two parts of "collected" as two aggregates (credits; reversals of credits):
    # one OR over the reversal's self-join would scan the whole ledger; apart, the credits are read from
    # their covering index by date (ledger_credit_date) and the few reversals from theirs.
    c: dict[str, Decimal] = {"today": ZERO, "month": ZERO, "year": ZERO}
    for part in energy.COLLECTED_PARTS:
        sums = (
            LedgerEntry.objects.filter(_date_spans(live, today), **lookup)
            .filter(part)
            .aggregate(
                today=Sum("amount", filter=Q(entry_date=today)),
                month=Sum("amount", filter=Q(entry_date__gte=today.replace(day=1))),
                year=Sum("amount"),
            )
        )
        for name in c:
            c[name] += _sum(sums[name])
    r: dict[str, Any] = {"amount": None, "collected": None}
    if closed:
        r = (
            _rollup_rows(place, by_office=True)
            .filter(period__in=closed)
            .aggregate(amount=Sum("billed_amount"), collected=Sum("collected"))
        )
    result = {}
    for name in ("today", "month", "year"):
        result[f"billed_{name}"] = _sum(b[f"charges_{name}"]) - _sum(b[f"subsidy_{name}"])
        result[f"collected_{name}"] = ZERO - _sum(c[name])
    result["billed_year"] += _sum(r["amount"])
    result["collected_year"] += _sum(r["collected"])
    return result


def arrears(place: Place, today: datetime.date) -> Decimal:
    """What consumers owe: the sum of every positive ledger balance (a consumer in credit does not
    offset another's dues), one grouped query."""
    if place.is_network:
        lookup = {f"consumer__{k}": v for k, v in _consumer_lookup(place).items()}
    else:
        lookup = {"consumer__office__path__startswith": place.prefix}
    owed = (
        LedgerEntry.objects.filter(**lookup, entry_date__lte=today)
        .values("consumer_id")
        .annotate(balance=Sum("amount"))
        .filter(balance__gt=0)
        .order_by()
    )
    return _sum(owed.aggregate(total=Sum("balance"))["total"])


def arrears_now(place: Place, now: datetime.datetime) -> tuple[Decimal, datetime.datetime | None]:
    """The place's arrears and when they were summed: from the current month's roll-up when its last
    refresh is at most ``URJA_ROLLUP_FRESH_MINUTES`` old (the hourly refresh keeps it so), with that
    refresh's time; otherwise live (``arrears``), with None."""
    period = clock.localtime(now).strftime("%Y-%m")
    refresh = RollupRefresh.objects.filter(period=period).first()
    fresh = datetime.timedelta(minutes=settings.URJA_ROLLUP_FRESH_MINUTES)
    if refresh is None or refresh.refreshed_at is None or not (now - fresh <= refresh.refreshed_at <= now):
        return arrears(place, clock.localtime(now).date()), None
    rows = _rollup_rows(place, by_office=not place.is_network).filter(period=period)
    return _sum(rows.aggregate(total=Sum("arrears"))["total"]), clock.localtime(refresh.refreshed_at)


def unmetered_share(place: Place) -> tuple[int, int]:
    """(unmetered, all) connected consumers of the place (active or temporarily disconnected)."""
    if place.is_network:
        lookup = _consumer_lookup(place)
    else:
        lookup = {"office__path__startswith": place.prefix}
    counts = Consumer.objects.filter(
        **lookup, status__in=(ConsumerStatus.ACTIVE, ConsumerStatus.TEMP_DISCONNECTED)
    ).aggregate(all=Count("pk"), unmetered=Count("pk", filter=Q(category__in=UNMETERED_CATEGORIES)))
    return counts["unmetered"], counts["all"]


def work(place: Place, now: datetime.datetime) -> dict[str, int] | None:
    """Complaints open and past due, applications past SLA, bill runs waiting or running: kept by
    office, so None for a feeder or DT. Three queries."""
    if place.is_network:
        return None
    prefix = place.prefix
    tickets = Ticket.objects.filter(office__path__startswith=prefix, status=TicketStatus.OPEN).aggregate(
        open=Count("pk"), breached=Count("pk", filter=Q(due_at__lt=now))
    )
    past_sla = WorkItem.objects.filter(office__path__startswith=prefix).filter(breaches_q(now)).count()
    # A run covers its office's subtree (every office when it has none): those of the place's subtree,
    # of the offices above it, and the all-office runs.
    above = ["/".join(prefix.strip("/").split("/")[:i]) + "/" for i in range(1, prefix.count("/"))]
    runs = BillRun.objects.filter(status__in=(RunStatus.PENDING, RunStatus.RUNNING)).filter(
        Q(office__isnull=True) | Q(office__path__startswith=prefix) | Q(office__path__in=above)
    )
    return {
        "complaints_open": tickets["open"],
        "complaints_breached": tickets["breached"],
        "applications_past_sla": past_sla,
        "bill_runs": runs.count(),
    }


# --- the dashboard --------------------------------------------------------------------------------------


def last_closed_month(today: datetime.date) -> str:
    """The month whose figures are complete: the one before today's."""
    first = today.replace(day=1) - datetime.timedelta(days=1)
    return first.strftime("%Y-%m")


def trailing_months(last: str, count: int = TREND_MONTHS) -> tuple[str, ...]:
    year, month = int(last[:4]), int(last[5:])
    index = year * 12 + month - 1 - (count - 1)
    return months_between(f"{index // 12:04d}-{index % 12 + 1:02d}", last)


def _row(audit_: energy.AreaAudit, level: str) -> dict[str, Any]:
    return {"level": level, "code": audit_.code, "name": audit_.name, "figures": audit_.figures}


def children(place: Place, snapshot: energy.AuditSnapshot | None) -> list[dict[str, Any]]:
    """The places one step below, with their figures, worst AT&C first (gaps last)."""
    if place.level == DT or snapshot is None:
        return []
    if place.feeder is not None:
        rows = [_row(snapshot.dt(pk), DT) for pk in snapshot.dts]
    elif place.level in (OfficeLevel.SUBDIVISION, OfficeLevel.DC):
        rows = [_row(snapshot.feeder(pk), FEEDER) for pk in snapshot.feeders_under(place.prefix)]
    else:
        below = Office.objects.filter(path__startswith=place.prefix).exclude(path=place.prefix)
        offices = below.filter(level=DRILL_LEVELS[DRILL_LEVELS.index(place.level) + 1]).order_by("code")
        rows = [_row(snapshot.office(o), o.level) for o in offices]
    return _ranked(rows)


def _ranked(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return sorted(
        rows,
        key=lambda r: (r["figures"].atc_loss_pct is None, -(r["figures"].atc_loss_pct or 0), r["code"]),
    )


def league(place: Place, snapshot: energy.AuditSnapshot | None) -> list[dict[str, Any]]:
    """Every sub-division under the place (above sub-division level), worst AT&C first."""
    if place.level not in ABOVE_SUBDIVISION or snapshot is None:
        return []
    offices = Office.objects.filter(path__startswith=place.prefix, level=OfficeLevel.SUBDIVISION)
    return _ranked([_row(snapshot.office(o), o.level) for o in offices.order_by("code")])


def dashboard(place: Place, *, period: str | None = None, tables: bool = True) -> dict[str, Any]:
    """Everything the command centre shows for a place, as JSON-ready values (amounts as strings);
    without `tables`, only the KPIs and the trend (what the page's auto-refresh rewrites)."""
    today = clock.today()
    now = clock.now()
    period = period or last_closed_month(today)
    months = trailing_months(period)
    rolled = rolled_months(sorted({*months, *year_months(today)}))
    snapshot = place_snapshot(place, period, rolled=period in rolled, as_of=rolled.get(period))
    headline = place_audit(place, period, snapshot)
    series = monthly_series(place, months, rolled=rolled)
    unmetered, connected = unmetered_share(place)
    money = revenue(place, today, rolled=rolled)
    owed, owed_as_of = arrears_now(place, now)
    as_of = clock.localtime(min(rolled.values())) if rolled else None
    return {
        "place": {"level": place.level, "code": place.code, "name": place.name},
        "trail": [{"level": lv, "code": c, "name": n} for lv, c, n in place.trail],
        "period": period,
        "today": today.isoformat(),
        "updated_at": clock.localtime(now).isoformat(timespec="seconds"),
        # The oldest refresh of the roll-up months shown (None: every figure read live).
        "monthly_as_of": as_of.isoformat(timespec="seconds") if as_of else None,
        "monthly_as_of_text": as_of.strftime("%d-%m-%Y %H:%M") if as_of else None,
        "energy": figures_dict(headline),
        "trend": {
            "months": list(months),
            "billing_efficiency": [_num(series[m].billing_efficiency) for m in months],
            "collection_efficiency": [_num(series[m].collection_efficiency) for m in months],
            "atc_loss_pct": [_num(series[m].atc_loss_pct) for m in months],
        },
        "revenue": {k: str(v) for k, v in money.items()},
        "arrears": str(owed),
        # When the arrears were summed (None: now): the current month's roll-up, when fresh.
        "arrears_as_of": owed_as_of.isoformat(timespec="seconds") if owed_as_of else None,
        "arrears_as_of_text": owed_as_of.strftime("%d-%m-%Y %H:%M") if owed_as_of else None,
        "unmetered": {
            "count": unmetered,
            "of": connected,
            "pct": None if not connected else str((Decimal(100 * unmetered) / connected).quantize(CENT)),
        },
        "work": work(place, now),
        "children": [_json_row(r) for r in children(place, snapshot)] if tables else None,
        "league": [_json_row(r) for r in league(place, snapshot)] if tables else None,
        "heat_map": _heat(feeder_heat_map(place, months, rolled=rolled))
        if tables and place.level != DT
        else None,
    }


def _num(value: Decimal | None) -> float | None:
    """A chart point (the trend chart plots floats; the figures shown are the Decimal strings)."""
    return None if value is None else float(value)


def _text(value: Decimal | None) -> str | None:
    return None if value is None else str(value)


def figures_dict(f: AuditFigures) -> dict[str, Any]:
    return {
        "input_kwh": _text(f.input_kwh),
        "billed_kwh": str(f.billed_kwh),
        "billed_amount": str(f.billed_amount),
        "collected_amount": str(f.collected_amount),
        "billing_efficiency": _text(f.billing_efficiency),
        "collection_efficiency": _text(f.collection_efficiency),
        "atc_loss_pct": _text(f.atc_loss_pct),
        "gaps": list(f.gaps),
    }


def _json_row(r: dict[str, Any]) -> dict[str, Any]:
    return {"level": r["level"], "code": r["code"], "name": r["name"], **figures_dict(r["figures"])}


def _heat(h: dict[str, Any]) -> dict[str, Any]:
    return {
        "level": h["level"],
        "months": h["months"],
        "rows": [
            {
                "code": r["code"],
                "name": r["name"],
                "loss": _text(r["loss"]),
                "cells": [_text(c) for c in r["cells"]],
            }
            for r in h["rows"]
        ],
    }
