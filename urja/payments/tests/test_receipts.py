import shutil
import subprocess
from decimal import Decimal

import pytest

from urja.common import clock
from urja.domain.masking import mask_name
from urja.domain.words import amount_in_words
from urja.payments import cashbooks as cash
from urja.payments.receipts import money_indian, receipt_for, render_receipt_pdf
from urja.payments.services import payment_bounce

from .counter_fixtures import bill, counter_desk

D = Decimal
PDFTOTEXT = shutil.which("pdftotext")


@pytest.mark.parametrize(
    ("amount", "words"),
    [
        ("123456.50", "One Lakh Twenty-Three Thousand Four Hundred Fifty-Six Rupees and Fifty Paise"),
        ("0", "Zero Rupees"),
        ("1", "One Rupee"),
        ("0.01", "One Paisa"),
        ("0.75", "Seventy-Five Paise"),
        ("10", "Ten Rupees"),
        ("19.05", "Nineteen Rupees and Five Paise"),
        ("100", "One Hundred Rupees"),
        ("1001", "One Thousand One Rupees"),
        ("1727.25", "One Thousand Seven Hundred Twenty-Seven Rupees and Twenty-Five Paise"),
        ("100000", "One Lakh Rupees"),
        ("2000000", "Twenty Lakh Rupees"),
        ("10000000", "One Crore Rupees"),
        ("123456789", "Twelve Crore Thirty-Four Lakh Fifty-Six Thousand Seven Hundred Eighty-Nine Rupees"),
        ("10000000000", "One Thousand Crore Rupees"),
        ("99.999", "One Hundred Rupees"),
    ],
)
def test_amount_in_words(amount, words):
    assert amount_in_words(D(amount)) == words


def test_amount_in_words_refuses_floats_and_negatives():
    with pytest.raises(TypeError):
        amount_in_words(12.5)
    with pytest.raises(ValueError):
        amount_in_words(D("-1"))


@pytest.mark.parametrize(
    ("amount", "text"),
    [
        ("0", "0.00"),
        ("999", "999.00"),
        ("1000", "1,000.00"),
        ("123456.5", "1,23,456.50"),
        ("-12345678", "-1,23,45,678.00"),
    ],
)
def test_money_indian(amount, text):
    assert money_indian(D(amount)) == text


def test_mask_name():
    assert mask_name("Ram Prasad Verma") == "R** P***** V****"
    assert mask_name("") == ""


@pytest.fixture
def desk(two_subdivisions):
    return counter_desk(two_subdivisions)


@pytest.mark.django_db
class TestReceipt:
    def _payment(self, desk, amount="1500.00", mode="cash", **instrument):
        bill(desk["consumer_a"], "1200.00", period="2026-04")
        book = cash.cash_book_open(counter=desk["counter_a"], cashier=desk["cashier_a"])
        return cash.counter_payment_take(
            cash_book=book,
            consumer=desk["consumer_a"],
            amount=D(amount),
            mode=mode,
            by=desk["cashier_a"],
            **instrument,
        ).payment

    def test_receipt_data(self, desk):
        payment = self._payment(desk)
        receipt = receipt_for(payment)
        assert receipt.amount_words == "एक हजार पाँच सौ रुपये / One Thousand Five Hundred Rupees"
        assert [(line.period, line.head_en, line.amount) for line in receipt.lines] == [
            ("2026-04", "Principal", D("1200.00"))
        ]
        assert receipt.advance == D("300.00") and receipt.balance_before == D("1200.00")
        assert receipt.balance_after == D("-300.00")
        assert receipt.name_masked.startswith("C") and "*" in receipt.name_masked
        assert receipt.mobile_masked.startswith("XXXXXX") and receipt.counter == "CA1 Counter A"

    def test_pdf(self, desk):
        payment = self._payment(
            desk,
            amount="1200",
            mode="cheque",
            instrument_number="456789",
            instrument_bank="Bank of Baroda",
            instrument_date=clock.today(),
        )
        pdf = render_receipt_pdf(payment)
        assert pdf.startswith(b"%PDF")
        assert render_receipt_pdf(payment) == pdf  # reproducible
        if PDFTOTEXT is None:
            pytest.skip("pdftotext is not installed")
        text = subprocess.run(
            [PDFTOTEXT, "-layout", "-", "-"], input=pdf, capture_output=True, check=True
        ).stdout.decode()
        assert payment.receipt_number in text
        assert "1,200.00" in text and "One Thousand Two Hundred Rupees" in text
        assert "456789" in text and "Bank of Baroda" in text and "Payment Receipt" in text
        assert desk["consumer_a"].name not in text  # the name is masked

    def test_bounced_receipt_says_so(self, desk):
        payment = self._payment(
            desk,
            amount="100",
            mode="dd",
            instrument_number="111222",
            instrument_bank="PNB",
            instrument_date=clock.today(),
        )
        payment_bounce(payment=payment, by=desk["sdo_a"], reason="Stale", bounce_date=clock.today())
        payment.refresh_from_db()
        assert receipt_for(payment).status_en == "CHEQUE BOUNCED"
        pdf = render_receipt_pdf(payment)
        if PDFTOTEXT:
            text = subprocess.run(
                [PDFTOTEXT, "-", "-"], input=pdf, capture_output=True, check=True
            ).stdout.decode()
            assert "CHEQUE BOUNCED" in text
