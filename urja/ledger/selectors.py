"""Reads of the ledger: balances, statements and arrears ageing, all derived from the entries."""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.db import connection
from django.db.models import Q

from urja.common.db import MoneySum
from urja.domain.ageing import Ageing, Debit, age
from urja.domain.allocation import (
    OPENING_ENTRY_TYPE,
    SURCHARGE_ENTRY_TYPES,
    Due,
    LedgerRow,
    condensed,
    dues_from_entries,
    standing,
    unused_credit,
)

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


@dataclass(frozen=True)
class LedgerDigest:
    """What a new bill needs of an account's ledger up to its issue day: the balance, the surcharge
    posted after a given day (the last bill's issue), and the ledger condensed for settling the new
    bill's own entries (`domain.allocation.condensed`)."""

    balance: Decimal = ZERO
    surcharge: Decimal = ZERO
    rows: tuple[LedgerRow, ...] = ()


def ledger_digests(
    consumer_ids: Iterable[int],
    as_of: date,
    after: tuple[str, int, date],
    surcharge_after: Mapping[int, date | None],
) -> dict[int, LedgerDigest]:
    """Each account's `LedgerDigest` of its rows up to `as_of`, for new entries ordering at or after
    `after`; the surcharge counts LPSC entries dated after `surcharge_after[account]` (all when None).

    On PostgreSQL the database condenses the ledger (one statement per 5,000 accounts; what reaches
    Python is bounded by what the accounts owe, not by their history); elsewhere it is condensed
    here from every row. Both give the same digest (`ledger/tests/test_digests.py`)."""
    ids = list(consumer_ids)
    result = dict.fromkeys(ids, LedgerDigest())
    if connection.vendor == "postgresql":
        for start in range(0, len(ids), 5000):
            chunk = ids[start : start + 5000]
            result.update(_digests_sql(chunk, as_of, after, [surcharge_after.get(cid) for cid in chunk]))
        return result
    result.update(_digests_from_rows(ids, as_of, after, surcharge_after))
    return result


def _digests_from_rows(
    ids: list[int], as_of: date, after: tuple[str, int, date], surcharge_after: Mapping[int, date | None]
) -> dict[int, LedgerDigest]:
    result = {}
    for cid, rows in ledger_rows(ids, as_of).items():
        cutoff = surcharge_after.get(cid)
        surcharge = sum(
            (
                row.amount
                for row in rows
                if row.entry_type in SURCHARGE_ENTRY_TYPES and (cutoff is None or row.entry_date > cutoff)
            ),
            ZERO,
        )
        result[cid] = LedgerDigest(
            sum((row.amount for row in rows), ZERO), surcharge, tuple(condensed(rows, after))
        )
    return result


# The rule of `domain.allocation.condensed` as one statement: the standing rows (neither a reversal nor
# reversed by a row up to the day), each debit's place in the settling order (period, surcharge before
# principal, due day; ties in posting order), the debits ordering after `after` kept whole, and of the
# others the newest ones that the standing credits leave unpaid, the oldest of them cut to its unpaid
# part. One extra row per account carries its balance, surcharge and unused credit.
_DIGEST_SQL = """
WITH e AS MATERIALIZED (
    SELECT e.consumer_id, e.id, e.amount, e.entry_type, e.period, e.due_date, e.entry_date, e.reverses_id,
        e.entry_type = ANY(%(surcharge_types)s) AND (a.cutoff IS NULL OR e.entry_date > a.cutoff) AS recent_surcharge,
        (CASE WHEN e.entry_type = %(opening)s THEN ''
              WHEN e.period <> '' THEN e.period
              ELSE to_char(e.entry_date, 'YYYY-MM') END) COLLATE "C" AS due_period,
        CASE WHEN e.entry_type = ANY(%(surcharge_types)s) THEN 0 ELSE 1 END AS kind,
        COALESCE(e.due_date, e.entry_date) AS due_on
    FROM unnest(%(ids)s::bigint[], %(cutoffs)s::date[]) AS a(consumer_id, cutoff)
    CROSS JOIN LATERAL (  -- OFFSET 0: one index scan per account, whatever the statistics say
        SELECT * FROM ledger_ledgerentry e
        WHERE e.consumer_id = a.consumer_id AND e.entry_date <= %(as_of)s OFFSET 0
    ) AS e
), r AS MATERIALIZED (
    SELECT e.consumer_id, e.id, e.amount, e.entry_type, e.period, e.due_date, e.entry_date, e.recent_surcharge,
        e.due_period, e.kind, e.due_on,
        CASE WHEN e.reverses_id IS NOT NULL
                  OR (e.consumer_id, e.id) IN (SELECT consumer_id, reverses_id FROM e WHERE reverses_id IS NOT NULL)
                  OR e.amount = 0 THEN 0
             WHEN e.amount < 0 THEN -1
             WHEN (e.due_period, e.kind, e.due_on) > (%(period)s COLLATE "C", %(kind)s, %(due)s) THEN 2
             ELSE 1 END AS role  -- 1 a standing debit, 2 one ordering after `after`, -1 a standing credit
    FROM e
), w AS (
    SELECT r.consumer_id, r.id, r.amount, r.entry_type, r.period, r.due_date, r.entry_date,
        r.due_period, r.kind, r.due_on, r.role,
        SUM(CASE WHEN role = 1 THEN amount ELSE 0 END) OVER account AS owed,
        -SUM(CASE WHEN role = -1 THEN amount ELSE 0 END) OVER account AS credits,
        SUM(CASE WHEN role = 1 THEN amount ELSE 0 END) OVER (newest_first ROWS UNBOUNDED PRECEDING) AS newer,
        SUM(amount) OVER account AS balance,
        SUM(CASE WHEN recent_surcharge THEN amount ELSE 0 END) OVER account AS surcharge,
        ROW_NUMBER() OVER newest_first AS nth
    FROM r
    WINDOW newest_first AS (
        PARTITION BY consumer_id ORDER BY due_period DESC, kind DESC, due_on DESC, entry_date DESC, id DESC
    ), account AS (newest_first ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING)
), u AS (
    SELECT w.*, owed - LEAST(credits, owed) AS unpaid FROM w
)
SELECT consumer_id, id,
    CASE WHEN role = 2 THEN amount ELSE LEAST(amount, unpaid - (newer - amount)) END,
    entry_type, period, due_date, entry_date,
    role = 2 OR (role = 1 AND newer - amount < unpaid) AS kept,
    nth = 1, balance, surcharge, credits - LEAST(credits, owed)
FROM u
WHERE nth = 1 OR role = 2 OR (role = 1 AND newer - amount < unpaid)
ORDER BY consumer_id, due_period, kind, due_on, entry_date, id
"""


def _digests_sql(
    ids: list[int], as_of: date, after: tuple[str, int, date], cutoffs: list[date | None]
) -> dict[int, LedgerDigest]:
    params = {
        "ids": ids,
        "cutoffs": cutoffs,
        "as_of": as_of,
        "opening": OPENING_ENTRY_TYPE,
        "surcharge_types": sorted(SURCHARGE_ENTRY_TYPES),
        "period": after[0],
        "kind": after[1],
        "due": after[2],
    }
    rows: dict[int, list[LedgerRow]] = {}
    totals: dict[int, tuple[Decimal, Decimal, Decimal]] = {}
    with connection.cursor() as cursor:
        cursor.execute(_DIGEST_SQL, params)
        for cid, row_id, amount, entry_type, period, due, day, kept, first, bal, surcharge, left in cursor:
            if kept:
                rows.setdefault(cid, []).append(LedgerRow(row_id, amount, entry_type, period, due, day, None))
            if first:
                totals[cid] = (bal, surcharge, left)
    result = {}
    for cid, (bal, surcharge, left) in totals.items():
        result[cid] = LedgerDigest(bal, surcharge, (*rows.get(cid, []), *unused_credit(left)))
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
