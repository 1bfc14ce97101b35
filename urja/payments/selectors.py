"""Reads of collections: the one daily collection summary (per counter, office and channel) and its
proof against the ledger. Everything is limited to the principal's offices."""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q, QuerySet
from django.utils.translation import gettext as _

from urja.common.db import MoneySum
from urja.ledger.choices import EntryType
from urja.ledger.models import LedgerEntry
from urja.org.choices import LEVEL_ORDER
from urja.org.models import Office
from urja.org.permissions import user_covers
from urja.org.selectors import office_q

from .choices import Channel, PaymentStatus
from .models import Counter, GatewayOrder, Payment

ZERO = Decimal("0.00")


def payments_for(principal) -> QuerySet[Payment]:
    return Payment.objects.filter(office_q(principal, field="consumer__office"))


def gateway_order(order_id: str, gateway: str | None = None) -> GatewayOrder | None:
    """An online payment order by its id (of one gateway, when given), with its consumer and payment."""
    qs = GatewayOrder.objects.select_related("consumer", "payment").filter(order_id=order_id[:40])
    if gateway is not None:
        qs = qs.filter(gateway=gateway)
    return qs.first()


@dataclass
class SummaryRow:
    """Payments of one group (a counter, an office, a channel, an office's channel, or all)."""

    key: str
    label: str
    office: Office | None = None
    channel: str = ""
    count: int = 0  # every payment received that day (gross), including those reversed since
    amount: Decimal = ZERO
    reversed_count: int = 0  # of which cancelled or bounced since
    reversed_amount: Decimal = ZERO

    @property
    def net(self) -> Decimal:
        return self.amount - self.reversed_amount

    net_amount = net

    @property
    def net_count(self) -> int:
        return self.count - self.reversed_count

    @property
    def channel_label(self) -> str:
        return str(dict(Channel.choices).get(self.channel, self.channel))

    def add(self, count: int, amount: Decimal, reversed_: bool) -> None:
        self.count += count
        self.amount += amount
        if reversed_:
            self.reversed_count += count
            self.reversed_amount += amount


@dataclass
class OfficeGroup:
    """One office of the summary with its payments per channel, for an office's subtotal row."""

    office: Office | None
    rows: list[SummaryRow]

    def _sum(self, name: str):
        return sum((getattr(r, name) for r in self.rows), 0 if name.endswith("count") else ZERO)

    @property
    def count(self) -> int:
        return self._sum("count")

    @property
    def amount(self) -> Decimal:
        return self._sum("amount")

    @property
    def reversed_amount(self) -> Decimal:
        return self._sum("reversed_amount")

    @property
    def net_amount(self) -> Decimal:
        return self.amount - self.reversed_amount


@dataclass
class CollectionSummary:
    """Money received on one day (by the IST date it was paid), gross: a payment bounced or cancelled
    later still counts on the day it was received, with the reversal shown beside it — so the summary
    of a day never changes after the fact and equals that day's ledger PAYMENT entries.

    Offices are the consumers' distribution centres, or their offices at `level` of the hierarchy
    (sub-division, division …) when one is given."""

    day: datetime.date
    office: Office | None
    level: str = ""
    by_counter: list[SummaryRow] = field(default_factory=list)
    by_office: list[SummaryRow] = field(default_factory=list)
    by_channel: list[SummaryRow] = field(default_factory=list)
    rows: list[SummaryRow] = field(default_factory=list)  # office × channel
    total: SummaryRow = field(default_factory=lambda: SummaryRow("total", ""))

    @property
    def count(self) -> int:
        return self.total.count

    @property
    def amount(self) -> Decimal:
        return self.total.amount

    @property
    def reversed_count(self) -> int:
        return self.total.reversed_count

    @property
    def reversed_amount(self) -> Decimal:
        return self.total.reversed_amount

    @property
    def net_amount(self) -> Decimal:
        return self.total.net

    def groups(self) -> list[OfficeGroup]:
        """The office × channel rows grouped by office, in office order."""
        grouped: dict[str, OfficeGroup] = {}
        for row in self.rows:
            key = row.office.path if row.office else ""
            grouped.setdefault(key, OfficeGroup(row.office, [])).rows.append(row)
        return list(grouped.values())


def _day_payments(*, principal, day: datetime.date, office: Office | None) -> QuerySet[Payment]:
    qs = payments_for(principal).filter(paid_at__date=day)
    if office is not None:
        qs = qs.filter(consumer__office__path__startswith=office.path)
    return qs


def _rolled_up(path: str, depth: int | None) -> str:
    parts = [p for p in path.split("/") if p]
    return path if depth is None or len(parts) <= depth else "/".join(parts[:depth]) + "/"


def collection_summary(
    *, principal, day: datetime.date, office: Office | None = None, level: str | None = None
) -> CollectionSummary:
    """Collections of `day` for the principal's offices (or one office subtree of them), per counter,
    per office and per channel, and per office and channel; `level` rolls the consumers' offices up to
    that level of the hierarchy. Grouped in the database: three queries whatever the day's volume."""
    if office is not None and not user_covers(principal, office):
        raise PermissionDenied(_("This office is not in your office."))
    depth = LEVEL_ORDER.index(level) + 1 if level else None
    groups = (
        _day_payments(principal=principal, day=day, office=office)
        .values("cash_book__counter_id", "consumer__office__path", "channel", "status")
        .annotate(n=Count("pk"), total=MoneySum("amount"))
        .order_by()
    )
    groups = [
        {
            **g,
            "path": _rolled_up(g["consumer__office__path"], depth),
            "reversed": g["status"] != PaymentStatus.POSTED,
        }
        for g in groups
    ]
    counters = {
        c.pk: c for c in Counter.objects.filter(pk__in={g["cash_book__counter_id"] for g in groups} - {None})
    }
    offices = {o.path: o for o in Office.objects.filter(path__in={g["path"] for g in groups})}
    channel_labels = dict(Channel.choices)
    summary = CollectionSummary(day=day, office=office, level=level or "")
    total = SummaryRow("total", _("Total"))
    by_counter: dict[str, SummaryRow] = {}
    by_office: dict[str, SummaryRow] = {}
    by_channel: dict[str, SummaryRow] = {}
    rows: dict[tuple[str, str], SummaryRow] = defaultdict(lambda: SummaryRow("", ""))
    for g in groups:
        counter = counters.get(g["cash_book__counter_id"])
        office_row = offices.get(g["path"])
        if counter is not None:
            key, label = counter.code, str(counter)
        else:
            key, label = "", _("No counter (online, partners, bank)")
        by_counter.setdefault(key, SummaryRow(key, label)).add(g["n"], g["total"], g["reversed"])
        by_office.setdefault(g["path"], SummaryRow(g["path"], str(office_row or ""), office=office_row)).add(
            g["n"], g["total"], g["reversed"]
        )
        channel = g["channel"]
        by_channel.setdefault(
            channel, SummaryRow(channel, str(channel_labels.get(channel, channel)), channel=channel)
        ).add(g["n"], g["total"], g["reversed"])
        cell = rows[(g["path"], channel)]
        cell.key, cell.label, cell.office, cell.channel = (
            f"{g['path']}:{channel}",
            str(office_row or ""),
            office_row,
            channel,
        )
        cell.add(g["n"], g["total"], g["reversed"])
        total.add(g["n"], g["total"], g["reversed"])
    summary.by_counter = sorted(by_counter.values(), key=lambda r: (r.key == "", r.key))
    summary.by_office = sorted(by_office.values(), key=lambda r: r.key)
    summary.by_channel = sorted(by_channel.values(), key=lambda r: r.key)
    summary.rows = [rows[key] for key in sorted(rows)]
    summary.total = total
    return summary


@dataclass(frozen=True)
class LedgerCheck:
    payments_total: Decimal
    ledger_total: Decimal
    day_payments_total: Decimal
    day_ledger_total: Decimal

    @property
    def equal(self) -> bool:
        return self.payments_total == self.ledger_total and self.day_payments_total == self.day_ledger_total


def ledger_payments_total(*, principal, day: datetime.date, office: Office | None = None) -> Decimal:
    """The negated sum of the ledger's PAYMENT entries dated `day` in the principal's offices (within
    `office`'s subtree)."""
    scope = office_q(principal, field="consumer__office")
    if office is not None:
        scope &= Q(consumer__office__path__startswith=office.path)
    entries = LedgerEntry.objects.filter(scope, entry_type=EntryType.PAYMENT, entry_date=day)
    return -(entries.aggregate(t=MoneySum("amount"))["t"] or ZERO)


def collection_ledger_check(summary: CollectionSummary, *, principal) -> LedgerCheck:
    """Prove the summary from the ledger: (1) its payments' PAYMENT entries, negated, add up to its
    total; (2) every PAYMENT entry dated that day for the same accounts, negated, adds up to every
    payment received that day (nothing in the ledger without a payment row, or the reverse)."""
    payment_ids = _day_payments(principal=principal, day=summary.day, office=summary.office).values("id")
    ledger_total = -(
        LedgerEntry.objects.filter(
            entry_type=EntryType.PAYMENT, source_type="payment", source_id__in=payment_ids
        ).aggregate(t=MoneySum("amount"))["t"]
        or ZERO
    )
    day_payments = (
        _day_payments(principal=principal, day=summary.day, office=summary.office).aggregate(
            t=MoneySum("amount")
        )["t"]
        or ZERO
    )
    return LedgerCheck(
        payments_total=summary.total.amount.quantize(ZERO),
        ledger_total=ledger_total.quantize(ZERO),
        day_payments_total=day_payments.quantize(ZERO),
        day_ledger_total=ledger_payments_total(
            principal=principal, day=summary.day, office=summary.office
        ).quantize(ZERO),
    )
