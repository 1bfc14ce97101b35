"""Manual adjustments (credit or debit) to an account, with maker-checker.

Rules:

* The maker needs ``EDIT_CONSUMERS`` or ``APPROVE_ADJUSTMENTS`` and the account in their office
  subtree. The amount is signed (+ debit, − credit), non-zero, in whole paise; a reason is required.
* Up to ``URJA_PAYMENTS["ADJUSTMENT_APPROVAL_ABOVE"]`` (either sign) a maker who may approve
  adjustments posts at once; otherwise the adjustment waits (PENDING).
* The checker needs ``APPROVE_ADJUSTMENTS``, the account in their office subtree, and is never the
  maker. Above the limit the checker must rank above the maker: JE < SDO < EE < management; a
  system administrator (or superuser) may approve any other maker's adjustment.
* Posting writes one ledger ADJUSTMENT entry dated the day of posting (source "adjustment", id) and
  sets the adjustment POSTED with its ``ledger_entry_id``. The checker's note goes into the ledger
  entry's reason; a rejection needs a note (see ``adjustment_decide``).
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from urja.customers.models import Consumer
from urja.domain.money import format_indian
from urja.ledger.choices import EntryType
from urja.ledger.selectors import balance
from urja.ledger.services import entry_post
from urja.org import roles
from urja.org.choices import Role

from .choices import AdjustmentStatus
from .models import Adjustment
from .services import advance_check

#: Who outranks whom for approving large adjustments (higher number is higher).
ROLE_RANK = {Role.JE: 1, Role.SDO: 2, Role.EE: 3, Role.MANAGEMENT: 4}


def approval_limit() -> Decimal:
    return Decimal(str(settings.URJA_PAYMENTS["ADJUSTMENT_APPROVAL_ABOVE"]))


def _is_top(user) -> bool:
    return user.is_superuser or user.role == Role.SYSTEM_ADMIN


def outranks(checker, maker) -> bool:
    """May `checker` approve `maker`'s adjustment above the limit?"""
    if _is_top(checker):
        return True
    return ROLE_RANK.get(checker.role, 0) > ROLE_RANK.get(maker.role, 0)


def _in_scope(user, consumer: Consumer) -> bool:
    if user.sees_everything:
        return True
    return user.office is not None and user.office.contains(consumer.office)


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
        entry_date=timezone.localdate(),
        description=f"Adjustment #{adjustment.pk} ({kind}): {adjustment.reason}",
        by=by,
        reason=(f"approved by {by.username}" + (f": {note}" if note else ""))[:255],
        source_type="adjustment",
        source_id=adjustment.pk,
        lock=False,
    )
    adjustment.status = AdjustmentStatus.POSTED
    adjustment.decided_by = by
    adjustment.decided_at = timezone.now()
    adjustment.ledger_entry_id = entry.pk
    adjustment.save(
        update_fields=["status", "decided_by", "decided_at", "decision_note", "ledger_entry_id", "updated_at"]
    )


def adjustment_request(*, consumer: Consumer, amount, reason: str, by) -> Adjustment:
    """Ask for an adjustment (+ debit, − credit). Posted at once when small and the maker may approve
    adjustments; otherwise PENDING for a checker."""
    if by is None or not (by.can(roles.EDIT_CONSUMERS) or by.can(roles.APPROVE_ADJUSTMENTS)):
        raise PermissionDenied(_("You may not adjust accounts."))
    if not _in_scope(by, consumer):
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
        if abs(value) <= approval_limit() and by.can(roles.APPROVE_ADJUSTMENTS):
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
        if not _in_scope(by, consumer):
            raise PermissionDenied(_("This account is outside your offices."))
        if adjustment.status != AdjustmentStatus.PENDING:
            raise ValidationError(_("This adjustment has already been decided."))
        if adjustment.made_by_id == by.pk:
            raise PermissionDenied(_("The maker of an adjustment cannot approve it."))
        if approve and abs(adjustment.amount) > approval_limit() and not outranks(by, adjustment.made_by):
            raise PermissionDenied(
                _("An adjustment above %(limit)s needs approval by an officer senior to the maker.")
                % {"limit": approval_limit()}
            )
        if approve:
            adjustment.decision_note = note[:255]
            _post(adjustment, consumer, by, note=note)
        else:
            adjustment.status = AdjustmentStatus.REJECTED
            adjustment.decided_by = by
            adjustment.decided_at = timezone.now()
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
