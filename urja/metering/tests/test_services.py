from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from urja.customers.choices import LoadUnit
from urja.metering.choices import ReadingSource, ReadingStatus
from urja.metering.models import MeterInstallation, Reading
from urja.metering.services import meter_install, meter_remove, meter_replace, reading_record
from urja.org.choices import Role
from urja.testing import ConsumerFactory, UserFactory

from .factories import days, install, make_meter

pytestmark = pytest.mark.django_db

D = Decimal
SPOT = ReadingSource.SPOT


def record(consumer, on, kwh=None, **kwargs):
    kwargs.setdefault("source", SPOT)
    return reading_record(consumer=consumer, reading_date=on, kwh=None if kwh is None else D(kwh), **kwargs)


@pytest.fixture
def consumer():
    return ConsumerFactory(sanctioned_load=D("2"), load_unit=LoadUnit.KW)


def test_first_reading_counts_from_the_installation_and_applies_mf(consumer, day0):
    meter = make_meter(ct_ratio="10")
    install(consumer, meter, day0, initial="100")

    reading = record(consumer, day0 + days(30), "150")

    assert reading.status == ReadingStatus.OK
    assert reading.units == D("500.00")  # (150 - 100) x MF 10
    assert (reading.units_since, reading.previous_kwh) == (day0, D("100"))
    assert reading.meter == meter and reading.account_number == consumer.account_number
    assert not reading.rolled_over and not reading.meter_changed


def test_next_reading_counts_from_the_previous_one(consumer, day0):
    install(consumer, make_meter(), day0)
    record(consumer, day0 + days(30), "120")

    reading = record(consumer, day0 + days(61), "250.5")

    assert reading.units == D("130.50")
    assert reading.units_since == day0 + days(30)


def test_roll_over_of_a_five_digit_meter(consumer, day0):
    install(consumer, make_meter(digits=5), day0, initial="99900")
    record(consumer, day0 + days(30), "99990")

    reading = record(consumer, day0 + days(60), "15")

    assert (reading.status, reading.units, reading.rolled_over) == (ReadingStatus.OK, D("25.00"), True)


def test_big_backwards_jump_is_raised_to_rdf(consumer, day0):
    install(consumer, make_meter(digits=5), day0)
    record(consumer, day0 + days(30), "5000")

    rdf = record(consumer, day0 + days(60), "4000")
    after = record(consumer, day0 + days(90), "5100")

    assert (rdf.status, rdf.units, rdf.previous_kwh) == (ReadingStatus.RDF, None, D("5000"))
    # The defective value is not trusted: the next reading counts from the last valid one.
    assert (after.status, after.units, after.units_since) == (ReadingStatus.OK, D("100.00"), day0 + days(30))


def test_unchanged_reading_is_adf_with_zero_units(consumer, day0):
    install(consumer, make_meter(), day0)
    record(consumer, day0 + days(30), "300")

    reading = record(consumer, day0 + days(60), "300")

    assert (reading.status, reading.units) == (ReadingStatus.ADF, D("0.00"))


def test_huge_jump_against_sanctioned_load_is_cdf(consumer, day0):
    install(consumer, make_meter(), day0)
    record(consumer, day0 + days(30), "100")

    # 2 kW over 30 days allows 800 x 2 x 30 / 30.4375 = 1577 units.
    normal = record(consumer, day0 + days(60), "1600")
    huge = record(consumer, day0 + days(90), "3300")

    assert (normal.status, normal.units) == (ReadingStatus.OK, D("1500.00"))
    assert (huge.status, huge.units) == (ReadingStatus.CDF, D("1700.00"))


@pytest.mark.parametrize(
    ("unit", "status"), [(LoadUnit.KW, "OK"), (LoadUnit.KVA, "CDF"), (LoadUnit.BHP, "CDF")]
)
def test_cdf_converts_the_load_to_kw(day0, unit, status):
    consumer = ConsumerFactory(sanctioned_load=D("1"), load_unit=unit)
    install(consumer, make_meter(), day0)
    # 750 units in 30 days: under 788 for 1 kW, over 710 for 1 kVA (0.9 kW) and 597 for 1 BHP (0.746 kW).
    assert record(consumer, day0 + days(30), "750").status == status


def test_meter_change_inside_the_period_adds_both_meters(consumer, day0):
    old, new = make_meter(digits=5), make_meter(ct_ratio="2")
    install(consumer, old, day0, initial="4000")
    record(consumer, day0 + days(30), "4500")
    meter_replace(
        consumer=consumer,
        new_meter=new,
        replaced_on=day0 + days(45),
        final_reading=D("4620"),
        initial_reading=D("3"),
    )

    reading = record(consumer, day0 + days(60), "83")

    assert reading.meter == new
    assert reading.units == D("280.00")  # (4620 - 4500) x 1 + (83 - 3) x 2
    assert reading.meter_changed and reading.units_since == day0 + days(30)
    assert reading.previous_kwh == D("4500")


def test_meter_change_with_a_meter_in_between(consumer, day0):
    first, second, third = make_meter(), make_meter(), make_meter()
    install(consumer, first, day0)
    record(consumer, day0 + days(30), "100")
    meter_replace(consumer=consumer, new_meter=second, replaced_on=day0 + days(35), final_reading=D("110"))
    meter_replace(consumer=consumer, new_meter=third, replaced_on=day0 + days(40), final_reading=D("20"))

    reading = record(consumer, day0 + days(60), "5")

    assert reading.units == D("35.00")  # 10 + 20 + 5


@pytest.mark.parametrize("status", [ReadingStatus.NA, ReadingStatus.NR, ReadingStatus.IDF])
def test_unread_statuses_carry_no_values_and_no_units(consumer, day0, status):
    meter = make_meter()
    install(consumer, meter, day0)
    record(consumer, day0 + days(30), "100")

    unread = record(consumer, day0 + days(60), status=status)
    after = record(consumer, day0 + days(90), "400")

    assert (unread.status, unread.kwh, unread.units, unread.meter) == (status, None, None, meter)
    assert (after.units, after.units_since) == (D("300.00"), day0 + days(30))


def test_unread_status_with_a_value_is_refused(consumer, day0):
    install(consumer, make_meter(), day0)
    with pytest.raises(ValidationError) as exc:
        record(consumer, day0 + days(30), "100", status=ReadingStatus.NA)
    assert "kwh" in exc.value.message_dict
    assert not Reading.objects.exists()


def test_no_meter_reading(consumer, day0):
    reading = record(consumer, day0, status=ReadingStatus.NM)
    assert (reading.status, reading.meter, reading.units) == (ReadingStatus.NM, None, None)


def test_ok_without_a_meter_is_refused(consumer, day0):
    with pytest.raises(ValidationError, match="record status NM"):
        record(consumer, day0, "100")


def test_reading_in_the_future_is_refused_and_nothing_written(consumer, day0, today):
    install(consumer, make_meter(), day0)
    with pytest.raises(ValidationError) as exc:
        record(consumer, today + days(1), "100")
    assert exc.value.message_dict["reading_date"] == ["A reading cannot be dated in the future."]
    assert not Reading.objects.exists()


def test_reading_before_installation_is_refused(consumer, day0):
    install(consumer, make_meter(), day0)
    with pytest.raises(ValidationError, match="before the meter was installed"):
        record(consumer, day0 - days(1), "100")


def test_readings_are_recorded_in_date_order(consumer, day0):
    install(consumer, make_meter(), day0)
    record(consumer, day0 + days(30), "100")
    with pytest.raises(ValidationError, match="date order"):
        record(consumer, day0 + days(30), "120")
    assert Reading.objects.count() == 1


@pytest.mark.parametrize("status", [ReadingStatus.RDF, ReadingStatus.ADF, ReadingStatus.CDF])
def test_raised_statuses_cannot_be_entered(consumer, day0, status):
    install(consumer, make_meter(), day0)
    with pytest.raises(ValidationError, match="raised automatically"):
        record(consumer, day0 + days(30), "100", status=status)


def test_ok_needs_kwh_and_values_must_fit_the_register(consumer, day0):
    install(consumer, make_meter(digits=5), day0)
    with pytest.raises(ValidationError) as exc:
        record(consumer, day0 + days(30))
    assert "kwh" in exc.value.message_dict
    with pytest.raises(ValidationError, match="5 digits"):
        record(consumer, day0 + days(30), "100000")
    with pytest.raises(ValidationError, match="no kVAh register"):
        record(consumer, day0 + days(30), "10", kvah=D("12"))


def test_kvah_units_on_the_same_meter(consumer, day0):
    install(consumer, make_meter(has_kvah=True), day0)
    first = record(consumer, day0 + days(30), "100", kvah=D("110"))
    second = record(consumer, day0 + days(60), "200", kvah=D("225"), max_demand=D("1.8"))
    assert first.kvah_units is None  # installations keep no kVAh initial reading
    assert (second.units, second.kvah_units, second.max_demand) == (D("100.00"), D("115.00"), D("1.8"))


def test_meter_reader_records_with_gps_and_others_may_not(consumer, day0):
    install(consumer, make_meter(), day0)
    reader = UserFactory(role=Role.METER_READER, office=consumer.office)
    cashier = UserFactory(role=Role.CASHIER, office=consumer.office)
    with pytest.raises(PermissionDenied):
        record(consumer, day0 + days(30), "100", by=cashier)
    reading = record(consumer, day0 + days(30), "100", by=reader, latitude=D("26.85"), longitude=D("80.95"))
    assert reading.recorded_by == reader
    with pytest.raises(ValidationError) as exc:
        record(consumer, day0 + days(40), "110", latitude=D("126"))
    assert "latitude" in exc.value.message_dict


def test_meter_install_refuses_a_second_meter_and_a_meter_in_use(consumer, day0):
    meter = make_meter()
    meter_install(consumer=consumer, meter=meter, installed_on=day0)
    with pytest.raises(ValidationError, match="remove or replace"):
        meter_install(consumer=consumer, meter=make_meter(), installed_on=day0 + days(1))
    with pytest.raises(ValidationError, match="another connection"):
        meter_install(consumer=ConsumerFactory(), meter=meter, installed_on=day0 + days(1))


def test_meter_remove_checks_the_final_reading(consumer, day0):
    install(consumer, make_meter(digits=5), day0)
    record(consumer, day0 + days(30), "5000")
    with pytest.raises(ValidationError, match="below the meter's last reading"):
        meter_remove(consumer=consumer, removed_on=day0 + days(40), final_reading=D("4000"))
    with pytest.raises(ValidationError, match="reading dated"):
        meter_remove(consumer=consumer, removed_on=day0 + days(20), final_reading=D("5100"))
    removed = meter_remove(consumer=consumer, removed_on=day0 + days(40), final_reading=D("5100"))
    assert (removed.removed_on, removed.final_reading) == (day0 + days(40), D("5100"))


def test_meter_replace_is_all_or_nothing(consumer, day0):
    old = make_meter()
    install(consumer, old, day0)
    busy = make_meter()
    install(ConsumerFactory(), busy, day0)
    with pytest.raises(ValidationError):
        meter_replace(consumer=consumer, new_meter=busy, replaced_on=day0 + days(5), final_reading=D("10"))
    current = MeterInstallation.objects.get(consumer=consumer)
    assert (current.meter, current.removed_on) == (old, None)


def test_meter_changes_need_the_capability(consumer, day0):
    cashier = UserFactory(role=Role.CASHIER, office=consumer.office)
    with pytest.raises(PermissionDenied):
        meter_install(consumer=consumer, meter=make_meter(), installed_on=day0, by=cashier)


@pytest.mark.parametrize(
    "values",
    [
        {"status": ReadingStatus.OK, "kwh": D("-1")},
        {"status": ReadingStatus.NA, "kwh": D("10")},
        {"status": ReadingStatus.OK, "kwh": None},
    ],
)
def test_database_refuses_readings_that_break_the_invariants(consumer, day0, values):
    meter = make_meter()
    with pytest.raises(IntegrityError), transaction.atomic():
        Reading.objects.create(
            consumer=consumer,
            account_number=consumer.account_number,
            meter=meter,
            reading_date=day0,
            source=SPOT,
            **values,
        )


def test_database_allows_one_reading_per_meter_per_day(consumer, day0):
    meter = make_meter()
    fields = {
        "consumer": consumer,
        "account_number": consumer.account_number,
        "meter": meter,
        "reading_date": day0,
    }
    Reading.objects.create(**fields, status=ReadingStatus.OK, kwh=D("1"), source=SPOT)
    with pytest.raises(IntegrityError), transaction.atomic():
        Reading.objects.create(**fields, status=ReadingStatus.OK, kwh=D("2"), source=SPOT)
