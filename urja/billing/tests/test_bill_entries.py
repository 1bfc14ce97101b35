"""`partitions.bill_entries_post`: the ledger entries a run posts for its issued bills are those of
`compute.ledger_entries_for`, whether the database writes them (PostgreSQL) or Python does."""

from decimal import Decimal

import pytest

from urja.billing.compute import ledger_entries_for
from urja.billing.partitions import bill_entries_post
from urja.ledger.models import LedgerEntry
from urja.testing import ConsumerFactory, posted_bill

pytestmark = [pytest.mark.django_db, pytest.mark.clock("2026-11-28T12:00:00+05:30")]

FIELDS = [
    "consumer_id", "entry_type", "amount", "entry_date", "due_date", "period", "description", "code", "params",
    "source_type", "source_id", "reverses_id", "posted_by_id", "reason",
]  # fmt: skip


def test_a_runs_bill_entries_are_those_of_ledger_entries_for(
    two_subdivisions, django_capture_on_commit_callbacks
):
    office = two_subdivisions["dc_a"]
    kinds = [("812.40", "0"), ("500.00", "120.50"), ("-35.00", "0"), ("0.00", "0"), ("80.00", "80.00")]
    bills = [
        posted_bill(ConsumerFactory(office=office), "2026-10", units="10", charges=c, subsidy=s, post=False)
        for c, s in kinds
    ]
    expected = sorted(
        (tuple(getattr(e, f) for f in FIELDS) for b in bills for e in ledger_entries_for(b)), key=str
    )
    assert {e[1] for e in expected} == {"bill", "subsidy", "adjustment"}
    bill_entries_post(bills)
    written = LedgerEntry.objects.filter(source_type="bill", source_id__in=[b.pk for b in bills])
    assert sorted((tuple(getattr(e, f) for f in FIELDS) for e in written), key=str) == expected
    assert all(e.posted_at is not None for e in written)
    assert sum(e.amount for e in written) == sum(b.current_charges for b in bills) == Decimal("1156.90")
