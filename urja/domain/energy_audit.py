"""Energy audit: billing efficiency, collection efficiency, T&D and AT&C loss.

The formula (Ministry of Power, as revised in 2023; DOMAIN.md "Losses and energy audit")::

    billing efficiency    BE = energy billed ÷ net input energy
    collection efficiency CE = amount collected ÷ amount billed
    AT&C loss %              = (1 − BE × CE) × 100
    T&D loss %               = (net input energy − energy billed) ÷ net input energy × 100

* *Net input energy* is the energy metered into the area (feeder or DT meters) less open-access units
  wheeled through it; *energy billed* is the metered and assessed units billed to consumers indexed
  there, open-access units left out.
* *Amount billed* is the revenue billed for the period gross of subsidy (the subsidy the government owes
  is booked as billed); *amount collected* is every payment received in the period, arrears included,
  plus all subsidy received. There is no unbilled-revenue adjustment, so CE may exceed 100% (a month in
  which old arrears come in) and AT&C may then be below the T&D loss, even negative.

Rounding: BE, CE and the losses are computed exactly (Decimal, 28 significant digits) and each is rounded
once, to two decimals of a per cent, half up (``PERCENT_ROUNDING``). AT&C is computed from the unrounded
BE and CE, never from the rounded ones. Check: input 53 MU, billed 50 MU, billed Rs 4,500 lakh, collected
Rs 4,000 lakh → BE 94.34%, CE 88.89%, AT&C 16.14%, T&D 5.66%.

A figure that cannot be computed is ``None`` with a gap reason saying why, never a division by zero or a
misleading 0: no input energy (``no_input``), nothing billed in money (``no_billed_amount``). The caller
adds the gaps it sees in the data behind the figures: feeders with no input recorded for the period
(``unmetered_feeder``; ``unmetered_dt`` for a DT) and billed consumers not indexed to a DT (``unindexed_consumers``).

Periods: ``YYYY-MM`` (a month), ``YYYY-Qn`` (a financial-year quarter: Q1 is April–June of YYYY, Q4 is
January–March of YYYY+1) and ``FYyyyy`` or ``FYyyyy-yy`` (Indian usage: ``FYyyyy`` names the financial year that ENDS on 31 March
yyyy, ``FYyyyy-yy`` the one that starts on 1 April yyyy: FY2026 = FY2025-26 = April 2025 to March 2026).
"""

from __future__ import annotations

import re
from calendar import monthrange
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from .money import RoundingRule

PERCENT_ROUNDING = RoundingRule("per cents to 2 decimals, half up", 2, ROUND_HALF_UP)
HUNDRED = Decimal("100")
ZERO = Decimal("0")

# Gap reasons (stable codes; the pages translate them).
NO_INPUT = "no_input"
NO_BILLED_AMOUNT = "no_billed_amount"
UNMETERED_FEEDER = "unmetered_feeder"
UNMETERED_DT = "unmetered_dt"
UNINDEXED_CONSUMERS = "unindexed_consumers"
GAP_REASONS = (NO_INPUT, NO_BILLED_AMOUNT, UNMETERED_FEEDER, UNMETERED_DT, UNINDEXED_CONSUMERS)


@dataclass(frozen=True, slots=True)
class AuditFigures:
    """The energy-audit figures of one area and period. Percentages are rounded (``PERCENT_ROUNDING``);
    ``None`` where a figure cannot be computed, with the reason in ``gaps``."""

    input_kwh: Decimal | None
    billed_kwh: Decimal
    billed_amount: Decimal
    collected_amount: Decimal
    billing_efficiency: Decimal | None
    collection_efficiency: Decimal | None
    atc_loss_pct: Decimal | None
    td_loss_pct: Decimal | None
    gaps: tuple[str, ...]


def _percent(value: Decimal) -> Decimal:
    return PERCENT_ROUNDING.apply(value * HUNDRED)


def _non_negative(name: str, value: Decimal) -> None:
    if value < 0:
        raise ValueError(f"{name} cannot be negative: {value}")


def audit(
    *,
    input_kwh: Decimal | None,
    billed_kwh: Decimal,
    billed_amount: Decimal,
    collected_amount: Decimal,
    open_access_kwh: Decimal = ZERO,
    gaps: Iterable[str] = (),
) -> AuditFigures:
    """The figures for an area: ``input_kwh`` is the metered input (``None`` when nothing was recorded),
    ``open_access_kwh`` the open-access units inside it (left out of input; ``billed_kwh`` must already
    exclude them). ``gaps`` are reasons the caller found in the data; the ones found here are added."""
    for name, value in (
        ("billed_kwh", billed_kwh),
        ("billed_amount", billed_amount),
        ("collected_amount", collected_amount),
        ("open_access_kwh", open_access_kwh),
    ):
        _non_negative(name, value)
    found = list(dict.fromkeys(gaps))
    for reason in found:
        if reason not in GAP_REASONS:
            raise ValueError(f"unknown gap reason: {reason}")
    net_input: Decimal | None = None
    if input_kwh is not None:
        _non_negative("input_kwh", input_kwh)
        net_input = input_kwh - open_access_kwh
        _non_negative("net input (input less open access)", net_input)

    be: Decimal | None = None
    if net_input is None or net_input == 0:
        if NO_INPUT not in found:
            found.append(NO_INPUT)
    else:
        be = billed_kwh / net_input
    ce: Decimal | None = None
    if billed_amount == 0:
        found.append(NO_BILLED_AMOUNT)
    else:
        ce = collected_amount / billed_amount

    return AuditFigures(
        input_kwh=net_input,
        billed_kwh=billed_kwh,
        billed_amount=billed_amount,
        collected_amount=collected_amount,
        billing_efficiency=None if be is None else _percent(be),
        collection_efficiency=None if ce is None else _percent(ce),
        atc_loss_pct=None if be is None or ce is None else _percent(1 - be * ce),
        td_loss_pct=None if be is None else _percent(1 - be),
        gaps=tuple(found),
    )


def loss_pct(*, input_kwh: Decimal | None, billed_kwh: Decimal) -> Decimal | None:
    """BEE energy-accounting loss of a feeder or DT: (input − billed to consumers indexed to it) ÷ input,
    in per cent, rounded like every per cent here; ``None`` when there is no input."""
    _non_negative("billed_kwh", billed_kwh)
    if input_kwh is None or input_kwh == 0:
        return None
    _non_negative("input_kwh", input_kwh)
    return _percent((input_kwh - billed_kwh) / input_kwh)


# --- periods -------------------------------------------------------------------------------------

_MONTH = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")
_QUARTER = re.compile(r"^(\d{4})-Q([1-4])$")
_FY = re.compile(r"^FY(\d{4})(?:-(\d{2}))?$")


@dataclass(frozen=True, slots=True)
class AuditPeriod:
    """A month, quarter or financial year: its code, first and last day, and its months (``YYYY-MM``)."""

    code: str
    start: date
    end: date
    months: tuple[str, ...]


def _months(first_year: int, first_month: int, count: int) -> tuple[str, ...]:
    out = []
    year, month = first_year, first_month
    for _ in range(count):
        out.append(f"{year:04d}-{month:02d}")
        month += 1
        if month == 13:
            year, month = year + 1, 1
    return tuple(out)


def _period(code: str, year: int, month: int, count: int) -> AuditPeriod:
    months = _months(year, month, count)
    last_year, last_month = (int(part) for part in months[-1].split("-"))
    return AuditPeriod(
        code=code,
        start=date(year, month, 1),
        end=date(last_year, last_month, monthrange(last_year, last_month)[1]),
        months=months,
    )


def parse_period(code: str) -> AuditPeriod:
    """``YYYY-MM``, ``YYYY-Qn`` (financial-year quarter) or ``FYyyyy`` / ``FYyyyy-yy``; ValueError else."""
    text = code.strip().upper()
    if match := _MONTH.match(text):
        return _period(text, int(match[1]), int(match[2]), 1)
    if match := _QUARTER.match(text):
        year, quarter = int(match[1]), int(match[2])
        if quarter == 4:
            return _period(text, year + 1, 1, 3)
        return _period(text, year, 4 + 3 * (quarter - 1), 3)
    if match := _FY.match(text):
        # FY2026 ends in March 2026 (Indian usage); FY2025-26 says both years
        year = int(match[1]) if match[2] is not None else int(match[1]) - 1
        if match[2] is not None and int(match[2]) != (year + 1) % 100:
            raise ValueError(f"not a financial year: {code!r}")
        return _period(f"FY{year}-{(year + 1) % 100:02d}", year, 4, 12)
    raise ValueError(f"not a period (YYYY-MM, YYYY-Qn or FYyyyy): {code!r}")


def months_between(first: str, last: str) -> tuple[str, ...]:
    """Every ``YYYY-MM`` from ``first`` to ``last``, both included (empty when last < first)."""
    fy, fm = (int(part) for part in first.split("-"))
    ly, lm = (int(part) for part in last.split("-"))
    count = (ly - fy) * 12 + (lm - fm) + 1
    return _months(fy, fm, count) if count > 0 else ()
