"""Reads of the ledger: balances, statements and arrears ageing, all derived from the entries."""

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.db.models import Q

from urja.common.db import MoneySum
from urja.domain.ageing import Ageing, Debit, age
from urja.domain.allocation import Due, LedgerRow, dues_from_entries, standing

from .choices import EntryType
from .models import LedgerEntry

ZERO = Decimal("0.00")


def balance(consumer_id: int, as_of: date | None = None) -> Decimal:
    qs = LedgerEntry.objects.filter(consumer_id=consumer_id)
    if as_of is not None:
        qs = qs.filter(entry_date__lte=as_of)
    return qs.aggregate(total=MoneySum("amount"))["total"] or ZERO


def balances(consumer_ids: Iterable[int], as_of: date | None = None) -> dict[int, Decimal]:
    """Balance per account in one query (missing accounts have none)."""
    ids = list(consumer_ids)
    result = dict.fromkeys(ids, ZERO)
    qs = LedgerEntry.objects.filter(consumer_id__in=ids)
    if as_of is not None:
        qs = qs.filter(entry_date__lte=as_of)
    for row in qs.values("consumer_id").annotate(total=MoneySum("amount")).order_by():
        result[row["consumer_id"]] = row["total"]
    return result


_ROW_FIELDS = ("id", "amount", "entry_type", "period", "due_date", "entry_date", "reverses_id")


def ledger_rows(consumer_ids: Iterable[int], as_of: date | None = None) -> dict[int, list[LedgerRow]]:
    """Every ledger row of the accounts (up to `as_of`), in posting order, in one query."""
    ids = list(consumer_ids)
    result: dict[int, list[LedgerRow]] = {cid: [] for cid in ids}
    qs = LedgerEntry.objects.filter(consumer_id__in=ids)
    if as_of is not None:
        qs = qs.filter(entry_date__lte=as_of)
    for consumer_id, *values in qs.order_by("entry_date", "id").values_list("consumer_id", *_ROW_FIELDS):
        result[consumer_id].append(LedgerRow(*values))
    return result


def open_dues_bulk(consumer_ids: Iterable[int], as_of: date | None = None) -> dict[int, list[Due]]:
    """Open dues per account (oldest first, surcharge before principal) by the allocation rule."""
    return {cid: dues_from_entries(rows) for cid, rows in ledger_rows(consumer_ids, as_of).items()}


def open_dues(consumer_id: int, as_of: date | None = None) -> tuple[list[Due], Decimal]:
    """An account's open dues and its balance, from one read of its ledger."""
    rows = ledger_rows([consumer_id], as_of)[consumer_id]
    return dues_from_entries(rows), sum((row.amount for row in rows), ZERO)


@dataclass
class StatementLine:
    entry: LedgerEntry
    debit: Decimal
    credit: Decimal
    balance: Decimal


@dataclass
class Statement:
    date_from: date
    date_to: date
    opening_balance: Decimal
    lines: list[StatementLine] = field(default_factory=list)

    @property
    def closing_balance(self) -> Decimal:
        return self.lines[-1].balance if self.lines else self.opening_balance

    @property
    def total_debits(self) -> Decimal:
        return sum((line.debit for line in self.lines), ZERO)

    @property
    def total_credits(self) -> Decimal:
        return sum((line.credit for line in self.lines), ZERO)


def statement(consumer_id: int, date_from: date, date_to: date) -> Statement:
    opening = (
        LedgerEntry.objects.filter(consumer_id=consumer_id, entry_date__lt=date_from).aggregate(
            t=MoneySum("amount")
        )["t"]
        or ZERO
    )
    result = Statement(date_from=date_from, date_to=date_to, opening_balance=opening)
    running = opening
    entries = LedgerEntry.objects.filter(
        consumer_id=consumer_id, entry_date__gte=date_from, entry_date__lte=date_to
    ).order_by("entry_date", "id")
    for entry in entries.select_related("posted_by"):
        running += entry.amount
        result.lines.append(
            StatementLine(
                entry=entry,
                debit=entry.amount if entry.amount > 0 else ZERO,
                credit=-entry.amount if entry.amount < 0 else ZERO,
                balance=running,
            )
        )
    return result


def ageing_bulk(consumer_ids: Iterable[int], as_of: date) -> dict[int, Ageing]:
    """Arrears ageing per account, in one pass over the entries (one query). Reversed entries and
    their reversals are not aged (`domain.allocation.standing`)."""
    result = {}
    for cid, rows in ledger_rows(consumer_ids, as_of).items():
        debits, credits = [], ZERO
        for row in standing(rows):
            if row.amount > 0:
                debits.append(Debit(due_on=row.due_date or row.entry_date, amount=row.amount))
            else:
                credits += -row.amount
        result[cid] = age(debits, credits, as_of)
    return result


def ageing(consumer_id: int, as_of: date) -> Ageing:
    return ageing_bulk([consumer_id], as_of)[consumer_id]


def bill_entries_unreversed(consumer_id: int):
    return LedgerEntry.objects.filter(consumer_id=consumer_id, entry_type=EntryType.BILL).filter(
        Q(reversed_by__isnull=True)
    )


def last_payment(consumer_id: int, before: date) -> LedgerEntry | None:
    """The account's latest payment received before ``before`` (a bill's issue date) and not since
    cancelled or bounced (reversed): what the bill prints as the last payment."""
    return (
        LedgerEntry.objects.filter(
            consumer_id=consumer_id,
            entry_type=EntryType.PAYMENT,
            entry_date__lt=before,
            reversed_by__isnull=True,
        )
        .order_by("-entry_date", "-id")
        .first()
    )


def compensation_credits(consumer_id: int) -> list[LedgerEntry]:
    """The compensation the account was credited under the standards of performance (not reversed),
    newest first."""
    from .descriptions import COMPENSATION

    reversed_ids = (
        LedgerEntry.objects.filter(consumer_id=consumer_id).exclude(reverses=None).values("reverses_id")
    )
    return list(
        LedgerEntry.objects.filter(consumer_id=consumer_id, code=COMPENSATION)
        .exclude(pk__in=reversed_ids)
        .order_by("-entry_date", "-id")
    )
