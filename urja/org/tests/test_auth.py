import os
import subprocess
import sys

import pytest
from django.conf import settings
from django.urls import reverse

from urja.testing import TEST_PASSWORD, UserFactory

pytestmark = pytest.mark.django_db


def test_passwords_are_argon2():
    user = UserFactory(username="hasher")
    assert user.password.startswith("argon2")


def test_base_settings_hash_with_argon2_first():
    from urja.settings import base

    assert base.PASSWORD_HASHERS[0].endswith("Argon2PasswordHasher")


def test_console_login_is_throttled(client):
    UserFactory(username="victim")
    for _ in range(settings.LOGIN_FAILURE_LIMIT):
        response = client.post(reverse("staff:login"), {"username": "victim", "password": "wrong-password"})
        assert response.status_code == 200
    # Now even the right password is refused, with a clear message.
    response = client.post(reverse("staff:login"), {"username": "victim", "password": TEST_PASSWORD})
    assert response.status_code == 200
    assert "Too many failed attempts" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_api_token_is_throttled(client):
    UserFactory(username="apiuser")
    for _ in range(settings.LOGIN_FAILURE_LIMIT):
        r = client.post(
            "/api/v1/auth/token", {"username": "apiuser", "password": "nope"}, content_type="application/json"
        )
        assert r.status_code == 401 and r.json()["code"] == "bad_credentials"
    r = client.post(
        "/api/v1/auth/token",
        {"username": "apiuser", "password": TEST_PASSWORD},
        content_type="application/json",
    )
    assert r.status_code == 429 and r.json()["code"] == "too_many_attempts"


def test_successful_login_shows_office(client, two_subdivisions):
    response = client.post(
        reverse("staff:login"), {"username": "je_a", "password": TEST_PASSWORD}, follow=True
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "DC A" in page and "DC-A" in page


def _production_check(env_overrides, code="import django; django.setup(); print('started')"):
    """Import the production settings in a fresh interpreter with a controlled environment."""
    env = {
        k: v
        for k, v in os.environ.items()
        if k
        not in {
            "SECRET_KEY",
            "KYC_HASH_KEY",
            "DEBUG",
            "ALLOWED_HOSTS",
            "DATABASE_URL",
            "URJA_SANDBOX_GATEWAY_ENABLED",
        }
    }
    env.update(env_overrides, DJANGO_SETTINGS_MODULE="urja.settings.production")
    return subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, cwd=settings.BASE_DIR
    )


GOOD_KEY = "q3V9xk2LmT8pZr4Wn7Yb1Hc6Jd0Fs5Ga-Ue_Ri2Oy9Kw3Mv8QtEh"
HOSTS = {"ALLOWED_HOSTS": "billing.example.org"}


@pytest.mark.parametrize(
    ("overrides", "reason"),
    [
        ({"ALLOWED_HOSTS": "billing.example.org"}, "SECRET_KEY"),
        ({"SECRET_KEY": GOOD_KEY, "DEBUG": "true", "ALLOWED_HOSTS": "billing.example.org"}, "DEBUG"),
        ({"SECRET_KEY": GOOD_KEY, "ALLOWED_HOSTS": "*"}, "ALLOWED_HOSTS"),
        ({"SECRET_KEY": GOOD_KEY[:49], **HOSTS}, "shorter than 50"),
        ({"SECRET_KEY": "abcd" * 20, **HOSTS}, "distinct characters"),
        ({"SECRET_KEY": "django-insecure-" + GOOD_KEY, **HOSTS}, "django-insecure-"),
        ({"SECRET_KEY": "dev-only-insecure-key-change-me", **HOSTS}, "SECRET_KEY"),
        ({"SECRET_KEY": "test-only-key", **HOSTS}, "SECRET_KEY"),
        ({"SECRET_KEY": "sandbox-webhook-secret-not-for-production", **HOSTS}, "SECRET_KEY"),
        ({"SECRET_KEY": GOOD_KEY, "KYC_HASH_KEY": "test-only-kyc-key", **HOSTS}, "KYC_HASH_KEY"),
        ({"SECRET_KEY": GOOD_KEY, "URJA_SANDBOX_GATEWAY_ENABLED": "true", **HOSTS}, "SANDBOX_GATEWAY"),
    ],
)
def test_production_refuses_insecure_settings(overrides, reason):
    result = _production_check(overrides)
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr and reason in result.stderr, result.stderr
    assert "started" not in result.stdout


def test_production_starts_when_configured():
    result = _production_check({"SECRET_KEY": GOOD_KEY, **HOSTS})
    assert result.returncode == 0, result.stderr
    assert "started" in result.stdout


def test_production_settings_mark_themselves_as_production():
    code = "import django; django.setup(); from django.conf import settings; print(settings.URJA_PRODUCTION)"
    result = _production_check({"SECRET_KEY": GOOD_KEY, **HOSTS}, code=code)
    assert result.stdout.strip() == "True", result.stderr
    assert settings.URJA_PRODUCTION is False


def test_security_headers(client):
    response = client.get(reverse("staff:login"))
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert "default-src 'self'" in response.headers["Content-Security-Policy"]


def test_language_choice_is_remembered_for_the_next_login(client, two_subdivisions):
    client.post(reverse("staff:login"), {"username": "je_a", "password": TEST_PASSWORD})
    client.post(reverse("set_language"), {"language": "hi", "next": "/staff/"})
    two_subdivisions["je_a"].refresh_from_db()
    assert two_subdivisions["je_a"].preferred_language == "hi"
    client.post(reverse("staff:logout"))
    client.cookies.clear()
    client.post(reverse("staff:login"), {"username": "je_a", "password": TEST_PASSWORD})
    page = client.get(reverse("staff:home"))
    assert "उपभोक्ता खोजें" in page.content.decode()
