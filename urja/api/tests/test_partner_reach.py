"""A partner key reaches the biller API and nothing else; a staff token does not reach the biller API.
Every operation of the OpenAPI schema is tried, so an endpoint added later is covered without
touching this file."""

import json
import re

import pytest

from urja.api.services import partner_create, staff_token_issue

pytestmark = pytest.mark.django_db
BILLER = "/api/v1/biller/"


def operations(client):
    schema = client.get("/api/v1/openapi.json").json()
    for path, item in schema["paths"].items():
        for method, operation in item.items():
            if method in {"get", "post", "put", "patch", "delete"}:
                yield path, method, operation


def call(client, method, path, account, **headers):
    url = re.sub(r"\{account_number\}", account, path)
    url = re.sub(r"\{[^}]+\}", "1", url)  # any other id: auth is decided before the id is looked up
    if method == "get":
        return client.get(url, {"account": account, "q": account}, **headers)
    return getattr(client, method)(url, json.dumps({}), content_type="application/json", **headers)


@pytest.fixture
def keys(two_subdivisions):
    _, partner = partner_create(name="State-wide Bank")
    _, staff = staff_token_issue(user=two_subdivisions["sdo_a"])
    return {"partner": {"HTTP_X_API_KEY": partner}, "staff": {"HTTP_AUTHORIZATION": f"Bearer {staff}"}}


def test_the_schema_has_both_kinds_of_operation(client):
    paths = [path for path, _method, _op in operations(client)]
    assert any(p.startswith(BILLER) for p in paths) and any(not p.startswith(BILLER) for p in paths)


def test_a_partner_key_opens_no_operation_outside_the_biller_api(client, two_subdivisions, keys):
    account = two_subdivisions["consumer_a"].account_number
    for path, method, operation in operations(client):
        if path.startswith(BILLER):
            continue
        anonymous = call(client, method, path, account)
        with_key = call(client, method, path, account, **keys["partner"])
        where = f"{method.upper()} {path}"
        if operation.get("security"):
            assert anonymous.status_code == 401, where
            assert with_key.status_code == 401 and with_key.json()["code"] == "unauthorized", where
        else:  # open operations (getting a staff token) answer a key as they answer no credentials
            assert with_key.status_code == anonymous.status_code, where
        assert two_subdivisions["consumer_a"].name not in with_key.content.decode(), where


def test_a_staff_token_opens_no_biller_operation(client, two_subdivisions, keys):
    account = two_subdivisions["consumer_a"].account_number
    seen = 0
    for path, method, _operation in operations(client):
        if not path.startswith(BILLER):
            continue
        seen += 1
        response = call(client, method, path, account, **keys["staff"])
        assert response.status_code == 401, f"{method.upper()} {path}"
        assert call(client, method, path, account, **keys["partner"]).status_code != 401
    assert seen >= 3


def test_the_schema_offers_the_partner_key_only_on_the_biller_api(client):
    for path, method, operation in operations(client):
        schemes = {name for requirement in operation.get("security", []) for name in requirement}
        if path.startswith(BILLER):
            assert schemes == {"PartnerKeyAuth"}, f"{method} {path}"
        else:
            assert "PartnerKeyAuth" not in schemes, f"{method} {path}"


def test_a_bill_fetch_returns_only_what_a_payer_needs(client, two_subdivisions, keys):
    consumer = two_subdivisions["consumer_a"]
    consumer.name, consumer.email = "Ravi Kumar", "ravi@example.com"
    consumer.latitude, consumer.longitude = 26.8467, 80.9462
    consumer.save()
    response = client.get(f"{BILLER}bills", {"account": consumer.account_number}, **keys["partner"])
    assert response.status_code == 200
    body = response.json()
    assert set(body) == {
        "account",
        "name",
        "bill_number",
        "bill_date",
        "due_date",
        "bill_amount",
        "amount_payable",
        "advance",
        "status",
    }
    assert body["name"] == "R*** K****"
    text = response.content.decode()
    for private in (
        "Ravi",
        consumer.mobile,
        consumer.father_husband_name,
        consumer.address,
        consumer.village_town,
        consumer.email,
        "26.8467",
        "80.9462",
    ):
        assert private not in text
