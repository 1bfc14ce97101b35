from decimal import Decimal

import pytest

from urja.api.services import staff_token_issue
from urja.metering.models import Reading
from urja.org.choices import Role
from urja.testing import UserFactory

from .factories import days, install, make_meter

pytestmark = [pytest.mark.django_db, pytest.mark.urls("urja.metering.tests.urls")]


def bearer(user):
    _, key = staff_token_issue(user=user)
    return {"HTTP_AUTHORIZATION": f"Bearer {key}"}


def url(consumer):
    return f"/api/v1/consumers/{consumer.account_number}/readings"


@pytest.fixture
def setup(two_subdivisions, day0):
    consumer = two_subdivisions["consumer_a"]
    install(consumer, make_meter(ct_ratio="2"), day0, initial="10")
    reader = UserFactory(username="reader_a", role=Role.METER_READER, office=two_subdivisions["dc_a"])
    return {**two_subdivisions, "consumer": consumer, "reader": reader}


def post(client, user, consumer, **body):
    return client.post(url(consumer), body, content_type="application/json", **bearer(user))


def test_record_returns_units_and_status(client, setup, day0):
    response = post(
        client,
        setup["reader"],
        setup["consumer"],
        reading_date=(day0 + days(30)).isoformat(),
        kwh="60",
        source="spot",
        latitude="26.850000",
        longitude="80.950000",
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["status"], Decimal(body["units"]), body["recorded_by"]) == ("OK", Decimal("100"), "reader_a")
    assert body["meter_serial"] and body["units_since"] == day0.isoformat()


def test_list_latest_first(client, setup, day0):
    for n, kwh in enumerate(["60", "60", "90"], start=1):
        post(
            client,
            setup["reader"],
            setup["consumer"],
            reading_date=(day0 + days(30 * n)).isoformat(),
            kwh=kwh,
            source="spot",
        )
    response = client.get(url(setup["consumer"]), **bearer(setup["je_a"]))
    assert response.status_code == 200
    items = response.json()["items"]
    assert [i["status"] for i in items] == ["OK", "ADF", "OK"]
    assert items[0]["reading_date"] > items[1]["reading_date"]


def test_reader_of_another_office_gets_404_and_nothing_is_written(client, setup, day0):
    other_reader = UserFactory(username="reader_b", role=Role.METER_READER, office=setup["dc_b"])
    response = post(
        client,
        other_reader,
        setup["consumer"],
        reading_date=(day0 + days(30)).isoformat(),
        kwh="60",
        source="spot",
    )
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"
    assert client.get(url(setup["consumer"]), **bearer(other_reader)).status_code == 404
    assert not Reading.objects.exists()


def test_cashier_of_the_office_may_not_record(client, setup, day0):
    cashier = UserFactory(username="cashier_a", role=Role.CASHIER, office=setup["sub_a"])
    response = post(
        client,
        cashier,
        setup["consumer"],
        reading_date=(day0 + days(30)).isoformat(),
        kwh="60",
        source="spot",
    )
    assert response.status_code == 403


def test_bad_input_is_422_json(client, setup, today):
    future = post(
        client,
        setup["reader"],
        setup["consumer"],
        reading_date=(today + days(1)).isoformat(),
        kwh="60",
        source="spot",
    )
    assert future.status_code == 422
    assert future.json()["errors"] == [
        {"field": "reading_date", "message": "A reading cannot be dated in the future."}
    ]
    unknown = post(
        client, setup["reader"], setup["consumer"], reading_date=today.isoformat(), status="XX", source="spot"
    )
    assert unknown.status_code == 422
    assert not Reading.objects.exists()


def test_requires_a_token(client, setup):
    assert client.get(url(setup["consumer"])).status_code == 401
