"""Rules of disconnection for non-payment (Electricity Act 2003, s.56), as pure functions.

- Notice: at least ``clear_days`` (15) *clear* days in writing: neither the day the notice is served nor
  the day of disconnection counts, so a notice served on the 1st allows action on the 17th at the
  earliest (2nd..16th are the 15 clear days).
- Under protest: supply may not be cut if the consumer deposits, under protest, the lesser of the amount
  claimed and the average monthly bill of the last six months.
- s.56(2): a sum that first became due more than two years ago is not recoverable (and no supply may be
  cut for it) unless it has been *shown continuously as recoverable as arrears*. Urja's definition
  (decision 0028): the stale amount S (what is still open of the dues whose due date is more than two
  years before the day of reckoning) is shown continuously when there is a bill for every month from the
  month after the oldest stale due's period up to the latest bill, with no gap, and every one of those
  bills carries an arrears line of at least S. Otherwise S is left out of what the notice may claim.
- Time of action: never on a configured holiday (nor a Sunday when so configured), never at or after the
  configured last hour of the day (local time).
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal

from .money import round_paisa

ZERO = Decimal("0.00")
CLEAR_DAYS = 15
STALE_YEARS = 2
PROTEST_MONTHS = 6


def earliest_action(served_on: datetime.date, clear_days: int = CLEAR_DAYS) -> datetime.date:
    """The first day supply may be cut on a notice served on `served_on`."""
    return served_on + datetime.timedelta(days=clear_days + 1)


def notice_period_over(served_on: datetime.date, on: datetime.date, clear_days: int = CLEAR_DAYS) -> bool:
    """Whether `clear_days` whole days lie strictly between the service and `on`."""
    return (on - served_on).days - 1 >= clear_days


def two_years_before(on: datetime.date) -> datetime.date:
    """The same day two years earlier (29 February falls back to the 28th)."""
    try:
        return on.replace(year=on.year - STALE_YEARS)
    except ValueError:
        return on.replace(year=on.year - STALE_YEARS, day=28)


def _month_index(period: str) -> int:
    year, month = period.split("-")
    return int(year) * 12 + int(month) - 1


def shown_continuously(
    stale_amount: Decimal, oldest_stale_period: str, bill_arrears: Mapping[str, Decimal]
) -> bool:
    """Whether `stale_amount` was shown as arrears on every monthly bill (period → arrears line) from
    the month after `oldest_stale_period` up to the latest bill, with no month missing."""
    if stale_amount <= 0:
        return True
    if not bill_arrears or not oldest_stale_period:
        return False
    first = _month_index(oldest_stale_period) + 1
    last = max(_month_index(p) for p in bill_arrears)
    if last < first:
        return False
    by_index = {_month_index(p): a for p, a in bill_arrears.items()}
    return all(i in by_index and by_index[i] >= stale_amount for i in range(first, last + 1))


@dataclass(frozen=True, slots=True)
class OpenDue:
    period: str  # YYYY-MM ("" for an opening balance)
    due_on: datetime.date
    amount: Decimal


@dataclass(frozen=True, slots=True)
class Eligibility:
    eligible: bool
    #: What a notice may claim: the open dues, less any stale part not shown continuously.
    claimable: Decimal
    #: Days since the oldest claimable due fell due (0 when none).
    age_days: int
    #: The stale part left out by s.56(2) (zero when shown continuously or none).
    barred: Decimal
    reason: str = ""


def eligibility(
    dues: Iterable[OpenDue],
    *,
    on: datetime.date,
    min_arrears: Decimal,
    min_age_days: int,
    bill_arrears: Mapping[str, Decimal],
) -> Eligibility:
    """Whether an account with `dues` may be served a disconnection notice on `on`: what it may claim
    (at least `min_arrears`), and its oldest claimable due at least `min_age_days` old."""
    dues = [d for d in dues if d.amount > 0 and d.due_on < on]
    cutoff = two_years_before(on)
    stale = [d for d in dues if d.due_on < cutoff]
    stale_amount = sum((d.amount for d in stale), ZERO)
    barred = ZERO
    if stale:
        oldest = min(stale, key=lambda d: (d.due_on, d.period))
        if not shown_continuously(stale_amount, oldest.period, bill_arrears):
            barred = stale_amount
            dues = [d for d in dues if d.due_on >= cutoff]
    claimable = round_paisa(sum((d.amount for d in dues), ZERO))
    age_days = (on - min(d.due_on for d in dues)).days if dues else 0
    if claimable <= 0:
        return Eligibility(False, ZERO, 0, barred, "no claimable dues")
    if claimable < min_arrears:
        return Eligibility(False, claimable, age_days, barred, "below the minimum arrears")
    if age_days < min_age_days:
        return Eligibility(False, claimable, age_days, barred, "not old enough")
    return Eligibility(True, claimable, age_days, barred)


def under_protest_amount(claimed: Decimal, monthly_bills: Sequence[Decimal]) -> Decimal:
    """The deposit that stays a disconnection: the lesser of `claimed` and the average of the monthly
    bills of the last six months (`monthly_bills`, newest last; only the last six count; with fewer,
    the average of those there are; with none, the amount claimed)."""
    claimed = round_paisa(claimed)
    last = [Decimal(b) for b in monthly_bills][-PROTEST_MONTHS:]
    if not last:
        return claimed
    average = round_paisa(sum(last, ZERO) / len(last))
    return min(claimed, max(average, ZERO))


def action_refusal(
    at: datetime.datetime,
    *,
    holidays: Iterable[datetime.date],
    last_hour: int,
    first_hour: int = 0,
    no_sundays: bool = True,
) -> str:
    """Why supply may not be cut at local time `at` ("" when it may)."""
    day = at.date()
    if day in set(holidays):
        return "holiday"
    if no_sundays and day.weekday() == 6:
        return "sunday"
    if at.hour >= last_hour:
        return "after hours"
    if at.hour < first_hour:
        return "before hours"
    return ""
