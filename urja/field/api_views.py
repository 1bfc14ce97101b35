"""The field app's JSON API (session auth): the reader's book, the sync of a device's outbox, and meter
photos. Shapes: FIELD_CONTRACT.md; rules: docs/field-sync.md."""

from __future__ import annotations

import json
import uuid as uuidlib

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import ensure_csrf_cookie
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from . import selectors, services

#: A sync body larger than this is refused before it is parsed (50 items with their device bills).
MAX_BODY = 2 * 1024 * 1024


def _error(status: int, message: str) -> JsonResponse:
    return JsonResponse({"error": message}, status=status)


def _gate(request: HttpRequest, *, capability: str | None = None) -> JsonResponse | None:
    user = request.user
    if not user.is_authenticated:
        return _error(401, _("Sign in first."))
    if not selectors.may_download(user) or (capability and not user.can(capability)):
        return _error(403, _("The field app is for meter readers, linemen and their supervisors."))
    return None


@never_cache
@ensure_csrf_cookie  # the device sends it back as X-CSRFToken with each sync
@require_GET
def book(request: HttpRequest) -> JsonResponse:
    refused = _gate(request)
    if refused:
        return refused
    data = selectors.book_for(request.user)
    services.downloads_record(user=request.user, orders=data.pop("_orders"))
    return JsonResponse(data)


@never_cache
@require_POST
def sync(request: HttpRequest) -> JsonResponse:
    refused = _gate(request)
    if refused:
        return refused
    if len(request.body) > MAX_BODY:
        return _error(413, _("The batch is too large."))
    try:
        body = json.loads(request.body or b"null")
    except (ValueError, UnicodeDecodeError):
        return _error(400, _("The body is not JSON."))
    if not isinstance(body, dict) or not isinstance(body.get("items"), list):
        return _error(400, _("The body needs a list of items."))
    if len(body["items"]) > services.MAX_ITEMS:
        return _error(400, _("A batch holds at most %(n)d items.") % {"n": services.MAX_ITEMS})
    try:
        results = services.sync_batch(
            user=request.user, device_id=str(body.get("device_id") or ""), items=body["items"]
        )
    except ValidationError as exc:
        return _error(400, " ".join(exc.messages))
    return JsonResponse({"results": results})


@never_cache
@require_http_methods(["PUT", "HEAD"])
def photo(request: HttpRequest, photo_uuid: uuidlib.UUID) -> HttpResponse:
    refused = _gate(request)
    if refused:
        return refused
    if request.method == "HEAD":
        found = services.Photo.objects.filter(uuid=photo_uuid, user=request.user).exists()
        return HttpResponse(status=200 if found else 404)
    length = int(request.headers.get("Content-Length") or 0)
    if length > services.PHOTO_MAX_BYTES:
        return _error(413, _("A photo may be at most 500 KB."))
    data = request.body
    if len(data) > services.PHOTO_MAX_BYTES:
        return _error(413, _("A photo may be at most 500 KB."))
    try:
        saved, created = services.photo_put(user=request.user, photo_uuid=photo_uuid, data=data)
    except services.FieldRefused as exc:
        return _error(415, str(exc))
    except PermissionDenied as exc:
        return _error(403, str(exc))
    return JsonResponse(
        {"id": str(saved.uuid), "size": saved.size, "created": created}, status=201 if created else 200
    )
