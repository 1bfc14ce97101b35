"""The field app's shell, manifest, service worker and sign-in."""

import json

import pytest
from django.urls import reverse

from urja.field.app_views import FIELD_SESSION_SECONDS
from urja.org.choices import Role
from urja.testing import TEST_PASSWORD, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def reader(two_subdivisions):
    return UserFactory(username="reader_a", role=Role.METER_READER, office=two_subdivisions["dc_a"])


def test_the_shell_sends_a_signed_out_visitor_to_the_field_sign_in(client):
    response = client.get("/field/")
    assert response.status_code == 302
    assert response["Location"] == "/field/login/?next=/field/"


def test_the_shell_for_a_meter_reader(client, reader):
    client.force_login(reader)
    response = client.get("/field/")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/html; charset=utf-8"
    html = response.content.decode()
    assert 'type="module" src="/static/field/app.js"' in html
    assert 'rel="manifest" href="/field/manifest.webmanifest"' in html
    assert "csrftoken" in response.cookies
    # the same page for every user: nothing personal in it, so the service worker may keep it
    assert reader.username not in html


def test_manifest_and_service_worker_content_types(client):
    manifest = client.get("/field/manifest.webmanifest")
    assert manifest.status_code == 200
    assert manifest["Content-Type"] == "application/manifest+json; charset=utf-8"
    data = json.loads(manifest.content)
    assert data["start_url"] == "/field/" and data["scope"] == "/field/" and data["display"] == "standalone"

    sw = client.get("/field/sw.js")
    assert sw.status_code == 200
    assert sw["Content-Type"] == "text/javascript; charset=utf-8"
    assert "no-cache" in sw["Cache-Control"] or "max-age=0" in sw["Cache-Control"]
    text = sw.content.decode()
    precache = json.loads(text.split("const PRECACHE = ", 1)[1].split(";\n", 1)[0])
    for url in [
        "/field/",
        "/static/field/app.js",
        "/static/field/i18n.js",
        "/static/field/vendor/idb.js",
        "/static/field/field.css",
        "/static/fonts/NotoSansDevanagari-Regular.woff2",
    ]:
        assert url in precache


def test_a_meter_reader_signs_in_for_the_working_day(client, reader):
    response = client.post(
        "/field/login/", {"username": "reader_a", "password": TEST_PASSWORD, "next": "/field/"}
    )
    assert response.status_code == 302 and response["Location"] == "/field/"
    assert client.session.get_expiry_age() == FIELD_SESSION_SECONDS
    assert client.get("/field/").status_code == 200


def test_a_supervisor_signing_in_here_keeps_the_consoles_session_length(client, two_subdivisions, settings):
    """Only the field roles work a whole day away from the office; a JE's session through the field
    sign-in also opens the staff console, so it keeps the console's length."""
    UserFactory(username="je_f", role=Role.JE, office=two_subdivisions["dc_a"])
    response = client.post("/field/login/", {"username": "je_f", "password": TEST_PASSWORD})
    assert response.status_code == 302
    assert client.session.get_expiry_age() == settings.SESSION_COOKIE_AGE < FIELD_SESSION_SECONDS


@pytest.mark.parametrize("role", [Role.CASHIER, Role.HELPDESK, Role.EE])
def test_other_staff_cannot_sign_in_to_the_field_app(client, two_subdivisions, role):
    UserFactory(username="other", role=role, office=two_subdivisions["dc_a"])
    response = client.post("/field/login/", {"username": "other", "password": TEST_PASSWORD})
    assert response.status_code == 200
    assert "meter readers, linemen" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_a_cashier_signed_in_to_the_console_is_not_let_into_the_shell(client, two_subdivisions):
    client.force_login(UserFactory(username="cash", role=Role.CASHIER, office=two_subdivisions["dc_a"]))
    assert client.get("/field/")["Location"] == "/field/login/?next=/field/"


def test_the_login_page_has_labelled_inputs_and_a_csrf_token(client):
    html = client.get(reverse("field:login")).content.decode()
    assert 'for="id_username"' in html and 'for="id_password"' in html
    assert "csrfmiddlewaretoken" in html


def test_session_state(client, reader):
    assert client.get("/field/session/").json() == {"signed_in": False, "username": None}
    client.force_login(reader)
    assert client.get("/field/session/").json() == {"signed_in": True, "username": "reader_a"}
