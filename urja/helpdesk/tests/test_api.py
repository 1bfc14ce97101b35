import json

import pytest

from urja.api.services import staff_token_issue
from urja.helpdesk import services as hd
from urja.helpdesk.choices import Channel
from urja.helpdesk.models import Ticket

API = "/api/v1/helpdesk"


def auth(user):
    _, key = staff_token_issue(user=user)
    return {"HTTP_AUTHORIZATION": f"Bearer {key}"}


def post(client, url, body, user):
    return client.post(url, json.dumps(body), content_type="application/json", **auth(user))


@pytest.fixture
def t(helpdesk):
    return hd.ticket_file(
        category=helpdesk["cat"]["no_supply"],
        description="No light",
        channel=Channel.PHONE,
        by=helpdesk["agent"],
        consumer=None,
        office=helpdesk["dc_a"],
        caller_mobile="9123456789",
    )


def test_file_list_and_read_a_ticket(client, helpdesk):
    s = helpdesk
    r = post(
        client,
        f"{API}/tickets",
        {"category": "voltage", "description": "Low voltage", "account_number": s["indexed"].account_number},
        s["agent"],
    )
    assert r.status_code == 201, r.content
    number = r.json()["number"]
    assert r.json()["office"] == "DC-A"
    r = client.get(f"{API}/tickets", **auth(s["je_a"]))
    assert [row["number"] for row in r.json()["items"]] == [number]
    assert (
        post(client, f"{API}/tickets/{number}/notes", {"text": "Lineman sent"}, s["je_a"]).status_code == 201
    )
    detail = client.get(f"{API}/tickets/{number}", **auth(s["je_a"])).json()
    assert [(e["kind"], e["internal"]) for e in detail["events"]] == [("filed", False), ("note", True)]
    assert [c["code"] for c in client.get(f"{API}/categories", **auth(s["agent"])).json()][:2] == [
        "no_supply",
        "voltage",
    ]


def test_other_office_404_and_role_403(client, helpdesk, t):
    s = helpdesk
    assert client.get(f"{API}/tickets/{t.number}", **auth(s["je_b"])).status_code == 404
    assert post(client, f"{API}/tickets/{t.number}/notes", {"text": "x"}, s["je_b"]).status_code == 404
    assert client.get(f"{API}/tickets/{t.number}", **auth(s["cashier"])).status_code == 403
    assert client.get(f"{API}/tickets", **auth(s["cashier"])).status_code == 403
    assert (
        post(
            client,
            f"{API}/tickets",
            {"category": "other", "description": "x", "office": "DC-A"},
            s["cashier"],
        ).status_code
        == 403
    )
    assert t.number not in client.get(f"{API}/tickets", **auth(s["je_b"])).content.decode()


def test_mobile_masked_and_bad_input_refused(client, helpdesk, t):
    s = helpdesk
    detail = client.get(f"{API}/tickets/{t.number}", **auth(s["je_a"])).json()
    assert detail["caller_mobile"] != "9123456789" and detail["caller_mobile"].endswith("6789")
    url = f"{API}/tickets"
    assert (
        post(
            client, url, {"category": "nope", "description": "x", "office": "DC-B"}, s["agent_b"]
        ).status_code
        == 422
    )
    # an office outside agent_b's sub-division, a bad mobile, no office and no account
    assert (
        post(
            client, url, {"category": "other", "description": "x", "office": "DC-A"}, s["agent_b"]
        ).status_code
        == 422
    )
    bad_mobile = {"category": "other", "description": "x", "office": "DC-B", "caller_mobile": "123"}
    assert post(client, url, bad_mobile, s["agent_b"]).status_code == 422
    assert post(client, url, {"category": "other", "description": "x"}, s["agent_b"]).status_code == 422
    account_elsewhere = {
        "category": "other",
        "description": "x",
        "account_number": s["indexed"].account_number,
    }
    assert post(client, url, account_elsewhere, s["agent_b"]).status_code == 404
    assert Ticket.objects.count() == 1
