import datetime
from decimal import Decimal

import pytest

from urja.metering.choices import ReadingSource, ReadingStatus
from urja.metering.selectors import NOT_READ, monthly_history, readings_for_period
from urja.metering.services import meter_replace, reading_record
from urja.testing import ConsumerFactory, OfficeFactory

from .factories import days, install, make_meter

pytestmark = pytest.mark.django_db

D = Decimal


def record(consumer, on, kwh=None, **kwargs):
    kwargs.setdefault("source", ReadingSource.SPOT)
    return reading_record(consumer=consumer, reading_date=on, kwh=None if kwh is None else D(kwh), **kwargs)


@pytest.fixture
def start(today):
    """The first day of the month four months ago: room for a few monthly readings."""
    month = today.year * 12 + today.month - 1 - 4
    return datetime.date(month // 12, month % 12 + 1, 1)


def test_period_sums_readings_after_start_up_to_end(start):
    consumer = ConsumerFactory()
    install(consumer, make_meter(has_kvah=True), start)
    record(consumer, start + days(10), "100", kvah=D("110"))  # before the period: not counted
    record(consumer, start + days(20), "150", kvah=D("170"))  # on period_start: closes the previous period
    record(consumer, start + days(30), "210", kvah=D("240"), max_demand=D("1.5"))
    rdf = record(consumer, start + days(40), "50", max_demand=D("2.5"))
    closing = record(consumer, start + days(50), "300", kvah=D("340"), max_demand=D("1.2"))
    record(consumer, start + days(60), "400")  # after the period

    result = readings_for_period([consumer.id], start + days(20), start + days(50))

    summary = result[consumer.id]
    assert rdf.status == ReadingStatus.RDF
    assert summary.status == ReadingStatus.OK
    assert summary.units_kwh == D("150.00")  # 150 -> 300: the RDF reading adds nothing
    assert summary.units_kvah == D("170.00")  # 170 -> 340
    assert summary.max_demand == D("2.5")
    assert (summary.closing_reading_id, summary.closing_reading_date) == (closing.id, start + days(50))
    assert not summary.meter_changed and not summary.rolled_over


def test_period_without_readings_is_not_read(start):
    consumer = ConsumerFactory()
    assert readings_for_period([consumer.id], start, start + days(30)) == {consumer.id: NOT_READ}
    assert NOT_READ.status == ReadingStatus.NR and NOT_READ.units_kwh is None


def test_period_closed_by_an_unread_visit(start):
    consumer = ConsumerFactory()
    install(consumer, make_meter(), start)
    record(consumer, start + days(10), "100")
    record(consumer, start + days(20), status=ReadingStatus.NA)

    summary = readings_for_period([consumer.id], start, start + days(30))[consumer.id]

    assert (summary.status, summary.units_kwh) == (ReadingStatus.NA, D("100.00"))


def test_period_flags_meter_change(start):
    consumer = ConsumerFactory()
    install(consumer, make_meter(), start)
    record(consumer, start + days(5), "100")
    meter_replace(
        consumer=consumer, new_meter=make_meter(), replaced_on=start + days(10), final_reading=D("140")
    )
    record(consumer, start + days(30), "60")

    summary = readings_for_period([consumer.id], start + days(5), start + days(30))[consumer.id]

    assert (summary.units_kwh, summary.meter_changed) == (D("100.00"), True)


def test_readings_for_period_query_count_is_bounded(start, django_assert_max_num_queries):
    office = OfficeFactory()
    consumers = [ConsumerFactory(office=office) for _ in range(50)]
    for n, consumer in enumerate(consumers):
        install(consumer, make_meter(), start)
        record(consumer, start + days(10), str(100 + n))
        record(consumer, start + days(40), str(200 + 2 * n))

    with django_assert_max_num_queries(1):
        result = readings_for_period([c.id for c in consumers], start + days(10), start + days(40))

    assert len(result) == 50
    assert all(result[c.id].units_kwh == D(100 + n) for n, c in enumerate(consumers))


def test_monthly_history_by_reading_month(start, django_assert_max_num_queries):
    consumer, unread = ConsumerFactory(), ConsumerFactory()
    install(consumer, make_meter(), start)
    record(consumer, start + days(2), "40")
    record(consumer, start + days(9), "100")  # same month: added up
    second_month = (start + days(40)).replace(day=5)
    record(consumer, second_month, "180")

    with django_assert_max_num_queries(1):
        history = monthly_history([consumer.id, unread.id], months=3, until=second_month)

    first = start
    before = (first - days(1)).replace(day=1)
    assert history[consumer.id] == [
        (before.year, before.month, None),
        (first.year, first.month, D("100.00")),
        (second_month.year, second_month.month, D("80.00")),
    ]
    assert [units for _, _, units in history[unread.id]] == [None, None, None]


def test_monthly_history_spans_the_year_boundary():
    history = monthly_history([], months=3, until=datetime.date(2025, 1, 15))
    assert history == {}
    consumer = ConsumerFactory()
    months = [
        (y, m) for y, m, _ in monthly_history([consumer.id], 3, datetime.date(2025, 1, 15))[consumer.id]
    ]
    assert months == [(2024, 11), (2024, 12), (2025, 1)]
