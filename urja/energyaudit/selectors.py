"""Reads of the energy audit: an area's input energy, billed energy, billed and collected money, and its
AT&C figures (urja.domain.energy_audit) for a month, quarter or financial year. Later MIS pages reuse
these; they only read.

Which consumers count: those indexed (through their DT) to the area's feeders: for an office, every
feeder whose office is in the office's subtree; for a feeder, its DTs; for a DT, itself. Billed figures
are the issued bills of the period's months (``Bill.period``): ``billed_kwh`` their units (metered and
assessed), ``billed_amount`` their current charges gross of subsidy, which is what each bill posts to the
ledger as its debit and subsidy credit. ``collected_amount`` is read from the ledger: payment and
subsidy credits dated in the period, less reversals of such credits dated in the period (a bounced
cheque), arrears included. A feeder or DT lacking input for a month of the period that has ended is
reported as unmetered (months from the current one on are not expected yet). Consumers of the office not indexed to any DT are counted as a gap.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db.models import Count, Q, Sum

from urja.billing.choices import BillStatus
from urja.billing.models import Bill
from urja.common import clock
from urja.common.errors import NotFound
from urja.customers.models import Consumer
from urja.domain.energy_audit import (
    UNINDEXED_CONSUMERS,
    UNMETERED_DT,
    UNMETERED_FEEDER,
    AuditFigures,
    AuditPeriod,
    audit,
    parse_period,
)
from urja.ledger.choices import EntryType
from urja.ledger.models import LedgerEntry
from urja.network.models import DistributionTransformer, Feeder, Substation
from urja.org.models import Office
from urja.org.permissions import user_covers

from .models import InputEnergy, MonthlyRollup, RollupRefresh

ZERO = Decimal("0.00")
CENT = Decimal("0.01")


def _sum(value: Decimal | None) -> Decimal:
    """A database sum as a two-decimal Decimal (SQLite drops the trailing zeros of NUMERIC sums)."""
    return (value or ZERO).quantize(CENT)


COLLECTION_TYPES = (EntryType.PAYMENT, EntryType.SUBSIDY)
#: The ledger rows counted as collected: payment and subsidy credits, and reversals of them. Read as
#: two grouped queries (each on the ledger's (entry_type, entry_date) index) rather than one OR over a
#: self-join, which PostgreSQL cannot answer from the index.
COLLECTED_PARTS = (
    Q(entry_type__in=COLLECTION_TYPES),
    Q(entry_type=EntryType.REVERSAL, reverses__entry_type__in=COLLECTION_TYPES),
)


def _collected(entries, key: str, *more: str) -> dict[Any, Decimal]:
    """Money collected (positive) among the ledger rows `entries`, grouped by `key` (by the tuple of
    `key` and `more` when more keys are given)."""
    out: dict[Any, Decimal] = defaultdict(lambda: ZERO)
    for part in COLLECTED_PARTS:
        for row in entries.filter(part).values(key, *more).annotate(total=Sum("amount")).order_by():
            group = tuple(row[k] for k in (key, *more)) if more else row[key]
            out[group] -= _sum(row["total"])
    return {k: ZERO + v for k, v in out.items()}  # ZERO + keeps 0.00, never -0.00


STATE_CODE = "STATE"


@dataclass(frozen=True, slots=True)
class AreaAudit:
    level: str  # "state", "office", "substation", "feeder" or "dt"
    code: str
    period: AuditPeriod
    figures: AuditFigures
    unmetered_feeders: tuple[str, ...] = ()
    unmetered_dts: tuple[str, ...] = ()
    unindexed_consumers: int = 0
    name: str = ""
    pk: int | None = None  # the office's, substation's, feeder's or DT's id (drill-down links)
    #: When the monthly roll-up these figures were summed from was refreshed; None: read live.
    as_of: datetime.datetime | None = None

    def as_dict(self) -> dict[str, Any]:
        f = self.figures

        def text(value: Decimal | None) -> str | None:
            return None if value is None else str(value)

        return {
            "level": self.level,
            "code": self.code,
            "period": self.period.code,
            "start": self.period.start.isoformat(),
            "end": self.period.end.isoformat(),
            "input_kwh": text(f.input_kwh),
            "billed_kwh": text(f.billed_kwh),
            "billed_amount": text(f.billed_amount),
            "collected_amount": text(f.collected_amount),
            "billing_efficiency": text(f.billing_efficiency),
            "collection_efficiency": text(f.collection_efficiency),
            "atc_loss_pct": text(f.atc_loss_pct),
            "td_loss_pct": text(f.td_loss_pct),
            "gaps": list(f.gaps),
            "unmetered_feeders": list(self.unmetered_feeders),
            "unmetered_dts": list(self.unmetered_dts),
            "unindexed_consumers": self.unindexed_consumers,
            "as_of": clock.localtime(self.as_of).isoformat(timespec="seconds") if self.as_of else None,
        }


@dataclass(slots=True)
class _Tally:
    """Billed units and money and collected money of some consumers."""

    billed_kwh: Decimal = ZERO
    billed_amount: Decimal = ZERO
    collected: Decimal = ZERO

    def add(self, other: _Tally) -> None:
        self.billed_kwh += other.billed_kwh
        self.billed_amount += other.billed_amount
        self.collected += other.collected


@dataclass(slots=True)
class _Input:
    """Input energy of a set of meters, and which of them miss a month that has ended."""

    kwh: Decimal | None = None
    unmetered: list[str] | None = None

    def add_point(self, kwh: Decimal | None, code: str, complete: bool) -> None:
        if kwh is not None:
            self.kwh = (self.kwh or ZERO) + kwh
        if not complete:
            if self.unmetered is None:
                self.unmetered = []
            self.unmetered.append(code)


class AuditSnapshot:
    """One period's audit of every feeder and DT in a scope, read with one grouped query per source:
    the scope's feeders, DTs and offices; issued bills grouped by the consumer's DT; ledger collections
    grouped by the consumer's DT; input energy grouped by feeder and by DT; unindexed billed consumers
    grouped by office. Every level above a DT (feeder, substation, office at any depth, state) is then
    a sum in Python, so an office's page costs the same few queries whatever its size.

    The scope is given as lookups relative to Feeder (`feeder_lookup`) and to DistributionTransformer
    (`dt_lookup`), e.g. an office's subtree, one feeder, or one DT."""

    def __init__(
        self,
        *,
        period: AuditPeriod,
        feeder_lookup: dict[str, Any],
        dt_lookup: dict[str, Any],
        unindexed_prefix: str | None = None,
        rolled: bool = False,
        as_of: datetime.datetime | None = None,
    ):
        self.period = period
        self.rolled = rolled
        #: When the roll-up read was refreshed (None: read live from bills and ledger).
        self.as_of = as_of if rolled else None
        current = clock.today().strftime("%Y-%m")
        ended = [month for month in period.months if month < current]
        self.ended_count = len(ended)
        months = list(period.months)

        self.feeders: dict[int, dict[str, Any]] = {
            row["id"]: row
            for row in Feeder.objects.filter(**feeder_lookup).values(
                "id", "code", "name", "feeder_type", "office_id", "office__path", "office__code",
                "substation_id", "substation__code", "substation__name",
            )
        }  # fmt: skip
        self.dts: dict[int, dict[str, Any]] = {
            row["id"]: row
            for row in DistributionTransformer.objects.filter(**dt_lookup).values(
                "id", "code", "name", "feeder_id", "feeder__code", "office_id", "capacity_kva"
            )
        }
        self.dt_tally: dict[int, _Tally] = defaultdict(_Tally)
        self.unindexed_paths: dict[str, int] = {}
        if rolled:
            self._read_rollup(months, dt_lookup, unindexed_prefix)
        else:
            self._read_live(period, months, dt_lookup, unindexed_prefix)

        self.feeder_kwh, self.feeder_months = self._input("feeder", feeder_lookup, months, ended)
        self.dt_kwh, self.dt_months = self._input("dt", dt_lookup, months, ended)

        self.feeder_tally: dict[int, _Tally] = defaultdict(_Tally)
        self.feeder_dts: dict[int, list[int]] = defaultdict(list)
        for dt_id, dt in self.dts.items():
            self.feeder_dts[dt["feeder_id"]].append(dt_id)
            if dt_id in self.dt_tally:
                self.feeder_tally[dt["feeder_id"]].add(self.dt_tally[dt_id])

    def _read_live(
        self, period: AuditPeriod, months: list[str], dt_lookup: dict[str, Any], unindexed_prefix: str | None
    ) -> None:
        """Billed and collected figures by DT, and unindexed billed consumers by office, from the bills
        and the ledger."""
        on_dt = {f"consumer__dt__{key}": value for key, value in dt_lookup.items()}
        bills = (
            Bill.objects.filter(
                **on_dt, consumer__dt__isnull=False, status=BillStatus.ISSUED, period__in=months
            )
            .values("consumer__dt_id")
            .annotate(units=Sum("units"), charges=Sum("current_charges"), subsidy=Sum("subsidy"))
            .order_by()
        )
        for row in bills:
            tally = self.dt_tally[row["consumer__dt_id"]]
            tally.billed_kwh = _sum(row["units"])
            tally.billed_amount = _sum(row["charges"]) - _sum(row["subsidy"])  # subsidy is stored negative
        credits = _collected(
            LedgerEntry.objects.filter(
                **on_dt, consumer__dt__isnull=False, entry_date__gte=period.start, entry_date__lte=period.end
            ),
            "consumer__dt_id",
        )
        for dt_id, collected in credits.items():
            self.dt_tally[dt_id].collected = collected
        if unindexed_prefix is not None:
            self._unindexed_live(months, unindexed_prefix)

    def _unindexed_live(self, months: list[str], prefix: str) -> None:
        rows = (
            Bill.objects.filter(
                consumer__office__path__startswith=prefix,
                consumer__dt__isnull=True,
                status=BillStatus.ISSUED,
                period__in=months,
            )
            .values("consumer__office_id", "consumer__office__path")
            .annotate(n=Count("consumer_id", distinct=True))
            .order_by()
        )
        self.unindexed_paths = {row["consumer__office__path"]: row["n"] for row in rows}

    def _read_rollup(
        self, months: list[str], dt_lookup: dict[str, Any], unindexed_prefix: str | None
    ) -> None:
        """The same figures from the monthly roll-up (``MonthlyRollup``: the same definitions, summed by
        the consumer's office and DT at its refresh). A month's unindexed consumers are its unindexed
        bills (one issued bill per account and period); over several months they are not (a consumer
        billed in each counts once), so a quarter or year counts them live."""
        on_dt = {f"dt__{key}": value for key, value in dt_lookup.items()}
        rows = (
            MonthlyRollup.objects.filter(**on_dt, dt__isnull=False, period__in=months)
            .values("dt_id")
            .annotate(units=Sum("billed_kwh"), amount=Sum("billed_amount"), collected=Sum("collected"))
            .order_by()
        )
        for row in rows:
            tally = self.dt_tally[row["dt_id"]]
            tally.billed_kwh, tally.billed_amount = _sum(row["units"]), _sum(row["amount"])
            tally.collected = _sum(row["collected"])
        if unindexed_prefix is not None and len(months) > 1:
            self._unindexed_live(months, unindexed_prefix)
        elif unindexed_prefix is not None:
            unindexed = (
                MonthlyRollup.objects.filter(
                    office__path__startswith=unindexed_prefix, dt__isnull=True, period__in=months, bills__gt=0
                )
                .values("office__path")
                .annotate(n=Sum("bills"))
                .order_by()
            )
            self.unindexed_paths = {row["office__path"]: row["n"] for row in unindexed}

    @staticmethod
    def _input(level: str, lookup: dict[str, Any], months: list[str], ended: list[str]):
        on_point = {f"{level}__{key}": value for key, value in lookup.items()}
        rows = (
            InputEnergy.objects.filter(**on_point, **{f"{level}__isnull": False}, period__in=months)
            .values(f"{level}_id")
            .annotate(total=Sum("kwh"), ended=Count("id", filter=Q(period__in=ended)))
            .order_by()
        )
        kwh = {row[f"{level}_id"]: _sum(row["total"]) for row in rows}
        counted = {row[f"{level}_id"]: row["ended"] for row in rows}
        return kwh, counted

    # --- one point ------------------------------------------------------------------------------

    def _complete(self, months: dict[int, int], point_id: int) -> bool:
        return months.get(point_id, 0) >= self.ended_count

    def dt(self, dt_id: int) -> AreaAudit:
        dt = self.dts[dt_id]
        complete = self._complete(self.dt_months, dt_id)
        unmetered = () if complete else (dt["code"],)
        return self._area(
            "dt", dt["code"], dt["name"], dt_id, self.dt_tally.get(dt_id, _Tally()),
            self.dt_kwh.get(dt_id), [UNMETERED_DT] if unmetered else [], unmetered_dts=unmetered,
        )  # fmt: skip

    def feeder(self, feeder_id: int) -> AreaAudit:
        feeder = self.feeders[feeder_id]
        complete = self._complete(self.feeder_months, feeder_id)
        unmetered = () if complete else (feeder["code"],)
        return self._area(
            "feeder", feeder["code"], feeder["name"], feeder_id, self.feeder_tally.get(feeder_id, _Tally()),
            self.feeder_kwh.get(feeder_id), [UNMETERED_FEEDER] if unmetered else [], unmetered_feeders=unmetered,
        )  # fmt: skip

    # --- sums of feeders --------------------------------------------------------------------------

    def _feeders_sum(self, feeder_ids) -> tuple[_Tally, _Input]:
        tally, energy = _Tally(), _Input()
        for feeder_id in sorted(feeder_ids, key=lambda pk: self.feeders[pk]["code"]):
            if feeder_id in self.feeder_tally:
                tally.add(self.feeder_tally[feeder_id])
            energy.add_point(
                self.feeder_kwh.get(feeder_id),
                self.feeders[feeder_id]["code"],
                self._complete(self.feeder_months, feeder_id),
            )
        return tally, energy

    def feeders_under(self, path: str) -> list[int]:
        return [pk for pk, row in self.feeders.items() if row["office__path"].startswith(path)]

    def unindexed_under(self, path: str) -> int:
        return sum(n for office_path, n in self.unindexed_paths.items() if office_path.startswith(path))

    def area(self, *, level: str, code: str, name: str, pk: int | None, feeder_ids, unindexed: int = 0):
        """The figures of a set of feeders (a substation, an office's subtree, the state)."""
        tally, energy = self._feeders_sum(feeder_ids)
        gaps = [UNMETERED_FEEDER] if energy.unmetered else []
        if unindexed:
            gaps.append(UNINDEXED_CONSUMERS)
        return self._area(
            level, code, name, pk, tally, energy.kwh, gaps,
            unmetered_feeders=tuple(energy.unmetered or ()), unindexed=unindexed,
        )  # fmt: skip

    def office(self, office: Office) -> AreaAudit:
        return self.area(
            level="office",
            code=office.code,
            name=office.name,
            pk=office.pk,
            feeder_ids=self.feeders_under(office.path),
            unindexed=self.unindexed_under(office.path),
        )

    def substations(self) -> list[AreaAudit]:
        """Each substation with a feeder in the scope, over those of its feeders (by code)."""
        by_substation: dict[int, list[int]] = defaultdict(list)
        for pk, row in self.feeders.items():
            by_substation[row["substation_id"]].append(pk)
        out = []
        for substation_id, feeder_ids in by_substation.items():
            row = self.feeders[feeder_ids[0]]
            out.append(
                self.area(
                    level="substation",
                    code=row["substation__code"],
                    name=row["substation__name"],
                    pk=substation_id,
                    feeder_ids=feeder_ids,
                )
            )
        return sorted(out, key=lambda a: a.code)

    def _area(
        self, level, code, name, pk, tally: _Tally, input_kwh, gaps, *,
        unmetered_feeders=(), unmetered_dts=(), unindexed: int = 0,
    ) -> AreaAudit:  # fmt: skip
        figures = audit(
            input_kwh=input_kwh,
            billed_kwh=tally.billed_kwh,
            billed_amount=tally.billed_amount,
            collected_amount=tally.collected,
            gaps=gaps,
        )
        return AreaAudit(
            level=level,
            code=code,
            period=self.period,
            figures=figures,
            unmetered_feeders=tuple(unmetered_feeders),
            unmetered_dts=tuple(unmetered_dts),
            unindexed_consumers=unindexed,
            name=name,
            pk=pk,
            as_of=self.as_of,
        )


def _month_end(period: str) -> datetime.date:
    year, month = int(period[:4]), int(period[5:])
    return datetime.date(year + (month == 12), month % 12 + 1, 1) - datetime.timedelta(days=1)


def rolled_months(months: Iterable[str]) -> dict[str, datetime.datetime]:
    """The months of `months` whose monthly roll-up can be read instead of bills and ledger, with when
    each was refreshed: the month has ended, its last refresh ran after it ended (one earlier saw only
    part of it) and after the last posting into it (``RollupRefresh.touched_at``)."""
    current = clock.today().strftime("%Y-%m")
    ended = [m for m in months if m < current]
    if not ended:
        return {}
    refreshes = RollupRefresh.objects.filter(period__in=ended, refreshed_at__isnull=False)
    return {
        period: at
        for period, at, touched in refreshes.values_list("period", "refreshed_at", "touched_at")
        if clock.localtime(at).date() > _month_end(period) and (touched is None or at > touched)
    }


def _office_lookups(office: Office | None) -> tuple[dict[str, Any], dict[str, Any], str]:
    if office is None:
        return {}, {}, ""
    return (
        {"office__path__startswith": office.path},
        {"feeder__office__path__startswith": office.path},
        office.path,
    )


def _source(span: AuditPeriod, rolled: bool | None, as_of: datetime.datetime | None):
    """(read the roll-up?, its refresh time) for a span: `rolled` None decides by ``rolled_months``
    (every month of the span readable from the roll-up), True trusts the caller, False reads live."""
    if rolled is None:
        got = rolled_months(span.months)
        if span.months and all(m in got for m in span.months):
            return True, min(got[m] for m in span.months)
        return False, None
    return rolled, as_of


def office_snapshot(
    *,
    office: Office | None,
    period: str | AuditPeriod,
    rolled: bool | None = None,
    as_of: datetime.datetime | None = None,
) -> AuditSnapshot:
    """The snapshot of an office's subtree (None: every discom, the state): from the monthly roll-up
    when every month of the period can be read from it (``rolled_months``; `rolled` True: the caller
    knows so, with the refresh time `as_of`), else live (`rolled` False: always live)."""
    span = parse_period(period) if isinstance(period, str) else period
    feeder_lookup, dt_lookup, prefix = _office_lookups(office)
    use, when = _source(span, rolled, as_of)
    return AuditSnapshot(
        period=span, feeder_lookup=feeder_lookup, dt_lookup=dt_lookup, unindexed_prefix=prefix,
        rolled=use, as_of=when,
    )  # fmt: skip


def office_audit(*, office: Office, period: str, live: bool = False) -> AreaAudit:
    """The figures of an office's subtree (all the feeders whose office lies in it); from the roll-up
    when it can be (``office_snapshot``), from bills and ledger always with `live`."""
    return office_snapshot(office=office, period=period, rolled=False if live else None).office(office)


def snapshot_total(snapshot: AuditSnapshot, office: Office | None) -> AreaAudit:
    """The figures of the office a snapshot was taken of (None: the state, every discom together)."""
    if office is not None:
        return snapshot.office(office)
    return snapshot.area(
        level="state", code=STATE_CODE, name="", pk=None,
        feeder_ids=list(snapshot.feeders), unindexed=snapshot.unindexed_under(""),
    )  # fmt: skip


def state_audit(*, period: str) -> AreaAudit:
    """Every discom together (the state)."""
    return snapshot_total(office_snapshot(office=None, period=period), None)


def child_offices(office: Office | None) -> list[Office]:
    if office is None:
        return list(Office.objects.filter(parent__isnull=True).order_by("code"))
    return list(Office.objects.filter(parent=office).order_by("code"))


def child_audits(
    *, office: Office | None, period: str, snapshot: AuditSnapshot | None = None
) -> list[AreaAudit]:
    """Each child office's figures (the discoms for the state), from one snapshot of the parent."""
    snapshot = snapshot or office_snapshot(office=office, period=period)
    return [snapshot.office(child) for child in child_offices(office)]


def feeder_snapshot(
    *,
    feeder: Feeder,
    period: str | AuditPeriod,
    rolled: bool | None = None,
    as_of: datetime.datetime | None = None,
) -> AuditSnapshot:
    """The snapshot of one feeder and its DTs (roll-up or live, as ``office_snapshot``)."""
    span = parse_period(period) if isinstance(period, str) else period
    use, when = _source(span, rolled, as_of)
    return AuditSnapshot(
        period=span,
        feeder_lookup={"pk": feeder.pk},
        dt_lookup={"feeder_id": feeder.pk},
        rolled=use,
        as_of=when,
    )


def feeder_audit(*, feeder: Feeder, period: str) -> AreaAudit:
    return feeder_snapshot(feeder=feeder, period=period).feeder(feeder.pk)


def substation_audit(*, substation: Substation, period: str) -> AreaAudit:
    """Every feeder of the substation, whichever office it belongs to."""
    span = parse_period(period)
    snapshot = AuditSnapshot(
        period=span,
        feeder_lookup={"substation_id": substation.pk},
        dt_lookup={"feeder__substation_id": substation.pk},
    )
    return snapshot.area(
        level="substation", code=substation.code, name=substation.name, pk=substation.pk,
        feeder_ids=list(snapshot.feeders),
    )  # fmt: skip


def dt_audit(*, dt: DistributionTransformer, period: str) -> AreaAudit:
    span = parse_period(period)
    snapshot = AuditSnapshot(period=span, feeder_lookup={"pk": -1}, dt_lookup={"pk": dt.pk})
    return snapshot.dt(dt.pk)


# --- ranking ---------------------------------------------------------------------------------------

RANK_BY = ("td", "atc")


def _loss(audit_: AreaAudit, by: str) -> Decimal | None:
    return audit_.figures.td_loss_pct if by == "td" else audit_.figures.atc_loss_pct


def rank(audits: list[AreaAudit], *, by: str = "td") -> list[AreaAudit]:
    """Highest loss first; areas whose loss cannot be computed (a gap) last, by code."""
    if by not in RANK_BY:
        raise ValueError(by)
    known = [a for a in audits if _loss(a, by) is not None]
    unknown = [a for a in audits if _loss(a, by) is None]
    known.sort(key=lambda a: (-_loss(a, by), a.code))  # type: ignore[operator]
    return known + sorted(unknown, key=lambda a: a.code)


def above_threshold(audit_: AreaAudit, threshold: Decimal, *, by: str = "td") -> bool:
    """Whether the area loses more than `threshold` per cent (never for an area with a gap in place
    of the loss)."""
    loss = _loss(audit_, by)
    return loss is not None and loss > threshold


def feeder_ranking(
    *, office: Office | None, period: str, by: str = "td", snapshot: AuditSnapshot | None = None
) -> list[AreaAudit]:
    snapshot = snapshot or office_snapshot(office=office, period=period)
    return rank([snapshot.feeder(pk) for pk in snapshot.feeders], by=by)


def dt_ranking(
    *, office: Office | None, period: str, by: str = "td", snapshot: AuditSnapshot | None = None,
    feeder: Feeder | None = None,
) -> list[AreaAudit]:  # fmt: skip
    snapshot = snapshot or office_snapshot(office=office, period=period)
    ids = snapshot.feeder_dts.get(feeder.pk, []) if feeder is not None else list(snapshot.dts)
    return rank([snapshot.dt(pk) for pk in ids], by=by)


def loss_threshold() -> Decimal:
    """The loss per cent above which a feeder or DT is flagged (URJA_ENERGY_LOSS_THRESHOLD_PCT)."""
    return Decimal(str(getattr(settings, "URJA_ENERGY_LOSS_THRESHOLD_PCT", "25")))


# --- consumers of a DT or feeder -------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ConsumerLine:
    pk: int
    account_number: str
    name: str
    category: str
    dt_code: str
    feeder_code: str
    bills: int
    units: Decimal
    billed_amount: Decimal
    paid: Decimal
    reading_status: str  # of the period's last bill ("" when not billed)


def consumer_lines(*, period: str | AuditPeriod, dt: DistributionTransformer | None = None,
                   feeder: Feeder | None = None, office: Office | None = None,
                   limit: int | None = None) -> list[ConsumerLine]:  # fmt: skip
    """The consumers of a DT (or of a feeder's DTs, or of the DTs of an office's feeders) with their
    period's units, billed amount, money paid (the same credits the audit counts) and last reading
    status; four queries whatever their number."""
    span = parse_period(period) if isinstance(period, str) else period
    if dt is not None:
        where: dict[str, Any] = {"dt": dt}
    elif feeder is not None:
        where = {"dt__feeder": feeder}
    elif office is not None:
        where = {"dt__feeder__office__path__startswith": office.path}
    else:
        raise ValueError("a DT, a feeder or an office")
    consumers = Consumer.objects.filter(**where).order_by("dt__feeder__code", "dt__code", "account_number")
    if limit is not None:
        consumers = consumers[:limit]
    people = list(
        consumers.values("id", "account_number", "name", "category", "dt__code", "dt__feeder__code")
    )
    ids = [row["id"] for row in people]
    by_consumer: dict[str, Any] = (
        {"consumer_id__in": ids} if limit is not None else {f"consumer__{k}": v for k, v in where.items()}
    )
    billed = {
        row["consumer_id"]: row
        for row in Bill.objects.filter(**by_consumer, status=BillStatus.ISSUED, period__in=span.months)
        .values("consumer_id")
        .annotate(n=Count("id"), units=Sum("units"), charges=Sum("current_charges"), subsidy=Sum("subsidy"))
        .order_by()
    }
    status: dict[int, str] = {}
    for consumer_id, reading_status in (
        Bill.objects.filter(**by_consumer, status=BillStatus.ISSUED, period__in=span.months)
        .order_by("consumer_id", "period", "id")
        .values_list("consumer_id", "reading_status")
    ):
        status[consumer_id] = reading_status
    paid = _collected(
        LedgerEntry.objects.filter(**by_consumer, entry_date__gte=span.start, entry_date__lte=span.end),
        "consumer_id",
    )
    out = []
    for row in people:
        bill = billed.get(row["id"])
        out.append(
            ConsumerLine(
                pk=row["id"],
                account_number=row["account_number"],
                name=row["name"],
                category=row["category"],
                dt_code=row["dt__code"] or "",
                feeder_code=row["dt__feeder__code"] or "",
                bills=bill["n"] if bill else 0,
                units=_sum(bill["units"]) if bill else ZERO,
                billed_amount=(_sum(bill["charges"]) - _sum(bill["subsidy"])) if bill else ZERO,
                paid=paid.get(row["id"], ZERO),
                reading_status=status.get(row["id"], ""),
            )
        )
    return out


def office_audit_for_user(*, user, office_code: str, period: str) -> AreaAudit:
    """`office_audit` for a staff user: NotFound for an office outside the user's subtree."""
    office = Office.objects.filter(code=office_code).first()
    if office is None or not user_covers(user, office):
        raise NotFound(office_code)
    return office_audit(office=office, period=period)


def consumer_counts(*, office: Office) -> dict[int, int]:
    """The number of consumers indexed to each DT of an office's feeders (one grouped query)."""
    return dict(
        Consumer.objects.filter(dt__feeder__office__path__startswith=office.path)
        .values("dt_id")
        .annotate(n=Count("id"))
        .order_by()
        .values_list("dt_id", "n")
    )


@dataclass(frozen=True, slots=True)
class BilledLine:
    category: str
    basis: str  # BillBasis code: MU metered, ASS assessed, PROV provisional, UM flat rate, MIN minimum
    bills: int
    units: Decimal
    amount: Decimal


def billed_by_category(*, office: Office | None, period: str | AuditPeriod) -> list[BilledLine]:
    """The energy and money billed in an office's audit (consumers indexed to its feeders' DTs), by
    the bill's category and basis (metered, assessed …); one grouped query. The lines add up to the
    office's `billed_kwh` and `billed_amount`."""
    span = parse_period(period) if isinstance(period, str) else period
    scope: dict[str, Any] = (
        {"consumer__dt__feeder__office__path__startswith": office.path}
        if office is not None
        else {"consumer__dt__isnull": False}
    )
    rows = (
        Bill.objects.filter(**scope, status=BillStatus.ISSUED, period__in=span.months)
        .values("category", "basis")
        .annotate(n=Count("id"), units=Sum("units"), charges=Sum("current_charges"), subsidy=Sum("subsidy"))
        .order_by("category", "basis")
    )
    return [
        BilledLine(
            category=row["category"],
            basis=row["basis"],
            bills=row["n"],
            units=_sum(row["units"]),
            amount=_sum(row["charges"]) - _sum(row["subsidy"]),
        )
        for row in rows
    ]
