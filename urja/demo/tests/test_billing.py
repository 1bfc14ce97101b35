import datetime

import pytest
from django.core.management import call_command

from urja.billing.choices import BillStatus
from urja.billing.compute import billed_accounts_q
from urja.billing.models import Bill
from urja.customers.models import Consumer
from urja.demo.billing import demo_billing_history, demo_cycles
from urja.ledger.models import LedgerEntry

pytestmark = pytest.mark.django_db


# The history is made for 28 November 2026 and its payments are posted then (they are bounded by
# URJA_PAYMENTS["PAID_AT_MAX_AGE_DAYS"] from the clock's today).
@pytest.mark.clock("2026-11-28T12:00:00+05:30")
def test_demo_history_bills_six_months_with_few_holds():
    call_command("seed", consumers=400, seed=11, verbosity=0)
    today = datetime.date(2026, 11, 28)
    demo_billing_history(today=today)
    assert [c.strftime("%Y-%m") for c in demo_cycles(today)] == [
        "2026-05",
        "2026-06",
        "2026-07",
        "2026-08",
        "2026-09",
        "2026-10",
    ]
    # active accounts, and metered temporarily disconnected ones for their fixed charges (decision 0045)
    active = Consumer.objects.filter(billed_accounts_q()).count()
    assert active > Consumer.objects.active().count()
    periods = set(Bill.objects.values_list("period", flat=True))
    assert len(periods) == 6
    for period in periods:
        assert Bill.objects.filter(period=period).count() == active
    held = Bill.objects.filter(status=BillStatus.HELD).count()
    assert held / Bill.objects.count() < 0.02
    issued = Bill.objects.filter(status=BillStatus.ISSUED).count()
    assert LedgerEntry.objects.filter(source_type="bill", entry_type="bill").count() <= issued
    # Every issued bill agrees with the ledger on its issue date (payments and surcharge included).
    from urja.ledger.selectors import balance
    from urja.payments.models import Payment

    assert Payment.objects.exists() and LedgerEntry.objects.filter(entry_type="lpsc").exists()
    for bill in Bill.objects.filter(status=BillStatus.ISSUED, period__in=["2026-08", "2026-10"]):
        assert balance(bill.consumer_id, as_of=bill.issue_date) == bill.payable, bill.bill_number
    # running it again changes nothing
    demo_billing_history(today=today)
    assert Bill.objects.count() == 6 * active


def test_demo_readings_follow_the_reading_rule():
    """Demo readings are classified by the rule every recorded reading goes through
    (domain.consumption.reading_outcome): units across a roll-over, ADF, CDF."""
    from urja.domain.consumption import RegisterSegment, reading_outcome
    from urja.metering.models import Reading

    call_command("seed", consumers=300, seed=5, verbosity=0)
    demo_billing_history(today=datetime.date(2026, 11, 28))
    checked = 0
    statuses = set()
    for reading in Reading.objects.filter(previous_kwh__isnull=False).select_related("meter", "consumer"):
        meter, consumer = reading.meter, reading.consumer
        outcome = reading_outcome(
            [RegisterSegment(reading.previous_kwh, reading.kwh, meter.digits, meter.multiplying_factor)],
            days=(reading.reading_date - reading.units_since).days,
            sanctioned_load=consumer.sanctioned_load,
            load_unit=consumer.load_unit,
        )
        assert reading.status == outcome.status and reading.units == outcome.consumption.units, reading.pk
        statuses.add(reading.status)
        checked += 1
    assert checked > 1000 and {"OK", "ADF"} <= statuses


def test_a_demo_register_counts_its_units_across_a_roll_over():
    """The demo's kVAh registers (an HV account's lakhs of kVAh) pass their capacity: the units are
    counted across the roll-over and never negative (the database refuses them; the demo setup failed
    on one)."""
    from decimal import Decimal as D

    from urja.demo.billing import register_after

    assert register_after(D("99990.00"), D("30"), D("1"), D("100000")) == (D("20.00"), D("30.00"))
    assert register_after(D("999.50"), D("200"), D("200"), D("1000")) == (D("0.50"), D("200.00"))
    assert register_after(D("10.00"), D("600"), D("200"), D("1000")) == (D("13.00"), D("600.00"))
