"""The field app's shell: one page that works offline (its text comes from static/field/i18n.js), the
web app manifest, the service worker that keeps the shell on the phone, and signing in.

The shell is the same for every user (who is signed in and what they must do comes from the book the
app downloads), so the service worker may serve it from its cache when there is no network."""

import hashlib
import json
from functools import lru_cache

from django import forms
from django.conf import settings
from django.contrib.auth import logout
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import AuthenticationForm
from django.contrib.staticfiles import finders
from django.http import HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.templatetags.static import static
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import ensure_csrf_cookie
from django.views.decorators.http import require_POST

from urja.org.auth import lockout_message
from urja.org.choices import Role

from .selectors import may_download

# A session lasts the working day, so that a reader who signed in at the office in the morning can
# still sync from the field in the evening.
FIELD_SESSION_SECONDS = 14 * 3600
#: The roles whose field sign-in lasts the working day.
FIELD_DAY_ROLES = frozenset({Role.METER_READER, Role.LINEMAN})

# The files the service worker keeps for offline use (paths under STATIC_URL). engine.js and
# print.js are listed only where they exist (they are built beside this app).
SHELL_STATIC = [
    "field/field.css",
    "field/app.js",
    "field/i18n.js",
    "field/store.js",
    "field/sync.js",
    "field/logic.js",
    "field/register-sw.js",
    "field/engine.js",
    "field/print.js",
    "field/vendor/idb.js",
    "field/vendor/receipt-printer-encoder.esm.js",
    "field/icon.svg",
    "fonts/NotoSansDevanagari-Regular.woff2",
    "fonts/NotoSansDevanagari-Bold.woff2",
]


def may_use_field_app(user) -> bool:
    """Readers and linemen, and the officers who supervise field work: the same people the book API
    serves."""
    return bool(user.is_authenticated and user.is_active and may_download(user))


def _shell_files() -> tuple[tuple[str, ...], str]:
    """The static URLs to cache and a version that changes whenever one of the files does (a new
    service worker then replaces the old cache). Worked out once per process, except in DEBUG, where
    an edited script must reach the phone without a restart."""
    return _shell_files_now() if settings.DEBUG else _shell_files_cached()


@lru_cache(maxsize=1)
def _shell_files_cached() -> tuple[tuple[str, ...], str]:
    return _shell_files_now()


def _shell_files_now() -> tuple[tuple[str, ...], str]:
    urls, digest = [], hashlib.sha256()
    for name in SHELL_STATIC:
        found = finders.find(name)
        if not found:
            continue
        with open(found, "rb") as f:
            digest.update(f.read())
        urls.append(static(name))
    return tuple(urls), digest.hexdigest()[:16]


class FieldLoginForm(AuthenticationForm):
    error_messages = {
        **AuthenticationForm.error_messages,
        "not_field_staff": gettext_lazy(
            "This app is for meter readers, linemen and their supervisors. Use the staff console."
        ),
    }

    def clean(self):
        try:
            return super().clean()
        except forms.ValidationError:
            if getattr(self.request, "urja_login_locked", False):
                raise forms.ValidationError(lockout_message(self.request), code="locked")
            raise

    def confirm_login_allowed(self, user):
        super().confirm_login_allowed(user)
        if not may_download(user):
            raise forms.ValidationError(self.error_messages["not_field_staff"], code="not_field_staff")


class FieldLoginView(auth_views.LoginView):
    template_name = "field/app/login.html"
    authentication_form = FieldLoginForm

    def get_default_redirect_url(self):
        return reverse("field:app")

    def get(self, request, *args, **kwargs):
        if may_use_field_app(request.user):
            return redirect("field:app")
        return super().get(request, *args, **kwargs)

    def form_valid(self, form):
        response = super().form_valid(form)
        if self.request.user.role in FIELD_DAY_ROLES:
            # a reader's or lineman's working day; a supervisor's session also opens the staff
            # console, so it keeps the console's length (SESSION_COOKIE_AGE)
            self.request.session.set_expiry(FIELD_SESSION_SECONDS)
        return response


@require_POST
def field_logout(request):
    logout(request)
    return redirect("field:login")


@never_cache
@ensure_csrf_cookie
def shell(request):
    if not may_use_field_app(request.user):
        return redirect(f"{reverse('field:login')}?next={reverse('field:app')}")
    return render(request, "field/app/shell.html", {"language": request.LANGUAGE_CODE})


def manifest(request):
    data = {
        "name": _("Urja field app"),
        "short_name": _("Urja field"),
        "start_url": reverse("field:app"),
        "scope": reverse("field:app"),
        "display": "standalone",
        "background_color": "#f5f7fa",
        "theme_color": "#0b5d8f",
        "lang": request.LANGUAGE_CODE,
        "icons": [{"src": static("field/icon.svg"), "sizes": "any", "type": "image/svg+xml"}],
    }
    return HttpResponse(
        json.dumps(data, ensure_ascii=False), content_type="application/manifest+json; charset=utf-8"
    )


@never_cache
def service_worker(request):
    urls, version = _shell_files()
    context = {
        "version": version,
        "shell_url": reverse("field:app"),
        "precache": json.dumps([reverse("field:app"), reverse("field:manifest"), *urls]),
        "api_prefix": reverse("field:app") + "api/",
        "static_url": settings.STATIC_URL,
    }
    response = render(request, "field/app/sw.js", context, content_type="text/javascript; charset=utf-8")
    response["Service-Worker-Allowed"] = reverse("field:app")
    return response


def session_state(request):
    """Whether this browser is still signed in (the app asks before a sync, to send the reader to the
    sign-in page instead of failing every item)."""
    user = request.user
    return JsonResponse(
        {
            "signed_in": may_use_field_app(user),
            "username": user.get_username() if user.is_authenticated else None,
        }
    )
