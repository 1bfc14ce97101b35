"""`selectors.ledger_digests`: the database's condensed ledger equals `domain.allocation.condensed`."""

import random
from datetime import date, timedelta
from decimal import Decimal

import pytest

from urja.domain.allocation import PRINCIPAL, SURCHARGE, LedgerRow, due_order, dues_from_entries
from urja.ledger import selectors
from urja.ledger.choices import EntryType
from urja.ledger.models import LedgerEntry
from urja.testing import ConsumerFactory

pytestmark = pytest.mark.django_db

DEBITS = [EntryType.BILL, EntryType.BILL, EntryType.LPSC, EntryType.OPENING, EntryType.ADJUSTMENT]
CREDITS = [EntryType.PAYMENT, EntryType.PAYMENT, EntryType.SUBSIDY, EntryType.ADJUSTMENT]
PERIODS = ["", "2026-07", "2026-08", "2026-09", "2026-10", "2026-11", "2026-12"]
AS_OF = date(2026, 12, 5)


def _random_ledgers(office, accounts: int, seed: int) -> dict[int, date | None]:
    """Accounts with random ledgers (debits, credits, reversals, entries after `AS_OF`); returns each
    account's surcharge cut-off."""
    rng = random.Random(seed)
    cutoffs: dict[int, date | None] = {}
    for _ in range(accounts):
        consumer = ConsumerFactory(office=office)
        day, posted = date(2026, 7, 1), []
        for _ in range(rng.randint(0, 25)):
            day += timedelta(days=rng.randint(0, 12))
            standing = [e for e in posted if e.reverses_id is None and e.entry_type != EntryType.REVERSAL]
            reversed_ids = {e.reverses_id for e in posted}
            standing = [e for e in standing if e.pk not in reversed_ids]
            if standing and rng.random() < 0.12:
                target = rng.choice(standing)
                entry = LedgerEntry(
                    consumer=consumer, entry_type=EntryType.REVERSAL, amount=-target.amount, entry_date=day,
                    period=target.period, reverses=target, description="reversal",
                )  # fmt: skip
            else:
                debit = rng.random() < 0.55
                paise = rng.choice([rng.randint(1, 300_00), 100_00, 50_00])
                due = rng.choice([None, day, day + timedelta(days=15)]) if debit else None
                entry = LedgerEntry(
                    consumer=consumer,
                    entry_type=rng.choice(DEBITS if debit else CREDITS),
                    amount=Decimal(paise if debit else -paise) / 100,
                    entry_date=day,
                    due_date=due,
                    period=rng.choice(PERIODS),
                    description="entry",
                )
            entry.save()
            posted.append(entry)
        cutoff = cutoffs[consumer.pk] = rng.choice([None, date(2026, 10, 5), date(2026, 11, 5)])
        if cutoff and rng.random() < 0.5:  # surcharge posted on the cut-off day itself is not counted
            LedgerEntry(
                consumer=consumer, entry_type=EntryType.LPSC, amount=Decimal("3.75"), entry_date=cutoff,
                due_date=cutoff, period=f"{cutoff:%Y-%m}", description="lpsc",
            ).save()  # fmt: skip
    return cutoffs


@pytest.mark.postgres
@pytest.mark.parametrize("seed", [1, 2, 3])
def test_the_database_condenses_every_ledger_as_the_rule_does(two_subdivisions, seed):
    cutoffs = _random_ledgers(two_subdivisions["dc_a"], 40, seed)
    ids = [*cutoffs, 999_999_999]  # an account with no rows at all
    for after in (
        due_order("2026-11", PRINCIPAL, date(2026, 12, 20)),
        due_order("2026-09", SURCHARGE, AS_OF),
    ):
        in_sql = selectors.ledger_digests(ids, AS_OF, after, cutoffs)
        in_python = selectors._digests_from_rows(ids, AS_OF, after, cutoffs)
        assert in_sql == {**in_python, 999_999_999: selectors.LedgerDigest()}
    assert sum(len(d.rows) for d in in_sql.values()) > 0


def test_a_digest_gives_the_bill_the_same_dues_as_the_whole_ledger(two_subdivisions):
    """On any database: the digest's rows, with a new bill's own entries, settle as every row does."""
    cutoffs = _random_ledgers(two_subdivisions["dc_a"], 25, 7)
    after = due_order("2026-11", PRINCIPAL, date(2026, 12, 20))
    digests = selectors.ledger_digests(list(cutoffs), AS_OF, after, cutoffs)
    rows = selectors.ledger_rows(list(cutoffs), AS_OF)
    own = [
        LedgerRow(0, Decimal("450.00"), EntryType.BILL, "2026-11", date(2026, 12, 20), AS_OF, None),
        LedgerRow(0, Decimal("-120.00"), EntryType.SUBSIDY, "2026-11", None, AS_OF, None),
    ]
    for cid, digest in digests.items():
        assert dues_from_entries([*digest.rows, *own]) == dues_from_entries([*rows[cid], *own])
        assert digest.balance == sum((r.amount for r in rows[cid]), Decimal("0.00"))
