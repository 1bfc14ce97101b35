"""PUT/HEAD /field/api/photos/<uuid>/: JPEG only, at most 500 KB, idempotent, linked to the reading
whichever arrives first; another user's photo id is refused."""

import json
import uuid

import pytest

from urja.field.models import Photo

from .conftest import item, login
from .test_api_sync import BOOK, SYNC, reading_payload

pytestmark = pytest.mark.django_db
JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 2000 + b"\xff\xd9"


def put(client, photo_uuid, body):
    return client.put(f"/field/api/photos/{photo_uuid}/", body, content_type="image/jpeg")


def test_put_is_idempotent_and_head_tells(client, field):
    login(client, field["reader"])
    photo_uuid = uuid.uuid4()
    assert client.head(f"/field/api/photos/{photo_uuid}/").status_code == 404
    assert put(client, photo_uuid, JPEG).status_code == 201
    assert put(client, photo_uuid, JPEG + b"x").status_code == 200
    assert Photo.objects.get().size == len(JPEG)
    assert client.head(f"/field/api/photos/{photo_uuid}/").status_code == 200


def test_size_and_type(client, field):
    login(client, field["reader"])
    assert put(client, uuid.uuid4(), b"\x89PNG\r\n\x1a\n" + b"\x00" * 100).status_code == 415
    assert put(client, uuid.uuid4(), JPEG[:3] + b"\x00" * (500 * 1024)).status_code == 413
    assert put(client, uuid.uuid4(), JPEG[:3] + b"\x00" * (500 * 1024 - 3)).status_code == 201
    assert Photo.objects.count() == 1


def test_a_garbled_content_length_is_a_clear_400_not_a_crash(client, field):
    login(client, field["reader"])
    response = client.put(
        f"/field/api/photos/{uuid.uuid4()}/",
        JPEG,
        content_type="image/jpeg",
        headers={"content-length": "abc"},
    )
    assert response.status_code in (400, 413) and "error" in response.json()
    assert not Photo.objects.exists()


def test_refused_without_session_to_other_roles_and_for_another_users_uuid(client, field):
    photo_uuid = uuid.uuid4()
    assert put(client, photo_uuid, JPEG).status_code == 401
    from urja.org.choices import Role
    from urja.testing import UserFactory

    login(client, UserFactory(username="c1", role=Role.CASHIER, office=field["sub_a"]))
    assert put(client, photo_uuid, JPEG).status_code == 403
    client.logout()
    login(client, field["reader"])
    assert put(client, photo_uuid, JPEG).status_code == 201
    client.logout()
    login(client, field["reader_b"])
    assert put(client, photo_uuid, JPEG).status_code == 403
    assert client.head(f"/field/api/photos/{photo_uuid}/").status_code == 404


@pytest.mark.parametrize("photo_first", [True, False])
def test_linked_to_its_reading_whichever_comes_first(client, field, photo_first):
    login(client, field["reader"])
    book = client.get(BOOK).json()
    photo_uuid = uuid.uuid4()
    payload = reading_payload(book["stops"][0], book, photo_id=str(photo_uuid))
    if photo_first:
        put(client, photo_uuid, JPEG)
    [result] = client.post(
        SYNC,
        json.dumps({"device_id": "d", "items": [item("reading", payload)]}),
        content_type="application/json",
    ).json()["results"]
    if not photo_first:
        put(client, photo_uuid, JPEG)
    photo = Photo.objects.get()
    assert photo.reading_id == result["server"]["reading_id"]
