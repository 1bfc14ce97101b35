from decimal import Decimal

import pytest

from urja.common.db import MoneySum
from urja.ledger import services
from urja.ledger.choices import EntryType
from urja.ledger.models import LedgerEntry

pytestmark = pytest.mark.django_db


def test_money_sum_is_exact(two_subdivisions):
    """0.10 + 0.20 - 0.30 in binary floats is 5.5e-17; summed as money it is exactly zero, and a long
    column of paise adds up to the paisa."""
    import datetime

    consumer = two_subdivisions["consumer_a"]
    day = datetime.date(2026, 1, 1)
    for amount, kind in (("0.10", EntryType.BILL), ("0.20", EntryType.BILL), ("-0.30", EntryType.PAYMENT)):
        services.entry_post(
            consumer=consumer, entry_type=kind, amount=Decimal(amount), entry_date=day, description="x"
        )
    total = LedgerEntry.objects.aggregate(t=MoneySum("amount"))["t"]
    assert total == Decimal("0.00") and str(total) in ("0.00", "-0.00")
    for _ in range(300):
        services.entry_post(
            consumer=consumer,
            entry_type=EntryType.BILL,
            amount=Decimal("1727.29"),
            entry_date=day,
            description="x",
        )
    assert LedgerEntry.objects.aggregate(t=MoneySum("amount"))["t"] == Decimal("518187.00")
