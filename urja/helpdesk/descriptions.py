"""How a theft assessment's ledger entry reads, in Hindi or English (registered with the ledger's
renderers in `HelpdeskConfig.ready`, as the ledger sits below the helpdesk)."""

from collections.abc import Mapping
from typing import Any

from django.utils.translation import gettext as _

THEFT_ASSESSMENT = "theft_assessment"


def theft_params(*, ticket: str, order: str, load, units, rate) -> dict[str, str]:
    return {
        "ticket": ticket,
        "order": order,
        "load": str(load),
        "units": str(units),
        "hours": str(rate.hours_per_day),
        "days": str(rate.days),
        "rate": str(rate.rate),
        "factor": str(rate.factor),
    }


def render_theft_assessment(p: Mapping[str, Any]) -> str:
    return _(
        "Theft assessment, complaint %(ticket)s, inspection %(order)s: %(load)s kW × %(hours)s h × %(days)s days = %(units)s units "
        "at Rs %(rate)s × %(factor)s"
    ) % {
        "ticket": p.get("ticket", ""),
        "order": p.get("order", ""),
        "load": p.get("load", ""),
        "hours": p.get("hours", ""),
        "days": p.get("days", ""),
        "units": p.get("units", ""),
        "rate": p.get("rate", ""),
        "factor": p.get("factor", ""),
    }
