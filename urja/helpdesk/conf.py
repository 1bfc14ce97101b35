"""The helpdesk's tunable rules, overridable with ``settings.URJA_HELPDESK`` (a dict)."""

from django.conf import settings

from urja.domain.sla import Sla
from urja.domain.workflow import Rung

DEFAULTS = {
    # A resolved ticket may be re-opened within this many days of its resolution.
    "REOPEN_DAYS": 5,
    # A complainant's photo (JPEG/PNG; the portal scales it down in the browser first) at most this big.
    "PHOTO_MAX_BYTES": 1024 * 1024,
    # Theft reports (no sign-in needed) taken from one client address in an hour.
    "THEFT_REPORTS_PER_HOUR": 5,
    # The ladder above the JE, as (role, amount, unit); None: the workflow engine's configured ladder
    # (settings.URJA_WORKFLOW["LADDER"]), so the ladder is set once for every process.
    "LADDER": None,
}


def get(name: str):
    return {**DEFAULTS, **getattr(settings, "URJA_HELPDESK", {})}[name]


def ladder() -> tuple[Rung, ...]:
    rungs = get("LADDER") or settings.URJA_WORKFLOW["LADDER"]
    return tuple(Rung(role, Sla(int(amount), unit)) for role, amount, unit in rungs)
