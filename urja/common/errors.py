"""Errors the domain apps raise, and how every interface answers them.

Selectors and services never raise `Http404` (an HTTP notion): a record that does not exist, or lies
outside the caller's offices, is `NotFound` — the same answer for both, so ids outside one's office
cannot be probed. The API's error handlers (urja.api.errors) answer it with a JSON 404; pages get
Django's 404 through `NotFoundMiddleware`.
"""

from django.core.handlers.exception import response_for_exception
from django.http import Http404


class NotFound(Exception):
    """No such record, or not one the caller may see."""


class NotFoundMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, NotFound):
            return response_for_exception(request, Http404(str(exception)))
        return None
