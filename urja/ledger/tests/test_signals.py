"""Every way entries reach the ledger tells the layers above which months they belong to
(``urja.ledger.signals.entries_posted``): one entry, a bill run's bulk, a reversal."""

from datetime import date
from decimal import Decimal

import pytest

from urja.ledger import services
from urja.ledger.choices import EntryType
from urja.ledger.models import LedgerEntry
from urja.ledger.signals import entries_posted

pytestmark = pytest.mark.django_db


@pytest.fixture
def heard():
    got: list[set[str]] = []

    def receiver(sender, *, months, **kwargs):
        got.append(set(months))

    entries_posted.connect(receiver, dispatch_uid="test-heard")
    yield got
    entries_posted.disconnect(dispatch_uid="test-heard")


def test_each_posting_names_its_months(two_subdivisions, heard):
    consumer = two_subdivisions["consumer_a"]
    bill = services.entry_post(
        consumer=consumer, entry_type=EntryType.BILL, amount=Decimal("100"), entry_date=date(2025, 10, 3),
        period="2025-09", description="bill",
    )  # fmt: skip
    assert heard[-1] == {"2025-10", "2025-09"}
    services.entries_post_bulk(
        [
            LedgerEntry(consumer=consumer, entry_type=EntryType.BILL, amount=Decimal("5"),
                        entry_date=date(2025, 8, 30), period="2025-08", description="bill"),
            LedgerEntry(consumer=consumer, entry_type=EntryType.PAYMENT, amount=Decimal("-5"),
                        entry_date=date(2025, 7, 1), description="payment"),
        ]
    )  # fmt: skip
    assert heard[-1] == {"2025-08", "2025-07"}
    services.entry_reverse(entry=bill, by=None, reason="wrong meter", entry_date=date(2025, 11, 2))
    assert heard[-1] == {"2025-11", "2025-09"}
    services.entries_post_bulk([])
    assert len(heard) == 3  # nothing posted, nothing said
