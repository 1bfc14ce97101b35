"""Every API error is JSON: {"code": ..., "message": ...}. No bad input reaches a 500."""

import logging

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError

from urja.common.errors import NotFound

logger = logging.getLogger(__name__)


class ApiError(Exception):
    def __init__(self, status: int, code: str, message: str, headers: dict[str, str] | None = None, **extra):
        super().__init__(message)
        self.status, self.code, self.message, self.extra = status, code, message, extra
        self.headers = headers or {}


def install(api) -> None:
    def respond(request, status, code, message, **extra):
        return api.create_response(request, {"code": code, "message": str(message), **extra}, status=status)

    @api.exception_handler(ApiError)
    def _api_error(request, exc):
        response = respond(request, exc.status, exc.code, exc.message, **exc.extra)
        for name, value in exc.headers.items():
            response[name] = value
        return response

    @api.exception_handler(NinjaValidationError)
    def _validation(request, exc):
        errors = [
            {
                "field": ".".join(
                    str(p) for p in e.get("loc", []) if p not in {"body", "query", "path", "payload"}
                ),
                "message": e.get("msg", ""),
            }
            for e in exc.errors
        ]
        return respond(request, 422, "invalid_input", "The request has invalid values.", errors=errors)

    @api.exception_handler(DjangoValidationError)
    def _django_validation(request, exc):
        errors = [
            {"field": field, "message": " ".join(str(m) for m in messages)}
            for field, messages in getattr(exc, "message_dict", {"": exc.messages}).items()
        ]
        return respond(request, 422, "invalid_input", "The request has invalid values.", errors=errors)

    @api.exception_handler(AuthenticationError)
    def _auth(request, exc):
        return respond(
            request, 401, "unauthorized", "Authentication required: send a valid token or API key."
        )

    @api.exception_handler(PermissionDenied)
    def _denied(request, exc):
        return respond(request, 403, "forbidden", str(exc) or "You may not do this.")

    @api.exception_handler(Http404)
    def _not_found(request, exc):
        return respond(request, 404, "not_found", str(exc) or "Not found.")

    @api.exception_handler(NotFound)
    def _domain_not_found(request, exc):
        return respond(request, 404, "not_found", str(exc) or "Not found.")

    @api.exception_handler(HttpError)
    def _http(request, exc):
        return respond(request, exc.status_code, getattr(exc, "code", "error"), exc.message)

    @api.exception_handler(Exception)
    def _unexpected(request, exc):
        logger.exception("unhandled API error on %s", request.path)
        return respond(request, 500, "server_error", "Something went wrong on our side; it has been logged.")
