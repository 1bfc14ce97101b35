"""SLA arithmetic: when a state (or a whole process) falls due, and how much time is left.

The rule (stated once; docs/decisions/0020-workflow-engine.md):

* ``hours``: clock hours from the start instant — 48 hours from Friday 10:00 is Sunday 10:00; weekly
  offs and holidays do not stop an hours clock (supply complaints run through the night).
* ``days``: calendar days — due at the end of the n-th calendar day after the start day (the start
  day itself never counts), i.e. 23:59:59 local time of ``start_day + n``.
* ``working_days``: due at the end (23:59:59 local time) of the n-th working day after the start
  day; a working day is one that is neither a weekly off (``date.weekday()``: Monday 0 … Sunday 6)
  nor a holiday of the calendar. The start day never counts, whether or not it is a working day, so
  an application made on a Sunday evening with 1 working day is due at the end of Monday.

"Local time" and "start day" are in the calendar's time zone (India Standard Time, which has no
daylight saving), whatever the zone of the ``start`` given: 20:00 UTC on 31 January is 01:30 IST on
1 February, and day counting starts from 1 February. Results are aware datetimes in that zone.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Literal
from zoneinfo import ZoneInfo

SlaUnit = Literal["hours", "working_days", "days"]
UNITS: tuple[str, ...] = ("hours", "working_days", "days")

#: The last instant of a day that counts as "that day" (whole seconds: what the console shows).
END_OF_DAY = time(23, 59, 59)


@dataclass(frozen=True, slots=True)
class Sla:
    """A time allowed: `amount` (≥ 1) hours, calendar days or working days."""

    amount: int
    unit: SlaUnit

    def __post_init__(self) -> None:
        if self.unit not in UNITS:
            raise ValueError(f"SLA unit must be one of {', '.join(UNITS)}, not {self.unit!r}")
        if isinstance(self.amount, bool) or not isinstance(self.amount, int) or self.amount < 1:
            raise ValueError("An SLA amount is a whole number of at least 1")

    def __str__(self) -> str:
        return f"{self.amount} {self.unit.replace('_', ' ')}"


@dataclass(frozen=True, slots=True)
class Calendar:
    """Which days are working days: every day but the weekly offs and the holidays."""

    holidays: frozenset[date] = field(default_factory=frozenset)
    weekly_off: frozenset[int] = frozenset({6})
    tz: str = "Asia/Kolkata"

    def __post_init__(self) -> None:
        if not all(0 <= day <= 6 for day in self.weekly_off):
            raise ValueError("Weekly offs are weekday numbers, Monday 0 to Sunday 6")
        if len(self.weekly_off) == 7:
            raise ValueError("A calendar needs at least one working day in the week")

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.tz)

    def is_working_day(self, day: date) -> bool:
        return day.weekday() not in self.weekly_off and day not in self.holidays


def _aware(value: datetime) -> datetime:
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError("SLA arithmetic needs an aware datetime (a time zone), not a naive one")
    return value


def last_day(start_day: date, sla: Sla, calendar: Calendar) -> date:
    """The calendar date on which an SLA in days or working days ends (see the module rule)."""
    if sla.unit == "days":
        return start_day + timedelta(days=sla.amount)
    if sla.unit != "working_days":
        raise ValueError("last_day() is for SLAs in days or working days")
    day, counted = start_day, 0
    while counted < sla.amount:
        day += timedelta(days=1)
        if calendar.is_working_day(day):
            counted += 1
    return day


def due_at(start: datetime, sla: Sla, calendar: Calendar) -> datetime:
    """When something started at `start` with `sla` falls due, in the calendar's time zone."""
    zone = calendar.zone
    local_start = _aware(start).astimezone(zone)
    if sla.unit == "hours":
        # Aware arithmetic in UTC: an hour is an hour even in a zone with daylight saving.
        return (local_start.astimezone(ZoneInfo("UTC")) + timedelta(hours=sla.amount)).astimezone(zone)
    end_day = last_day(local_start.date(), sla, calendar)
    return datetime.combine(end_day, END_OF_DAY, tzinfo=zone)


def window_end(start: datetime, sla: Sla, calendar: Calendar) -> date:
    """A date certain to lie at or after the SLA's last day whatever the holidays, for loading a
    calendar's holidays before calling `due_at`: each holiday can push the end by one day, so a
    caller that found h holidays in [start, window_end] checks again with the window widened by h."""
    local_day = _aware(start).astimezone(calendar.zone).date()
    if sla.unit == "hours":
        return local_day + timedelta(days=sla.amount // 24 + 1)
    per_week = 7 - len(calendar.weekly_off)
    weeks = sla.amount // per_week + 1
    return local_day + timedelta(days=weeks * 7 + 7)


def time_left(due: datetime, now: datetime) -> timedelta:
    """Time until `due` (negative once it has passed)."""
    return _aware(due) - _aware(now)


def is_breached(due: datetime | None, now: datetime) -> bool:
    """Whether `due` has passed at `now` (an item with no due time never breaches)."""
    return due is not None and _aware(now) > _aware(due)
