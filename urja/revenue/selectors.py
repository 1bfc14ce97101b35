"""Reads of revenue protection: the facts of an office's consumers for one month (a fixed number of
grouped queries, whatever the number of consumers), the ranked inspection list, the cases and the
list's hit rate. Scores are computed on demand (docs/revenue-protection.md explains why); a raised case
keeps the score it was raised with.

Every reader of a case or a list goes through the user's office scope: an office, case or consumer
outside it is NotFound.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Count, Exists, Max, OuterRef, Q, Sum

from urja.billing.choices import BillStatus
from urja.billing.models import Bill
from urja.common.errors import NotFound
from urja.customers.choices import ConsumerStatus
from urja.customers.models import Consumer
from urja.domain import revenue_protection as rp
from urja.domain.energy_audit import loss_pct, parse_period
from urja.energyaudit.models import InputEnergy
from urja.metering.choices import ReadingSource, ReadingStatus
from urja.metering.models import MeterInstallation, Reading
from urja.org.models import Office
from urja.org.permissions import user_covers
from urja.org.selectors import office_q

from .choices import OPEN_STATUSES, Band, Outcome
from .models import InspectionCase

CENT = Decimal("0.01")


@dataclass(frozen=True, slots=True)
class Entry:
    """One line of the inspection list."""

    rank: int
    score: rp.Score
    consumer: dict[str, Any]  # id, account_number, name, category, sanctioned_load, load_unit, office code
    open_case: InspectionCase | None = None


def _consumers(office: Office):
    return Consumer.objects.filter(office__path__startswith=office.path).exclude(
        status=ConsumerStatus.PENDING
    )


def _dec(value) -> Decimal | None:
    return None if value is None else Decimal(value).quantize(CENT)


def consumer_facts(*, office: Office, period: str) -> tuple[list[rp.ConsumerFacts], dict[int, dict]]:
    """The facts of every consumer of `office`'s subtree for `period` (YYYY-MM), and each consumer's
    particulars by id. Six grouped queries: consumers, the bills of the month and of the months before,
    IDF/NA readings, spot readings with a position, DT input energy, DT billed units."""
    span = parse_period(period)
    if len(span.months) != 1:
        raise ValueError("one month")
    history = rp.previous_months(period, rp.HISTORY_MONTHS)
    window = rp.previous_months(period, rp.RULES[rp.IDF_NA]["window_months"] - 1) + (period,)
    window_start = parse_period(window[0]).start
    path = office.path

    current_meter = MeterInstallation.objects.filter(consumer=OuterRef("pk"), removed_on__isnull=True)
    people = {
        row["id"]: row
        for row in _consumers(office)
        .annotate(metered=Exists(current_meter))
        .values(
            "id",
            "account_number",
            "name",
            "name_hi",
            "category",
            "sanctioned_load",
            "load_unit",
            "status",
            "latitude",
            "longitude",
            "dt_id",
            "dt__code",
            "office_id",
            "office__code",
            "metered",
        )  # fmt: skip
    }
    bills = Bill.objects.filter(
        consumer__office__path__startswith=path, status=BillStatus.ISSUED, units__isnull=False
    )
    # the month and the months before in one pass over the bills
    month_units: dict[int, Any] = {}
    past: dict[int, dict[str, Any]] = {}
    in_month, before = Q(period=period), Q(period__in=history)
    for row in (
        bills.filter(period__in=(*history, period))
        .values("consumer_id")
        .annotate(
            month_kwh=Sum("units", filter=in_month),
            past_kwh=Sum("units", filter=before),
            # one issued bill per account and period (billing's constraint): bills are months
            past_months=Count("id", filter=before),
            past_peak=Max("units", filter=before),
        )
        .values_list("consumer_id", "month_kwh", "past_kwh", "past_months", "past_peak")
    ):
        consumer_id, units, total, months, peak = row
        if units is not None:
            month_units[consumer_id] = units
        if months:
            past[consumer_id] = {"total": total, "months": months, "peak": peak}
    idf_na = dict(
        Reading.objects.filter(
            consumer__office__path__startswith=path,
            status__in=[ReadingStatus.IDF, ReadingStatus.NA],
            reading_date__gte=window_start,
            reading_date__lte=span.end,
        )
        .values("consumer_id")
        .annotate(n=Count("id"))
        .values_list("consumer_id", "n")
    )
    far: dict[int, float] = {}
    spots = Reading.objects.filter(
        consumer__office__path__startswith=path,
        source=ReadingSource.SPOT,
        reading_date__gte=span.start,
        reading_date__lte=span.end,
        latitude__isnull=False,
        longitude__isnull=False,
        consumer__latitude__isnull=False,
        consumer__longitude__isnull=False,
    ).values_list("consumer_id", "latitude", "longitude")
    for consumer_id, lat, lon in spots.iterator(chunk_size=5000):
        home = people.get(consumer_id)
        if home is None:
            continue
        metres = rp.haversine_m(float(lat), float(lon), float(home["latitude"]), float(home["longitude"]))
        far[consumer_id] = max(far.get(consumer_id, 0.0), metres)

    dts = _consumers(office).filter(dt__isnull=False).values("dt_id")
    dt_input = dict(InputEnergy.objects.filter(dt__in=dts, period=period).values_list("dt_id", "kwh"))
    # billed to every consumer indexed to the DT, whichever office they belong to (BEE DT loss)
    dt_billed = dict(
        Bill.objects.filter(
            consumer__dt__in=dts, status=BillStatus.ISSUED, period=period, units__isnull=False
        )
        .values("consumer__dt_id")
        .annotate(units=Sum("units"))
        .values_list("consumer__dt_id", "units")
    )
    dt_loss: dict[int, Decimal | None] = {}
    for dt_id, kwh in dt_input.items():
        billed = _dec(dt_billed.get(dt_id)) or Decimal("0.00")
        dt_loss[dt_id] = loss_pct(input_kwh=Decimal(kwh), billed_kwh=billed)

    facts = []
    for cid, row in people.items():
        history_row = past.get(cid)
        average = None
        if history_row and history_row["months"]:
            average = (Decimal(history_row["total"]) / history_row["months"]).quantize(CENT)
        facts.append(
            rp.ConsumerFacts(
                consumer_id=cid,
                account_number=row["account_number"],
                category=row["category"],
                load_kw=rp.load_kw(Decimal(row["sanctioned_load"]), row["load_unit"]),
                office_id=row["office_id"],
                active=row["status"] == ConsumerStatus.ACTIVE,
                metered=bool(row["metered"]),
                units=_dec(month_units.get(cid)),
                history_average=average,
                history_months=history_row["months"] if history_row else 0,
                history_max=_dec(history_row["peak"]) if history_row else None,
                idf_na_count=idf_na.get(cid, 0),
                spot_distance_m=Decimal(str(round(far[cid], 1))) if cid in far else None,
                dt_code=row["dt__code"] or "",
                dt_loss_pct=dt_loss.get(row["dt_id"]),
            )
        )
    return facts, people


def inspection_list(*, office: Office, period: str) -> list[Entry]:
    """The office's consumers worth inspecting for `period`, ranked (rp.rank), each with its open
    case if it has one."""
    facts, people = consumer_facts(office=office, period=period)
    ranked = rp.rank(facts)
    open_cases = {
        case.consumer_id: case
        for case in InspectionCase.objects.filter(
            office__path__startswith=office.path, status__in=OPEN_STATUSES
        ).select_related("work_order")
    }
    return [
        Entry(rank=i, score=s, consumer=people[s.consumer_id], open_case=open_cases.get(s.consumer_id))
        for i, s in enumerate(ranked, start=1)
    ]


def consumer_score(*, consumer: Consumer, period: str) -> rp.Score:
    """The consumer's score for `period`, exactly as its DC's list gives it (peers are the DC's)."""
    facts, _people = consumer_facts(office=consumer.office, period=period)
    medians = rp.peer_medians(facts)
    for f in facts:
        if f.consumer_id == consumer.pk:
            return rp.score(f, medians.get((f.office_id, f.category, rp.load_band(f.load_kw))))
    raise NotFound(consumer.account_number)


# --- cases ---------------------------------------------------------------------------------------


def cases_for(user):
    return InspectionCase.objects.filter(office_q(user, "office")).select_related(
        "consumer", "office", "work_order", "raised_by", "closed_by"
    )


def case_get(*, user, case_id: int) -> InspectionCase:
    case = cases_for(user).filter(pk=case_id).first()
    if case is None:
        raise NotFound(str(case_id))
    return case


def consumer_for(*, user, consumer_id: int) -> Consumer:
    consumer = Consumer.objects.filter(pk=consumer_id).select_related("office").first()
    if consumer is None or not user_covers(user, consumer.office):
        raise NotFound(str(consumer_id))
    return consumer


@dataclass(frozen=True, slots=True)
class HitRates:
    overall: rp.HitRate
    by_band: dict[str, rp.HitRate]
    raised: int
    awaiting: int  # raised, no outcome yet


def hit_rates(*, office: Office, period: str) -> HitRates:
    """Confirmed ÷ inspected of the cases raised from the office's lists of `period`'s months
    (a month, quarter or financial year), overall and by the band each case was raised in."""
    span = parse_period(period)
    cases = InspectionCase.objects.filter(office__path__startswith=office.path, period__in=span.months)
    rows = list(cases.values("band", "outcome").annotate(n=Count("id")))

    def outcomes(band: str | None) -> list[str]:
        out: list[str] = []
        for row in rows:
            if band is None or row["band"] == band:
                out += [row["outcome"]] * row["n"]
        return out

    raised = sum(row["n"] for row in rows)
    awaiting = sum(row["n"] for row in rows if not row["outcome"])
    return HitRates(
        overall=rp.hit_rate(outcomes(None)),
        by_band={band: rp.hit_rate(outcomes(band)) for band in Band.values},
        raised=raised,
        awaiting=awaiting,
    )


def cases_in(*, office: Office, period: str, outcome: str = ""):
    span = parse_period(period)
    cases = InspectionCase.objects.filter(
        office__path__startswith=office.path, period__in=span.months
    ).select_related("consumer", "work_order", "raised_by")
    if outcome in Outcome.values:
        cases = cases.filter(outcome=outcome)
    return cases.order_by("-raised_at", "-id")
