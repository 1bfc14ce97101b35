"""Helpdesk pages: the office's tickets, a 1912 call or a staff complaint taken down, one ticket with
its timeline and the actions the user may take, and the report. Thin: each checks the capability
(403), reaches the ticket through ``ticket_get`` (404 outside the user's offices) and calls the
helpdesk services, whose refusals are shown on the page; a refused action changes nothing."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from urja.billing.choices import BillStatus
from urja.billing.models import Bill
from urja.common import clock
from urja.common.errors import NotFound
from urja.customers.selectors import consumer_get
from urja.domain.mobile import mask
from urja.helpdesk import selectors, services
from urja.helpdesk.choices import BILLING_DISPUTE, THEFT_REPORT, TicketStatus
from urja.helpdesk.models import TheftAssessment
from urja.org import roles
from urja.org.permissions import capability_required
from urja.staff.forms.helpdesk import (
    AssessForm,
    NoteForm,
    RateForm,
    ReopenForm,
    ReportForm,
    ResolveForm,
    ReviseForm,
    TicketFileForm,
)
from urja.staff.views.base import error_text, errors_to_form
from urja.workflow.choices import WorkOrderStatus

PER_PAGE = 25
VIEW_ROLES = (roles.HANDLE_COMPLAINTS, roles.VIEW_REPORTS)


def _without_page(query) -> str:
    query = query.copy()
    query.pop("page", None)
    return query.urlencode()


@capability_required(roles.HANDLE_COMPLAINTS)
def ticket_list(request):
    """The tickets of the user's offices, open first and soonest due first."""
    tickets = selectors.tickets_for(request.user)
    status = request.GET.get("status", "open")
    if status in TicketStatus.values:
        tickets = tickets.filter(status=status)
    if request.GET.get("overdue"):
        tickets = tickets.filter(status=TicketStatus.OPEN, due_at__lt=clock.now())
    category = request.GET.get("category", "")
    if category:
        tickets = tickets.filter(category__code=category)
    page = Paginator(tickets.order_by("due_at", "pk"), PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "staff/helpdesk/list.html",
        {
            "page": page,
            "status": status,
            "category": category,
            "categories": selectors.categories(),
            "statuses": TicketStatus.choices,
            "now": clock.now(),
            "query": _without_page(request.GET),
        },
    )


@capability_required(roles.HANDLE_COMPLAINTS)
def ticket_new(request):
    """Take down a 1912 call (or a complaint made to staff) and give the caller the ticket number."""
    form = TicketFileForm(request.POST or None, user=request.user)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            data = form.cleaned_data
            try:
                consumer = None
                if data["account_number"]:
                    consumer = consumer_get(principal=request.user, account_number=data["account_number"])
                ticket = services.ticket_file(
                    category=data["category"],
                    description=data["description"],
                    channel=data["channel"],
                    by=request.user,
                    consumer=consumer,
                    office=data["office"],
                    caller_name=data["caller_name"],
                    caller_mobile=data["caller_mobile"],
                    address=data["address"],
                    anonymous=data["anonymous"],
                )
            except NotFound:
                form.add_error("account_number", _("No consumer with this account number in your offices."))
            except ValidationError as exc:
                errors_to_form(form, exc)
            except PermissionDenied as exc:
                form.add_error(None, error_text(exc))
            else:
                messages.success(
                    request,
                    _("Ticket %(number)s filed. Tell the caller this number.") % {"number": ticket.number},
                )
                return redirect("staff:ticket_detail", number=ticket.number)
    return render(request, "staff/helpdesk/new.html", {"form": form}, status=status)


def _detail(request, ticket, forms=None, error="", status=200):
    user = request.user
    forms = forms or {}
    is_open = ticket.status == TicketStatus.OPEN
    bills = []
    if (
        ticket.category.code == BILLING_DISPUTE
        and ticket.consumer_id
        and is_open
        and user.can(roles.REVIEW_BILLS)
    ):
        bills = list(
            Bill.objects.filter(consumer_id=ticket.consumer_id, status=BillStatus.ISSUED).order_by("-period")[
                :6
            ]
        )
    order = ticket.inspection_order
    theft = ticket.category.code == THEFT_REPORT
    context = {
        "ticket": ticket,
        "caller_mobile_masked": mask(ticket.caller_mobile) if ticket.caller_mobile else "",
        "events": selectors.timeline(ticket, for_consumer=False),
        "overdue": selectors.is_overdue(ticket),
        "reopen_until": services.reopen_deadline(ticket),
        "note_form": forms.get("note") or NoteForm(),
        "resolve_form": forms.get("resolve") or ResolveForm() if is_open else None,
        "reopen_form": forms.get("reopen") or ReopenForm()
        if ticket.status == TicketStatus.RESOLVED
        else None,
        "rate_form": forms.get("rate") or RateForm()
        if ticket.status == TicketStatus.RESOLVED and ticket.rating is None
        else None,
        "bills": bills,
        "revise_form": forms.get("revise") or ReviseForm(),
        "may_inspect": theft
        and is_open
        and user.can(roles.ASSIGN_WORK_ORDERS)
        and (order is None or order.status == WorkOrderStatus.CANCELLED),
        "assess_form": forms.get("assess") or AssessForm()
        if theft
        and is_open
        and order is not None
        and order.status == WorkOrderStatus.DONE
        and user.can(roles.APPROVE_ADJUSTMENTS)
        and not TheftAssessment.objects.filter(ticket=ticket).exists()
        else None,
        "assessment": TheftAssessment.objects.filter(ticket=ticket).first(),
        "error": error,
    }
    return render(request, "staff/helpdesk/detail.html", context, status=status)


@capability_required(roles.HANDLE_COMPLAINTS)
def ticket_detail(request, number: str):
    ticket = selectors.ticket_get(principal=request.user, number=number)
    return _detail(request, ticket)


def _note(request, ticket):
    form = NoteForm(request.POST)
    if form.is_valid():
        services.ticket_note(ticket=ticket, by=request.user, text=form.cleaned_data["text"])
        return _("Note added.")
    return form


def _resolve(request, ticket):
    form = ResolveForm(request.POST, request.FILES)
    if form.is_valid():
        services.ticket_resolve(
            ticket=ticket,
            by=request.user,
            resolution=form.cleaned_data["resolution"],
            photo=form.cleaned_data["photo"],
        )
        return _("Ticket resolved.")
    return form


def _reopen(request, ticket):
    form = ReopenForm(request.POST)
    if form.is_valid():
        services.ticket_reopen(ticket=ticket, by=request.user, reason=form.cleaned_data["reason"])
        return _("Ticket re-opened.")
    return form


def _rate(request, ticket):
    form = RateForm(request.POST)
    if form.is_valid():
        services.ticket_rate(ticket=ticket, by=request.user, rating=form.cleaned_data["rating"])
        return _("Rating recorded.")
    return form


def _revise(request, ticket):
    form = ReviseForm(request.POST)
    if form.is_valid():
        bill = Bill.objects.filter(pk=form.cleaned_data["bill"], consumer_id=ticket.consumer_id).first()
        if bill is None:
            raise ValidationError(_("The bill is not the complainant's."))
        revision = services.ticket_bill_revision(
            ticket=ticket,
            bill=bill,
            by=request.user,
            reason=form.cleaned_data["reason"],
            units=form.cleaned_data["units"],
        )
        return _("Revision asked: %(status)s.") % {"status": revision.get_status_display()}
    return form


def _inspect(request, ticket):
    order = services.ticket_theft_inspection(ticket=ticket, by=request.user)
    return _("Inspection work order %(reference)s created.") % {"reference": order.reference}


def _assess(request, ticket):
    form = AssessForm(request.POST, request.FILES)
    if form.is_valid():
        a = services.theft_assess(
            ticket=ticket,
            by=request.user,
            connected_load_kw=form.cleaned_data["connected_load_kw"],
            report=form.cleaned_data["report"],
            report_file=form.cleaned_data["report_file"],
        )
        return _("Assessment of ₹%(amount)s posted to the account.") % {"amount": a.amount}
    return form


ACTIONS = {
    "note": _note,
    "resolve": _resolve,
    "reopen": _reopen,
    "rate": _rate,
    "revise": _revise,
    "inspect": _inspect,
    "assess": _assess,
}


@capability_required(roles.HANDLE_COMPLAINTS)
def ticket_act(request, number: str, action: str):
    """One action on a ticket (POST). A refusal shows the ticket again with the reason (400)."""
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    ticket = selectors.ticket_get(principal=request.user, number=number)
    handler = ACTIONS.get(action)
    if handler is None:
        raise NotFound("no such action")
    try:
        outcome = handler(request, ticket)
    except ValidationError as exc:
        return _detail(request, ticket, error=error_text(exc), status=400)
    except PermissionDenied as exc:
        return _detail(request, ticket, error=error_text(exc), status=403)
    if not isinstance(outcome, str):  # the form did not validate
        return _detail(request, ticket, forms={action: outcome}, status=400)
    messages.success(request, outcome)
    return redirect(reverse("staff:ticket_detail", args=[ticket.number]) + "#timeline")


@capability_required(*VIEW_ROLES)
def ticket_report(request):
    """Filed / pending / resolved / overdue by office and category, with time to resolve."""
    today = clock.today()
    form = ReportForm(request.GET or {"start": today.replace(day=1), "end": today})
    rows = []
    if form.is_valid():
        rows = selectors.ticket_report(
            user=request.user, start=form.cleaned_data["start"], end=form.cleaned_data["end"]
        )
    totals = {key: sum(r[key] for r in rows) for key in ("filed", "pending", "resolved", "overdue")}
    return render(
        request,
        "staff/helpdesk/report.html",
        {"form": form, "rows": rows, "totals": totals},
        status=200 if form.is_valid() else 400,
    )
