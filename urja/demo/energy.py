"""Demo input energy: twelve months of feeder and DT meter energy, made from the demo's own bills so that
the loss figures look like UP's (DOMAIN.md: about two feeders in three above 50% AT&C).

Each feeder draws a technical-and-commercial loss from its code (so a rerun gives the same figures):
one in three a "good" feeder losing 12-35% of its input, the others 42-72%. A DT loses a little less
than its feeder (the 11 kV line's own loss sits between them). For a month with bills, input = billed
units ÷ (1 − loss), a consumer billed without units (flat rate) counted at 90 kWh a month; for a month before the billing history, the feeder's mean billed units with a
seasonal swing (summer paddy and cooling load). Feeders with no billed consumer get no input: they show
as unmetered feeders, a gap the audit reports. Written through `energy_import`, like a meter file.
"""

from __future__ import annotations

import random
from collections import defaultdict
from decimal import Decimal

from django.db.models import Count, Sum

from urja.billing.choices import BillStatus
from urja.billing.models import Bill
from urja.domain.energy_audit import months_between
from urja.energyaudit.models import InputEnergy
from urja.energyaudit.services import energy_import

MONTHS = 12
UNMETERED_NORM_KWH = Decimal("90")  # a month's draw assumed for a consumer billed no units
CENT = Decimal("0.01")
# Demand by calendar month relative to the year's mean (UP: summer and the paddy season peak).
SEASON = {1: "0.85", 2: "0.80", 3: "0.90", 4: "1.05", 5: "1.20", 6: "1.25", 7: "1.15", 8: "1.10",
          9: "1.05", 10: "0.95", 11: "0.85", 12: "0.85"}  # fmt: skip


def feeder_loss(code: str, seed: int) -> Decimal:
    rng = random.Random(f"{seed}:{code}")
    low, high = (12, 35) if rng.random() < 1 / 3 else (42, 72)
    return Decimal(rng.randint(low * 100, high * 100)) / 10000


def _input(billed: Decimal, loss: Decimal) -> Decimal:
    return (billed / (1 - loss)).quantize(CENT)


def demo_energy_csv(seed: int = 20260401) -> str:
    """The CSV (docs/energy-audit.md) of twelve months up to the last billed month."""
    rows = (
        Bill.objects.filter(status=BillStatus.ISSUED, consumer__dt__isnull=False)
        .values("consumer__dt_id", "consumer__dt__code", "consumer__dt__feeder__code", "period")
        .annotate(units=Sum("units"), bills=Count("id"))
    )
    dt_billed: dict[tuple[str, str], dict[str, Decimal]] = defaultdict(dict)
    for row in rows:
        key = (row["consumer__dt__feeder__code"], row["consumer__dt__code"])
        # A flat-rate (unmetered) bill has no units: such a consumer still draws an assessed norm.
        floor = row["bills"] * UNMETERED_NORM_KWH * Decimal(SEASON[int(row["period"][5:])])
        dt_billed[key][row["period"]] = max(row["units"] or Decimal("0"), floor)
    periods = sorted({period for by_month in dt_billed.values() for period in by_month})
    if not periods:
        return ""
    year, month = (int(part) for part in periods[-1].split("-"))
    first = f"{year - 1 if month < MONTHS else year:04d}-{(month % MONTHS) + 1:02d}"
    months = months_between(first, periods[-1])
    lines = ["level,code,period,kwh,meter"]
    feeder_input: dict[str, dict[str, Decimal]] = defaultdict(lambda: defaultdict(Decimal))
    for (feeder, dt), by_month in sorted(dt_billed.items()):
        loss = feeder_loss(feeder, seed)
        rng = random.Random(f"{seed}:{dt}")
        dt_loss = max(Decimal("0.05"), loss - Decimal(rng.randint(200, 800)) / 10000)
        for period in months:
            kwh = _input(_billed(by_month, period), dt_loss)
            lines.append(f"dt,{dt},{period},{kwh},")
            feeder_input[feeder][period] += kwh
    for feeder, by_month in sorted(feeder_input.items()):
        # The feeder meter sees its DTs' input plus the 11 kV line's loss (chosen so the feeder's total
        # loss is the feeder's drawn figure).
        loss = feeder_loss(feeder, seed)
        for period in months:
            billed = sum(
                (_billed(by_dt, period) for key, by_dt in dt_billed.items() if key[0] == feeder), Decimal("0")
            )
            kwh = max(_input(billed, loss), by_month[period])
            lines.append(f"feeder,{feeder},{period},{kwh},")
    return "\n".join(lines) + "\n"


def _billed(by_month: dict[str, Decimal], period: str) -> Decimal:
    """The units billed in `period`, or for a month before the billing history, the mean month's units
    with the season's swing."""
    if period in by_month:
        return by_month[period]
    mean = sum(by_month.values(), Decimal("0")) / len(by_month)
    return mean * Decimal(SEASON[int(period[5:])])


def demo_input_energy(command=None, seed: int = 20260401) -> None:
    out = command.stdout.write if command is not None else print
    if InputEnergy.objects.exists():
        out(f"Input energy present ({InputEnergy.objects.count():,} feeder and DT months): reusing it.")
        return
    text = demo_energy_csv(seed)
    if not text:
        out("No bills yet: no demo input energy.")
        return
    result = energy_import(text=text, source="demo")
    out(f"Recorded {result.imported:,} months of feeder and DT input energy (energy audit).")
