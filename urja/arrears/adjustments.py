"""Manual adjustments (credit or debit) to an account, with maker-checker.

Rules:

* The maker needs ``EDIT_CONSUMERS`` or ``APPROVE_ADJUSTMENTS`` and the account in their office
  subtree. The amount is signed (+ debit, − credit), non-zero, in whole paise; a reason is required.
* The limit, ``URJA_PAYMENTS["ADJUSTMENT_APPROVAL_ABOVE"]`` (either sign), applies to each
  adjustment and to the cumulative effect: a maker who may approve adjustments posts at once only
  while this adjustment, and the net of what was posted to the account this month (IST calendar
  month) by makers on their own plus this one, are both within the limit. Ten small credits add up
  like one large one, whoever makes them; otherwise the adjustment waits (PENDING).
* The checker needs ``APPROVE_ADJUSTMENTS``, the account in their office subtree, is never the maker,
  and ranks above the maker (`urja.org.permissions.outranks`: JE < SDO < EE < management; a system
  administrator or superuser outranks everyone). What a senior approved does not count against the
  maker's own allowance.
* Posting writes one ledger ADJUSTMENT entry dated the day of posting (source "adjustment", id) and
  sets the adjustment POSTED with its ``ledger_entry_id``. The checker's note goes into the ledger
  entry's reason; a rejection needs a note (see ``adjustment_decide``).
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.utils.translation import gettext as _

from urja.common import clock
from urja.common.db import MoneySum
from urja.customers.models import Consumer
from urja.domain.money import format_indian
from urja.domain.rules import add_months
from urja.ledger.choices import EntryType
from urja.ledger.descriptions import ADJUSTMENT, describe
from urja.ledger.selectors import balance
from urja.ledger.services import entry_post
from urja.org import roles
from urja.org.permissions import outranks, user_covers
from urja.payments.services import advance_check

from .choices import AdjustmentStatus
from .models import Adjustment


def approval_limit() -> Decimal:
    return Decimal(str(settings.URJA_PAYMENTS["ADJUSTMENT_APPROVAL_ABOVE"]))


def self_posted_this_month(consumer_id: int) -> Decimal:
    """The net of the account's adjustments posted this month by their own maker (no second officer)."""
    first = clock.today().replace(day=1)
    posted = Adjustment.objects.filter(
        consumer_id=consumer_id,
        status=AdjustmentStatus.POSTED,
        decided_by_id=F("made_by_id"),
        decided_at__gte=clock.day_start(first),
        decided_at__lt=clock.day_start(add_months(first, 1)),
    )
    return posted.aggregate(total=MoneySum("amount"))["total"] or Decimal("0.00")


def _clean_amount(amount) -> Decimal:
    if isinstance(amount, float):
        raise ValidationError({"amount": _("Give the amount as an exact number, not a float.")})
    try:
        value = Decimal(str(amount).strip().replace(",", ""))
    except (InvalidOperation, ValueError):
        raise ValidationError({"amount": _("Enter an amount such as 250.00 or -250.00.")})
    if not value.is_finite():
        raise ValidationError({"amount": _("Enter an amount such as 250.00 or -250.00.")})
    if value != value.quantize(Decimal("0.01")):
        raise ValidationError({"amount": _("An amount is in whole paise (two decimals at most).")})
    if value == 0:
        raise ValidationError({"amount": _("An adjustment cannot be zero.")})
    limit = Decimal(str(settings.URJA_PAYMENTS["ADJUSTMENT_MAX"]))
    if abs(value) > limit:
        raise ValidationError(
            {
                "amount": _("An adjustment can be at most ₹%(limit)s either way.")
                % {"limit": format_indian(limit)}
            }
        )
    return value.quantize(Decimal("0.01"))


def _post(adjustment: Adjustment, consumer: Consumer, by, note: str = "") -> None:
    kind = "debit" if adjustment.amount > 0 else "credit"
    if (
        adjustment.amount < 0
    ):  # a credit may not leave more than the allowed advance (the caller holds the lock)
        advance_check(balance=balance(consumer.pk), credit=-adjustment.amount)
    entry = entry_post(
        consumer=consumer,
        entry_type=EntryType.ADJUSTMENT,
        amount=adjustment.amount,
        entry_date=clock.today(),
        **describe(ADJUSTMENT, number=adjustment.pk, kind=kind, reason=adjustment.reason),
        by=by,
        reason=(f"approved by {by.username}" + (f": {note}" if note else ""))[:255],
        source_type="adjustment",
        source_id=adjustment.pk,
        lock=False,
    )
    adjustment.status = AdjustmentStatus.POSTED
    adjustment.decided_by = by
    adjustment.decided_at = clock.now()
    adjustment.ledger_entry_id = entry.pk
    adjustment.save(
        update_fields=["status", "decided_by", "decided_at", "decision_note", "ledger_entry_id", "updated_at"]
    )


def adjustment_request(*, consumer: Consumer, amount, reason: str, by) -> Adjustment:
    """Ask for an adjustment (+ debit, − credit). Posted at once when small and the maker may approve
    adjustments; otherwise PENDING for a checker."""
    if by is None or not (by.can(roles.EDIT_CONSUMERS) or by.can(roles.APPROVE_ADJUSTMENTS)):
        raise PermissionDenied(_("You may not adjust accounts."))
    if not user_covers(by, consumer.office):
        raise PermissionDenied(_("This account is outside your offices."))
    value = _clean_amount(amount)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Say why the account is adjusted.")})
    with transaction.atomic():
        locked = Consumer.objects.select_for_update().get(pk=consumer.pk)
        adjustment = Adjustment(consumer=locked, amount=value, reason=reason[:255], made_by=by)
        adjustment.full_clean(exclude=["consumer", "made_by"])
        adjustment.save()
        # Under the account lock, so two makers at once cannot both use the same allowance.
        limit = approval_limit()
        within = abs(value) <= limit and abs(self_posted_this_month(locked.pk) + value) <= limit
        if within and by.can(roles.APPROVE_ADJUSTMENTS):
            _post(adjustment, locked, by, note="within the maker's limit")
        return adjustment


def adjustment_decide(*, adjustment_id: int, by, approve: bool, note: str = "") -> Adjustment:
    """Approve (posts the ledger entry) or reject a pending adjustment. A rejection needs a note."""
    if by is None or not by.can(roles.APPROVE_ADJUSTMENTS):
        raise PermissionDenied(_("You may not approve adjustments."))
    note = (note or "").strip()
    if not approve and not note:
        raise ValidationError({"note": _("Say why the adjustment is rejected.")})
    consumer_id = Adjustment.objects.filter(pk=adjustment_id).values_list("consumer_id", flat=True).first()
    if consumer_id is None:
        raise ValidationError(_("No such adjustment."))
    with transaction.atomic():
        # Lock order: account first, then the adjustment.
        consumer = Consumer.objects.select_for_update().select_related("office").get(pk=consumer_id)
        adjustment = Adjustment.objects.select_for_update().select_related("made_by").get(pk=adjustment_id)
        if not user_covers(by, consumer.office):
            raise PermissionDenied(_("This account is outside your offices."))
        if adjustment.status != AdjustmentStatus.PENDING:
            raise ValidationError(_("This adjustment has already been decided."))
        if adjustment.made_by_id == by.pk:
            raise PermissionDenied(_("The maker of an adjustment cannot approve it."))
        if approve and not outranks(by, adjustment.made_by):
            raise PermissionDenied(_("An adjustment needs approval by an officer senior to its maker."))
        if approve:
            adjustment.decision_note = note[:255]
            _post(adjustment, consumer, by, note=note)
        else:
            adjustment.status = AdjustmentStatus.REJECTED
            adjustment.decided_by = by
            adjustment.decided_at = clock.now()
            adjustment.decision_note = note[:255]
            adjustment.save(
                update_fields=["status", "decided_by", "decided_at", "decision_note", "updated_at"]
            )
        return adjustment


def adjustments_pending_for(user):
    """Pending adjustments `user` may decide: in their offices, not their own (for a checker's queue)."""
    from urja.org.selectors import office_q

    if not user.can(roles.APPROVE_ADJUSTMENTS):
        return Adjustment.objects.none()
    return (
        Adjustment.objects.filter(status=AdjustmentStatus.PENDING)
        .filter(office_q(user, field="consumer__office"))
        .exclude(made_by=user)
        .select_related("consumer", "made_by")
    )
