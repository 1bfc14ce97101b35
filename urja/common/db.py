"""Database helpers that keep money exact on every backend."""

from decimal import Decimal

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
