"""The synthetic benchmark history (urja/demo/seed/history.py) written by forked shards: the same rows as
one process apart from their ids, one bill per consumer and period, every balance the sum of its ledger."""

from collections import defaultdict

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.models import Count, Sum

from urja.billing.compute import ledger_entries_for
from urja.billing.models import Bill
from urja.demo.seed.history import BIG_TABLES, generate
from urja.energyaudit.models import InputEnergy
from urja.ledger.models import LedgerEntry
from urja.metering.models import Reading
from urja.payments.models import Payment

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def _rows():
    """Every history row by its natural key, without ids (which depend on the shard count)."""
    return {
        "bills": sorted(
            Bill.objects.values_list("consumer_id", "period", "basis", "units", "arrears", "payable")
        ),
        "ledger": sorted(
            LedgerEntry.objects.values_list("consumer_id", "entry_type", "amount", "entry_date", "code")
        ),
        "readings": sorted(Reading.objects.values_list("consumer_id", "reading_date", "kwh", "status")),
        "payments": sorted(Payment.objects.values_list("consumer_id", "amount", "paid_at")),
        "input_dt": sorted(InputEnergy.objects.filter(dt__isnull=False).values_list("dt_id", "period")),
    }


def _schema() -> list[tuple]:
    """Every index (name, unique, partial, key columns) and constraint (name, kind) of the big tables.
    Not their text: PostgreSQL deparses a rebuilt predicate with other, equivalent casts."""
    tables = [model._meta.db_table for model in BIG_TABLES]
    with connection.cursor() as cursor:
        cursor.execute(
            """SELECT indexrelid::regclass::text, indisunique::text, (indpred IS NOT NULL)::text,
                      indkey::text FROM pg_index WHERE indrelid::regclass::text = ANY(%s)
               UNION ALL
               SELECT conname, contype::text, conrelid::regclass::text, confrelid::regclass::text
               FROM pg_constraint WHERE conrelid::regclass::text = ANY(%s) ORDER BY 1, 2""",
            [tables, tables],
        )
        return cursor.fetchall()


def _clear():
    with connection.cursor() as cursor:
        cursor.execute("SET session_replication_role = replica")  # the ledger's append-only trigger
        for model in (*BIG_TABLES, InputEnergy):
            cursor.execute(f"DELETE FROM {model._meta.db_table}")
        cursor.execute("SET session_replication_role = DEFAULT")


@pytest.mark.clock("2026-12-02T10:00:00+05:30")
def test_two_shards_write_the_rows_of_one_process():
    call_command("seed", consumers=400, seed=3, verbosity=0)
    schema = _schema()
    one = generate(last_period="2026-10", months=3, seed=5, chunk=50, processes=1)
    single = _rows()
    _clear()
    two = generate(last_period="2026-10", months=3, seed=5, chunk=50, processes=2)
    sharded = _rows()

    assert single["bills"] and single["ledger"] and single["payments"] and single["readings"]
    assert sharded == single
    # The indexes and constraints dropped for the load are all back, as they were.
    assert _schema() == schema and len(schema) > 40
    assert two.counts == one.counts
    # One bill per consumer and period; ids unique across the shards (the primary keys say so too).
    assert not Bill.objects.values("consumer_id", "period").annotate(n=Count("id")).filter(n__gt=1).exists()
    # The sequences continue above the interleaved ids.
    for model in BIG_TABLES:
        with connection.cursor() as cursor:
            table = model._meta.db_table
            cursor.execute(f"SELECT last_value >= (SELECT MAX(id) FROM {table}) FROM {table}_id_seq")
            assert cursor.fetchone()[0], table
    # Each bill's ledger entries are exactly what posting it writes (billing.compute.ledger_entries_for).
    fields = ("entry_type", "amount", "due_date", "entry_date", "period", "description", "code", "params")
    posted = defaultdict(list)
    for entry in LedgerEntry.objects.filter(source_type="bill").values("source_id", *fields):
        posted[entry.pop("source_id")].append(entry)
    bills = list(Bill.objects.all())
    assert len(posted) == len(bills)
    for bill in bills:
        expected = [{f: getattr(e, f) for f in fields} for e in ledger_entries_for(bill)]
        assert sorted(posted[bill.pk], key=str) == sorted(expected, key=str), bill.bill_number
    # The last bill's arrears plus its current charges are the ledger up to its issue day.
    for bill in Bill.objects.filter(period="2026-10")[:40]:
        balance = LedgerEntry.objects.filter(
            consumer_id=bill.consumer_id, entry_date__lte=bill.issue_date
        ).aggregate(s=Sum("amount"))["s"]
        paid_that_day = LedgerEntry.objects.filter(
            consumer_id=bill.consumer_id, entry_date=bill.issue_date, entry_type="payment"
        ).aggregate(s=Sum("amount"))["s"]
        assert bill.arrears + bill.current_charges == balance - (paid_that_day or 0)
