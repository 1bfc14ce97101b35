"""GET /field/api/book/: the contract's shape, only the signed-in reader's orders and work orders, and
the refusals (no session, another role, a consumer's session)."""

import json
from pathlib import Path

import pytest

from urja.domain.engine import BillInput, compute_bill
from urja.field.engine_version import js_engine_version, python_engine_version
from urja.org.choices import Role
from urja.testing import UserFactory
from urja.workflow.services import work_order_assign, work_order_create

from .conftest import PERIOD, login

pytestmark = pytest.mark.django_db
URL = "/field/api/book/"
VECTORS = json.loads((Path(__file__).resolve().parents[3] / "tests" / "vectors" / "bills.json").read_text())


def test_no_session_is_401_json(client):
    response = client.get(URL)
    assert response.status_code == 401 and "error" in response.json()


@pytest.mark.parametrize("role", [Role.CASHIER, Role.HELPDESK, Role.EE])
def test_other_roles_are_403_json(client, field, role):
    user = UserFactory(username=f"x_{role}", role=role, office=field["sub_a"])
    response = login(client, user).get(URL)
    assert response.status_code == 403 and "error" in response.json()


def test_a_consumer_session_is_refused(client, field):
    from urja.portal.session import SESSION_ACCOUNTS, SESSION_CURRENT, SESSION_MOBILE

    consumer = field["consumers"][0]
    session = client.session
    session[SESSION_MOBILE], session[SESSION_ACCOUNTS] = consumer.mobile, [consumer.pk]
    session[SESSION_CURRENT] = consumer.pk
    session.save()
    assert client.get("/account/").status_code in (200, 302)  # a consumer's portal session
    assert client.get(URL).status_code == 401
    assert client.post("/field/api/sync/", "{}", content_type="application/json").status_code in (401, 403)


def test_the_book_has_the_contract_shape(client, field):
    data = login(client, field["reader"]).get(URL).json()
    assert set(data) == {
        "downloaded_at", "reader", "engine", "tariffs", "books", "stops", "work_orders", "receipts",
    }  # fmt: skip
    assert data["reader"] == {"username": "mr_a", "name": "mr_a", "office": "DC-A"}
    assert data["engine"] == {"python_version": python_engine_version(), "js_version": js_engine_version()}
    [book] = data["books"]
    assert book == {
        "id": field["book"].pk,
        "code": "RB-A-1",
        "name": "Ward 1",
        "period": PERIOD,
        "window": ["2026-11-01", "2026-11-10"],
    }
    assert [s["seq"] for s in data["stops"]] == [1, 2, 3]
    stop = data["stops"][0]
    assert set(stop) == {
        "order_id", "book_id", "seq", "account_number", "name", "address", "village", "mobile",
        "category", "status", "meter", "last_reading", "history", "average_units", "arrears",
        "location", "bill_input",
    }  # fmt: skip
    assert stop["account_number"] == field["consumers"][0].account_number
    assert stop["mobile"].startswith("******") and stop["mobile"][-4:] == field["consumers"][0].mobile[-4:]
    assert stop["meter"] == {"serial": "FA0", "digits": 6, "multiplier": "1", "md": False, "kvah": False}
    assert stop["last_reading"] == {"date": "2026-10-31", "kwh": "600", "kvah": None, "status": "OK"}
    assert stop["status"] == "connected" and stop["arrears"] == "0.00"
    assert stop["location"] == {"lat": "26.8", "lon": "80.9"}
    assert data["receipts"] == {"prefix": f"SC-DC-A-{field['reader'].pk}-", "next": 1}


@pytest.mark.clock("2026-11-28T12:00:00+05:30")  # the bill's FPPAS is of the download day's month
def test_tariffs_and_bill_input_are_in_the_vectors_format(client, field):
    data = login(client, field["reader"]).get(URL).json()
    vector_tariff_keys = {key for case in VECTORS for t in case["input"]["tariffs"] for key in t}
    assert data["tariffs"] and all(set(t) <= vector_tariff_keys for t in data["tariffs"])
    assert {"category", "label", "effective_from", "bands", "duty_percent"} <= set(data["tariffs"][0])
    bill_input = data["stops"][0]["bill_input"]
    vector_input_keys = {key for case in VECTORS for key in case["input"]}
    assert set(bill_input) <= vector_input_keys
    assert not {"tariffs", "units", "kvah", "md_kva"} & set(bill_input)
    # the device's bill: computeBill({...bill_input, tariffs, units})
    result = compute_bill(BillInput.from_dict({**bill_input, "tariffs": data["tariffs"], "units": "250"}))
    assert f"{result.payable:.2f}" == "1727.00"


def test_only_the_readers_own_orders(client, field):
    other = login(client, field["reader2"]).get(URL).json()
    assert other["books"] == [] and other["stops"] == []
    client.logout()
    b = login(client, field["reader_b"]).get(URL).json()
    assert [s["account_number"] for s in b["stops"]] == [field["b_consumer"].account_number]


def test_work_orders_assigned_to_the_reader_only(client, field):
    lineman = UserFactory(username="lm_a", role=Role.LINEMAN, office=field["dc_a"])
    mine = work_order_create(
        kind="disconnection",
        office=field["dc_a"],
        consumer=field["consumers"][0],
        reason="dues",
        by=field["je_a"],
    )
    work_order_assign(mine, to=lineman, by=field["je_a"])
    work_order_create(kind="site_inspection", office=field["dc_a"], reason="other", by=field["je_a"])
    data = login(client, lineman).get(URL).json()
    [wo] = data["work_orders"]
    assert set(wo) == {
        "id", "reference", "kind", "account_number", "name", "address", "reason", "due_at", "meter", "last_reading",
    }  # fmt: skip
    assert wo["id"] == mine.pk and wo["kind"] == "disconnection"
    assert wo["meter"]["serial"] == "FA0"
