from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from urja.metering.choices import ReadingSource
from urja.metering.models import Reading
from urja.portal.testing import portal_client

from .conftest import PNG

pytestmark = [pytest.mark.django_db, pytest.mark.clock("2026-11-30T12:00:00+05:30")]


def photo(content=PNG, name="meter.png"):
    return SimpleUploadedFile(name, content, content_type="image/png")


def self_readings():
    return Reading.objects.filter(source=ReadingSource.SELF)


def test_the_page_shows_the_window_and_records_a_reading_with_its_photo(client, reader):
    c = portal_client(client, reader)
    page = c.get(reverse("portal:reading")).content.decode()
    assert 'data-testid="eligible"' in page and "28-11-2026 to 04-12-2026" in page
    assert '<label for="id_kwh">' in page and '<label for="id_photo">' in page
    page = c.post(reverse("portal:reading"), {"kwh": "९००", "photo": photo()}).content.decode()
    assert 'data-testid="reading-recorded"' in page and "within 48 hours" in page
    reading = self_readings().get()
    assert reading.kwh == Decimal("900") and reading.photo


def test_a_value_below_the_last_is_questioned_then_recorded_on_confirmation(client, reader):
    c = portal_client(client, reader)
    page = c.post(reverse("portal:reading"), {"kwh": "700", "photo": photo()}).content.decode()
    assert 'data-testid="question"' in page and "below the last reading, 750" in page
    assert not self_readings().exists()
    c.post(reverse("portal:reading"), {"step": "confirm", "kwh": "700", "confirmed": "on"})
    reading = self_readings().get()
    assert reading.kwh == Decimal("700") and reading.photo and "below_last" in reading.remarks


def test_a_questioned_value_may_be_corrected_without_sending_the_photo_again(client, reader):
    c = portal_client(client, reader)
    c.post(reverse("portal:reading"), {"kwh": "700", "photo": photo()})
    page = c.post(
        reverse("portal:reading"), {"step": "confirm", "correct": "1", "kwh_new": "905"}
    ).content.decode()
    assert 'data-testid="reading-recorded"' in page
    assert self_readings().get().kwh == Decimal("905")


def test_an_ineligible_consumer_is_refused_with_a_clear_message(client, reader):
    reader.sanctioned_load = Decimal("12")
    reader.save()
    c = portal_client(client, reader)
    page = c.get(reverse("portal:reading")).content.decode()
    assert 'data-testid="ineligible"' in page and "up to 9 kW; yours is 12 kW" in page
    c.post(reverse("portal:reading"), {"kwh": "900", "photo": photo()})
    assert not self_readings().exists()


def test_a_photo_of_the_wrong_type_is_refused_and_nothing_saved(client, reader):
    c = portal_client(client, reader)
    page = c.post(
        reverse("portal:reading"), {"kwh": "900", "photo": photo(b"%PDF-1.4 x", "meter.png")}
    ).content.decode()
    assert "JPEG or PNG" in page
    assert not self_readings().exists()


def test_the_reading_page_in_hindi(client, reader, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "hi"
    c = portal_client(client, reader)
    page = c.get(reverse("portal:reading")).content.decode()
    assert "अपना मीटर पाठ्यांक जमा करें" in page and "मीटर डिस्प्ले का फ़ोटो" in page
    page = c.post(reverse("portal:reading"), {"kwh": "700", "photo": photo()}).content.decode()
    assert "पिछले पाठ्यांक" in page
