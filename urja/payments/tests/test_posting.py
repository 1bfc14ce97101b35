import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from urja.ledger import services as ledger
from urja.ledger.choices import EntryType
from urja.ledger.models import LedgerEntry
from urja.ledger.selectors import balance
from urja.ledger.selectors import open_dues as account_dues
from urja.notifications.models import OutboundMessage
from urja.payments.models import Payment
from urja.payments.services import PaymentConflict, payment_post
from urja.testing import run_concurrently

D = Decimal


def debit(consumer, entry_type, amount, on, period, due=None):
    return ledger.entry_post(
        consumer=consumer,
        entry_type=entry_type,
        amount=D(amount),
        entry_date=on,
        due_date=due or on,
        period=period,
        description=f"{entry_type} {period}",
    )


def post(consumer, amount, reference, source="partner:1", channel="partner"):
    return payment_post(
        consumer=consumer, amount=D(amount), channel=channel, source=source, reference=reference
    )


@pytest.mark.django_db
class TestPosting:
    def test_post_allocates_oldest_first_surcharge_before_principal(self, two_subdivisions):
        c = two_subdivisions["consumer_a"]
        debit(c, EntryType.BILL, "1000.00", datetime.date(2026, 6, 1), "2026-05")
        debit(c, EntryType.LPSC, "12.50", datetime.date(2026, 6, 20), "2026-05")
        debit(c, EntryType.BILL, "800.00", datetime.date(2026, 7, 1), "2026-06")
        result = post(c, "1100.00", "UTR1")
        assert result.created
        assert result.payment.allocation == [
            {"period": "2026-05", "kind": "surcharge", "amount": "12.50"},
            {"period": "2026-05", "kind": "principal", "amount": "1000.00"},
            {"period": "2026-06", "kind": "principal", "amount": "87.50"},
        ]
        assert result.payment.advance == 0 and result.payment.balance_before == D("1812.50")
        assert balance(c.id) == D("712.50")
        dues, bal = account_dues(c.id)
        assert [(d.period, d.amount) for d in dues] == [("2026-06", D("712.50"))] and bal == D("712.50")

    def test_overpayment_is_advance(self, two_subdivisions):
        c = two_subdivisions["consumer_a"]
        debit(c, EntryType.BILL, "100.00", datetime.date(2026, 6, 1), "2026-05")
        result = post(c, "250", "UTR2")
        assert result.payment.advance == D("150.00")
        assert balance(c.id) == D("-150.00")

    def test_retry_same_reference_returns_same_receipt(self, two_subdivisions):
        c = two_subdivisions["consumer_a"]
        first = post(c, "500", "UTR3")
        again = post(c, "500.00", "UTR3")
        assert not again.created and again.payment.pk == first.payment.pk
        assert Payment.objects.count() == 1
        assert LedgerEntry.objects.filter(entry_type=EntryType.PAYMENT).count() == 1

    def test_same_reference_other_amount_or_account_conflicts(self, two_subdivisions):
        a, b = two_subdivisions["consumer_a"], two_subdivisions["consumer_b"]
        post(a, "500", "UTR4")
        with pytest.raises(PaymentConflict):
            post(a, "501", "UTR4")
        with pytest.raises(PaymentConflict):
            post(b, "500", "UTR4")
        assert Payment.objects.count() == 1

    def test_same_reference_in_another_source_is_another_payment(self, two_subdivisions):
        a = two_subdivisions["consumer_a"]
        post(a, "500", "UTR5", source="partner:1")
        post(a, "500", "UTR5", source="partner:2")
        assert Payment.objects.count() == 2

    def test_receipt_numbers_without_gaps(self, two_subdivisions):
        a = two_subdivisions["consumer_a"]
        numbers = [post(a, "10", f"G{i}", source="counter:C1").payment.receipt_number for i in range(3)]
        with pytest.raises(ValidationError):
            post(a, "-5", "BAD", source="counter:C1")
        numbers.append(post(a, "10", "G9", source="counter:C1").payment.receipt_number)
        assert [int(n[-8:]) for n in numbers] == [1, 2, 3, 4]

    @pytest.mark.parametrize(("amount", "reference"), [("0", "X"), ("-1", "X"), ("10", "  ")])
    def test_bad_input_changes_nothing(self, two_subdivisions, amount, reference):
        with pytest.raises(ValidationError):
            post(two_subdivisions["consumer_a"], amount, reference)
        assert not Payment.objects.exists() and not LedgerEntry.objects.exists()

    def test_sms_queued_on_commit(self, two_subdivisions, django_capture_on_commit_callbacks):
        with django_capture_on_commit_callbacks(execute=True):
            result = post(two_subdivisions["consumer_a"], "100", "SMS1")
        message = OutboundMessage.objects.get()
        assert result.payment.receipt_number in message.body and message.template == "payment_received"

    def test_sms_in_the_consumers_language_from_its_template(
        self, two_subdivisions, django_capture_on_commit_callbacks
    ):
        consumer = two_subdivisions["consumer_a"]
        consumer.language = "en"
        consumer.save(update_fields=["language"])
        with django_capture_on_commit_callbacks(execute=True):
            result = post(consumer, "100", "SMS2")
        message = OutboundMessage.objects.get()
        assert message.language == "en" and message.body.startswith("Urja: Rs 100.00 received")
        assert (
            message.status == OutboundMessage.Status.SENT
            and message.dedupe_key == f"payment:{result.payment.pk}"
        )

    def test_no_outbox_row_when_the_posting_fails(self, two_subdivisions):
        with pytest.raises(ValidationError):
            post(two_subdivisions["consumer_a"], "-5", "SMS3")
        assert not OutboundMessage.objects.exists()


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_twenty_concurrent_same_reference_post_once(two_subdivisions):
    c = two_subdivisions["consumer_a"]
    results = run_concurrently(20, lambda i: post(c, "250.00", "SAME-REF"))
    assert all(not isinstance(r, Exception) for r in results), results
    assert sum(r.created for r in results) == 1
    assert len({r.payment.receipt_number for r in results}) == 1
    assert Payment.objects.count() == 1
    assert balance(c.id) == D("-250.00")


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_twenty_concurrent_different_payments_all_post(two_subdivisions):
    c = two_subdivisions["consumer_a"]
    debit(c, EntryType.BILL, "1500.00", datetime.date(2026, 6, 1), "2026-05")
    results = run_concurrently(20, lambda i: post(c, f"{100 + i}.25", f"REF-{i}"))
    assert all(not isinstance(r, Exception) and r.created for r in results), results
    total = sum(D(f"{100 + i}.25") for i in range(20))
    assert Payment.objects.count() == 20
    assert balance(c.id) == D("1500.00") - total
    numbers = sorted(int(p.receipt_number[-8:]) for p in Payment.objects.all())
    assert numbers == list(range(1, 21))
    advance = sum((p.advance for p in Payment.objects.all()), D("0"))
    assert advance == total - D("1500.00")


def posted_at(consumer, paid_at, reference="OLD-1"):
    return payment_post(
        consumer=consumer,
        amount=D("100.00"),
        channel="partner",
        source="partner:1",
        reference=reference,
        paid_at=paid_at,
    )


IST = datetime.timezone(datetime.timedelta(hours=5, minutes=30))


@pytest.mark.django_db
@pytest.mark.clock("2026-11-28T12:00:00+05:30")
class TestPaidAtBounds:
    """payment_post bounds `paid_at` for every channel: not in the future, not older than
    URJA_PAYMENTS["PAID_AT_MAX_AGE_DAYS"] (by IST date), not before the account's connection date."""

    def test_within_the_window_posts(self, two_subdivisions):
        c = two_subdivisions["consumer_a"]
        # 90 days before 28 November 2026 is 30 August 2026: that day is still inside the window.
        assert posted_at(c, datetime.datetime(2026, 8, 30, 0, 5, tzinfo=IST)).created

    def test_older_than_the_window_is_refused_and_posts_nothing(self, two_subdivisions):
        c = two_subdivisions["consumer_a"]
        with pytest.raises(ValidationError) as caught:
            posted_at(c, datetime.datetime(2026, 8, 29, 23, 55, tzinfo=IST))
        assert "paid_at" in caught.value.message_dict
        assert "90 days" in " ".join(caught.value.messages)
        assert not Payment.objects.exists() and not LedgerEntry.objects.exists()

    def test_the_window_is_configurable(self, two_subdivisions, settings):
        settings.URJA_PAYMENTS = {**settings.URJA_PAYMENTS, "PAID_AT_MAX_AGE_DAYS": 7}
        c = two_subdivisions["consumer_a"]
        assert posted_at(c, datetime.datetime(2026, 11, 21, 10, 0, tzinfo=IST), "R1").created
        with pytest.raises(ValidationError, match="7 days"):
            posted_at(c, datetime.datetime(2026, 11, 20, 10, 0, tzinfo=IST), "R2")

    def test_before_the_connection_date_is_refused(self, two_subdivisions):
        c = two_subdivisions["consumer_a"]
        c.connection_date = datetime.date(2026, 11, 1)
        c.save(update_fields=["connection_date"])
        with pytest.raises(ValidationError, match="connection date"):
            posted_at(c, datetime.datetime(2026, 10, 31, 18, 0, tzinfo=IST))
        assert posted_at(c, datetime.datetime(2026, 11, 1, 9, 0, tzinfo=IST)).created

    @pytest.mark.parametrize(
        "paid_at",
        [
            datetime.datetime(1, 1, 1, 0, 0, tzinfo=IST),
            datetime.datetime(1, 1, 1, 0, 0, tzinfo=datetime.timezone(datetime.timedelta(hours=14))),
            datetime.datetime(9999, 12, 31, 23, 59, tzinfo=datetime.timezone(datetime.timedelta(hours=-5))),
        ],
    )
    def test_out_of_range_instants_are_refused_not_500(self, two_subdivisions, paid_at):
        with pytest.raises(ValidationError):
            posted_at(two_subdivisions["consumer_a"], paid_at)
        assert not Payment.objects.exists()

    def test_a_retry_of_a_posted_payment_still_answers_after_the_window(self, two_subdivisions, travel):
        c = two_subdivisions["consumer_a"]
        first = posted_at(c, datetime.datetime(2026, 11, 28, 10, 0, tzinfo=IST))
        travel.shift(datetime.timedelta(days=120))
        again = posted_at(c, datetime.datetime(2026, 11, 28, 10, 0, tzinfo=IST))
        assert not again.created and again.payment == first.payment
