"""A single payment has a configured maximum per channel, and no payment or credit adjustment may leave
more than the configured advance on an account (URJA_PAYMENTS["PAYMENT_MAX"], ["ADVANCE_MAX"],
["ADJUSTMENT_MAX"]). Before, one payment of ₹999,999,999,999.99 was taken and left a balance the
money columns could not hold: the next payment of the account failed (a 500 on PostgreSQL). Now any
account state that can exist can still be billed, shown and paid."""

import datetime
import json
import zoneinfo
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse

from urja.api.services import partner_create, staff_token_issue
from urja.arrears import adjustments as adj
from urja.arrears.models import Adjustment
from urja.billing import runs as billing
from urja.billing.models import Bill
from urja.billing.tests.conftest import metered_consumer
from urja.ledger.models import LedgerEntry
from urja.ledger.selectors import balance
from urja.metering.services import reading_record
from urja.payments import cashbooks as cash
from urja.payments.choices import Channel
from urja.payments.models import Payment
from urja.payments.services import advance_max, payment_max, payment_post

from .counter_fixtures import counter_desk

D = Decimal
PAYMENTS = "/api/v1/biller/payments"
pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _clock():
    with time_machine.travel(
        datetime.datetime(2026, 8, 20, 10, 0, tzinfo=zoneinfo.ZoneInfo("Asia/Kolkata")), tick=True
    ):
        yield


@pytest.fixture
def bank(db):
    return partner_create(name="State Bank")[1]


def pay(client, key, account, amount, reference):
    body = {
        "account": account,
        "amount": amount,
        "reference": reference,
        "channel": "NEFT",
        "paid_at": "2026-08-20T10:00:00+05:30",
    }
    client.raise_request_exception = False
    return client.post(PAYMENTS, json.dumps(body), content_type="application/json", HTTP_X_API_KEY=key)


def test_the_defaults_are_sane():
    assert payment_max(Channel.CASH) == D("199999.00")  # Income-tax Act s.269ST: below ₹2 lakh in cash
    assert payment_max(Channel.PARTNER) == payment_max(Channel.CHEQUE) == D("10000000.00")
    assert advance_max() == D("1000000.00")


@pytest.mark.parametrize("amount", ["10000000.01", "999999999999.99", "99999999999"])
def test_partner_payment_above_the_maximum_is_refused(client, bank, two_subdivisions, amount):
    response = pay(client, bank, two_subdivisions["consumer_a"].account_number, amount, "UTR-BIG")
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "amount"
    assert not Payment.objects.exists() and not LedgerEntry.objects.exists()


def test_a_payment_that_would_leave_too_much_advance_is_refused_with_what_can_be_taken(
    client, bank, two_subdivisions
):
    consumer = two_subdivisions["consumer_a"]
    response = pay(client, bank, consumer.account_number, "1000000.01", "UTR-ADV")
    assert response.status_code == 422
    error = response.json()["errors"][0]
    assert error["field"] == "amount" and "10,00,000.00" in error["message"]
    assert not Payment.objects.exists()
    assert pay(client, bank, consumer.account_number, "1000000.00", "UTR-ADV").status_code == 201


def test_limits_come_from_the_settings(two_subdivisions, settings):
    settings.URJA_PAYMENTS = {
        **settings.URJA_PAYMENTS,
        "PAYMENT_MAX": {"default": "500.00", "partner": "50.00"},
        "ADVANCE_MAX": "20.00",
    }
    consumer = two_subdivisions["consumer_a"]
    with pytest.raises(ValidationError, match="50.00"):
        payment_post(consumer=consumer, amount=D("60"), channel=Channel.PARTNER, source="p", reference="R1")
    with pytest.raises(ValidationError, match="20.00"):
        payment_post(consumer=consumer, amount=D("21"), channel=Channel.BANK, source="p", reference="R2")
    assert payment_post(
        consumer=consumer, amount=D("20"), channel=Channel.BANK, source="p", reference="R3"
    ).created


def test_a_retry_of_a_posted_payment_still_gets_its_receipt(two_subdivisions):
    consumer = two_subdivisions["consumer_a"]
    first = payment_post(
        consumer=consumer, amount=D("1000000"), channel=Channel.BANK, source="p", reference="R"
    )
    again = payment_post(
        consumer=consumer, amount=D("1000000"), channel=Channel.BANK, source="p", reference="R"
    )
    assert first.created and not again.created and again.payment == first.payment


@pytest.fixture
def desk(two_subdivisions):
    desk = counter_desk(two_subdivisions)
    desk["book"] = cash.cash_book_open(counter=desk["counter_a"], cashier=desk["cashier_a"])
    return desk


@pytest.mark.parametrize(
    ("mode", "amount", "extra"),
    [
        ("cash", "200000", {}),
        ("cheque", "10000001", {"instrument_number": "123456", "instrument_bank": "SBI"}),
    ],
)
def test_counter_refuses_a_payment_above_the_channels_maximum_on_the_form(client, desk, mode, amount, extra):
    client.force_login(desk["cashier_a"])
    form = {
        "account": desk["consumer_a"].account_number,
        "amount": amount,
        "mode": mode,
        "token": "tok-limit-000001",
        "instrument_date": "2026-08-19",
        **extra,
    }
    response = client.post(reverse("payments:payment_take", args=[desk["book"].pk]), form)
    assert response.status_code == 400
    assert "amount" in response.context["form"].errors
    assert not Payment.objects.exists()


def test_adjustments_are_bounded_too(two_subdivisions, settings):
    settings.URJA_PAYMENTS = {**settings.URJA_PAYMENTS, "ADJUSTMENT_APPROVAL_ABOVE": "10000000.00"}
    consumer, sdo = two_subdivisions["consumer_a"], two_subdivisions["sdo_a"]  # the SDO posts at once
    with pytest.raises(ValidationError, match="1,00,00,000.00"):
        adj.adjustment_request(consumer=consumer, amount="-999999999999.99", reason="typo", by=sdo)
    with pytest.raises(ValidationError, match="10,00,000.00"):
        adj.adjustment_request(consumer=consumer, amount="-1000000.01", reason="refund due", by=sdo)
    assert not Adjustment.objects.exists() and not LedgerEntry.objects.exists()


def test_an_approved_credit_that_would_leave_too_much_advance_stays_pending(two_subdivisions):
    consumer, je, sdo = two_subdivisions["consumer_a"], two_subdivisions["je_a"], two_subdivisions["sdo_a"]
    adjustment = adj.adjustment_request(consumer=consumer, amount="-600000", reason="refund due", by=je)
    payment_post(consumer=consumer, amount=D("500000"), channel=Channel.BANK, source="p", reference="R")
    with pytest.raises(ValidationError, match="10,00,000.00"):
        adj.adjustment_decide(adjustment_id=adjustment.pk, by=sdo, approve=True)
    adjustment.refresh_from_db()
    assert adjustment.status == "pending" and balance(consumer.pk) == D("-500000.00")


def test_the_largest_allowed_payment_leaves_an_account_that_can_be_billed_shown_and_paid(
    client, bank, two_subdivisions
):
    """Pay the July bill plus the largest advance allowed, then bill August, fetch the bill, see the
    statement and the PDFs, and pay again."""
    office = two_subdivisions["dc_a"]
    consumer = metered_consumer(office, serial="M-MAX")
    reading_record(consumer=consumer, reading_date=datetime.date(2026, 7, 31), kwh=D(850), source="manual")
    billing.bill_run(cycle_code="2026-07", office=office)
    july = Bill.objects.get(consumer=consumer)
    most = july.payable + advance_max()
    assert pay(client, bank, consumer.account_number, f"{most:.2f}", "UTR-MAX").status_code == 201
    assert balance(consumer.pk) == -advance_max()
    assert pay(client, bank, consumer.account_number, "0.01", "UTR-ONE-MORE").status_code == 422

    with time_machine.travel(datetime.datetime(2026, 9, 2, 10, 0, tzinfo=zoneinfo.ZoneInfo("Asia/Kolkata"))):
        reading_record(
            consumer=consumer, reading_date=datetime.date(2026, 8, 31), kwh=D(1100), source="manual"
        )
        run = billing.bill_run(cycle_code="2026-08", office=office)
        assert run.status == "done" and run.failed == 0
        august = Bill.objects.get(consumer=consumer, period="2026-08")
        assert august.arrears == -advance_max()

        fetch = client.get("/api/v1/biller/bills", {"account": consumer.account_number}, HTTP_X_API_KEY=bank)
        assert fetch.status_code == 200
        assert fetch.json()["status"] == "no_dues"
        assert D(fetch.json()["advance"]) == advance_max() - august.current_charges

        _, key = staff_token_issue(user=two_subdivisions["sdo_a"])
        staff = {"HTTP_AUTHORIZATION": f"Bearer {key}"}
        statement = client.get(f"/api/v1/consumers/{consumer.account_number}/statement", **staff)
        assert statement.status_code == 200
        assert D(statement.json()["closing_balance"]) == balance(consumer.pk)
        assert client.get(f"/api/v1/bills/{august.pk}", **staff).status_code == 200
        assert client.get(f"/api/v1/bills/{august.pk}/pdf", **staff).status_code == 200
        client.force_login(two_subdivisions["sdo_a"])
        assert client.get(reverse("staff:consumer_detail", args=[consumer.account_number])).status_code == 200
        assert (
            client.get(reverse("payments:statement_pdf", args=[consumer.account_number])).status_code == 200
        )
        receipt = Payment.objects.get(reference="UTR-MAX")
        assert client.get(reverse("payments:receipt_pdf", args=[receipt.pk])).status_code == 200

        again = pay(client, bank, consumer.account_number, f"{august.current_charges:.2f}", "UTR-AGAIN")
        assert again.status_code == 201
        assert balance(consumer.pk) == -advance_max()
