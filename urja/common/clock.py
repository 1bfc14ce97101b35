"""The one place Urja reads the time.

Business dates (bill issue and due dates, "today" on forms, ledger entry dates, the LPSC and OTS
calendars) are dates in India Standard Time, whatever the server's own time zone: a payment at
00:30 IST on 1 April belongs to the new financial year even on a server running in UTC. Everything
else calls these functions instead of `date.today()`, `datetime.now()` or `timezone.localdate()`
(ruff's banned-api rule in pyproject.toml says so), so a test sets the clock in one way
(time-machine) and the whole product follows it.
"""

import datetime
from zoneinfo import ZoneInfo

from django.utils import timezone

#: Urja's business time zone. Django's TIME_ZONE is the same (settings.base), which makes admin and
#: template dates agree with these functions.
IST = ZoneInfo("Asia/Kolkata")


def now() -> datetime.datetime:
    """The current instant, time-zone aware (UTC inside; convert with `localtime` to show it)."""
    return timezone.now()


def localtime(value: datetime.datetime | None = None) -> datetime.datetime:
    """`value` (default: now) as a wall-clock time in IST."""
    return (value or now()).astimezone(IST)


def today() -> datetime.date:
    """Today's date in IST."""
    return localtime().date()


def local_date(value: datetime.datetime) -> datetime.date:
    """The IST calendar date of an instant (a payment's `paid_at`, a row's `created_at`)."""
    return localtime(value).date()


def aware(value: datetime.datetime) -> datetime.datetime:
    """A naive wall-clock time read from a file or form, taken as IST; an aware one is kept."""
    return value if value.tzinfo is not None else value.replace(tzinfo=IST)


def day_start(day: datetime.date) -> datetime.datetime:
    """Midnight IST at the start of `day`, as an aware instant."""
    return datetime.datetime.combine(day, datetime.time.min, tzinfo=IST)
