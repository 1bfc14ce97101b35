"""The workflow console: an officer's inbox, an item with its timeline and actions (irreversible ones
confirmed first), breaches per office, and work orders assigned and completed by hand."""

import uuid

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.files.storage import default_storage
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from urja.common.errors import NotFound
from urja.org import roles
from urja.org.models import Office, User
from urja.org.permissions import capability_required, user_covers
from urja.org.selectors import offices_for_user
from urja.staff.forms.workflow import ActionForm, AssignForm, CancelForm, CompleteForm
from urja.workflow import registry, selectors, services
from urja.workflow.choices import WorkOrderStatus
from urja.workflow.services import TransitionRefused, WorkOrderRefused


def _definition(item):
    return registry.definition(item.definition_code, item.definition_version)


def _rows(items):
    rows = []
    for item in items:
        try:
            defn = _definition(item)
        except NotFound:  # a process no longer installed: still listed, by its codes
            defn = None
        rows.append({"item": item, "defn": defn, "state": defn.states.get(item.state) if defn else None})
    return rows


@capability_required(roles.VIEW_WORK)
def inbox(request):
    page = Paginator(selectors.inbox(request.user), 50).get_page(request.GET.get("page"))
    return render(request, "staff/workflow/inbox.html", {"page": page, "rows": _rows(page.object_list)})


@capability_required(roles.VIEW_WORK)
def item_detail(request, item_id: int):
    item = selectors.item_for(request.user, item_id)
    defn = _definition(item)
    actions = services.available_actions(item, request.user)
    attachments = [
        {"event": event, "index": index, "attachment": attachment}
        for event in selectors.timeline(item)
        for index, attachment in enumerate(event.attachments or [])
    ]
    return render(
        request,
        "staff/workflow/item.html",
        {
            "item": item,
            "defn": defn,
            "state": defn.states[item.state],
            "events": selectors.timeline(item),
            "actions": actions,
            "attachments": attachments,
            "missing": services.missing_documents(item) if item.is_open else [],
            "orders": item.work_orders.select_related("assigned_to").order_by("id"),
            "states": defn.states,
            "panel_url": _panel_url(item),
        },
    )


def _panel_url(item) -> str | None:
    """A process with a page of its own (the new-connection panel: applicant, charges, documents,
    the forms of its steps) is linked from the generic item page."""
    if item.definition_code == "new_connection":
        from urja.connections.models import NewConnectionApplication

        pk = NewConnectionApplication.objects.filter(item=item).values_list("pk", flat=True).first()
        if pk is not None:
            return reverse("staff:connection_detail", args=[pk])
    return None


def _store(item, upload) -> str:
    name = f"workflow/{item.reference}/{uuid.uuid4().hex}-{upload.name[-80:]}"
    return default_storage.save(name, upload)


@capability_required(roles.VIEW_WORK)
def item_act(request, item_id: int, action: str):
    """GET: the action's form; for an irreversible action it is the confirmation page, saying what
    will happen and asking for an explicit confirmation. POST: take it."""
    item = selectors.item_for(request.user, item_id)
    defn = _definition(item)
    act = defn.action(action)
    if act is None or act not in services.available_actions(item, request.user):
        raise PermissionDenied
    posted = request.method == "POST"
    form = ActionForm(request.POST if posted else None, request.FILES if posted else None, action=act)
    status = 200
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        attachments = []
        if data["document_kind"]:
            attachment = {"kind": data["document_kind"], "name": data["document_name"] or ""}
            if data["document_file"]:
                attachment["file"] = _store(item, data["document_file"])
                attachment["name"] = attachment["name"] or data["document_file"].name
            attachments.append(attachment)
        try:
            services.transition(
                item, act.code, by=request.user, reason=data["reason"], attachments=attachments
            )
        except TransitionRefused as exc:
            form.add_error(None, exc.message)
            status = 400
        else:
            title = act.title_hi if _hi(request) and act.title_hi else act.title
            messages.success(request, _("Done: %(action)s.") % {"action": title})
            return redirect("workflow:item", item_id=item.pk)
    elif request.method == "POST":
        status = 400
    context = {
        "item": item,
        "defn": defn,
        "action": act,
        "state": defn.states[item.state],
        "target": defn.states[act.to_state],
        "form": form,
        "document_kinds": defn.states[item.state].documents_required,
        "missing": services.missing_documents(item) if act.needs_documents else [],
    }
    return render(request, "staff/workflow/act.html", context, status=status)


def _hi(request) -> bool:
    return (getattr(request, "LANGUAGE_CODE", "") or "").startswith("hi")


@capability_required(roles.VIEW_WORK)
def item_document(request, item_id: int, event_id: int, index: int):
    """A document attached to an item (scoped like the item)."""
    item = selectors.item_for(request.user, item_id)
    event = item.events.filter(pk=event_id).first()
    if event is None or index >= len(event.attachments or []) or not event.attachments[index].get("file"):
        raise Http404
    path = event.attachments[index]["file"]
    if not path.startswith(f"workflow/{item.reference}/") or not default_storage.exists(path):
        raise Http404
    return FileResponse(
        default_storage.open(path, "rb"), as_attachment=True, filename=path.rsplit("/", 1)[-1][33:]
    )


@capability_required(roles.VIEW_WORK)
def breaches(request):
    offices = offices_for_user(request.user).order_by("path")
    office = None
    code = request.GET.get("office", "").strip()
    if code:
        office = offices.filter(code=code).first()
        if office is None:
            raise Http404
    items = selectors.breaches_for_office(office) if office else selectors.breaches_for(request.user)
    page = Paginator(items, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "staff/workflow/breaches.html",
        {
            "page": page,
            "rows": _rows(page.object_list),
            "office": office,
            "offices": offices[:500],
            "counts": selectors.breach_counts(request.user),
        },
    )


# --- work orders -------------------------------------------------------------------------------------


@capability_required(roles.WORK_ORDERS)
def work_orders(request):
    orders = selectors.work_orders_for(request.user)
    status = request.GET.get("status", "")
    if status in WorkOrderStatus.values:
        orders = orders.filter(status=status)
    elif request.GET.get("mine"):
        orders = selectors.assigned_work_orders(request.user)
    else:
        orders = orders.filter(status__in=[WorkOrderStatus.OPEN, WorkOrderStatus.ASSIGNED])
    page = Paginator(orders.order_by("due_at", "id"), 50).get_page(request.GET.get("page"))
    return render(
        request,
        "staff/workflow/orders.html",
        {"page": page, "status": status, "statuses": WorkOrderStatus.choices},
    )


def _candidates(order):
    """Linemen and JEs who work where the order is."""
    path = order.office.path
    prefixes = [path[: i + 1] for i, ch in enumerate(path) if ch == "/"]
    offices = Office.objects.filter(path__in=prefixes)
    return User.objects.filter(
        is_active=True, role__in=services.ASSIGNABLE_ROLES, office__in=offices
    ).order_by("username")


def _order_context(request, order, **forms):
    user = request.user
    may_assign = (
        user.can(roles.ASSIGN_WORK_ORDERS) and user_covers(user, order.office) and not order.is_closed
    )
    may_complete = not order.is_closed and (order.assigned_to_id == user.pk or may_assign)
    context = {
        "order": order,
        "may_assign": may_assign,
        "may_complete": may_complete,
        "assign_form": forms.get("assign_form")
        or (AssignForm(candidates=_candidates(order)) if may_assign else None),
        "complete_form": forms.get("complete_form") or (CompleteForm() if may_complete else None),
        "cancel_form": forms.get("cancel_form") or (CancelForm() if may_assign else None),
    }
    return context


@capability_required(roles.WORK_ORDERS)
def work_order_detail(request, order_id: int):
    order = selectors.work_order_for(request.user, order_id)
    return render(request, "staff/workflow/order.html", _order_context(request, order))


@require_POST
@capability_required(roles.ASSIGN_WORK_ORDERS)
def work_order_assign(request, order_id: int):
    order = selectors.work_order_for(request.user, order_id)
    form = AssignForm(request.POST, candidates=_candidates(order))
    if form.is_valid():
        try:
            services.work_order_assign(order, to=form.cleaned_data["to"], by=request.user)
        except WorkOrderRefused as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("Work order given to %(user)s.") % {"user": form.cleaned_data["to"]})
            return redirect("workflow:order", order_id=order.pk)
    return render(
        request, "staff/workflow/order.html", _order_context(request, order, assign_form=form), status=400
    )


@require_POST
@capability_required(roles.WORK_ORDERS)
def work_order_complete(request, order_id: int):
    order = selectors.work_order_for(request.user, order_id)
    user = request.user
    if order.assigned_to_id != user.pk and not user.can(roles.ASSIGN_WORK_ORDERS):
        raise PermissionDenied
    form = CompleteForm(request.POST)
    if form.is_valid():
        try:
            services.work_order_complete(order, by=user, key=form.cleaned_data["key"], result=form.result())
        except WorkOrderRefused as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(
                request, _("Work order %(reference)s completed.") % {"reference": order.reference}
            )
            return redirect("workflow:order", order_id=order.pk)
    return render(
        request, "staff/workflow/order.html", _order_context(request, order, complete_form=form), status=400
    )


@require_POST
@capability_required(roles.ASSIGN_WORK_ORDERS)
def work_order_cancel(request, order_id: int):
    order = selectors.work_order_for(request.user, order_id)
    form = CancelForm(request.POST)
    if form.is_valid():
        try:
            services.work_order_cancel(order, by=request.user, reason=form.cleaned_data["reason"])
        except WorkOrderRefused as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(
                request, _("Work order %(reference)s cancelled.") % {"reference": order.reference}
            )
            return redirect("workflow:order", order_id=order.pk)
    return render(
        request, "staff/workflow/order.html", _order_context(request, order, cancel_form=form), status=400
    )
