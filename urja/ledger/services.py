"""Posting to the ledger. Entries are only ever added; corrections are reversing entries.

Lock order everywhere in Urja: consumer account › bill › payment (take the consumer row with
select_for_update first)."""

from collections.abc import Sequence
from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from urja.common import clock
from urja.common.bulk import insert_rows
from urja.customers.models import Consumer
from urja.domain.money import round_paisa

from .choices import EntryType
from .descriptions import describe, reversal_of
from .models import LedgerEntry
from .signals import entries_posted, months_of

CREDIT_TYPES = {EntryType.PAYMENT, EntryType.SUBSIDY, EntryType.DEPOSIT_INTEREST, EntryType.SOLAR_SETTLEMENT}
DEBIT_TYPES = {EntryType.BILL, EntryType.LPSC}


def _check_sign(entry_type: str, amount: Decimal) -> None:
    if amount == 0:
        raise ValidationError({"amount": _("A ledger entry cannot be zero.")})
    if entry_type in CREDIT_TYPES and amount > 0:
        raise ValidationError({"amount": _("A payment or subsidy is a credit (negative amount).")})
    if entry_type in DEBIT_TYPES and amount < 0:
        raise ValidationError({"amount": _("A bill or surcharge is a debit (positive amount).")})


@transaction.atomic
def entry_post(
    *,
    consumer: Consumer,
    entry_type: str,
    amount: Decimal,
    entry_date: date,
    description: str = "",
    code: str = "",
    params: dict | None = None,
    by=None,
    reason: str = "",
    due_date: date | None = None,
    period: str = "",
    source_type: str = "",
    source_id: int | None = None,
    lock: bool = True,
) -> LedgerEntry:
    """Post one entry. Locks the consumer row unless the caller already holds the lock. Give
    ``code`` and ``params`` (:func:`urja.ledger.descriptions.describe`) so a statement can show the
    entry in the reader's language; ``description`` is the English text (made from them if empty)."""
    if code and not description:
        description = describe(code, **(params or {}))["description"]
    if lock:
        Consumer.objects.select_for_update().filter(pk=consumer.pk).first()
    amount = round_paisa(Decimal(amount))
    _check_sign(entry_type, amount)
    entry = LedgerEntry(
        consumer=consumer,
        entry_type=entry_type,
        amount=amount,
        entry_date=entry_date,
        due_date=due_date,
        period=period,
        description=description[:200],
        code=code,
        params=params or {},
        source_type=source_type,
        source_id=source_id,
        posted_by=by,
        reason=reason,
    )
    entry.full_clean()
    entry.save()
    _posted([entry])
    return entry


def _posted(entries: Sequence[LedgerEntry]) -> None:
    if entries:
        entries_posted.send(sender=LedgerEntry, months=months_of(entries))


def entries_post_bulk(entries: Sequence[LedgerEntry], batch_size: int = 5000) -> list[LedgerEntry]:
    """Insert many entries at once (bill runs). The caller owns the transaction and the locks."""
    for entry in entries:
        entry.amount = round_paisa(entry.amount)
        _check_sign(entry.entry_type, entry.amount)
    created = insert_rows(LedgerEntry, entries, batch_size=batch_size)
    _posted(created)
    return created


@transaction.atomic
def entry_reverse(*, entry: LedgerEntry, by, reason: str, entry_date: date | None = None) -> LedgerEntry:
    """Post the exact opposite of `entry`, naming who and why. An entry can be reversed only once."""
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the entry is reversed.")})
    Consumer.objects.select_for_update().filter(pk=entry.consumer_id).first()
    if LedgerEntry.objects.filter(reverses=entry).exists():
        raise ValidationError(_("This entry has already been reversed."))
    if entry.entry_type == EntryType.REVERSAL:
        raise ValidationError(_("A reversal cannot itself be reversed; post a new entry instead."))
    reversal = LedgerEntry(
        consumer_id=entry.consumer_id,
        entry_type=EntryType.REVERSAL,
        amount=-entry.amount,
        entry_date=entry_date or clock.today(),
        period=entry.period,
        **reversal_of(entry),
        source_type=entry.source_type,
        source_id=entry.source_id,
        reverses=entry,
        posted_by=by,
        reason=reason,
    )
    reversal.full_clean()
    reversal.save()
    _posted([reversal])
    return reversal
