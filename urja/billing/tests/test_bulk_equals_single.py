"""Same bills both ways (issue 13): a partition reads its accounts' readings, history, ledger and changes
with set-based queries for hundreds of accounts at once; every bill it writes must be exactly the bill
the engine gives that account computed on its own (`compute_bills([account])`), line by line, to the
paisa — over a seeded utility with every category of the tariff book, metered and unmetered, provisional
months and their true-up, held bills, arrears, surcharge and disconnected accounts."""

import datetime
from collections import Counter

import pytest
from django.core.management import call_command

from urja.billing import compute
from urja.billing.models import Bill, BillRunPartition
from urja.billing.runs import bill_run, cycle_get_or_create
from urja.customers.models import Consumer
from urja.domain.tariff_book import current_tariff_book
from urja.domain.tariff_book_hv import hv_tariff_book
from urja.tariffs.selectors import fppas_for_bill_date, tariff_book

pytestmark = pytest.mark.django_db

#: Every stored field of a bill that the engine or the reads decide (not ids, run or timestamps).
FIELDS = [
    f.attname
    for f in Bill._meta.concrete_fields
    if f.attname not in {"id", "run_id", "created_at", "updated_at", "reviewed_by_id", "reviewed_at"}
]


def _alone(cycle_code: str) -> dict[int, dict]:
    """Each billable account's bill computed on its own, as the per-account path would."""
    cycle = cycle_get_or_create(code=cycle_code)
    tariffs, fppas = tariff_book(), fppas_for_bill_date(cycle.issue_date)
    accounts = Consumer.objects.filter(
        compute.billed_accounts_q(), connection_date__lte=cycle.period_end
    ).order_by("id")
    out = {}
    for consumer in accounts:
        (bill,) = compute.compute_bills([consumer], cycle, tariffs, fppas)
        out[consumer.id] = {name: getattr(bill, name) for name in FIELDS}
    return out


@pytest.mark.clock("2026-11-28T12:00:00+05:30")
def test_every_bill_of_a_run_is_the_bill_of_its_account_alone(monkeypatch):
    call_command("seed", consumers=400, seed=11, verbosity=0)
    alone: dict[str, dict[int, dict]] = {}

    def bill_run_compared(*, cycle_code, **kwargs):
        if cycle_code in ("2026-05", "2026-09"):  # the first month, and one with a long history
            alone[cycle_code] = _alone(cycle_code)
        return bill_run(cycle_code=cycle_code, **kwargs)

    monkeypatch.setattr("urja.demo.billing.bill_run", bill_run_compared)
    from urja.demo.billing import demo_billing_history

    demo_billing_history(today=datetime.date(2026, 11, 28))

    assert set(alone) == {"2026-05", "2026-09"}
    for period, expected in alone.items():
        # The run billed in partitions of many accounts each.
        sizes = BillRunPartition.objects.filter(run__cycle__code=period).values_list("accounts", flat=True)
        assert max(sizes) >= 20
        bills = {b.consumer_id: b for b in Bill.objects.filter(period=period)}
        assert set(bills) == set(expected)
        for consumer_id, fields in expected.items():
            got = {name: getattr(bills[consumer_id], name) for name in FIELDS}
            assert got == fields, (period, consumer_id)

    last = [*alone["2026-05"].values(), *alone["2026-09"].values()]
    seen = Counter((b["category"], b["basis"], b["status"]) for b in last)
    # The comparison covered what it claims: every category, estimated and actual bases, held bills,
    # true-ups, arrears and surcharge (over both months).
    assert {category for category, _, _ in seen} == {
        v.category for v in [*current_tariff_book(), *hv_tariff_book()]
    }
    assert {"MU", "PROV", "UM"} <= {basis for _, basis, _ in seen}
    assert {"issued", "held"} <= {status for _, _, status in seen}
    assert any(b["true_up_units"] for b in last)
    assert any(b["arrears"] > 0 for b in last) and any(b["lpsc"] > 0 for b in last)
