"""Database helpers: money exact on every backend; no query log in long jobs; process pools that fork
without sharing a connection; purges that skip the rows others hold."""

import multiprocessing
from collections import deque
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from decimal import Decimal

from django.db import transaction
from django.db.models import DecimalField, Sum

PAISA = Decimal("0.01")


class MoneySum(Sum):
    """SUM of a money column, exact on both databases.

    PostgreSQL sums NUMERIC exactly. SQLite keeps a decimal column as a binary float, so a plain SUM
    drifts (a balance of zero comes back as -1.1e-13); here each value is summed as whole paise
    (ROUND(x * 100), exact for any realistic total) and the result is quantised to the paisa."""

    def __init__(self, expression, **extra):
        extra.setdefault("output_field", DecimalField(max_digits=20, decimal_places=2))
        super().__init__(expression, **extra)

    def as_sqlite(self, compiler, connection, **extra_context):
        return self.as_sql(
            compiler, connection, template="(SUM(ROUND(%(expressions)s * 100)) / 100.0)", **extra_context
        )

    def get_db_converters(self, connection):
        return [*super().get_db_converters(connection), self._to_paisa]

    @staticmethod
    def _to_paisa(value, expression, connection):
        return None if value is None else Decimal(value).quantize(PAISA)


def discard_query_logs() -> Callable[[], None]:
    """Keep no SQL log on any connection of this process, now and for connections opened later.

    Under DEBUG (the `urja` command's default settings are the development ones) Django keeps the last
    9,000 statements of each connection with their parameters inlined; a bill run's bulk inserts made
    that 408 MB at 200,000 consumers (issue 13). The `urja` command calls this for every subcommand but
    `runserver`. Returns a function that restores the logs (for tests)."""
    from django.db import connections
    from django.db.backends.signals import connection_created

    def discard(connection) -> None:
        connection.queries_log = deque(maxlen=0)

    def on_created(sender, connection, **kwargs) -> None:
        discard(connection)

    for connection in connections.all(initialized_only=True):
        discard(connection)
    connection_created.connect(on_created, dispatch_uid="urja-discard-query-logs", weak=False)

    def restore() -> None:
        connection_created.disconnect(dispatch_uid="urja-discard-query-logs")
        for connection in connections.all(initialized_only=True):
            connection.queries_log = deque(maxlen=connection.queries_limit)

    return restore


def fork_pool(workers: int) -> ProcessPoolExecutor:
    """A pool of ``workers`` forked processes that inherit the settings (and, under test, the test
    database) but none of this process's connections: every connection is closed first — and psycopg's
    connection pools, whose threads do not survive a fork — so each worker opens its own and the parent
    reopens its own on next use. Workers should close theirs when a task ends (`connections.close_all`)."""
    from django.db import connections

    connections.close_all()
    for conn in connections.all(initialized_only=True):
        if getattr(conn, "_connection_pools", {}).get(conn.alias) is not None:
            conn.close_pool()
    return ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("fork"))


def delete_unheld(queryset) -> int:
    """Delete the rows of `queryset` that no other transaction holds, skipping the rest (PostgreSQL's
    FOR UPDATE SKIP LOCKED; SQLite has one writer and deletes them all). For purges of expired rows
    that run beside the attempts locking them: a DELETE that waited for a locked row, while holding the
    rows it had already deleted, could deadlock with the holder. A skipped row goes at the next purge."""
    with transaction.atomic():
        unheld = queryset.select_for_update(skip_locked=True).values("pk")
        deleted, _by_model = queryset.model.objects.filter(pk__in=unheld).delete()
    return deleted
