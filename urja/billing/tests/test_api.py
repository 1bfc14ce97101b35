import datetime
from decimal import Decimal

import pytest

from urja.api.services import staff_token_issue
from urja.billing import runs
from urja.billing.models import Bill, BillRun
from urja.metering.services import reading_record

from .conftest import metered_consumer

# The scenario: a July 2026 bill, read through the API on 28 November 2026 (IST).
pytestmark = [pytest.mark.django_db, pytest.mark.clock("2026-11-28T12:00:00+05:30")]
JULY_END = datetime.date(2026, 7, 31)


def auth(user):
    _, key = staff_token_issue(user=user)
    return {"HTTP_AUTHORIZATION": f"Bearer {key}"}


@pytest.fixture
def billed(billing_office):
    a = metered_consumer(billing_office, serial="M1")
    reading_record(consumer=a, reading_date=JULY_END, kwh=Decimal(850), source="manual")
    runs.bill_run(cycle_code="2026-07", office=billing_office)
    return a, Bill.objects.get(consumer=a)


def test_consumer_bills_latest_first_and_scoped(
    client, two_subdivisions, billed, django_assert_max_num_queries
):
    consumer, bill = billed
    url = f"/api/v1/consumers/{consumer.account_number}/bills"
    with django_assert_max_num_queries(5):
        response = client.get(url, **auth(two_subdivisions["je_a"]))
    assert response.status_code == 200
    items = response.json()["items"]
    assert [(i["bill_number"], i["payable"], i["units"]) for i in items] == [
        (bill.bill_number, "1727.00", "250.00")
    ]
    other = client.get(url, **auth(two_subdivisions["je_b"]))
    assert other.status_code == 404 and other.json()["code"] == "not_found"
    assert client.get(url).status_code == 401


def test_bill_detail_lines_and_totals_as_strings(client, two_subdivisions, billed):
    _, bill = billed
    response = client.get(f"/api/v1/bills/{bill.id}", **auth(two_subdivisions["je_a"]))
    assert response.status_code == 200
    data = response.json()
    assert data["totals"]["payable"] == "1727.00" and data["totals"]["energy_charge"] == "1425.00"
    assert all(isinstance(v, str) and len(v.rsplit(".", 1)[1]) == 2 for v in data["totals"].values())
    assert {line["head"] for line in data["lines"]} >= {"energy", "fixed", "electricity_duty"}
    assert all(isinstance(line["amount"], str) for line in data["lines"])
    assert client.get(f"/api/v1/bills/{bill.id}", **auth(two_subdivisions["sdo_b"])).status_code == 404
    assert client.get("/api/v1/bills/999999", **auth(two_subdivisions["sdo_a"])).status_code == 404


def test_bill_pdf(client, two_subdivisions, billed):
    _, bill = billed
    response = client.get(f"/api/v1/bills/{bill.id}/pdf", **auth(two_subdivisions["je_a"]))
    try:
        import urja.billing.pdf  # noqa: F401
    except ImportError:
        assert response.status_code == 503 and response.json()["code"] == "unavailable"
    else:
        assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert client.get(f"/api/v1/bills/{bill.id}/pdf", **auth(two_subdivisions["je_b"])).status_code == 404


def test_statement_adds_up(client, two_subdivisions, billed):
    consumer, _ = billed
    url = f"/api/v1/consumers/{consumer.account_number}/statement"
    data = client.get(
        url, {"from": "2026-01-01", "to": "2026-11-28"}, **auth(two_subdivisions["je_a"])
    ).json()
    assert data["from"] == "2026-01-01" and data["to"] == "2026-11-28"
    opening, closing = Decimal(data["opening_balance"]), Decimal(data["closing_balance"])
    moved = sum(Decimal(line["debit"]) - Decimal(line["credit"]) for line in data["lines"])
    assert opening + moved == closing == Decimal("1727.00")
    assert data["lines"][-1]["balance"] == data["closing_balance"]
    default = client.get(url, **auth(two_subdivisions["je_a"])).json()
    assert default["from"] == "2025-12-01"
    bad = client.get(url, {"from": "2026-09-01", "to": "2026-01-01"}, **auth(two_subdivisions["je_a"]))
    assert bad.status_code == 422
    assert client.get(url, {"from": "junk"}, **auth(two_subdivisions["je_a"])).status_code == 422
    assert client.get(url, **auth(two_subdivisions["je_b"])).status_code == 404


@pytest.mark.parametrize(
    ("now", "default_from", "default_to"),
    [
        ("2026-11-28T12:00:00+05:30", "2025-12-01", "2026-11-28"),
        ("2026-12-01T00:10:00+05:30", "2026-01-01", "2026-12-01"),  # still 30 November in UTC
        ("2027-04-01T00:20:00+05:30", "2026-05-01", "2027-04-01"),
        ("2028-02-29T23:50:00+05:30", "2027-03-01", "2028-02-29"),
        ("2027-11-28T12:00:00+05:30", "2026-12-01", "2027-11-28"),
    ],
)
def test_statement_defaults_to_twelve_months_ending_today_in_ist(
    client, two_subdivisions, billed, travel, now, default_from, default_to
):
    consumer, _ = billed
    travel.move_to(datetime.datetime.fromisoformat(now))
    url = f"/api/v1/consumers/{consumer.account_number}/statement"
    data = client.get(url, **auth(two_subdivisions["je_a"])).json()
    assert (data["from"], data["to"]) == (default_from, default_to)
    assert Decimal(data["closing_balance"]) == Decimal("1727.00")


def test_ageing(client, two_subdivisions, billed):
    consumer, _ = billed
    url = f"/api/v1/consumers/{consumer.account_number}/ageing"
    data = client.get(url, **auth(two_subdivisions["je_a"])).json()
    assert data["outstanding"] == "1727.00" and not data["stale_dues"]
    assert set(data["buckets"]) == {"0-30", "31-90", "91-180", "181-365", ">365"}
    assert data["buckets"]["91-180"] == "1727.00"  # due 2026-08-16, 104 days before 2026-11-28
    assert client.get(url, **auth(two_subdivisions["je_b"])).status_code == 404


def test_start_run_and_read_it(client, two_subdivisions, billing_office):
    a = metered_consumer(billing_office, serial="M1")
    reading_record(consumer=a, reading_date=JULY_END, kwh=Decimal(850), source="manual")
    sdo = auth(two_subdivisions["sdo_a"])
    response = client.post(
        "/api/v1/billing/runs",
        {"cycle": "2026-07", "office_code": "DC-A"},
        content_type="application/json",
        **sdo,
    )
    assert response.status_code == 201
    run = response.json()
    assert (run["status"], run["accounts"], run["billed"], run["held"], run["cycle"]) == (
        "done",
        2,
        2,
        0,
        "2026-07",
    )
    assert run["partitions"][0]["office_code"] == "DC-A"
    assert client.get(f"/api/v1/billing/runs/{run['id']}", **sdo).json()["billed"] == 2
    assert (
        client.get(f"/api/v1/billing/runs/{run['id']}", **auth(two_subdivisions["sdo_b"])).status_code == 404
    )


def test_start_run_refusals(client, two_subdivisions):
    post = lambda body, user: client.post(  # noqa: E731
        "/api/v1/billing/runs", body, content_type="application/json", **auth(two_subdivisions[user])
    )
    assert post({"cycle": "2026-07"}, "je_a").status_code == 403
    assert post({"cycle": "2026-13"}, "sdo_a").status_code == 422
    assert post({"cycle": "July"}, "sdo_a").status_code == 422
    assert post({}, "sdo_a").status_code == 422
    assert post({"cycle": "2026-07", "office_code": "DC-B"}, "sdo_a").status_code == 404
    assert not BillRun.objects.exists()
    # Without an office: the caller's own.
    response = post({"cycle": "2026-07"}, "sdo_a")
    assert response.status_code == 201 and response.json()["office_code"] == "SUB-A"
