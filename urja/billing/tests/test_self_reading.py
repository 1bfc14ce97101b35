"""Trust billing: who may submit their own reading, when, and which values are questioned."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from urja.billing import self_reading as sr
from urja.billing.models import BillGroup
from urja.customers.choices import ConsumerStatus
from urja.ledger.choices import EntryType
from urja.ledger.services import entry_post
from urja.metering.choices import ReadingSource, ReadingStatus
from urja.metering.models import Meter, Reading
from urja.metering.services import meter_install, reading_record
from urja.testing import ConsumerFactory

pytestmark = [pytest.mark.django_db, pytest.mark.clock("2026-11-30T12:00:00+05:30")]
PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 100


def photo(content=PNG, name="meter.png"):
    return SimpleUploadedFile(name, content, content_type="image/png")


@pytest.fixture
def metered():
    """A 2 kW domestic account read monthly at about 5 units a day (150 units a month); reading day 1."""
    consumer = ConsumerFactory(sanctioned_load=Decimal("2"))
    BillGroup.objects.create(code=f"G-{consumer.office.code}", office=consumer.office, reading_day=1)
    meter = Meter.objects.create(serial=f"SR-{consumer.pk}", digits=6)
    meter_install(
        consumer=consumer, meter=meter, installed_on=datetime.date(2026, 6, 1), initial_reading=Decimal(0)
    )
    value = Decimal(0)
    for month in (7, 8, 9, 10, 11):
        value += Decimal(150)
        reading_record(consumer=consumer, reading_date=datetime.date(2026, month, 1), kwh=value,
                       source=ReadingSource.SPOT)  # fmt: skip
    return consumer


def test_an_eligible_consumer_in_the_window_records_a_self_reading_with_its_photo(metered):
    reading = sr.reading_submit_by_consumer(consumer=metered, kwh=Decimal("900"), photo=photo())
    assert reading.source == ReadingSource.SELF == "self"
    assert reading.status == ReadingStatus.OK and reading.units == Decimal("150")
    assert reading.reading_date == datetime.date(2026, 11, 30)
    assert reading.photo.name.startswith("readings/")


def test_a_value_below_the_last_reading_is_questioned_and_recorded_only_when_confirmed(metered):
    with pytest.raises(sr.ReadingQuestioned) as caught:
        sr.reading_submit_by_consumer(consumer=metered, kwh=Decimal("700"), photo=photo())
    assert [q.code for q in caught.value.questions] == ["below_last"]
    assert "below the last reading, 750" in caught.value.questions[0].message
    assert Reading.objects.filter(consumer=metered, source=ReadingSource.SELF).count() == 0
    reading = sr.reading_submit_by_consumer(
        consumer=metered, kwh=Decimal("700"), photo=photo(), confirmed=True
    )
    assert "below_last" in reading.remarks


def test_an_implausibly_high_value_is_questioned(metered):
    # 750 units in 153 days: 4.902 a day, x 29 days = 142.16 expected; 3x is 426 units.
    assert sr.average_daily_units(metered) == Decimal("4.902")
    assert sr.self_reading_questions(metered, Decimal(750 + 426)) == []
    questions = sr.self_reading_questions(metered, Decimal(750 + 427))
    assert [q.code for q in questions] == ["too_high"]


def test_a_consumer_above_9_kw_is_refused_with_the_reason(metered):
    metered.sanctioned_load = Decimal("10")
    metered.save()
    eligibility = sr.self_reading_eligibility(metered)
    assert not eligibility.eligible
    assert "up to 9 kW; yours is 10 kW" in eligibility.reasons[0]
    with pytest.raises(ValidationError):
        sr.reading_submit_by_consumer(consumer=metered, kwh=Decimal("900"), photo=photo())
    assert not Reading.objects.filter(source=ReadingSource.SELF).exists()


def test_overdue_dues_make_an_account_ineligible_but_a_bill_not_yet_due_does_not(metered):
    entry_post(consumer=metered, entry_type=EntryType.ADJUSTMENT, amount=Decimal("500"),
               entry_date=datetime.date(2026, 11, 20), due_date=datetime.date(2026, 12, 5), description="bill")  # fmt: skip
    assert sr.self_reading_eligibility(metered).eligible
    entry_post(consumer=metered, entry_type=EntryType.ADJUSTMENT, amount=Decimal("300"),
               entry_date=datetime.date(2026, 10, 20), due_date=datetime.date(2026, 11, 5), description="old")  # fmt: skip
    eligibility = sr.self_reading_eligibility(metered)
    assert not eligibility.eligible and "overdue" in eligibility.reasons[0]


def test_outside_the_window_the_next_window_is_named(metered, travel):
    travel.move_to("2026-11-20T12:00:00+05:30")
    eligibility = sr.self_reading_eligibility(metered)
    assert not eligibility.eligible
    assert eligibility.window_start == datetime.date(2026, 11, 28)
    assert eligibility.window_end == datetime.date(2026, 12, 4)
    assert "28-11-2026 to 04-12-2026" in eligibility.reasons[0]


def test_a_disconnected_account_is_refused(metered):
    metered.status = ConsumerStatus.TEMP_DISCONNECTED
    metered.save()
    assert "active" in sr.self_reading_eligibility(metered).reasons[0]


@pytest.mark.parametrize(
    ("content", "name", "message"),
    [
        (b"GIF89a" + b"\0" * 50, "meter.png", "JPEG or PNG"),
        (b"\xff\xd8\xff" + b"\0" * (1024 * 1024), "meter.jpg", "at most 1 MB"),
        (b"", "meter.jpg", "empty"),
    ],
)
def test_a_wrong_photo_is_refused_and_nothing_saved(metered, content, name, message):
    with pytest.raises(ValidationError) as caught:
        sr.reading_submit_by_consumer(consumer=metered, kwh=Decimal("900"), photo=photo(content, name))
    assert message in str(caught.value)
    assert not Reading.objects.filter(source=ReadingSource.SELF).exists()


def test_reading_window_wraps_the_month_end():
    assert sr.reading_window(1, datetime.date(2026, 12, 30)) == (
        datetime.date(2026, 12, 29),
        datetime.date(2027, 1, 4),
    )
    assert sr.reading_window(31, datetime.date(2026, 2, 10)) == (
        datetime.date(2026, 2, 25),
        datetime.date(2026, 3, 3),
    )


def test_the_cycles_bill_run_bills_from_the_self_reading(two_subdivisions):
    from urja.billing import runs
    from urja.billing.models import Bill
    from urja.billing.tests.conftest import metered_consumer

    office = two_subdivisions["dc_a"]
    history = [(datetime.date(2026, 9, 30), 450), (datetime.date(2026, 10, 31), 600)]
    consumer = metered_consumer(office, serial="SR-BILL", history=history)
    BillGroup.objects.create(code="G-SR", office=office, reading_day=30)
    reading = sr.reading_submit_by_consumer(consumer=consumer, kwh=Decimal("745"), photo=photo())
    runs.bill_run(cycle_code="2026-11", office=office)
    bill = Bill.objects.get(consumer=consumer, period="2026-11")
    assert reading.units == Decimal("145") and bill.units == Decimal("145")


def test_a_reading_measured_over_years_does_not_make_the_average(two_subdivisions):
    from urja.billing.tests.conftest import metered_consumer

    # installed 2015 at 0; 450 units read after 11 years, then 150 in the month: 150/31 a day, not 600/4200
    history = [(datetime.date(2026, 9, 30), 450), (datetime.date(2026, 10, 31), 600)]
    consumer = metered_consumer(two_subdivisions["dc_a"], serial="SR-AVG", history=history)
    assert sr.average_daily_units(consumer) == Decimal("4.839")
