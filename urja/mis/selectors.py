"""The MIS reports' reads: each one a few set-based queries (GROUP BY), never one query per row.

Every function takes a `Filters` (office subtree, period range, category) and returns plain rows
(dicts) that the report framework (`urja.mis.reports`) sorts, totals and exports. What each report
counts, and by which date, is written in docs/mis-reports.md.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Case, Count, F, OuterRef, Q, Subquery, When
from django.db.models.functions import TruncMonth
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from urja.billing.choices import BillBasis, BillStatus
from urja.billing.models import Bill
from urja.common import clock
from urja.common.db import MoneySum
from urja.customers.models import Consumer
from urja.domain.ageing import BUCKETS
from urja.helpdesk.models import Ticket
from urja.ledger.choices import EntryType
from urja.ledger.models import LedgerEntry
from urja.ledger.selectors import ageing_bulk
from urja.metering.choices import ReadingSource, ReadingStatus
from urja.metering.models import Reading
from urja.org.models import Office
from urja.payments.models import Payment
from urja.workflow.models import WorkItem

ZERO = Decimal("0.00")
BUCKET_NAMES = tuple(name for name, _low, _high in BUCKETS)
#: "Overdue more than N days" for the defaulters list: N is a bucket's lower edge less one.
OVERDUE_DAYS = (0, 30, 90, 180, 365)


@dataclass(frozen=True)
class Filters:
    office: Office | None  # None: every office (a state-wide user)
    period_from: str  # YYYY-MM
    period_to: str  # YYYY-MM, not before period_from
    category: str = ""

    @property
    def prefix(self) -> str:
        return self.office.path if self.office is not None else ""

    @property
    def date_from(self) -> datetime.date:
        return _month_start(self.period_from)

    @property
    def date_to(self) -> datetime.date:
        """The last day of `period_to`."""
        start = _month_start(self.period_to)
        following = (start.replace(day=28) + datetime.timedelta(days=4)).replace(day=1)
        return following - datetime.timedelta(days=1)

    @property
    def as_of(self) -> datetime.date:
        """The day balances are taken: the end of the range, or today if the range is not over."""
        return min(self.date_to, clock.today())

    def months(self) -> list[str]:
        result, day = [], self.date_from
        while day <= self.date_to:
            result.append(f"{day:%Y-%m}")
            day = (day.replace(day=28) + datetime.timedelta(days=4)).replace(day=1)
        return result


def offices_for_filter(user, limit: int = 300) -> list[tuple[str, str]]:
    """(code, name) of the offices a user may choose a report for: their subtree, top first."""
    qs = Office.objects.filter(_user_subtree(user))
    return [(code, name) for code, name in qs.order_by("path").values_list("code", "name")[:limit]]


def _user_subtree(user) -> Q:
    if user.sees_everything:
        return Q()
    if user.office_id is None:
        return Q(pk__in=[])
    return Q(path__startswith=user.office.path)


def _month_start(period: str) -> datetime.date:
    year, month = period.split("-")
    return datetime.date(int(year), int(month), 1)


def _in_office(f: Filters, field: str) -> Q:
    return Q(**{f"{field}__path__startswith": f.prefix}) if f.prefix else Q()


def _hindi() -> bool:
    return (get_language() or "").startswith("hi")


def _office_label(code: str | None, name: str | None, name_hi: str | None) -> str:
    if code is None:
        return "—"
    return f"{code} {(name_hi if _hindi() and name_hi else name) or ''}".strip()


def _pct(part, whole) -> Decimal | None:
    if not whole:
        return None
    return (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.1"))


# --- bills -----------------------------------------------------------------------------------------


def issued_bills(f: Filters):
    """Issued bills of the periods in range, in the office subtree (by the consumer's office)."""
    qs = Bill.objects.filter(
        _in_office(f, "consumer__office"),
        status=BillStatus.ISSUED,
        period__gte=f.period_from,
        period__lte=f.period_to,
    )
    if f.category:
        qs = qs.filter(category=f.category)
    return qs


_OFFICE_VALUES = ("consumer__office__code", "consumer__office__name", "consumer__office__name_hi")


def billing_summary(f: Filters) -> list[dict]:
    """Bills, units and amount (current charges) by office and category billed."""
    rows = (
        issued_bills(f)
        .values(*_OFFICE_VALUES, "category")
        .annotate(
            bills=Count("id"),
            units=MoneySum("units"),
            amount=MoneySum("current_charges"),
            subsidy=MoneySum("subsidy"),
        )
        .order_by()
    )
    return [
        {
            "office": _office_label(*(r[k] for k in _OFFICE_VALUES)),
            "category": r["category"],
            "bills": r["bills"],
            "units": (r["units"] or ZERO),
            "amount": r["amount"] or ZERO,
            "subsidy": -(r["subsidy"] or ZERO),
        }
        for r in rows
    ]


def revenue_per_unit(f: Filters) -> list[dict]:
    """Amount billed per unit billed, by category (metered and unmetered alike)."""
    rows = (
        issued_bills(f)
        .values("category")
        .annotate(
            bills=Count("id"),
            units=MoneySum("units"),
            amount=MoneySum("current_charges"),
        )
        .order_by()
    )
    result = []
    for r in rows:
        units = r["units"] or ZERO
        amount = r["amount"] or ZERO
        result.append(
            {
                "category": r["category"],
                "bills": r["bills"],
                "units": units,
                "amount": amount,
                "per_unit": (amount / units).quantize(Decimal("0.01")) if units else None,
            }
        )
    return result


UNMETERED = "UM"


def meter_status(f: Filters) -> list[dict]:
    """Issued bills by the reading status they were billed on; unmetered (flat) bills apart."""
    rows = (
        issued_bills(f)
        .values("basis", "reading_status")
        .annotate(bills=Count("id"), units=MoneySum("units"))
        .order_by()
    )
    merged: dict[str, dict] = {}
    for r in rows:
        key = UNMETERED if r["basis"] == BillBasis.UM else (r["reading_status"] or "—")
        row = merged.setdefault(key, {"status": key, "bills": 0, "units": ZERO})
        row["bills"] += r["bills"]
        row["units"] += r["units"] or ZERO
    total = sum(r["bills"] for r in merged.values())
    labels = dict(ReadingStatus.choices)
    for row in merged.values():
        row["label"] = (
            _("Unmetered (flat)") if row["status"] == UNMETERED else str(labels.get(row["status"], "—"))
        )
        row["share"] = _pct(row["bills"], total)
    return list(merged.values())


def spot_coverage(f: Filters) -> list[dict]:
    """Per office: issued bills, metered bills, and those billed on a spot (field) reading."""
    source = Reading.objects.filter(pk=OuterRef("closing_reading_id")).values("source")[:1]
    rows = (
        issued_bills(f)
        .annotate(reading_source=Subquery(source))
        .values(*_OFFICE_VALUES)
        .annotate(
            bills=Count("id"),
            metered=Count("id", filter=~Q(basis=BillBasis.UM)),
            spot=Count("id", filter=Q(reading_source=ReadingSource.SPOT)),
        )
        .order_by()
    )
    return [
        {
            "office": _office_label(*(r[k] for k in _OFFICE_VALUES)),
            "bills": r["bills"],
            "metered": r["metered"],
            "spot": r["spot"],
            "share": _pct(r["spot"], r["metered"]),
        }
        for r in rows
    ]


# --- money in --------------------------------------------------------------------------------------


def payment_entries(f: Filters):
    """Ledger rows of payments and of their reversals (cancellations, bounces) dated in the range."""
    qs = LedgerEntry.objects.filter(
        _in_office(f, "consumer__office"),
        source_type="payment",
        entry_type__in=(EntryType.PAYMENT, EntryType.REVERSAL),
        entry_date__gte=f.date_from,
        entry_date__lte=f.date_to,
    )
    if f.category:
        qs = qs.filter(consumer__category=f.category)
    return qs


COLLECTION_GROUPS = ("channel", "office", "day")


def collection_summary(f: Filters, by: str = "channel") -> list[dict]:
    """Money collected: payments less reversals, from the ledger, by channel, office or day."""
    qs = payment_entries(f)
    if by == "channel":
        channel = Payment.objects.filter(pk=OuterRef("source_id")).values("channel")[:1]
        keys: tuple[str, ...] = ("channel",)
        qs = qs.annotate(channel=Subquery(channel))
    elif by == "office":
        keys = _OFFICE_VALUES
    else:
        keys = ("entry_date",)
    rows = (
        qs.values(*keys)
        .annotate(
            receipts=Count("id", filter=Q(entry_type=EntryType.PAYMENT)),
            reversed=Count("id", filter=Q(entry_type=EntryType.REVERSAL)),
            received=MoneySum(Case(When(Q(entry_type=EntryType.PAYMENT), then=F("amount")))),
            reversals=MoneySum(Case(When(Q(entry_type=EntryType.REVERSAL), then=F("amount")))),
        )
        .order_by()
    )
    channels = dict(Payment._meta.get_field("channel").choices)
    result = []
    for r in rows:
        if by == "channel":
            key = str(channels.get(r["channel"], r["channel"] or "—"))
        elif by == "office":
            key = _office_label(*(r[k] for k in _OFFICE_VALUES))
        else:
            key = r["entry_date"]
        received = -(r["received"] or ZERO)
        reversals = r["reversals"] or ZERO
        result.append(
            {
                "key": key,
                "receipts": r["receipts"],
                "reversed": r["reversed"],
                "received": received,
                "reversals": reversals,
                "net": received - reversals,
            }
        )
    return result


def demand_collection_trend(f: Filters) -> list[dict]:
    """Month by month: demand (current charges of issued bills of the month's period) and collection
    (payments less reversals dated in the month)."""
    demand = {
        r["period"]: r
        for r in issued_bills(f)
        .values("period")
        .annotate(amount=MoneySum("current_charges"), bills=Count("id"))
        .order_by()
    }
    collected = {
        f"{r['month']:%Y-%m}": -(r["amount"] or ZERO)
        for r in payment_entries(f)
        .annotate(month=TruncMonth("entry_date"))
        .values("month")
        .annotate(amount=MoneySum("amount"))
        .order_by()
    }
    rows = []
    for month in f.months():
        amount = (demand.get(month) or {}).get("amount") or ZERO
        got = collected.get(month, ZERO)
        rows.append(
            {
                "month": month,
                "bills": (demand.get(month) or {}).get("bills", 0),
                "demand": amount,
                "collection": got,
                "efficiency": _pct(got, amount),
            }
        )
    return rows


# --- arrears ---------------------------------------------------------------------------------------


def _consumers(f: Filters):
    qs = Consumer.objects.filter(_in_office(f, "office"))
    if f.category:
        qs = qs.filter(category=f.category)
    return qs


def _ledger_consumer_ids_q(f: Filters):
    """Accounts with any ledger row up to the as-of day (a sub-select)."""
    qs = LedgerEntry.objects.filter(_in_office(f, "consumer__office"), entry_date__lte=f.as_of)
    if f.category:
        qs = qs.filter(consumer__category=f.category)
    return qs.values_list("consumer_id", flat=True).distinct().order_by()


def _ledger_consumer_ids(f: Filters) -> list[int]:
    return sorted(_ledger_consumer_ids_q(f))


#: Accounts aged per read of the ledger: keeps the IN list within SQLite's parameter limit and the
#: memory of one read bounded; one office's accounts are a few reads, not one per account.
AGEING_CHUNK = 2000


def _ageing(f: Filters) -> dict:
    ids = _ledger_consumer_ids(f)
    result: dict = {}
    for start in range(0, len(ids), AGEING_CHUNK):
        result.update(ageing_bulk(ids[start : start + AGEING_CHUNK], f.as_of))
    return result


def arrears_ageing(f: Filters) -> list[dict]:
    """What accounts owe at the as-of day, aged by due date (credits settle the oldest debits first),
    by office and category; credit balances (advances) apart, so the total is the ledger balance."""
    ageing = _ageing(f)
    where = {
        pk: rest
        for pk, *rest in Consumer.objects.filter(_in_office(f, "office"), pk__in=_ledger_consumer_ids_q(f))
        .values_list("pk", "office__code", "office__name", "office__name_hi", "category")
        .order_by()
    }
    groups: dict[tuple, dict] = {}
    for cid, age in ageing.items():
        code, name, name_hi, category = where[cid]
        row = groups.setdefault(
            (code, category),
            {
                "office": _office_label(code, name, name_hi),
                "category": category,
                "accounts": 0,
                **{b: ZERO for b in BUCKET_NAMES},
                "outstanding": ZERO,
                "advance": ZERO,
                "balance": ZERO,
            },
        )
        if age.outstanding > 0:
            row["accounts"] += 1
        for b in BUCKET_NAMES:
            row[b] += age.buckets[b]
        row["outstanding"] += age.outstanding
        row["advance"] += age.advance
        row["balance"] += age.outstanding - age.advance
    return list(groups.values())


def defaulters(f: Filters, *, threshold: Decimal, overdue_days: int) -> list[dict]:
    """Accounts owing more than `threshold` in dues overdue more than `overdue_days` days (a bucket
    edge: 0, 30, 90, 180, 365) at the as-of day."""
    ageing = _ageing(f)
    beyond = [name for name, low, _high in BUCKETS if low > overdue_days or (overdue_days == 0 and low == 0)]
    owing = {}
    for cid, age in ageing.items():
        overdue = sum((age.buckets[b] for b in beyond), ZERO)
        if overdue > threshold and overdue > 0:
            oldest = next(b for b in reversed(BUCKET_NAMES) if age.buckets[b] > 0)
            owing[cid] = (age, overdue, oldest)
    consumers = (
        Consumer.objects.filter(_in_office(f, "office"), pk__in=_ledger_consumer_ids_q(f))
        .values_list("pk", "account_number", "name", "office__code", "category")
        .order_by()
    )
    return [
        {
            "account": account,
            "name": name,
            "office": office,
            "category": category,
            "outstanding": owing[pk][0].outstanding,
            "overdue": owing[pk][1],
            "oldest": owing[pk][2],
        }
        for pk, account, name, office, category in consumers
        if pk in owing
    ]


# --- service levels --------------------------------------------------------------------------------


def _sla_counts(*, closed: str, due: str, now: datetime.datetime) -> dict:
    return {
        "opened": Count("id"),
        "closed": Count("id", filter=Q(**{f"{closed}__isnull": False})),
        "closed_in_time": Count(
            "id",
            filter=Q(**{f"{closed}__isnull": False})
            & (Q(**{f"{due}__isnull": True}) | Q(**{f"{closed}__lte": F(due)})),
        ),
        "open": Count("id", filter=Q(**{f"{closed}__isnull": True})),
        "open_late": Count("id", filter=Q(**{f"{closed}__isnull": True, f"{due}__lt": now})),
    }


def _sla_row(r: dict) -> dict:
    late = (r["closed"] - r["closed_in_time"]) + r["open_late"]
    return {
        "opened": r["opened"],
        "closed": r["closed"],
        "closed_in_time": r["closed_in_time"],
        "closed_late": r["closed"] - r["closed_in_time"],
        "open": r["open"],
        "open_late": r["open_late"],
        "breached": late,
        "in_time_share": _pct(r["closed_in_time"], r["closed"]),
    }


def applications_sla(f: Filters) -> list[dict]:
    """Applications and service requests (workflow items) opened in the range, by process and office:
    closed within the whole process's SLA (`total_due_at`), closed late, open, open past it."""
    from urja.workflow.registry import definition

    qs = WorkItem.objects.filter(
        _in_office(f, "office"),
        opened_at__gte=clock.day_start(f.date_from),
        opened_at__lt=clock.day_start(f.date_to + datetime.timedelta(days=1)),
    )
    if f.category:
        qs = qs.filter(consumer__category=f.category)
    rows = (
        qs.values("definition_code", "office__code", "office__name", "office__name_hi")
        .annotate(**_sla_counts(closed="closed_at", due="total_due_at", now=clock.now()))
        .order_by()
    )
    titles: dict[str, str] = {}
    result = []
    for r in rows:
        code = r["definition_code"]
        if code not in titles:
            try:
                d = definition(code)
                titles[code] = (d.title_hi if _hindi() and d.title_hi else d.title) or code
            except Exception:  # noqa: BLE001 - an unregistered (retired) process keeps its code
                titles[code] = code
        result.append(
            {
                "process": titles[code],
                "office": _office_label(r["office__code"], r["office__name"], r["office__name_hi"]),
                **_sla_row(r),
            }
        )
    return result


def complaints_sla(f: Filters) -> list[dict]:
    """Complaints filed in the range, by office and complaint category: resolved within the
    category's hours (`due_at`), resolved late, open, open past due."""
    qs = Ticket.objects.filter(
        _in_office(f, "office"),
        filed_at__gte=clock.day_start(f.date_from),
        filed_at__lt=clock.day_start(f.date_to + datetime.timedelta(days=1)),
    )
    if f.category:
        qs = qs.filter(consumer__category=f.category)
    rows = (
        qs.values("office__code", "office__name", "office__name_hi", "category__name_en", "category__name_hi")
        .annotate(**_sla_counts(closed="resolved_at", due="due_at", now=clock.now()))
        .order_by()
    )
    return [
        {
            "office": _office_label(r["office__code"], r["office__name"], r["office__name_hi"]),
            "complaint": r["category__name_hi"]
            if _hindi() and r["category__name_hi"]
            else r["category__name_en"],
            **_sla_row(r),
        }
        for r in rows
    ]
