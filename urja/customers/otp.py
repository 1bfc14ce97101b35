"""One-time passwords that prove a mobile: the portal login, a new-connection applicant, a change of the
registered mobile; and one that proves a new e-mail address of one account (sent by e-mail, valid for
that account only, kept only once proved: `email_otp_send`, `email_otp_verify`, `email_change`).

A code is six random digits, valid for OTP_VALID_MINUTES, usable once, and killed after OTP_MAX_WRONG
wrong tries. Only a salted HMAC of the code is stored (salted with the row's mobile and purpose, keyed
by SECRET_KEY). Sending is limited per mobile (OTP_SEND_LIMIT_MOBILE per 15 minutes) and per client
address (OTP_SEND_LIMIT_ADDRESS per hour); checking is limited per client address
(OTP_VERIFY_LIMIT_ADDRESS wrong codes per hour). An e-mail address has the same limits as a mobile.
The counts are the rows themselves, in the database, so every web process shares them (as the staff
login throttle does, urja/org/auth.py).
"""

from __future__ import annotations

import datetime
import secrets

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.translation import gettext as _

from urja.common import clock
from urja.common.db import delete_unheld
from urja.notifications.services import notify

from .models import Consumer, ConsumerChange, OneTimePassword, OtpVerifyFailure

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
        Purpose.EMAIL_CHANGE: _("e-mail change"),
    }[purpose]


def otp_send(
    *, mobile: str, purpose: str, address: str, language: str = "hi", consumer_id: int | None = None
) -> OneTimePassword:
    """Create a code for `mobile` and send it by SMS; OtpRefused when a send limit is reached. Older
    unused codes of the same mobile and purpose stop working."""
    return _send(
        {"mobile": mobile},
        salt=f"{mobile}:{purpose}",
        purpose=purpose,
        address=address,
        language=language,
        consumer_id=consumer_id,
        event="otp",
        channel="sms",
        too_many=_("Too many codes were sent to this mobile. Please wait 15 minutes and try again."),
    )


def _send(
    recipient: dict,
    *,
    salt: str,
    purpose: str,
    address: str,
    language: str,
    consumer_id: int | None,
    event: str,
    channel: str,
    too_many: str,
) -> OneTimePassword:
    """`recipient` names the mobile or the e-mail address (and account) the code goes to; the send
    limits count that recipient's codes and the client address's."""
    now = clock.now()
    address_hash = _address_hash(address)
    to = recipient.get("mobile") or recipient["email"]
    with transaction.atomic():
        same_recipient = {k: v for k, v in recipient.items() if k != "consumer"}
        recent = OneTimePassword.objects.select_for_update().filter(
            **same_recipient, created_at__gt=now - SEND_WINDOW_MOBILE
        )
        if len(recent) >= OTP_SEND_LIMIT_MOBILE:
            raise OtpRefused(too_many)
        if (
            OneTimePassword.objects.filter(address_hash=address_hash, created_at__gt=now - HOUR).count()
            >= OTP_SEND_LIMIT_ADDRESS
        ):
            raise OtpRefused(_("Too many codes were asked for from here. Please try again in an hour."))
        OneTimePassword.objects.filter(**recipient, purpose=purpose, used_at__isnull=True).update(
            expires_at=now
        )
        code = f"{secrets.randbelow(1_000_000):06d}"
        otp = OneTimePassword.objects.create(
            **recipient,
            purpose=purpose,
            code_hash=_hash(code, salt),
            address_hash=address_hash,
            created_at=now,
            expires_at=now + datetime.timedelta(minutes=OTP_VALID_MINUTES),
        )
        with _language_override(language):
            purpose_text = _purpose_text(purpose)
        message = notify(
            event,
            to=to,
            language=language,
            variables={"otp": code, "purpose": purpose_text, "minutes": str(OTP_VALID_MINUTES)},
            consumer_id=consumer_id,
            dedupe_key=f"otp:{otp.pk}",
            channel=channel,
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
    return _verify(
        {"mobile": mobile}, salt=f"{mobile}:{purpose}", purpose=purpose, code=code, address=address
    )


def _verify(recipient: dict, *, salt: str, purpose: str, code: str, address: str) -> bool:
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
            .filter(**recipient, purpose=purpose, used_at__isnull=True, expires_at__gt=now)
            .filter(attempts__lt=OTP_MAX_WRONG)
            .order_by("-created_at", "-id")
            .first()
        )
        if otp is not None and constant_time_compare(otp.code_hash, _hash(code, salt)):
            otp.used_at = now
            otp.save(update_fields=["used_at"])
            return True
        if otp is not None:
            otp.attempts += 1
            otp.save(update_fields=["attempts"])
        OtpVerifyFailure.objects.create(address_hash=address_hash, at=now)
    delete_unheld(OtpVerifyFailure.objects.filter(at__lt=now - HOUR))  # two purges never wait for each other
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
    the change (masked) in the consumer's history, as the portal's other choices are kept."""
    from .services import consumer_update

    consumer_update(
        consumer=consumer,
        source=ConsumerChange.Source.PORTAL,
        reason="changed by the consumer on the portal, new mobile proved by OTP",
        mobile=new_mobile,
    )


# ------------------------------------------------------------------------------------------- e-mail

EMAIL_MAX_LENGTH = 254


def email_normalize(raw: str) -> str:
    """The address as kept: trimmed, its domain in lower case; ValueError (with a message fit to show)
    for anything that is not one address."""
    text = str(raw or "").strip()
    local, at, domain = text.rpartition("@")
    candidate = f"{local}@{domain.lower()}" if at else text
    try:
        if len(candidate) > EMAIL_MAX_LENGTH:
            raise ValidationError("too long")
        validate_email(candidate)
    except ValidationError:
        raise ValueError(_("Please type a valid e-mail address, such as name@example.com.")) from None
    return candidate


def _email_recipient(consumer: Consumer, email: str) -> tuple[dict, str]:
    purpose = Purpose.EMAIL_CHANGE
    return {"email": email, "consumer": consumer}, f"{email}:{purpose}:{consumer.pk}"


def email_otp_send(*, consumer: Consumer, email: str, address: str, language: str = "hi") -> OneTimePassword:
    """Send a code to `email` (by e-mail, through the outbox) that proves it for `consumer`'s account;
    OtpRefused at the same limits as a mobile's code."""
    recipient, salt = _email_recipient(consumer, email)
    return _send(
        recipient,
        salt=salt,
        purpose=Purpose.EMAIL_CHANGE,
        address=address,
        language=language,
        consumer_id=consumer.pk,
        event="email_otp",
        channel="email",
        too_many=_("Too many codes were sent to this e-mail address. Please wait 15 minutes and try again."),
    )


def email_otp_verify(*, consumer: Consumer, email: str, code: str, address: str) -> bool:
    """True once for the right code sent to `email` for this account (never for another account's)."""
    recipient, salt = _email_recipient(consumer, email)
    return _verify(recipient, salt=salt, purpose=Purpose.EMAIL_CHANGE, code=code, address=address)


def email_change(*, consumer: Consumer, new_email: str) -> None:
    """The consumer proved `new_email`: keep it as the account's (proved) address, record the change
    (masked) in the history, and tell the old address, if there was one, that it no longer gets mail."""
    from .services import consumer_update

    with transaction.atomic():
        old = Consumer.objects.select_for_update().get(pk=consumer.pk).email
        consumer_update(
            consumer=consumer,
            source=ConsumerChange.Source.PORTAL,
            reason="changed by the consumer on the portal, new address proved by a code sent to it",
            email=new_email,
            verified_email=new_email,
        )
        if old and old.lower() != new_email.lower():
            notify(
                "email_changed",
                to=old,
                language=consumer.language,
                variables={"account": consumer.account_number, "date": f"{clock.today():%d-%m-%Y}"},
                consumer_id=consumer.pk,
                channel="email",
            )
