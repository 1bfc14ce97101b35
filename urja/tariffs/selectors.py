from datetime import date
from decimal import Decimal

from urja.domain import tariff as domain

from .models import FppasRate, NormativeUsage, TariffVersion


def tariff_book() -> domain.TariffBook:
    """Every tariff version, as the domain core's objects (a few dozen rows: load once per run)."""
    return domain.TariffBook(row.to_domain() for row in TariffVersion.objects.all())


def _month(day: date) -> str:
    return f"{day.year:04d}-{day.month:02d}"


def bill_month(bill_date: date) -> str:
    """The FPPAS month of a bill: YYYY-MM of the date it is raised (issued) on."""
    return _month(bill_date)


def fppas_for_bill_date(bill_date: date) -> Decimal | None:
    """The FPPAS percent ordered for bills raised in `bill_date`'s month; None when no order is entered
    (never a silent 0%: an order of 0% is a row)."""
    return FppasRate.objects.filter(month=_month(bill_date)).values_list("percent", flat=True).first()


def fppas_missing_message(month: str) -> str:
    """The error shown when no FPPAS order is entered for the bills of `month` (in the active language)."""
    from django.utils.translation import gettext

    return gettext(
        "No FPPAS order has been entered for bills of %(month)s. Enter the order (Tariffs › FPPAS "
        "rates, the bill month) or give the FPPAS percentage."
    ) % {"month": month}


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


def version_on(category: str, day: date) -> domain.TariffVersion | None:
    """The version of ``category`` in force on ``day`` (the latest start), or None."""
    row = (
        TariffVersion.objects.filter(category=category, effective_from__lte=day)
        .exclude(effective_to__lt=day)
        .order_by("-effective_from")
        .first()
    )
    return None if row is None else row.to_domain()
