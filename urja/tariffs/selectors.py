from datetime import date
from decimal import Decimal

from urja.domain import tariff as domain

from .models import FppasRate, TariffVersion


def tariff_book() -> list[domain.TariffVersion]:
    """Every tariff version, as the domain core's objects (a few dozen rows: load once per run)."""
    return [row.to_domain() for row in TariffVersion.objects.all()]


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
