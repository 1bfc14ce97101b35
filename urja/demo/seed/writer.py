"""Fast bulk writes for the seed: PostgreSQL COPY, executemany elsewhere.

The generator hands over plain tuples in a fixed field order (no model instances, no ``full_clean``:
the generator produces valid values by construction). Ids are assigned by the generator, so rows of
several tables can be written in one pass without reading ids back; sequences are reset at the end.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from django.core.management.color import no_style
from django.db import connection, models


class Table:
    """Where one model's rows go: its table, the columns the generator fills, and constant values for
    any other column (a field added later with a default must not break the seed)."""

    def __init__(self, model: type[models.Model], attnames: Sequence[str]):
        self.model = model
        # Generated columns (the consumer's search keys) are the database's to fill.
        by_attname = {f.attname: f for f in model._meta.concrete_fields if not f.generated}
        unknown = [a for a in attnames if a not in by_attname]
        if unknown:
            raise ValueError(f"{model.__name__} has no field(s) {unknown}")
        tail_fields = [f for a, f in by_attname.items() if a not in attnames]
        for f in tail_fields:
            if not f.has_default() and not f.null:
                raise ValueError(
                    f"seed: {model.__name__}.{f.name} has no default; teach the generator to fill it"
                )
        self.columns = [by_attname[a].column for a in attnames] + [f.column for f in tail_fields]
        self.tail = tuple(
            f.get_db_prep_save(f.get_default(), connection) if f.has_default() else None for f in tail_fields
        )
        self.table = model._meta.db_table


class Writer:
    def __init__(self):
        self.vendor = connection.vendor
        self.written: dict[str, int] = {}

    def next_id(self, model: type[models.Model]) -> int:
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT MAX(id) FROM {connection.ops.quote_name(model._meta.db_table)}")
            (current,) = cursor.fetchone()
        return (current or 0) + 1

    def write(self, table: Table, rows: Iterable[tuple]) -> None:
        rows = list(rows) if not isinstance(rows, list) else rows
        if not rows:
            return
        if table.tail:
            tail = table.tail
            rows = [row + tail for row in rows]
        qn = connection.ops.quote_name
        cols = ", ".join(qn(c) for c in table.columns)
        if self.vendor == "postgresql":
            # psycopg 3: COPY … FROM STDIN, rows streamed through write_row (text format; the server
            # parses each value for its column type, so decimals and dates may travel as strings).
            raw = connection.connection
            with raw.cursor() as cursor, cursor.copy(f"COPY {qn(table.table)} ({cols}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
        else:
            placeholders = ", ".join(["%s"] * len(table.columns))
            with connection.cursor() as cursor:
                cursor.executemany(f"INSERT INTO {qn(table.table)} ({cols}) VALUES ({placeholders})", rows)
        self.written[table.table] = self.written.get(table.table, 0) + len(rows)

    def finish(self, models_written: Sequence[type[models.Model]]) -> None:
        """Bring id sequences past the explicitly assigned ids, and refresh planner statistics."""
        statements = connection.ops.sequence_reset_sql(no_style(), list(models_written))
        with connection.cursor() as cursor:
            for sql in statements:
                cursor.execute(sql)
            if self.vendor == "postgresql":
                for model in models_written:
                    cursor.execute(f"ANALYZE {connection.ops.quote_name(model._meta.db_table)}")
