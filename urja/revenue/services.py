"""Writes of revenue protection: raise an inspection from the list (a case and its theft-inspection work
order), hear of the inspection's completion, record the outcome. Each is one transaction; who may is
checked here (the capability, then the office scope: outside it is NotFound); refusals are
ValidationError / PermissionDenied and change nothing."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from urja.common import clock
from urja.common.errors import NotFound
from urja.customers.models import Consumer
from urja.org import roles
from urja.org.permissions import require, user_covers
from urja.workflow.choices import WorkOrderKind, WorkOrderStatus
from urja.workflow.models import WorkOrder
from urja.workflow.services import WorkflowRefused, next_reference, work_order_create

from . import selectors
from .choices import CaseEventKind, CaseStatus, Outcome
from .models import InspectionCase, InspectionCaseEvent
from .reasons import TITLES

CASE_PREFIX = "RP"


def _event(case: InspectionCase, kind: str, *, by, reason: str = "", **data) -> InspectionCaseEvent:
    event = InspectionCaseEvent(case=case, kind=kind, by=by, at=clock.now(), reason=reason, data=data)
    event.full_clean()
    event.save()
    return event


def case_raise(*, consumer: Consumer, period: str, by, key: str) -> InspectionCase:
    """Send `consumer` for inspection from `period`'s list: a case keeping the score and reasons as
    computed now, and a theft-inspection work order at the consumer's office. The same `key` (the
    form's one-time key) again returns the case it made, so a replayed POST raises nothing more."""
    require(by, roles.INSPECT_REVENUE, _("Your role may not raise inspections."))
    if not user_covers(by, consumer.office):
        raise NotFound(consumer.account_number)
    key = (key or "").strip()
    if not key or len(key) > 64:
        raise ValidationError(_("The form has expired; open the list again."))
    done = InspectionCase.objects.filter(request_key=key).first()
    if done is not None:
        if done.consumer_id != consumer.pk:
            raise ValidationError(_("The form has expired; open the list again."))
        return done
    score = selectors.consumer_score(consumer=consumer, period=period)
    if not score.listed:
        raise ValidationError(
            _("This consumer is not on the inspection list for %(period)s.") % {"period": period}
        )
    try:
        with transaction.atomic():
            # one raise at a time per consumer: the open-case check below then sees the other's case
            Consumer.objects.select_for_update().filter(pk=consumer.pk).first()
            done = InspectionCase.objects.filter(request_key=key, consumer=consumer).first()
            if done is not None:  # the same POST, sent twice at once: the other one made it
                return done
            if InspectionCase.objects.filter(
                consumer=consumer, status__in=[CaseStatus.OPEN, CaseStatus.INSPECTED]
            ).exists():
                raise ValidationError(_("This consumer already has an open inspection case."))
            now = clock.now()
            reference = next_reference(CASE_PREFIX, now)
            titles = ", ".join(str(TITLES[r.code]) for r in score.reasons)
            try:
                order = work_order_create(
                    WorkOrderKind.THEFT_INSPECTION,
                    office=consumer.office,
                    reason=_("Revenue protection %(reference)s: score %(score)s (%(reasons)s)")
                    % {"reference": reference, "score": score.points, "reasons": titles},
                    # An officer who gives out work orders is named on the order; a manager who may
                    # raise inspections but not give out field work has the system create it (the
                    # case's history names them).
                    by=by if by.can(roles.ASSIGN_WORK_ORDERS) else None,
                    consumer=consumer,
                )
            except WorkflowRefused as exc:
                raise PermissionDenied(exc.message) from None
            case = InspectionCase(
                reference=reference,
                consumer=consumer,
                office=consumer.office,
                period=period,
                score=score.points,
                band=score.band,
                reasons=[r.as_dict() for r in score.reasons],
                work_order=order,
                raised_by=by,
                raised_at=now,
                request_key=key,
            )
            case.full_clean(validate_constraints=False)
            case.save()
            _event(case, CaseEventKind.RAISED, by=by, order=order.reference, score=score.points)
    except IntegrityError:
        # a concurrent raise with the same key (or for the same consumer) won
        done = InspectionCase.objects.filter(request_key=key, consumer=consumer).first()
        if done is not None:
            return done
        raise ValidationError(_("This consumer already has an open inspection case.")) from None
    return case


def inspection_done(order: WorkOrder) -> None:
    """The case's work order was completed (the engine calls this in the completion's transaction):
    the case is inspected, with the inspector's remarks in its history. If the completion carries an
    outcome and the one who completed it may record outcomes for the office, it is recorded too."""
    case = InspectionCase.objects.select_for_update().filter(work_order=order).first()
    if case is None or not case.is_open:
        return
    remarks = str(order.result.get("remarks", ""))[:1000]
    case.status = CaseStatus.INSPECTED
    case.save(update_fields=["status", "updated_at"])
    _event(case, CaseEventKind.INSPECTED, by=order.completed_by, reason=remarks, order=order.reference)
    outcome = str(order.result.get("outcome", ""))
    by = order.completed_by
    if (
        outcome in Outcome.values
        and by is not None
        and by.can(roles.INSPECT_REVENUE)
        and user_covers(by, case.office)
    ):
        _record(case, by=by, outcome=outcome, assessed=order.result.get("assessed_units"), remarks=remarks)


def _units(value) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        units = Decimal(str(value).strip())
    except InvalidOperation:
        raise ValidationError({"assessed_units": _("Type the assessed units as a number.")}) from None
    if not units.is_finite() or units < 0 or units >= Decimal("1e10"):
        raise ValidationError({"assessed_units": _("Type the assessed units as a number.")})
    return units.quantize(Decimal("0.01"))


def _record(case: InspectionCase, *, by, outcome: str, assessed, remarks: str) -> InspectionCase:
    if outcome not in Outcome.values:
        raise ValidationError({"outcome": _("Choose what the inspection found.")})
    remarks = (remarks or "").strip()
    units = _units(assessed)
    if units is not None and outcome != Outcome.CONFIRMED:
        raise ValidationError({"assessed_units": _("Units are assessed only when theft is confirmed.")})
    if outcome == Outcome.CONFIRMED and units is None and not remarks:
        raise ValidationError(
            {"assessed_units": _("Give the assessed units or the remarks of the inspection.")}
        )
    if outcome != Outcome.CONFIRMED and not remarks:
        raise ValidationError({"remarks": _("Say what the inspector found.")})
    case.status = CaseStatus.CLOSED
    case.outcome = outcome
    case.assessed_units = units
    case.remarks = remarks
    case.closed_by = by
    case.closed_at = clock.now()
    case.save()
    _event(
        case,
        CaseEventKind.OUTCOME,
        by=by,
        reason=remarks,
        outcome=outcome,
        assessed_units=None if units is None else str(units),
    )
    return case


def case_outcome_record(
    *, case: InspectionCase, by, outcome: str, assessed_units=None, remarks: str = ""
) -> InspectionCase:
    """What the inspection found: theft confirmed (with the assessed units, or remarks), not confirmed
    or no access (with remarks). Once the work order is closed (done, or cancelled: no access); once."""
    require(by, roles.INSPECT_REVENUE, _("Your role may not record inspection outcomes."))
    if not user_covers(by, case.office):
        raise NotFound(case.reference)
    with transaction.atomic():
        locked = InspectionCase.objects.select_for_update().select_related("work_order").get(pk=case.pk)
        if not locked.is_open:
            raise ValidationError(_("This case is already closed."))
        if locked.work_order.status in (WorkOrderStatus.OPEN, WorkOrderStatus.ASSIGNED):
            raise ValidationError(_("The inspection's work order is not completed yet."))
        _record(locked, by=by, outcome=outcome, assessed=assessed_units, remarks=remarks)
    return locked
