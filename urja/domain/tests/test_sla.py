"""SLA arithmetic (urja/domain/sla.py): hours are clock hours; days and working days end at 23:59:59
IST of the n-th (working) day after the start day."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from urja.domain.sla import Calendar, Sla, due_at, is_breached, last_day, time_left, window_end

IST = ZoneInfo("Asia/Kolkata")
UTC = ZoneInfo("UTC")
LA = ZoneInfo("America/Los_Angeles")
PLAIN = Calendar()  # Sundays off, no holidays


def ist(y: int, mo: int, d: int, h: int = 0, mi: int = 0, s: int = 0) -> datetime:
    return datetime(y, mo, d, h, mi, s, tzinfo=IST)


def test_sla_refuses_nonsense():
    with pytest.raises(ValueError):
        Sla(0, "days")
    with pytest.raises(ValueError):
        Sla(2, "weeks")  # type: ignore[arg-type]
    with pytest.raises(ValueError):
        Sla(True, "hours")
    with pytest.raises(ValueError):
        Calendar(weekly_off=frozenset(range(7)))


def test_hours_are_clock_hours_through_sundays_and_holidays():
    calendar = Calendar(holidays=frozenset({date(2026, 11, 30)}))
    assert due_at(ist(2026, 11, 28, 10, 0), Sla(48, "hours"), calendar) == ist(2026, 11, 30, 10, 0)
    assert due_at(ist(2026, 12, 31, 22, 0), Sla(4, "hours"), calendar) == ist(2027, 1, 1, 2, 0)


def test_calendar_days_end_at_the_close_of_the_nth_day_across_month_and_year_ends():
    assert due_at(ist(2026, 1, 31, 9, 0), Sla(1, "days"), PLAIN) == ist(2026, 2, 1, 23, 59, 59)
    assert due_at(ist(2028, 2, 28, 9, 0), Sla(1, "days"), PLAIN) == ist(2028, 2, 29, 23, 59, 59)  # leap
    assert due_at(ist(2026, 12, 25, 18, 0), Sla(7, "days"), PLAIN) == ist(2027, 1, 1, 23, 59, 59)


def test_working_days_skip_sundays_and_holidays_across_the_month_end():
    # Friday 27 Nov 2026; Sunday 29th off; Monday 30th a holiday: day 1 is Saturday 28th, day 2 Tue 1 Dec.
    calendar = Calendar(holidays=frozenset({date(2026, 11, 30)}))
    assert due_at(ist(2026, 11, 27, 15, 0), Sla(2, "working_days"), calendar) == ist(2026, 12, 1, 23, 59, 59)
    assert due_at(ist(2026, 11, 27, 15, 0), Sla(2, "working_days"), PLAIN) == ist(2026, 11, 30, 23, 59, 59)


def test_working_days_across_the_year_end_with_new_year_holiday():
    calendar = Calendar(holidays=frozenset({date(2027, 1, 1)}))
    # Thu 31 Dec 2026 → Fri 1 Jan holiday, Sat 2 Jan (1), Sun off, Mon 4 Jan (2), Tue 5 Jan (3).
    assert due_at(ist(2026, 12, 31, 11, 0), Sla(3, "working_days"), calendar) == ist(2027, 1, 5, 23, 59, 59)


def test_the_start_day_never_counts_even_on_a_sunday():
    sunday = ist(2026, 11, 29, 20, 0)
    assert due_at(sunday, Sla(1, "working_days"), PLAIN) == ist(2026, 11, 30, 23, 59, 59)
    assert due_at(sunday, Sla(1, "days"), PLAIN) == ist(2026, 11, 30, 23, 59, 59)


def test_a_start_in_utc_counts_from_the_ist_date():
    # 20:00 UTC on 31 Jan is 01:30 IST on 1 Feb (Sunday): one working day → Monday 2 Feb.
    start = datetime(2026, 1, 31, 20, 0, tzinfo=UTC)
    assert due_at(start, Sla(1, "working_days"), PLAIN) == ist(2026, 2, 2, 23, 59, 59)
    # The same instant given in IST gives the same answer.
    assert due_at(start.astimezone(IST), Sla(1, "working_days"), PLAIN) == ist(2026, 2, 2, 23, 59, 59)


def test_a_start_in_los_angeles_across_its_dst_change_is_still_ist_arithmetic():
    # 8 Mar 2026 02:00 is when Los Angeles springs forward; IST has no DST.
    start = datetime(2026, 3, 7, 23, 0, tzinfo=LA)  # = 8 Mar 12:30 IST (Sunday)
    assert due_at(start, Sla(24, "hours"), PLAIN) == ist(2026, 3, 9, 12, 30)
    assert due_at(start, Sla(1, "working_days"), PLAIN) == ist(2026, 3, 9, 23, 59, 59)
    assert due_at(start, Sla(1, "working_days"), PLAIN).utcoffset() == timedelta(hours=5, minutes=30)


def test_naive_datetimes_are_refused():
    with pytest.raises(ValueError):
        due_at(datetime(2026, 1, 1, 10, 0), Sla(1, "days"), PLAIN)


def test_time_left_is_negative_once_past():
    due = ist(2026, 12, 1, 23, 59, 59)
    assert time_left(due, ist(2026, 12, 1, 23, 0)) == timedelta(minutes=59, seconds=59)
    assert time_left(due, ist(2026, 12, 2, 0, 59, 59)) == timedelta(hours=-1)
    assert not is_breached(due, due)
    assert is_breached(due, due + timedelta(seconds=1))
    assert not is_breached(None, due)


days = st.dates(min_value=date(2024, 1, 1), max_value=date(2030, 12, 31))


@given(
    start=st.datetimes(min_value=datetime(2024, 1, 1), max_value=datetime(2030, 12, 31)),
    amount=st.integers(min_value=1, max_value=40),
    holidays=st.frozensets(days, max_size=40),
)
def test_working_days_property(start, amount, holidays):
    """The due day is a working day; exactly `amount` working days lie after the start day up to it;
    the due time is 23:59:59 IST; and it lies within window_end plus one day per holiday."""
    calendar = Calendar(holidays=holidays)
    start = start.replace(tzinfo=IST)
    due = due_at(start, Sla(amount, "working_days"), calendar)
    assert due.time().isoformat() == "23:59:59" and due.tzinfo is not None
    assert calendar.is_working_day(due.date())
    span = (due.date() - start.date()).days
    between = [start.date() + timedelta(days=k) for k in range(1, span + 1)]
    assert sum(calendar.is_working_day(day) for day in between) == amount
    assert due.date() <= window_end(start, Sla(amount, "working_days"), calendar) + timedelta(
        days=len(holidays)
    )


@given(
    start=st.datetimes(min_value=datetime(2024, 1, 1), max_value=datetime(2030, 12, 31)), n=st.integers(1, 30)
)
def test_more_working_days_is_never_earlier(start, n):
    start = start.replace(tzinfo=IST)
    assert due_at(start, Sla(n + 1, "working_days"), PLAIN) > due_at(start, Sla(n, "working_days"), PLAIN)
    assert last_day(start.date(), Sla(n, "days"), PLAIN) == start.date() + timedelta(days=n)
