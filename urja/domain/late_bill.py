"""The late-bill rebate of the Electricity (Rights of Consumers) Rules, 2020 (docs/decisions/0010-solar-
deposits-late-bills-duty.md): a bill served sixty days or more after it fell due to be served earns the
consumer a rebate of 2-5% (the percentage the Commission specifies) on the bill's current charges.

How late a bill is counts in days from the end of its billing period (the reading that closes it) to
the day it is issued; the threshold and the percentage are configuration, passed in."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

ZERO = Decimal(0)


def days_late(period_end: date, issue_date: date) -> int:
    """Days from the end of the billing period to the bill's issue date (0 when issued on time or early)."""
    return max((issue_date - period_end).days, 0)


def late_rebate_percent(days: int, *, after_days: int, percent: Decimal) -> Decimal:
    """The rebate percentage for a bill served ``days`` late: ``percent`` from ``after_days`` on, else 0."""
    if after_days <= 0:
        raise ValueError(f"the late-bill threshold must be a positive number of days, got {after_days}")
    if not ZERO <= percent <= Decimal(100):
        raise ValueError(f"the late-bill rebate must be 0-100%, got {percent}")
    return percent if days >= after_days else ZERO
