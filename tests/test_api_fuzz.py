"""Property-based API check (schemathesis): whatever a client sends to the documented endpoints, the
answer is never a server error. Runs every operation of the OpenAPI schema with generated
parameters, authenticated as a staff user and as a partner."""

import json
from urllib.parse import quote

import pytest
import schemathesis
from hypothesis import HealthCheck, settings

from urja.api_v1 import api as _api
from urja.wsgi_test import application

schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application)


@pytest.fixture(autouse=True)
def _keep_test_connection():
    """Called in-process, the WSGI app would close the database connection at the end of each request
    (and with it the test's transaction); Django's own test client switches that off the same way."""
    from django.core import signals
    from django.db import close_old_connections

    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.fixture
def auth_headers(two_subdivisions):
    from urja.api.services import partner_create, staff_token_issue

    _, staff = staff_token_issue(user=two_subdivisions["sdo_a"])
    _, partner = partner_create(name="Fuzz Bank")
    return {"Authorization": f"Bearer {staff}", "X-API-Key": partner}


@pytest.mark.django_db
@schema.parametrize()
@settings(max_examples=12, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True)
def test_endpoints_never_fail_with_a_server_error(case, auth_headers):
    response = case.call(headers=auth_headers)
    assert response.status_code < 500, (
        f"{case.method} {case.formatted_path} -> {response.status_code}: {response.text[:300]}"
    )


# --- hostile values --------------------------------------------------------------------------------
# Schemathesis generates values from the schema's types, so it seldom sends what breaks a system in
# practice. Every parameter and body field of every operation is also sent each of these, through the
# real URL conf (run on PostgreSQL too, which refuses NUL in text).

HOSTILE = [
    "\x00",
    "a\x00b",
    "²",
    "१२३",
    "１２",
    "1e309",
    "NaN",
    "-Infinity",
    "0001-01-01",
    "9999-12-31",
    "9999-12",
    "9" * 40,
    str(2**64),
    "x" * 5000,
    1e308,
    2**70,
    -1,
]
_SCHEMA = _api.get_openapi_schema()
OPERATIONS = [(method.upper(), path) for path, ops in _SCHEMA["paths"].items() for method in ops]


def _valid(name: str, consumer, staff_username: str):
    """An ordinary value for each parameter or field, so that one hostile value at a time is tested."""
    return {
        "account_number": consumer.account_number,
        "account": consumer.account_number,
        "q": "Consumer",
        "reference": "UTR-FUZZ-1",
        "bill_id": 1,
        "run_id": 1,
        "tariff": "LMV1-URBAN",
        "load": "2kW",
        "units": "100",
        "limit": 10,
        "offset": 0,
        "username": staff_username,
        "password": "wrong-password",
        "amount": "10.00",
        "channel": "UPI",
        "paid_at": "2026-01-01T10:00:00+05:30",
        "cycle": "2026-01",
        "reading_date": "2026-01-01",
        "source": "manual",
        "kwh": "100",
    }.get(name)


def _send(client, method, path, headers, *, path_values, query, body):
    url = path
    for name, value in path_values.items():
        url = url.replace("{" + name + "}", quote(str(value), safe=""))
    if method == "GET":
        return client.get(url, {k: v for k, v in query.items() if v is not None}, **headers)
    if query:
        url += "?" + "&".join(f"{k}={quote(str(v))}" for k, v in query.items())
    return client.post(url, json.dumps(body), content_type="application/json", **headers)


@pytest.mark.django_db
@pytest.mark.parametrize(("method", "path"), OPERATIONS)
def test_hostile_values_never_give_a_server_error(client, two_subdivisions, method, path):
    from urja.api.services import partner_create, staff_token_issue

    client.raise_request_exception = False
    _, staff = staff_token_issue(user=two_subdivisions["sdo_a"])
    _, partner = partner_create(name="Hostile Bank")
    headers = {"HTTP_AUTHORIZATION": f"Bearer {staff}", "HTTP_X_API_KEY": partner}
    consumer = two_subdivisions["consumer_a"]
    operation = _SCHEMA["paths"][path][method.lower()]
    parameters = operation.get("parameters", [])
    body_fields: list[str] = []
    if "requestBody" in operation:
        ref = operation["requestBody"]["content"]["application/json"]["schema"]["$ref"]
        body_fields = list(_SCHEMA["components"]["schemas"][ref.split("/")[-1]]["properties"])

    def base():
        path_values = {
            p["name"]: _valid(p["name"], consumer, "sdo_a") for p in parameters if p["in"] == "path"
        }
        query = {p["name"]: _valid(p["name"], consumer, "sdo_a") for p in parameters if p["in"] == "query"}
        body = {name: _valid(name, consumer, "sdo_a") for name in body_fields}
        return path_values, query, {k: v for k, v in body.items() if v is not None}

    targets = [("path", p["name"]) for p in parameters if p["in"] == "path"]
    targets += [("query", p["name"]) for p in parameters if p["in"] == "query"]
    targets += [("body", name) for name in body_fields]
    failures = []
    for where, name in targets:
        for value in HOSTILE:
            path_values, query, body = base()
            if where == "path":
                path_values[name] = value
            elif where == "query":
                query[name] = value
            else:
                body[name] = value
            response = _send(client, method, path, headers, path_values=path_values, query=query, body=body)
            if response.status_code >= 500:
                failures.append(f"{where} {name}={str(value)[:20]!r} -> {response.status_code}")
    assert not failures, f"{method} {path}: " + "; ".join(failures)
