"""The portal's request pages: self meter reading, complaints and theft reports, a new-connection
application without an account, tracking, and a signed-in consumer's requests. Every rule lives in
the services of the lower apps (billing.self_reading, helpdesk, connections.portal, workflow)."""

from __future__ import annotations

import contextlib
import secrets
from decimal import Decimal

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from urja.billing import selectors as billing_selectors
from urja.billing import self_reading
from urja.common import clock
from urja.common.errors import NotFound
from urja.connections import portal as connections
from urja.connections.new_connection import charge_label
from urja.helpdesk import selectors as helpdesk_selectors
from urja.helpdesk import services as helpdesk
from urja.helpdesk.choices import TicketStatus
from urja.org.auth import client_address
from urja.portal import request_forms as forms
from urja.portal.pending import PENDING_PREFIX
from urja.portal.session import applicant_mobile, applicant_required, consumer_required, portal_accounts
from urja.workflow import registry
from urja.workflow.selectors import progress
from urja.workflow.services import WorkflowRefused


def _errors_into(form, exc: ValidationError) -> None:
    """Put a service's refusal on the form: on its field when the form has it, else on the form."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            for error in errors:
                form.add_error(field if field in form.fields else None, error)
    else:
        for message in exc.messages:
            form.add_error(None, message)


# --- self meter reading ------------------------------------------------------------------------------

PENDING_READING = "portal_pending_reading"  # the stashed file lives under pending.PENDING_PREFIX


def _stash_photo(request, upload, kwh) -> None:
    """Keep the photo while the consumer answers the question about the value (it is not uploaded twice)."""
    _drop_stash(request)
    upload.seek(0)
    name = default_storage.save(f"{PENDING_PREFIX}{secrets.token_hex(12)}", ContentFile(upload.read()))
    request.session[PENDING_READING] = {"file": name, "name": str(upload.name)[:80], "kwh": str(kwh)}


def _stashed_photo(request):
    pending = request.session.get(PENDING_READING)
    if not pending or not default_storage.exists(pending["file"]):
        return None
    with default_storage.open(pending["file"], "rb") as f:
        return ContentFile(f.read(), name=pending["name"])


def _drop_stash(request) -> None:
    pending = request.session.pop(PENDING_READING, None)
    if pending and default_storage.exists(pending["file"]):
        default_storage.delete(pending["file"])


@consumer_required
@require_http_methods(["GET", "POST"])
def reading(request):
    """Eligibility, then the value and the photo; a questioned value comes back for confirmation or
    correction with the photo kept (stashed) so it is not uploaded twice."""
    consumer = request.consumer
    eligibility = self_reading.self_reading_eligibility(consumer)
    context = {"consumer": consumer, "eligibility": eligibility,
               "bill_note": self_reading.bill_follows_message(eligibility)}  # fmt: skip
    if not eligibility.eligible:
        return render(request, "portal/requests/reading.html", context)
    form = forms.ReadingForm()
    if request.method == "POST" and request.POST.get("step") == "confirm":
        photo = _stashed_photo(request)
        if photo is None:
            form.add_error(None, _("Attach the photo again, please."))
        elif request.POST.get("correct"):
            corrected = forms.ReadingForm({"kwh": request.POST.get("kwh_new")}, {"photo": photo})
            if corrected.is_valid():
                return _reading_submit(request, context, corrected, corrected.cleaned_data["kwh"], photo)
            form = corrected
        else:
            confirm = forms.ReadingConfirmForm(request.POST)
            if confirm.is_valid():
                return _reading_submit(
                    request, context, form, confirm.cleaned_data["kwh"], photo, confirmed=True
                )
            form.add_error(None, _("Tick the box to confirm the value, or correct it."))
    elif request.method == "POST":
        form = forms.ReadingForm(request.POST, request.FILES)
        if form.is_valid():
            return _reading_submit(
                request, context, form, form.cleaned_data["kwh"], form.cleaned_data["photo"]
            )
    context["form"] = form
    return render(request, "portal/requests/reading.html", context)


def _reading_submit(request, context, form, kwh, photo, *, confirmed: bool = False):
    try:
        reading = self_reading.reading_submit_by_consumer(consumer=request.consumer, kwh=kwh, photo=photo,
                                                          confirmed=confirmed)  # fmt: skip
    except self_reading.ReadingQuestioned as exc:
        if isinstance(photo, ContentFile) and request.session.get(PENDING_READING):
            request.session[PENDING_READING] = {**request.session[PENDING_READING], "kwh": str(kwh)}
        else:
            _stash_photo(request, photo, kwh)
        context.update(questions=[q.message for q in exc.questions], kwh=kwh,
                       confirm=forms.ReadingConfirmForm(initial={"kwh": kwh}))  # fmt: skip
        return render(request, "portal/requests/reading.html", context)
    except ValidationError as exc:
        _errors_into(form, exc)
        context["form"] = form
        return render(request, "portal/requests/reading.html", context)
    _drop_stash(request)
    context.update(recorded=reading)
    return render(request, "portal/requests/reading.html", context)


# --- complaints ----------------------------------------------------------------------------------


@consumer_required
def complaints(request):
    tickets = helpdesk_selectors.tickets_of_consumer(request.consumer).order_by("-filed_at", "-id")
    return render(
        request, "portal/requests/complaints.html", {"tickets": tickets, "consumer": request.consumer}
    )


@consumer_required
@require_http_methods(["GET", "POST"])
def complaint_new(request):
    categories = helpdesk_selectors.categories_for_portal()
    form = forms.ComplaintForm(request.POST or None, request.FILES or None, categories=categories)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            ticket = helpdesk.ticket_file(
                category=data["category"], description=data["description"], channel="portal",
                consumer=request.consumer, address=data["address"], photo=data["photo"],
                latitude=data["latitude"], longitude=data["longitude"],
            )  # fmt: skip
        except ValidationError as exc:
            _errors_into(form, exc)
        else:
            messages.success(request, _("Complaint %(number)s is registered; the number is sent to you by SMS.")
                             % {"number": ticket.number})  # fmt: skip
            return redirect("portal:complaint", number=ticket.number)
    return render(request, "portal/requests/complaint_new.html", {"form": form, "categories": categories})


@consumer_required
@require_http_methods(["GET", "POST"])
def complaint(request, number: str):
    try:
        ticket = helpdesk_selectors.ticket_for_consumer(consumer=request.consumer, number=number)
    except NotFound:
        raise Http404 from None
    reopen_form, rate_form = forms.ReopenForm(), forms.RateForm()
    if request.method == "POST":
        try:
            if request.POST.get("action") == "reopen":
                reopen_form = forms.ReopenForm(request.POST)
                if reopen_form.is_valid():
                    helpdesk.ticket_reopen(ticket=ticket, reason=reopen_form.cleaned_data["reason"])
                    messages.success(request, _("The complaint is re-opened."))
                    return redirect("portal:complaint", number=ticket.number)
            elif request.POST.get("action") == "rate":
                rate_form = forms.RateForm(request.POST)
                if rate_form.is_valid():
                    helpdesk.ticket_rate(ticket=ticket, rating=rate_form.cleaned_data["rating"])
                    messages.success(request, _("Thank you for your rating."))
                    return redirect("portal:complaint", number=ticket.number)
        except ValidationError as exc:
            _errors_into(reopen_form if request.POST.get("action") == "reopen" else rate_form, exc)
    deadline = helpdesk.reopen_deadline(ticket)
    context = {
        "ticket": ticket,
        "events": helpdesk_selectors.timeline(ticket, for_consumer=True),
        "overdue": helpdesk_selectors.is_overdue(ticket),
        "may_reopen": ticket.status == TicketStatus.RESOLVED
        and deadline is not None
        and clock.now() <= deadline,
        "reopen_until": deadline,
        "may_rate": ticket.status == TicketStatus.RESOLVED and ticket.rating is None,
        "reopen_form": reopen_form,
        "rate_form": rate_form,
    }
    return render(request, "portal/requests/complaint.html", context)


@require_http_methods(["GET", "POST"])
def theft(request):
    """A theft report; no sign-in needed, and it may be anonymous."""
    form = forms.TheftForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            ticket = helpdesk.theft_report_file(
                description=data["description"], address=data["address"], account_number=data["account_number"],
                office=data["office"], anonymous=data["anonymous"], name=data["name"], mobile=data["mobile"],
                photo=data["photo"], latitude=data["latitude"], longitude=data["longitude"],
                sender=client_address(request),
            )  # fmt: skip
        except ValidationError as exc:
            _errors_into(form, exc)
        else:
            return render(request, "portal/requests/theft_done.html", {"ticket": ticket})
    return render(request, "portal/requests/theft.html", {"form": form})


# --- applications -----------------------------------------------------------------------------------


def _fees(category, load):
    try:
        note = connections.fees_estimate(category=category, load=load)
    except (ValidationError, ValueError, ArithmeticError):
        return None
    return {
        "lines": [(charge_label(line.code), line.amount) for line in note.lines],
        "total": note.total,
    }


@applicant_required
@require_http_methods(["GET", "POST"])
def apply(request):
    form = forms.ApplicationForm(request.POST or None, request.FILES or None)
    fees = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        fees = _fees(data["category"], data["load"])
        try:
            application = connections.application_submit_by_applicant(
                mobile=request.applicant_mobile, office=data["office"], applicant_name=data["applicant_name"],
                father_husband_name=data["father_husband_name"], address=data["address"],
                village_town=data["village_town"], district=data["district"], category=data["category"],
                load=data["load"], area_class=data["area_class"], kyc_document=data["kyc_document"],
                kyc_number=data["kyc_number"], preferred_dates=[data["date_1"], data["date_2"], data["date_3"]],
                documents=form.documents(),
            )  # fmt: skip
        except (ValidationError, WorkflowRefused) as exc:
            if isinstance(exc, WorkflowRefused):
                form.add_error(None, exc.message)
            else:
                _errors_into(form, exc)
        else:
            messages.success(request, _("Application %(number)s is received. Keep this number to track it.")
                             % {"number": application.item.reference})  # fmt: skip
            return HttpResponseRedirect(f"{reverse('portal:track')}?number={application.item.reference}")
    applications = connections.applications_of_mobile(request.applicant_mobile)
    return render(
        request, "portal/requests/apply.html", {"form": form, "fees": fees, "applications": applications}
    )


@require_http_methods(["GET"])
def fees(request):
    """The fees for a category and load (the application form asks this as the applicant types)."""
    category, load = request.GET.get("category", ""), None
    with contextlib.suppress(ValidationError):
        load = forms.AsciiDecimalField(min_value=Decimal("0.5"), max_digits=6, decimal_places=2).clean(
            request.GET.get("load", "")
        )
    result = _fees(category, load) if load is not None and category else None
    return render(request, "portal/requests/_fees.html", {"fees": result})


def _steps(item):
    return progress(item, language=get_language() or "en")


def _process_title(item):
    defn = registry.definition(item.definition_code, item.definition_version)
    return defn.title_hi if (get_language() or "").startswith("hi") and defn.title_hi else defn.title


def track(request):
    """Where an application or a complaint stands, by its number. An application is shown to the mobile
    that made it (or the signed-in account it belongs to); a complaint in full to its account, and
    otherwise (a theft report's reporter) only its status and due time."""
    form = forms.TrackForm(request.GET or None)
    context = {"form": form}
    if form.is_valid():
        number = form.cleaned_data["number"].strip().upper()
        context["number"] = number
        accounts = list(portal_accounts(request))
        for consumer in accounts:
            try:
                helpdesk_selectors.ticket_for_consumer(consumer=consumer, number=number)
            except NotFound:
                continue
            return redirect("portal:complaint", number=number)
        item = _item_for_visitor(request, number, accounts)
        if item is not None:
            context.update(item=item, steps=_steps(item), title=_process_title(item))
        else:
            try:
                context["ticket"] = helpdesk_selectors.ticket_status_for_number(number)
            except NotFound:
                context["not_found"] = True
    return render(request, "portal/requests/track.html", context)


def _item_for_visitor(request, number: str, accounts):
    mobile = applicant_mobile(request)
    if mobile:
        try:
            return connections.application_for_mobile(mobile=mobile, reference=number).item
        except NotFound:
            pass
    for consumer in accounts:
        item = connections.consumer_requests(consumer).filter(reference=number).first()
        if item is not None:
            return item
    return None


# --- a signed-in consumer's requests --------------------------------------------------------------

REQUEST_FORMS = {
    "load_change": (forms.LoadChangeForm, gettext_lazy("Change of load")),
    "category_change": (forms.CategoryChangeForm, gettext_lazy("Change of category")),
    "name_transfer": (forms.NameTransferForm, gettext_lazy("Change of name (transfer)")),
    "permanent_disconnection": (
        forms.PermanentDisconnectionForm,
        gettext_lazy("End the connection (permanent disconnection)"),
    ),
}


def _where(item):
    """The step a request is at (its last one once it has ended)."""
    steps = progress(item, language=get_language() or "en", ahead=False)
    return next((s for s in steps if s.status == "current"), steps[-1])


@consumer_required
def my_requests(request):
    items = [
        {"item": item, "title": _process_title(item), "state": _where(item)}
        for item in connections.consumer_requests(request.consumer)[:50]
    ]
    context = {
        "consumer": request.consumer,
        "items": items,
        "kinds": [(kind, title) for kind, (_form, title) in REQUEST_FORMS.items()],
        "reconnection": connections.reconnection_of(request.consumer),
        "tickets": helpdesk_selectors.tickets_of_consumer(request.consumer).filter(
            category__code="billing_dispute"
        )[:10],
    }
    return render(request, "portal/requests/my_requests.html", context)


@consumer_required
@require_http_methods(["GET", "POST"])
def request_new(request, kind: str):
    if kind not in REQUEST_FORMS:
        raise Http404
    form_class, title = REQUEST_FORMS[kind]
    form = form_class(request.POST or None)
    if request.method == "POST" and form.is_valid():
        fields = {k: v for k, v in form.cleaned_data.items() if k != "confirm"}
        try:
            item = connections.consumer_request_open(request.consumer, kind=kind, **fields)
        except ValidationError as exc:
            _errors_into(form, exc)
        except WorkflowRefused as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("Request %(number)s is received.") % {"number": item.reference})
            return HttpResponseRedirect(f"{reverse('portal:track')}?number={item.reference}")
    return render(
        request,
        "portal/requests/request_new.html",
        {"form": form, "title": title, "consumer": request.consumer},
    )


@consumer_required
@require_http_methods(["POST"])
def reconnection(request):
    try:
        connections.reconnection_request(request.consumer)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("Reconnection is ordered; the line staff will reconnect your supply."))
    return redirect("portal:requests")


@consumer_required
@require_http_methods(["GET", "POST"])
def bill_revision(request):
    bills = billing_selectors.consumer_bills_queryset(request.consumer)
    form = forms.BillRevisionForm(request.POST or None, bills=bills)
    if request.method == "POST" and form.is_valid():
        try:
            ticket = helpdesk.bill_revision_ask(consumer=request.consumer, bill=form.cleaned_data["bill"],
                                                reason=form.cleaned_data["reason"])  # fmt: skip
        except ValidationError as exc:
            _errors_into(form, exc)
        else:
            messages.success(request, _("Your request %(number)s is registered.") % {"number": ticket.number})
            return redirect("portal:complaint", number=ticket.number)
    return render(request, "portal/requests/request_new.html",
                  {"form": form, "title": _("Ask for a bill to be revised"), "consumer": request.consumer})  # fmt: skip
