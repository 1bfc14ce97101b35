"""The helpdesk's tunable rules, overridable with ``settings.URJA_HELPDESK`` (a dict)."""

from django.conf import settings

DEFAULTS = {
    # A resolved ticket may be re-opened within this many days of its resolution.
    "REOPEN_DAYS": 5,
    # Hours each level of the ladder has before the ticket climbs to the next one: the JE has the
    # category's hours, then the SDO, the EE and the SE each get these (plausible, not from a rule).
    "LEVEL_HOURS": {1: 24, 2: 48, 3: 72},
}


def get(name: str):
    return {**DEFAULTS, **getattr(settings, "URJA_HELPDESK", {})}[name]
