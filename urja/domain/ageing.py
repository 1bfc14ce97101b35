"""Arrears ageing: which part of what an account owes has been due for how long.

Credits (payments, credit adjustments, reversals of debits) settle the oldest debits first, the way the
ledger allocates payments. What stays unpaid of each debit is aged by the days from its due date to the
`as_of` date, into the buckets 0-30, 31-90, 91-180, 181-365 and over 365 days. Dues older than two years
are flagged: under s.56(2) of the Electricity Act they are not recoverable unless shown continuously as
arrears, so they need an officer's attention.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

BUCKETS: tuple[tuple[str, int, int | None], ...] = (
    ("0-30", 0, 30),
    ("31-90", 31, 90),
    ("91-180", 91, 180),
    ("181-365", 181, 365),
    (">365", 366, None),
)
TWO_YEARS_DAYS = 730
ZERO = Decimal("0.00")


@dataclass(frozen=True, slots=True)
class Debit:
    due_on: date
    amount: Decimal


@dataclass(slots=True)
class Ageing:
    as_of: date
    buckets: dict[str, Decimal] = field(default_factory=lambda: {name: ZERO for name, _, _ in BUCKETS})
    older_than_two_years: Decimal = ZERO
    advance: Decimal = ZERO  # credit not yet used by any debit (held against future bills)

    @property
    def outstanding(self) -> Decimal:
        return sum(self.buckets.values(), ZERO)

    @property
    def has_stale_dues(self) -> bool:
        return self.older_than_two_years > 0


def bucket_for(days: int) -> str:
    for name, low, high in BUCKETS:
        if days >= low and (high is None or days <= high):
            return name
    return BUCKETS[0][0]  # not yet due counts as current


def age(debits: Iterable[Debit], credits_total: Decimal, as_of: date) -> Ageing:
    """Age the debits after settling `credits_total` (a positive sum) against the oldest first."""
    result = Ageing(as_of=as_of)
    remaining_credit = credits_total
    for debit in sorted(debits, key=lambda d: d.due_on):
        unpaid = debit.amount
        if remaining_credit > 0:
            used = min(remaining_credit, unpaid)
            unpaid -= used
            remaining_credit -= used
        if unpaid <= 0:
            continue
        days = (as_of - debit.due_on).days
        result.buckets[bucket_for(days)] += unpaid
        if days > TWO_YEARS_DAYS:
            result.older_than_two_years += unpaid
    result.advance = remaining_credit if remaining_credit > 0 else ZERO
    return result
