from decimal import Decimal as D

import pytest
from django.core.management import call_command

from urja.demo.billing import demo_billing_history
from urja.demo.energy import demo_input_energy, feeder_loss
from urja.energyaudit.models import InputEnergy
from urja.energyaudit.selectors import feeder_audit
from urja.network.models import Feeder

pytestmark = pytest.mark.django_db


@pytest.mark.clock("2026-11-28T12:00:00+05:30")
def test_demo_input_energy_gives_up_like_losses(capsys):
    call_command("seed", consumers=300, seed=11, verbosity=0)
    demo_billing_history()
    demo_input_energy()
    assert "months of feeder and DT input energy" in capsys.readouterr().out
    feeders = [f for f in Feeder.objects.all() if f.input_energy.exists()]
    assert feeders, "the demo's billed feeders get input energy"
    for feeder in feeders:
        periods = sorted(feeder.input_energy.values_list("period", flat=True))
        assert periods == [f"2025-{m:02d}" for m in (11, 12)] + [f"2026-{m:02d}" for m in range(1, 11)]
    assert not InputEnergy.objects.exclude(flag_reason="").exists()
    # Over a quarter (a single month's collections swing with arrears paid late).
    quarter = [feeder_audit(feeder=f, period="2026-Q2").figures for f in feeders]
    assert all(f.atc_loss_pct is not None and f.gaps == () for f in quarter)
    assert sum(1 for f in quarter if f.atc_loss_pct > 50) >= len(quarter) / 2, [
        f.atc_loss_pct for f in quarter
    ]
    assert all(0 < f.td_loss_pct <= 100 for f in quarter)
    # A second run keeps what is there.
    count = InputEnergy.objects.count()
    demo_input_energy()
    assert InputEnergy.objects.count() == count


def test_feeder_losses_are_fixed_by_code_and_mostly_high():
    assert feeder_loss("FD00001", 1) == feeder_loss("FD00001", 1)
    losses = [feeder_loss(f"FD{n:05d}", 7) for n in range(300)]
    assert sum(1 for loss in losses if loss > D("0.42")) > 150
    assert all(D("0.12") <= loss <= D("0.72") for loss in losses)
