"""A bill run reads each account's ledger condensed (`ledger.selectors.ledger_digests`: in the database on
PostgreSQL); its bills' arrears, surcharge and payable after the due date must be those the whole
ledger gives — on random ledgers with part payments, advances, reversals and a later month's surcharge."""

import random
from datetime import date
from decimal import Decimal

import pytest

from urja.billing import runs
from urja.billing.compute import lpsc_rates, payable_after_due
from urja.billing.models import Bill
from urja.ledger.choices import EntryType
from urja.ledger.models import LedgerEntry
from urja.ledger.selectors import ledger_rows
from urja.testing import ConsumerFactory, posted_bill, random_ledger

pytestmark = [pytest.mark.django_db, pytest.mark.clock("2026-08-10T12:00:00+05:30")]

ISSUE = date(2026, 8, 1)  # the July 2026 cycle's issue day
PERIODS = ["", "2026-03", "2026-04", "2026-05", "2026-06", "2026-07", "2026-08"]


def test_a_runs_dues_are_those_of_the_whole_ledger(two_subdivisions):
    office, rng = two_subdivisions["dc_a"], random.Random(13)
    consumers = [ConsumerFactory(office=office) for _ in range(30)]
    for index, consumer in enumerate(consumers):
        random_ledger(rng, consumer, start=date(2026, 2, 1), until=ISSUE, periods=PERIODS)
        if index % 3 == 0:  # billed before: only the surcharge posted after that bill is this bill's
            posted_bill(consumer, "2026-06", units="50", charges="400.00", post=False)
    runs.bill_run(cycle_code="2026-07", office=office)
    bills = {b.consumer_id: b for b in Bill.objects.filter(period="2026-07", consumer__in=consumers)}
    assert len(bills) == len(consumers)
    rows = ledger_rows([c.pk for c in consumers], ISSUE)
    rates, checked = lpsc_rates(), 0
    for consumer in consumers:
        bill = bills[consumer.pk]
        own = _own_entry_ids(bill)
        before = [r for r in rows[consumer.pk] if r.id not in own]
        last = (
            date(2026, 6, 28) if Bill.objects.filter(consumer=consumer, period="2026-06").exists() else None
        )
        surcharge = sum(
            (
                r.amount
                for r in before
                if r.entry_type == EntryType.LPSC and (last is None or r.entry_date > last)
            ),
            Decimal("0.00"),
        )
        assert (bill.arrears, bill.lpsc) == (
            sum((r.amount for r in before), Decimal("0.00")) - surcharge,
            surcharge,
        )
        if bill.status == "issued":
            assert bill.payable_after_due == payable_after_due(bill, before, rates), consumer.pk
            checked += 1
    assert checked >= 20


def _own_entry_ids(bill) -> set[int]:
    return set(LedgerEntry.objects.filter(source_type="bill", source_id=bill.pk).values_list("id", flat=True))
