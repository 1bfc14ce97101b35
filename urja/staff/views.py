from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from urja.customers import selectors as consumer_selectors
from urja.network import selectors as network_selectors

from .forms import ConsumerSearchForm, StaffLoginForm


class LoginView(auth_views.LoginView):
    template_name = "staff/login.html"
    authentication_form = StaffLoginForm
    redirect_authenticated_user = True


@login_required
def home(request):
    form = ConsumerSearchForm(request.GET or None)
    results = None
    if form.is_valid():
        results = list(
            consumer_selectors.consumer_search(principal=request.user, query=form.cleaned_data["q"])
        )
    return render(request, "staff/home.html", {"form": form, "results": results})


@login_required
def consumer_detail(request, account_number: str):
    consumer = consumer_selectors.consumer_get(principal=request.user, account_number=account_number)
    history = consumer.changes.select_related("changed_by")[:50]
    meter = consumer_selectors.current_meter(consumer)
    return render(
        request, "staff/consumer_detail.html", {"consumer": consumer, "history": history, "meter": meter}
    )


@login_required
def unindexed_report(request):
    summary = network_selectors.unindexed_summary(principal=request.user)
    total = sum(row["count"] for row in summary)
    return render(request, "staff/unindexed.html", {"summary": summary, "total": total})


@login_required
def tariff_quote(request):
    from urja.tariffs.services import tariff_quote as quote_service

    from .forms import QuoteForm

    form = QuoteForm(request.GET or None)
    result = None
    if form.is_valid():
        data = form.cleaned_data
        try:
            result = quote_service(
                tariff=data["tariff"],
                load=data["load"],
                units=data["units"] or None,
                kvah=data["kvah"] or None,
                period_from=data["period_from"],
                period_to=data["period_to"],
                fppas=data["fppas"] or None,
                prepaid=data["prepaid"],
            )
        except ValueError as exc:
            form.add_error(None, str(exc))
    return render(request, "staff/quote.html", {"form": form, "result": result})
