"""The console's consumer pages: search, the consumer page (bills, statement, ageing, readings and a
consumption chart), the statement, editing particulars (every change goes to the history) and the
unindexed-consumers report."""

import datetime
from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils import dateformat
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from urja.billing import selectors as billing_selectors
from urja.billing.selectors import last_twelve_months
from urja.common import clock
from urja.customers import selectors as consumer_selectors
from urja.customers.models import ConsumerChange
from urja.customers.selectors import consumer_get
from urja.customers.services import consumer_update
from urja.ledger import selectors as ledger_selectors
from urja.metering.selectors import monthly_history, readings_for_consumer
from urja.network.selectors import transformers_for
from urja.org import roles
from urja.org.permissions import capability_required
from urja.payments.statement_pdf import render_statement_pdf
from urja.staff.forms.consumers import ConsumerEditForm, ConsumerSearchForm, StatementForm
from urja.staff.views import arrears
from urja.staff.views import changes as change_views

EDITABLE = [
    "mobile",
    "email",
    "language",
    "address",
    "village_town",
    "pincode",
    "dt",
    "latitude",
    "longitude",
]


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


@login_required
def home(request):
    form = ConsumerSearchForm(request.GET or None)
    found = None
    if form.is_valid():
        found = consumer_selectors.consumer_find(principal=request.user, query=form.cleaned_data["q"])
        if found.exact_account and found.consumers:
            # An exact account number opens the consumer (only one the user's office may see).
            return redirect("staff:consumer_detail", account_number=found.consumers[0].account_number)
    return render(
        request,
        "staff/home.html",
        {
            "form": form,
            "results": found.consumers if found else None,
            "found": found,
            "search_limit": consumer_selectors.SEARCH_LIMIT,
        },
    )


@login_required
def consumer_detail(request, account_number: str):
    consumer = consumer_selectors.consumer_get(principal=request.user, account_number=account_number)
    history = consumer.changes.select_related("changed_by")[:50]
    meter = consumer_selectors.current_meter(consumer)
    today = clock.today()
    date_from, date_to = billing_selectors.last_twelve_months(today)
    ageing = ledger_selectors.ageing(consumer.id, today)
    return render(
        request,
        "staff/consumer_detail.html",
        {
            "consumer": consumer,
            "history": history,
            "meter": meter,
            "bills": billing_selectors.consumer_bills(consumer, limit=12),
            "statement": ledger_selectors.statement(consumer.id, date_from, date_to),
            "ageing": ageing,
            "ageing_rows": [(AGEING_LABELS[name], amount) for name, amount in ageing.buckets.items()],
            "readings": list(readings_for_consumer(consumer)[:6]),
            "chart": consumption_chart(monthly_history([consumer.id], months=12, until=today)[consumer.id]),
            **arrears.consumer_context(request.user, consumer, today),
            "applications": change_views.applications_for(request.user, consumer),
        },
    )


AGEING_LABELS = {
    "0-30": gettext_lazy("0–30 days"),
    "31-90": gettext_lazy("31–90 days"),
    "91-180": gettext_lazy("91–180 days"),
    "181-365": gettext_lazy("181–365 days"),
    ">365": gettext_lazy("Over 365 days"),
}


CHART_WIDTH, CHART_HEIGHT, CHART_TOP, CHART_BOTTOM = 360, 170, 16, 148


def consumption_chart(months: list[tuple[int, int, Decimal | None]]) -> dict:
    """Geometry of a bar chart of units per month, drawn as inline SVG by the template: no script and
    no chart library, so it shows on a slow phone and offline. A month without a reading has no bar."""
    peak = max((units for _, _, units in months if units is not None), default=Decimal(0))
    slot = Decimal(CHART_WIDTH) / max(len(months), 1)
    plot_height = CHART_BOTTOM - CHART_TOP
    bars = []
    for index, (year, month, units) in enumerate(months):
        height = int(plot_height * units / peak) if units and peak else 0
        x = slot * index
        bars.append(
            {
                "x": round(x + slot * Decimal("0.15"), 1),
                "width": round(slot * Decimal("0.7"), 1),
                "y": CHART_BOTTOM - height,
                "height": height,
                "centre": round(x + slot / 2, 1),
                "label": dateformat.format(datetime.date(year, month, 1), "M"),
                "title": dateformat.format(datetime.date(year, month, 1), "M Y"),
                "units": units,
                "value_y": CHART_BOTTOM - height - 3,
            }
        )
    return {
        "bars": bars,
        "width": CHART_WIDTH,
        "height": CHART_HEIGHT,
        "baseline": CHART_BOTTOM,
        "label_y": CHART_BOTTOM + 15,
        "empty": peak == 0,
    }


@login_required
def unindexed_report(request):
    summary = consumer_selectors.unindexed_summary(principal=request.user)
    total = sum(row["count"] for row in summary)
    consumers = consumer_selectors.unindexed_consumers(principal=request.user).order_by(
        "office__code", "account_number"
    )[:50]
    return render(
        request,
        "staff/unindexed.html",
        {
            "summary": summary,
            "total": total,
            "consumers": consumers,
            "can_edit": request.user.can(roles.EDIT_CONSUMERS),
        },
    )


# --- statement -------------------------------------------------------------------------------------------


@login_required
def consumer_statement(request, account_number: str):
    """The ledger statement between ?from= and ?to= (default: the last twelve months); ?format=json
    gives the same as JSON with amounts as strings."""
    consumer = consumer_selectors.consumer_get(principal=request.user, account_number=account_number)
    as_json = request.GET.get("format") == "json"
    form = StatementForm({"date_from": request.GET.get("from", ""), "date_to": request.GET.get("to", "")})
    if not form.is_valid():
        if as_json:
            errors = [
                {"field": {"date_from": "from", "date_to": "to"}.get(field, field), "message": " ".join(msgs)}
                for field, msgs in form.errors.items()
            ]
            return JsonResponse(
                {"code": "invalid_input", "message": _("The request has invalid values."), "errors": errors},
                status=422,
            )
        context = {"consumer": consumer, "form": form, "statement": None}
        return render(request, "staff/statement.html", context, status=400)
    date_to = form.cleaned_data["date_to"] or clock.today()
    date_from = form.cleaned_data["date_from"] or billing_selectors.last_twelve_months(date_to)[0]
    if date_from > date_to:
        date_from = date_to
    statement = ledger_selectors.statement(consumer.id, date_from, date_to)
    if as_json:
        return JsonResponse(
            {"account_number": consumer.account_number, **billing_selectors.statement_as_dict(statement)}
        )
    return render(
        request,
        "staff/statement.html",
        {
            "consumer": consumer,
            "form": form,
            "statement": statement,
            "date_from": date_from,
            "date_to": date_to,
        },
    )


# ---------------------------------------------------------------------------------- statement PDF


@capability_required(roles.VIEW_CONSUMERS)
def statement_pdf(request, account_number: str):
    """The statement of account ?from= … ?to= (default: the last twelve months) as a PDF."""
    consumer = consumer_get(principal=request.user, account_number=account_number)
    form = StatementForm({"date_from": request.GET.get("from", ""), "date_to": request.GET.get("to", "")})
    if not form.is_valid():
        context = {"consumer": consumer, "form": form, "statement": None}
        return render(request, "staff/statement.html", context, status=400)
    date_to = form.cleaned_data["date_to"] or clock.today()
    date_from = form.cleaned_data["date_from"] or last_twelve_months(date_to)[0]
    date_from = min(date_from, date_to)
    response = HttpResponse(
        render_statement_pdf(consumer, date_from, date_to), content_type="application/pdf"
    )
    name = f"statement-{consumer.account_number}-{date_from:%Y%m%d}-{date_to:%Y%m%d}.pdf"
    response["Content-Disposition"] = f'inline; filename="{name}"'
    return response
