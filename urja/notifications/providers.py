"""Who carries a message: chosen in settings (`URJA_NOTIFICATIONS["SMS_PROVIDER"]`, `["EMAIL_PROVIDER"]`).

A provider's `send` either returns the provider's reference (it accepted the message), raises `NotSent`
(it certainly did not get it: safe to try again when `retry` is set), or raises `MaybeSent` (the request
may have reached it: never re-sent before `lookup` says it did not). `lookup(client_ref)` answers True
(it has the message), False (it never had it) or None (it cannot tell). See docs/decisions/0032."""

from __future__ import annotations

import base64
import json
import logging
import smtplib
import socket
import urllib.error
import urllib.parse
import urllib.request
from typing import Protocol

from django.conf import settings
from django.core.mail import EmailMessage
from django.utils.module_loading import import_string

from urja.domain.mobile import mask

from .models import OutboundMessage

log = logging.getLogger("urja.notifications")


class NotSent(Exception):
    def __init__(self, reason: str, *, retry: bool):
        super().__init__(reason)
        self.retry = retry


class MaybeSent(Exception):
    """The provider may have the message (a timeout after the request went out, an unreadable answer)."""


class Provider(Protocol):
    name: str

    def send(self, message: OutboundMessage) -> str: ...

    def lookup(self, client_ref: str) -> bool | None: ...


def config() -> dict:
    return settings.URJA_NOTIFICATIONS


class ConsoleProvider:
    """The demo's: writes the message to the log (number masked). Keeps no record it could be asked about."""

    name = "console"

    def send(self, message: OutboundMessage) -> str:
        log.info(
            "SMS %s to %s [%s %s]: %s",
            message.client_ref,
            mask(message.to),
            message.sender,
            message.dlt_template_id or "-",
            message.body,
        )
        return message.client_ref

    def lookup(self, client_ref: str) -> bool | None:
        return None


def email_subject(message: OutboundMessage) -> str:
    """The event's name in the message's language."""
    from django.utils import translation
    from django.utils.translation import gettext

    from .choices import Event

    with translation.override(message.language if message.language in ("hi", "en") else "hi"):
        name = gettext("Urja")
        if message.template in Event.values:
            return f"{name}: {Event(message.template).label}"
        return name


class EmailProvider:
    """E-mail through Django's mail backend (SMTP in production, the console in development, locmem in
    tests). The subject is the event's name in the reader's language; a named attachment (a bill's
    PDF) is made here, when the message is sent."""

    name = "email"

    def send(self, message: OutboundMessage) -> str:
        from .attachments import AttachmentGone, attachment_make

        email = EmailMessage(
            subject=email_subject(message),
            body=message.body,
            to=[message.to],
            headers={"X-Urja-Message": message.client_ref},
        )
        if message.attachment:
            try:
                made = attachment_make(message.attachment)
            except AttachmentGone as exc:
                raise NotSent(f"attachment {message.attachment}: {exc}", retry=False)
            except Exception as exc:  # not sent at all: safe to try again later
                log.exception("attachment %s of %s could not be made", message.attachment, message.client_ref)
                raise NotSent(f"attachment {message.attachment} could not be made: {exc}", retry=True)
            email.attach(made.filename, made.content, made.mimetype)
        try:
            email.send(fail_silently=False)
        except (smtplib.SMTPRecipientsRefused, smtplib.SMTPSenderRefused) as exc:
            raise NotSent(f"refused by the mail server: {exc}", retry=False)
        except (smtplib.SMTPConnectError, ConnectionRefusedError, socket.gaierror) as exc:
            raise NotSent(f"mail server unreachable: {exc}", retry=True)
        except Exception as exc:  # the server may have queued it before failing
            raise MaybeSent(f"mail server failed mid-way: {exc}")
        return message.client_ref

    def lookup(self, client_ref: str) -> bool | None:
        return None


class HttpGatewayProvider:
    """A generic HTTP SMS gateway. `URJA_NOTIFICATIONS["HTTP"]` names the URL, the parameter each field
    goes in, fixed extra parameters, the auth header or basic credentials, and optionally a status URL
    that answers 200 (known) or 404 (never seen) for a client reference."""

    name = "http"

    def __init__(self, options: dict | None = None):
        self.options = {**HTTP_DEFAULTS, **(options if options is not None else config().get("HTTP", {}))}

    def _headers(self) -> dict[str, str]:
        o = self.options
        headers = {"Accept": "application/json"}
        if o["AUTH_HEADER"] and o["AUTH_VALUE"]:
            headers[o["AUTH_HEADER"]] = o["AUTH_VALUE"]
        elif o["USERNAME"]:
            token = base64.b64encode(f"{o['USERNAME']}:{o['PASSWORD']}".encode()).decode()
            headers["Authorization"] = f"Basic {token}"
        return headers

    def send(self, message: OutboundMessage) -> str:
        o = self.options
        if not o["URL"].startswith(("https://", "http://")):
            raise NotSent("no http(s) gateway URL configured", retry=False)
        if o["REQUIRE_DLT"] and not (message.dlt_template_id and message.entity_id and message.sender):
            raise NotSent("the template has no DLT template id, entity id or sender header", retry=False)
        fields = {
            "to": message.to,
            "body": message.body,
            "sender": message.sender,
            "dlt_template_id": message.dlt_template_id,
            "entity_id": message.entity_id,
            "client_ref": message.client_ref,
            "unicode": "1" if any(ord(ch) > 127 for ch in message.body) else "0",
        }
        params = {**o["EXTRA"]}
        for field, param in o["PARAMS"].items():
            if param:
                params[param] = fields[field]
        data = urllib.parse.urlencode(params).encode()
        request = urllib.request.Request(o["URL"], data=data, headers=self._headers(), method="POST")  # noqa: S310 (http(s) checked)
        request.add_header("Content-Type", "application/x-www-form-urlencoded; charset=utf-8")
        try:
            with urllib.request.urlopen(request, timeout=o["TIMEOUT"]) as response:  # noqa: S310
                raw = response.read()
        except urllib.error.HTTPError as exc:
            if exc.code in (429, 503):
                raise NotSent(f"gateway busy (HTTP {exc.code})", retry=True)
            if 400 <= exc.code < 500:
                raise NotSent(f"gateway refused the message (HTTP {exc.code})", retry=False)
            raise MaybeSent(f"gateway error (HTTP {exc.code})")
        except urllib.error.URLError as exc:
            if isinstance(exc.reason, (ConnectionRefusedError, socket.gaierror)):
                raise NotSent(f"gateway unreachable: {exc.reason}", retry=True)
            raise MaybeSent(f"gateway connection failed: {exc.reason}")
        except (TimeoutError, OSError) as exc:
            raise MaybeSent(f"gateway did not answer: {exc}")
        return self._reference(raw) or message.client_ref

    def _reference(self, raw: bytes) -> str:
        field = self.options["REF_FIELD"]
        if not field:
            return ""
        try:
            value = json.loads(raw.decode("utf-8")).get(field, "")
        except (ValueError, AttributeError):
            return ""
        return str(value)[:80]

    def lookup(self, client_ref: str) -> bool | None:
        o = self.options
        if not o["STATUS_URL"].startswith(("https://", "http://")):
            return None
        param = o["PARAMS"].get("client_ref") or "client_ref"
        url = f"{o['STATUS_URL']}?{urllib.parse.urlencode({param: client_ref})}"
        request = urllib.request.Request(url, headers=self._headers())  # noqa: S310 (http(s) checked)
        try:
            with urllib.request.urlopen(request, timeout=o["TIMEOUT"]):  # noqa: S310
                return True
        except urllib.error.HTTPError as exc:
            return False if exc.code == 404 else None
        except (urllib.error.URLError, OSError):
            return None


HTTP_DEFAULTS: dict = {
    "URL": "",
    "STATUS_URL": "",
    "PARAMS": {
        "to": "to",
        "body": "text",
        "sender": "sender",
        "dlt_template_id": "template_id",
        "entity_id": "entity_id",
        "client_ref": "client_ref",
        "unicode": "unicode",
    },
    "EXTRA": {},
    "AUTH_HEADER": "Authorization",
    "AUTH_VALUE": "",
    "USERNAME": "",
    "PASSWORD": "",
    "TIMEOUT": 10,
    "REF_FIELD": "id",
    "REQUIRE_DLT": True,
}

PROVIDERS = {"console": ConsoleProvider, "http": HttpGatewayProvider, "email": EmailProvider}


def provider_for(channel: str) -> Provider:
    key = config()["EMAIL_PROVIDER"] if channel == "email" else config()["SMS_PROVIDER"]
    cls = PROVIDERS.get(key) or import_string(key)
    return cls()
