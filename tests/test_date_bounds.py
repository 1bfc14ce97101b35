"""Every date typed into Urja lies between 1900-01-01 and 2099-12-31 (urja.domain.inputs): 0001-01-01,
9999-12-31 and their neighbours are a clear error in every form, endpoint and command, never a 500 from
date arithmetic overflowing, and change nothing."""

import datetime
import json
import zoneinfo

import pytest
import time_machine
from django.core.management import CommandError, call_command
from django.urls import reverse

from urja.api.services import staff_token_issue
from urja.billing.models import BillRun
from urja.ledger.models import LedgerEntry
from urja.metering.models import Meter, MeterInstallation, Reading
from urja.org.choices import Role
from urja.testing import OfficeFactory, UserFactory

pytestmark = pytest.mark.django_db

OUT_OF_RANGE = ["0001-01-01", "9999-12-31", "1899-12-31", "2100-01-01"]
CYCLES = ["0001-01", "9999-12", "०००१-01", "1899-12", "2100-01", "99999-01", "0000-01"]


@pytest.fixture(autouse=True)
def _clock():
    with time_machine.travel(
        datetime.datetime(2026, 11, 20, 10, 0, tzinfo=zoneinfo.ZoneInfo("Asia/Kolkata")), tick=True
    ):
        yield


@pytest.fixture
def admin_user(two_subdivisions):
    return UserFactory(username="sysadmin", role=Role.SYSTEM_ADMIN, office=None, is_superuser=True)


@pytest.fixture
def api(client, admin_user):
    client.raise_request_exception = False
    _, key = staff_token_issue(user=admin_user)
    client.defaults["HTTP_AUTHORIZATION"] = f"Bearer {key}"
    return client


@pytest.fixture
def console(client, admin_user):
    client.raise_request_exception = False
    client.force_login(admin_user)
    return client


@pytest.fixture
def account(two_subdivisions):
    return two_subdivisions["consumer_a"].account_number


def assert_api_date_error(response, field):
    assert response.status_code == 422, response.content[:300]
    body = response.json()
    assert body["code"] == "invalid_input"
    assert field in [e["field"] for e in body["errors"]], body


# --- the API ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("day", OUT_OF_RANGE)
@pytest.mark.parametrize("param", ["from", "to"])
def test_api_statement_period(api, account, day, param):
    response = api.get(f"/api/v1/consumers/{account}/statement", {param: day})
    assert_api_date_error(response, param)


@pytest.mark.parametrize("day", OUT_OF_RANGE)
@pytest.mark.parametrize("param", ["from", "to"])
def test_api_quote_period(api, tariffs, day, param):
    params = {"tariff": "LMV1-URBAN", "load": "2kW", "units": "100", "from": "2026-10-01", "to": "2026-10-31"}
    params[param] = day
    assert_api_date_error(api.get("/api/v1/tariffs/quote", params), param)


@pytest.mark.parametrize("cycle", CYCLES)
def test_api_bill_run_cycle(api, cycle):
    response = api.post("/api/v1/billing/runs", json.dumps({"cycle": cycle}), content_type="application/json")
    assert_api_date_error(response, "cycle")
    assert not BillRun.objects.exists()


def test_api_bill_run_cycle_in_devanagari_digits_is_the_same_month(api, tariffs):
    response = api.post(
        "/api/v1/billing/runs", json.dumps({"cycle": "२०२६-१०"}), content_type="application/json"
    )
    assert response.status_code == 201 and response.json()["cycle"] == "2026-10"


@pytest.fixture
def metered(two_subdivisions):
    consumer = two_subdivisions["consumer_a"]
    meter = Meter.objects.create(serial="M-DATES", digits=6)
    MeterInstallation.objects.create(
        consumer=consumer, meter=meter, installed_on=datetime.date(1, 1, 1)
    )  # legacy data
    return consumer


@pytest.mark.parametrize("day", OUT_OF_RANGE)
def test_api_reading_date(api, metered, day):
    body = {"reading_date": day, "source": "manual", "kwh": "100"}
    response = api.post(
        f"/api/v1/consumers/{metered.account_number}/readings",
        json.dumps(body),
        content_type="application/json",
    )
    assert_api_date_error(response, "reading_date")
    assert not Reading.objects.exists()


# --- the console ------------------------------------------------------------------------------------


@pytest.mark.parametrize("day", OUT_OF_RANGE)
@pytest.mark.parametrize("param", ["from", "to"])
def test_console_statement_period(console, account, day, param):
    page = console.get(reverse("staff:consumer_statement", args=[account]), {param: day})
    assert page.status_code == 400 and "1900" in page.content.decode()
    as_json = console.get(reverse("staff:consumer_statement", args=[account]), {param: day, "format": "json"})
    assert_api_date_error(as_json, param)
    pdf = console.get(reverse("payments:statement_pdf", args=[account]), {param: day})
    assert pdf.status_code == 400


@pytest.mark.parametrize("day", OUT_OF_RANGE)
@pytest.mark.parametrize("field", ["period_from", "period_to"])
def test_console_quote_period(console, tariffs, day, field):
    params = {"tariff": "LMV1-URBAN", "load": "2kW", "units": "100", "period_from": "2026-10-01"}
    params["period_to"] = "2026-10-31"
    params[field] = day
    page = console.get(reverse("staff:tariff_quote"), params)
    assert page.status_code == 200 and page.context["result"] is None
    assert field in page.context["form"].errors


@pytest.mark.parametrize("cycle", CYCLES)
def test_console_bill_run_cycle(console, two_subdivisions, cycle):
    page = console.post(reverse("staff:bill_runs"), {"cycle": cycle, "office": two_subdivisions["sub_a"].pk})
    assert page.status_code == 400
    assert not BillRun.objects.exists()


@pytest.mark.parametrize("day", OUT_OF_RANGE)
@pytest.mark.parametrize(
    ("name", "param"),
    [("payments:summary", "day"), ("payments:summary_offices", "day"), ("payments:settlement_day", "date")],
)
def test_console_report_day(console, day, name, param):
    page = console.get(reverse(name), {param: day})
    assert page.status_code == 400
    assert param in page.context["form"].errors


@pytest.mark.parametrize("day", OUT_OF_RANGE)
def test_console_lpsc_date(console, two_subdivisions, day):
    page = console.post(reverse("payments:lpsc"), {"on": day, "office": two_subdivisions["sub_a"].pk})
    assert page.status_code == 400 and "on" in page.context["form"].errors
    assert not LedgerEntry.objects.exists()


@pytest.mark.parametrize("day", OUT_OF_RANGE)
def test_admin_reading_date(console, metered, day):
    response = console.post(
        reverse("admin:metering_reading_add"),
        {"consumer": metered.pk, "reading_date": day, "status": "OK", "kwh": "100", "source": "manual"},
    )
    assert response.status_code == 200
    assert "reading_date" in response.context["adminform"].form.errors
    assert not Reading.objects.exists()


@pytest.mark.parametrize("day", ["0001-01-01", "9999-12-31"])
def test_admin_dates_of_any_model_are_bounded(console, day):
    office = OfficeFactory(code="X-DISCOM")
    response = console.post(
        reverse("admin:billing_billcycle_add"),
        {
            "code": "2026-01",
            "period_start": day,
            "period_end": "2026-01-31",
            "issue_date": "2026-02-01",
            "due_date": "2026-02-16",
        },  # fmt: skip
    )
    assert response.status_code == 200 and "period_start" in response.context["adminform"].form.errors
    assert office.pk  # nothing else created


# --- services and commands (the field app, the CLI) -----------------------------------------------


@pytest.mark.parametrize("day", [datetime.date(1, 1, 1), datetime.date(1899, 12, 31)])
def test_reading_service_refuses_a_date_out_of_range(metered, day):
    from django.core.exceptions import ValidationError

    from urja.metering.services import reading_record

    with pytest.raises(ValidationError) as caught:
        reading_record(consumer=metered, reading_date=day, kwh=100, source="manual")
    assert "reading_date" in caught.value.message_dict


@pytest.mark.parametrize("cycle", ["0001-01", "9999-12"])
def test_billrun_command_refuses_the_cycle(two_subdivisions, cycle):
    with pytest.raises(CommandError, match="1900"):
        call_command("billrun", "--cycle", cycle)


def test_lpsc_command_refuses_the_date(two_subdivisions):
    with pytest.raises(CommandError, match="1900"):
        call_command("lpsc", "apply", "--on", "0001-01-01")


def test_quote_command_refuses_the_period(tariffs):
    with pytest.raises(CommandError, match="1900"):
        call_command("quote", "--tariff", "LMV1-URBAN", "--load", "2kW", "--units", "100", "--from", "0001-01-01",
                     "--to", "0001-01-31")  # fmt: skip
