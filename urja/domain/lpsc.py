"""Late payment surcharge (LPSC): the rate by age, and one month's surcharge on an account's overdue dues.

Rule (stated once; the percentages and the number of months are configuration, ``URJA_PAYMENTS``):

* Only principal is surcharged (never surcharge on surcharge), and only what is still unpaid after
  the account's credits were applied by the allocation rule (:func:`urja.domain.allocation.open_dues`).
* A due item is overdue on ``on`` when its due date is before ``on``. Its age is the number of months
  it has been overdue, counting a started month as a month: the smallest ``k`` with
  ``add_months(due_on, k) >= on`` (due 15 Jan: 1 on 16 Jan–15 Feb, 2 on 16 Feb–15 Mar, 4 from 16 Apr).
* One month's surcharge on an item is ``first_percent`` of it while its age is at most ``first_months``
  (1.25 % for the first 3 months), ``later_percent`` after that (2 %); each item's surcharge is rounded
  to the paisa, half up, and the account's charge for the month is the sum.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from urja.domain.allocation import PRINCIPAL, Due
from urja.domain.money import round_paisa
from urja.domain.rules import add_months

ZERO = Decimal("0.00")
HUNDRED = Decimal(100)


@dataclass(frozen=True, slots=True)
class LpscRates:
    first_percent: Decimal
    later_percent: Decimal
    first_months: int

    def __post_init__(self) -> None:
        for value in (self.first_percent, self.later_percent):
            if not isinstance(value, Decimal) or value < 0:
                raise ValueError("LPSC percentages must be non-negative Decimals")
        if self.first_months < 0:
            raise ValueError("LPSC first_months must not be negative")

    def percent_for(self, months: int) -> Decimal:
        """The monthly percentage for an item overdue for `months` (started) months."""
        return self.first_percent if months <= self.first_months else self.later_percent


@dataclass(frozen=True, slots=True)
class SurchargeItem:
    """One overdue principal item and the surcharge it bears for the month."""

    period: str
    due_on: date
    base: Decimal
    months_overdue: int
    percent: Decimal
    surcharge: Decimal


def months_overdue(due_on: date, on: date) -> int:
    """Started months overdue on `on` (0 when not yet overdue): the smallest k with due_on + k months >= on."""
    if on <= due_on:
        return 0
    months = (on.year - due_on.year) * 12 + on.month - due_on.month
    return months if add_months(due_on, months) >= on else months + 1


def surcharge_items(dues: Iterable[Due], on: date, rates: LpscRates) -> list[SurchargeItem]:
    """The surcharge on each overdue principal item in `dues` (open dues, after credits) on `on`."""
    items = []
    for due in dues:
        if due.kind != PRINCIPAL or due.amount <= 0:
            continue
        months = months_overdue(due.due_on, on)
        if months == 0:
            continue
        percent = rates.percent_for(months)
        surcharge = round_paisa(due.amount * percent / HUNDRED)
        if surcharge > 0:
            items.append(SurchargeItem(due.period, due.due_on, due.amount, months, percent, surcharge))
    return items


def surcharge_total(items: Iterable[SurchargeItem]) -> Decimal:
    return sum((item.surcharge for item in items), ZERO)


def describe(month: str, items: list[SurchargeItem], limit: int = 200) -> str:
    """A ledger description naming the base: "LPSC 2026-11: 1.25% on 1000.00 (2026-09); 2% on …"."""
    parts = [
        f"{item.percent.normalize():f}% on {item.base:.2f} ({item.period or 'opening'})" for item in items
    ]
    text = f"LPSC {month}: " + "; ".join(parts)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def surcharge_if_paid_late(dues: Iterable[Due], due_on: date, rates: LpscRates) -> Decimal:
    """The surcharge a bill due on `due_on` adds when paid after it ("payable after due date"): one
    month's surcharge on each open principal item as it stands the day after `due_on`, at the rate of
    that item's age then (so old arrears bear 2% while the bill's own charges bear 1.25%)."""
    return surcharge_total(surcharge_items(dues, due_on + timedelta(days=1), rates))
