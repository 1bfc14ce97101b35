"""Writing many new rows of one model at once, the fastest way the database offers: PostgreSQL's
``COPY … FROM STDIN`` (in the caller's transaction), Django's batched ``bulk_create`` elsewhere.

What it does that ``bulk_create`` does, so the rows are the same either way: each field's
``pre_save`` (``auto_now``/``auto_now_add`` timestamps), its conversion for the database
(``get_db_prep_save``: JSON, decimals, dates), and the primary keys set on the objects (taken from the
table's own sequence before the copy, so rows that refer to them — a bill's ledger entries — can be
built next). What neither does: ``save()``, model signals, ``full_clean``. Use it only where
``bulk_create`` would do (bill runs, imports), with objects the caller has built valid.

Why: a bill run spent a third of its time in Django building and psycopg quoting multi-row INSERT
statements (issue 13); COPY streams the rows in PostgreSQL's text format instead."""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from typing import TypeVar

from django.conf import settings
from django.db import connections, models, transaction

M = TypeVar("M", bound=models.Model)

#: Field classes whose Python value psycopg writes as it is (no ``get_db_prep_save`` needed).
_PLAIN = (
    models.AutoField,
    models.BigAutoField,
    models.BigIntegerField,
    models.BooleanField,
    models.CharField,
    models.DateField,
    models.DecimalField,
    models.ForeignKey,
    models.IntegerField,
    models.PositiveIntegerField,
    models.PositiveSmallIntegerField,
    models.SmallIntegerField,
    models.TextField,
)


def insert_rows(
    model: type[M],
    objs: Sequence[M],
    *,
    using: str = "default",
    batch_size: int = 2000,
    ignore_conflicts: bool = False,
) -> list[M]:
    """Insert ``objs`` (new, unsaved instances of ``model``) and set their primary keys. The caller owns
    the transaction. Returns ``objs``. ``ignore_conflicts``: a row that would break a unique
    constraint is left out, as ``bulk_create(ignore_conflicts=True)`` does (on PostgreSQL the rows are
    copied into a temporary table and inserted from it ``ON CONFLICT DO NOTHING``); the objects then
    carry no primary keys, since which of them went in is not known."""
    objs = list(objs)
    if not objs:
        return objs
    connection = connections[using]
    if connection.vendor != "postgresql":
        return model.objects.using(using).bulk_create(
            objs, batch_size=batch_size, ignore_conflicts=ignore_conflicts
        )
    with transaction.atomic(using=using):
        return _copy(connection, model, objs, ignore_conflicts)


def _copy(connection, model: type[M], objs: list[M], ignore_conflicts: bool) -> list[M]:
    using = connection.alias
    meta = model._meta
    pk = meta.pk
    fields = [f for f in meta.concrete_fields if not f.generated]
    missing = [obj for obj in objs if obj.pk is None]
    if missing and ignore_conflicts:
        fields = [f for f in fields if f is not pk]  # the table's own default numbers the rows that go in
    elif missing:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
                [meta.db_table, pk.column, len(missing)],
            )
            for obj, (new_id,) in zip(missing, cursor.fetchall(), strict=True):
                setattr(obj, pk.attname, new_id)
    auto = [f for f in fields if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False)]
    for f in auto:
        for obj in objs:
            f.pre_save(obj, add=True)
    plain = [type(f) in _PLAIN or isinstance(f, models.ForeignKey) for f in fields]
    # An aware datetime goes to psycopg as it is (what get_db_prep_save returns for it on PostgreSQL);
    # anything else still takes Django's path (a naive one is made aware, with its warning).
    aware = [type(f) is models.DateTimeField and settings.USE_TZ for f in fields]
    attnames = [f.attname for f in fields]
    qn = connection.ops.quote_name
    columns = ", ".join(qn(f.column) for f in fields)
    target = qn(meta.db_table)
    if ignore_conflicts:
        # Only the columns copied, no constraints; gone at commit (nothing outlives the transaction,
        # so a pooled server session handed to another client later holds no such table).
        target = qn(f"urja_copy_{meta.db_table}_{len(fields)}")
        with connection.cursor() as cursor:
            cursor.execute(
                f"CREATE TEMPORARY TABLE IF NOT EXISTS {target} ON COMMIT DROP AS "
                f"SELECT {columns} FROM {qn(meta.db_table)} WITH NO DATA"
            )
    statement = f"COPY {target} ({columns}) FROM STDIN"
    connection.ensure_connection()
    # Django's error wrapper, so a broken constraint is an IntegrityError as from any other write.
    with (
        connection.wrap_database_errors,
        connection.cursor() as wrapper,
        wrapper.cursor.copy(statement) as copy,
    ):
        converted = [
            (index, f, maybe_aware)
            for index, (f, is_plain, maybe_aware) in enumerate(zip(fields, plain, aware, strict=True))
            if not is_plain
        ]
        for obj in objs:
            row = [getattr(obj, name) for name in attnames]
            for index, f, maybe_aware in converted:
                value = row[index]
                if not (maybe_aware and type(value) is datetime.datetime and value.tzinfo):
                    row[index] = f.get_db_prep_save(value, connection)
            copy.write_row(row)
    if ignore_conflicts:
        with connection.cursor() as cursor:
            cursor.execute(
                f"INSERT INTO {qn(meta.db_table)} ({columns}) SELECT {columns} FROM {target} "
                "ON CONFLICT DO NOTHING"
            )
            cursor.execute(f"TRUNCATE {target}")
        return objs
    for obj in objs:
        obj._state.adding = False
        obj._state.db = using
    return objs
