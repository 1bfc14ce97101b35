import datetime
import json
import urllib.error
import urllib.request
from decimal import Decimal

import pytest

from urja.api.services import partner_create
from urja.billing import runs
from urja.billing.models import Bill
from urja.billing.tests.conftest import metered_consumer
from urja.domain import account_number as acct
from urja.ledger import services as ledger
from urja.ledger.choices import EntryType
from urja.ledger.models import LedgerEntry
from urja.ledger.selectors import balance
from urja.metering.services import reading_record
from urja.payments.models import Payment
from urja.testing import ConsumerFactory, run_concurrently

# The scenario: a July 2026 bill paid through a partner on 28 November 2026 (IST).
pytestmark = pytest.mark.clock("2026-11-28T12:00:00+05:30")
D = Decimal
BILLS = "/api/v1/biller/bills"
PAYMENTS = "/api/v1/biller/payments"
PAID_AT = "2026-11-28T10:15:00+05:30"
BAD_CHECK_DIGIT = acct.make(2, 7)[:-1] + str((int(acct.make(2, 7)[-1]) + 1) % 10)


def key_of(partner_and_key):
    return {"HTTP_X_API_KEY": partner_and_key[1]}


@pytest.fixture
def bank(db):
    return partner_create(name="State Bank")


@pytest.fixture
def billed(two_subdivisions):
    """Ravi Kumar in DC A with an issued July 2026 bill of ₹1727.00."""
    consumer = metered_consumer(two_subdivisions["dc_a"], serial="M1")
    consumer.name = "Ravi Kumar"
    consumer.save(update_fields=["name"])
    reading_record(consumer=consumer, reading_date=datetime.date(2026, 7, 31), kwh=D(850), source="manual")
    runs.bill_run(cycle_code="2026-07", office=two_subdivisions["dc_a"])
    return consumer, Bill.objects.get(consumer=consumer)


def pay(client, key, account, amount="500.00", reference="UTR1", channel="BBPS", paid_at=PAID_AT):
    body = {
        "account": account,
        "amount": amount,
        "reference": reference,
        "channel": channel,
        "paid_at": paid_at,
    }
    return client.post(PAYMENTS, json.dumps(body), content_type="application/json", **key)


@pytest.mark.django_db
class TestBillFetch:
    def test_latest_bill_and_amount_due(self, client, bank, billed):
        consumer, bill = billed
        response = client.get(BILLS, {"account": consumer.account_number}, **key_of(bank))
        assert response.status_code == 200
        assert response.json() == {
            "account": consumer.account_number,
            "name": "R*** K****",
            "bill_number": bill.bill_number,
            "bill_date": bill.issue_date.isoformat(),
            "due_date": bill.due_date.isoformat(),
            "bill_amount": "1727.00",
            "amount_payable": "1727.00",
            "advance": "0.00",
            "status": "overdue",
        }

    def test_amount_payable_is_the_balance_and_never_negative(self, client, bank, billed):
        consumer, _bill = billed
        pay(client, key_of(bank), consumer.account_number, amount="727")
        part = client.get(BILLS, {"account": consumer.account_number}, **key_of(bank)).json()
        assert (part["bill_amount"], part["amount_payable"], part["status"]) == (
            "1727.00",
            "1000.00",
            "overdue",
        )
        pay(client, key_of(bank), consumer.account_number, amount="1100", reference="UTR2")
        ahead = client.get(BILLS, {"account": consumer.account_number}, **key_of(bank)).json()
        assert (ahead["amount_payable"], ahead["advance"], ahead["status"]) == ("0.00", "100.00", "no_dues")

    def test_account_without_bills(self, client, bank, two_subdivisions):
        consumer = two_subdivisions["consumer_b"]
        data = client.get(BILLS, {"account": consumer.account_number}, **key_of(bank)).json()
        assert (
            data["bill_number"] is None and data["amount_payable"] == "0.00" and data["status"] == "no_dues"
        )

    def test_mistyped_account_is_422_unknown_is_404(self, client, bank, billed):
        consumer, _bill = billed
        number = consumer.account_number
        typo = number[:-1] + str((int(number[-1]) + 1) % 10)
        bad = client.get(BILLS, {"account": typo}, **key_of(bank))
        assert bad.status_code == 422 and bad.json()["code"] == "invalid_account"
        assert "check digit" in bad.json()["message"]
        assert client.get(BILLS, {"account": "12ab"}, **key_of(bank)).status_code == 422
        assert client.get(BILLS, **key_of(bank)).status_code == 422
        unknown = client.get(BILLS, {"account": acct.make(2, 1)}, **key_of(bank))
        assert unknown.status_code == 404 and unknown.json()["code"] == "not_found"

    def test_key_required(self, client, billed):
        consumer, _bill = billed
        for headers in ({}, {"HTTP_X_API_KEY": "urjapk_wrong"}):
            response = client.get(BILLS, {"account": consumer.account_number}, **headers)
            assert response.status_code == 401 and response.json()["code"] == "unauthorized"
        assert pay(client, {"HTTP_X_API_KEY": "nope"}, consumer.account_number).status_code == 401
        assert not Payment.objects.exists()

    def test_office_scoped_partner_sees_only_its_office(self, client, two_subdivisions):
        local = partner_create(name="Gramin Bank A", office=two_subdivisions["sub_a"])
        mine, other = two_subdivisions["consumer_a"], two_subdivisions["consumer_b"]
        assert client.get(BILLS, {"account": mine.account_number}, **key_of(local)).status_code == 200
        hidden = client.get(BILLS, {"account": other.account_number}, **key_of(local))
        assert hidden.status_code == 404 and hidden.json()["code"] == "not_found"
        refused = pay(client, key_of(local), other.account_number)
        assert refused.status_code == 404 and not Payment.objects.exists()


@pytest.mark.django_db
class TestPaymentPost:
    def test_post_returns_receipt_201(self, client, bank, billed):
        consumer, bill = billed
        response = pay(client, key_of(bank), consumer.account_number, amount="1000.50", channel="upi")
        assert response.status_code == 201
        receipt = response.json()
        payment = Payment.objects.get()
        assert receipt["receipt_number"] == payment.receipt_number
        assert (receipt["account"], receipt["amount"], receipt["reference"], receipt["channel"]) == (
            consumer.account_number,
            "1000.50",
            "UTR1",
            "UPI",
        )
        assert receipt["allocation"] == [{"period": "2026-07", "kind": "principal", "amount": "1000.50"}]
        assert receipt["advance"] == "0.00" and receipt["status"] == "posted"
        assert datetime.datetime.fromisoformat(receipt["paid_at"]) == datetime.datetime.fromisoformat(PAID_AT)
        assert payment.partner_id == bank[0].pk and payment.channel == "partner"
        assert payment.source == f"partner:{bank[0].pk}"
        assert balance(consumer.pk) == bill.payable - D("1000.50")

    def test_same_reference_again_is_200_same_receipt_posts_nothing(self, client, bank, billed):
        consumer, bill = billed
        first = pay(client, key_of(bank), consumer.account_number, amount="500")
        again = pay(client, key_of(bank), consumer.account_number, amount=500.0)
        assert (first.status_code, again.status_code) == (201, 200)
        assert again.json() == first.json()
        assert Payment.objects.count() == 1
        assert LedgerEntry.objects.filter(entry_type=EntryType.PAYMENT).count() == 1
        assert balance(consumer.pk) == bill.payable - D("500")

    def test_same_reference_other_amount_or_account_is_409(self, client, bank, billed, two_subdivisions):
        consumer, _bill = billed
        original = pay(client, key_of(bank), consumer.account_number, amount="500").json()
        for account, amount in (
            (consumer.account_number, "500.01"),
            (two_subdivisions["consumer_b"].account_number, "500"),
        ):
            response = pay(client, key_of(bank), account, amount=amount)
            assert response.status_code == 409
            body = response.json()
            assert body["code"] == "reference_conflict" and body["message"]
            assert body["receipt_number"] == original["receipt_number"]
        assert Payment.objects.count() == 1

    def test_references_are_per_partner(self, client, bank, billed):
        consumer, _bill = billed
        other = partner_create(name="Paytm")
        assert pay(client, key_of(bank), consumer.account_number).status_code == 201
        assert pay(client, key_of(other), consumer.account_number).status_code == 201
        assert Payment.objects.count() == 2

    @pytest.mark.parametrize(
        "change",
        [
            {"amount": "10.001"},
            {"amount": 10.001},
            {"amount": "0"},
            {"amount": "-5"},
            {"amount": -5},
            {"amount": "abc"},
            {"amount": "1e3"},
            {"amount": True},
            {"amount": None},
            {"amount": "NaN"},
            {"amount": "99999999999999"},
            {"account": BAD_CHECK_DIGIT},
            {"account": "abc"},
            {"reference": ""},
            {"reference": "has space"},
            {"reference": "x" * 65},
            {"channel": ""},
            {"channel": "C" * 21},
            {"paid_at": "2026-11-28T10:15:00"},
            {"paid_at": "yesterday"},
            {"paid_at": "2027-01-01T10:00:00+05:30"},
        ],
    )
    def test_bad_input_is_422_json_and_posts_nothing(self, client, bank, billed, change):
        consumer, _bill = billed
        body = {
            "account": consumer.account_number,
            "amount": "100.00",
            "reference": "UTR9",
            "channel": "BBPS",
            "paid_at": PAID_AT,
            **change,
        }
        response = client.post(PAYMENTS, json.dumps(body), content_type="application/json", **key_of(bank))
        assert response.status_code == 422, response.content
        assert response.json()["code"] in ("invalid_input", "invalid_account")
        assert not Payment.objects.exists()

    def test_malformed_json_is_not_500(self, client, bank):
        response = client.post(PAYMENTS, "{not json", content_type="application/json", **key_of(bank))
        assert response.status_code in (400, 422) and "code" in response.json()

    def test_float_with_two_decimals_is_exact(self, client, bank, billed):
        consumer, _bill = billed
        assert pay(client, key_of(bank), consumer.account_number, amount=1727.1).status_code == 201
        assert Payment.objects.get().amount == D("1727.10")

    def test_get_receipt_by_own_reference_only(self, client, bank, billed):
        consumer, _bill = billed
        posted = pay(client, key_of(bank), consumer.account_number).json()
        mine = client.get(f"{PAYMENTS}/UTR1", **key_of(bank))
        assert mine.status_code == 200 and mine.json() == posted
        other = partner_create(name="Paytm")
        assert client.get(f"{PAYMENTS}/UTR1", **key_of(other)).status_code == 404
        assert client.get(f"{PAYMENTS}/UNKNOWN", **key_of(bank)).json()["code"] == "not_found"


@pytest.mark.django_db
def test_openapi_documents_the_biller_api(client):
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    assert {"/api/v1/biller/bills", "/api/v1/biller/payments", "/api/v1/biller/payments/{reference}"} <= set(
        paths
    )
    post = paths["/api/v1/biller/payments"]["post"]
    assert {"200", "201", "401", "404", "409", "422"} <= set(post["responses"])
    assert post["summary"] and "reference" in post["description"]
    assert "ledger balance" in paths["/api/v1/biller/bills"]["get"]["description"]


# --- PostgreSQL: real HTTP, real concurrency ---------------------------------------------------------


def _post_json(url, key, body):
    request = urllib.request.Request(
        url,
        data=json.dumps(body).encode(),
        headers={"Content-Type": "application/json", "X-API-Key": key},
        method="POST",
    )
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as exc:
        return exc.code, json.loads(exc.read() or b"{}")


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_twenty_concurrent_requests_same_reference_post_once(live_server, two_subdivisions):
    consumer = two_subdivisions["consumer_a"]
    _partner, key = partner_create(name="BBPS agent")
    body = {
        "account": consumer.account_number,
        "amount": "250.00",
        "reference": "BBPS-SAME-1",
        "channel": "BBPS",
        "paid_at": PAID_AT,
    }
    results = run_concurrently(20, lambda i: _post_json(f"{live_server.url}{PAYMENTS}", key, body))
    statuses = sorted(status for status, _ in results)
    assert statuses == [200] * 19 + [201], results
    assert len({data["receipt_number"] for _, data in results}) == 1
    assert Payment.objects.count() == 1
    assert LedgerEntry.objects.filter(entry_type=EntryType.PAYMENT).count() == 1
    assert balance(consumer.pk) == D("-250.00")


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_twenty_concurrent_different_payments_to_one_account_all_post(live_server, two_subdivisions):
    consumer = two_subdivisions["consumer_a"]
    ledger.entry_post(
        consumer=consumer,
        entry_type=EntryType.BILL,
        amount=D("1500.00"),
        entry_date=datetime.date(2026, 8, 1),
        due_date=datetime.date(2026, 8, 15),
        period="2026-07",
        description="bill 2026-07",
    )
    _partner, key = partner_create(name="UPI app")

    def post(i):
        body = {
            "account": consumer.account_number,
            "amount": f"{100 + i}.25",
            "reference": f"UPI-{i}",
            "channel": "UPI",
            "paid_at": PAID_AT,
        }
        return _post_json(f"{live_server.url}{PAYMENTS}", key, body)

    results = run_concurrently(20, post)
    assert [status for status, _ in results] == [201] * 20, results
    assert len({data["receipt_number"] for _, data in results}) == 20
    total = sum(D(f"{100 + i}.25") for i in range(20))
    assert Payment.objects.count() == 20
    assert balance(consumer.pk) == D("1500.00") - total
    assert sum((p.advance for p in Payment.objects.all()), D("0")) == total - D("1500.00")
    # Another consumer's account is untouched by the race.
    assert balance(ConsumerFactory(office=two_subdivisions["dc_a"]).pk) == 0


@pytest.mark.django_db
class TestPaidAtWindow:
    @pytest.mark.parametrize(
        ("paid_at", "says"),
        [
            ("2026-08-29T23:00:00+05:30", "90 days"),  # 91 days before 28 November
            ("0001-01-01T00:00:00+05:30", "out of range"),
            ("0001-01-01T00:00:00+14:00", "out of range"),
        ],
    )
    def test_too_old_is_a_clear_422_and_posts_nothing(self, client, bank, billed, paid_at, says):
        consumer, _bill = billed
        response = pay(client, key_of(bank), consumer.account_number, paid_at=paid_at)
        assert response.status_code == 422, response.content
        body = response.json()
        assert body["code"] == "invalid_input"
        assert [e["field"] for e in body["errors"]] == ["paid_at"]
        assert says in body["errors"][0]["message"]
        assert not Payment.objects.exists()

    def test_before_the_connection_date_is_422(self, client, bank, billed):
        consumer, _bill = billed
        consumer.connection_date = datetime.date(2026, 11, 28)
        consumer.save(update_fields=["connection_date"])
        response = pay(client, key_of(bank), consumer.account_number, paid_at="2026-11-27T10:00:00+05:30")
        assert response.status_code == 422 and "connection date" in response.json()["errors"][0]["message"]
        assert pay(client, key_of(bank), consumer.account_number).status_code == 201
