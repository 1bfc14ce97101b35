"""Reads of readings, in bulk: billing asks for tens of thousands of consumers at a time, so each
selector runs one query per batch of consumer ids and never one per consumer."""

import datetime
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Exists, OuterRef, Q, QuerySet

from urja.common import clock
from urja.org.selectors import office_q

from .choices import ReadingStatus
from .models import Meter, MeterInstallation, Reading

#: Consumer ids per query: well below SQLite's bound-parameter limit, few round trips on PostgreSQL.
BATCH_SIZE = 5000


@dataclass(frozen=True, slots=True)
class PeriodConsumption:
    """What the readings say about one consumer's billing period.

    ``status`` is the status of the closing reading (the latest reading in the period), or NR when the
    period has no reading. ``units_kwh`` is the sum of the units of the period's readings that have units
    (OK, ADF, CDF), or None when none has. ``units_kvah`` is likewise the sum of kVAh units, but None
    unless every reading contributing kWh units has kVAh units too. ``max_demand`` is the highest
    maximum demand (kVA) recorded in the period. ``tod_units`` is the consumption by TOD slot, summed
    likewise, and empty unless every reading contributing kWh units has units for the same slots.
    """

    status: str
    units_kwh: Decimal | None = None
    units_kvah: Decimal | None = None
    max_demand: Decimal | None = None
    closing_reading_id: int | None = None
    closing_reading_date: datetime.date | None = None
    meter_changed: bool = False
    rolled_over: bool = False
    tod_units: tuple[tuple[str, Decimal], ...] = ()
    # Rooftop solar: the export units of the period (sum over its readings that have them), or None.
    units_export: Decimal | None = None


NOT_READ = PeriodConsumption(status=ReadingStatus.NR)


def _batches(ids: Iterable[int]) -> Iterator[list[int]]:
    unique = sorted(set(ids))
    for start in range(0, len(unique), BATCH_SIZE):
        yield unique[start : start + BATCH_SIZE]


def meters_q(user) -> Q:
    """The meters a staff user reaches: those held by an office of their subtree (in its store, or
    fitted at one of its connections), and those installed now at a connection of their subtree."""
    if user.sees_everything:
        return Q()
    installed_here = MeterInstallation.objects.filter(
        office_q(user, "consumer__office"), meter=OuterRef("pk"), removed_on__isnull=True
    )
    return office_q(user) | Q(Exists(installed_here))


def meters_for(user) -> QuerySet[Meter]:
    return Meter.objects.filter(meters_q(user))


def meter_reachable(user, meter: Meter) -> bool:
    return meters_for(user).filter(pk=meter.pk).exists()


def readings_for_consumer(consumer) -> QuerySet[Reading]:
    """A connection's readings, latest first."""
    return consumer.readings.select_related("meter", "recorded_by").order_by("-reading_date", "-id")


def readings_for_period(
    consumer_ids: Iterable[int], period_start: datetime.date, period_end: datetime.date
) -> dict[int, PeriodConsumption]:
    """The consumption of each consumer over the period ``(period_start, period_end]``.

    A reading counts when ``period_start < reading_date <= period_end``: a reading taken on the day a
    period ends closes that period, and the next period starts after it. Each reading's units run from
    the previous valid reading, so the sum over the period's readings is the consumption from the last
    valid reading on or before ``period_start`` to the last valid reading in the period, whatever the
    number of readings in between (an RDF or NA reading adds nothing; the next OK reading covers it).
    Every requested consumer is in the result; one with no reading in the period gets status NR.
    """
    fields = (
        "id",
        "consumer_id",
        "reading_date",
        "status",
        "units",
        "kvah_units",
        "max_demand",
        "meter_changed",
        "rolled_over",
        "tod_units",
        "export_units",
    )
    result: dict[int, PeriodConsumption] = {}
    for batch in _batches(consumer_ids):
        rows = (
            Reading.objects.filter(
                consumer_id__in=batch, reading_date__gt=period_start, reading_date__lte=period_end
            )
            .order_by("consumer_id", "reading_date", "id")
            .values_list(*fields)
        )
        grouped: dict[int, list[tuple]] = {}
        for row in rows:
            grouped.setdefault(row[1], []).append(row)
        for consumer_id in batch:
            result[consumer_id] = _summarise(grouped.get(consumer_id, []))
    return result


def _summarise(rows: list[tuple]) -> PeriodConsumption:
    if not rows:
        return NOT_READ
    units: Decimal | None = None
    kvah_units: Decimal | None = None
    kvah_complete = True
    max_demand: Decimal | None = None
    tod = _TodSum()
    exported = [row[10] for row in rows if row[10] is not None]
    for _id, _consumer, _date, _status, kwh_u, kvah_u, md, _changed, _rolled, tod_u, _export in rows:
        if kwh_u is not None:
            tod.add(tod_u)
            units = (units or Decimal(0)) + kwh_u
            if kvah_u is None:
                kvah_complete = False
            else:
                kvah_units = (kvah_units or Decimal(0)) + kvah_u
        if md is not None and (max_demand is None or md > max_demand):
            max_demand = md
    closing = rows[-1]
    return PeriodConsumption(
        status=closing[3],
        units_kwh=units,
        units_kvah=kvah_units if kvah_complete else None,
        max_demand=max_demand,
        closing_reading_id=closing[0],
        closing_reading_date=closing[2],
        meter_changed=any(row[7] for row in rows),
        rolled_over=any(row[8] for row in rows),
        tod_units=tod.result(),
        units_export=sum(exported, Decimal(0)) if exported else None,
    )


class _TodSum:
    """TOD units by slot over the period's readings; empty once a reading with units lacks them."""

    def __init__(self) -> None:
        self.totals: dict[str, Decimal] | None = None
        self.complete = True

    def add(self, units: dict | None) -> None:
        if not units or (self.totals is not None and set(units) != set(self.totals)):
            self.complete = False
            return
        totals = self.totals if self.totals is not None else dict.fromkeys(units, Decimal(0))
        for name, value in units.items():
            totals[name] += Decimal(value)
        self.totals = totals

    def result(self) -> tuple[tuple[str, Decimal], ...]:
        if not self.complete or not self.totals:
            return ()
        return tuple(sorted(self.totals.items()))


def _month_window(months: int, until: datetime.date) -> list[tuple[int, int]]:
    """The `months` calendar months ending with the month of `until`, oldest first."""
    index = until.year * 12 + until.month - 1
    return [divmod(i, 12) for i in range(index - months + 1, index + 1)]


def monthly_history(
    consumer_ids: Iterable[int], months: int = 12, until: datetime.date | None = None
) -> dict[int, list[tuple[int, int, Decimal | None]]]:
    """Units per calendar month for the `months` months ending with the month of `until` (today by
    default), oldest first, as ``(year, month, units)``.

    A reading's units count in the month of its reading date (readings dated after `until` are left
    out); ``units`` is None for a month with no reading that has units, so callers can tell a month
    without an actual reading from one with zero consumption (the provisional average uses only the
    former). Every requested consumer is in the result.
    """
    if months < 1:
        raise ValueError("months must be at least 1")
    if until is None:
        until = clock.today()
    window = [(year, month + 1) for year, month in _month_window(months, until)]
    first_day = datetime.date(window[0][0], window[0][1], 1)
    result: dict[int, list[tuple[int, int, Decimal | None]]] = {}
    for batch in _batches(consumer_ids):
        totals: dict[tuple[int, int, int], Decimal] = {}
        rows = (
            Reading.objects.filter(
                consumer_id__in=batch,
                reading_date__gte=first_day,
                reading_date__lte=until,
                units__isnull=False,
            )
            .order_by()
            .values_list("consumer_id", "reading_date", "units")
        )
        for consumer_id, reading_date, units in rows:
            key = (consumer_id, reading_date.year, reading_date.month)
            totals[key] = totals.get(key, Decimal(0)) + units
        for consumer_id in batch:
            result[consumer_id] = [
                (year, month, totals.get((consumer_id, year, month))) for year, month in window
            ]
    return result
