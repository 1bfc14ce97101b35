"""The supervisor's pages (JE / SDO of the office): route progress, the unbilled list, the queue of
conflicts and bill mismatches, the GPS plot, the re-check sample, route assignment and meter photos.
Every page is scoped to the user's offices."""

from __future__ import annotations

import re

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from urja.domain.masking import mask_name
from urja.org import roles
from urja.org.permissions import capability_required

from . import selectors, services
from .models import PERIOD_REGEX

supervisor_required = capability_required(roles.SUPERVISE_FIELD)


def _period(request: HttpRequest) -> str:
    period = request.GET.get("period", "")
    return period if re.match(PERIOD_REGEX, period) else selectors.current_period()


def _far_metres(request: HttpRequest) -> int:
    value = request.GET.get("far", "")
    return (
        int(value)
        if value.isascii() and value.isdigit() and 10 <= int(value) <= 100_000
        else selectors.far_metres_setting()
    )


def _context(request: HttpRequest, section: str, **extra):
    return {"period": _period(request), "section": section, **extra}


@supervisor_required
def progress(request: HttpRequest) -> HttpResponse:
    period = _period(request)
    rows = selectors.progress(request.user, period)
    return render(
        request,
        "field/supervisor/progress.html",
        _context(request, "progress", rows=rows, target=selectors.COVERAGE_TARGET),
    )


@supervisor_required
def unbilled(request: HttpRequest) -> HttpResponse:
    orders = list(selectors.unbilled(request.user, _period(request))[:500])
    for order in orders:
        order.masked_name = mask_name(order.consumer.name)
    return render(request, "field/supervisor/unbilled.html", _context(request, "unbilled", orders=orders))


@supervisor_required
def queue(request: HttpRequest) -> HttpResponse:
    show_all = request.GET.get("all") == "1"
    conflicts = selectors.conflicts_for(request.user)
    mismatches = selectors.mismatches_for(request.user)
    if not show_all:
        conflicts, mismatches = (
            conflicts.filter(resolved_at__isnull=True),
            mismatches.filter(resolved_at__isnull=True),
        )
    return render(
        request,
        "field/supervisor/queue.html",
        _context(
            request,
            "queue",
            conflicts=list(conflicts[:200]),
            mismatches=list(mismatches[:200]),
            show_all=show_all,
        ),
    )


@require_POST
@supervisor_required
def queue_resolve(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    source = selectors.conflicts_for if kind == "conflict" else selectors.mismatches_for
    item = source(request.user).filter(pk=pk).first()
    if item is None:
        raise Http404
    services.queue_resolve(item=item, by=request.user)
    messages.success(request, _("Marked as seen."))
    return redirect("field:supervisor_queue")


@supervisor_required
def gps_map(request: HttpRequest) -> HttpResponse:
    plot = selectors.gps_plot(request.user, _period(request), far_metres=_far_metres(request))
    return render(request, "field/supervisor/map.html", _context(request, "map", plot=plot))


@supervisor_required
def sample(request: HttpRequest) -> HttpResponse:
    orders = selectors.recheck_sample(request.user, _period(request))
    for order in orders:
        order.masked_name = mask_name(order.consumer.name)
    return render(request, "field/supervisor/sample.html", _context(request, "sample", orders=orders))


@supervisor_required
def routes(request: HttpRequest) -> HttpResponse:
    books = selectors.books_for(request.user)
    readers = list(selectors.readers_for(request.user))
    if request.method == "POST":
        book = (
            books.filter(pk=request.POST.get("book") or 0).first()
            if (request.POST.get("book") or "").isdigit()
            else None
        )
        reader_id = request.POST.get("reader") or ""
        reader = next((r for r in readers if str(r.pk) == reader_id), None)
        if book is None or (reader_id and reader is None):
            messages.error(request, _("Choose a route book and a meter reader of your offices."))
        else:
            try:
                services.route_book_assign(book=book, reader=reader, by=request.user)
                if request.POST.get("build"):
                    services.reading_orders_build(book=book, period=_period(request), by=request.user)
            except (ValidationError, PermissionDenied) as exc:
                messages.error(request, " ".join(getattr(exc, "messages", [str(exc)])))
            else:
                messages.success(request, _("Route book %(code)s assigned.") % {"code": book.code})
        return redirect(f"{request.path}?period={_period(request)}")
    return render(
        request,
        "field/supervisor/routes.html",
        _context(request, "routes", books=list(books.order_by("office__code", "code")), readers=readers),
    )


@supervisor_required
def photo(request: HttpRequest, photo_uuid) -> HttpResponse:
    found = selectors.photo_for(request.user, photo_uuid)
    if found is None:
        raise Http404
    response = HttpResponse(bytes(found.data), content_type="image/jpeg")
    response["Cache-Control"] = "private, max-age=3600"
    response["X-Content-Type-Options"] = "nosniff"
    return response
