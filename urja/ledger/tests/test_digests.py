"""`selectors.ledger_digests`: the database's condensed ledger equals `domain.allocation.condensed`."""

import random
from datetime import date
from decimal import Decimal

import pytest

from urja.domain.allocation import PRINCIPAL, SURCHARGE, LedgerRow, due_order, dues_from_entries
from urja.ledger import selectors
from urja.ledger.choices import EntryType
from urja.ledger.models import LedgerEntry
from urja.testing import ConsumerFactory, random_ledger

pytestmark = pytest.mark.django_db

PERIODS = ["", "2026-07", "2026-08", "2026-09", "2026-10", "2026-11", "2026-12"]
AS_OF = date(2026, 12, 5)


def _random_ledgers(office, accounts: int, seed: int) -> dict[int, date | None]:
    """Accounts with random ledgers (debits, credits, reversals, entries after `AS_OF`); returns each
    account's surcharge cut-off."""
    rng = random.Random(seed)
    cutoffs: dict[int, date | None] = {}
    for _ in range(accounts):
        consumer = ConsumerFactory(office=office)
        random_ledger(rng, consumer, start=date(2026, 7, 1), periods=PERIODS)
        cutoff = cutoffs[consumer.pk] = rng.choice([None, date(2026, 10, 5), date(2026, 11, 5)])
        if cutoff and rng.random() < 0.5:  # surcharge posted on the cut-off day itself is not counted
            LedgerEntry(
                consumer=consumer, entry_type=EntryType.LPSC, amount=Decimal("3.75"), entry_date=cutoff,
                due_date=cutoff, period=f"{cutoff:%Y-%m}", description="lpsc",
            ).save()  # fmt: skip
    # Two debits the settling order cannot tell apart (same day, period and due day) and a part payment:
    # which one is left part-paid is decided by posting order.
    tied = ConsumerFactory(office=office)
    for amount in ("100.00", "60.00", "-70.00"):
        LedgerEntry(
            consumer=tied, entry_type=EntryType.BILL if amount[0] != "-" else EntryType.PAYMENT,
            amount=Decimal(amount), entry_date=date(2026, 9, 1), period="2026-08",
            due_date=date(2026, 9, 15) if amount[0] != "-" else None, description="tie",
        ).save()  # fmt: skip
    cutoffs[tied.pk] = None
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
