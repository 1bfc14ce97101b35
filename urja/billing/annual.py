"""Credits posted once a year per account (docs/decisions/0013-solar-deposits-late-bills-duty.md):

* **interest on the security deposit** for a financial year, at the year's rate (`DepositInterestRate`),
  pro rata for the days each amount was held (the deposit's history is the consumer's history);
* **the solar settlement**: a net-metering account's units still banked at the end of the settlement
  year, paid at the configured settlement rate.

Each is a ledger credit naming who posted it, when and why, recorded as an `AnnualCredit`: one per
account, kind and year (the database refuses a second), so running a posting twice posts once. Each
account is posted in its own transaction, its consumer row locked first (the lock order of
``urja.ledger.services``); a run cut short is finished by running it again."""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from urja.common import clock
from urja.customers.models import Consumer, ConsumerChange
from urja.domain import deposits, solar
from urja.domain.money import format_money, format_number, round_paisa
from urja.ledger.choices import EntryType
from urja.ledger.services import entry_post

from .choices import BillStatus
from .models import AnnualCredit, Bill, DepositInterestRate

BATCH = 2000


@dataclass
class PostingSummary:
    financial_year: str
    posted: int = 0
    already_posted: int = 0
    nothing_due: int = 0
    total: Decimal = Decimal("0.00")  # negative: credits
    skipped: dict[str, str] = field(default_factory=dict)  # account number -> why not posted


def _year(code: str) -> deposits.FinancialYear:
    try:
        year = deposits.financial_year(code)
    except ValueError as exc:
        raise ValidationError({"financial_year": str(exc)}) from exc
    return year


def _scope(office, prefix: str = "") -> Q:
    return Q(**{f"{prefix}office__path__startswith": office.path}) if office is not None else Q()


def _batches(ids: list[int]) -> Iterator[list[int]]:
    for start in range(0, len(ids), BATCH):
        yield ids[start : start + BATCH]


def deposit_history(consumer: Consumer, changes: Iterable[ConsumerChange]) -> list[deposits.DepositHeld]:
    """The deposit held from each day on: the value at connection (the first change's old value, or
    today's value when it never changed), then each change's new value from the day it was made."""
    ordered = sorted(changes, key=lambda change: (change.changed_at, change.id))

    def amount(text: str) -> Decimal:
        return Decimal(text) if text else Decimal("0.00")

    first = amount(ordered[0].old_value) if ordered else consumer.security_deposit
    held = [deposits.DepositHeld(consumer.connection_date, first)]
    held += [deposits.DepositHeld(clock.local_date(c.changed_at), amount(c.new_value)) for c in ordered]
    return held


def _post(
    *,
    consumer: Consumer,
    kind: str,
    year: str,
    amount: Decimal,
    quantity: Decimal,
    rate: Decimal,
    entry_type: str,
    description: str,
    by,
    reason: str,
    bill: Bill | None = None,
) -> bool:
    """Post one credit unless the account already has it for the year. True when posted."""
    with transaction.atomic():
        Consumer.objects.select_for_update().filter(pk=consumer.pk).first()
        if AnnualCredit.objects.filter(consumer=consumer, kind=kind, financial_year=year).exists():
            return False
        entry = entry_post(
            consumer=consumer,
            entry_type=entry_type,
            amount=amount,
            entry_date=clock.today(),
            description=description,
            by=by,
            reason=reason,
            source_type="annual_credit",
            lock=False,
        )
        AnnualCredit.objects.create(
            consumer=consumer,
            kind=kind,
            financial_year=year,
            quantity=quantity,
            rate=rate,
            amount=amount,
            bill=bill,
            ledger_entry=entry,
            posted_by=by,
            reason=reason,
        )
    return True


def deposit_interest_post(*, financial_year: str, office=None, by=None, reason: str = "") -> PostingSummary:
    """Credit each account (of `office`'s subtree, or all) with the year's interest on its security
    deposit. The year must have ended and its rate be entered."""
    year = _year(financial_year)
    if year.end >= clock.today():
        raise ValidationError(
            {"financial_year": _("FY %(year)s has not ended yet.") % {"year": financial_year}}
        )
    rate = DepositInterestRate.objects.filter(financial_year=financial_year).first()
    if rate is None:
        raise ValidationError(
            {
                "financial_year": _("No deposit interest rate is entered for FY %(year)s.")
                % {"year": financial_year}
            }
        )
    reason = reason.strip() or _("Annual interest on the security deposit (Supply Code)")
    summary = PostingSummary(financial_year=financial_year)
    changed = ConsumerChange.objects.filter(field="security_deposit")
    ids = list(
        Consumer.objects.filter(_scope(office))
        .filter(Q(security_deposit__gt=0) | Q(pk__in=changed.values("consumer_id")))
        .filter(connection_date__lte=year.end)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    for batch in _batches(ids):
        history: dict[int, list[ConsumerChange]] = defaultdict(list)
        for change in changed.filter(consumer_id__in=batch):
            history[change.consumer_id].append(change)
        for consumer in Consumer.objects.filter(pk__in=batch).order_by("pk"):
            held = deposit_history(consumer, history[consumer.pk])
            interest = deposits.deposit_interest(held, year, rate.rate_percent)
            if interest <= 0:
                summary.nothing_due += 1
                continue
            deposit_days = sum(
                (amount * days for amount, days in deposits.deposit_days(held, year)), Decimal(0)
            )
            average = round_paisa(deposit_days / year.days)
            posted = _post(
                consumer=consumer,
                kind=AnnualCredit.Kind.DEPOSIT_INTEREST,
                year=financial_year,
                amount=-interest,
                quantity=average,
                rate=rate.rate_percent,
                entry_type=EntryType.DEPOSIT_INTEREST,
                description=f"Interest on security deposit FY {financial_year} @ "
                f"{format_number(rate.rate_percent)}% (average deposit Rs {format_money(average)})",
                by=by,
                reason=reason,
            )
            if posted:
                summary.posted += 1
                summary.total -= interest
            else:
                summary.already_posted += 1
    return summary


def settlement_year_end(financial_year: str) -> datetime.date:
    """The end of net metering's settlement year within the financial year (31 March by default)."""
    year = _year(financial_year)
    month = settings.URJA_BILLING["SOLAR_SETTLEMENT_MONTH"]
    return solar.settlement_year_end(year.start, month)


def solar_settlement_post(*, financial_year: str, office=None, by=None, reason: str = "") -> PostingSummary:
    """Pay each net-metering account (of `office`'s subtree, or all) for the units its last bill of the
    settlement year left banked, at the configured settlement rate."""
    year_end = settlement_year_end(financial_year)
    if year_end >= clock.today():
        raise ValidationError(
            {
                "financial_year": _("The settlement year ending %(date)s has not ended yet.")
                % {"date": year_end}
            }
        )
    rate = Decimal(settings.URJA_BILLING["SOLAR_SETTLEMENT_RATE"])
    month = settings.URJA_BILLING["SOLAR_SETTLEMENT_MONTH"]
    reason = reason.strip() or _("Solar units banked at the end of the settlement year (net metering)")
    summary = PostingSummary(financial_year=financial_year)
    last: dict[int, Bill] = {}
    bills = (
        Bill.objects.filter(
            _scope(office, "consumer__"), period_end__lte=year_end, banked_units__isnull=False
        )
        .exclude(status=BillStatus.CANCELLED)
        .select_related("consumer")
        .order_by("consumer_id", "period")
    )
    for bill in bills.iterator():
        if solar.settlement_year_end(bill.period_end, month) == year_end:
            last[bill.consumer_id] = bill
    for bill in last.values():
        banked = bill.banked_units or Decimal(0)
        if banked <= 0 or not rate:
            summary.nothing_due += 1
            continue
        if bill.status != BillStatus.ISSUED:
            summary.skipped[bill.consumer.account_number] = _("the last bill of the year is held for review")
            continue
        credit = solar.settlement_credit(banked, rate)
        posted = _post(
            consumer=bill.consumer,
            kind=AnnualCredit.Kind.SOLAR_SETTLEMENT,
            year=financial_year,
            amount=credit,
            quantity=banked,
            rate=rate,
            entry_type=EntryType.SOLAR_SETTLEMENT,
            description=f"Solar settlement FY {financial_year}: {format_number(banked)} kWh banked "
            f"(bill {bill.bill_number}) @ Rs {format_money(rate)}",
            by=by,
            reason=reason,
            bill=bill,
        )
        if posted:
            summary.posted += 1
            summary.total += credit
        else:
            summary.already_posted += 1
    return summary
