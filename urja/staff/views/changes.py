"""Console pages of the connection-change processes: apply for a load change, a category change, a
name transfer or a permanent disconnection from a consumer's page, and the SDO's approval of a load,
category or name change with the date it takes effect. Items then run in the workflow console."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from urja.connections import changes
from urja.customers import selectors as consumer_selectors
from urja.org import roles
from urja.org.choices import Role
from urja.org.permissions import capability_required
from urja.staff.forms.changes import (
    ApproveForm,
    CategoryChangeForm,
    DisconnectionRequestForm,
    LoadChangeForm,
    NameTransferForm,
)
from urja.workflow import registry, selectors, services
from urja.workflow.services import TransitionRefused

#: Who takes an application at the counter or in the field.
APPLYING_ROLES = frozenset({Role.JE, Role.SDO, Role.EE, Role.SE, Role.HELPDESK})

FORMS = {
    changes.LOAD_CHANGE.code: LoadChangeForm,
    changes.CATEGORY_CHANGE.code: CategoryChangeForm,
    changes.NAME_TRANSFER.code: NameTransferForm,
    changes.PERMANENT_DISCONNECTION.code: DisconnectionRequestForm,
}
APPROVED_WITH_DATE = {changes.LOAD_CHANGE.code, changes.CATEGORY_CHANGE.code, changes.NAME_TRANSFER.code}


def applications_for(user, consumer) -> list[tuple[str, str]]:
    """The applications `user` may open for `consumer` from its page: (process code, title), in the
    language of the page; none once the connection is permanently disconnected."""
    from django.utils.translation import get_language

    if consumer.status == "pd" or not (user.is_superuser or user.role in APPLYING_ROLES):
        return []
    hindi = (get_language() or "").startswith("hi")
    return [
        (code, (defn.title_hi if hindi and defn.title_hi else defn.title))
        for code in FORMS
        for defn in [registry.definition(code)]
    ]


def _start(process: str, consumer, user, data: dict):
    reason = data.get("reason", "")
    if process == changes.LOAD_CHANGE.code:
        return changes.apply_for(
            consumer,
            by=user,
            sanctioned_load=data["sanctioned_load"],
            load_unit=data["load_unit"],
            reason=reason,
        )
    if process == changes.CATEGORY_CHANGE.code:
        return changes.apply_for(consumer, by=user, category=data["category"], reason=reason)
    if process == changes.NAME_TRANSFER.code:
        return changes.apply_for_transfer(
            consumer,
            by=user,
            new_name=data["new_name"],
            kyc_document=data["kyc_document"],
            kyc_number=data["kyc_number"],
            reason=reason,
        )
    return changes.apply_for_permanent_disconnection(consumer, by=user, reason=reason)


@capability_required(roles.VIEW_WORK)
def apply(request, account_number: str, process: str):
    """GET: the application form of `process` for the consumer; POST: open the item."""
    consumer = consumer_selectors.consumer_get(principal=request.user, account_number=account_number)
    form_class = FORMS.get(process)
    if form_class is None:
        raise Http404
    if not request.user.is_superuser and request.user.role not in APPLYING_ROLES:
        raise PermissionDenied
    defn = registry.definition(process)
    form = form_class(request.POST if request.method == "POST" else None)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                item = _start(process, consumer, request.user, form.cleaned_data)
            except (TransitionRefused, ValidationError) as exc:
                form.add_error(None, " ".join(getattr(exc, "messages", [str(exc)])))
            else:
                messages.success(
                    request, _("Application %(reference)s opened.") % {"reference": item.reference}
                )
                return redirect("workflow:item", item_id=item.pk)
    return render(
        request, "staff/changes/apply.html", {"consumer": consumer, "defn": defn, "form": form}, status=status
    )


@capability_required(roles.VIEW_WORK)
def approve(request, item_id: int):
    """The SDO's approval of a change with the date it takes effect (the generic console's approval
    takes effect on the day of approval)."""
    item = selectors.item_for(request.user, item_id)
    if item.definition_code not in APPROVED_WITH_DATE:
        raise Http404
    defn = registry.definition(item.definition_code, item.definition_version)
    act = defn.action("approve")
    if act is None or act not in services.available_actions(item, request.user):
        raise PermissionDenied
    form = ApproveForm(request.POST if request.method == "POST" else None)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                changes.approve(
                    item, by=request.user, effective_from=form.cleaned_data["effective_from"],
                    reason=form.cleaned_data["reason"],
                )  # fmt: skip
            except (TransitionRefused, ValidationError) as exc:
                form.add_error(None, " ".join(getattr(exc, "messages", [str(exc)])))
            else:
                messages.success(request, _("Approved: %(reference)s.") % {"reference": item.reference})
                return redirect("workflow:item", item_id=item.pk)
    return render(
        request,
        "staff/changes/approve.html",
        {"item": item, "defn": defn, "action": act, "form": form},
        status=status,
    )
