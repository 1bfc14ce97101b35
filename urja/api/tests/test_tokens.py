"""Staff API tokens end when the password changes or the user leaves, and can be revoked by the user
and by an administrator."""

import pytest
from django.urls import reverse

from urja.api.models import StaffToken
from urja.api.services import staff_token_issue
from urja.org.choices import Role
from urja.testing import TEST_PASSWORD, UserFactory

pytestmark = pytest.mark.django_db


def me(client, key):
    return client.get("/api/v1/auth/me", HTTP_AUTHORIZATION=f"Bearer {key}")


def login(client, username):
    r = client.post(
        "/api/v1/auth/token",
        {"username": username, "password": TEST_PASSWORD},
        content_type="application/json",
    )
    assert r.status_code == 200, r.content
    return r.json()["token"]


def test_a_password_change_ends_every_token(client, two_subdivisions):
    key = login(client, "je_a")
    assert me(client, key).status_code == 200
    user = two_subdivisions["je_a"]
    user.set_password("a-new-and-better-password")
    user.save()
    assert me(client, key).status_code == 401
    # A token taken with the new password works.
    r = client.post(
        "/api/v1/auth/token",
        {"username": "je_a", "password": "a-new-and-better-password"},
        content_type="application/json",
    )
    assert me(client, r.json()["token"]).status_code == 200


def test_a_deactivated_user_has_no_working_token(client, two_subdivisions):
    key = login(client, "je_a")
    user = two_subdivisions["je_a"]
    user.is_active = False
    user.save()
    assert me(client, key).status_code == 401


def test_revoke_the_presented_token(client, two_subdivisions):
    first, second = login(client, "je_a"), login(client, "je_a")
    r = client.post("/api/v1/auth/token/revoke", HTTP_AUTHORIZATION=f"Bearer {first}")
    assert r.status_code == 200 and r.json() == {"revoked": 1}
    assert me(client, first).status_code == 401
    assert me(client, second).status_code == 200
    # A revoked token cannot revoke again.
    assert client.post("/api/v1/auth/token/revoke", HTTP_AUTHORIZATION=f"Bearer {first}").status_code == 401


def test_revoke_all_my_tokens(client, two_subdivisions):
    mine = [login(client, "je_a") for _ in range(3)]
    theirs = login(client, "je_b")
    r = client.post("/api/v1/auth/token/revoke-all", HTTP_AUTHORIZATION=f"Bearer {mine[0]}")
    assert r.status_code == 200 and r.json() == {"revoked": 3}
    assert all(me(client, key).status_code == 401 for key in mine)
    assert me(client, theirs).status_code == 200
    row = StaffToken.objects.filter(user=two_subdivisions["je_a"]).first()
    assert row.revoked_at is not None and row.revoked_by == two_subdivisions["je_a"]


def test_revoke_needs_a_token(client):
    r = client.post("/api/v1/auth/token/revoke")
    assert r.status_code == 401 and r.json()["code"] == "unauthorized"


def test_an_administrator_revokes_tokens_in_the_admin(client, two_subdivisions):
    admin_user = UserFactory(username="sysadmin", role=Role.SYSTEM_ADMIN, is_staff=True)
    key = login(client, "je_a")
    other = login(client, "je_b")
    token = StaffToken.objects.get(user=two_subdivisions["je_a"])
    client.force_login(admin_user)
    r = client.post(
        reverse("admin:api_stafftoken_changelist"),
        {"action": "revoke_tokens", "_selected_action": [token.pk]},
    )
    assert r.status_code == 302
    assert me(client, key).status_code == 401
    assert me(client, other).status_code == 200
    token.refresh_from_db()
    assert token.revoked_by == admin_user and token.revoked_at is not None


def test_an_office_administrator_cannot_revoke_tokens_outside_the_office(client, two_subdivisions):
    office_admin = UserFactory(
        username="subadmin", role=Role.SYSTEM_ADMIN, is_staff=True, office=two_subdivisions["sub_a"]
    )
    other = login(client, "je_b")
    token = StaffToken.objects.get(user=two_subdivisions["je_b"])
    client.force_login(office_admin)
    client.post(
        reverse("admin:api_stafftoken_changelist"),
        {"action": "revoke_tokens", "_selected_action": [token.pk]},
    )
    assert me(client, other).status_code == 200


def test_tokens_are_stored_hashed_with_the_password_fingerprint(two_subdivisions):
    row, key = staff_token_issue(user=two_subdivisions["je_a"])
    assert key not in row.key_hash and row.session_hash


# The token endpoint with odd input: a clear error, never a 500.


@pytest.mark.parametrize(
    "body",
    [
        {"username": "je\x00a", "password": TEST_PASSWORD},
        {"username": "je_a", "password": "pass\x00word"},
        {"username": "je_a\ud800", "password": TEST_PASSWORD},
        {"username": "je_a", "password": "\udfff"},
        {"username": "", "password": ""},
        {"username": "x" * 10_000, "password": "y"},
    ],
)
def test_odd_credentials_are_refused_not_a_500(client, two_subdivisions, body):
    r = client.post("/api/v1/auth/token", body, content_type="application/json")
    assert r.status_code in (401, 422), r.content
    assert r.json()["code"] in ("bad_credentials", "invalid_input")


@pytest.mark.parametrize(
    "body", ['{"username": ["je_a"], "password": 1}', "[]", '"je_a"', '{"username": "je_a"}', "null"]
)
def test_malformed_token_requests_are_invalid_input(client, body):
    r = client.post("/api/v1/auth/token", body, content_type="application/json")
    assert r.status_code in (400, 422) and "code" in r.json(), r.content


@pytest.mark.parametrize("header", ["Bearer ", "Bearer \u0905", "Basic abc", "Bearer " + "x" * 5000])
def test_odd_bearer_tokens_are_401(client, header):
    r = client.get("/api/v1/auth/me", HTTP_AUTHORIZATION=header)
    assert r.status_code == 401 and r.json()["code"] == "unauthorized"


def test_a_nul_in_the_bearer_token_is_invalid_input(client):
    # RequestInputMiddleware refuses a NUL anywhere in a request before any view or authentication.
    r = client.get("/api/v1/auth/me", HTTP_AUTHORIZATION="Bearer a\x00b")
    assert r.status_code == 422 and r.json()["code"] == "invalid_input"


def test_tokens_survive_a_secret_key_rotation_only_through_the_fallbacks(client, two_subdivisions, settings):
    key = login(client, "je_a")
    old_secret = settings.SECRET_KEY
    settings.SECRET_KEY = "a-new-secret-key-for-this-test-" + "x1y2z3" * 5
    settings.SECRET_KEY_FALLBACKS = [old_secret]
    assert me(client, key).status_code == 200
    settings.SECRET_KEY_FALLBACKS = []
    assert me(client, key).status_code == 401
