import pytest
from django.core.management import call_command

from urja.api.models import Partner
from urja.api.services import staff_token_issue

pytestmark = pytest.mark.django_db


def test_openapi_schema_served(client):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    paths = response.json()["paths"]
    assert "/api/v1/consumers" in paths and "/api/v1/consumers/{account_number}" in paths


def test_unauthenticated_is_json_401(client):
    response = client.get("/api/v1/consumers", {"q": "x"})
    assert response.status_code == 401
    assert response.json()["code"] == "unauthorized"


def test_bad_input_is_json_not_500(client, two_subdivisions):
    _, key = staff_token_issue(user=two_subdivisions["je_a"])
    auth = {"HTTP_AUTHORIZATION": f"Bearer {key}"}
    missing = client.get("/api/v1/consumers", **auth)
    assert missing.status_code == 422 and missing.json()["code"] == "invalid_input"
    for junk in ("abc", "123", "%00", "x" * 500, "1234567890"):
        r = client.get(f"/api/v1/consumers/{junk}", **auth)
        assert r.status_code == 404 and r.json()["code"] == "not_found"
    bad_json = client.post("/api/v1/auth/token", "{not json", content_type="application/json")
    assert bad_json.status_code in (400, 422) and "code" in bad_json.json()


def test_token_login_and_me(client, two_subdivisions):
    from urja.testing import TEST_PASSWORD

    r = client.post(
        "/api/v1/auth/token", {"username": "je_a", "password": TEST_PASSWORD}, content_type="application/json"
    )
    assert r.status_code == 200
    token = r.json()["token"]
    me = client.get("/api/v1/auth/me", HTTP_AUTHORIZATION=f"Bearer {token}")
    assert me.json()["office_code"] == "DC-A"


def test_search_by_name_mobile_account(client, two_subdivisions):
    _, key = staff_token_issue(user=two_subdivisions["sdo_a"])
    consumer = two_subdivisions["consumer_a"]
    auth = {"HTTP_AUTHORIZATION": f"Bearer {key}"}
    for q in (consumer.account_number, consumer.mobile, "+91" + consumer.mobile, "consumer of a"):
        rows = client.get("/api/v1/consumers", {"q": q}, **auth).json()
        assert [row["account_number"] for row in rows] == [consumer.account_number], q


def test_partner_command_prints_working_key(client, two_subdivisions, capsys):
    call_command("partner", "create", "State Bank")
    key = capsys.readouterr().out.strip().splitlines()[-1]
    assert key.startswith("urjapk_")
    partner = Partner.objects.get(name="State Bank")
    assert key not in (partner.key_hash, partner.key_prefix)
    account = two_subdivisions["consumer_b"].account_number
    r = client.get("/api/v1/biller/bills", {"account": account}, HTTP_X_API_KEY=key)
    assert r.status_code == 200
    assert (
        client.get("/api/v1/biller/bills", {"account": account}, HTTP_X_API_KEY=key + "x").status_code == 401
    )
