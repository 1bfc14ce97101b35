"""Writes of the energy audit: importing the input energy of feeders and DTs (docs/energy-audit.md)."""

from __future__ import annotations

import csv
import datetime
import io
import re
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.db import IntegrityError, transaction
from django.db.models import Count, Sum

from urja.billing.choices import BillStatus
from urja.billing.models import Bill
from urja.common import clock
from urja.common.db import MoneySum
from urja.domain.energy_audit import months_between
from urja.ledger.models import LedgerEntry
from urja.metering.models import Meter
from urja.network.models import DistributionTransformer, Feeder
from urja.org import roles
from urja.org.permissions import require

from .models import InputEnergy, MonthlyRollup, RollupRefresh
from .selectors import ZERO, _collected, _sum

COLUMNS = ("level", "code", "period", "kwh", "meter")
REQUIRED = ("level", "code", "period", "kwh")
LEVELS = ("feeder", "dt")
MAX_KWH = Decimal("999999999999.99")
MONTH = re.compile(r"\d{4}-(0[1-9]|1[0-2])")


@dataclass(frozen=True, slots=True)
class LineProblem:
    line: int
    reason: str

    def __str__(self) -> str:
        return f"line {self.line}: {self.reason}"


class EnergyImportError(Exception):
    """The file was rejected whole; `problems` says why, line by line. Nothing was written."""

    def __init__(self, problems: list[LineProblem]):
        self.problems = problems
        super().__init__("; ".join(str(p) for p in problems))


@dataclass(slots=True)
class ImportResult:
    imported: int = 0
    flagged: list[LineProblem] = field(default_factory=list)


@dataclass(slots=True)
class _Row:
    line: int
    level: str
    code: str
    period: str
    kwh: Decimal
    meter: str
    parsed: bool = True  # False: the line has problems of its own (its code and meter are still checked)
    point_id: int = 0


def _parse(text: str) -> tuple[list[_Row], list[LineProblem]]:
    """The rows of CSV text, numbered by their line in the file (the header is line 1)."""
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    header = [name.strip().lower() for name in (reader.fieldnames or [])]
    missing = [name for name in REQUIRED if name not in header]
    if missing:
        return [], [LineProblem(1, f"missing column(s): {', '.join(missing)} (expected {','.join(COLUMNS)})")]
    reader.fieldnames = header
    return _parse_records(
        (number, {key: value for key, value in raw.items() if key is not None})
        for number, raw in enumerate(reader, start=2)
    )


def _parse_records(
    records: Iterable[tuple[int, Mapping[str, object]]],
) -> tuple[list[_Row], list[LineProblem]]:
    """Check each numbered record (CSV line or API row) on its own: level, code, period, kWh."""
    problems: list[LineProblem] = []
    rows: list[_Row] = []
    for number, raw in records:
        values = {key: ("" if value is None else str(value)).strip() for key, value in raw.items()}
        if not any(values.values()):
            continue  # a blank line
        level = values.get("level", "").lower()
        code = values.get("code", "")
        period = values.get("period", "")
        line_problems = []
        if level not in LEVELS:
            line_problems.append(f"level must be feeder or dt, not {level!r}")
        if not code:
            line_problems.append("code is empty")
        if not MONTH.fullmatch(period):
            line_problems.append(f"period must be a month YYYY-MM, not {period!r}")
        kwh = Decimal("0")
        try:
            kwh = Decimal(values.get("kwh", ""))
            if not kwh.is_finite():
                raise InvalidOperation
        except InvalidOperation:
            line_problems.append(f"kwh is not a number: {values.get('kwh', '')!r}")
        else:
            if kwh < 0:
                line_problems.append(f"kwh is negative: {kwh}")
            elif kwh > MAX_KWH or kwh != kwh.quantize(Decimal("0.01")):
                line_problems.append(f"kwh must have at most 2 decimals and 12 digits: {kwh}")
        problems.extend(LineProblem(number, reason) for reason in line_problems)
        rows.append(_Row(number, level, code, period, kwh, values.get("meter", ""), parsed=not line_problems))
    return rows, problems


def energy_import(*, text: str, source: str = "", by=None) -> ImportResult:
    """Import the input energy of feeders and DTs from CSV text (docs/energy-audit.md); see
    `energy_rows_import` for what is refused and what is flagged."""
    rows, problems = _parse(text)
    return _import(rows, problems, source=source, by=by)


def energy_rows_import(*, rows: Sequence[Mapping[str, object]], source: str = "", by=None) -> ImportResult:
    """Import input energy given as records (the API's rows, numbered from 1) with the keys of the CSV
    columns. Refuses the whole batch (EnergyImportError, nothing written) for an unknown feeder, DT or
    meter, a bad or negative figure, a bad period, or a month given twice (in the batch or already
    stored); a month that leaves a gap after the point's last known month is imported and flagged.

    `by` is the staff user importing (None: the system, e.g. the demo or a command run by an
    operator): they need the MANAGE_METERS capability, and a feeder or DT outside their office subtree
    (by the feeder's office, the audit's rule) is reported as unknown, as if it did not exist."""
    parsed, problems = _parse_records(enumerate(rows, start=1))
    return _import(parsed, problems, source=source, by=by, unit="row")


@transaction.atomic
def _import(
    rows: list[_Row], problems: list[LineProblem], *, source: str, by, unit: str = "line"
) -> ImportResult:
    require(by, roles.MANAGE_METERS)
    codes = {level: {row.code for row in rows if row.level == level} for level in LEVELS}
    feeders = Feeder.objects.filter(code__in=codes["feeder"])
    dts = DistributionTransformer.objects.filter(code__in=codes["dt"])
    if by is not None and not by.sees_everything:
        if by.office_id is None:
            feeders, dts = feeders.none(), dts.none()
        else:
            feeders = feeders.filter(office__path__startswith=by.office.path)
            dts = dts.filter(feeder__office__path__startswith=by.office.path)
    ids = {
        "feeder": dict(feeders.values_list("code", "id")),
        "dt": dict(dts.values_list("code", "id")),
    }
    serials = {row.meter for row in rows if row.meter}
    known_meters = set(Meter.objects.filter(serial__in=serials).values_list("serial", flat=True))
    seen: dict[tuple[str, str, str], int] = {}
    good: list[_Row] = []
    for row in rows:
        if row.level not in LEVELS or not row.code:
            continue  # already reported
        point_id = ids[row.level].get(row.code)
        ok = row.parsed
        if point_id is None:
            problems.append(
                LineProblem(row.line, f"unknown {'feeder' if row.level == 'feeder' else 'DT'} {row.code}")
            )
            ok = False
        if row.meter and row.meter not in known_meters:
            problems.append(LineProblem(row.line, f"unknown meter {row.meter}"))
            ok = False
        key = (row.level, row.code, row.period)
        if not row.parsed:
            pass
        elif key in seen:
            problems.append(
                LineProblem(
                    row.line, f"duplicate period {row.period} for {row.code} (see {unit} {seen[key]})"
                )
            )
            ok = False
        else:
            seen[key] = row.line
        if ok and point_id is not None:
            row.point_id = point_id
            good.append(row)

    # Months already stored for the points in the file.
    stored: dict[tuple[str, int], set[str]] = defaultdict(set)
    for level in LEVELS:
        point_ids = {row.point_id for row in good if row.level == level}
        if point_ids:
            column = "feeder_id" if level == "feeder" else "dt_id"
            for point_id, period in InputEnergy.objects.filter(**{f"{column}__in": point_ids}).values_list(
                column, "period"
            ):
                stored[(level, point_id)].add(period)
    for row in good:
        if row.period in stored[(row.level, row.point_id)]:
            problems.append(
                LineProblem(row.line, f"duplicate period {row.period} for {row.code} (already imported)")
            )
    if problems:
        raise EnergyImportError(sorted(problems, key=lambda p: p.line))  # stable: a line's own order kept

    result = ImportResult()
    by_point: dict[tuple[str, int], list[_Row]] = defaultdict(list)
    for row in good:
        by_point[(row.level, row.point_id)].append(row)
    objects = []
    for key, point_rows in by_point.items():
        known = set(stored[key])
        for row in sorted(point_rows, key=lambda r: r.period):
            flag = ""
            earlier = sorted(month for month in known if month < row.period)
            if earlier:
                missing = months_between(earlier[-1], row.period)[1:-1]
                if missing:
                    span = missing[0] if len(missing) == 1 else f"{missing[0]} to {missing[-1]}"
                    flag = f"gap in the series: no input for {span}"
                    result.flagged.append(LineProblem(row.line, flag))
            known.add(row.period)
            objects.append(
                InputEnergy(
                    feeder_id=row.point_id if row.level == "feeder" else None,
                    dt_id=row.point_id if row.level == "dt" else None,
                    period=row.period,
                    kwh=row.kwh,
                    meter_serial=row.meter,
                    flag_reason=flag,
                    source=source[:120],
                )
            )
    for obj in objects:
        obj.full_clean(validate_unique=False, validate_constraints=False)  # checked above, in bulk
    try:
        with transaction.atomic():
            InputEnergy.objects.bulk_create(objects, batch_size=2000)
    except IntegrityError:
        # Another import stored one of these months after the check above (the unique constraints
        # hold): the whole file is refused, as for a duplicate found before writing.
        raise EnergyImportError(
            [LineProblem(1, "a month in this file was imported meanwhile; nothing written")]
        )
    result.imported = len(objects)
    result.flagged.sort(key=lambda p: p.line)
    return result


# --- the monthly roll-up --------------------------------------------------------------------------------


def _month_dates(period: str) -> tuple[datetime.date, datetime.date]:
    year, month = int(period[:4]), int(period[5:])
    nxt = datetime.date(year + (month == 12), month % 12 + 1, 1)
    return datetime.date(year, month, 1), nxt - datetime.timedelta(days=1)


def _rollup_groups(period: str) -> dict[tuple[int, int | None], MonthlyRollup]:
    """The roll-up rows of one period, by (consumer's office, consumer's DT): one grouped query of
    bills, two of ledger credits (the energy audit's ``_collected``)."""
    first, last = _month_dates(period)
    groups: dict[tuple[int, int | None], MonthlyRollup] = {}
    for row in (
        Bill.objects.filter(status=BillStatus.ISSUED, period=period)
        .values("consumer__office_id", "consumer__dt_id")
        .annotate(units=Sum("units"), charges=Sum("current_charges"), subsidy=Sum("subsidy"), n=Count("pk"))
        .order_by()
    ):
        key = (row["consumer__office_id"], row["consumer__dt_id"])
        groups[key] = MonthlyRollup(
            period=period,
            office_id=key[0],
            dt_id=key[1],
            billed_kwh=_sum(row["units"]),
            billed_amount=_sum(row["charges"]) - _sum(row["subsidy"]),  # subsidy is stored negative
            bills=row["n"],
        )
    credits = _collected(
        LedgerEntry.objects.filter(entry_date__gte=first, entry_date__lte=last),
        "consumer__office_id",
        "consumer__dt_id",
    )
    for (office_id, dt_id), amount in credits.items():
        if (office_id, dt_id) not in groups:
            groups[(office_id, dt_id)] = MonthlyRollup(period=period, office_id=office_id, dt_id=dt_id)
        groups[(office_id, dt_id)].collected = amount
    for (office_id, dt_id), owed in _arrears(min(last, clock.today())).items():
        if (office_id, dt_id) not in groups:
            groups[(office_id, dt_id)] = MonthlyRollup(period=period, office_id=office_id, dt_id=dt_id)
        groups[(office_id, dt_id)].arrears = owed
    return groups


def _arrears(as_of: datetime.date) -> dict[tuple[int, int | None], Decimal]:
    """The command centre's arrears (``urja.mis.dashboard.arrears``) on `as_of` by (consumer's office,
    consumer's DT): each consumer's ledger balance over entries dated up to then, the positive ones
    summed (a consumer in credit does not offset another's dues). One grouped query, summed here."""
    out: dict[tuple[int, int | None], Decimal] = defaultdict(lambda: ZERO)
    balances = (
        LedgerEntry.objects.filter(entry_date__lte=as_of)
        .values("consumer_id", "consumer__office_id", "consumer__dt_id")
        .annotate(balance=MoneySum("amount"))  # exact on SQLite too: a settled account is 0, not 1e-13
        .order_by()
        .values_list("consumer__office_id", "consumer__dt_id", "balance")
    )
    # Positive ones kept here, not in SQL: SQLite compares MoneySum's REAL with the bound '0' as text.
    for office_id, dt_id, balance in balances.iterator(chunk_size=20_000):
        if balance > 0:
            out[(office_id, dt_id)] += balance
    return {key: _sum(value) for key, value in out.items()}


def rollup_refresh(*, periods: Iterable[str]) -> dict[str, int]:
    """Rebuild the monthly roll-up (``MonthlyRollup``) of each period: issued bills of the period and
    ledger collections dated in its month, grouped by the consumer's office and DT, three grouped
    queries; then the period's rows are replaced and its refresh time recorded in one transaction.
    Returns the rows written per period. Safe to run at any time and as often as wanted."""
    written: dict[str, int] = {}
    for period in sorted(set(periods)):
        if not MONTH.fullmatch(period):
            raise ValueError(f"period must be a month YYYY-MM, not {period!r}")
        started = clock.now()  # what the rows are true as of: anything posted later is not in them
        groups = _rollup_groups(period)
        with transaction.atomic():
            MonthlyRollup.objects.filter(period=period).delete()
            MonthlyRollup.objects.bulk_create(groups.values(), batch_size=5000)
            RollupRefresh.objects.update_or_create(
                period=period, defaults={"refreshed_at": started, "rows": len(groups)}
            )
        written[period] = len(groups)
    return written


def rollup_touch(months: Iterable[str]) -> None:
    """Mark the roll-up of the ended months among `months` stale: called after a ledger posting into
    them has committed (``urja.ledger.signals.entries_posted``: a back-dated payment, a late bill of last
    month, a cancelled bill's reversal). Their rows are read again only after a refresh that starts
    later (``selectors.rolled_months``). A period never refreshed gets a record with no refresh time,
    so that a first refresh already running, which may not see the posting, is not trusted either."""
    current = clock.today().strftime("%Y-%m")
    ended = sorted({m for m in months if MONTH.fullmatch(m) and m < current})
    if not ended:
        return
    now = clock.now()
    for period in ended:  # one row per statement: never two row locks held at once, so no deadlock
        if RollupRefresh.objects.filter(period=period).update(touched_at=now):
            continue
        refresh, created = RollupRefresh.objects.get_or_create(
            period=period, defaults={"refreshed_at": None, "touched_at": now}
        )
        if not created:  # a refresh created it meanwhile
            RollupRefresh.objects.filter(pk=refresh.pk).update(touched_at=now)


def rollup_periods(*, months: int, today: datetime.date | None = None) -> list[str]:
    """The last `months` periods up to and including today's month, oldest first."""
    today = today or clock.today()
    index = today.year * 12 + today.month - 1
    return [f"{i // 12:04d}-{i % 12 + 1:02d}" for i in range(index - months + 1, index + 1)]
