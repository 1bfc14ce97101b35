"""The counter: an advance is confirmed, card and UPI carry their reference, the receipt follows the
posting in one step, and the day-end cash book prints."""

from decimal import Decimal

import pytest
from django.urls import reverse

from urja.ledger.selectors import balance
from urja.payments import cashbooks as cash
from urja.payments.models import Payment
from urja.payments.tests.counter_fixtures import bill, counter_desk

D = Decimal


@pytest.fixture
def desk(two_subdivisions):
    desk = counter_desk(two_subdivisions)
    bill(desk["consumer_a"], "1000.00")
    desk["book"] = cash.cash_book_open(counter=desk["counter_a"], cashier=desk["cashier_a"])
    return desk


def _take(client, desk, amount, mode="cash", token="tok-flow-000001", **extra):
    client.force_login(desk["cashier_a"])
    data = {
        "account": desk["consumer_a"].account_number,
        "amount": amount,
        "mode": mode,
        "token": token,
        **extra,
    }
    return client.post(reverse("payments:payment_take", args=[desk["book"].pk]), data)


@pytest.mark.django_db
def test_the_receipt_opens_right_after_posting(client, desk):
    response = _take(client, desk, "1000")
    payment = Payment.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("payments:payment", args=[payment.pk])
    page = client.get(response["Location"]).content.decode()
    assert payment.receipt_number in page and 'data-testid="print-buttons"' in page
    assert reverse("payments:receipt_pdf", args=[payment.pk]) in page


@pytest.mark.django_db
def test_more_than_the_dues_asks_for_confirmation_first(client, desk):
    response = _take(client, desk, "1500")
    assert response.status_code == 400 and not Payment.objects.exists()
    page = response.content.decode()
    assert 'data-testid="advance-confirm"' in page and "₹500.00 will be kept as advance" in page
    confirmed = _take(client, desk, "1500", confirm_advance="on")
    assert confirmed.status_code == 302
    assert Payment.objects.get().amount == D("1500") and balance(desk["consumer_a"].id) == D("-500")


@pytest.mark.django_db
def test_up_to_the_dues_needs_no_confirmation(client, desk):
    assert _take(client, desk, "400").status_code == 302


@pytest.mark.django_db
@pytest.mark.parametrize("mode", ["card", "upi_counter"])
def test_card_and_upi_require_their_reference(client, desk, mode):
    refused = _take(client, desk, "1000", mode=mode)
    assert refused.status_code == 400 and not Payment.objects.exists()
    assert "transaction reference" in refused.content.decode()
    assert _take(client, desk, "1000", mode=mode, txn_reference="12ab").status_code == 400
    taken = _take(client, desk, "1000", mode=mode, txn_reference="4321 5678 9012")
    assert taken.status_code == 302
    assert Payment.objects.get().instrument_number == "432156789012"


@pytest.mark.django_db
def test_cash_needs_no_reference(client, desk):
    assert _take(client, desk, "1000").status_code == 302
    assert Payment.objects.get().instrument_number == ""


@pytest.mark.django_db
def test_day_end_cash_book_printout(client, desk):
    _take(client, desk, "1000")
    _take(
        client,
        desk,
        "250",
        mode="upi_counter",
        token="tok-flow-000002",
        txn_reference="987654321012",
        confirm_advance="on",
    )
    client.force_login(desk["cashier_a"])
    book_page = client.get(reverse("payments:book", args=[desk["book"].pk])).content.decode()
    assert reverse("payments:book_print", args=[desk["book"].pk]) in book_page
    response = client.get(reverse("payments:book_print", args=[desk["book"].pk]))
    assert response.status_code == 200
    page = response.content.decode()
    assert 'data-testid="book-print"' in page
    for payment in Payment.objects.all():
        assert payment.receipt_number in page
    assert "987654321012" in page
    assert 'data-testid="print-total">1,250.00<' in page
    assert "Cashier's signature" in page


@pytest.mark.django_db
def test_another_office_cannot_print_the_book(client, desk):
    client.force_login(desk["cashier_b"])
    assert client.get(reverse("payments:book_print", args=[desk["book"].pk])).status_code == 404


@pytest.mark.django_db
def test_a_resubmitted_form_gets_its_receipt_not_the_advance_question(client, desk):
    first = _take(client, desk, "1000")
    again = _take(client, desk, "1000")  # the dues are now 0: it would be an advance, but it is the same form
    assert again.status_code == 302 and again["Location"] == first["Location"]
    assert Payment.objects.count() == 1
