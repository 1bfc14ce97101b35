"""`insert_rows` writes exactly the rows `bulk_create` writes (COPY on PostgreSQL), sets the primary
keys, and leaves out a conflicting row when asked to."""

import datetime
from decimal import Decimal

import pytest
from django.db import IntegrityError, connection, transaction
from django.forms.models import model_to_dict

from urja.billing.models import Bill
from urja.common.bulk import insert_rows
from urja.ledger.models import LedgerEntry
from urja.notifications.models import OutboundMessage
from urja.testing import ConsumerFactory

pytestmark = pytest.mark.django_db


def _bill(consumer, period: str, **extra) -> Bill:
    return Bill(
        consumer=consumer,
        period=period,
        period_start=datetime.date(2026, int(period[5:]), 1),
        period_end=datetime.date(2026, int(period[5:]), 28),
        bill_number=f"{period}-{consumer.account_number}",
        status="issued",
        basis="MU",
        category="LMV1-URBAN",
        sanctioned_load=Decimal("2.00"),
        load_unit="kW",
        units=Decimal("123.45"),
        energy_charge=Decimal("678.90"),
        payable=Decimal("1000.00"),
        lines=[{"head": "energy", "text": 'ऊर्जा शुल्क "quoted"\ttab\nnewline \\ back', "amount": "678.90"}],
        notes=["a note"],
        true_up_periods=[],
        issue_date=datetime.date(2026, 8, 1),
        due_date=datetime.date(2026, 8, 16),
        **extra,
    )


def _row(obj) -> dict:
    row = model_to_dict(type(obj).objects.get(pk=obj.pk))
    row.pop("id")
    return row


@pytest.mark.clock("2026-08-01T10:00:00+05:30")
def test_rows_equal_those_of_bulk_create_and_ids_are_set():
    consumer = ConsumerFactory()
    copied = insert_rows(Bill, [_bill(consumer, "2026-06"), _bill(consumer, "2026-07", kvah=None)])
    created = Bill.objects.bulk_create([_bill(consumer, "2026-04"), _bill(consumer, "2026-05", kvah=None)])
    assert all(b.pk for b in copied) and len({b.pk for b in copied}) == 2
    for mine, theirs in zip(copied, created, strict=True):
        a, b = _row(mine), _row(theirs)
        for key in ("period", "period_start", "period_end", "bill_number"):
            a.pop(key), b.pop(key)
        assert a == b
        stored = Bill.objects.get(pk=mine.pk)
        assert stored.lines == mine.lines and stored.units == Decimal("123.45")
        assert stored.created_at == theirs.created_at or abs(
            stored.created_at - theirs.created_at
        ) < datetime.timedelta(seconds=5)
    # a row that refers to the copied one by its id: the id is the row's
    entry = LedgerEntry(
        consumer=consumer,
        entry_type="bill",
        amount=Decimal("10.00"),
        entry_date=datetime.date(2026, 8, 1),
        period="2026-06",
        source_type="bill",
        source_id=copied[0].pk,
    )
    insert_rows(LedgerEntry, [entry])
    assert LedgerEntry.objects.get(pk=entry.pk).source_id == Bill.objects.get(period="2026-06").pk
    # and the table's own numbering goes on after the copied ids
    later = Bill.objects.create(**{**model_to_dict(_bill(consumer, "2026-08")), "consumer": consumer})
    assert later.pk > max(b.pk for b in copied)


def test_a_unique_conflict_fails_the_copy_unless_ignored():
    consumer = ConsumerFactory()
    insert_rows(Bill, [_bill(consumer, "2026-06")])
    with pytest.raises(IntegrityError), transaction.atomic():
        insert_rows(Bill, [_bill(consumer, "2026-07"), _bill(consumer, "2026-06")])
    assert Bill.objects.count() == 1

    def message(key):
        return OutboundMessage(to="9876543210", template="bill_issued", body="b", dedupe_key=key)

    insert_rows(OutboundMessage, [message("k1")])
    insert_rows(OutboundMessage, [message("k1"), message("k2"), message("k3")], ignore_conflicts=True)
    assert sorted(OutboundMessage.objects.values_list("dedupe_key", flat=True)) == ["k1", "k2", "k3"]
    if connection.vendor == "postgresql":  # twice in one transaction: the staging table is reused
        with transaction.atomic():
            insert_rows(OutboundMessage, [message("k4")], ignore_conflicts=True)
            insert_rows(OutboundMessage, [message("k4"), message("k5")], ignore_conflicts=True)
        assert OutboundMessage.objects.count() == 5


@pytest.mark.clock("2026-08-01T10:00:00+05:30")
def test_datetimes_keep_their_instant_aware_in_any_zone_or_naive():
    """An aware datetime is copied as it is, whatever its zone; a naive one is read in the default zone
    (with Django's warning), as bulk_create does."""
    from zoneinfo import ZoneInfo

    consumer = ConsumerFactory()
    ist = datetime.datetime(2026, 8, 1, 9, 15, tzinfo=ZoneInfo("Asia/Kolkata"))
    naive = datetime.datetime(2026, 8, 1, 9, 15)
    with pytest.warns(RuntimeWarning, match="naive datetime"):
        copied = insert_rows(
            Bill, [_bill(consumer, "2026-06", reviewed_at=ist), _bill(consumer, "2026-07", reviewed_at=naive)]
        )
    assert (
        Bill.objects.get(pk=copied[0].pk).reviewed_at
        == ist
        == datetime.datetime(2026, 8, 1, 3, 45, tzinfo=datetime.UTC)
    )
    expected = naive.replace(tzinfo=ZoneInfo(str(timezone_default())))
    assert Bill.objects.get(pk=copied[1].pk).reviewed_at == expected


def timezone_default():
    from django.utils import timezone

    return timezone.get_default_timezone()
