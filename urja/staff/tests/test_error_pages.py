"""The 403, 404 and 500 pages: friendly, in the user's language (and the other one below), with a way
back; never Django's debug pages (DEBUG is off outside the demo)."""

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client, override_settings
from django.urls import path

import urja.urls
from urja.org.choices import Role
from urja.testing import UserFactory


def _boom(request):
    raise RuntimeError("a bug")


def _forbidden(request):
    raise PermissionDenied


urlpatterns = [path("staff/boom/", _boom), path("boom/", _boom), path("staff/forbidden/", _forbidden)]
urlpatterns += urja.urls.urlpatterns


def _client(language):
    client = Client(raise_request_exception=False, HTTP_ACCEPT_LANGUAGE=language)
    return client


@pytest.mark.django_db
@pytest.mark.parametrize(
    "language,heading,other",
    [("en", "Page not found", "पेज नहीं मिला"), ("hi", "पेज नहीं मिला", "Page not found")],
)
def test_404_in_both_languages_with_a_way_back(language, heading, other):
    client = _client(language)
    client.force_login(UserFactory(username="je", role=Role.JE))
    response = client.get("/staff/consumers/0000000000/")
    assert response.status_code == 404
    body = response.content.decode()
    assert 'data-testid="error-page"' in body and f"<h1>{heading}</h1>" in body
    assert other in body  # said in the other language too
    assert f'<html lang="{language}">' in body
    assert 'data-testid="way-back"' in body and 'href="/staff/"' in body
    assert "Traceback" not in body and "URLconf" not in body


@pytest.mark.django_db
def test_404_outside_the_console_leads_to_the_consumer_home():
    response = _client("en").get("/no-such-page/")
    body = response.content.decode()
    assert response.status_code == 404
    assert 'href="/" data-testid="way-back"' in body  # the portal's own page, back to the consumer home


@pytest.mark.django_db
@pytest.mark.urls(__name__)
@pytest.mark.parametrize("language,heading", [("en", "Something went wrong"), ("hi", "कुछ गड़बड़ हो गई")])
def test_500_is_friendly_and_tells_nothing_of_the_bug(language, heading):
    response = _client(language).get("/staff/boom/")
    assert response.status_code == 500
    body = response.content.decode()
    assert f"<h1>{heading}</h1>" in body
    assert 'data-testid="way-back"' in body
    assert "a bug" not in body and "RuntimeError" not in body and "Traceback" not in body


@pytest.mark.django_db
@pytest.mark.urls(__name__)
def test_403_in_hindi_with_a_way_back():
    response = _client("hi").get("/staff/forbidden/")
    assert response.status_code == 403
    body = response.content.decode()
    assert "<h1>अनुमति नहीं</h1>" in body and "Not allowed" in body
    assert 'href="/staff/"' in body


@pytest.mark.django_db
def test_a_role_without_the_right_gets_the_friendly_403(client):
    client.force_login(UserFactory(username="reader", role=Role.METER_READER))
    response = client.get("/staff/payments/books/verify/")
    assert response.status_code == 403
    assert 'data-testid="error-page"' in response.content.decode()


@pytest.mark.django_db
def test_csrf_failure_is_a_friendly_page():
    client = Client(enforce_csrf_checks=True, HTTP_ACCEPT_LANGUAGE="en")
    response = client.post("/staff/login/", {"username": "x", "password": "y"})
    assert response.status_code == 403
    assert "The form had expired" in response.content.decode()


@pytest.mark.django_db
@override_settings(DEBUG=False)
@pytest.mark.urls(__name__)
def test_no_debug_page_when_debug_is_off():
    from django.conf import settings

    assert settings.DEBUG is False
    response = _client("en").get("/boom/")
    assert response.status_code == 500 and b"Traceback" not in response.content
