"""POST /field/api/sync/: per-item answers, idempotency per client id, the spot bill and its comparison
with the device's, the conflict rules and the attacker's paths."""

import json
import uuid
from decimal import Decimal

import pytest

from urja.billing.models import Bill
from urja.customers.models import Consumer
from urja.domain.engine import BillInput, compute_bill
from urja.field.models import BillMismatch, Conflict, PrintAttempt, ReadingOrder, SyncItem
from urja.field.services import route_book_assign
from urja.ledger.models import LedgerEntry
from urja.metering.models import Reading
from urja.metering.services import reading_record
from urja.org.choices import Role
from urja.payments.models import Payment
from urja.testing import UserFactory
from urja.workflow.models import WorkOrder
from urja.workflow.services import work_order_assign, work_order_create

from .conftest import item, login

# A reader reads inside the period (2026-11): a bill served 60 days or more late carries the late-bill
# rebate, and the demo's orders are for the current month, so these tests set their day.
pytestmark = [pytest.mark.django_db, pytest.mark.clock("2026-11-28T12:00:00+05:30")]
BOOK, SYNC = "/field/api/book/", "/field/api/sync/"


def post(client, items, device_id="dev-1"):
    return client.post(
        SYNC, json.dumps({"device_id": device_id, "items": items}), content_type="application/json"
    )


def reading_payload(stop, book, kwh="850", status="OK", device=True, **extra):
    device_bill = None
    if device and status == "OK":
        units = str(Decimal(kwh) - Decimal(stop["last_reading"]["kwh"]))
        device_bill = compute_bill(
            BillInput.from_dict({**stop["bill_input"], "tariffs": book["tariffs"], "units": units})
        ).to_dict()
    return {
        "order_id": stop["order_id"],
        "account_number": stop["account_number"],
        "reading_date": "2026-11-20",
        "taken_at": "2026-11-20T10:00:00+05:30",
        "status": status,
        "kwh": kwh if status == "OK" else None,
        "kvah": None,
        "max_demand": None,
        "note": "",
        "gps": {"lat": "26.8001", "lon": "80.9001", "accuracy": "8"},
        "photo_id": None,
        "engine_version": "urja-js-1",
        "device_bill": device_bill,
        **extra,
    }


@pytest.fixture
def reader_client(client, field):
    login(client, field["reader"])
    book = client.get(BOOK).json()
    return client, book


def test_three_readings_are_recorded_billed_and_nothing_doubles(reader_client, field):
    client, book = reader_client
    items = [item("reading", reading_payload(stop, book)) for stop in book["stops"]]
    first = post(client, items).json()["results"]
    assert [r["result"] for r in first] == ["accepted"] * 3
    assert [r["client_id"] for r in first] == [i["client_id"] for i in items]
    server = first[0]["server"]
    assert set(server) == {"reading_id", "bill_number", "payable", "mismatch"}
    assert server["payable"] == "1727.00" and server["mismatch"] is False
    assert set(first[0]) == {"client_id", "result", "detail", "server"}
    ids = [c.pk for c in field["consumers"]]
    counts = (
        Reading.objects.filter(consumer_id__in=ids, source="spot").count(),
        Bill.objects.filter(consumer_id__in=ids).count(),
        LedgerEntry.objects.filter(consumer_id__in=ids).count(),
    )
    assert counts == (3, 3, 3)
    again = post(client, items).json()["results"]
    assert [r["result"] for r in again] == ["duplicate"] * 3
    assert [r["server"] for r in again] == [r["server"] for r in first]
    assert (
        Reading.objects.filter(consumer_id__in=ids, source="spot").count(),
        Bill.objects.filter(consumer_id__in=ids).count(),
        LedgerEntry.objects.filter(consumer_id__in=ids).count(),
    ) == counts
    assert not BillMismatch.objects.exists() and not Conflict.objects.exists()
    assert set(ReadingOrder.objects.filter(consumer_id__in=ids).values_list("status", flat=True)) == {"done"}


def test_a_device_bill_that_differs_is_flagged_never_overwritten(reader_client, field):
    client, book = reader_client
    payload = reading_payload(book["stops"][0], book)
    payload["device_bill"]["payable"] = "1700.00"
    payload["device_bill"]["lines"][0]["amount"] = "800.00"
    [result] = post(client, [item("reading", payload)]).json()["results"]
    assert result["result"] == "accepted" and result["server"]["mismatch"] is True
    mismatch = BillMismatch.objects.get()
    assert mismatch.device_bill["payable"] == "1700.00" and mismatch.engine_version == "urja-js-1"
    assert {"field": "payable", "server": "1727.00", "device": "1700.00"} in mismatch.differences
    bill = Bill.objects.get(consumer=field["consumers"][0])
    assert bill.payable == Decimal("1727.00")


def test_conflict_when_a_reading_already_exists_for_the_period(reader_client, field):
    client, book = reader_client
    reading_record(
        consumer=field["consumers"][0],
        reading_date=field_date("2026-11-15"),
        kwh=Decimal("800"),
        source="manual",
    )
    [result] = post(client, [item("reading", reading_payload(book["stops"][0], book))]).json()["results"]
    assert result["result"] == "conflict" and result["server"] == {"conflict": "reading_exists"}
    conflict = Conflict.objects.get()
    assert conflict.kind == "reading_exists" and conflict.payload["kwh"] == "850"
    assert Reading.objects.filter(consumer=field["consumers"][0]).count() == 3  # 2 history + the manual one
    assert not Bill.objects.filter(consumer=field["consumers"][0]).exists()


def field_date(text):
    import datetime

    return datetime.date.fromisoformat(text)


def test_conflict_when_disconnected_since_download(reader_client, field):
    client, book = reader_client
    Consumer.objects.filter(pk=field["consumers"][1].pk).update(status="td")
    [result] = post(client, [item("reading", reading_payload(book["stops"][1], book))]).json()["results"]
    assert result["result"] == "conflict" and Conflict.objects.get().kind == "disconnected"
    assert not Reading.objects.filter(consumer=field["consumers"][1], source="spot").exists()


def test_conflict_when_category_changed_since_download(reader_client, field):
    client, book = reader_client
    Consumer.objects.filter(pk=field["consumers"][2].pk).update(category="LMV2-URBAN")
    [result] = post(client, [item("reading", reading_payload(book["stops"][2], book))]).json()["results"]
    assert result["result"] == "conflict" and Conflict.objects.get().kind == "category_changed"


def test_conflict_when_the_book_was_reassigned(reader_client, field):
    client, book = reader_client
    route_book_assign(book=field["book"], reader=field["reader2"], by=field["je_a"])
    [result] = post(client, [item("reading", reading_payload(book["stops"][0], book))]).json()["results"]
    assert result["result"] == "conflict" and Conflict.objects.get().kind == "reassigned"
    assert not Reading.objects.filter(source="spot").exists()


def test_another_readers_order_is_rejected(client, field):
    login(client, field["reader_b"])
    b_book = client.get(BOOK).json()
    client.logout()
    login(client, field["reader2"])  # same DC as the order, but never given it
    a_order = ReadingOrder.objects.filter(consumer=field["consumers"][0]).get()
    payload = reading_payload(
        {
            **b_book["stops"][0],
            "order_id": a_order.pk,
            "account_number": field["consumers"][0].account_number,
        },
        b_book,
        device=False,
    )
    [result] = post(client, [item("reading", payload)]).json()["results"]
    assert result["result"] == "rejected"
    client.logout()
    login(client, field["reader_b"])  # another office
    [result] = post(client, [item("reading", payload)]).json()["results"]
    assert result["result"] == "rejected"
    assert not Reading.objects.filter(source="spot").exists() and not Conflict.objects.exists()


def test_a_lineman_cannot_send_a_reading(reader_client, field):
    client, book = reader_client
    payload = reading_payload(book["stops"][0], book)
    client.logout()
    login(client, UserFactory(username="lm_x", role=Role.LINEMAN, office=field["dc_a"]))
    [result] = post(client, [item("reading", payload)]).json()["results"]
    assert result["result"] == "rejected" and not Reading.objects.filter(source="spot").exists()


def test_a_client_id_of_someone_else_is_not_answered(reader_client, field):
    client, book = reader_client
    shared = str(uuid.uuid4())
    post(client, [item("reading", reading_payload(book["stops"][0], book), shared)])
    client.logout()
    login(client, field["reader2"])
    [result] = post(client, [item("reading", {"order_id": 1}, shared)]).json()["results"]
    assert result["result"] == "rejected" and result["server"] == {}


def test_refusals_of_the_endpoint(client, field):
    assert post(client, []).status_code in (401, 403)
    cashier = UserFactory(username="cash_x", role=Role.CASHIER, office=field["sub_a"])
    login(client, cashier)
    assert post(client, []).status_code == 403
    client.logout()
    login(client, field["reader"])
    assert post(client, [item("print", {})] * 51).status_code == 400
    assert client.post(SYNC, "not json", content_type="application/json").status_code == 400
    [bad] = post(client, [{"client_id": "nope", "kind": "reading", "payload": {}}]).json()["results"]
    assert bad["result"] == "rejected"


def test_sync_needs_the_csrf_token(field):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    login(client, field["reader"])
    assert post(client, []).status_code == 403
    client.get(BOOK)
    token = client.cookies["csrftoken"].value  # set by the book's download
    response = client.post(
        SYNC,
        json.dumps({"device_id": "d", "items": []}),
        content_type="application/json",
        HTTP_X_CSRFTOKEN=token,
    )
    assert response.status_code == 200 and response.json() == {"results": []}


def test_payment_posts_once_into_the_readers_cash_book(reader_client, field):
    client, book = reader_client
    prefix = book["receipts"]["prefix"]
    payload = {
        "account_number": book["stops"][0]["account_number"],
        "amount": "500.00",
        "receipt_number": f"{prefix}0001",
        "paid_at": "2026-11-28T10:00:00+05:30",
        "bill_number": None,
    }
    [first] = post(client, [item("payment", payload)]).json()["results"]
    assert first["result"] == "accepted" and set(first["server"]) == {"payment_id", "receipt_number"}
    payment = Payment.objects.get()
    assert (payment.channel, payment.source, payment.reference) == ("cash", "spot", f"{prefix}0001")
    assert payment.cash_book.cashier == field["reader"] and payment.receipt_number.startswith(prefix)
    # a new client id for the same receipt (the device lost its answer): still one posting
    [second] = post(client, [item("payment", payload)]).json()["results"]
    assert second["result"] == "accepted" and second["server"] == first["server"]
    assert Payment.objects.count() == 1
    # same receipt number, another amount: the supervisor's
    [third] = post(client, [item("payment", {**payload, "amount": "600.00"})]).json()["results"]
    assert third["result"] == "conflict" and Conflict.objects.get().kind == "payment"
    assert client.get(BOOK).json()["receipts"]["next"] == 2
    # not the reader's series, not an account of their books
    [wrong] = post(client, [item("payment", {**payload, "receipt_number": "SC-X-1-0002"})]).json()["results"]
    assert wrong["result"] == "conflict"
    other = {
        **payload,
        "account_number": field["b_consumer"].account_number,
        "receipt_number": f"{prefix}0003",
    }
    [foreign] = post(client, [item("payment", other)]).json()["results"]
    assert foreign["result"] == "rejected"
    assert Payment.objects.count() == 1


def test_work_order_completes_once_and_only_the_assignees(client, field):
    lineman = UserFactory(username="lm_a", role=Role.LINEMAN, office=field["dc_a"])
    other = UserFactory(username="lm_a2", role=Role.LINEMAN, office=field["dc_a"])
    order = work_order_create(kind="site_inspection", office=field["dc_a"], reason="check", by=field["je_a"])
    work_order_assign(order, to=lineman, by=field["je_a"])
    payload = {
        "order_id": order.pk,
        "outcome": "done",
        "result": {
            "readings": {"kwh": "1234"},
            "remarks": "ok",
            "gps": {"lat": 26.8, "lon": 80.9},
            "photo_ids": [],
        },
    }
    login(client, other)
    [refused] = post(client, [item("work_order", payload)]).json()["results"]
    assert refused["result"] == "rejected"
    client.logout()
    login(client, lineman)
    entry = item("work_order", payload)
    [done] = post(client, [entry]).json()["results"]
    assert done["result"] == "accepted" and done["server"]["status"] == "done"
    order.refresh_from_db()
    assert order.completion_key == entry["client_id"]
    assert order.result["readings"] == [{"register": "kwh", "value": "1234"}]
    [again] = post(client, [entry]).json()["results"]
    assert again["result"] == "duplicate"
    assert WorkOrder.objects.get(pk=order.pk).status == "done"


def test_print_attempts_never_issue_and_reprints_are_duplicates(reader_client, field):
    client, book = reader_client
    [reading] = post(client, [item("reading", reading_payload(book["stops"][0], book))]).json()["results"]
    number = reading["server"]["bill_number"]
    attempt = {
        "bill_number": number,
        "copy": "original",
        "width_mm": 58,
        "ok": True,
        "at": "2026-11-20T10:01:00+05:30",
    }
    [first] = post(client, [item("print", attempt)]).json()["results"]
    [second] = post(client, [item("print", attempt)]).json()["results"]
    assert (first["server"]["duplicate"], second["server"]["duplicate"]) == (False, True)
    assert list(PrintAttempt.objects.order_by("id").values_list("copy", flat=True)) == [
        "original",
        "duplicate",
    ]
    [foreign] = post(client, [item("print", {**attempt, "bill_number": "nope"})]).json()["results"]
    assert foreign["result"] == "rejected"
    assert SyncItem.objects.filter(kind="print").count() == 3


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_simultaneous_uploads_of_one_client_id_have_one_effect(tariffs, field):
    from django.test import Client

    from urja.testing import run_concurrently

    client = login(Client(), field["reader"])
    book = client.get(BOOK).json()
    entry = item("reading", reading_payload(book["stops"][0], book))
    clients = [login(Client(), field["reader"]) for _ in range(2)]
    answers = run_concurrently(2, lambda i: post(clients[i], [entry]).json()["results"][0]["result"])
    assert sorted(answers) == ["accepted", "duplicate"], answers
    assert Reading.objects.filter(source="spot").count() == 1
    assert Bill.objects.filter(consumer=field["consumers"][0]).count() == 1
    assert SyncItem.objects.count() == 1


@pytest.mark.parametrize(
    "change",
    [
        {"kwh": "1e400"},
        {"kwh": 850.5},
        {"kwh": "NaN"},
        {"reading_date": "2026-13-45"},
        {"reading_date": "2026-12-01"},
        {"status": "BURNT"},
        {"gps": {"lat": "x", "lon": []}},
        {"order_id": "17"},
        {"account_number": "1234567890"},
    ],
)
def test_hostile_readings_are_rejected_one_by_one(reader_client, field, change):
    client, book = reader_client
    bad = item("reading", {**reading_payload(book["stops"][0], book), **change})
    good = item("reading", reading_payload(book["stops"][1], book))
    response = post(client, [bad, good])
    assert response.status_code == 200
    results = response.json()["results"]
    assert results[0]["result"] == "rejected", results[0]
    assert results[1]["result"] == "accepted"
    assert Reading.objects.filter(source="spot").count() == 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_devices_reading_one_order_at_once_give_one_reading_and_a_conflict(tariffs, field):
    from django.test import Client

    from urja.testing import run_concurrently

    client = login(Client(), field["reader"])
    book = client.get(BOOK).json()
    payload = reading_payload(book["stops"][0], book)
    entries = [item("reading", payload), item("reading", payload)]  # two client ids, one order
    clients = [login(Client(), field["reader"]) for _ in range(2)]
    answers = run_concurrently(2, lambda i: post(clients[i], [entries[i]]).json()["results"][0]["result"])
    assert sorted(answers) == ["accepted", "conflict"], answers
    assert Reading.objects.filter(source="spot").count() == 1
    assert Conflict.objects.get().kind == "reading_exists"


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_one_receipt_sent_twice_at_once_posts_once(tariffs, field):
    from django.test import Client

    from urja.testing import run_concurrently

    client = login(Client(), field["reader"])
    book = client.get(BOOK).json()
    payload = {
        "account_number": book["stops"][0]["account_number"],
        "amount": "300.00",
        "receipt_number": f"{book['receipts']['prefix']}0007",
        "paid_at": "2026-11-28T10:00:00+05:30",
        "bill_number": None,
    }
    clients = [login(Client(), field["reader"]) for _ in range(2)]
    answers = run_concurrently(2, lambda i: post(clients[i], [item("payment", payload)]).json()["results"][0])
    assert [a["result"] for a in answers] == ["accepted", "accepted"], answers
    assert answers[0]["server"] == answers[1]["server"]
    assert Payment.objects.count() == 1


def test_a_work_orders_photo_opens_from_the_staff_console(client, field):
    """The lineman's photo, sent with the completed order, is a link on the order's console page that
    the office's JE opens; a user of another office gets nothing."""
    lineman = UserFactory(username="lm_p", role=Role.LINEMAN, office=field["dc_a"])
    order = work_order_create(kind="site_inspection", office=field["dc_a"], reason="check", by=field["je_a"])
    work_order_assign(order, to=lineman, by=field["je_a"])
    photo_uuid = str(uuid.uuid4())
    login(client, lineman)
    jpeg = b"\xff\xd8\xff\xe0" + b"\x00" * 500 + b"\xff\xd9"
    assert client.put(f"/field/api/photos/{photo_uuid}/", jpeg, content_type="image/jpeg").status_code == 201
    payload = {
        "order_id": order.pk,
        "outcome": "done",
        "result": {"remarks": "ok", "photo_ids": [photo_uuid]},
    }
    [done] = post(client, [item("work_order", payload)]).json()["results"]
    assert done["result"] == "accepted"
    client.logout()
    login(client, field["je_a"])
    page = client.get(f"/staff/work/orders/{order.pk}/").content.decode()
    link = f"/field/supervisor/photos/{photo_uuid}/"
    assert f'href="{link}"' in page
    shown = client.get(link)
    assert shown.status_code == 200 and shown.content == jpeg
    client.logout()
    login(client, field["je_b"])
    assert client.get(link).status_code in (403, 404)


def test_a_meter_replacement_synced_from_the_field_replaces_the_meter(client, field):
    from urja.metering.models import MeterInstallation
    from urja.metering.tests.factories import make_meter

    consumer = field["consumers"][0]
    spare = make_meter(office=field["dc_a"])
    lineman = UserFactory(username="lm_r", role=Role.LINEMAN, office=field["dc_a"])
    order = work_order_create(
        kind="meter_replacement", office=field["dc_a"], consumer=consumer, reason="burnt", by=field["je_a"]
    )
    work_order_assign(order, to=lineman, by=field["je_a"])
    login(client, lineman)
    readings = {"old_final_kwh": "99999", "new_meter_serial": "NO-SUCH-METER", "new_initial_kwh": "0"}
    payload = {"order_id": order.pk, "outcome": "done", "result": {"readings": readings, "remarks": "ok"}}
    [refused] = post(client, [item("work_order", payload)]).json()["results"]
    assert refused["result"] in ("rejected", "conflict") and "NO-SUCH-METER" in refused["detail"]
    current = MeterInstallation.objects.get(consumer=consumer, removed_on__isnull=True)
    readings_so_far = [r.kwh for r in consumer.readings.all() if r.kwh is not None]
    last = max([current.initial_reading, *readings_so_far]) + 25
    readings.update(old_final_kwh=str(last), new_meter_serial=spare.serial)
    [done] = post(client, [item("work_order", payload)]).json()["results"]
    assert done["result"] == "accepted", done
    now = MeterInstallation.objects.get(consumer=consumer, removed_on__isnull=True)
    assert now.meter == spare and MeterInstallation.objects.get(pk=current.pk).final_reading == last
