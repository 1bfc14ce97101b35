"""Charging late payment surcharge (LPSC) on overdue dues, once per account per month.

``lpsc_apply(on=…)`` walks the accounts in batches (keyset on the consumer id). For a batch it reads
every ledger row of those accounts up to ``on`` in one query, derives the open dues in Python with
the allocation rule, and computes the surcharge with :mod:`urja.domain.lpsc`. Accounts that owe a
surcharge are then locked (lock order: account first), their rows read again under the lock, and the
LPSC ledger entries and :class:`~urja.payments.models.LpscCharge` rows are written together in one
transaction per batch. ``LpscCharge`` is unique on (account, month), month = YYYY-MM of ``on``: a
second run in the same month finds the charge and charges nothing more; a concurrent run loses on the
constraint, and its batch is retried once (and then finds the charges).

Choices:

* One ledger entry per account per month, dated ``on``, with ``period`` = the month of ``on`` and
  ``due_date`` = ``on``; its description lists the base (rate, amount and period of each item).
  Because the period is the month of the run, a later payment settles the older principal before
  this surcharge (oldest period first), which is also what stops the surcharge from growing.
* No surcharge on surcharge: LPSC dues are never part of the base.
* Accounts registered in a one-time settlement scheme that has not yet ended (and not settled) are
  skipped: the scheme waives the surcharge anyway.
* ``on`` may not be in the future: the entries are dated ``on``.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from urja.common import clock
from urja.common.inputs import date_range_message
from urja.customers.models import Consumer
from urja.domain.inputs import date_in_range
from urja.domain.lpsc import LpscRates, SurchargeItem, describe, surcharge_items, surcharge_total
from urja.domain.money import format_money, format_number
from urja.ledger import descriptions
from urja.ledger.choices import EntryType
from urja.ledger.models import LedgerEntry
from urja.ledger.selectors import open_dues_bulk
from urja.ledger.services import entries_post_bulk

from .models import LpscCharge, OtsRegistration

ZERO = Decimal("0.00")
BATCH_SIZE = 2000


def configured_rates() -> LpscRates:
    conf = settings.URJA_PAYMENTS
    return LpscRates(
        first_percent=Decimal(str(conf["LPSC_PERCENT_FIRST_MONTHS"])),
        later_percent=Decimal(str(conf["LPSC_PERCENT_LATER"])),
        first_months=int(conf["LPSC_FIRST_MONTHS"]),
    )


def _ots_protected(consumer_ids: list[int], on: datetime.date) -> set[int]:
    """Accounts in an OTS scheme still running on `on` and not yet settled."""
    from .ots import scheme_ends

    protected = set()
    registrations = OtsRegistration.objects.filter(
        consumer_id__in=consumer_ids, settled=False, registered_on__lte=on
    ).select_related("scheme")
    for registration in registrations:
        if on <= scheme_ends(registration.scheme):
            protected.add(registration.consumer_id)
    return protected


def _charges_for(
    consumer_ids: list[int], on: datetime.date, rates: LpscRates
) -> dict[int, list[SurchargeItem]]:
    month = f"{on:%Y-%m}"
    already = set(
        LpscCharge.objects.filter(consumer_id__in=consumer_ids, month=month).values_list(
            "consumer_id", flat=True
        )
    )
    candidates = [cid for cid in consumer_ids if cid not in already]
    if not candidates:
        return {}
    protected = _ots_protected(candidates, on)
    result = {}
    for cid, dues in open_dues_bulk([c for c in candidates if c not in protected], on).items():
        items = surcharge_items(dues, on, rates)
        if items:
            result[cid] = items
    return result


@dataclass
class LpscRunResult:
    on: datetime.date
    month: str
    accounts_seen: int = 0
    charged: int = 0
    already_charged: int = 0
    total: Decimal = ZERO
    charges: dict[int, Decimal] = field(default_factory=dict)


def lpsc_preview(*, consumer_id: int, on: datetime.date) -> list[SurchargeItem]:
    """What `lpsc_apply` would charge the account on `on` (empty when charged this month already)."""
    return _charges_for([consumer_id], on, configured_rates()).get(consumer_id, [])


def _apply_batch(batch: list[int], on: datetime.date, rates: LpscRates, by, result: LpscRunResult) -> None:
    month = f"{on:%Y-%m}"
    pending = _charges_for(batch, on, rates)
    if not pending:
        return
    with transaction.atomic():
        # Lock the accounts that owe a surcharge, then decide again from what is now committed.
        locked = list(
            Consumer.objects.select_for_update()
            .filter(pk__in=list(pending))
            .order_by("pk")
            .values_list("pk", flat=True)
        )
        charges = _charges_for(locked, on, rates)
        ids = sorted(charges)
        entries = [
            LedgerEntry(
                consumer_id=cid,
                entry_type=EntryType.LPSC,
                amount=surcharge_total(charges[cid]),
                entry_date=on,
                due_date=on,
                period=month,
                description=describe(month, charges[cid]),
                code=descriptions.LPSC,
                params={
                    "month": month,
                    "items": [
                        [format_number(item.percent), format_money(item.base), item.period]
                        for item in charges[cid]
                    ],
                },
                source_type="lpsc",
                posted_by=by,
            )
            for cid in ids
        ]
        for entry in entries:
            entry.full_clean(
                exclude=["consumer", "posted_by"], validate_unique=False, validate_constraints=False
            )
        entries = entries_post_bulk(entries)
        LpscCharge.objects.bulk_create(
            [
                LpscCharge(
                    consumer_id=entry.consumer_id, month=month, amount=entry.amount, ledger_entry_id=entry.pk
                )
                for entry in entries
            ]
        )
    for entry in entries:
        result.charges[entry.consumer_id] = entry.amount
        result.charged += 1
        result.total += entry.amount


def lpsc_apply(
    *,
    on: datetime.date,
    by=None,
    office=None,
    consumer_ids: Iterable[int] | None = None,
    batch_size: int = BATCH_SIZE,
) -> LpscRunResult:
    """Charge one month's LPSC (month = YYYY-MM of `on`) to every account with overdue principal.

    Limited to `office`'s subtree or to `consumer_ids` when given. Each batch is one transaction; a
    second run in the same month charges nothing more."""
    if on > clock.today():
        raise ValidationError({"on": _("LPSC cannot be charged on a future date.")})
    if not date_in_range(on):
        raise ValidationError({"on": date_range_message()})
    rates = configured_rates()
    result = LpscRunResult(on=on, month=f"{on:%Y-%m}")
    accounts = Consumer.objects.order_by("pk")
    if office is not None:
        accounts = accounts.filter(office__path__startswith=office.path)
    if consumer_ids is not None:
        accounts = accounts.filter(pk__in=list(consumer_ids))
    last = 0
    while True:
        batch = list(accounts.filter(pk__gt=last).values_list("pk", flat=True)[:batch_size])
        if not batch:
            break
        last = batch[-1]
        result.accounts_seen += len(batch)
        try:
            _apply_batch(batch, on, rates, by, result)
        except IntegrityError:
            # A concurrent run charged some of these accounts first: recompute (they are skipped now).
            _apply_batch(batch, on, rates, by, result)
    result.already_charged = (
        LpscCharge.objects.filter(month=result.month, consumer_id__in=accounts.values("pk")).count()
        - result.charged
    )
    return result
