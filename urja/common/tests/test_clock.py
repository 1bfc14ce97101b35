"""The product reads the time through urja.common.clock: business dates are IST dates."""

import datetime
import time

import pytest

from conftest import test_now
from urja.common import clock

UTC = datetime.UTC


@pytest.mark.parametrize(
    ("utc", "ist_day"),
    [
        ("2027-03-31T18:29:59", "2027-03-31"),
        ("2027-03-31T18:30:00", "2027-04-01"),  # midnight IST: a new financial year, still 31 March in UTC
        ("2028-02-28T19:00:00", "2028-02-29"),
        ("2026-12-31T20:00:00", "2027-01-01"),
    ],
)
@pytest.mark.parametrize("machine_zone", ["UTC", "America/Los_Angeles", "Pacific/Kiritimati"])
def test_today_is_the_date_in_india_whatever_the_machine_time_zone(
    travel, monkeypatch, utc, ist_day, machine_zone
):
    monkeypatch.setenv("TZ", machine_zone)
    time.tzset()
    try:
        travel.move_to(datetime.datetime.fromisoformat(utc).replace(tzinfo=UTC))
        assert clock.today() == datetime.date.fromisoformat(ist_day)
        assert clock.localtime().utcoffset() == datetime.timedelta(hours=5, minutes=30)
    finally:
        monkeypatch.undo()
        time.tzset()


def test_naive_times_from_files_are_ist_and_days_start_at_ist_midnight():
    assert clock.aware(datetime.datetime(2026, 11, 20, 10, 15)).utcoffset() == datetime.timedelta(hours=5.5)
    start = clock.day_start(datetime.date(2027, 4, 1))
    assert start.astimezone(UTC) == datetime.datetime(2027, 3, 31, 18, 30, tzinfo=UTC)
    assert clock.local_date(start) == datetime.date(2027, 4, 1)


def test_every_test_runs_on_the_clock_the_suite_sets():
    # The autouse `travel` fixture (conftest.py) starts each test at DEFAULT_TEST_NOW or URJA_TEST_NOW,
    # never at the machine's real date.
    assert abs(clock.now() - test_now()) < datetime.timedelta(minutes=5)
    assert clock.today() == test_now().astimezone(clock.IST).date()


@pytest.mark.clock("2028-02-29T23:30:00+05:30")
def test_a_test_can_set_its_own_clock():
    assert clock.today() == datetime.date(2028, 2, 29)
    assert clock.localtime().hour == 23
