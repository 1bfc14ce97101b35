"""The supervisor's pages: JE / SDO of the office only, each scoped to their offices; in Hindi too."""

import uuid

import pytest

from urja.field.models import BillMismatch, Conflict, RouteBook
from urja.field.selectors import recheck_sample
from urja.org.choices import Role
from urja.testing import UserFactory

from .conftest import item, login
from .test_api_photos import JPEG, put
from .test_api_sync import BOOK, post, reading_payload

# A reader reads inside the period (2026-11): a bill served 60 days or more late carries the late-bill
# rebate, and the demo's orders are for the current month, so these tests set their day.
pytestmark = [pytest.mark.django_db, pytest.mark.clock("2026-11-28T12:00:00+05:30")]
PAGES = ["", "unbilled/", "queue/", "map/", "sample/", "routes/"]


def sync_three(client, field, far=False, mismatch=False, photo=None):
    login(client, field["reader"])
    book = client.get(BOOK).json()
    items = []
    for index, stop in enumerate(book["stops"]):
        payload = reading_payload(stop, book)
        payload["gps"] = {**stop["location"], "accuracy": "8"}
        if far and index == 0:
            payload["gps"] = {"lat": "26.8500", "lon": "80.9000", "accuracy": "5"}  # ~5.5 km north
        if mismatch and index == 1:
            payload["device_bill"]["payable"] = "1.00"
        if photo and index == 0:
            payload["photo_id"] = str(photo)
        items.append(item("reading", payload))
    post(client, items)
    client.logout()


@pytest.mark.parametrize("page", PAGES)
def test_pages_for_the_je_and_sdo_only(client, field, page):
    url = f"/field/supervisor/{page}"
    assert client.get(url).status_code == 302  # to the login
    for user in (field["reader"], UserFactory(username="cash", role=Role.CASHIER, office=field["sub_a"])):
        login(client, user)
        assert client.get(url).status_code == 403
        client.logout()
    for user in (field["je_a"], field["sdo_a"]):
        login(client, user)
        assert client.get(url).status_code == 200
        client.logout()


def test_progress_and_unbilled_are_scoped(client, field):
    sync_three(client, field)
    login(client, field["je_a"])
    html = client.get("/field/supervisor/?period=2026-11").content.decode()
    assert "mr_a" in html and "100.0%" in html and "mr_b" not in html
    login(client, field["je_b"])
    html = client.get("/field/supervisor/?period=2026-11").content.decode()
    assert "mr_b" in html and "mr_a" not in html and "0%" in html
    unbilled = client.get("/field/supervisor/unbilled/?period=2026-11").content.decode()
    assert field["b_consumer"].account_number in unbilled
    assert field["consumers"][0].account_number not in unbilled
    assert field["b_consumer"].name not in unbilled  # names are masked in lists


def test_queue_shows_mismatches_and_conflicts_of_the_office_only(client, field):
    sync_three(client, field, mismatch=True)
    mismatch = BillMismatch.objects.get()
    Conflict.objects.create(
        kind="reassigned",
        office=field["dc_a"],
        user=field["reader"],
        client_id="x",
        created_at=mismatch.created_at,
    )
    login(client, field["je_b"])
    html = client.get("/field/supervisor/queue/").content.decode()
    assert 'data-testid="mismatch"' not in html and 'data-testid="conflict"' not in html
    assert client.post(f"/field/supervisor/queue/mismatch/{mismatch.pk}/seen/").status_code == 404
    client.logout()
    login(client, field["je_a"])
    html = client.get("/field/supervisor/queue/").content.decode()
    assert html.count('data-testid="mismatch"') == 1 and html.count('data-testid="conflict"') == 1
    assert mismatch.bill.bill_number in html
    client.post(f"/field/supervisor/queue/mismatch/{mismatch.pk}/seen/")
    mismatch.refresh_from_db()
    assert mismatch.resolved_by == field["je_a"]
    assert 'data-testid="mismatch"' not in client.get("/field/supervisor/queue/").content.decode()


def test_the_map_flags_readings_far_from_the_consumer(client, field):
    sync_three(client, field, far=True)
    login(client, field["je_a"])
    html = client.get("/field/supervisor/map/?period=2026-11").content.decode()
    assert "<svg" in html and html.count('data-testid="far-point"') == 1
    assert "tile" not in html.lower() and "http" not in html.split("<svg")[1].split("</svg>")[0].replace(
        "http://www.w3.org", ""
    )
    wide = client.get("/field/supervisor/map/?period=2026-11&far=10000").content.decode()
    assert 'data-testid="far-point"' not in wide


def test_the_sample_is_reproducible_and_one_percent(client, field):
    sync_three(client, field)
    first = recheck_sample(field["je_a"], "2026-11")
    assert len(first) == 1 and first == recheck_sample(field["je_a"], "2026-11")
    assert recheck_sample(field["je_b"], "2026-11") == []
    login(client, field["je_a"])
    assert (
        client.get("/field/supervisor/sample/?period=2026-11")
        .content.decode()
        .count('data-testid="sample-row"')
        == 1
    )


def test_route_assignment_by_the_je_of_the_office(client, field):
    book = field["book"]
    login(client, field["je_b"])
    client.post("/field/supervisor/routes/", {"book": book.pk, "reader": field["reader_b"].pk})
    assert RouteBook.objects.get(pk=book.pk).reader == field["reader"]  # not in DC B's offices
    client.logout()
    login(client, field["je_a"])
    html = client.get("/field/supervisor/routes/").content.decode()
    assert "RB-A-1" in html and "RB-B-1" not in html
    client.post("/field/supervisor/routes/", {"book": book.pk, "reader": field["reader_b"].pk})
    assert RouteBook.objects.get(pk=book.pk).reader == field["reader"]  # a reader of another DC
    client.post(
        "/field/supervisor/routes/?period=2026-11",
        {"book": book.pk, "reader": field["reader2"].pk, "build": "1"},
    )
    assert RouteBook.objects.get(pk=book.pk).reader == field["reader2"]


def test_photos_viewable_by_the_offices_supervisors_only(client, field):
    photo_uuid = uuid.uuid4()
    login(client, field["reader"])
    put(client, photo_uuid, JPEG)
    client.logout()
    sync_three(client, field, photo=photo_uuid)
    url = f"/field/supervisor/photos/{photo_uuid}/"
    login(client, field["je_b"])
    assert client.get(url).status_code == 404
    client.logout()
    login(client, field["reader"])
    assert client.get(url).status_code == 403
    client.logout()
    login(client, field["sdo_a"])
    response = client.get(url)
    assert response.status_code == 200 and response["Content-Type"] == "image/jpeg"
    assert response.content == JPEG


def test_pages_in_hindi_at_a_glance(client, field):
    login(client, field["je_a"])
    html = client.get("/field/supervisor/", HTTP_ACCEPT_LANGUAGE="hi").content.decode()
    assert 'lang="hi"' in html and "प्रगति" in html
    for english in ("Route progress", "Coverage", "Meter reader", "below target", "Conflicts and mismatches"):
        assert english not in html, english


def test_the_far_distance_is_a_setting(client, field, settings):
    sync_three(client, field, far=True)  # one reading ~5.5 km away
    login(client, field["je_a"])
    settings.URJA_FIELD = {"FAR_METRES": 10000}
    html = client.get("/field/supervisor/map/?period=2026-11").content.decode()
    assert html.count('data-testid="far-point"') == 0 and 'value="10000"' in html
    settings.URJA_FIELD = {"FAR_METRES": 200}
    html = client.get("/field/supervisor/map/?period=2026-11").content.decode()
    assert html.count('data-testid="far-point"') == 1 and 'value="200"' in html
