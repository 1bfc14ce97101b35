"""Reads of the energy audit: an area's input energy, billed energy, billed and collected money, and its
AT&C figures (urja.domain.energy_audit) for a month, quarter or financial year. Later MIS pages reuse
these; they only read.

Which consumers count: those indexed (through their DT) to the area's feeders: for an office, every
feeder whose office is in the office's subtree; for a feeder, its DTs; for a DT, itself. Billed figures
are the issued bills of the period's months (``Bill.period``): ``billed_kwh`` their units (metered and
assessed), ``billed_amount`` their current charges gross of subsidy, which is what each bill posts to the
ledger as its debit and subsidy credit. ``collected_amount`` is read from the ledger: payment and
subsidy credits dated in the period, less reversals of such credits dated in the period (a bounced
cheque), arrears included. A feeder or DT lacking input for a month of the period that has ended is
reported as unmetered (months from the current one on are not expected yet). Consumers of the office not indexed to any DT are counted as a gap.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Count, Q, Sum

from urja.billing.choices import BillStatus
from urja.billing.models import Bill
from urja.common import clock
from urja.common.errors import NotFound
from urja.customers.models import Consumer
from urja.domain.energy_audit import (
    UNINDEXED_CONSUMERS,
    UNMETERED_DT,
    UNMETERED_FEEDER,
    AuditFigures,
    AuditPeriod,
    audit,
    parse_period,
)
from urja.ledger.choices import EntryType
from urja.ledger.models import LedgerEntry
from urja.network.models import DistributionTransformer, Feeder
from urja.org.models import Office
from urja.org.permissions import user_covers

from .models import InputEnergy

ZERO = Decimal("0.00")
CENT = Decimal("0.01")


def _sum(value: Decimal | None) -> Decimal:
    """A database sum as a two-decimal Decimal (SQLite drops the trailing zeros of NUMERIC sums)."""
    return (value or ZERO).quantize(CENT)


COLLECTION_TYPES = (EntryType.PAYMENT, EntryType.SUBSIDY)


@dataclass(frozen=True, slots=True)
class AreaAudit:
    level: str  # "office", "feeder" or "dt"
    code: str
    period: AuditPeriod
    figures: AuditFigures
    unmetered_feeders: tuple[str, ...] = ()
    unmetered_dts: tuple[str, ...] = ()
    unindexed_consumers: int = 0

    def as_dict(self) -> dict[str, Any]:
        f = self.figures

        def text(value: Decimal | None) -> str | None:
            return None if value is None else str(value)

        return {
            "level": self.level,
            "code": self.code,
            "period": self.period.code,
            "start": self.period.start.isoformat(),
            "end": self.period.end.isoformat(),
            "input_kwh": text(f.input_kwh),
            "billed_kwh": text(f.billed_kwh),
            "billed_amount": text(f.billed_amount),
            "collected_amount": text(f.collected_amount),
            "billing_efficiency": text(f.billing_efficiency),
            "collection_efficiency": text(f.collection_efficiency),
            "atc_loss_pct": text(f.atc_loss_pct),
            "td_loss_pct": text(f.td_loss_pct),
            "gaps": list(f.gaps),
            "unmetered_feeders": list(self.unmetered_feeders),
            "unmetered_dts": list(self.unmetered_dts),
            "unindexed_consumers": self.unindexed_consumers,
        }


def _money_and_units(consumers: dict[str, Any], period: AuditPeriod) -> tuple[Decimal, Decimal, Decimal]:
    """(billed kWh, billed amount, collected amount) of the consumers matching the Consumer lookups
    `consumers`."""
    through_consumer = {f"consumer__{key}": value for key, value in consumers.items()}
    bills = Bill.objects.filter(
        **through_consumer,
        status=BillStatus.ISSUED,
        period__in=period.months,
    ).aggregate(units=Sum("units"), charges=Sum("current_charges"), subsidy=Sum("subsidy"))
    billed_kwh = _sum(bills["units"])
    billed_amount = _sum(bills["charges"]) - _sum(bills["subsidy"])  # subsidy is stored negative
    in_period = LedgerEntry.objects.filter(
        **through_consumer,
        entry_date__gte=period.start,
        entry_date__lte=period.end,
    )
    credits = in_period.filter(
        Q(entry_type__in=COLLECTION_TYPES)
        | Q(entry_type=EntryType.REVERSAL, reverses__entry_type__in=COLLECTION_TYPES)
    ).aggregate(total=Sum("amount"))["total"]
    collected = ZERO - _sum(credits)  # not -0.00
    return billed_kwh, billed_amount, collected


def _input(rows, period: AuditPeriod) -> Decimal | None:
    total = rows.filter(period__in=period.months).aggregate(total=Sum("kwh"))["total"]
    return None if total is None else _sum(total)


def _unmetered(points, period: AuditPeriod) -> tuple[str, ...]:
    """Codes of the feeders/DTs in `points` lacking input energy for some month of the period that has
    ended (the current month and later ones cannot have their meter figures yet)."""
    current = clock.today().strftime("%Y-%m")
    ended = [month for month in period.months if month < current]
    if not ended:
        return ()
    counted = points.annotate(months=Count("input_energy", filter=Q(input_energy__period__in=ended))).filter(
        months__lt=len(ended)
    )
    return tuple(counted.order_by("code").values_list("code", flat=True))


def office_audit(*, office: Office, period: str) -> AreaAudit:
    """The figures of an office's subtree (all the feeders whose office lies in it)."""
    span = parse_period(period)
    feeders = Feeder.objects.filter(office__path__startswith=office.path)
    consumers = {"dt__feeder__office__path__startswith": office.path}
    billed_kwh, billed_amount, collected = _money_and_units(consumers, span)
    input_kwh = _input(InputEnergy.objects.filter(feeder__in=feeders), span)
    unmetered = _unmetered(feeders, span)
    unindexed = (
        Consumer.objects.filter(office__path__startswith=office.path, dt__isnull=True)
        .filter(bills__status=BillStatus.ISSUED, bills__period__in=span.months)
        .distinct()
        .count()
    )
    gaps = [UNMETERED_FEEDER] if unmetered else []
    if unindexed:
        gaps.append(UNINDEXED_CONSUMERS)
    figures = audit(
        input_kwh=input_kwh,
        billed_kwh=billed_kwh,
        billed_amount=billed_amount,
        collected_amount=collected,
        gaps=gaps,
    )
    return AreaAudit(
        level="office",
        code=office.code,
        period=span,
        figures=figures,
        unmetered_feeders=unmetered,
        unindexed_consumers=unindexed,
    )


def feeder_audit(*, feeder: Feeder, period: str) -> AreaAudit:
    span = parse_period(period)
    billed_kwh, billed_amount, collected = _money_and_units({"dt__feeder": feeder}, span)
    unmetered = _unmetered(Feeder.objects.filter(pk=feeder.pk), span)
    figures = audit(
        input_kwh=_input(InputEnergy.objects.filter(feeder=feeder), span),
        billed_kwh=billed_kwh,
        billed_amount=billed_amount,
        collected_amount=collected,
        gaps=[UNMETERED_FEEDER] if unmetered else [],
    )
    return AreaAudit(
        level="feeder", code=feeder.code, period=span, figures=figures, unmetered_feeders=unmetered
    )


def dt_audit(*, dt: DistributionTransformer, period: str) -> AreaAudit:
    span = parse_period(period)
    billed_kwh, billed_amount, collected = _money_and_units({"dt": dt}, span)
    unmetered = _unmetered(DistributionTransformer.objects.filter(pk=dt.pk), span)
    figures = audit(
        input_kwh=_input(InputEnergy.objects.filter(dt=dt), span),
        billed_kwh=billed_kwh,
        billed_amount=billed_amount,
        collected_amount=collected,
        gaps=[UNMETERED_DT] if unmetered else [],
    )
    return AreaAudit(level="dt", code=dt.code, period=span, figures=figures, unmetered_dts=unmetered)


def office_audit_for_user(*, user, office_code: str, period: str) -> AreaAudit:
    """`office_audit` for a staff user: NotFound for an office outside the user's subtree."""
    office = Office.objects.filter(code=office_code).first()
    if office is None or not user_covers(user, office):
        raise NotFound(office_code)
    return office_audit(office=office, period=period)
