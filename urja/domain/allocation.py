"""How a payment is applied to what an account owes.

Rule (stated once): the oldest dues are settled first; within one period the late payment surcharge
is settled before the principal; whatever is left over is held as an advance against future bills.
Earlier credits (payments, subsidy, credit adjustments) are applied by the same rule before the new
payment, so the open dues are derived from the ledger alone and no allocation state is stored apart
from the record on each receipt.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal

ZERO = Decimal("0.00")
SURCHARGE = "surcharge"
PRINCIPAL = "principal"
_KIND_ORDER = {SURCHARGE: 0, PRINCIPAL: 1}


@dataclass(frozen=True, slots=True)
class Due:
    period: str  # YYYY-MM the debit belongs to ("" for an opening balance: oldest of all)
    kind: str  # SURCHARGE or PRINCIPAL
    due_on: date
    amount: Decimal


@dataclass(frozen=True, slots=True)
class Allocation:
    period: str
    kind: str
    amount: Decimal

    def to_dict(self) -> dict[str, str]:
        return {"period": self.period, "kind": self.kind, "amount": f"{self.amount:.2f}"}


@dataclass(frozen=True, slots=True)
class LedgerRow:
    """A ledger entry as the allocation rule reads it (signed amount: debits positive)."""

    id: int
    amount: Decimal
    entry_type: str  # the ledger's entry type code: "bill", "lpsc", "opening", "payment", ...
    period: str
    due_date: date | None
    entry_date: date
    reverses_id: int | None


#: Entry types whose debits are surcharge (settled before the principal of the same period), and the
#: opening balance (older than every period).
SURCHARGE_ENTRY_TYPES = frozenset({"lpsc"})
OPENING_ENTRY_TYPE = "opening"


def standing(rows: Iterable[LedgerRow]) -> list[LedgerRow]:
    """The rows that still stand: a reversal and the entry it reverses cancel exactly, so neither
    settles nor makes a due (a cancelled bill does not settle older dues; a bounced cheque revives the
    dues it had settled)."""
    rows = list(rows)
    reversed_ids = {row.reverses_id for row in rows if row.reverses_id is not None}
    return [row for row in rows if row.reverses_id is None and row.id not in reversed_ids]


def _debit_due(row: LedgerRow) -> Due:
    kind = SURCHARGE if row.entry_type in SURCHARGE_ENTRY_TYPES else PRINCIPAL
    period = "" if row.entry_type == OPENING_ENTRY_TYPE else (row.period or f"{row.entry_date:%Y-%m}")
    return Due(period, kind, row.due_date or row.entry_date, row.amount)


def dues_from_entries(rows: Iterable[LedgerRow]) -> list[Due]:
    """An account's open dues from its ledger rows: every standing debit is a due (of its period;
    surcharge or principal), every standing credit is applied to them by the rule."""
    debits: list[Due] = []
    credits = ZERO
    for row in standing(rows):
        if row.amount > 0:
            debits.append(_debit_due(row))
        else:
            credits += -row.amount
    return open_dues(debits, credits)


def _order(due: Due) -> tuple[str, int, date]:
    return (due.period, _KIND_ORDER.get(due.kind, 2), due.due_on)


def due_order(period: str, kind: str, due_on: date) -> tuple[str, int, date]:
    """The place of a debit of `period` (SURCHARGE or PRINCIPAL, due on `due_on`) in the settling order."""
    return (period, _KIND_ORDER[kind], due_on)


def condensed(rows: Iterable[LedgerRow], after: tuple[str, int, date]) -> list[LedgerRow]:
    """Few rows that settle like `rows`: for any entries appended to them whose debits order at or after
    `after` (`due_order`; a new bill's own debit and credits), `dues_from_entries(condensed + new)`
    equals `dues_from_entries(rows + new)`. Kept: the debits ordering after `after`, whole; of the
    others only what the standing credits leave unpaid (the newest of them, the oldest one cut to its
    unpaid part); and the credit those debits did not use, as one row (id 0, its date never read).

    An account's rows grow with its history; this is bounded by what it still owes. The bulk bill run
    reads it from the database (`ledger.selectors.ledger_digests`), equal row for row."""
    kept = standing(rows)
    debits = sorted(
        ((_order(_debit_due(row)), index, row) for index, row in enumerate(kept) if row.amount > 0),
        key=lambda item: (item[0], item[1]),
    )
    credits = -sum((row.amount for row in kept if row.amount < 0), ZERO)
    earlier = [row for order, _, row in debits if order <= after]
    later = [row for order, _, row in debits if order > after]
    owed = sum((row.amount for row in earlier), ZERO)
    unpaid = owed - min(credits, owed)
    tail: list[LedgerRow] = []
    for row in reversed(earlier):
        if unpaid <= 0:
            break
        tail.append(row if row.amount <= unpaid else replace(row, amount=unpaid))
        unpaid -= min(row.amount, unpaid)
    tail.reverse()
    left = credits - min(credits, owed)
    return [*tail, *later, *unused_credit(left)]


def unused_credit(amount: Decimal) -> list[LedgerRow]:
    """The credit a condensed ledger carries for what its debits did not use: one row (id 0, its date
    never read), none when nothing is left."""
    return [LedgerRow(0, -amount, "payment", "", None, date.min, None)] if amount > 0 else []


def open_dues(dues: Iterable[Due], credits_total: Decimal) -> list[Due]:
    """The dues still unpaid after `credits_total` (a positive sum) was applied by the rule."""
    remaining = credits_total
    result = []
    for due in sorted(dues, key=_order):
        if remaining >= due.amount:
            remaining -= due.amount
            continue
        result.append(Due(due.period, due.kind, due.due_on, due.amount - remaining))
        remaining = ZERO
    return result


def allocate(dues: Sequence[Due], amount: Decimal) -> tuple[list[Allocation], Decimal]:
    """Apply `amount` to open `dues` (already in order); returns the allocations and the advance."""
    if amount <= 0:
        raise ValueError("a payment must be a positive amount")
    remaining = amount
    allocations = []
    for due in sorted(dues, key=_order):
        if remaining <= 0:
            break
        used = min(remaining, due.amount)
        allocations.append(Allocation(due.period, due.kind, used))
        remaining -= used
    return allocations, remaining
