"""Reads of the ledger: balances, statements and arrears ageing, all derived from the entries."""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.db.models import Q

from urja.common.db import MoneySum
from urja.domain.ageing import Ageing, Debit, age

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
    """Arrears ageing per account, in one pass over the entries (two queries)."""
    ids = list(consumer_ids)
    debits: dict[int, list[Debit]] = defaultdict(list)
    credits: dict[int, Decimal] = defaultdict(lambda: ZERO)
    rows = list(
        LedgerEntry.objects.filter(consumer_id__in=ids, entry_date__lte=as_of)
        .values_list("id", "consumer_id", "amount", "due_date", "entry_date", "reverses_id")
        .order_by()
    )
    # A reversal and the entry it reverses cancel exactly: neither is aged, so a cancelled bill does
    # not settle older dues and a bounced cheque revives the dues it had settled.
    reversed_ids = {reverses_id for *_, reverses_id in rows if reverses_id is not None}
    for entry_id, consumer_id, amount, due_date, entry_date, reverses_id in rows:
        if reverses_id is not None or entry_id in reversed_ids:
            continue
        if amount > 0:
            debits[consumer_id].append(Debit(due_on=due_date or entry_date, amount=amount))
        else:
            credits[consumer_id] += -amount
    return {cid: age(debits.get(cid, []), credits.get(cid, ZERO), as_of) for cid in ids}


def ageing(consumer_id: int, as_of: date) -> Ageing:
    return ageing_bulk([consumer_id], as_of)[consumer_id]


def bill_entries_unreversed(consumer_id: int):
    return LedgerEntry.objects.filter(consumer_id=consumer_id, entry_type=EntryType.BILL).filter(
        Q(reversed_by__isnull=True)
    )
