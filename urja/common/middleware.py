import json

from django.conf import settings
from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent
from django.http import Http404, JsonResponse
from django.http.multipartparser import MultiPartParserError
from django.shortcuts import render
from django.utils.translation import gettext as _


class SecurityHeadersMiddleware:
    """Adds the Content-Security-Policy and Permissions-Policy headers Django does not set itself."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if not request.path.startswith("/admin/") and not request.path.startswith("/api/v1/docs"):
            response.headers.setdefault("Content-Security-Policy", settings.CONTENT_SECURITY_POLICY)
        response.headers.setdefault("Permissions-Policy", "camera=(self), geolocation=(self), microphone=()")
        return response


class RequestInputMiddleware:
    """Refuses, before any view runs, a request that no page or endpoint can take, with a clear 4xx
    instead of a 500 from deep inside:

    * a NUL character (``\\0``) in the query string, a form field, a JSON body, a cookie or a header
      (in the path it is a 404: no address has one). PostgreSQL cannot store NUL in text and fails the
      whole query (SQLite stores it, and it then breaks PDFs and exports). Nothing in Urja takes a NUL,
      so one check here covers the console, the admin and every API endpoint (the token endpoint
      included), instead of a check in every form, schema and selector — and a new endpoint is covered
      without thinking of it.
    * a body over ``DATA_UPLOAD_MAX_MEMORY_SIZE``, with more fields than
      ``DATA_UPLOAD_MAX_NUMBER_FIELDS`` or files than ``DATA_UPLOAD_MAX_NUMBER_FILES``, or a multipart
      upload over ``URJA["UPLOAD_MAX_BYTES"]``. Django raises these when a view first reads the body:
      inside an API endpoint that was a 500.

    The API (``/api/``) answers in its JSON error format (422 ``invalid_input`` naming the field, 413
    ``request_too_large``); other pages get a short page in the user's language. It sits after
    LocaleMiddleware (for the language) and before anything that reads the session or the body.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if NUL in request.path_info:
            # No page or record has a NUL in its address: not found, as for any unknown address.
            if _is_api(request):
                return JsonResponse({"code": "not_found", "message": str(_("Not found."))}, status=404)
            raise Http404
        try:
            where = _nul_in_request(request)
        except RequestRefused as refused:
            return refused.response(request)
        if where is not None:
            return _refuse_nul(request, where)
        return self.get_response(request)


class RequestRefused(Exception):
    def __init__(self, status: int, code: str, message: str):
        super().__init__(message)
        self.status, self.code, self.message = status, code, message

    def response(self, request):
        if _is_api(request):
            return JsonResponse({"code": self.code, "message": str(self.message)}, status=self.status)
        return render(request, "request_refused.html", {"message": self.message}, status=self.status)


NUL = "\x00"


def _is_api(request) -> bool:
    return request.path_info.startswith("/api/")


def _shown(name: str) -> str:
    return name.replace(NUL, "\\0")


def _nul_in_request(request) -> str | None:
    """Where the request holds a NUL: the parameter, field, JSON path, cookie or header ("" for a raw
    NUL byte in the body). Raises RequestRefused for a body over the limits."""
    for name, values in request.GET.lists():
        if NUL in name or any(NUL in value for value in values):
            return _shown(name)
    for name, value in request.COOKIES.items():
        if NUL in name or NUL in value:
            return _shown(name)
    for name, value in request.META.items():
        if name.startswith("HTTP_") and isinstance(value, str) and NUL in value:
            return name[5:].replace("_", "-").title()
    if request.method not in ("POST", "PUT", "PATCH", "DELETE"):
        return None
    if request.content_type in BINARY_BODIES:
        return None  # an image is bytes, NULs included: the endpoint checks what it accepts
    return _nul_in_body(request)


#: Request bodies that are binary files, not text (the field app's meter photos).
BINARY_BODIES = frozenset({"image/jpeg"})


def _nul_in_body(request) -> str | None:
    try:
        if request.content_type == "multipart/form-data":
            if int(request.META.get("CONTENT_LENGTH") or 0) > _upload_max():
                raise RequestRefused(
                    413,
                    "request_too_large",
                    _("The upload is larger than %(size)s MB; split it into smaller files.")
                    % {"size": _megabytes(_upload_max())},
                )
            for name, values in request.POST.lists():
                if NUL in name or any(NUL in value for value in values):
                    return _shown(name)
            # (Django drops unprintable characters from uploaded files' names itself.)
            return None
        body = request.body
        if request.content_type == "application/x-www-form-urlencoded":
            for name, values in request.POST.lists():
                if NUL in name or any(NUL in value for value in values):
                    return _shown(name)
    except RequestDataTooBig:
        raise RequestRefused(
            413,
            "request_too_large",
            _("The request is larger than %(size)s MB.")
            % {"size": _megabytes(settings.DATA_UPLOAD_MAX_MEMORY_SIZE)},
        )
    except TooManyFieldsSent:
        raise RequestRefused(
            400,
            "too_many_fields",
            _("The request has more than %(count)s fields.")
            % {"count": settings.DATA_UPLOAD_MAX_NUMBER_FIELDS},
        )
    except TooManyFilesSent:
        raise RequestRefused(
            400,
            "too_many_files",
            _("The request has more than %(count)s files.")
            % {"count": settings.DATA_UPLOAD_MAX_NUMBER_FILES},
        )
    except MultiPartParserError:
        raise RequestRefused(400, "bad_upload", _("The upload could not be read; send it again."))
    if b"\x00" in body:
        return ""
    if b"\\u0000" in body:  # JSON's escape for NUL; confirmed by parsing, as "\\\\u0000" is not a NUL
        try:
            return _nul_in_json(json.loads(body))
        except (ValueError, RecursionError):
            return None  # not JSON, or nested too deep to read: the endpoint reports that
    return None


def _nul_in_json(document) -> str | None:
    """The dotted path ("extra.0.note") of the first string or key holding a NUL; walked with a stack,
    not recursion, so a deeply nested document cannot exhaust it."""
    stack = [("", document)]
    while stack:
        path, value = stack.pop()
        if isinstance(value, str):
            if NUL in value:
                return _shown(path)[:200]
            continue
        if isinstance(value, dict):
            items = list(value.items())
        elif isinstance(value, list):
            items = list(enumerate(value))
        else:
            continue
        for key, item in reversed(items):
            where = f"{path}.{key}" if path else str(key)
            if NUL in str(key):
                return _shown(where)[:200]
            stack.append((where, item))
    return None


def _refuse_nul(request, where: str):
    message = _("Remove the NUL character (\\0): it cannot be stored.")
    if _is_api(request):
        return JsonResponse(
            {
                "code": "invalid_input",
                "message": str(_("The request has invalid values.")),
                "errors": [{"field": where, "message": str(message)}],
            },
            status=422,
        )
    return render(request, "request_refused.html", {"message": message, "where": where}, status=400)


def _upload_max() -> int:
    return int(settings.URJA.get("UPLOAD_MAX_BYTES", 50 * 1024 * 1024))


def _megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):g}"
