"""Issue 8: a bill run over a seeded utility that contains every category of the tariff book, LT and HV."""

import datetime
from collections import defaultdict

import pytest
from django.core.management import call_command

from urja.billing.choices import BillStatus
from urja.billing.models import Bill
from urja.customers.choices import ConsumerStatus
from urja.customers.models import Consumer
from urja.demo.billing import demo_billing_history
from urja.domain.tariff_book import current_tariff_book
from urja.domain.tariff_book_hv import hv_tariff_book

pytestmark = pytest.mark.django_db


@pytest.mark.clock("2026-11-28T12:00:00+05:30")
def test_the_demo_utility_has_every_category_and_each_gets_a_bill():
    call_command("seed", consumers=400, seed=11, verbosity=0)
    book = {version.category for version in [*current_tariff_book(), *hv_tariff_book()]}
    assert set(Consumer.objects.values_list("category", flat=True)) == book
    Consumer.objects.update(status=ConsumerStatus.ACTIVE)  # a disconnected account is not billed
    demo_billing_history(today=datetime.date(2026, 11, 28))
    per_category = defaultdict(set)
    holds = {}
    for category, status, reasons, notes in Bill.objects.filter(period="2026-10").values_list(
        "consumer__category", "status", "hold_reasons", "notes"
    ):
        per_category[category].add(status)
        if status == BillStatus.HELD:
            holds[category] = (reasons, notes)
    assert set(per_category) == book
    # Every category has an issued bill; a hold is for a reason of the account (a reading), never an
    # engine error (an unknown category, a tariff not in force, a load outside the limits).
    assert {c for c, statuses in per_category.items() if BillStatus.ISSUED in statuses} == book
    assert not [c for c, (reasons, _) in holds.items() if "ERROR" in reasons]
    assert Bill.objects.filter(period="2026-10", status=BillStatus.ISSUED, payable__gt=0).exists()
    # An HV bill is priced on its recorded maximum demand and its kVAh, not on kWh and a kW load.
    hv_bills = Bill.objects.filter(
        period="2026-10", status=BillStatus.ISSUED, consumer__category__startswith="HV"
    )
    heads = {line["head"] for bill in hv_bills for line in bill.lines}
    assert "demand" in heads and hv_bills.filter(kvah__isnull=False).exists()
