from datetime import date
from decimal import Decimal

from urja.domain import tariff as domain
from urja.domain.rules import add_months

from .models import FppasRate, NormativeUsage, TariffVersion


def tariff_book() -> list[domain.TariffVersion]:
    """Every tariff version, as the domain core's objects (a few dozen rows: load once per run)."""
    return [row.to_domain() for row in TariffVersion.objects.all()]


def _month(day: date) -> str:
    return f"{day.year:04d}-{day.month:02d}"


def fppas_schedule(period_start: date, period_end: date) -> tuple[tuple[str, Decimal], ...]:
    """FPPAS percent for each calendar month the period touches (0 where no order set one)."""
    months = []
    cursor = date(period_start.year, period_start.month, 1)
    while cursor <= period_end:
        months.append(_month(cursor))
        cursor = add_months(cursor, 1)
    rates = dict(FppasRate.objects.filter(month__in=months).values_list("month", "percent"))
    return tuple((m, rates.get(m, Decimal("0"))) for m in months)


def fppas_for_month(day: date):
    row = FppasRate.objects.filter(month=_month(day)).first()
    return row.percent if row else Decimal("0")


def normative_bands() -> dict[str, list[tuple[Decimal | None, Decimal]]]:
    """Normative usage per category: [(upto_load or None, units per unit of load per month)], the
    bounded bands in increasing order, the open band last (a few dozen rows: load once per batch)."""
    bands: dict[str, list[tuple[Decimal | None, Decimal]]] = {}
    for category, upto, units in NormativeUsage.objects.values_list(
        "category", "upto_load", "units_per_load"
    ):
        bands.setdefault(category, []).append((upto, units))
    for rows in bands.values():
        rows.sort(key=lambda row: (row[0] is None, row[0] or 0))
    return bands


def normative_units_per_month(
    bands: dict[str, list[tuple[Decimal | None, Decimal]]], category: str, load: Decimal
) -> Decimal:
    """Normative units per month for a connection of `category` with sanctioned `load` (0 when the
    category has no norm: the bill is then held as zero units for a person to assess)."""
    for upto, units in bands.get(category, []):
        if upto is None or load <= upto:
            return units * load
    return Decimal(0)
