import datetime
from decimal import Decimal as D

import pytest
from django.core.management import call_command

from urja.billing.models import Bill
from urja.customers.models import Consumer
from urja.demo.billing import demo_billing_history
from urja.demo.energy import demo_input_energy, feeder_loss, misses_a_month
from urja.energyaudit.models import InputEnergy
from urja.energyaudit.selectors import feeder_audit, office_audit
from urja.ledger.models import LedgerEntry
from urja.network.models import Feeder
from urja.org.models import Office
from urja.payments.models import Payment

pytestmark = pytest.mark.django_db


@pytest.mark.clock("2026-11-28T12:00:00+05:30")
def test_demo_input_energy_gives_up_like_losses(capsys):
    call_command("seed", consumers=300, seed=11, verbosity=0)
    demo_billing_history()
    demo_input_energy()
    assert "months of feeder and DT input energy" in capsys.readouterr().out
    feeders = [f for f in Feeder.objects.all() if f.input_energy.exists()]
    assert feeders, "the demo's billed feeders get input energy"
    billed_months = sorted(set(Bill.objects.values_list("period", flat=True)))
    assert billed_months == [f"2026-{m:02d}" for m in range(5, 11)]
    gappy = [f for f in feeders if misses_a_month(f.code, 20260401)]
    assert gappy, "a few feeders miss a month so the gap shows"
    for feeder in feeders:
        periods = sorted(feeder.input_energy.values_list("period", flat=True))
        # Input only for months with bills: no month of input without bills to lower the efficiency.
        expected = [m for m in billed_months if not (feeder in gappy and m == "2026-08")]
        assert periods == expected
    flagged = InputEnergy.objects.exclude(flag_reason="")
    assert {row.feeder for row in flagged} == set(gappy)
    assert all(row.period == "2026-09" for row in flagged)
    # Over a quarter (a single month's collections swing with arrears paid late).
    quarter = [feeder_audit(feeder=f, period="2026-Q2").figures for f in feeders]
    assert all(f.atc_loss_pct is not None for f in quarter)
    assert all(
        (f.gaps == ("unmetered_feeder",)) == (feeder in gappy)
        for f, feeder in zip(quarter, feeders, strict=True)
    )
    assert sum(1 for f in quarter if f.atc_loss_pct > 50) >= len(quarter) / 2, [
        f.atc_loss_pct for f in quarter
    ]
    assert all(0 < f.td_loss_pct <= 100 for f in quarter)
    assert any(D("10") <= f.td_loss_pct <= D("20") for f in quarter), [f.td_loss_pct for f in quarter]
    # With real bills and payments (posted through the production services), the discom's figures
    # equal the bills' and the ledger's own totals, counted here row by row.
    # Every discom, summed: each consumer is counted once, in its own discom.
    results = [
        office_audit(office=discom, period="2026-Q2").figures for discom in Office.objects.filter(parent=None)
    ]
    billed_amount = sum(f.billed_amount for f in results)
    billed_kwh = sum(f.billed_kwh for f in results)
    collected_amount = sum(f.collected_amount for f in results)
    indexed = Consumer.objects.filter(dt__isnull=False)
    bills = Bill.objects.filter(
        consumer__in=indexed, status="issued", period__in=["2026-07", "2026-08", "2026-09"]
    )
    assert billed_amount == sum(b.current_charges - b.subsidy for b in bills) > 0
    assert billed_kwh == sum(b.units or 0 for b in bills)
    collected = D("0")
    for entry in LedgerEntry.objects.filter(
        consumer__in=indexed,
        entry_date__gte=datetime.date(2026, 7, 1),
        entry_date__lte=datetime.date(2026, 9, 30),
    ).select_related("reverses"):
        kind = entry.reverses.entry_type if entry.reverses_id else entry.entry_type
        if kind in ("payment", "subsidy"):
            collected -= entry.amount
    assert collected_amount == collected > 0
    assert Payment.objects.filter(paid_at__date__gte=datetime.date(2026, 7, 1)).exists()
    # A second run keeps what is there.
    count = InputEnergy.objects.count()
    demo_input_energy()
    assert InputEnergy.objects.count() == count


def test_feeder_losses_are_fixed_by_code_and_mostly_high():
    assert feeder_loss("FD00001", 1) == feeder_loss("FD00001", 1)
    losses = [feeder_loss(f"FD{n:05d}", 7) for n in range(300)]
    assert sum(1 for loss in losses if loss > D("0.50")) > 150
    assert sum(1 for loss in losses if loss <= D("0.20")) > 30
    assert all(D("0.10") <= loss <= D("0.72") for loss in losses)
    assert 10 < sum(1 for n in range(300) if misses_a_month(f"FD{n:05d}", 7)) < 75
