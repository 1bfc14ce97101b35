"""Category load limits on consumer records (issue 8 rule 8), in the user's language.

The limits are tariff data (``TariffVersion.min_load`` / ``max_load``, urja.domain.load_limits). The
``tariffs`` app sits above ``customers`` in the layers, so it registers the function that finds the
version in force (``register_version_lookup``, from its AppConfig.ready); without one registered the
check is skipped."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from urja.domain.load_limits import LoadOutsideLimits, check_version_load
from urja.domain.money import format_number
from urja.domain.tariff import LoadUnit, TariffVersion

VersionLookup = Callable[[str, datetime.date], TariffVersion | None]
_lookup: list[VersionLookup] = []


def register_version_lookup(lookup: VersionLookup) -> None:
    _lookup[:] = [lookup]


def load_limit_message(exc: LoadOutsideLimits) -> str:
    """The refusal, translated: "A load of 80 kW is outside the limits of the LMV6 category: up to 75 kW."."""
    unit = exc.tariff_unit.value
    if exc.min_load is None:
        limits = _("up to %(max)s %(unit)s") % {
            "max": format_number(exc.max_load or Decimal(0)),
            "unit": unit,
        }
    elif exc.max_load is None:
        limits = _("from %(min)s %(unit)s") % {"min": format_number(exc.min_load), "unit": unit}
    else:
        limits = _("%(min)s to %(max)s %(unit)s") % {
            "min": format_number(exc.min_load),
            "max": format_number(exc.max_load),
            "unit": unit,
        }
    return _(
        "A load of %(load)s %(unit)s is outside the limits of the %(category)s category: %(limits)s."
    ) % {
        "load": format_number(exc.load),
        "unit": exc.unit.value,
        "category": exc.category,
        "limits": limits,
    }


def check_consumer_load(category: str, load: Decimal | None, unit: str, day: datetime.date) -> None:
    """Raise a ValidationError on ``sanctioned_load`` when the load is outside the category's limits in
    the version in force on ``day``."""
    if not _lookup or not category or load is None or not unit:
        return
    version = _lookup[0](category, day)
    if version is None:
        return
    try:
        check_version_load(version, Decimal(load), LoadUnit(unit))
    except LoadOutsideLimits as exc:
        raise ValidationError({"sanctioned_load": load_limit_message(exc)})
