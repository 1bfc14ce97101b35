"""Writes on tickets. Each public function is one transaction; refusals raise ValidationError (a rule)
or PermissionDenied (a role or an office) and change nothing.

Lock order: consumer account › ticket (a theft assessment locks the account through the ledger's
poster after the ticket; no other path takes both)."""

from __future__ import annotations

import datetime
import uuid
from decimal import Decimal

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _

from urja.billing.services import bill_revision_request
from urja.common import clock
from urja.common.uploads import IMAGE_KINDS, check_upload
from urja.customers.models import Consumer
from urja.domain import mobile as mob
from urja.domain import theft
from urja.domain.sla import Sla
from urja.ledger.choices import EntryType
from urja.ledger.services import entry_post
from urja.org import roles
from urja.org.permissions import require, user_covers
from urja.workflow.choices import WorkOrderKind, WorkOrderStatus
from urja.workflow.models import WorkOrder
from urja.workflow.services import WorkflowRefused, sla_due, work_order_create

from . import conf
from .choices import BILLING_DISPUTE, THEFT_REPORT, Channel, EventKind, TicketStatus
from .descriptions import THEFT_ASSESSMENT, theft_params
from .models import Category, TheftAssessment, TheftRate, Ticket, TicketEvent
from .notify import complaint_update


def _event(ticket: Ticket, kind: str, *, by=None, text: str = "", internal: bool = False, **params) -> None:
    TicketEvent.objects.create(
        ticket=ticket, kind=kind, by=by, text=text, internal=internal, params=params, at=clock.now()
    )


def _due(start: datetime.datetime, hours: int, office) -> datetime.datetime:
    """When a complaint filed at `start` falls due: the category's clock hours (the engine's SLA rule;
    a supply failure does not wait for a working day)."""
    return sla_due(start, Sla(hours, "hours"), office)


def route_office(*, consumer: Consumer | None, office=None):
    """The office that answers: the consumer's DT's office, else the consumer's own office (an account
    not yet indexed to a DT), else the office chosen for a non-consumer's address."""
    if consumer is not None:
        if consumer.dt_id is not None:
            return consumer.dt.office
        return consumer.office
    if office is None:
        raise ValidationError({"office": _("Choose the office of the address.")})
    return office


def _check_staff(by, office) -> None:
    require(by, roles.HANDLE_COMPLAINTS)
    if by is not None and not user_covers(by, office):
        raise PermissionDenied(_("This ticket is outside your offices."))


@transaction.atomic
def ticket_file(
    *,
    category: Category,
    description: str,
    channel: str,
    by=None,
    consumer: Consumer | None = None,
    office=None,
    caller_name: str = "",
    caller_mobile: str = "",
    address: str = "",
    anonymous: bool = False,
    photo=None,
    latitude: Decimal | None = None,
    longitude: Decimal | None = None,
) -> Ticket:
    """File a complaint and return it with its number (told by SMS when a mobile is known).

    `by` is the agent or officer (None from the portal, where `consumer` is the signed-in account).
    For a theft report `consumer` is the account of the premises reported, if known; an anonymous
    report keeps no name or mobile of the reporter."""
    if not description.strip():
        raise ValidationError({"description": _("Describe the complaint.")})
    if channel not in Channel.values:
        raise ValidationError({"channel": _("Unknown channel.")})
    if channel == Channel.PORTAL and by is None and consumer is None and category.code != THEFT_REPORT:
        raise ValidationError(_("A portal complaint comes from a signed-in consumer."))
    if not category.active:
        raise ValidationError({"category": _("This category is no longer in use.")})
    if anonymous and category.code != THEFT_REPORT:
        raise ValidationError({"anonymous": _("Only a theft report may be anonymous.")})
    if photo is not None:
        check_upload(photo, kinds=IMAGE_KINDS, max_bytes=int(conf.get("PHOTO_MAX_BYTES")), field="photo")
    if (latitude is None) != (longitude is None):
        raise ValidationError({"latitude": _("Give both latitude and longitude, or neither.")})
    if latitude is not None and not (-90 <= latitude <= 90 and -180 <= longitude <= 180):
        raise ValidationError({"latitude": _("The position is not on the earth.")})
    routed = route_office(consumer=consumer, office=office)
    if channel != Channel.PORTAL or by is not None:
        _check_staff(by, routed)
    if anonymous:
        caller_name = caller_mobile = ""
    now = clock.now()
    due = _due(now, category.sla_hours, routed)
    ticket = Ticket(
        number=f"tmp-{uuid.uuid4().hex[:16]}",
        category=category,
        channel=channel,
        consumer=consumer,
        office=routed,
        anonymous=anonymous,
        caller_name=caller_name.strip(),
        caller_mobile=caller_mobile.strip(),
        address=address.strip(),
        description=description.strip(),
        filed_at=now,
        due_at=due,
        level_due_at=due,
        filed_by=by,
        latitude=latitude,
        longitude=longitude,
    )
    if photo is not None:
        ticket.photo = photo
    ticket.full_clean(exclude=["number"])
    ticket.save()
    ticket.number = f"HD{clock.localtime(now):%y%m%d}{ticket.pk:06d}"
    ticket.save(update_fields=["number", "updated_at"])
    _event(ticket, EventKind.FILED, by=by, channel=channel)
    complaint_update(ticket, "filed")
    return ticket


def _locked(ticket: Ticket) -> Ticket:
    return (
        Ticket.objects.select_for_update(of=("self",))
        .select_related("category", "consumer")
        .get(pk=ticket.pk)
    )


@transaction.atomic
def ticket_note(*, ticket: Ticket, by, text: str) -> TicketEvent:
    """An internal note on the timeline (never shown to the consumer)."""
    _check_staff(by, ticket.office)
    if not text.strip():
        raise ValidationError({"text": _("Write the note.")})
    ticket = _locked(ticket)
    _event(ticket, EventKind.NOTE, by=by, text=text.strip(), internal=True)
    return ticket.events.last()


@transaction.atomic
def ticket_resolve(*, ticket: Ticket, by, resolution: str, photo=None) -> Ticket:
    """Mark an open ticket resolved, saying what was done (a photo of the work if there is one)."""
    _check_staff(by, ticket.office)
    ticket = _locked(ticket)
    if ticket.status != TicketStatus.OPEN:
        raise ValidationError(_("Only an open ticket can be resolved."))
    if not resolution.strip():
        raise ValidationError({"resolution": _("Say how the complaint was resolved.")})
    ticket.status = TicketStatus.RESOLVED
    ticket.resolution = resolution.strip()
    ticket.resolved_at = clock.now()
    ticket.rating = None
    if photo is not None:
        ticket.resolution_photo = photo
    ticket.save()
    _event(ticket, EventKind.RESOLVED, by=by, text=ticket.resolution)
    complaint_update(ticket, "resolved")
    return ticket


def reopen_deadline(ticket: Ticket) -> datetime.datetime | None:
    if ticket.resolved_at is None:
        return None
    return ticket.resolved_at + datetime.timedelta(days=conf.get("REOPEN_DAYS"))


@transaction.atomic
def ticket_reopen(*, ticket: Ticket, reason: str, by=None) -> Ticket:
    """Re-open a resolved ticket within the re-open window of its resolution (the consumer from the
    portal, with `by` None, or an agent for a caller). The SLA starts again; the level stays."""
    if by is not None:
        _check_staff(by, ticket.office)
    ticket = _locked(ticket)
    if ticket.status != TicketStatus.RESOLVED:
        raise ValidationError(_("Only a resolved ticket can be re-opened."))
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the complaint is not resolved.")})
    deadline = reopen_deadline(ticket)
    if clock.now() > deadline:
        raise ValidationError(
            _(
                "A complaint can be re-opened only within %(days)s days of its resolution (until "
                "%(deadline)s). Please file a new complaint."
            )
            % {"days": conf.get("REOPEN_DAYS"), "deadline": f"{clock.localtime(deadline):%d-%m-%Y %H:%M}"}
        )
    now = clock.now()
    ticket.status = TicketStatus.OPEN
    ticket.reopen_count += 1
    ticket.rating = None
    ticket.due_at = _due(now, ticket.category.sla_hours, ticket.office)
    ticket.level_due_at = ticket.due_at
    ticket.save()
    _event(ticket, EventKind.REOPENED, by=by, text=reason.strip())
    complaint_update(ticket, "reopened")
    return ticket


@transaction.atomic
def ticket_rate(*, ticket: Ticket, rating: int, by=None) -> Ticket:
    """The consumer's rating (1–5) of a resolved ticket, once per resolution."""
    if by is not None:
        _check_staff(by, ticket.office)
    ticket = _locked(ticket)
    if ticket.status != TicketStatus.RESOLVED:
        raise ValidationError(_("Only a resolved ticket can be rated."))
    if ticket.rating is not None:
        raise ValidationError(_("This resolution has already been rated."))
    if not isinstance(rating, int) or not 1 <= rating <= 5:
        raise ValidationError({"rating": _("Give a rating from 1 to 5.")})
    ticket.rating = rating
    ticket.save(update_fields=["rating", "updated_at"])
    _event(ticket, EventKind.RATED, by=by, rating=rating)
    return ticket


def tickets_escalate_overdue() -> int:
    """Climb the ladder (JE › SDO › EE › SE) for every open ticket past its level's time: the engine's
    configured rungs, each with its own time (`conf.ladder`). Returns how many tickets climbed; a
    ticket at the top stays there (it is still listed as overdue)."""
    now = clock.now()
    rungs = conf.ladder()
    climbed = 0
    due = Ticket.objects.filter(status=TicketStatus.OPEN, level_due_at__lt=now, level__lt=len(rungs))
    for pk in list(due.order_by("level_due_at", "pk").values_list("pk", flat=True)):
        with transaction.atomic():
            ticket = due.select_for_update().select_related("office").filter(pk=pk).first()
            if ticket is None:
                continue
            rung = rungs[ticket.level]
            ticket.level += 1
            ticket.escalated_to_role = rung.role
            ticket.level_due_at = sla_due(now, rung.sla, ticket.office)
            ticket.save(update_fields=["level", "escalated_to_role", "level_due_at", "updated_at"])
            _event(ticket, EventKind.ESCALATED, level=ticket.level, role=rung.role)
            climbed += 1
    return climbed


# --- billing disputes ---------------------------------------------------------------------------------


@transaction.atomic
def ticket_bill_revision(*, ticket: Ticket, bill, by, reason: str, units: Decimal | None):
    """End a billing dispute in a bill revision: asks billing's own revision service (with its own
    approval rules; the officer needs the right to review bills) and links the revision to the ticket."""
    _check_staff(by, ticket.office)
    ticket = _locked(ticket)
    if ticket.category.code != BILLING_DISPUTE:
        raise ValidationError(_("Only a billing dispute can end in a bill revision."))
    if ticket.status != TicketStatus.OPEN:
        raise ValidationError(_("The ticket is not open."))
    if ticket.consumer_id is None or bill.consumer_id != ticket.consumer_id:
        raise ValidationError(_("The bill is not the complainant's."))
    revision = bill_revision_request(
        bill=bill,
        by=by,
        reason=_("Complaint %(number)s: %(reason)s") % {"number": ticket.number, "reason": reason},
        units=units,
    )
    ticket.bill_revision = revision
    ticket.save(update_fields=["bill_revision", "updated_at"])
    _event(ticket, EventKind.REVISION, by=by, text=reason, revision=revision.pk, status=revision.status)
    return revision


def bill_revision_ask(*, consumer: Consumer, bill, reason: str) -> Ticket:
    """A consumer asks (from the portal) for a bill to be revised: a billing-dispute ticket naming the
    bill, which an officer may end in a revision (`ticket_bill_revision`)."""
    if bill.consumer_id != consumer.pk:
        raise ValidationError(_("The bill is not yours."))
    if not reason.strip():
        raise ValidationError({"reason": _("Say what is wrong with the bill.")})
    category = Category.objects.filter(code=BILLING_DISPUTE, active=True).first()
    if category is None:
        raise ValidationError(_("Bill complaints are not taken online at present; call 1912."))
    return ticket_file(
        category=category,
        channel=Channel.PORTAL,
        consumer=consumer,
        description=_("Bill %(number)s (%(period)s): %(reason)s")
        % {"number": bill.bill_number, "period": bill.period, "reason": reason.strip()},
    )


def _count_theft_report(sender: str) -> None:
    if not sender:
        return
    key = (
        "helpdesk:theft:" + salted_hmac("urja.helpdesk.theft_report", sender, algorithm="sha256").hexdigest()
    )
    cache.add(key, 0, timeout=3600)
    if cache.incr(key) > int(conf.get("THEFT_REPORTS_PER_HOUR")):
        raise ValidationError(_("Too many reports from this connection; try again in an hour or call 1912."))


def theft_report_file(
    *,
    description: str,
    address: str,
    account_number: str = "",
    office=None,
    anonymous: bool = True,
    name: str = "",
    mobile: str = "",
    photo=None,
    latitude: Decimal | None = None,
    longitude: Decimal | None = None,
    sender: str = "",
) -> Ticket:
    """A theft report from the portal, with or without signing in: the premises by account number (its
    office answers) or by the office chosen; anonymous keeps no name or mobile. `sender` (the client's
    address, kept only as a keyed hash in the cache) is allowed THEFT_REPORTS_PER_HOUR reports an hour,
    so an open form cannot flood an office's queue."""
    _count_theft_report(sender)
    consumer = None
    if account_number:
        consumer = Consumer.objects.filter(account_number=account_number).first()
        if consumer is None:
            raise ValidationError(
                {"account_number": _("No account has this number; leave it empty if unsure.")}
            )
    if consumer is None and office is None:
        raise ValidationError({"office": _("Choose the office of the area, or give the account number.")})
    if not address.strip():
        raise ValidationError({"address": _("Say where it is.")})
    if mobile and not anonymous:
        try:
            mobile = mob.normalize(mobile)
        except mob.InvalidMobile:
            raise ValidationError({"mobile": _("Type a 10-digit mobile number.")}) from None
    category = Category.objects.get(code=THEFT_REPORT)
    return ticket_file(
        category=category, description=description, channel=Channel.PORTAL, consumer=consumer, office=office,
        address=address, anonymous=anonymous, caller_name="" if anonymous else name, caller_mobile="" if anonymous else mobile,
        photo=photo, latitude=latitude, longitude=longitude,
    )  # fmt: skip


# --- theft --------------------------------------------------------------------------------------------


@transaction.atomic
def ticket_theft_inspection(*, ticket: Ticket, by, assigned_to=None) -> WorkOrder:
    """Send a theft report to the field: a `theft_inspection` work order at the ticket's office,
    due when the ticket is."""
    _check_staff(by, ticket.office)
    ticket = _locked(ticket)
    if ticket.category.code != THEFT_REPORT:
        raise ValidationError(_("Only a theft report leads to a theft inspection."))
    if ticket.status != TicketStatus.OPEN:
        raise ValidationError(_("The ticket is not open."))
    if ticket.inspection_order_id is not None and ticket.inspection_order.status != WorkOrderStatus.CANCELLED:
        raise ValidationError(_("An inspection is already ordered for this report."))
    try:
        order = work_order_create(
            WorkOrderKind.THEFT_INSPECTION,
            office=ticket.office,
            reason=_("Theft report %(number)s: %(address)s")
            % {"number": ticket.number, "address": ticket.address or ticket.description[:120]},
            by=by,
            due_at=ticket.due_at,
            consumer=ticket.consumer,
            assigned_to=assigned_to,
        )
    except WorkflowRefused as exc:
        raise PermissionDenied(exc.message) from None
    ticket.inspection_order = order
    ticket.save(update_fields=["inspection_order", "updated_at"])
    _event(ticket, EventKind.INSPECTION, by=by, order=order.reference)
    return order


def theft_inspection_done(order: WorkOrder) -> None:
    """A theft inspection's work order was completed (the engine calls this in the completion's
    transaction): the ticket's timeline says so, with the inspector's remarks as an internal note, and
    the officer may now assess the case."""
    ticket = Ticket.objects.filter(inspection_order=order).first()
    if ticket is None:
        return
    _event(
        ticket,
        EventKind.INSPECTED,
        by=order.completed_by,
        text=str(order.result.get("remarks", ""))[:1000],
        internal=True,
        order=order.reference,
    )


def theft_rate_on(day: datetime.date) -> TheftRate:
    rate = TheftRate.objects.filter(effective_from__lte=day).order_by("-effective_from").first()
    if rate is None:
        raise ValidationError(_("No theft assessment rate is in force; an administrator must enter one."))
    return rate


@transaction.atomic
def theft_assess(
    *,
    ticket: Ticket,
    by,
    connected_load_kw: Decimal,
    report: str,
    report_file=None,
    consumer: Consumer | None = None,
) -> TheftAssessment:
    """A confirmed theft case: assess by the formula in force and post the assessment to the account's
    ledger (who, when, why, and the inspection report kept with it). An officer who approves
    adjustments decides it."""
    require(by, roles.APPROVE_ADJUSTMENTS, _("Only an officer who approves adjustments may assess theft."))
    if not user_covers(by, ticket.office):
        raise PermissionDenied(_("This ticket is outside your offices."))
    ticket = _locked(ticket)
    if ticket.category.code != THEFT_REPORT:
        raise ValidationError(_("Only a theft report can end in a theft assessment."))
    if ticket.status != TicketStatus.OPEN:
        raise ValidationError(_("The ticket is not open."))
    order = ticket.inspection_order
    if order is None or order.status != WorkOrderStatus.DONE:
        raise ValidationError(_("The theft inspection must be done before the case is assessed."))
    if TheftAssessment.objects.filter(ticket=ticket).exists():
        raise ValidationError(_("This case has already been assessed."))
    if not report.strip():
        raise ValidationError({"report": _("Attach the inspection report.")})
    consumer = consumer or ticket.consumer
    if consumer is None:
        raise ValidationError({"consumer": _("Name the account the assessment is billed to.")})
    if not user_covers(by, consumer.office):
        raise PermissionDenied(_("This account is outside your offices."))
    today = clock.today()
    rate = theft_rate_on(today)
    try:
        result = theft.assess(
            Decimal(connected_load_kw),
            theft.TheftParameters(
                hours_per_day=rate.hours_per_day, days=rate.days, rate=rate.rate, factor=rate.factor
            ),
        )
    except ValueError as exc:
        raise ValidationError({"connected_load_kw": str(exc)})
    params = theft_params(
        ticket=ticket.number,
        order=order.reference,
        load=result.connected_load_kw,
        units=result.units,
        rate=rate,
    )
    entry = entry_post(
        consumer=consumer,
        entry_type=EntryType.BILL,
        amount=result.amount,
        entry_date=today,
        due_date=today + datetime.timedelta(days=int(settings.URJA_BILLING["DUE_DAYS"])),
        code=THEFT_ASSESSMENT,
        params=params,
        by=by,
        reason=_("Theft assessment on complaint %(number)s") % {"number": ticket.number},
        source_type="theft_assessment",
        source_id=ticket.pk,
    )
    assessment = TheftAssessment(
        ticket=ticket,
        consumer=consumer,
        report=report.strip(),
        connected_load_kw=result.connected_load_kw,
        hours_per_day=rate.hours_per_day,
        days=rate.days,
        rate=rate.rate,
        factor=rate.factor,
        units=result.units,
        amount=result.amount,
        ledger_entry_id=entry.pk,
        assessed_by=by,
    )
    if report_file is not None:
        assessment.report_file = report_file
    assessment.full_clean()
    assessment.save()
    _event(ticket, EventKind.ASSESSMENT, by=by, internal=True, amount=str(result.amount), entry=entry.pk)
    return assessment
