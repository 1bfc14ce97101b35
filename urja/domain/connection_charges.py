"""The charges a new-connection applicant pays before supply (UP Electricity Supply Code 2005, the
UPERC Cost Data Book): processing fee, security deposit, line charges and system loading charges.

Pure and exact: rates come in as data (`Rates`, from `connections.ConnectionCharge`); the load is
taken in whole kW/kVA, a fraction counting as the next whole unit (the rate schedule's rule for new
connections: "fractional kW loads will be treated as next higher kW load")."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_CEILING, Decimal

from .money import round_paisa

#: Line codes of a demand note, in the order they are printed.
PROCESSING_FEE = "processing_fee"
SECURITY_DEPOSIT = "security_deposit"
LINE_CHARGE = "line_charge"
SYSTEM_LOADING = "system_loading"


@dataclass(frozen=True)
class Rates:
    processing_fee: Decimal
    security_deposit_per_unit: Decimal
    line_charge_per_unit: Decimal
    system_loading_per_unit: Decimal


@dataclass(frozen=True)
class Line:
    code: str
    quantity: Decimal
    rate: Decimal
    amount: Decimal


@dataclass(frozen=True)
class DemandNote:
    billable_load: Decimal
    lines: tuple[Line, ...]

    @property
    def total(self) -> Decimal:
        return sum((line.amount for line in self.lines), Decimal("0.00"))

    @property
    def deposit(self) -> Decimal:
        return sum((line.amount for line in self.lines if line.code == SECURITY_DEPOSIT), Decimal("0.00"))

    @property
    def charges(self) -> Decimal:
        """Everything but the deposit (fees and charges the licensee keeps)."""
        return self.total - self.deposit


def billable_load(load: Decimal) -> Decimal:
    """The load charged for: whole units, a fraction rounded up; at least 1."""
    if load <= 0:
        raise ValueError("The load must be more than zero.")
    return max(Decimal(1), load.to_integral_value(rounding=ROUND_CEILING))


def demand_note(load: Decimal, rates: Rates) -> DemandNote:
    """The lines of the demand note for `load` (kW or kVA, as the rates are) at `rates`."""
    units = billable_load(Decimal(load))
    lines = [Line(PROCESSING_FEE, Decimal(1), rates.processing_fee, round_paisa(rates.processing_fee))]
    for code, rate in (
        (SECURITY_DEPOSIT, rates.security_deposit_per_unit),
        (LINE_CHARGE, rates.line_charge_per_unit),
        (SYSTEM_LOADING, rates.system_loading_per_unit),
    ):
        lines.append(Line(code, units, rate, round_paisa(units * rate)))
    return DemandNote(units, tuple(line for line in lines if line.amount != 0))
