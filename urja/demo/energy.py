"""Demo input energy: feeder and DT meter energy for every month the demo has bills (at most twelve),
made from the demo's own bills so that the loss figures look like UP's (DOMAIN.md: about two feeders in
three above 50% AT&C).

Each feeder draws a technical-and-commercial loss from its code (so a rerun gives the same figures):
one in five a "good" feeder losing 10-20% of its input, about one in six 25-45%, the others 50-72%,
moving by up to 3 points from month to month.
A DT loses a little less than its feeder (the 11 kV line's own loss sits between them). Input =
billed units ÷ (1 − loss), a consumer billed without units (flat rate) counted at 90 kWh a month.
Input is seeded only for months that have bills: a month with input and no bills would read as a
100% loss and drag a quarter's or a year's billing efficiency down. One feeder in eight (by code)
misses a month in the middle at its feeder meter, so the audit shows the gap (an "input missing"
feeder) and the import flags the month after it. Feeders with no billed consumer get no input: they
show as unmetered. Written through `energy_import`, like a meter file.
"""

from __future__ import annotations

import random
from collections import defaultdict
from decimal import Decimal

from django.db.models import Count, Sum

from urja.billing.choices import BillStatus
from urja.billing.models import Bill
from urja.energyaudit.models import InputEnergy
from urja.energyaudit.services import energy_import, rollup_periods, rollup_refresh

MONTHS = 12
UNMETERED_NORM_KWH = Decimal("90")  # a month's draw assumed for a consumer billed no units
CENT = Decimal("0.01")
# Demand by calendar month relative to the year's mean (UP: summer and the paddy season peak).
SEASON = {1: "0.85", 2: "0.80", 3: "0.90", 4: "1.05", 5: "1.20", 6: "1.25", 7: "1.15", 8: "1.10",
          9: "1.05", 10: "0.95", 11: "0.85", 12: "0.85"}  # fmt: skip


def feeder_loss(code: str, seed: int) -> Decimal:
    rng = random.Random(f"{seed}:{code}")
    draw = rng.random()
    low, high = (10, 20) if draw < 0.20 else (25, 45) if draw < 0.35 else (50, 72)
    return Decimal(rng.randint(low * 100, high * 100)) / 10000


def month_jitter(code: str, period: str, seed: int) -> Decimal:
    """A feeder's loss moves a little from month to month (within ±3 points, by code and month), so the
    trend and the heat map do not draw flat lines; its DTs move with it."""
    rng = random.Random(f"{seed}:{code}:{period}")
    return Decimal(rng.randint(-300, 300)) / 10000


def misses_a_month(code: str, seed: int) -> bool:
    """Whether the feeder's meter has a month missing in the demo (one in eight, by code)."""
    return random.Random(f"{seed}:{code}:gap").random() < 1 / 8


def _input(billed: Decimal, loss: Decimal) -> Decimal:
    return (billed / (1 - loss)).quantize(CENT)


def demo_energy_csv(seed: int = 20260401) -> str:
    """The CSV (docs/energy-audit.md) of the billed months (at most the last twelve)."""
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
    months = periods[-MONTHS:]
    lines = ["level,code,period,kwh,meter"]
    feeder_input: dict[str, dict[str, Decimal]] = defaultdict(lambda: defaultdict(Decimal))
    for (feeder, dt), by_month in sorted(dt_billed.items()):
        loss = feeder_loss(feeder, seed)
        rng = random.Random(f"{seed}:{dt}")
        dt_loss = max(Decimal("0.05"), loss - Decimal(rng.randint(200, 800)) / 10000)
        for period in months:
            if period not in by_month:
                continue  # the DT's consumers were not billed that month
            kwh = _input(by_month[period], dt_loss + month_jitter(feeder, period, seed))
            lines.append(f"dt,{dt},{period},{kwh},")
            feeder_input[feeder][period] += kwh
    for feeder, by_month in sorted(feeder_input.items()):
        # The feeder meter sees its DTs' input plus the 11 kV line's loss (chosen so the feeder's total
        # loss is the feeder's drawn figure).
        loss = feeder_loss(feeder, seed)
        billed_months = [period for period in months if period in by_month]
        skip = (
            billed_months[len(billed_months) // 2]
            if misses_a_month(feeder, seed) and len(billed_months) >= 3
            else None
        )
        for period in billed_months:
            if period == skip:
                continue
            billed = sum(
                (by_dt.get(period, Decimal("0")) for key, by_dt in dt_billed.items() if key[0] == feeder),
                Decimal("0"),
            )
            kwh = max(_input(billed, loss + month_jitter(feeder, period, seed)), by_month[period])
            lines.append(f"feeder,{feeder},{period},{kwh},")
    return "\n".join(lines) + "\n"


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
    out(
        f"Recorded {result.imported:,} months of feeder and DT input energy (energy audit; "
        f"{len(result.flagged):,} after a missing month)."
    )


def demo_rollup(command=None) -> None:
    """The command centre's monthly roll-up of the demo's last thirteen months (what the nightly task
    would have built)."""
    out = command.stdout.write if command is not None else print
    written = rollup_refresh(periods=rollup_periods(months=13))
    out(f"Rolled up {sum(written.values()):,} office/DT months for the command centre.")
