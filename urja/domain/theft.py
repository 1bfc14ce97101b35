"""Assessment of a confirmed case of theft of electricity (Electricity Act s.126/s.135 practice).

The assessed units are the connected load found at the inspection, used for the assumed hours a day on
the assumed number of days; the amount is those units at the assessment rate times a factor (the Act's
s.126(5) sets the factor at twice the tariff). Every figure is a parameter, kept as data by the
helpdesk app: this module only does the arithmetic, exactly, with one rounding at the end.

    units  = connected load (kW) × hours per day × days
    amount = units × rate (Rs/kWh) × factor, rounded to the paisa (half up)
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from .money import round_paisa


@dataclass(frozen=True, slots=True)
class TheftParameters:
    hours_per_day: Decimal
    days: int
    rate: Decimal
    factor: Decimal

    def __post_init__(self) -> None:
        if self.hours_per_day <= 0 or self.hours_per_day > 24:
            raise ValueError("hours per day must be more than 0 and at most 24")
        if self.days <= 0:
            raise ValueError("days must be at least 1")
        if self.rate <= 0 or self.factor <= 0:
            raise ValueError("rate and factor must be positive")


@dataclass(frozen=True, slots=True)
class TheftAssessment:
    connected_load_kw: Decimal
    units: Decimal
    amount: Decimal
    parameters: TheftParameters


def assess(connected_load_kw: Decimal, parameters: TheftParameters) -> TheftAssessment:
    """The assessment for ``connected_load_kw`` found at the premises."""
    load = Decimal(connected_load_kw)
    if load <= 0:
        raise ValueError("connected load must be positive")
    units = load * parameters.hours_per_day * parameters.days
    amount = round_paisa(units * parameters.rate * parameters.factor)
    return TheftAssessment(connected_load_kw=load, units=units, amount=amount, parameters=parameters)
