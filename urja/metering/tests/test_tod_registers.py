"""TOD registers and maximum demand on readings: recorded through the service and the API, their units
computed per slot, summed over a period by the selector."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from urja.api.services import staff_token_issue
from urja.customers.choices import LoadUnit
from urja.metering.choices import ReadingSource, ReadingStatus, TodUnit
from urja.metering.selectors import readings_for_period
from urja.metering.services import reading_record
from urja.org.choices import Role
from urja.testing import ConsumerFactory, UserFactory

from .factories import days, install, make_meter

pytestmark = pytest.mark.django_db
D = Decimal


def record(consumer, on, kwh, **kwargs):
    return reading_record(consumer=consumer, reading_date=on, kwh=D(kwh), source=ReadingSource.AMR, **kwargs)


@pytest.fixture
def hv_consumer():
    return ConsumerFactory(category="HV2-11KV", sanctioned_load=D("1000"), load_unit=LoadUnit.KVA)


def tod(offpeak, normal, peak):
    return {"offpeak": D(offpeak), "normal": D(normal), "peak": D(peak)}


def test_tod_units_per_slot_from_the_previous_reading_with_mf(hv_consumer, day0):
    meter = make_meter(digits=7, ct_ratio="2", has_kvah=True)
    install(hv_consumer, meter, day0)
    first = record(hv_consumer, day0 + days(30), "100", kvah=D("110"), tod_registers=tod("30", "50", "30"))
    assert first.tod_units == {}  # no earlier TOD reading on this meter
    second = record(
        hv_consumer,
        day0 + days(60),
        "200",
        kvah=D("220"),
        max_demand=D("812.5"),
        tod_registers=tod("60", "110", "50"),
        tod_unit=TodUnit.KVAH,
    )
    assert second.tod_units == {"offpeak": "60.00", "normal": "120.00", "peak": "40.00"}  # x MF 2
    assert second.tod_unit == "kVAh" and second.max_demand == D("812.5")
    assert second.tod_registers == {"offpeak": "60", "normal": "110", "peak": "50"}


def test_period_sums_tod_units_and_keeps_the_highest_md(hv_consumer, day0):
    install(hv_consumer, make_meter(digits=7, has_kvah=True), day0)
    record(hv_consumer, day0 + days(10), "100", tod_registers=tod("10", "10", "10"))
    record(hv_consumer, day0 + days(20), "200", max_demand=D("700"), tod_registers=tod("40", "60", "30"))
    record(hv_consumer, day0 + days(30), "300", max_demand=D("650"), tod_registers=tod("70", "110", "50"))
    period = readings_for_period([hv_consumer.id], day0 + days(10), day0 + days(30))[hv_consumer.id]
    assert period.max_demand == D("700")
    assert period.tod_units == (("normal", D("100")), ("offpeak", D("60")), ("peak", D("40")))


def test_a_reading_without_tod_units_leaves_the_period_without_them(hv_consumer, day0):
    install(hv_consumer, make_meter(digits=7), day0)
    record(hv_consumer, day0 + days(10), "100", tod_registers=tod("10", "10", "10"))
    record(hv_consumer, day0 + days(20), "200", tod_registers=tod("40", "60", "30"))
    record(hv_consumer, day0 + days(30), "300")
    period = readings_for_period([hv_consumer.id], day0 + days(10), day0 + days(30))[hv_consumer.id]
    assert period.tod_units == ()


@pytest.mark.parametrize(
    ("registers", "status", "message"),
    [
        ({"Peak!": D("1")}, ReadingStatus.OK, "named by slot"),
        ({"peak": D("-1")}, ReadingStatus.OK, "cannot be negative"),
        ({"peak": D("99999999")}, ReadingStatus.OK, "cannot show"),
        ({"peak": D("1")}, ReadingStatus.NA, "carries no register values"),
    ],
)
def test_bad_tod_registers_are_refused(hv_consumer, day0, registers, status, message):
    install(hv_consumer, make_meter(digits=7), day0)
    kwh = D("100") if status == ReadingStatus.OK else None
    with pytest.raises(ValidationError, match=message):
        reading_record(
            consumer=hv_consumer,
            reading_date=day0 + days(30),
            kwh=kwh,
            status=status,
            source=ReadingSource.AMR,
            tod_registers=registers,
        )


@pytest.mark.urls("urja.metering.tests.urls")
def test_the_api_takes_md_and_tod_registers(client, two_subdivisions, day0):
    consumer = two_subdivisions["consumer_a"]
    install(consumer, make_meter(digits=7, has_kvah=True), day0)
    reader = UserFactory(username="reader_a", role=Role.METER_READER, office=two_subdivisions["dc_a"])
    _, key = staff_token_issue(user=reader)
    for offset, values in ((30, ("10", "20", "5")), (60, ("25", "45", "15"))):
        body = {
            "reading_date": (day0 + days(offset)).isoformat(),
            "source": "amr",
            "kwh": str(100 * offset),
            "max_demand": "3.25",
            "tod_registers": dict(zip(("offpeak", "normal", "peak"), values, strict=True)),
        }
        response = client.post(
            f"/api/v1/consumers/{consumer.account_number}/readings",
            body,
            content_type="application/json",
            HTTP_AUTHORIZATION=f"Bearer {key}",
        )
        assert response.status_code == 201, response.content
    data = response.json()
    assert data["max_demand"] == "3.25" and data["tod_unit"] == "kWh"
    assert {k: Decimal(v) for k, v in data["tod_units"].items()} == {
        "offpeak": D("15"),
        "normal": D("25"),
        "peak": D("10"),
    }
