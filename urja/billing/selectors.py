"""Reads of bills, bill runs and revisions. Every function that takes a principal limits what it
returns to that principal's office subtree; a bill or run outside it is a 404, never a 403, so that
ids outside one's office cannot be probed.

Runs: a run over an office is visible to users whose office contains that office (and to users who
see everything). A run over *all* offices (office None) is visible only to users who see everything:
it covers other offices' accounts, and its counts would reveal them. Officers lower down still see
and review the bills such a run made for their own accounts through the review queue."""

from __future__ import annotations

import datetime
from collections import defaultdict
from decimal import Decimal

from django.conf import settings
from django.db.models import Max, Q, QuerySet
from django.utils.translation import gettext_lazy as _

from urja.common import clock
from urja.common.errors import NotFound
from urja.domain.determinants import HOLD_TEXT, Hold
from urja.domain.money import format_money
from urja.domain.rules import period_months, units_per_month
from urja.metering.selectors import monthly_history
from urja.org.selectors import office_q

from .choices import BillBasis, BillStatus, RevisionStatus, RunStatus
from .models import Bill, BillRevision, BillRun

#: Hold reasons in the staff's language. The domain core keeps English text (HOLD_TEXT) and has no
#: Django import, so the translatable labels live here; a test keeps both in step.
HOLD_LABELS = {
    Hold.CDF: _("consumption above 800 kWh per kW per month (CDF)"),
    Hold.ZERO: _("zero units on an active metered connection"),
    Hold.HIGH: _("consumption above 3 times the average"),
    Hold.LOW: _("consumption below a third of the average"),
    Hold.FIRST: _("first bill of a new connection"),
    Hold.KVAH: _("kVAh advance below the kWh advance: the kVAh register is defective"),
    Hold.ERROR: _("the bill could not be computed"),
    Hold.FPPAS_MISSING: _("no FPPAS order entered for the bill month"),
}

AVERAGE_MONTHS = 3
ACTUAL_BASES = (BillBasis.MU, BillBasis.MIN)


def hold_label(code: str) -> str:
    """A hold reason in the active language; a code without a label yet shows the domain's English."""
    return str(HOLD_LABELS.get(code) or HOLD_TEXT.get(code, code))


def bills_for(principal) -> QuerySet[Bill]:
    return Bill.objects.filter(office_q(principal, field="consumer__office")).select_related(
        "consumer", "consumer__office"
    )


def held_bills_for(principal, *, run_id: int | None = None, reason: str | None = None) -> QuerySet[Bill]:
    """Held bills in the principal's offices, oldest period first, then by account number."""
    qs = bills_for(principal).filter(status=BillStatus.HELD)
    if run_id is not None:
        qs = qs.filter(run_id=run_id)
    if reason:
        # hold_reasons is a comma-separated list of codes: match a whole code, not a substring.
        qs = qs.filter(
            Q(hold_reasons=reason)
            | Q(hold_reasons__startswith=f"{reason},")
            | Q(hold_reasons__endswith=f",{reason}")
            | Q(hold_reasons__contains=f",{reason},")
        )
    return qs.order_by("period", "consumer__account_number", "id")


def bill_get(principal, bill_id: int) -> Bill:
    bill = bills_for(principal).select_related("run", "revision_of").filter(pk=bill_id).first()
    if bill is None:
        raise NotFound("no such bill")
    return bill


def issued_bill(consumer, bill_number: str) -> Bill | None:
    """The consumer's issued (not held, not cancelled) bill with this number, if any."""
    return Bill.objects.filter(consumer=consumer, bill_number=bill_number, status=BillStatus.ISSUED).first()


def consumer_bills(consumer, limit: int = 12) -> list[Bill]:
    """A consumer's latest bills (cancelled ones too, so a revision can be followed), latest first."""
    return list(consumer.bills.order_by("-period", "-id")[:limit])


def consumer_bills_queryset(consumer, limit: int = 12) -> QuerySet[Bill]:
    """A consumer's latest issued bills (what a revision may be asked of), latest first."""
    latest = list(
        Bill.objects.filter(consumer=consumer, status=BillStatus.ISSUED)
        .order_by("-period", "-id")
        .values_list("pk", flat=True)[:limit]
    )
    return Bill.objects.filter(pk__in=latest).order_by("-period", "-id")


def runs_for(principal) -> QuerySet[BillRun]:
    qs = BillRun.objects.select_related("cycle", "office", "started_by")
    if principal.sees_everything:
        return qs
    if principal.office_id is None:
        return qs.none()
    # Runs over the user's offices, and runs over a wider scope that includes them (a state-wide or
    # discom-wide run): of those, the run page shows only the user's own partitions.
    path = principal.office.path
    ancestors = ["/".join(path.split("/")[:i]) + "/" for i in range(1, path.count("/") + 1)]
    return qs.filter(
        Q(office__isnull=True) | Q(office__path__in=ancestors) | Q(office__path__startswith=path)
    )


def run_get(principal, run_id: int) -> BillRun:
    run = runs_for(principal).filter(pk=run_id).first()
    if run is None:
        raise NotFound("no such run")
    return run


def run_stale_since(run: BillRun) -> datetime.datetime | None:
    """When an unfinished run last showed a sign of life, if that was longer ago than
    URJA_BILLING["RUN_STALE_AFTER_MINUTES"]: the run has stopped (its worker or the server was killed
    mid-partition) and may be resumed. None for a finished run or one that is still moving."""
    if run.status not in (RunStatus.PENDING, RunStatus.RUNNING):
        return None
    activity = run.partitions.aggregate(started=Max("started_at"), finished=Max("finished_at"))
    last = max(t for t in (run.started_at or run.created_at, activity["started"], activity["finished"]) if t)
    threshold = datetime.timedelta(minutes=int(settings.URJA_BILLING["RUN_STALE_AFTER_MINUTES"]))
    return last if clock.now() - last > threshold else None


def run_eta_seconds(run: BillRun) -> int | None:
    """Seconds until a running run is likely to finish, from its pace so far (the time since it
    started over the partitions done): None before the first partition is done, or when finished."""
    if (
        run.status not in (RunStatus.PENDING, RunStatus.RUNNING)
        or not run.started_at
        or not run.partitions_done
    ):
        return None
    elapsed = (clock.now() - run.started_at).total_seconds()
    remaining = run.partitions_total - run.partitions_done
    return max(0, round(elapsed * remaining / run.partitions_done))


def run_partitions(run: BillRun, principal=None):
    partitions = run.partitions.select_related("office").order_by("office__code")
    if principal is not None:
        partitions = partitions.filter(office_q(principal))
    return partitions


def revisions_for(principal) -> QuerySet[BillRevision]:
    return BillRevision.objects.filter(office_q(principal, field="consumer__office")).select_related(
        "bill", "consumer", "requested_by", "decided_by", "new_bill"
    )


def revisions_pending_for(principal) -> QuerySet[BillRevision]:
    return revisions_for(principal).filter(status=RevisionStatus.PENDING).order_by("created_at", "id")


def revision_get(principal, revision_id: int) -> BillRevision:
    revision = revisions_for(principal).filter(pk=revision_id).first()
    if revision is None:
        raise NotFound("no such revision")
    return revision


def bill_revisions(bill: Bill) -> list[BillRevision]:
    """Revisions asked for this bill, newest first."""
    return list(bill.revisions.select_related("requested_by", "decided_by", "new_bill").order_by("-id"))


def average_monthly_units(bills: list[Bill]) -> dict[int, Decimal | None]:
    """For each bill (by id), the consumer's average monthly units over the last three actual months
    before the bill's period — what the HIGH/LOW rules compare with. Previous bills when there are
    any, otherwise the readings (an account's first bills in Urja). Two queries for any number of bills.
    """
    if not bills:
        return {}
    consumer_ids = {bill.consumer_id for bill in bills}
    latest_period = max(bill.period for bill in bills)
    past: dict[int, list[tuple[str, Decimal]]] = defaultdict(list)
    rows = (
        Bill.objects.filter(consumer_id__in=consumer_ids, period__lt=latest_period, basis__in=ACTUAL_BASES)
        .exclude(status=BillStatus.CANCELLED)
        .exclude(units__isnull=True)
        .order_by("consumer_id", "period")
        .values_list("consumer_id", "period", "period_start", "period_end", "units")
    )
    for consumer_id, period, start, end, units in rows:
        months = period_months(start, end)
        if months > 0:
            past[consumer_id].append((period, units_per_month(units, months)))
    without_bills = [bill for bill in bills if not any(p < bill.period for p, _ in past[bill.consumer_id])]
    from_readings = {}
    if without_bills:
        until = min(bill.period_start for bill in without_bills) - datetime.timedelta(days=1)
        from_readings = monthly_history(
            {bill.consumer_id for bill in without_bills}, months=AVERAGE_MONTHS + 1, until=until
        )
    result: dict[int, Decimal | None] = {}
    for bill in bills:
        actual = [units for period, units in past[bill.consumer_id] if period < bill.period]
        if not actual:
            actual = [u for _, _, u in from_readings.get(bill.consumer_id, []) if u is not None]
        actual = actual[-AVERAGE_MONTHS:]
        result[bill.id] = (sum(actual, Decimal(0)) / len(actual)).quantize(Decimal("1")) if actual else None
    return result


def last_twelve_months(day: datetime.date) -> tuple[datetime.date, datetime.date]:
    """The default statement window: the twelve calendar months ending with `day`'s month."""
    index = day.year * 12 + day.month - 1 - 11
    return datetime.date(index // 12, index % 12 + 1, 1), day


def statement_as_dict(statement) -> dict:
    """A ledger statement (urja.ledger.selectors.statement) as JSON-ready data, amounts as strings."""
    return {
        "from": statement.date_from.isoformat(),
        "to": statement.date_to.isoformat(),
        "opening_balance": format_money(statement.opening_balance),
        "total_debits": format_money(statement.total_debits),
        "total_credits": format_money(statement.total_credits),
        "closing_balance": format_money(statement.closing_balance),
        "lines": [
            {
                "date": line.entry.entry_date.isoformat(),
                "type": line.entry.entry_type,
                "description": line.entry.description,
                "period": line.entry.period,
                "debit": format_money(line.debit),
                "credit": format_money(line.credit),
                "balance": format_money(line.balance),
            }
            for line in statement.lines
        ],
    }
