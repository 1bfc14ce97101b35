import datetime
from decimal import Decimal

import pytest
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError

from urja.common import clock
from urja.customers.models import ConsumerChange
from urja.ledger import services as ledger
from urja.ledger.choices import EntryType
from urja.ledger.models import LedgerEntry
from urja.ledger.selectors import balance
from urja.notifications.models import OutboundMessage
from urja.org.choices import Role
from urja.payments import cashbooks as cash
from urja.payments import selectors as collections
from urja.payments.choices import CashBookStatus, PaymentStatus
from urja.payments.models import CashBook, Payment
from urja.payments.services import PaymentConflict, payment_bounce, payment_cancel, payment_post
from urja.payments.tests.counter_fixtures import bill, counter_desk
from urja.testing import UserFactory

D = Decimal


@pytest.fixture
def desk(two_subdivisions):
    return counter_desk(two_subdivisions)


@pytest.fixture
def book(desk):
    return cash.cash_book_open(counter=desk["counter_a"], cashier=desk["cashier_a"])


def take(desk, book, amount, mode="cash", token="", consumer=None, by=None, **instrument):
    return cash.counter_payment_take(
        cash_book=book,
        consumer=consumer or desk["consumer_a"],
        amount=D(amount),
        mode=mode,
        by=by or desk["cashier_a"],
        token=token,
        **instrument,
    )


def cheque(desk, book, amount, number="123456", **kw):
    return take(
        desk,
        book,
        amount,
        mode="cheque",
        instrument_number=number,
        instrument_bank="State Bank of India",
        instrument_date=clock.today(),
        **kw,
    )


def snapshot(book):
    book.refresh_from_db()
    return (
        book.status,
        book.cash_counted,
        book.cash_expected,
        book.denominations,
        book.totals,
        book.closed_at,
    )


@pytest.mark.django_db
class TestOpen:
    def test_cashier_opens_one_book_per_counter_per_day(self, desk):
        book = cash.cash_book_open(counter=desk["counter_a"], cashier=desk["cashier_a"])
        assert book.status == CashBookStatus.OPEN and book.business_date == clock.today()
        with pytest.raises(ValidationError, match="already has a cash book"):
            cash.cash_book_open(counter=desk["counter_a"], cashier=desk["cashier_a"])
        assert CashBook.objects.count() == 1

    def test_only_a_cashier_of_the_counters_office(self, desk):
        with pytest.raises(PermissionDenied):
            cash.cash_book_open(counter=desk["counter_a"], cashier=desk["je_a"])
        with pytest.raises(PermissionDenied):
            cash.cash_book_open(counter=desk["counter_b"], cashier=desk["cashier_a"])
        assert not CashBook.objects.exists()

    def test_not_for_a_future_day_nor_an_inactive_counter(self, desk):
        tomorrow = clock.today() + datetime.timedelta(days=1)
        with pytest.raises(ValidationError):
            cash.cash_book_open(counter=desk["counter_a"], cashier=desk["cashier_a"], business_date=tomorrow)
        desk["counter_a"].is_active = False
        desk["counter_a"].save()
        with pytest.raises(ValidationError):
            cash.cash_book_open(counter=desk["counter_a"], cashier=desk["cashier_a"])
        assert not CashBook.objects.exists()


@pytest.mark.django_db
class TestTake:
    def test_cash_payment_posts_with_counter_series_and_book(self, desk, book):
        bill(desk["consumer_a"], "1500.00")
        result = take(desk, book, "1000")
        payment = result.payment
        assert result.created and payment.cash_book == book and payment.channel == "cash"
        assert payment.source == "counter:CA1" and payment.receipt_number == "COUNTER-CA1-00000001"
        assert payment.posted_by == desk["cashier_a"]
        assert balance(desk["consumer_a"].id) == D("500.00")
        assert take(desk, book, "200").payment.receipt_number == "COUNTER-CA1-00000002"

    def test_same_token_posts_once(self, desk, book):
        first = take(desk, book, "750", token="tok-abcdefgh-1")
        again = take(desk, book, "750.00", token="tok-abcdefgh-1")
        assert first.created and not again.created and again.payment.pk == first.payment.pk
        with pytest.raises(PaymentConflict):
            take(desk, book, "751", token="tok-abcdefgh-1")
        assert Payment.objects.count() == 1
        assert LedgerEntry.objects.filter(entry_type=EntryType.PAYMENT).count() == 1

    def test_account_of_another_office_refused(self, desk, book):
        with pytest.raises(PermissionDenied):
            take(desk, book, "100", consumer=desk["consumer_b"])
        assert not Payment.objects.exists()

    def test_only_the_books_cashier_takes_payments(self, desk, book):
        other = UserFactory(username="cashier_a2", role=Role.CASHIER, office=desk["sub_a"])
        with pytest.raises(PermissionDenied):
            take(desk, book, "100", by=other)
        with pytest.raises(PermissionDenied):
            take(desk, book, "100", by=desk["sdo_a"])
        assert not Payment.objects.exists()

    @pytest.mark.parametrize(
        ("amount", "mode", "instrument", "field"),
        [
            ("0", "cash", {}, "amount"),
            ("-5", "cash", {}, "amount"),
            ("100.50", "cash", {}, "amount"),
            ("100", "online", {}, "mode"),
            ("100", "cheque", {}, "instrument_number"),
            ("100", "cheque", {"instrument_number": "12", "instrument_bank": "SBI"}, "instrument_number"),
            (
                "100",
                "dd",
                {
                    "instrument_number": "654321",
                    "instrument_bank": "PNB",
                    "instrument_date": datetime.timedelta(days=30),  # from today
                },
                "instrument_date",
            ),
            (
                "100",
                "cheque",
                {
                    "instrument_number": "654321",
                    "instrument_bank": "PNB",
                    "instrument_date": datetime.timedelta(days=-120),  # from today
                },
                "instrument_date",
            ),
        ],
    )
    def test_bad_input_is_refused_and_changes_nothing(self, desk, book, amount, mode, instrument, field):
        # Dates are given as offsets from the test's today (parameters are built before its clock is set).
        instrument = {
            name: clock.today() + value if isinstance(value, datetime.timedelta) else value
            for name, value in instrument.items()
        }
        with pytest.raises(ValidationError) as info:
            take(desk, book, amount, mode=mode, **instrument)
        assert field in info.value.message_dict
        assert not Payment.objects.exists() and not LedgerEntry.objects.exists()

    def test_card_upi_and_paise_by_cheque(self, desk, book):
        take(desk, book, "99.50", mode="card", txn_reference="RRN123456")
        take(desk, book, "10.25", mode="upi_counter", txn_reference="612345678901")
        cheque(desk, book, "1234.56")
        assert cash.cash_expected(book) == D("0.00")
        assert Payment.objects.get(channel="cheque").instrument_bank == "State Bank of India"


@pytest.mark.django_db
class TestClose:
    def test_mismatch_is_refused_and_nothing_changes(self, desk, book):
        take(desk, book, "700")
        take(desk, book, "55")
        cheque(desk, book, "300")
        before = snapshot(book)
        with pytest.raises(ValidationError) as info:
            cash.cash_book_close(
                cash_book=book, by=desk["cashier_a"], denominations={"500": 1, "200": 1, "50": 1}
            )
        message = " ".join(info.value.messages)
        assert "₹750.00" in message and "₹755.00" in message and "short by ₹5.00" in message
        assert snapshot(book) == before and book.status == CashBookStatus.OPEN

    @pytest.mark.parametrize("denominations", [{"500": -1}, {"3": 1}, {"abc": 1}, {"500": "2"}, {"500": 1.5}])
    def test_bad_denominations_refused(self, desk, book, denominations):
        with pytest.raises(ValidationError):
            cash.cash_book_close(cash_book=book, by=desk["cashier_a"], denominations=denominations)
        assert snapshot(book)[0] == CashBookStatus.OPEN

    def test_close_stores_totals_and_the_day_is_then_immutable(self, desk, book):
        take(desk, book, "700")
        take(desk, book, "55")
        cheque(desk, book, "300")
        wrong = take(desk, book, "40")
        payment_cancel(payment=wrong.payment, by=desk["sdo_a"], reason="wrong account")
        cash.cash_book_close(
            cash_book=book,
            by=desk["cashier_a"],
            denominations={"500": 1, "200": 1, "50": 1, "5": 1, "100": 0},
        )
        book.refresh_from_db()
        assert book.status == CashBookStatus.CLOSED and book.closed_at is not None
        assert book.cash_counted == book.cash_expected == D("755.00")
        assert book.denominations == {"500": 1, "200": 1, "50": 1, "5": 1}
        assert book.totals["by_mode"] == {
            "cash": {"count": 2, "amount": "755.00"},
            "cheque": {"count": 1, "amount": "300.00"},
        }
        assert book.totals["total"] == "1055.00" and book.totals["reversed"] == {
            "count": 1,
            "amount": "40.00",
        }
        closed = snapshot(book)

        # No payment on a closed book, not even by its cashier.
        with pytest.raises(ValidationError, match="no payment can be taken"):
            take(desk, book, "10")
        # Closing twice is refused.
        with pytest.raises(ValidationError, match="already closed"):
            cash.cash_book_close(cash_book=book, by=desk["cashier_a"], denominations={"500": 1})
        # A later cancellation is a reversal dated today; the book keeps its closed totals.
        first = Payment.objects.get(amount=D("700"))
        payment_cancel(payment=first, by=desk["sdo_a"], reason="duplicate")
        assert snapshot(book) == closed
        assert book.payments.count() == 4
        reversal = LedgerEntry.objects.get(source_id=first.pk, entry_type=EntryType.REVERSAL)
        assert reversal.entry_date == clock.today()

    def test_same_token_on_a_closed_book_returns_the_receipt(self, desk, book):
        first = take(desk, book, "100", token="tok-closed-0001")
        cash.cash_book_close(cash_book=book, by=desk["cashier_a"], denominations={"100": 1})
        again = take(desk, book, "100", token="tok-closed-0001")
        assert not again.created and again.payment.pk == first.payment.pk

    def test_only_the_cashier_closes(self, desk, book):
        with pytest.raises(PermissionDenied):
            cash.cash_book_close(cash_book=book, by=desk["sdo_a"], denominations={})
        assert snapshot(book)[0] == CashBookStatus.OPEN

    def test_empty_day_closes_with_nothing_counted(self, desk, book):
        cash.cash_book_close(cash_book=book, by=desk["cashier_a"], denominations={})
        book.refresh_from_db()
        assert book.cash_counted == D("0.00") and book.totals["count"] == 0

    def test_yesterdays_open_book_takes_no_payment_today(self, desk):
        yesterday = clock.today() - datetime.timedelta(days=1)
        old = cash.cash_book_open(
            counter=desk["counter_a"], cashier=desk["cashier_a"], business_date=yesterday
        )
        with pytest.raises(ValidationError, match="open today's book"):
            take(desk, old, "100")
        assert not Payment.objects.exists()


@pytest.mark.django_db
class TestVerify:
    def _closed(self, desk, book):
        take(desk, book, "100")
        return cash.cash_book_close(cash_book=book, by=desk["cashier_a"], denominations={"100": 1})

    def test_supervisor_verifies_a_closed_book(self, desk, book):
        with pytest.raises(ValidationError, match="Only a closed cash book"):
            cash.cash_book_verify(cash_book=book, by=desk["sdo_a"])
        self._closed(desk, book)
        cash.cash_book_verify(cash_book=book, by=desk["sdo_a"])
        book.refresh_from_db()
        assert book.status == CashBookStatus.VERIFIED and book.verified_by == desk["sdo_a"]
        with pytest.raises(ValidationError):
            cash.cash_book_verify(cash_book=book, by=desk["sdo_a"])
        with pytest.raises(ValidationError):
            take(desk, book, "10")

    def test_not_the_cashier_nor_another_office(self, desk, book):
        self._closed(desk, book)
        with pytest.raises(PermissionDenied):
            cash.cash_book_verify(cash_book=book, by=desk["cashier_a"])
        with pytest.raises(PermissionDenied):
            cash.cash_book_verify(cash_book=book, by=desk["sdo_b"])
        assert snapshot(book)[0] == CashBookStatus.CLOSED

    def test_a_cashier_who_may_verify_still_cannot_verify_their_own_book(self, desk):
        admin = UserFactory(username="sys_a", role=Role.SYSTEM_ADMIN, office=desk["sub_a"])
        book = cash.cash_book_open(counter=desk["counter_a"], cashier=admin)
        cash.cash_book_close(cash_book=book, by=admin, denominations={})
        with pytest.raises(PermissionDenied, match="own"):
            cash.cash_book_verify(cash_book=book, by=admin)
        cash.cash_book_verify(cash_book=book, by=desk["sdo_a"])


@pytest.mark.django_db
class TestBounce:
    def test_bounce_reverses_charges_and_makes_the_account_cash_only(
        self, desk, book, django_capture_on_commit_callbacks
    ):
        consumer = desk["consumer_a"]
        bill(consumer, "1000.00")
        payment = cheque(desk, book, "1000").payment
        assert balance(consumer.id) == D("0.00")
        bounced_on = clock.today()
        with django_capture_on_commit_callbacks(execute=True):
            payment_bounce(
                payment=payment, by=desk["sdo_a"], reason="Funds insufficient", bounce_date=bounced_on
            )
        payment.refresh_from_db()
        consumer.refresh_from_db()
        charge = D(settings.URJA_PAYMENTS["BOUNCE_CHARGE"])
        assert payment.status == PaymentStatus.BOUNCED and payment.cancelled_by == desk["sdo_a"]
        original = LedgerEntry.objects.get(
            source_type="payment", source_id=payment.pk, entry_type=EntryType.PAYMENT
        )
        assert original.reversed_by.get().amount == D("1000.00")
        charge_entry = LedgerEntry.objects.get(source_type="payment_bounce", source_id=payment.pk)
        assert charge_entry.entry_type == EntryType.ADJUSTMENT and charge_entry.amount == charge
        assert "bounce" in charge_entry.description.lower()
        assert balance(consumer.id) == D("1000.00") + charge
        until = bounced_on + datetime.timedelta(days=settings.URJA_PAYMENTS["CASH_ONLY_DAYS"])
        assert consumer.cash_only_until == until
        change = ConsumerChange.objects.get(consumer=consumer, field="cash_only_until")
        assert change.source == ConsumerChange.Source.SYSTEM and payment.receipt_number in change.reason
        bounce_sms = OutboundMessage.objects.get(template="cheque_bounced", consumer_id=consumer.pk)
        assert (
            consumer.language == "hi" and "आपका चेक" in bounce_sms.body and f"Rs {charge}" in bounce_sms.body
        )

        # A later cheque is refused, at the counter and on any channel; cash is taken.
        with pytest.raises(ValidationError, match="cash"):
            cheque(desk, book, "500", number="777777")
        with pytest.raises(ValidationError):
            payment_post(consumer=consumer, amount=D("500"), channel="dd", source="bank:x", reference="DD1")
        assert take(desk, book, "500").created
        # The book's cash is unaffected by the bounce.
        assert cash.cash_expected(book) == D("500.00")

    def test_bounce_needs_a_posted_cheque_and_a_supervisor(self, desk, book):
        cash_payment = take(desk, book, "100").payment
        payment = cheque(desk, book, "300").payment
        today = clock.today()
        with pytest.raises(ValidationError, match="cheque or demand draft"):
            payment_bounce(payment=cash_payment, by=desk["sdo_a"], reason="x", bounce_date=today)
        with pytest.raises(PermissionDenied):
            payment_bounce(payment=payment, by=desk["cashier_a"], reason="x", bounce_date=today)
        with pytest.raises(ValidationError):
            payment_bounce(payment=payment, by=desk["sdo_a"], reason="  ", bounce_date=today)
        with pytest.raises(ValidationError):
            payment_bounce(
                payment=payment, by=desk["sdo_a"], reason="x", bounce_date=today + datetime.timedelta(days=1)
            )
        assert not LedgerEntry.objects.filter(
            entry_type__in=[EntryType.REVERSAL, EntryType.ADJUSTMENT]
        ).exists()
        payment_bounce(payment=payment, by=desk["sdo_a"], reason="Signature differs", bounce_date=today)
        with pytest.raises(ValidationError, match="Only a posted payment"):
            payment_bounce(payment=payment, by=desk["sdo_a"], reason="again", bounce_date=today)
        with pytest.raises(ValidationError):
            payment_cancel(payment=payment, by=desk["sdo_a"], reason="after bounce")
        assert LedgerEntry.objects.filter(entry_type=EntryType.REVERSAL).count() == 1


@pytest.mark.django_db
class TestSummary:
    def test_summary_by_counter_office_and_channel_equals_the_ledger(self, desk):
        book_a = cash.cash_book_open(counter=desk["counter_a"], cashier=desk["cashier_a"])
        book_b = cash.cash_book_open(counter=desk["counter_b"], cashier=desk["cashier_b"])
        take(desk, book_a, "700")
        cheque(desk, book_a, "300.50")
        cancelled = take(desk, book_a, "40").payment
        payment_cancel(payment=cancelled, by=desk["sdo_a"], reason="wrong account")
        cash.counter_payment_take(
            cash_book=book_b,
            consumer=desk["consumer_b"],
            amount=D("999"),
            mode="card",
            by=desk["cashier_b"],
            txn_reference="RRN654321",
        )
        payment_post(
            consumer=desk["consumer_a"],
            amount=D("123.45"),
            channel="partner",
            source="partner:1",
            reference="U1",
        )
        # Another day's payment stays out.
        payment_post(
            consumer=desk["consumer_a"],
            amount=D("5000"),
            channel="partner",
            source="partner:1",
            reference="U0",
            paid_at=clock.now() - datetime.timedelta(days=2),
        )
        superuser = UserFactory(username="root", is_superuser=True, role=Role.SYSTEM_ADMIN)
        summary = collections.collection_summary(principal=superuser, day=clock.today())
        assert summary.total.count == 5 and summary.total.amount == D("2162.95")
        assert summary.total.reversed_amount == D("40.00") and summary.total.net == D("2122.95")
        assert [(r.key, r.count, r.amount) for r in summary.by_counter] == [
            ("CA1", 3, D("1040.50")),
            ("CB1", 1, D("999.00")),
            ("", 1, D("123.45")),
        ]
        assert {r.key: r.amount for r in summary.by_channel} == {
            "card": D("999.00"),
            "cash": D("740.00"),
            "cheque": D("300.50"),
            "partner": D("123.45"),
        }
        assert {r.label.split()[0]: r.amount for r in summary.by_office} == {
            "DC-A": D("1163.95"),
            "DC-B": D("999.00"),
        }
        check = collections.collection_ledger_check(summary, principal=superuser)
        assert check.equal and check.ledger_total == check.day_ledger_total == D("2162.95")

        # Scoped to a sub-division, by the principal or by the office chosen.
        scoped = collections.collection_summary(principal=desk["sdo_a"], day=clock.today())
        assert scoped.total.amount == D("1163.95")
        assert collections.collection_ledger_check(scoped, principal=desk["sdo_a"]).equal
        chosen = collections.collection_summary(principal=superuser, day=clock.today(), office=desk["sub_b"])
        assert chosen.total.amount == D("999.00")
        with pytest.raises(PermissionDenied):
            collections.collection_summary(principal=desk["sdo_a"], day=clock.today(), office=desk["sub_b"])

    def test_a_ledger_payment_without_a_payment_row_fails_the_check(self, desk):
        ledger.entry_post(
            consumer=desk["consumer_a"],
            entry_type=EntryType.PAYMENT,
            amount=D("-10"),
            entry_date=clock.today(),
            description="stray",
        )
        summary = collections.collection_summary(principal=desk["sdo_a"], day=clock.today())
        check = collections.collection_ledger_check(summary, principal=desk["sdo_a"])
        assert not check.equal and check.day_ledger_total == D("10.00") and check.day_payments_total == 0
