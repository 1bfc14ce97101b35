"""Every amount or quantity a person or partner types — the counter payment form, adjustments, the
biller API, the bill calculator (console and API), readings (API and admin), bill corrections — takes
hostile numbers (1e309, NaN, Infinity, superscripts, thousands of digits) with a clear 4xx or form
error and changes nothing; digits of another script mean the same number."""

import datetime
import json
import zoneinfo
from decimal import Decimal

import pytest
import time_machine
from django.urls import reverse

from urja.api.services import partner_create, staff_token_issue
from urja.arrears.models import Adjustment
from urja.ledger.models import LedgerEntry
from urja.metering.models import Meter, MeterInstallation, Reading
from urja.payments import cashbooks as cash
from urja.payments.models import Payment
from urja.payments.tests.counter_fixtures import counter_desk

pytestmark = pytest.mark.django_db

HOSTILE = [
    "1e309",
    "-1e309",
    "NaN",
    "sNaN",
    "Infinity",
    "-Infinity",
    "²",
    "1²",
    "１²",
    "9" * 30,
    "1" * 5000,
    "0x10",
]


@pytest.fixture(autouse=True)
def _clock():
    with time_machine.travel(
        datetime.datetime(2026, 11, 20, 10, 0, tzinfo=zoneinfo.ZoneInfo("Asia/Kolkata")), tick=True
    ):
        yield


@pytest.fixture
def quiet(client):
    client.raise_request_exception = False
    return client


def biller_pay(client, key, account, amount):
    body = {
        "account": account,
        "amount": amount,
        "reference": "UTR-HOSTILE",
        "channel": "UPI",
        "paid_at": "2026-11-20T09:00:00+05:30",
    }
    return client.post(
        "/api/v1/biller/payments", json.dumps(body), content_type="application/json", HTTP_X_API_KEY=key
    )


@pytest.mark.parametrize("amount", HOSTILE)
def test_biller_api_amount(quiet, two_subdivisions, amount):
    _, key = partner_create(name="Bank")
    response = biller_pay(quiet, key, two_subdivisions["consumer_a"].account_number, amount)
    assert response.status_code == 422 and response.json()["code"] == "invalid_input"
    assert not Payment.objects.exists()


def test_biller_api_json_number_beyond_float(quiet, two_subdivisions):
    _, key = partner_create(name="Bank")
    body = json.dumps(
        {
            "account": two_subdivisions["consumer_a"].account_number,
            "amount": "AMOUNT",
            "reference": "R1",
            "channel": "UPI",
            "paid_at": "2026-11-20T09:00:00+05:30",
        }
    ).replace('"AMOUNT"', "1e309")  # a JSON number no float can hold
    response = quiet.post(
        "/api/v1/biller/payments", body, content_type="application/json", HTTP_X_API_KEY=key
    )
    assert response.status_code == 422
    assert not Payment.objects.exists()


@pytest.mark.parametrize("amount", ["१००", "１００", "١٠٠"])
def test_biller_api_amount_in_another_script_is_the_same_number(quiet, two_subdivisions, amount):
    _, key = partner_create(name="Bank")
    response = biller_pay(quiet, key, two_subdivisions["consumer_a"].account_number, amount)
    assert response.status_code == 201 and response.json()["amount"] == "100.00"


@pytest.fixture
def desk(two_subdivisions, client):
    desk = counter_desk(two_subdivisions)
    desk["book"] = cash.cash_book_open(counter=desk["counter_a"], cashier=desk["cashier_a"])
    client.force_login(desk["cashier_a"])
    return desk


@pytest.mark.parametrize("amount", HOSTILE)
def test_counter_payment_form_amount(quiet, desk, amount):
    form = {
        "account": desk["consumer_a"].account_number,
        "amount": amount,
        "mode": "cash",
        "token": "tok-0000000001",
    }
    response = quiet.post(reverse("payments:payment_take", args=[desk["book"].pk]), form)
    assert response.status_code == 400 and "amount" in response.context["form"].errors
    assert not Payment.objects.exists()


def test_counter_payment_form_amount_in_devanagari(quiet, desk):
    form = {
        "account": desk["consumer_a"].account_number,
        "amount": "२५०",
        "mode": "cash",
        "token": "tok-0000000002",
        "confirm_advance": "on",  # the account owes nothing
    }
    response = quiet.post(reverse("payments:payment_take", args=[desk["book"].pk]), form)
    assert response.status_code == 302 and Payment.objects.get().amount == Decimal("250.00")


@pytest.mark.parametrize("amount", HOSTILE)
def test_adjustment_form_amount(quiet, two_subdivisions, amount):
    quiet.force_login(two_subdivisions["sdo_a"])
    url = reverse("payments:adjustment_request", args=[two_subdivisions["consumer_a"].account_number])
    response = quiet.post(url, {"amount": amount, "reason": "check"})
    assert response.status_code == 400 and "amount" in response.context["form"].errors
    assert not Adjustment.objects.exists() and not LedgerEntry.objects.exists()


QUOTE = {"tariff": "LMV1-URBAN", "load": "2kW", "units": "100"}


@pytest.mark.parametrize("value", HOSTILE)
@pytest.mark.parametrize("field", ["load", "units", "kvah", "fppas"])
def test_quote_numbers(quiet, two_subdivisions, tariffs, field, value):
    params = {**QUOTE, field: value if field != "load" else f"{value}kW"}
    _, key = staff_token_issue(user=two_subdivisions["sdo_a"])
    api = quiet.get("/api/v1/tariffs/quote", params, HTTP_AUTHORIZATION=f"Bearer {key}")
    assert api.status_code == 422 and api.json()["code"] == "invalid_input"
    quiet.force_login(two_subdivisions["sdo_a"])
    page = quiet.get(reverse("staff:tariff_quote"), params)
    assert page.status_code == 200 and page.context["result"] is None and page.context["form"].errors


@pytest.fixture
def metered(two_subdivisions):
    consumer = two_subdivisions["consumer_a"]
    meter = Meter.objects.create(serial="M-HOSTILE", digits=6)
    MeterInstallation.objects.create(consumer=consumer, meter=meter, installed_on=datetime.date(2020, 1, 1))
    return consumer


@pytest.mark.parametrize("value", HOSTILE)
@pytest.mark.parametrize("field", ["kwh", "kvah", "max_demand", "latitude"])
def test_reading_numbers(quiet, two_subdivisions, metered, field, value):
    body = {
        "reading_date": "2026-11-01",
        "source": "manual",
        "kwh": "100",
        "longitude": "80.9",
        "latitude": "26.8",
    }
    body[field] = value
    _, key = staff_token_issue(user=two_subdivisions["je_a"])
    api = quiet.post(
        f"/api/v1/consumers/{metered.account_number}/readings",
        json.dumps(body),
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {key}",
    )
    assert api.status_code == 422 and api.json()["code"] == "invalid_input"
    quiet.force_login(two_subdivisions["je_a"])
    admin = quiet.post(
        reverse("admin:metering_reading_add"), {"consumer": metered.pk, "status": "OK", **body}
    )
    assert admin.status_code == 200 and field in admin.context["adminform"].form.errors
    assert not Reading.objects.exists()


def test_reading_in_devanagari_digits_is_the_same_number(quiet, two_subdivisions, metered):
    _, key = staff_token_issue(user=two_subdivisions["je_a"])
    body = {"reading_date": "2026-11-01", "source": "manual", "kwh": "१२३४.५"}
    api = quiet.post(
        f"/api/v1/consumers/{metered.account_number}/readings",
        json.dumps(body),
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {key}",
    )
    assert api.status_code == 201 and Decimal(api.json()["kwh"]) == Decimal("1234.5")
