from datetime import date
from decimal import Decimal

from urja.domain import tariff as domain
from urja.domain.rules import add_months

from .models import FppasRate, TariffVersion


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


def version_on(category: str, day: date) -> domain.TariffVersion | None:
    """The version of ``category`` in force on ``day`` (the latest start), or None."""
    row = (
        TariffVersion.objects.filter(category=category, effective_from__lte=day)
        .exclude(effective_to__lt=day)
        .order_by("-effective_from")
        .first()
    )
    return None if row is None else row.to_domain()
