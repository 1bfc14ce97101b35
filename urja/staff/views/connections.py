"""New-connection pages: the counter's application form and document uploads, the list of the
office's applications, and one application's panel (applicant, load, charges, documents) with the
forms its steps need (verification, inspection result, demand note, payment, installation). The
generic workflow pages (inbox, item, actions) carry the rest. Every page checks the capability (403)
and reaches the application within the user's offices only (404)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from urja.connections import new_connection as nc
from urja.connections.models import NewConnectionApplication
from urja.domain.mobile import mask
from urja.org import roles
from urja.org.permissions import capability_required
from urja.org.selectors import scope_for_user
from urja.payments.choices import Channel
from urja.staff.forms.connections import (
    ApplicationForm,
    DocumentForm,
    InspectionForm,
    InstallationForm,
    PaymentForm,
)
from urja.staff.views.base import error_text
from urja.workflow import registry
from urja.workflow import services as wf
from urja.workflow.services import WorkflowRefused

VIEW = (roles.VIEW_WORK, roles.TAKE_PAYMENTS)


def _get(user, pk: int) -> NewConnectionApplication:
    application = (
        scope_for_user(
            NewConnectionApplication.objects.select_related("item", "office", "consumer", "dt"), user
        )
        .filter(pk=pk)
        .first()
    )
    if application is None:
        raise Http404
    return application


@capability_required(*VIEW)
def application_list(request):
    qs = scope_for_user(NewConnectionApplication.objects.select_related("item", "office"), request.user)
    page = Paginator(qs.order_by("-id"), 50).get_page(request.GET.get("page"))
    rows = [{"app": a, "mobile": mask(a.mobile)} for a in page.object_list]
    return render(request, "staff/connections/list.html", {"page": page, "rows": rows})


@capability_required(roles.EDIT_CONSUMERS)
def application_new(request):
    form = ApplicationForm(request.POST or None, user=request.user)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            data = form.cleaned_data
            try:
                application = nc.apply(
                    by=request.user, office=data["office"], applicant_name=data["applicant_name"],
                    father_husband_name=data["father_husband_name"], address=data["address"],
                    village_town=data["village_town"], district=data["district"], mobile=data["mobile"],
                    category=data["category"], load=data["load"], load_unit=data["load_unit"],
                    area_class=data["area_class"], dt=data["dt"], kyc_document="aadhaar" if data["kyc_number"] else "",
                    kyc_number=data["kyc_number"], preferred_dates=[data["preferred_date"]] if data["preferred_date"] else [],
                )  # fmt: skip
            except (ValidationError, WorkflowRefused, PermissionDenied) as exc:
                form.add_error(None, error_text(exc) if not isinstance(exc, WorkflowRefused) else exc.message)
            else:
                messages.success(
                    request,
                    _("Application %(reference)s entered.") % {"reference": application.item.reference},
                )
                return redirect("staff:connection_detail", pk=application.pk)
    return render(request, "staff/connections/new.html", {"form": form}, status=status)


def _panel(request, application, *, error="", status=200):
    item = application.item
    defn = registry.definition(item.definition_code, item.definition_version)
    estimate = None
    if item.is_open and application.demand_total is None:
        try:
            estimate = nc.estimate(application)
        except ValidationError as exc:
            error = error or error_text(exc)
    user = request.user
    context = {
        "app": application,
        "item": item,
        "state": defn.states[item.state],
        "mobile": mask(application.mobile),
        "estimate": estimate,
        "documents": application.documents.all(),
        "actions": wf.available_actions(item, user),
        "orders": item.work_orders.order_by("id"),
        "rejection": item.events.filter(action="reject").first(),
        "document_form": DocumentForm() if item.state in ("applied", "returned") and user.can(roles.EDIT_CONSUMERS) else None,
        "inspection_form": InspectionForm() if item.state == "inspection" and user.can(roles.WORK_ORDERS) else None,
        "payment_form": PaymentForm(initial={"amount": application.demand_total})
        if item.state == "payment" and user.can(roles.TAKE_PAYMENTS) else None,
        "installation_form": InstallationForm() if item.state == "installation" and user.can(roles.WORK_ORDERS) else None,
        "error": error,
    }  # fmt: skip
    return render(request, "staff/connections/detail.html", context, status=status)


@capability_required(*VIEW)
def application_detail(request, pk: int):
    return _panel(request, _get(request.user, pk))


STEP_CAPABILITY = {
    "document": roles.EDIT_CONSUMERS,
    "verify": roles.EDIT_CONSUMERS,
    "inspection": roles.WORK_ORDERS,
    "demand": roles.EDIT_CONSUMERS,
    "pay": roles.TAKE_PAYMENTS,
    "install": roles.WORK_ORDERS,
}


@require_POST
@capability_required(*VIEW)
def _confirmed(request) -> None:
    """An irreversible step (the demand note opens the account and posts to its ledger; energising
    starts billing) needs the box that says so ticked."""
    if request.POST.get("confirm") != "yes":
        raise ValidationError(_("Tick the box to confirm what this step does; nothing was changed."))


def application_step(request, pk: int, step: str):
    if step not in STEP_CAPABILITY:
        raise Http404
    if not request.user.can(STEP_CAPABILITY[step]):
        raise PermissionDenied
    application = _get(request.user, pk)
    item = application.item
    try:
        if step == "document":
            form = DocumentForm(request.POST, request.FILES)
            if not form.is_valid():
                raise ValidationError(_("Choose the kind of document and the file."))
            nc.document_add(
                application, kind=form.cleaned_data["kind"], upload=form.cleaned_data["file"], by=request.user
            )
        elif step == "verify":
            nc.verify(application, by=request.user)
        elif step == "demand":
            _confirmed(request)
            wf.transition(item, "issue_demand", by=request.user)
        elif step == "pay":
            form = PaymentForm(request.POST)
            if not form.is_valid():
                raise ValidationError(_("Give the amount and the reference."))
            nc.pay(application, amount=form.cleaned_data["amount"], channel=Channel.CASH, source="counter",
                   reference=form.cleaned_data["reference"], by=request.user)  # fmt: skip
        else:
            kind = "site_inspection" if step == "inspection" else "meter_installation"
            order = item.work_orders.filter(kind=kind).exclude(status__in=["done", "cancelled"]).first()
            if order is None:
                raise ValidationError(_("There is no open work order for this step."))
            if step == "inspection":
                form = InspectionForm(request.POST)
                if not form.is_valid():
                    raise ValidationError(_("Give the inspection result."))
                result = {"remarks": form.cleaned_data["remarks"]}
            else:
                _confirmed(request)
                form = InstallationForm(request.POST)
                if not form.is_valid():
                    raise ValidationError(_("Give the meter, its reading and the date."))
                data = form.cleaned_data
                result = {"meter": data["meter"], "initial_reading": str(data["initial_reading"]),
                          "installed_on": data["installed_on"].isoformat()}  # fmt: skip
            wf.work_order_complete(order, by=request.user, key=f"console-{order.reference}", result=result)
    except WorkflowRefused as exc:
        return _panel(request, _get(request.user, pk), error=exc.message, status=400)
    except (ValidationError, PermissionDenied) as exc:
        return _panel(request, _get(request.user, pk), error=error_text(exc), status=400)
    messages.success(request, _("Done."))
    return redirect("staff:connection_detail", pk=pk)
