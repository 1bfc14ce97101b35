"""Tickets over the API (staff tokens): the office's tickets, one ticket with its timeline, filing a
complaint taken by phone or by staff, and an internal note. Another office's ticket is a 404, a role
without `complaints.handle` a 403. The consumer portal calls the services directly
(`services.ticket_file(channel="portal", consumer=...)`, `ticket_reopen`, `ticket_rate` with `by=None`,
and the consumer's views in `selectors`)."""

from datetime import datetime

from django.core.exceptions import ValidationError
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from urja.api.auth import StaffTokenAuth
from urja.api.pagination import LimitOffset
from urja.customers.selectors import consumer_get
from urja.domain import mobile as mob
from urja.domain.mobile import mask
from urja.org import roles
from urja.org.permissions import require
from urja.org.selectors import offices_for_user

from . import selectors, services
from .choices import Channel, TicketStatus
from .models import Category

router = Router(tags=["helpdesk"], auth=StaffTokenAuth())


class CategoryOut(Schema):
    code: str
    name_en: str
    name_hi: str
    sla_hours: int


class TicketOut(Schema):
    number: str
    category: str = Field(..., alias="category.code")
    channel: str
    status: str
    level: int
    office: str = Field(..., alias="office.code")
    account_number: str | None = None
    anonymous: bool
    caller_mobile: str = ""
    description: str
    filed_at: datetime
    due_at: datetime
    resolved_at: datetime | None = None
    resolution: str
    rating: int | None = None

    @staticmethod
    def resolve_account_number(ticket) -> str | None:
        return ticket.consumer.account_number if ticket.consumer_id else None

    @staticmethod
    def resolve_caller_mobile(ticket) -> str:
        return mask(ticket.caller_mobile) if ticket.caller_mobile else ""


class EventOut(Schema):
    kind: str
    text: str
    internal: bool
    at: datetime
    by: str | None = None

    @staticmethod
    def resolve_by(event) -> str | None:
        return event.by.get_username() if event.by_id else None


class TicketDetailOut(TicketOut):
    events: list[EventOut]

    @staticmethod
    def resolve_events(ticket) -> list:
        return list(selectors.timeline(ticket, for_consumer=False))


class TicketIn(Schema):
    category: str = Field(..., max_length=30)
    description: str = Field(..., min_length=1, max_length=4000)
    channel: str = Field(Channel.PHONE, pattern="^(phone|staff)$")
    account_number: str | None = Field(None, max_length=20)
    office: str | None = Field(None, max_length=20, description="office code of the address (non-consumers)")
    caller_name: str = Field("", max_length=120)
    caller_mobile: str = Field("", max_length=20)
    address: str = Field("", max_length=255)
    anonymous: bool = False


class NoteIn(Schema):
    text: str = Field(..., min_length=1, max_length=4000)


class ListParams(Schema):
    status: str | None = Field(None, pattern="^(open|resolved)$")


def _principal(request):
    require(request.principal, roles.HANDLE_COMPLAINTS)
    return request.principal


@router.get("/helpdesk/categories", response=list[CategoryOut], summary="Complaint categories")
def category_list(request):
    return list(selectors.categories())


@router.get("/helpdesk/tickets", response=list[TicketOut], summary="Tickets of the caller's offices")
@paginate(LimitOffset)
def ticket_list(request, params: Query[ListParams]):
    tickets = selectors.tickets_for(_principal(request))
    if params.status:
        tickets = tickets.filter(status=TicketStatus(params.status))
    return tickets.order_by("due_at", "pk")


@router.get("/helpdesk/tickets/{number}", response=TicketDetailOut, summary="One ticket with its timeline")
def ticket_detail(request, number: str):
    return selectors.ticket_get(principal=_principal(request), number=number)


@router.post("/helpdesk/tickets", response={201: TicketOut}, summary="File a complaint (phone or staff)")
def ticket_file(request, payload: TicketIn):
    user = _principal(request)
    category = Category.objects.filter(code=payload.category, active=True).first()
    if category is None:
        raise ValidationError({"category": "Unknown category."})
    consumer = None
    if payload.account_number:
        consumer = consumer_get(principal=user, account_number=payload.account_number)
    office = None
    if payload.office:
        office = offices_for_user(user).filter(code=payload.office).first()
        if office is None:
            raise ValidationError({"office": "No such office among yours."})
    mobile = ""
    if payload.caller_mobile.strip():
        try:
            mobile = mob.normalize(payload.caller_mobile)
        except mob.InvalidMobile as exc:
            raise ValidationError({"caller_mobile": str(exc)}) from None
    ticket = services.ticket_file(
        category=category,
        description=payload.description,
        channel=payload.channel,
        by=user,
        consumer=consumer,
        office=office,
        caller_name=payload.caller_name,
        caller_mobile=mobile,
        address=payload.address,
        anonymous=payload.anonymous,
    )
    return Status(201, ticket)


@router.post("/helpdesk/tickets/{number}/notes", response={201: EventOut}, summary="Add an internal note")
def ticket_note(request, number: str, payload: NoteIn):
    user = _principal(request)
    ticket = selectors.ticket_get(principal=user, number=number)
    return Status(201, services.ticket_note(ticket=ticket, by=user, text=payload.text))
