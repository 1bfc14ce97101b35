"""Editing a consumer's particulars from the console (every change goes to the consumer's history)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from urja.customers import selectors as consumer_selectors
from urja.customers.models import ConsumerChange
from urja.customers.services import consumer_update
from urja.network.selectors import transformers_for
from urja.org import roles
from urja.staff.forms.billing import ConsumerEditForm

EDITABLE = ["mobile", "email", "address", "village_town", "pincode", "dt", "latitude", "longitude"]


@login_required
def consumer_edit(request, account_number: str):
    consumer = consumer_selectors.consumer_get(principal=request.user, account_number=account_number)
    if not request.user.can(roles.EDIT_CONSUMERS):
        raise PermissionDenied
    # Only transformers of the consumer's own sub-division can be chosen (and only those the user sees).
    sub_division_path = "/".join(consumer.office.path.split("/")[:-2]) + "/"
    transformers = transformers_for(request.user).filter(office__path__startswith=sub_division_path)
    initial = {name: getattr(consumer, name) for name in EDITABLE}
    form = ConsumerEditForm(request.POST or None, initial=initial, transformers=transformers)
    if request.method == "POST" and form.is_valid():
        changes = {name: form.cleaned_data[name] for name in EDITABLE if name in form.changed_data}
        try:
            rows = consumer_update(
                consumer=consumer,
                by=request.user,
                reason=form.cleaned_data["reason"],
                source=ConsumerChange.Source.CONSOLE,
                **changes,
            )
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            if rows:
                messages.success(
                    request, _("Saved: %(n)s change(s) recorded in the history.") % {"n": len(rows)}
                )
            else:
                messages.info(request, _("Nothing changed."))
            return redirect("staff:consumer_detail", account_number=consumer.account_number)
    return render(
        request,
        "staff/consumer_edit.html",
        {"consumer": consumer, "form": form},
        status=400 if form.errors else 200,
    )
