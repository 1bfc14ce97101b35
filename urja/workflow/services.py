"""The workflow engine's writes: start an item, take an action, sweep breaches, and the work orders.

Each function is one transaction. The item (or order) row is locked with ``select_for_update`` first
(lock order: item › work order), every check runs on the locked row, and a refusal raises
`TransitionRefused` / `WorkOrderRefused` before anything is written, so a refused call changes
nothing. Callbacks registered with the definition (`registry.register`) run inside the transaction;
whatever they do to the outside world (SMS, tasks) they queue with ``transaction.on_commit``.
"""

from __future__ import annotations

import datetime
import logging
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils.translation import gettext as _

from urja.common import clock
from urja.common.errors import NotFound
from urja.domain.sla import Calendar, Sla, due_at, window_end
from urja.domain.workflow import Action, Definition, Rung
from urja.notifications.choices import Event
from urja.notifications.services import notify
from urja.org import roles
from urja.org.choices import Role
from urja.org.models import User
from urja.org.permissions import user_covers
from urja.org.selectors import holiday_dates

from . import registry
from .choices import WORK_ORDER_PREFIX, EventKind, WorkOrderKind, WorkOrderStatus
from .models import ReferenceCounter, WorkEvent, WorkItem, WorkOrder
from .signals import item_breached

logger = logging.getLogger(__name__)

#: Roles a work order may be assigned to.
ASSIGNABLE_ROLES = frozenset({Role.LINEMAN, Role.JE})


class WorkflowRefused(Exception):
    """A refused request; `message` is translated and fit to show the user."""

    def __init__(self, message: str) -> None:
        self.message = str(message)
        super().__init__(self.message)


class TransitionRefused(WorkflowRefused):
    """An action that may not be taken (wrong state, role, office; no reason …). Nothing changed."""


class WorkOrderRefused(WorkflowRefused):
    """A work-order request that may not be carried out. Nothing changed."""


# --- time ------------------------------------------------------------------------------------------


def calendar_for(office, first: datetime.date, last: datetime.date) -> Calendar:
    """The working-day calendar of `office` from `first` to `last`: the configured weekly offs and the
    holidays (the state's and the office's own, `org.selectors.holiday_dates`)."""
    weekly_off = frozenset(settings.URJA_WORKFLOW.get("WEEKLY_OFF", [6]))
    return Calendar(holidays=holiday_dates(first, last, office), weekly_off=weekly_off)


def sla_due(start: datetime.datetime, sla: Sla | None, office) -> datetime.datetime | None:
    """When `sla` started at `start` falls due for `office` (None for no SLA), holidays counted."""
    if sla is None:
        return None
    weekly_off = frozenset(settings.URJA_WORKFLOW.get("WEEKLY_OFF", [6]))
    if sla.unit != "working_days":  # clock hours and calendar days know no holidays
        return due_at(start, sla, Calendar(weekly_off=weekly_off))
    first = clock.local_date(start)
    last = window_end(start, sla, Calendar(weekly_off=weekly_off))
    while True:
        due = due_at(start, sla, calendar_for(office, first, last))
        if clock.local_date(due) <= last:
            return due
        # More holidays than the window allowed for: the holidays beyond it matter too.
        last += (last - first) + datetime.timedelta(days=7)


def ladder(defn: Definition) -> tuple[Rung, ...]:
    """The escalation ladder of `defn`: its own, or the configured one (settings.URJA_WORKFLOW)."""
    if defn.ladder:
        return defn.ladder
    return tuple(Rung(role, Sla(amount, unit)) for role, amount, unit in settings.URJA_WORKFLOW["LADDER"])


# --- references ------------------------------------------------------------------------------------


def next_reference(prefix: str, at: datetime.datetime) -> str:
    """The next number of a series `PREFIX-YYYY-NNNNNN` (the IST year of `at`), from a locked counter:
    two callers at once never get the same number. Work items, work orders and the processes' own
    records (a disconnection notice) number themselves here."""
    year = clock.local_date(at).year
    for _attempt in range(3):
        try:
            with transaction.atomic():
                counter, _created = ReferenceCounter.objects.select_for_update().get_or_create(
                    prefix=prefix, year=year
                )
                break
        except IntegrityError:  # another transaction created the counter first: lock theirs
            continue
    else:  # pragma: no cover - three collisions in a row
        raise WorkflowRefused(_("Could not number the record; try again."))
    counter.last += 1
    counter.save(update_fields=["last"])
    return f"{prefix}-{year}-{counter.last:06d}"


# --- who may ---------------------------------------------------------------------------------------


def _roles_for(item: WorkItem, defn: Definition, action: Action) -> frozenset[str]:
    """The roles that may take `action` on `item` now: the action's own, and once the item is
    escalated, every rung it has been escalated to (the superior officer may move it)."""
    escalated = {rung.role for rung in ladder(defn)[: item.escalation_level]}
    return action.roles | escalated


def _user_may(item: WorkItem, defn: Definition, action: Action, user) -> str | None:
    """Why `user` may not take `action` on `item` (None: they may). No checks of reason or documents."""
    if action.system_only:
        return _("Only the system takes this action.")
    if not user.is_active:
        return _("Your account is not active.")
    if user.is_read_only:
        return _("A read-only account cannot act.")
    if not user_covers(user, item.office):
        return _("This item belongs to an office outside yours.")
    if not user.is_superuser and user.role not in _roles_for(item, defn, action):
        return _("Your role may not take the action “%(action)s”.") % {"action": action.title}
    return None


def _item_definition(item: WorkItem) -> Definition:
    return registry.definition(item.definition_code, item.definition_version)


def documents_on_file(item: WorkItem) -> set[str]:
    """The document kinds attached to `item` so far (any event)."""
    kinds: set[str] = set()
    for attachments in item.events.values_list("attachments", flat=True):
        for attachment in attachments or []:
            if isinstance(attachment, Mapping) and attachment.get("kind"):
                kinds.add(str(attachment["kind"]))
    return kinds


def missing_documents(item: WorkItem) -> list[str]:
    """The current state's required documents not yet on file."""
    state = _item_definition(item).states[item.state]
    on_file = documents_on_file(item)
    return [kind for kind in state.documents_required if kind not in on_file]


def available_actions(item: WorkItem, user) -> list[Action]:
    """The actions `user` may take on `item` in its present state (none on a closed item)."""
    if not item.is_open:
        return []
    defn = _item_definition(item)
    return [action for action in defn.actions_from(item.state) if _user_may(item, defn, action, user) is None]


def _clean_attachments(attachments: Iterable[Any]) -> list[dict[str, str]]:
    cleaned = []
    for attachment in attachments:
        if not isinstance(attachment, Mapping) or not str(attachment.get("kind") or "").strip():
            raise TransitionRefused(_("Every attachment needs its kind of document."))
        cleaned.append({str(key): str(value) for key, value in attachment.items()})
    return cleaned


def _copy_into(target: Any, source: Any) -> None:
    for field in source._meta.concrete_fields:
        setattr(target, field.attname, getattr(source, field.attname))


def _call_on_enter(item: WorkItem, event: WorkEvent) -> None:
    hook = registry.registered(item.definition_code, item.definition_version).on_enter
    if hook is not None:
        hook(item, event)


# --- items -----------------------------------------------------------------------------------------


def start(
    code: str,
    *,
    office,
    by,
    consumer=None,
    data: Mapping[str, Any] | None = None,
    reason: str = "",
) -> WorkItem:
    """Open an item of the newest version of process `code` at `office`, in its start state."""
    defn = registry.definition(code)
    if by is not None:
        if not by.is_active or by.is_read_only:
            raise TransitionRefused(_("Your account may not open this."))
        if not user_covers(by, office):
            raise TransitionRefused(_("This office is outside yours."))
        if consumer is not None and not user_covers(by, consumer.office):
            raise TransitionRefused(_("This consumer belongs to an office outside yours."))
    with transaction.atomic():
        now = clock.now()
        first = defn.states[defn.start]
        item = WorkItem(
            reference=next_reference(defn.reference_prefix, now),
            definition_code=defn.code,
            definition_version=defn.version,
            office=office,
            consumer=consumer,
            data=dict(data or {}),
            state=defn.start,
            state_entered_at=now,
            due_at=sla_due(now, first.sla, office),
            total_due_at=sla_due(now, defn.total_sla, office),
            opened_at=now,
            opened_by=by,
        )
        item.full_clean()
        item.save()
        event = WorkEvent.objects.create(
            item=item, kind=EventKind.START, to_state=defn.start, by=by, at=now, reason=reason.strip()
        )
        _call_on_enter(item, event)
    return item


def transition(
    item: WorkItem,
    action: str,
    *,
    by,
    reason: str = "",
    attachments: Sequence[Mapping[str, Any]] = (),
    data: Mapping[str, Any] | None = None,
) -> WorkItem:
    """Take `action` on `item` as `by` (None: the system). Refused (`TransitionRefused`, nothing
    changed) unless the action leaves the item's present state, `by` may take it (role, office,
    system-only), a reason is given where one is needed, and (for a person) the documents required
    are on file.
    `item` is updated in place and returned."""
    reason = (reason or "").strip()
    with transaction.atomic():
        locked = WorkItem.objects.select_for_update().select_related("office").get(pk=item.pk)
        defn = _item_definition(locked)
        if not locked.is_open:
            raise TransitionRefused(_("%(reference)s is closed.") % {"reference": locked.reference})
        act = defn.action(action)
        if act is None or locked.state not in act.from_states:
            state = defn.states[locked.state]
            raise TransitionRefused(
                _("“%(action)s” is not possible while the item is “%(state)s”.")
                % {"action": act.title if act else action, "state": state.title}
            )
        if by is not None:
            why_not = _user_may(locked, defn, act, by)
            if why_not:
                raise TransitionRefused(why_not)
        if act.needs_reason and not reason:
            raise TransitionRefused(_("Give a reason for “%(action)s”.") % {"action": act.title})
        cleaned = _clean_attachments(attachments)
        if act.needs_documents and by is not None:  # a deemed outcome comes by law, papers or not
            on_file = documents_on_file(locked) | {a["kind"] for a in cleaned}
            missing = [kind for kind in defn.states[locked.state].documents_required if kind not in on_file]
            if missing:
                raise TransitionRefused(
                    _("Documents still needed: %(documents)s.") % {"documents": ", ".join(missing)}
                )

        now = clock.now()
        target = defn.states[act.to_state]
        event = WorkEvent.objects.create(
            item=locked,
            kind=EventKind.TRANSITION,
            action=act.code,
            from_state=locked.state,
            to_state=target.code,
            by=by,
            at=now,
            reason=reason,
            attachments=cleaned,
            data=dict(data or {}),
        )
        if target.code != locked.state:
            if (
                defn.states[locked.state].pauses_total
                and locked.total_due_at
                and not locked.total_breached_at
            ):
                locked.total_due_at += now - locked.state_entered_at  # the applicant's wait is not counted
            locked.state = target.code
            locked.state_entered_at = now
            locked.due_at = sla_due(now, target.sla, locked.office)
            locked.escalation_level = 0
            locked.escalated_to_role = ""
            locked.breach_handled_for = None
        if target.end:
            locked.closed_at = now
            locked.outcome = target.code
            locked.due_at = None
        locked.save()
        _call_on_enter(locked, event)
    _copy_into(item, locked)
    return item


# --- breaches --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Breach:
    """One breach the sweep handled: which item, which state and due time, and what it did."""

    item_id: int
    reference: str
    office_id: int
    state: str
    due_at: datetime.datetime
    #: "escalate", "deem_approved", "deem_rejected", "notify", "none" (no rule: recorded only),
    #: "top" (escalated as far as the ladder goes) or "total" (the whole process's SLA).
    rule: str
    escalation_level: int = 0
    escalated_to_role: str = ""
    action_taken: str = ""


def _record_breach(item: WorkItem, defn: Definition, breach: Breach, event_kind: str, data: dict) -> None:
    WorkEvent.objects.create(
        item=item,
        kind=event_kind,
        from_state=item.state,
        to_state=item.state,
        at=clock.now(),
        data={"due_at": breach.due_at.isoformat(), "rule": breach.rule, **data},
    )
    hook = registry.registered(item.definition_code, item.definition_version).on_breach
    if hook is not None:
        hook(item, breach)
    if breach.rule in TOLD_RULES:
        _tell_officers(item, defn, breach)
    item_breached.send(sender=WorkItem, item=item, breach=breach)


#: The breaches an officer hears of by SMS: an item escalated to them, or left with them past its time.
TOLD_RULES = frozenset({"escalate", "notify", "top", "total"})


def _tell_officers(item: WorkItem, defn: Definition, breach: Breach) -> int:
    """An SMS to each officer who must act on a breached item now: of the role it was escalated to,
    else of the roles that may act in its state, in the item's office or an office above it."""
    if breach.escalated_to_role:
        roles = {breach.escalated_to_role}
    else:
        roles = {
            role
            for act in defn.actions
            if item.state in act.from_states and not act.system_only
            for role in act.roles
        }
    codes = [code for code in item.office.path.split("/") if code]
    officers = User.objects.filter(is_active=True, role__in=roles, office__code__in=codes).exclude(mobile="")
    due = clock.localtime(breach.due_at)
    told = 0
    for officer in officers:
        sent = notify(
            Event.SLA_BREACH,
            to=officer.mobile,
            language=officer.preferred_language,
            variables={"item": item.reference, "office": item.office.code, "due": f"{due:%d-%m-%Y %H:%M}"},
            dedupe_key=f"breach:{item.pk}:{breach.state}:{breach.rule}:{breach.escalation_level}:{officer.pk}"[
                :80
            ],
        )
        told += sent is not None
    return told


def _breach(item: WorkItem, due: datetime.datetime, rule: str, action_taken: str = "") -> Breach:
    return Breach(
        item_id=item.pk,
        reference=item.reference,
        office_id=item.office_id,
        state=item.state,
        due_at=due,
        rule=rule,
        escalation_level=item.escalation_level,
        escalated_to_role=item.escalated_to_role,
        action_taken=action_taken,
    )


def _sweep_state(pk: int, now: datetime.datetime) -> Breach | None:
    """Handle the breach of one item's present due time, once (the row is locked and re-checked)."""
    with transaction.atomic():
        item = WorkItem.objects.select_for_update().select_related("office").get(pk=pk)
        if not item.is_open or item.due_at is None or item.due_at >= now:
            return None
        if item.breach_handled_for is not None and item.breach_handled_for >= item.due_at:
            return None  # this breach was handled by an earlier sweep
        defn = _item_definition(item)
        state = defn.states[item.state]
        rule = state.on_breach or "none"
        due = item.due_at
        item.breach_handled_for = due
        rungs = ladder(defn)
        if rule == "escalate" and item.escalation_level < len(rungs):
            rung = rungs[item.escalation_level]
            item.escalation_level += 1
            item.escalated_to_role = rung.role
            # The officer escalated to gets the rung's full time from now, when they are told.
            item.due_at = sla_due(now, rung.sla, item.office)
            item.save()
            breach = _breach(item, due, rule)
            details = {
                "level": item.escalation_level,
                "role": rung.role,
                "next_due_at": item.due_at.isoformat(),
            }
            _record_breach(item, defn, breach, EventKind.ESCALATION, details)
            return breach
        if rule == "escalate":
            rule = "top"  # escalated as far as the ladder goes: recorded once, stays listed
        item.save()
        deemed = state.deemed_action or "" if rule in ("deem_approved", "deem_rejected") else ""
        breach = _breach(item, due, rule, deemed)
        _record_breach(item, defn, breach, EventKind.BREACH, {})
        if deemed:
            transition(
                item,
                deemed,
                by=None,
                reason=_("Deemed: the time allowed for “%(state)s” has passed.") % {"state": state.title},
                data={"deemed": True, "due_at": due.isoformat()},
            )
        return breach


def _sweep_total(pk: int, now: datetime.datetime) -> Breach | None:
    with transaction.atomic():
        item = WorkItem.objects.select_for_update().get(pk=pk)
        if (
            not item.is_open
            or item.total_due_at is None
            or item.total_due_at >= now
            or item.total_breached_at
        ):
            return None
        defn = _item_definition(item)
        state = defn.states.get(item.state)
        if (
            state is not None
            and state.pauses_total
            and item.total_due_at + (now - item.state_entered_at) >= now
        ):
            return None  # waiting on the applicant: the clock stands still
        item.total_breached_at = now
        item.save(update_fields=["total_breached_at", "updated_at"])
        breach = _breach(item, item.total_due_at, "total")
        _record_breach(item, defn, breach, EventKind.TOTAL_BREACH, {})
        return breach


def _guarded(sweep, pk: int, now: datetime.datetime) -> Breach | None:
    """One item's sweep; an item whose process is no longer registered is logged and left alone
    rather than stopping the sweep of every other item."""
    try:
        return sweep(pk, now)
    except NotFound:
        logger.warning("workflow sweep: work item %s has no registered process; skipped", pk)
        return None


def sweep_breaches(now: datetime.datetime | None = None) -> list[Breach]:
    """Apply the breach rule of every open item past its due time: escalate one rung, deem the
    outcome (the state's deemed action, taken by the system) or notify; and record every item past
    the whole process's SLA once. Idempotent: a breach handled once is not handled again."""
    now = now or clock.now()
    pending = (
        WorkItem.objects.filter(closed_at__isnull=True, due_at__lt=now)
        .filter(Q(breach_handled_for__isnull=True) | Q(breach_handled_for__lt=F("due_at")))
        .order_by("due_at", "pk")
        .values_list("pk", flat=True)
    )
    breaches = [breach for pk in list(pending) if (breach := _guarded(_sweep_state, pk, now)) is not None]
    overdue = (
        WorkItem.objects.filter(closed_at__isnull=True, total_due_at__lt=now, total_breached_at__isnull=True)
        .order_by("total_due_at", "pk")
        .values_list("pk", flat=True)
    )
    breaches += [breach for pk in list(overdue) if (breach := _guarded(_sweep_total, pk, now)) is not None]
    return breaches


# --- work orders -----------------------------------------------------------------------------------


def _order_event(order: WorkOrder, by, what: str, **data: Any) -> None:
    if order.item_id is None:
        return
    item = order.item
    WorkEvent.objects.create(
        item=item,
        kind=EventKind.WORK_ORDER,
        from_state=item.state,
        to_state=item.state,
        by=by,
        at=clock.now(),
        data={"work_order": order.reference, "kind": order.kind, "what": what, **data},
    )


def _lock_order(order: WorkOrder) -> WorkOrder:
    """Lock `order` in the documented order: its item first (a completion goes on to move the item,
    and a process cancels orders from inside a transition that holds the item), then the order."""
    item_id = WorkOrder.objects.filter(pk=order.pk).values_list("item_id", flat=True).first()
    if item_id is not None:
        list(WorkItem.objects.select_for_update().filter(pk=item_id).values_list("pk", flat=True))
    return WorkOrder.objects.select_for_update().select_related("office").get(pk=order.pk)


def _check_assignee(to, office) -> None:
    if to is None:
        return
    if not to.is_active or to.role not in ASSIGNABLE_ROLES:
        raise WorkOrderRefused(_("A work order goes to an active lineman or junior engineer."))
    if not user_covers(to, office) or to.sees_everything:
        raise WorkOrderRefused(_("%(user)s does not work in this office.") % {"user": to.get_username()})


def _check_officer(by, office) -> None:
    """`by` (None: the system) may create, assign and cancel work orders of `office`."""
    if by is None:
        return
    if not by.is_active or not by.can(roles.ASSIGN_WORK_ORDERS):
        raise WorkOrderRefused(_("Your role may not give out work orders."))
    if not user_covers(by, office):
        raise WorkOrderRefused(_("This office is outside yours."))


def work_order_create(
    kind: str,
    *,
    office,
    reason: str,
    by,
    due_at: datetime.datetime | None = None,
    consumer=None,
    item: WorkItem | None = None,
    assigned_to=None,
) -> WorkOrder:
    """A field job of `kind` at `office`, for `item` and/or `consumer`. Never without a reason."""
    reason = (reason or "").strip()
    if not reason:
        raise WorkOrderRefused(_("A work order needs a reason."))
    if kind not in WorkOrderKind.values:
        raise WorkOrderRefused(_("Unknown kind of work order."))
    _check_officer(by, office)
    _check_assignee(assigned_to, office)
    with transaction.atomic():
        now = clock.now()
        order = WorkOrder(
            reference=next_reference(WORK_ORDER_PREFIX, now),
            kind=kind,
            item=item,
            office=office,
            consumer=consumer,
            assigned_to=assigned_to,
            due_at=due_at,
            status=WorkOrderStatus.ASSIGNED if assigned_to else WorkOrderStatus.OPEN,
            reason=reason,
            created_by=by,
        )
        order.full_clean()
        order.save()
        _order_event(order, by, "created", reason=reason)
    return order


def work_order_assign(order: WorkOrder, *, to, by) -> WorkOrder:
    """Give `order` to `to` (a lineman or JE of its office)."""
    with transaction.atomic():
        locked = _lock_order(order)
        if locked.is_closed:
            raise WorkOrderRefused(_("This work order is already closed."))
        _check_officer(by, locked.office)
        _check_assignee(to, locked.office)
        if to is None:
            raise WorkOrderRefused(_("Choose whom to give the work order to."))
        locked.assigned_to = to
        locked.status = WorkOrderStatus.ASSIGNED
        locked.save(update_fields=["assigned_to", "status", "updated_at"])
        _order_event(locked, by, "assigned", to=to.get_username())
    _copy_into(order, locked)
    return order


def _clean_result(result: Mapping[str, Any]) -> dict[str, Any]:
    """The completion's result, checked: readings [{register, value}], photos [str], gps {lat, lon},
    remarks str; other keys (a process's own) are kept as given."""
    if not isinstance(result, Mapping):
        raise WorkOrderRefused(_("The result must be a set of named fields."))
    cleaned = dict(result)
    readings = cleaned.get("readings", [])
    if not isinstance(readings, list) or not all(
        isinstance(r, Mapping) and str(r.get("value", "")).strip() for r in readings
    ):
        raise WorkOrderRefused(_("Each reading needs a value."))
    photos = cleaned.get("photos", [])
    if not isinstance(photos, list) or not all(isinstance(p, str) for p in photos):
        raise WorkOrderRefused(_("Photos are a list of references."))
    gps = cleaned.get("gps")
    if gps is not None:
        try:
            lat, lon = float(gps["lat"]), float(gps["lon"])
        except (KeyError, TypeError, ValueError):
            raise WorkOrderRefused(_("GPS needs a latitude and a longitude.")) from None
        if not (-90 <= lat <= 90 and -180 <= lon <= 180):
            raise WorkOrderRefused(_("GPS position out of range."))
    remarks = cleaned.get("remarks", "")
    if not isinstance(remarks, str):
        raise WorkOrderRefused(_("Remarks are text."))
    return cleaned


def work_order_complete(order: WorkOrder, *, by, key: str, result: Mapping[str, Any]) -> WorkOrder:
    """Record `order` as done with `result`, once: a retry with the same `key` returns the order as it
    is and changes nothing; another key on a done order is refused. Then the process that created it
    (`on_order_done`) may name an action, which the system takes on the item in this transaction."""
    key = (key or "").strip()
    if not key or len(key) > 80:
        raise WorkOrderRefused(_("A completion needs an idempotency key of at most 80 characters."))
    with transaction.atomic():
        locked = _lock_order(order)
        if locked.status == WorkOrderStatus.DONE:
            if locked.completion_key == key:
                _copy_into(order, locked)
                return order
            raise WorkOrderRefused(_("This work order was already completed."))
        if locked.status == WorkOrderStatus.CANCELLED:
            raise WorkOrderRefused(_("This work order was cancelled."))
        if by is not None and locked.assigned_to_id != by.pk:
            try:
                _check_officer(by, locked.office)
            except WorkOrderRefused:
                raise WorkOrderRefused(
                    _("Only the one it is assigned to, or an officer, completes it.")
                ) from None
        if WorkOrder.objects.filter(completion_key=key).exclude(pk=locked.pk).exists():
            raise WorkOrderRefused(_("This idempotency key was used for another work order."))
        locked.result = _clean_result(result)
        locked.status = WorkOrderStatus.DONE
        locked.completed_by = by
        locked.completed_at = clock.now()
        locked.completion_key = key
        locked.save()
        _order_event(locked, by, "done")
        if locked.item_id is not None:
            item = locked.item
            hook = registry.registered(item.definition_code, item.definition_version).on_order_done
            action = hook(locked) if hook is not None else None
            if action:
                transition(
                    item,
                    action,
                    by=None,
                    reason=_("Work order %(reference)s done.") % {"reference": locked.reference},
                    data={"work_order": locked.reference},
                )
        else:
            for kind_hook in registry.order_kind_hooks(locked.kind):
                kind_hook(locked)
    _copy_into(order, locked)
    return order


def work_order_cancel(order: WorkOrder, *, by, reason: str) -> WorkOrder:
    """Cancel an open or assigned work order, with a reason."""
    reason = (reason or "").strip()
    if not reason:
        raise WorkOrderRefused(_("Give a reason for cancelling."))
    with transaction.atomic():
        locked = _lock_order(order)
        if locked.is_closed:
            raise WorkOrderRefused(_("This work order is already closed."))
        _check_officer(by, locked.office)
        locked.status = WorkOrderStatus.CANCELLED
        locked.cancelled_reason = reason
        locked.save(update_fields=["status", "cancelled_reason", "updated_at"])
        _order_event(locked, by, "cancelled", reason=reason)
    _copy_into(order, locked)
    return order
