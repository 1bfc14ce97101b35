from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction

from urja.ledger import selectors, services
from urja.ledger.choices import EntryType
from urja.ledger.models import AppendOnlyError, LedgerEntry

pytestmark = pytest.mark.django_db


@pytest.fixture
def consumer(two_subdivisions):
    return two_subdivisions["consumer_a"]


def post(consumer, entry_type, amount, on, due=None, **kw):
    return services.entry_post(
        consumer=consumer,
        entry_type=entry_type,
        amount=Decimal(amount),
        entry_date=on,
        due_date=due,
        description=str(entry_type),
        **kw,
    )


def test_balance_and_statement(consumer):
    post(consumer, EntryType.BILL, "1200.00", date(2026, 1, 5), date(2026, 1, 20))
    post(consumer, EntryType.PAYMENT, "-1000.00", date(2026, 1, 18))
    post(consumer, EntryType.BILL, "900.50", date(2026, 2, 5), date(2026, 2, 20))
    assert selectors.balance(consumer.id) == Decimal("1100.50")
    st = selectors.statement(consumer.id, date(2026, 1, 10), date(2026, 2, 28))
    assert st.opening_balance == Decimal("1200.00")
    assert [line.balance for line in st.lines] == [Decimal("200.00"), Decimal("1100.50")]
    assert st.closing_balance == Decimal("1100.50")
    assert st.opening_balance + st.total_debits - st.total_credits == st.closing_balance


def test_entries_cannot_be_changed_or_deleted(consumer):
    entry = post(consumer, EntryType.BILL, "100.00", date(2026, 1, 5))
    entry.amount = Decimal("1.00")
    with pytest.raises(AppendOnlyError):
        entry.save()
    with pytest.raises(AppendOnlyError):
        entry.delete()
    with pytest.raises(AppendOnlyError):
        LedgerEntry.objects.filter(pk=entry.pk).update(amount=Decimal("2.00"))
    with pytest.raises(AppendOnlyError):
        LedgerEntry.objects.filter(pk=entry.pk).delete()


@pytest.mark.postgres
def test_database_refuses_raw_update(consumer):
    entry = post(consumer, EntryType.BILL, "100.00", date(2026, 1, 5))
    with pytest.raises(Exception, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE ledger_ledgerentry SET amount = 1 WHERE id = %s", [entry.id])
    assert LedgerEntry.objects.get(pk=entry.pk).amount == Decimal("100.00")


def test_reversal_once_with_reason(two_subdivisions):
    consumer, sdo = two_subdivisions["consumer_a"], two_subdivisions["sdo_a"]
    entry = post(consumer, EntryType.BILL, "500.00", date(2026, 1, 5))
    with pytest.raises(ValidationError):
        services.entry_reverse(entry=entry, by=sdo, reason=" ")
    reversal = services.entry_reverse(entry=entry, by=sdo, reason="wrong reading")
    assert (
        reversal.amount == Decimal("-500.00")
        and reversal.posted_by == sdo
        and reversal.reason == "wrong reading"
    )
    assert selectors.balance(consumer.id) == 0
    with pytest.raises(ValidationError):
        services.entry_reverse(entry=entry, by=sdo, reason="again")


def test_the_database_refuses_a_second_reversal_of_an_entry(two_subdivisions):
    """Past the service's check (two reversals racing): the partial unique constraint holds."""
    consumer, sdo = two_subdivisions["consumer_a"], two_subdivisions["sdo_a"]
    entry = post(consumer, EntryType.BILL, "500.00", date(2026, 1, 5))
    services.entry_reverse(entry=entry, by=sdo, reason="wrong reading")
    second = LedgerEntry(
        consumer=consumer, entry_type=EntryType.REVERSAL, amount=Decimal("-500.00"), entry_date=date(2026, 1, 6),
        reverses=entry, description="again", reason="again",
    )  # fmt: skip
    with pytest.raises(IntegrityError, match="reverses|ledger_reversed_once"), transaction.atomic():
        second.save()
    assert entry.reversed_by.get().reason == "wrong reading"


def test_sign_rules(consumer):
    with pytest.raises(ValidationError):
        post(consumer, EntryType.PAYMENT, "100.00", date(2026, 1, 5))
    with pytest.raises(ValidationError):
        post(consumer, EntryType.BILL, "-100.00", date(2026, 1, 5))
    assert not LedgerEntry.objects.exists()


def test_ageing_buckets(consumer):
    as_of = date(2026, 6, 30)
    post(consumer, EntryType.OPENING, "300.00", date(2024, 1, 1), date(2024, 1, 1))  # > 2 years
    post(consumer, EntryType.BILL, "400.00", date(2025, 10, 1), date(2025, 10, 15))  # 258 days
    post(consumer, EntryType.BILL, "500.00", date(2026, 4, 1), date(2026, 4, 15))  # 76 days
    post(consumer, EntryType.BILL, "600.00", date(2026, 6, 1), date(2026, 6, 15))  # 15 days
    post(consumer, EntryType.PAYMENT, "-350.00", date(2026, 6, 20))  # settles the oldest first
    ageing = selectors.ageing(consumer.id, as_of)
    assert ageing.buckets == {
        "0-30": Decimal("600.00"),
        "31-90": Decimal("500.00"),
        "91-180": Decimal("0.00"),
        "181-365": Decimal("350.00"),
        ">365": Decimal("0.00"),
    }
    assert ageing.outstanding == selectors.balance(consumer.id) == Decimal("1450.00")
    assert not ageing.has_stale_dues


def test_stale_dues_flagged(consumer):
    post(consumer, EntryType.OPENING, "300.00", date(2023, 1, 1), date(2023, 1, 1))
    ageing = selectors.ageing(consumer.id, date(2026, 1, 1))
    assert ageing.has_stale_dues and ageing.buckets[">365"] == Decimal("300.00")


def test_advance_when_overpaid(consumer):
    post(consumer, EntryType.BILL, "100.00", date(2026, 1, 5))
    post(consumer, EntryType.PAYMENT, "-250.00", date(2026, 1, 6))
    ageing = selectors.ageing(consumer.id, date(2026, 2, 1))
    assert ageing.outstanding == 0 and ageing.advance == Decimal("150.00")
