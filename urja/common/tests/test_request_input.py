"""Input no page or endpoint can take is refused before any view runs, with a clear 4xx and nothing
changed: a NUL character anywhere in the request (PostgreSQL cannot store NUL in text and failed the
query with a 500), and a body over Django's upload limits (a 500 in the API, where the endpoint first
read the body). These run on SQLite and on PostgreSQL."""

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse

from urja.api.services import partner_create, staff_token_issue
from urja.arrears.models import Adjustment
from urja.payments.models import Payment
from urja.testing import TEST_PASSWORD

pytestmark = pytest.mark.django_db
NUL = "\x00"
BIG = "x" * (3 * 1024 * 1024)  # over DATA_UPLOAD_MAX_MEMORY_SIZE (2.5 MB)


def bearer(user):
    _, key = staff_token_issue(user=user)
    return {"HTTP_AUTHORIZATION": f"Bearer {key}"}


def post_json(client, url, body, **headers):
    return client.post(url, json.dumps(body), content_type="application/json", **headers)


def assert_invalid(response, field):
    assert response.status_code == 422, response.content[:300]
    body = response.json()
    assert body["code"] == "invalid_input"
    assert [e["field"] for e in body["errors"]] == [field]
    assert "NUL" in body["errors"][0]["message"]


@pytest.fixture
def api_client(client):
    client.raise_request_exception = False
    return client


@pytest.mark.parametrize("field", ["username", "password"])
def test_token_endpoint_refuses_a_nul_in_the_credentials(api_client, two_subdivisions, field):
    body = {"username": "je_a", "password": TEST_PASSWORD}
    body[field] = body[field][:2] + NUL + body[field][2:]
    assert_invalid(post_json(api_client, "/api/v1/auth/token", body), field)


def test_token_endpoint_still_works(api_client, two_subdivisions):
    response = post_json(api_client, "/api/v1/auth/token", {"username": "je_a", "password": TEST_PASSWORD})
    assert response.status_code == 200 and response.json()["token"]


def test_a_nul_in_a_query_parameter_is_invalid_input(api_client, two_subdivisions):
    response = api_client.get("/api/v1/consumers", {"q": f"Ram{NUL}"}, **bearer(two_subdivisions["sdo_a"]))
    assert_invalid(response, "q")


def test_a_nul_in_the_path_is_not_found(api_client, two_subdivisions):
    _, key = partner_create(name="Bank")
    response = api_client.get("/api/v1/biller/payments/UTR%001", HTTP_X_API_KEY=key)
    assert response.status_code == 404 and response.json()["code"] == "not_found"


def test_a_nul_in_a_console_path_is_not_found(console):
    assert console.get("/staff/consumers/19%00/").status_code == 404


def test_a_nul_deep_in_a_json_body_is_invalid_input_and_posts_nothing(api_client, two_subdivisions):
    _, key = partner_create(name="Bank")
    body = {
        "account": two_subdivisions["consumer_a"].account_number,
        "amount": "100.00",
        "reference": "UTR1",
        "channel": f"BB{NUL}PS",
        "paid_at": "2026-01-01T10:00:00+05:30",
    }
    assert_invalid(post_json(api_client, "/api/v1/biller/payments", body, HTTP_X_API_KEY=key), "channel")
    assert not Payment.objects.exists()
    nested = {"cycle": "2026-01", "office_code": None, "extra": [{"note": NUL}]}
    response = post_json(api_client, "/api/v1/billing/runs", nested, **bearer(two_subdivisions["sdo_a"]))
    assert_invalid(response, "extra.0.note")


def test_a_raw_nul_byte_in_a_body_is_invalid_input(api_client, two_subdivisions):
    response = api_client.post(
        "/api/v1/auth/token", b'{"username": "a\x00", "password": "b"}', "application/json"
    )
    assert_invalid(response, "")


def test_an_escaped_backslash_before_u0000_is_not_a_nul(api_client, two_subdivisions):
    body = json.dumps({"username": "je_a\\u0000", "password": "nope"})
    assert "\\\\u0000" in body
    response = api_client.post("/api/v1/auth/token", body, "application/json")
    assert response.status_code == 401


def test_a_body_over_the_limit_is_a_413_in_json(api_client, two_subdivisions):
    response = post_json(api_client, "/api/v1/auth/token", {"username": BIG, "password": "x"})
    assert response.status_code == 413
    assert response.json()["code"] == "request_too_large"
    reading = post_json(
        api_client,
        f"/api/v1/consumers/{two_subdivisions['consumer_a'].account_number}/readings",
        {"reading_date": "2026-01-01", "source": "manual", "remarks": BIG},
        **bearer(two_subdivisions["je_a"]),
    )
    assert reading.status_code == 413 and reading.json()["code"] == "request_too_large"


# --- the console and the admin ----------------------------------------------------------------------


@pytest.fixture
def console(client, two_subdivisions):
    client.raise_request_exception = False
    client.force_login(two_subdivisions["sdo_a"])
    return client


def assert_refused_page(response, status=400, text="NUL"):
    assert response.status_code == status, response.content[:300]
    assert response["Content-Type"].startswith("text/html")
    assert text in response.content.decode()


@pytest.mark.parametrize(
    "url",
    [
        "/staff/?q=Ram%00",
        "/admin/customers/consumer/?q=%00",
        "/admin/customers/consumer/?q=19%00",
        "/staff/payments/summary/?day=2026-01-01%00",
    ],
)
def test_console_and_admin_refuse_a_nul_in_the_url(console, url):
    assert_refused_page(console.get(url))


@pytest.mark.parametrize("field", ["username", "password"])
def test_the_login_page_refuses_a_nul(client, two_subdivisions, field):
    client.raise_request_exception = False
    data = {"username": "je_a", "password": TEST_PASSWORD}
    data[field] += NUL
    assert_refused_page(client.post(reverse("staff:login"), data))


def test_a_console_form_with_a_nul_changes_nothing(console, two_subdivisions):
    consumer = two_subdivisions["consumer_a"]
    url = reverse("payments:adjustment_request", args=[consumer.account_number])
    assert_refused_page(console.post(url, {"amount": "-10.00", "reason": f"typo{NUL}"}))
    assert not Adjustment.objects.exists()


def test_the_refusal_page_speaks_the_users_language(console):
    console.cookies["django_language"] = "hi"
    response = console.get("/staff/?q=%00")
    assert response.status_code == 400
    assert 'lang="hi"' in response.content.decode()


def test_a_multipart_field_with_a_nul_is_refused(console, two_subdivisions):
    # (Django itself drops unprintable characters from an uploaded file's name.)
    two_subdivisions["sdo_a"].is_superuser = True
    two_subdivisions["sdo_a"].save()
    upload = SimpleUploadedFile("file.csv", b"reference,amount\n", content_type="text/csv")
    assert_refused_page(
        console.post(reverse("payments:settlements"), {"source": f"SBI{NUL}", "file": upload})
    )


def test_a_cookie_with_a_nul_is_refused(console):
    session = console.cookies["sessionid"].value
    # A cookie value may carry an octal escape, which Django reads as the character.
    response = console.get("/staff/", HTTP_COOKIE=f'sessionid={session}; urja_note="a\\000b"')
    assert_refused_page(response)


def test_a_console_body_over_the_limit_is_a_413_page(console):
    assert_refused_page(console.post(reverse("staff:bill_runs"), {"cycle": BIG}), 413, "2.5")


@override_settings(DATA_UPLOAD_MAX_NUMBER_FIELDS=5)
def test_too_many_fields_is_a_400_page(console):
    response = console.post(reverse("staff:bill_runs"), {f"f{i}": "1" for i in range(10)})
    assert_refused_page(response, 400, "fields")


def test_an_upload_over_the_upload_limit_is_a_413_page(console, settings):
    settings.URJA = {**settings.URJA, "UPLOAD_MAX_BYTES": 1024}
    upload = SimpleUploadedFile("big.csv", b"x" * 4096, content_type="text/csv")
    response = console.post(reverse("payments:settlements"), {"source": "SBI", "file": upload})
    assert_refused_page(response, 413, "MB")


def test_ordinary_requests_pass(console, two_subdivisions):
    consumer = two_subdivisions["consumer_a"]
    assert console.get("/staff/", {"q": consumer.name}).status_code == 200
    statement = console.get(reverse("staff:consumer_statement", args=[consumer.account_number]))
    assert statement.status_code == 200


@pytest.mark.parametrize(
    "url",
    [
        "/staff/billing/bills/{n}/",
        "/staff/billing/runs/{n}/",
        "/staff/payments/payments/{n}/",
        "/staff/payments/books/{n}/",
        "/staff/payments/counters/{n}/",
    ],
)
@pytest.mark.parametrize("number", [2**63, 2**64, int("9" * 40)])
def test_an_id_beyond_64_bits_in_a_console_url_is_not_found(console, two_subdivisions, url, number):
    two_subdivisions["sdo_a"].is_superuser = True
    two_subdivisions["sdo_a"].save()
    assert console.get(url.format(n=number)).status_code == 404


@pytest.mark.parametrize("depth", [900, 5000, 100_000])
def test_a_deeply_nested_json_body_with_a_nul_is_a_4xx(api_client, depth):
    body = '{"username": ' + "[" * depth + '"\\u0000"' + "]" * depth + ', "password": "x"}'
    response = api_client.post("/api/v1/auth/token", body, content_type="application/json")
    assert response.status_code in (400, 422) and "code" in response.json()
