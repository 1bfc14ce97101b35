import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from urja.common import clock
from urja.domain import account_number as acct
from urja.payments import cashbooks as cash
from urja.payments.choices import CashBookStatus, PaymentStatus
from urja.payments.models import CashBook, Payment
from urja.payments.tests.counter_fixtures import bill, counter_desk

D = Decimal


@pytest.fixture
def desk(two_subdivisions):
    return counter_desk(two_subdivisions)


@pytest.fixture
def book(desk):
    return cash.cash_book_open(counter=desk["counter_a"], cashier=desk["cashier_a"])


def login(client, user):
    client.force_login(user)
    return client


def take_form(consumer, amount="500", token="tok-view-000001", mode="cash", **extra):
    # these accounts owe nothing: every amount is an advance, confirmed (test_counter_flow asks first)
    extra.setdefault("confirm_advance", "on")
    return {"account": consumer.account_number, "amount": amount, "mode": mode, "token": token, **extra}


def take(desk, book, amount, mode="cash", **kw):
    return cash.counter_payment_take(
        cash_book=book, consumer=desk["consumer_a"], amount=D(amount), mode=mode, by=desk["cashier_a"], **kw
    ).payment


@pytest.mark.django_db
class TestCounterPages:
    def test_counters_of_my_office_only(self, client, desk):
        login(client, desk["cashier_a"])
        response = client.get(reverse("payments:counters"))
        assert response.status_code == 200
        # Matched on the markup: a random CSRF token or nonce may contain "CB1".
        assert b"<strong>CA1</strong>" in response.content
        assert b"<strong>CB1</strong>" not in response.content
        assert client.get(reverse("payments:counter", args=[desk["counter_b"].pk])).status_code == 404
        assert client.post(reverse("payments:book_open", args=[desk["counter_b"].pk])).status_code == 404
        assert not CashBook.objects.exists()

    def test_roles_without_collections_are_refused(self, client, desk):
        from urja.org.choices import Role
        from urja.testing import UserFactory

        login(client, UserFactory(username="reader", role=Role.METER_READER, office=desk["dc_a"]))
        assert client.get(reverse("payments:counters")).status_code == 403
        assert client.get(reverse("payments:books_to_verify")).status_code == 403

    def test_open_then_lookup_shows_the_account(self, client, desk):
        consumer = desk["consumer_a"]
        bill(consumer, "1234.50")
        consumer.cash_only_until = clock.today() + datetime.timedelta(days=10)
        consumer.save()
        login(client, desk["cashier_a"])
        response = client.post(reverse("payments:book_open", args=[desk["counter_a"].pk]))
        assert response.status_code == 302 and CashBook.objects.get().cashier == desk["cashier_a"]
        url = reverse("payments:counter", args=[desk["counter_a"].pk])
        response = client.get(url, {"account": consumer.account_number})
        assert response.status_code == 200
        page = response.content.decode()
        assert consumer.name in page and consumer.mobile_masked in page and consumer.mobile not in page
        assert "₹1,234.50" in page and 'data-testid="cash-only"' in page
        assert 'name="token"' in page and 'value="1235.00"' in page

    def test_lookup_errors(self, client, desk, book):
        login(client, desk["cashier_a"])
        url = reverse("payments:counter", args=[desk["counter_a"].pk])
        number = desk["consumer_a"].account_number
        typo = number[:-1] + str((int(number[-1]) + 1) % 10)
        response = client.get(url, {"account": typo})
        assert response.status_code == 400 and "check digit" in response.content.decode()
        response = client.get(url, {"account": desk["consumer_b"].account_number})
        assert response.status_code == 404 and 'data-testid="lookup-error"' in response.content.decode()
        stranger = acct.make(1, 12345678)
        assert client.get(url, {"account": stranger}).status_code == 404


@pytest.mark.django_db
class TestTakePayment:
    def test_double_submit_posts_once(self, client, desk, book):
        login(client, desk["cashier_a"])
        url = reverse("payments:payment_take", args=[book.pk])
        first = client.post(url, take_form(desk["consumer_a"]))
        second = client.post(url, take_form(desk["consumer_a"]))
        payment = Payment.objects.get()
        assert first.status_code == second.status_code == 302
        assert first.url == second.url == reverse("payments:payment", args=[payment.pk])
        assert payment.amount == D("500.00") and payment.cash_book == book
        page = client.get(first.url).content.decode()
        assert payment.receipt_number in page
        for link in ("receipt.pdf", "?width=58", "?width=80"):
            assert link in page

    def test_taking_a_payment_prints_its_receipt_in_one_step(self, client, desk, book):
        """The receipt page reached by "take payment" opens the print dialog once, on a thermal copy of
        the receipt; opening it again, or a replayed form, does not print a second time."""
        login(client, desk["cashier_a"])
        url = reverse("payments:payment_take", args=[book.pk])
        first = client.post(url, take_form(desk["consumer_a"]))
        payment = Payment.objects.get()
        page = client.get(first.url).content.decode()
        assert "data-autoprint" in page
        assert 'data-testid="receipt-print-copy"' in page and payment.receipt_number in page
        again = client.get(first.url).content.decode()
        assert "data-autoprint" not in again and 'data-testid="receipt-print-copy"' in again
        replay = client.post(url, take_form(desk["consumer_a"]))
        assert "data-autoprint" not in client.get(replay.url).content.decode()
        # another user opening the receipt never triggers the print meant for the cashier
        other = Client()
        other.force_login(desk["cashier_a"])
        client.post(url, take_form(desk["consumer_a"], token="tok-view-000002"))
        second = Payment.objects.exclude(pk=payment.pk).get()
        assert (
            "data-autoprint" not in other.get(reverse("payments:payment", args=[second.pk])).content.decode()
        )

    def test_reused_token_with_other_details_is_refused(self, client, desk, book):
        login(client, desk["cashier_a"])
        url = reverse("payments:payment_take", args=[book.pk])
        client.post(url, take_form(desk["consumer_a"]))
        response = client.post(url, take_form(desk["consumer_a"], amount="600"))
        assert response.status_code == 400 and "already used" in response.content.decode()
        assert Payment.objects.count() == 1

    def test_form_errors_change_nothing(self, client, desk, book):
        login(client, desk["cashier_a"])
        url = reverse("payments:payment_take", args=[book.pk])
        response = client.post(url, take_form(desk["consumer_a"], mode="cheque"))
        assert response.status_code == 400 and "cheque or draft number" in response.content.decode()
        response = client.post(url, take_form(desk["consumer_a"], amount="abc"))
        assert response.status_code == 400
        assert not Payment.objects.exists()

    def test_account_of_another_office_is_404(self, client, desk, book):
        login(client, desk["cashier_a"])
        url = reverse("payments:payment_take", args=[book.pk])
        assert client.post(url, take_form(desk["consumer_b"])).status_code == 404
        assert not Payment.objects.exists()

    def test_book_of_another_office_is_404(self, client, desk, book):
        login(client, desk["cashier_b"])
        url = reverse("payments:payment_take", args=[book.pk])
        assert client.post(url, take_form(desk["consumer_a"])).status_code == 404
        assert client.get(reverse("payments:book", args=[book.pk])).status_code == 404
        assert not Payment.objects.exists()

    def test_csrf_is_required(self, desk, book):
        client = login(Client(enforce_csrf_checks=True), desk["cashier_a"])
        response = client.post(
            reverse("payments:payment_take", args=[book.pk]), take_form(desk["consumer_a"])
        )
        assert response.status_code == 403 and not Payment.objects.exists()

    def test_book_payment_list_query_count_does_not_grow(self, client, desk, book):
        login(client, desk["cashier_a"])
        url = reverse("payments:counter", args=[desk["counter_a"].pk])
        book_url = reverse("payments:book", args=[book.pk])
        take(desk, book, "10")
        with CaptureQueriesContext(connection) as few:
            assert client.get(url).status_code == 200
        with CaptureQueriesContext(connection) as few_book:
            assert client.get(book_url).status_code == 200
        for i in range(8):
            take(desk, book, f"{20 + i}", mode="card" if i % 2 else "cash", txn_reference=f"RRN{i:06d}")
        with CaptureQueriesContext(connection) as many:
            response = client.get(url)
        with CaptureQueriesContext(connection) as many_book:
            client.get(book_url)
        assert response.content.decode().count('href="/staff/payments/payments/') == 9
        assert len(many) == len(few) <= 12
        assert len(many_book) == len(few_book) <= 12


@pytest.mark.django_db
class TestPaymentPages:
    def test_payment_and_receipts_of_another_office_are_404(self, client, desk, book):
        payment = take(desk, book, "100")
        login(client, desk["cashier_b"])
        for name in ("payments:payment", "payments:receipt_pdf", "payments:receipt_print"):
            assert client.get(reverse(name, args=[payment.pk])).status_code == 404
        login(client, desk["sdo_b"])
        response = client.post(reverse("payments:payment_cancel", args=[payment.pk]), {"reason": "x"})
        assert response.status_code == 404
        payment.refresh_from_db()
        assert payment.status == PaymentStatus.POSTED

    def test_receipts(self, client, desk, book):
        payment = take(desk, book, "100")
        login(client, desk["cashier_a"])
        response = client.get(reverse("payments:receipt_pdf", args=[payment.pk]))
        assert response["Content-Type"] == "application/pdf" and response.content.startswith(b"%PDF")
        for width in ("58", "80"):
            response = client.get(reverse("payments:receipt_print", args=[payment.pk]), {"width": width})
            page = response.content.decode()
            assert f"thermal-{width}" in page and payment.receipt_number in page
            assert "One Hundred Rupees" in page

    def test_cancel_by_supervisor_with_reason(self, client, desk, book):
        payment = take(desk, book, "100")
        login(client, desk["cashier_a"])
        page = client.get(reverse("payments:payment", args=[payment.pk])).content.decode()
        assert 'data-testid="cancel-form"' not in page
        assert (
            client.post(reverse("payments:payment_cancel", args=[payment.pk]), {"reason": "x"}).status_code
            == 403
        )
        login(client, desk["sdo_a"])
        page = client.get(reverse("payments:payment", args=[payment.pk])).content.decode()
        assert 'data-testid="cancel-form"' in page and 'data-testid="bounce-form"' not in page
        response = client.post(reverse("payments:payment_cancel", args=[payment.pk]), {"reason": ""})
        assert response.status_code == 400
        response = client.post(
            reverse("payments:payment_cancel", args=[payment.pk]), {"reason": "wrong account"}
        )
        assert response.status_code == 302
        payment.refresh_from_db()
        assert payment.status == PaymentStatus.CANCELLED and payment.cancel_reason == "wrong account"

    def test_bounce_form_for_a_cheque(self, client, desk, book):
        payment = take(
            desk,
            book,
            "300",
            mode="cheque",
            instrument_number="123456",
            instrument_bank="SBI",
            instrument_date=clock.today(),
        )
        login(client, desk["sdo_a"])
        page = client.get(reverse("payments:payment", args=[payment.pk])).content.decode()
        assert 'data-testid="bounce-form"' in page
        response = client.post(
            reverse("payments:payment_bounce", args=[payment.pk]),
            {"reason": "Insufficient funds", "bounce_date": clock.today().isoformat()},
        )
        assert response.status_code == 302
        payment.refresh_from_db()
        desk["consumer_a"].refresh_from_db()
        assert payment.status == PaymentStatus.BOUNCED and desk["consumer_a"].cash_only_until is not None


@pytest.mark.django_db
class TestCloseAndVerify:
    def test_close_mismatch_then_match_then_verify(self, client, desk, book):
        take(desk, book, "700")
        take(desk, book, "55")
        login(client, desk["cashier_a"])
        url = reverse("payments:book_close", args=[book.pk])
        page = client.get(url).content.decode()
        assert "755.00" in page and 'name="n2000"' in page and 'name="n1"' in page
        response = client.post(url, {"n500": "1", "n200": "1", "n50": "1"})
        assert response.status_code == 400 and "short by" in response.content.decode()
        book.refresh_from_db()
        assert book.status == CashBookStatus.OPEN
        response = client.post(url, {"n500": "1", "n200": "1", "n50": "1", "n5": "1"})
        assert response.status_code == 302
        book.refresh_from_db()
        assert book.status == CashBookStatus.CLOSED
        assert client.post(url, {"n500": "1"}).status_code == 400
        # The cashier cannot verify; the supervisor of another office cannot see it.
        assert client.post(reverse("payments:book_verify", args=[book.pk])).status_code == 403
        login(client, desk["sdo_b"])
        assert b"<td>CA1 " not in client.get(reverse("payments:books_to_verify")).content
        assert client.post(reverse("payments:book_verify", args=[book.pk])).status_code == 404
        login(client, desk["sdo_a"])
        page = client.get(reverse("payments:books_to_verify")).content.decode()
        assert "<td>CA1 " in page
        assert client.post(reverse("payments:book_verify", args=[book.pk])).status_code == 302
        book.refresh_from_db()
        assert book.status == CashBookStatus.VERIFIED and book.verified_by == desk["sdo_a"]

    def test_another_cashier_cannot_close(self, client, desk, book):
        from urja.org.choices import Role
        from urja.testing import UserFactory

        other = UserFactory(username="cashier_a2", role=Role.CASHIER, office=desk["sub_a"])
        login(client, other)
        assert client.get(reverse("payments:book_close", args=[book.pk])).status_code == 403


@pytest.mark.django_db
def test_summary_page_shows_the_ledger_check(client, desk, book):
    take(desk, book, "700")
    take(desk, book, "300", mode="upi_counter", txn_reference="612345678901")
    login(client, desk["sdo_a"])
    response = client.get(reverse("payments:summary"), {"day": clock.today().isoformat()})
    page = response.content.decode()
    assert response.status_code == 200
    assert "1000.00" in page and 'data-testid="ledger-equal">yes<' in page
    assert "CA1" in page
    future = (clock.today() + datetime.timedelta(days=1)).isoformat()
    assert client.get(reverse("payments:summary"), {"day": future}).status_code == 400
