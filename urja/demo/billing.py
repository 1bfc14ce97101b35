"""Six months of meter readings and bills for the demo utility (`urja demo`).

Readings are synthetic but behave like a UP utility's: consumption by category and load with a summer
peak, a few doors locked (NA) and meters not read (NR) each month, a few defective meters (IDF), the odd
unchanged register (ADF) and spike — so the review queue has work in it while most bills go out.
Readings are written in bulk with their units computed here by the same rules as `reading_record`
(previous valid reading, roll-over at the register's capacity, multiplying factor); bills are made by
the real bill runs, one per month. Deterministic for a given seed and month.
"""

from __future__ import annotations

import datetime
import random
from decimal import ROUND_CEILING, Decimal

from django.db import transaction

from urja.billing.models import Bill
from urja.billing.runs import bill_run
from urja.common import clock
from urja.customers.models import Consumer
from urja.domain.consumption import RegisterSegment, reading_outcome
from urja.domain.rules import add_months
from urja.metering.models import MeterInstallation, Reading

MONTHS_BILLED = 6
LEGACY_MONTHS = 3  # readings before the first bill, as imported from the old system (for averages)
SEASON = {
    1: 0.85,
    2: 0.85,
    3: 0.95,
    4: 1.10,
    5: 1.30,
    6: 1.35,
    7: 1.25,
    8: 1.20,
    9: 1.15,
    10: 1.00,
    11: 0.90,
    12: 0.85,
}
IRRIGATION = {
    1: 0.9,
    2: 0.8,
    3: 0.7,
    4: 1.2,
    5: 1.3,
    6: 1.2,
    7: 0.6,
    8: 0.5,
    9: 0.6,
    10: 1.1,
    11: 1.3,
    12: 1.0,
}
# Monthly units per unit of sanctioned load (kW or BHP), low and high.
USAGE = {
    "LMV1-LIFELINE": (35, 80),
    "LMV1-RURAL": (45, 110),
    "LMV1-URBAN": (70, 170),
    "LMV2-URBAN": (90, 220),
    "LMV5-RURAL": (50, 120),
    "LMV5-URBAN": (50, 120),
    "LMV6": (140, 280),
}
HV_USAGE = (150, 350)  # per kVA of contracted demand: load factors of about 20-50%


def _month_end(first: datetime.date) -> datetime.date:
    return add_months(first, 1) - datetime.timedelta(days=1)


def demo_cycles(today: datetime.date) -> list[datetime.date]:
    """First days of the six complete months before `today`'s month."""
    this_month = datetime.date(today.year, today.month, 1)
    return [add_months(this_month, -MONTHS_BILLED + i) for i in range(MONTHS_BILLED)]


def register_after(
    register: Decimal, used: Decimal, mf: Decimal, capacity: Decimal
) -> tuple[Decimal, Decimal]:
    """A register after `used` units (the meter moves `used / mf`), and the units it shows then:
    counted across a roll-over past `capacity`, never negative."""
    after = ((register + used / mf) % capacity).quantize(Decimal("0.01"), ROUND_CEILING)
    moved = after - register
    return after, (moved if moved >= 0 else moved + capacity) * mf


def generate_readings(months: list[datetime.date], seed: int) -> int:
    """Bulk-write readings for every metered consumer with a current meter for `months` (first days),
    preceded by an opening reading at the end of the month before the first. Returns the count."""
    opening_day = months[0] - datetime.timedelta(days=1)
    rows = (
        MeterInstallation.objects.filter(removed_on__isnull=True, installed_on__lte=opening_day)
        .select_related("meter", "consumer")
        .order_by("consumer_id")
    )
    readings: list[Reading] = []
    now = clock.now()
    for inst in rows.iterator(chunk_size=2000):
        consumer: Consumer = inst.consumer
        if not consumer.is_metered:
            continue
        rng = random.Random(seed * 1_000_003 + consumer.id)
        meter = inst.meter
        capacity = Decimal(10) ** meter.digits
        mf = meter.multiplying_factor
        hv = consumer.category.startswith("HV")
        low, high = HV_USAGE if hv else USAGE.get(consumer.category, (60, 150))
        base = consumer.sanctioned_load * Decimal(rng.randint(low, high))
        if consumer.category == "LMV1-LIFELINE":
            base = min(base, Decimal(rng.randint(40, 95)))
        register = (inst.initial_reading + Decimal(rng.randint(0, int(capacity) - 1))) % capacity
        # A kVAh register (and an MD register on an HV meter) moves with the kWh one at the
        # consumer's power factor: kVAh never below kWh (the reading rule holds it as defective).
        kvah_register = Decimal(rng.randint(0, int(capacity) - 1)) if meter.has_kvah else None
        power_factor = Decimal(str(round(rng.uniform(0.86, 0.98), 3)))
        common = {
            "consumer": consumer,
            "account_number": consumer.account_number,
            "meter": meter,
            "source": "manual",
            "created_at": now,
            "updated_at": now,
        }
        readings.append(
            Reading(
                reading_date=opening_day,
                kwh=register,
                kvah=kvah_register,
                status="OK",
                remarks="opening reading (legacy import)",
                **common,
            )
        )
        last_valid_day, last_valid = opening_day, register
        for first in months:
            end = _month_end(first)
            day = end - datetime.timedelta(days=rng.randint(0, 4))
            season = IRRIGATION if consumer.category.startswith("LMV5") else SEASON
            draw = rng.random()
            if draw < 0.022:
                readings.append(Reading(reading_date=day, status="NA", remarks="door locked", **common))
                continue
            if draw < 0.032:
                continue  # not read this month (NR): no visit recorded
            if draw < 0.035:
                readings.append(Reading(reading_date=day, status="IDF", remarks="display blank", **common))
                continue
            months_since = max(1, (day - last_valid_day).days / 30.4)
            used = (
                base
                * Decimal(str(season[first.month]))
                * Decimal(str(rng.uniform(0.88, 1.12)))
                * Decimal(str(months_since))
            ).quantize(Decimal("1"))
            if draw > 0.9975:
                used = Decimal(0)  # the register did not move (ADF)
            elif draw > 0.995:
                used *= 4  # a spike the SDO must look at
            # The meter's register after `used` units, then the same rule as every recorded reading
            # (`domain.consumption.reading_outcome`): units across a roll-over, ADF, CDF.
            current = ((last_valid + used / mf) % capacity).quantize(Decimal("0.01"))
            outcome = reading_outcome(
                [RegisterSegment(last_valid, current, meter.digits, mf)],
                days=(day - last_valid_day).days,
                sanctioned_load=consumer.sanctioned_load,
                load_unit=consumer.load_unit,
            )
            registers = {}
            if kvah_register is not None and outcome.consumption is not None:
                kvah_used = (outcome.consumption.units / power_factor).quantize(Decimal("1"), ROUND_CEILING)
                kvah_register, registers["kvah_units"] = register_after(
                    kvah_register, kvah_used, mf, capacity
                )
                registers["kvah"] = kvah_register
                if hv:
                    registers["max_demand"] = (
                        consumer.sanctioned_load * Decimal(str(round(rng.uniform(0.55, 1.08), 2)))
                    ).quantize(Decimal("0.01"))
            readings.append(
                Reading(
                    reading_date=day,
                    kwh=current,
                    status=outcome.status,
                    units=outcome.consumption.units if outcome.consumption else None,
                    units_since=last_valid_day,
                    previous_kwh=last_valid,
                    rolled_over=bool(outcome.consumption and outcome.consumption.rolled_over),
                    **registers,
                    **common,
                )
            )
            if outcome.consumption is not None:
                last_valid_day, last_valid = day, current
    with transaction.atomic():
        Reading.objects.bulk_create(readings, batch_size=5000)
    return len(readings)


DEMO_FPPAS_SOURCE = "demo: no UPPCL FPPAS order known for this bill month; 0% entered so the demo can bill"


def demo_fppas_orders(cycles: list[datetime.date]) -> list[str]:
    """Enter an FPPAS order of 0% (marked as a demo figure) for each bill month of `cycles` (a cycle is
    issued the day after it ends) that has no order: a bill run refuses a month without one."""
    from urja.tariffs.models import FppasRate

    months = [f"{add_months(first, 1):%Y-%m}" for first in cycles]
    have = set(FppasRate.objects.filter(month__in=months).values_list("month", flat=True))
    missing = [month for month in months if month not in have]
    FppasRate.objects.bulk_create([FppasRate(month=m, percent=0, source=DEMO_FPPAS_SOURCE) for m in missing])
    return missing


def demo_billing_history(command=None, seed: int = 20260401, today: datetime.date | None = None) -> None:
    """Readings and bill runs for the last six months. Does nothing when bills exist already."""
    out = command.stdout.write if command is not None else print
    if Bill.objects.exists():
        out(f"Billing history present ({Bill.objects.count():,} bills): reusing it.")
        return
    today = today or clock.today()
    cycles = demo_cycles(today)
    legacy = [add_months(cycles[0], -LEGACY_MONTHS + i) for i in range(LEGACY_MONTHS)]
    count = generate_readings(legacy + cycles, seed)
    out(f"Recorded {count:,} meter readings for {legacy[0]:%b %Y} to {cycles[-1]:%b %Y}.")
    from urja.demo.collections import collections_after_run, history_window

    entered = demo_fppas_orders(cycles)
    if entered:
        out(f"Entered a demo FPPAS order of 0% for bills of {', '.join(entered)} (no real order known).")
    for first in cycles:
        period = f"{first:%Y-%m}"
        run = bill_run(cycle_code=period)
        # Every cycle is paid as its consumers would have paid it, so the collection efficiency of each
        # month (the command centre's trend) looks like a utility's, not like a first month paying six.
        with history_window(today - first):
            paid, surcharged = collections_after_run(period, pay=True, seed=seed)
        out(
            f"Bill run {period}: {run.billed:,} issued, {run.held:,} held for review ({run.held_percent}%); "
            f"{paid:,} paid; late payment surcharge on {surcharged:,} accounts."
        )
