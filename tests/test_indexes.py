"""The tables a bill run and a payment write most (bills, ledger, payments, readings) carry no index
that another index already serves: every index is written on every insert, so a redundant one only
costs CPU and WAL (docs/decisions/0053)."""

import pytest
from django.db import connection

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]

HOT_TABLES = ["billing_bill", "ledger_ledgerentry", "payments_payment", "metering_reading"]


def _indexes(table: str) -> list[tuple[str, list[str], bool, bool]]:
    """(name, key columns, unique, partial) of each index of `table`."""
    with connection.cursor() as cursor:
        cursor.execute(
            """SELECT i.indexrelid::regclass::text,
                      ARRAY(SELECT a.attname FROM unnest(i.indkey[0:i.indnkeyatts - 1]) WITH ORDINALITY k(n, o)
                            JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.n ORDER BY k.o),
                      i.indisunique, i.indpred IS NOT NULL
               FROM pg_index i WHERE i.indrelid = %s::regclass""",
            [table],
        )
        return [(name, list(cols), unique, partial) for name, cols, unique, partial in cursor.fetchall()]


@pytest.mark.parametrize("table", HOT_TABLES)
def test_no_index_is_a_prefix_of_another(table):
    indexes = _indexes(table)
    redundant = [
        (name, other)
        for name, cols, unique, partial in indexes
        if not unique and not partial
        for other, other_cols, _u, other_partial in indexes
        if other != name and not other_partial and other_cols[: len(cols)] == cols
    ]
    assert redundant == []


def test_the_user_columns_are_indexed_only_where_set():
    """Who reviewed, cancelled, posted or recorded: a partial index over the few rows that have one,
    which still serves a lookup by user (and the foreign key's check when a user is deleted)."""
    partial = {
        (table, tuple(cols))
        for table in HOT_TABLES
        for _n, cols, _u, is_partial in _indexes(table)
        if is_partial
    }
    for table, column in [
        ("billing_bill", "reviewed_by_id"),
        ("billing_bill", "cancelled_by_id"),
        ("ledger_ledgerentry", "posted_by_id"),
        ("payments_payment", "posted_by_id"),
        ("payments_payment", "cancelled_by_id"),
        ("metering_reading", "recorded_by_id"),
    ]:
        assert (table, (column,)) in partial, (table, column)


def test_the_reversal_and_revision_links_are_unique_only_where_set():
    """An entry is reversed once, a bill revised once: unique over the few rows that carry the link,
    not a full unique index holding a NULL for every other row (docs/decisions/0054)."""
    for table, column in [("ledger_ledgerentry", "reverses_id"), ("billing_bill", "revision_of_id")]:
        on_column = [(unique, partial) for _n, cols, unique, partial in _indexes(table) if cols == [column]]
        assert on_column == [(True, True)], (table, column, on_column)
