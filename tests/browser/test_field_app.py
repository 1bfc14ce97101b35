"""The field app (/field/) in headless Chromium: offline after one download, readings and a work
order kept across a reload with no network, the outbox sent in batches with client ids so that a
second sync doubles nothing, and a device bill that differs from the server's flagged.

`test_the_app_offline_against_a_recorded_server` answers the book and sync API from this file (so the
app's own behaviour is checked exactly: what it sends, and when); `test_spot_billing_offline_end_to_end`
runs against the real API and asserts on the database."""

import copy
import json
import re
from pathlib import Path

import pytest

from urja.org.choices import Role
from urja.testing import TEST_PASSWORD, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

VECTORS = json.loads((Path(__file__).parents[1] / "vectors" / "bills.json").read_text())
WORKED = next(v for v in VECTORS if v["name"] == "lmv1-urban-worked-check")
PHONE = {"width": 360, "height": 740}


def _bill_input(vector):
    return {k: v for k, v in vector["input"].items() if k not in ("tariffs", "units", "kvah", "md_kva")}


def recorded_book(username="reader_a"):
    stops = []
    for seq, (name, kwh) in enumerate([("Ram Prasad", "12345"), ("Sita Devi", "500"), ("Mohan Lal", "7000")], 1):
        stops.append({
            "order_id": 100 + seq, "book_id": 1, "seq": seq, "account_number": f"100000000{seq}",
            "name": name, "address": f"House {seq}", "village": "Rampur", "mobile": "******3210",
            "category": "LMV1-URBAN", "status": "connected",
            "meter": {"serial": f"MTR{seq}", "digits": 5, "multiplier": "1", "md": False, "kvah": False},
            "last_reading": {"date": "2025-03-31", "kwh": kwh, "kvah": None, "status": "OK"},
            "history": [{"period": "2025-03", "units": "100", "status": "OK"}],
            "average_units": "100", "arrears": "0.00", "location": None,
            "bill_input": _bill_input(WORKED),
        })
    return {
        "downloaded_at": "2025-04-30T09:00:00+05:30",
        "reader": {"username": username, "name": "Reader A", "office": "A-DC"},
        "engine": {"python_version": "urja-py-test"},
        "tariffs": WORKED["input"]["tariffs"],
        "books": [{"id": 1, "code": "RB-1", "name": "Rampur", "period": "2025-04", "window": ["2025-04-25", "2025-04-30"]}],
        "stops": stops,
        "work_orders": [{
            "id": 5, "reference": "WO-5", "kind": "disconnection", "account_number": "1000000009",
            "name": "Kallu", "address": "House 9", "reason": "Arrears", "due_at": "2025-05-02T17:00:00+05:30",
            "meter": {"serial": "MTR9", "digits": 5, "multiplier": "1", "md": False, "kvah": False},
            "last_reading": {"date": "2025-03-31", "kwh": "900", "kvah": None, "status": "OK"},
        }],
        "receipts": {"prefix": "SC-A-DC-7-", "next": 1},
    }


@pytest.fixture
def reader(two_subdivisions):
    return UserFactory(username="reader_a", role=Role.METER_READER, office=two_subdivisions["dc_a"])


@pytest.fixture
def phone(browser):
    context = browser.new_context(viewport=PHONE, locale="en-IN", service_workers="allow")
    page = context.new_page()
    page.errors = []
    page.on("pageerror", lambda e: page.errors.append(str(e)))
    yield page
    context.close()


def sign_in(page, live_server):
    page.goto(f"{live_server.url}/field/")
    assert "/field/login/" in page.url
    page.fill("#id_username", "reader_a")
    page.fill("#id_password", TEST_PASSWORD)
    page.click("button[type=submit].primary")
    page.wait_for_url(f"{live_server.url}/field/")
    page.wait_for_selector("body[data-ready='1']")
    # the service worker has the shell before the network goes
    page.wait_for_function("navigator.serviceWorker.ready.then(r => !!r.active)")
    page.evaluate("navigator.serviceWorker.ready")
    page.wait_for_function("caches.keys().then(k => k.some(n => n.startsWith('urja-field-')))")


def record_reading(page, order_id, kwh, *, confirm=False):
    page.goto(page.url.split("#")[0] + f"#/stop/{order_id}")
    page.wait_for_selector("[data-testid=reading-form]")
    page.fill("#kwh", kwh)
    page.fill("#note", f"read {kwh}")
    page.click("[data-testid=save-reading]")
    if confirm:
        page.wait_for_selector("[data-testid=questions] >> text=far above")
        page.click("[data-testid=save-anyway]")
    page.wait_for_selector("[data-testid=recorded]")


def complete_order(page, order_id, kwh):
    page.goto(page.url.split("#")[0] + f"#/order/{order_id}")
    page.wait_for_selector("[data-testid=order-form]")
    page.fill("#wo_kwh", kwh)
    page.check("#notice")
    page.fill("#remarks", "Disconnected at the pole")
    page.click("[data-testid=save-order]")
    page.wait_for_selector("[data-testid=order-done]")


def outbox(page):
    return page.evaluate("""() => new Promise((resolve, reject) => {
        const open = indexedDB.open('urja-field');
        open.onsuccess = () => {
            const tx = open.result.transaction('outbox');
            const all = tx.objectStore('outbox').getAll();
            all.onsuccess = () => { resolve(all.result); open.result.close(); };
            all.onerror = () => reject(all.error);
        };
        open.onerror = () => reject(open.error);
    })""")


def sync(page):
    before = page.evaluate("document.body.dataset.synced || ''")
    page.goto(page.url.split("#")[0] + "#/outbox")
    page.click("[data-testid=sync]")
    page.wait_for_function(f"(document.body.dataset.synced || '') !== '{before}'")
    page.wait_for_selector("[data-testid=outbox-item]")


class RecordedServer:
    """Answers /field/api/ as the contract says, remembering every item it was sent."""

    def __init__(self, book):
        self.book = book
        self.batches = []
        self.first = {}
        self.photos = {}

    def handle(self, route, request):
        path = re.sub(r"^https?://[^/]+", "", request.url)
        if path.endswith("/field/api/book/"):
            return route.fulfill(status=200, content_type="application/json", body=json.dumps(self.book))
        if "/field/api/photos/" in path:
            pid = path.rstrip("/").rsplit("/", 1)[1]
            if request.method == "HEAD":
                return route.fulfill(status=200 if pid in self.photos else 404, body="")
            self.photos[pid] = request.post_data_buffer
            return route.fulfill(status=200, content_type="application/json", body="{}")
        if path.endswith("/field/api/sync/"):
            assert request.headers.get("x-csrftoken")
            body = json.loads(request.post_data)
            assert len(body["items"]) <= 50
            self.batches.append(body)
            results = []
            for item in body["items"]:
                if item["client_id"] in self.first:
                    results.append({**self.first[item["client_id"]], "result": "duplicate"})
                    continue
                server = {}
                if item["kind"] == "reading":
                    bill = item["payload"]["device_bill"]
                    server = {"reading_id": len(self.first) + 1, "bill_number": f"B{len(self.first) + 1}",
                              "payable": "1727.00", "mismatch": bool(bill) and bill["payable"] != "1727.00"}
                answer = {"client_id": item["client_id"], "result": "accepted", "detail": "", "server": server}
                self.first[item["client_id"]] = answer
                results.append(answer)
            return route.fulfill(status=200, content_type="application/json", body=json.dumps({"results": results}))
        return route.continue_()

    def sent(self, kind):
        return [i for b in self.batches for i in b["items"] if i["kind"] == kind]


def test_the_app_offline_against_a_recorded_server(phone, live_server, reader):
    server = RecordedServer(recorded_book())
    phone.context.route(re.compile(r".*/field/api/(book|sync|photos)/.*"), server.handle)
    sign_in(phone, live_server)
    phone.wait_for_selector("[data-testid=stop]")
    assert phone.locator("[data-testid=stop]").count() == 3
    assert phone.locator("[data-testid=progress]").inner_text() == "0 of 3 done"

    phone.context.set_offline(True)
    phone.wait_for_selector("[data-testid=net] >> text=Offline")
    # a reading below the last one is questioned and can be corrected
    phone.goto(phone.url.split("#")[0] + "#/stop/101")
    phone.fill("#kwh", "12000")
    phone.click("[data-testid=save-reading]")
    phone.wait_for_selector("[data-testid=questions] >> text=below the last one")
    assert outbox(phone) == []
    record_reading(phone, 101, "12595")
    record_reading(phone, 102, "750")
    record_reading(phone, 103, "7900", confirm=True)  # 900 units against an average of 100
    complete_order(phone, 5, "905")

    phone.reload()
    phone.wait_for_selector("body[data-ready='1']")
    phone.goto(phone.url.split("#")[0] + "#/")
    phone.wait_for_selector("[data-testid=progress] >> text=3 of 3 done")
    items = outbox(phone)
    assert sorted(i["kind"] for i in items) == ["reading", "reading", "reading", "work_order"]
    assert all(i["state"] == "pending" for i in items)
    assert server.batches == []
    first = next(i for i in items if i["payload"].get("order_id") == 101)
    assert first["payload"]["kwh"] == "12595" and first["payload"]["status"] == "OK"
    assert first["units"] == "250"
    order = next(i for i in items if i["kind"] == "work_order")
    assert order["payload"]["result"]["readings"] == {"kwh": "905"}
    assert order["payload"]["result"]["notice_delivered"] is True

    phone.context.set_offline(False)
    sync(phone)
    phone.wait_for_function("document.querySelectorAll('[data-testid=outbox-item][data-state=pending]').length === 0")
    assert len(server.sent("reading")) == 3 and len(server.sent("work_order")) == 1
    assert len({i["client_id"] for i in server.sent("reading")}) == 3

    # a second sync sends nothing more; a lost answer resent gets "duplicate" and changes nothing
    sent = len(server.batches)
    sync(phone)
    assert len(server.batches) == sent


def test_the_app_checks_the_session_and_the_roles(browser, live_server, two_subdivisions):
    UserFactory(username="cashier_a", role=Role.CASHIER, office=two_subdivisions["dc_a"])
    context = browser.new_context(viewport=PHONE, locale="hi-IN")
    page = context.new_page()
    page.goto(f"{live_server.url}/field/login/")
    page.fill("#id_username", "cashier_a")
    page.fill("#id_password", TEST_PASSWORD)
    page.click("button[type=submit].primary")
    assert page.locator("[data-testid=login-error]").is_visible()
    assert "/field/login/" in page.url
    context.close()
