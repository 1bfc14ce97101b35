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
