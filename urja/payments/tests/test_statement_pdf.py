import datetime
import shutil
import subprocess
from decimal import Decimal

import pytest
import time_machine

from urja.common import clock
from urja.ledger import services as ledger
from urja.ledger.choices import EntryType
from urja.payments.services import payment_cancel, payment_post
from urja.payments.statement_pdf import render_statement_pdf

D = Decimal
PDFTOTEXT = shutil.which("pdftotext")


def text_of(pdf: bytes, tmp_path) -> str:
    path = tmp_path / "statement.pdf"
    path.write_bytes(pdf)
    return subprocess.run(
        [PDFTOTEXT, "-layout", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout


def bill(consumer, amount, day, period):
    ledger.entry_post(
        consumer=consumer,
        entry_type=EntryType.BILL,
        amount=D(amount),
        entry_date=day,
        due_date=day + datetime.timedelta(days=15),
        period=period,
        description=f"Bill {period}",
    )


@pytest.fixture
def account(two_subdivisions):
    c = two_subdivisions["consumer_a"]
    bill(c, "1200.00", datetime.date(2026, 8, 1), "2026-07")  # before the range: opening balance
    bill(c, "1727.25", datetime.date(2026, 9, 1), "2026-08")
    paid_at = clock.aware(datetime.datetime(2026, 9, 10, 11, 0))
    # Posted when paid: payment_post refuses a new payment older than PAID_AT_MAX_AGE_DAYS.
    with time_machine.travel(paid_at, tick=False):
        payment_post(
            consumer=c,
            amount=D("2000.00"),
            channel="partner",
            source="partner:1",
            reference="R1",
            paid_at=paid_at,
        )
    paid_at = clock.aware(datetime.datetime(2026, 9, 12, 11, 0))
    with time_machine.travel(paid_at, tick=False):
        cheque = payment_post(
            consumer=c,
            amount=D("100.00"),
            channel="cash",
            source="counter:C1",
            reference="R2",
            paid_at=paid_at,
        ).payment
    payment_cancel(payment=cheque, by=two_subdivisions["sdo_a"], reason="entered twice")
    return c


@pytest.mark.django_db
class TestStatementPdf:
    def test_payments_and_their_reversal_post_a_code_and_params(self, account):
        from urja.ledger.models import LedgerEntry

        entries = LedgerEntry.objects.filter(consumer=account).order_by("id")
        assert [(e.code, e.params) for e in entries] == [
            ("", {}),  # posted here with a description only
            ("", {}),
            ("payment", {"receipt": "PARTNER-1-00000001", "channel": "partner"}),
            ("payment", {"receipt": "COUNTER-C1-00000001", "channel": "cash"}),
            ("reversal", {"of": "payment", "receipt": "COUNTER-C1-00000001", "channel": "cash"}),
        ]
        assert entries.last().description == "Reversal of Payment COUNTER-C1-00000001 (Cash at counter)"

    def test_is_a_pdf(self, account):
        pdf = render_statement_pdf(account, datetime.date(2026, 9, 1), clock.today())
        assert pdf.startswith(b"%PDF") and len(pdf) > 5000

    @pytest.mark.skipif(PDFTOTEXT is None, reason="needs pdftotext (poppler-utils)")
    def test_text_has_balances_entries_and_totals(self, account, tmp_path):
        account.language = "en"
        account.save()
        text = text_of(render_statement_pdf(account, datetime.date(2026, 9, 1), clock.today()), tmp_path)
        assert account.account_number in text
        assert "Opening balance" in text and "1,200.00 Dr" in text
        # 1200 + 1727.25 − 2000 − 100 + 100 (cancelled) = 927.25 due.
        assert "Closing balance" in text and "927.25 Dr" in text
        assert "Totals" in text and "1,827.25" in text and "2,100.00" in text
        assert "Allocated" in text and "Reversal of Payment" in text and "entered twice" in text
        assert "Statement of account" in text and "Page 1 / 1" in text
        assert "Payment PARTNER-1-00000001 (BBPS / bank / payment app)" in text
        assert "Bill 2026-08" in text  # an entry posted without a code shows its stored description

    @pytest.mark.skipif(PDFTOTEXT is None, reason="needs pdftotext (poppler-utils)")
    def test_a_hindi_consumer_reads_the_entries_in_hindi(self, account, tmp_path):
        assert account.language == "hi"
        text = text_of(render_statement_pdf(account, datetime.date(2026, 9, 1), clock.today()), tmp_path)
        squeezed = "".join(text.split())
        # payments and their reversal: code and params rendered in Hindi at display time
        assert "भुगतानPARTNER-1-00000001(BBPS/बैंक/भुगतानऐप)" in squeezed, text
        assert "भुगतानCOUNTER-C1-00000001(काउंटरपरनकद)कीउलटप्रविष्टि" in squeezed
        assert "ReversalofPayment" not in squeezed and "(BBPS/bank/paymentapp)" not in squeezed
        assert "बिल/Bill2026-08" in squeezed  # no code: Hindi type name and the stored description

    @pytest.mark.skipif(PDFTOTEXT is None, reason="needs pdftotext (poppler-utils)")
    def test_long_statement_runs_over_pages(self, two_subdivisions, tmp_path):
        c = two_subdivisions["consumer_a"]
        start = datetime.date(2020, 1, 1)
        for month in range(70):
            day = datetime.date(start.year + month // 12, month % 12 + 1, 1)
            bill(c, "100.00", day, f"{day:%Y-%m}")
        text = text_of(render_statement_pdf(c, start, datetime.date(2026, 1, 1)), tmp_path)
        assert "Page 1 / 2" in text and "Page 2 / 2" in text
        assert "7,000.00 Dr" in text  # closing balance after 70 bills

    def test_credit_balance_and_empty_range(self, two_subdivisions, tmp_path):
        c = two_subdivisions["consumer_b"]
        payment_post(consumer=c, amount=D("500"), channel="partner", source="partner:1", reference="ADV")
        pdf = render_statement_pdf(c, datetime.date(2020, 1, 1), datetime.date(2020, 12, 31))
        assert pdf.startswith(b"%PDF")
        if PDFTOTEXT:
            assert "0.00" in text_of(pdf, tmp_path)
            text = text_of(render_statement_pdf(c, datetime.date(2020, 1, 1), clock.today()), tmp_path)
            assert "500.00 Cr" in text

    def test_range_must_run_forwards(self, two_subdivisions):
        with pytest.raises(ValueError):
            render_statement_pdf(
                two_subdivisions["consumer_a"], datetime.date(2026, 2, 1), datetime.date(2026, 1, 1)
            )
