"""`urja atc --office CODE --period … --json`: one JSON object with the office's figures."""

import datetime
import json
from decimal import Decimal as D

import pytest
from django.core.management import CommandError, call_command

from urja.energyaudit.models import InputEnergy

from .conftest import make_bill, pay

MU = D("1000000")
LAKH = D("100000")


def run_json(capsys, *args):
    call_command("atc", *args, "--json")
    out = capsys.readouterr().out
    assert out.count("\n") == 1, "one JSON object on one line"
    return json.loads(out)


def test_the_worked_check_end_to_end(network, consumers, capsys):
    """53 MU in, 50 MU billed, Rs 4,500 lakh billed, Rs 4,000 lakh collected: AT&C 16.14%."""
    InputEnergy.objects.create(feeder=network["fa"], period="2025-07", kwh=53 * MU)
    make_bill(consumers["a1"], "2025-07", units=str(50 * MU), charges=str(4500 * LAKH))

    pay(consumers["a1"], str(4000 * LAKH), datetime.date(2025, 7, 30))
    data = run_json(capsys, "--office", network["sda"].code, "--period", "2025-07")
    assert data == {
        "level": "office",
        "code": "EA-SUB",
        "period": "2025-07",
        "start": "2025-07-01",
        "end": "2025-07-31",
        "input_kwh": "53000000.00",
        "billed_kwh": "50000000.00",
        "billed_amount": "450000000.00",
        "collected_amount": "400000000.00",
        "billing_efficiency": "94.34",
        "collection_efficiency": "88.89",
        "atc_loss_pct": "16.14",
        "td_loss_pct": "5.66",
        "gaps": [],
        "unmetered_feeders": [],
        "unmetered_dts": [],
        "unindexed_consumers": 0,
        "as_of": None,
    }


@pytest.mark.clock("2025-08-10T12:00:00+05:30")
def test_the_worked_check_from_the_monthly_rollup(network, consumers, capsys):
    """The same check once July has ended and is in the monthly roll-up: read from it, and said so."""
    from urja.energyaudit.services import rollup_refresh

    InputEnergy.objects.create(feeder=network["fa"], period="2025-07", kwh=53 * MU)
    make_bill(consumers["a1"], "2025-07", units=str(50 * MU), charges=str(4500 * LAKH))
    pay(consumers["a1"], str(4000 * LAKH), datetime.date(2025, 7, 30))
    live = run_json(capsys, "--office", network["sda"].code, "--period", "2025-07")
    rollup_refresh(periods=["2025-07"])
    rolled = run_json(capsys, "--office", network["sda"].code, "--period", "2025-07")
    assert live.pop("as_of") is None
    assert rolled.pop("as_of").startswith("2025-08-10T12:0")
    assert rolled == live and rolled["atc_loss_pct"] == "16.14"


def test_gaps_come_out_as_null_figures_and_reasons(network, capsys):
    data = run_json(capsys, "--office", network["division"].code, "--period", "2025-Q1")
    assert data["input_kwh"] is None and data["atc_loss_pct"] is None and data["billing_efficiency"] is None
    assert data["gaps"] == ["unmetered_feeder", "no_input", "no_billed_amount"]
    assert data["unmetered_feeders"] == ["FA", "FB"]
    assert (data["billed_amount"], data["collected_amount"], data["billed_kwh"]) == ("0.00", "0.00", "0.00")
    assert (data["start"], data["end"]) == ("2025-04-01", "2025-06-30")


def test_financial_year(network, capsys):
    assert run_json(capsys, "--office", "EA-SUB", "--period", "FY2026")["period"] == "FY2025-26"


def test_bad_arguments(network):
    with pytest.raises(CommandError, match="unknown office"):
        call_command("atc", "--office", "NOPE", "--period", "2025-07", "--json")
    with pytest.raises(CommandError, match="not a period"):
        call_command("atc", "--office", "EA-SUB", "--period", "July", "--json")


def test_plain_output(network, capsys):
    call_command("atc", "--office", "EA-SUB", "--period", "2025-07")
    assert "atc_loss_pct: None" in capsys.readouterr().out
