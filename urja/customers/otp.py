"""One-time passwords that prove a mobile: the portal login, a new-connection applicant, a change of the
registered mobile.

A code is six random digits, valid for OTP_VALID_MINUTES, usable once, and killed after OTP_MAX_WRONG
wrong tries. Only a salted HMAC of the code is stored (salted with the row's mobile and purpose, keyed
by SECRET_KEY). Sending is limited per mobile (OTP_SEND_LIMIT_MOBILE per 15 minutes) and per client
address (OTP_SEND_LIMIT_ADDRESS per hour); checking is limited per client address
(OTP_VERIFY_LIMIT_ADDRESS wrong codes per hour). The counts are the rows themselves, in the database,
so every web process shares them (as the staff login throttle does, urja/org/auth.py).
"""

from __future__ import annotations

import datetime
import secrets

from django.db import transaction
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.translation import gettext as _

from urja.common import clock
from urja.notifications.services import notify

from .models import Consumer, OneTimePassword, OtpVerifyFailure

Purpose = OneTimePassword.Purpose

OTP_VALID_MINUTES = 5
OTP_MAX_WRONG = 5
OTP_SEND_LIMIT_MOBILE = 3  # per SEND_WINDOW_MOBILE
OTP_SEND_LIMIT_ADDRESS = 10  # per hour
OTP_VERIFY_LIMIT_ADDRESS = 20  # wrong codes per hour
SEND_WINDOW_MOBILE = datetime.timedelta(minutes=15)
HOUR = datetime.timedelta(hours=1)


class OtpRefused(Exception):
    """Raised with a message fit to show the visitor (in the active language)."""


def _hash(value: str, salt: str) -> str:
    return salted_hmac(f"urja.customers.otp.{salt}", value, algorithm="sha256").hexdigest()


def _address_hash(address: str) -> str:
    return _hash(address or "-", "address")


def _purpose_text(purpose: str) -> str:
    return {
        # Fits the SMS template's variable (at most 30 characters).
        Purpose.LOGIN: _("portal login"),
        Purpose.APPLY: _("new connection"),
        Purpose.MOBILE_CHANGE: _("mobile change"),
    }[purpose]


def otp_send(
    *, mobile: str, purpose: str, address: str, language: str = "hi", consumer_id: int | None = None
) -> OneTimePassword:
    """Create a code for `mobile` and send it by SMS; OtpRefused when a send limit is reached. Older
    unused codes of the same mobile and purpose stop working."""
    now = clock.now()
    address_hash = _address_hash(address)
    with transaction.atomic():
        recent = OneTimePassword.objects.select_for_update().filter(
            mobile=mobile, created_at__gt=now - SEND_WINDOW_MOBILE
        )
        if len(recent) >= OTP_SEND_LIMIT_MOBILE:
            raise OtpRefused(
                _("Too many codes were sent to this mobile. Please wait 15 minutes and try again.")
            )
        if (
            OneTimePassword.objects.filter(address_hash=address_hash, created_at__gt=now - HOUR).count()
            >= OTP_SEND_LIMIT_ADDRESS
        ):
            raise OtpRefused(_("Too many codes were asked for from here. Please try again in an hour."))
        OneTimePassword.objects.filter(mobile=mobile, purpose=purpose, used_at__isnull=True).update(
            expires_at=now
        )
        code = f"{secrets.randbelow(1_000_000):06d}"
        otp = OneTimePassword.objects.create(
            mobile=mobile,
            purpose=purpose,
            code_hash=_hash(code, f"{mobile}:{purpose}"),
            address_hash=address_hash,
            created_at=now,
            expires_at=now + datetime.timedelta(minutes=OTP_VALID_MINUTES),
        )
        with_language = _language_override(language)
        with with_language:
            purpose_text = _purpose_text(purpose)
        message = notify(
            "otp",
            to=mobile,
            language=language,
            variables={"otp": code, "purpose": purpose_text, "minutes": str(OTP_VALID_MINUTES)},
            consumer_id=consumer_id,
            dedupe_key=f"otp:{otp.pk}",
        )
        if message is None:
            raise OtpRefused(_("The code could not be sent now. Please try again later."))
    return otp


def _language_override(language: str):
    from django.utils import translation

    return translation.override(language if language in ("hi", "en") else "hi")


def otp_verify(*, mobile: str, purpose: str, code: str, address: str) -> bool:
    """True once for the right, unexpired, unused code (it is then used up). A wrong code counts
    against the code (OTP_MAX_WRONG kill it) and the client address; OtpRefused past the address's
    limit, before the code is looked at."""
    now = clock.now()
    address_hash = _address_hash(address)
    if (
        OtpVerifyFailure.objects.filter(address_hash=address_hash, at__gt=now - HOUR).count()
        >= OTP_VERIFY_LIMIT_ADDRESS
    ):
        raise OtpRefused(_("Too many wrong codes were typed from here. Please try again in an hour."))
    code = "".join(ch for ch in str(code) if not ch.isspace())[:12]
    with transaction.atomic():
        otp = (
            OneTimePassword.objects.select_for_update()
            .filter(mobile=mobile, purpose=purpose, used_at__isnull=True, expires_at__gt=now)
            .filter(attempts__lt=OTP_MAX_WRONG)
            .order_by("-created_at", "-id")
            .first()
        )
        if otp is not None and constant_time_compare(otp.code_hash, _hash(code, f"{mobile}:{purpose}")):
            otp.used_at = now
            otp.save(update_fields=["used_at"])
            return True
        if otp is not None:
            otp.attempts += 1
            otp.save(update_fields=["attempts"])
        OtpVerifyFailure.objects.create(address_hash=address_hash, at=now)
    OtpVerifyFailure.objects.filter(at__lt=now - HOUR).delete()
    return False


def consumers_with_mobile(mobile: str) -> list[int]:
    """The accounts registered to a mobile: all of them are proved by one code sent to it."""
    if not mobile:
        return []
    return list(
        Consumer.objects.filter(mobile=mobile).order_by("account_number").values_list("pk", flat=True)
    )


def login_mobile_for(identifier: str) -> tuple[str, str]:
    """Where a login code goes for what the visitor typed: ("account"|"mobile", the mobile or "").
    An account number must pass its check digit (ValueError with a message otherwise). An unknown
    account or mobile gives "" — the caller shows the same page either way."""
    from urja.domain import account_number as acct
    from urja.domain import mobile as mob
    from urja.domain.inputs import ascii_digits

    raw = ascii_digits(str(identifier).strip())
    digits = "".join(ch for ch in raw if ch.isdigit())
    if len(digits) == 10 and digits[0] in "12345":
        number = acct.normalize(raw)  # raises InvalidAccountNumber (a ValueError)
        consumer = Consumer.objects.filter(account_number=number).exclude(mobile="").first()
        return "account", consumer.mobile if consumer else ""
    number = mob.normalize(raw)  # raises InvalidMobile (a ValueError)
    return "mobile", number if Consumer.objects.filter(mobile=number).exists() else ""


def mobile_change(*, consumer: Consumer, new_mobile: str) -> None:
    """The consumer proved `new_mobile` with a code sent to it: make it the registered mobile and keep
    the change in the consumer's history."""
    from .models import ConsumerChange

    with transaction.atomic():
        locked = Consumer.objects.select_for_update().get(pk=consumer.pk)
        old = locked.mobile
        if old == new_mobile:
            return
        locked.mobile = new_mobile
        locked.save(update_fields=["mobile", "updated_at"])
        ConsumerChange.objects.create(
            consumer=locked,
            source=ConsumerChange.Source.PORTAL,
            field="mobile",
            old_value=old,
            new_value=new_mobile,
            reason="changed by the consumer on the portal, new mobile proved by OTP",
        )
    consumer.mobile = new_mobile
