import pytest
from django.urls import reverse

from urja.metering.choices import ReadingStatus
from urja.metering.models import Reading
from urja.testing import TEST_PASSWORD

from .factories import days, install, make_meter

pytestmark = pytest.mark.django_db


@pytest.fixture
def je_client(client, two_subdivisions):
    client.login(username="je_a", password=TEST_PASSWORD)
    return client


def form(consumer, on, kwh, status="OK"):
    return {
        "consumer": consumer.pk,
        "reading_date": on.isoformat(),
        "status": status,
        "kwh": kwh,
        "source": "manual",
    }


def test_admin_records_through_the_service(je_client, two_subdivisions, day0):
    consumer = two_subdivisions["consumer_a"]
    install(consumer, make_meter(), day0, initial="250")

    response = je_client.post(reverse("admin:metering_reading_add"), form(consumer, day0 + days(30), "250"))

    assert response.status_code == 302, response.content.decode()[:2000]
    reading = Reading.objects.get()
    assert (reading.status, reading.units, reading.recorded_by) == (
        ReadingStatus.ADF,
        0,
        two_subdivisions["je_a"],
    )


def test_admin_shows_service_errors_and_writes_nothing(je_client, two_subdivisions, today):
    consumer = two_subdivisions["consumer_a"]
    install(consumer, make_meter(), today - days(10))

    response = je_client.post(reverse("admin:metering_reading_add"), form(consumer, today + days(1), "10"))

    assert response.status_code == 200
    assert "A reading cannot be dated in the future." in response.content.decode()
    assert not Reading.objects.exists()


def test_admin_cannot_pick_a_consumer_of_another_office(je_client, two_subdivisions, today):
    other = two_subdivisions["consumer_b"]
    install(other, make_meter(), today - days(10))

    response = je_client.post(reverse("admin:metering_reading_add"), form(other, today, "10"))

    assert response.status_code == 200
    assert not Reading.objects.exists()
