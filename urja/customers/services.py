"""Writes to consumer records. Every change is kept in ConsumerChange (who, when, old and new value).

Who may change what, whichever interface calls (console, admin, API, import): a user with
EDIT_CONSUMERS (a JE …) corrects the contact and location particulars (`CONTACT_FIELDS`); everything
else a connection is billed on or known by — name, category, load, phase, supply voltage, connection
date, status, security deposit, cash-only date, KYC, office — needs EDIT_CONNECTIONS (an officer:
SDO and above), and so does opening an account. Either way only within the user's own offices. A
service called by the system (the import, a bounced cheque) passes ``by=None``."""

import contextlib
import hashlib
import hmac
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from urja.common import clock
from urja.domain import account_number as acct
from urja.domain import mobile as mob
from urja.domain.inputs import ascii_digits
from urja.domain.masking import mask_email
from urja.org import roles
from urja.org.permissions import user_covers

from .load_limits import check_consumer_load
from .models import Consumer, ConsumerChange

# Fields whose values are personal data: the history keeps them masked (old and new value).
_MASKED_IN_HISTORY = {"mobile": mob.mask, "email": mask_email, "verified_email": mask_email}
#: What EDIT_CONSUMERS may change: how to reach the consumer and where the connection is.
CONTACT_FIELDS = (
    "mobile",
    "email",
    "address",
    "village_town",
    "district",
    "pincode",
    "dt",
    "latitude",
    "longitude",
    "language",
)
#: Never changed once the account exists: readings, bills and payments carry copies of it.
FIXED_FIELDS = ("account_number",)
_TRACKED_FIELDS = [
    f.name
    for f in Consumer._meta.get_fields()
    if getattr(f, "concrete", False)
    and not getattr(f, "generated", False)  # the search keys: the database's, never set or recorded
    and f.name not in {"id", "created_at", "updated_at", "kyc_number_hash"}
]


def kyc_hash(number: str) -> str:
    # Digits of any script hash as ASCII: the same document typed in Devanagari is still a duplicate.
    clean = "".join(ch for ch in ascii_digits(number) if ch.isalnum()).upper()
    return hmac.new(settings.KYC_HASH_KEY.encode(), clean.encode(), hashlib.sha256).hexdigest()


def _display(field: str, value: Any) -> str:
    if value is None:
        return ""
    if hasattr(value, "pk"):
        return str(value.pk)
    text = str(value)
    if field in _MASKED_IN_HISTORY:
        return _MASKED_IN_HISTORY[field](text)
    return text


def _comparable(value: Any) -> Any:
    return value.pk if hasattr(value, "pk") else value


def _check_can_edit(by) -> None:
    if by is not None and not by.can(roles.EDIT_CONSUMERS):
        raise PermissionDenied(_("You may not change consumer records."))


def _normalise_numbers(fields: dict[str, Any]) -> None:
    """Numbers typed in any script's digits are stored in ASCII (urja.domain.inputs); a value that is
    not a valid number is left as it is for full_clean() to explain."""
    if fields.get("account_number"):
        with contextlib.suppress(acct.InvalidAccountNumber):
            fields["account_number"] = acct.normalize(fields["account_number"])
    if fields.get("mobile"):
        fields["mobile"] = mob.normalize(fields["mobile"])
    if fields.get("pincode"):
        fields["pincode"] = ascii_digits(str(fields["pincode"])).strip()


def _check_reach(by, consumer: Consumer, changed: set[str]) -> None:
    """The consumer, its new office and its new transformer must lie in the user's offices."""
    if by is None:
        return
    if not user_covers(by, consumer.office):
        raise PermissionDenied(_("This consumer is not in your offices."))
    if "dt" in changed and consumer.dt_id is not None and not user_covers(by, consumer.dt.office):
        raise PermissionDenied(_("This transformer is not in your offices."))


def _check_connection_fields(by, changed: set[str]) -> None:
    reserved = sorted(changed - set(CONTACT_FIELDS))
    if by is not None and reserved and not by.can(roles.EDIT_CONNECTIONS):
        names = ", ".join(
            str(Consumer._meta.get_field(name).verbose_name) if name != "kyc_number" else _("KYC number")
            for name in reserved
        )
        raise PermissionDenied(
            _("Only an officer may change %(fields)s; you may correct contact and location particulars.")
            % {"fields": names}
        )


def _check_load_limits(consumer: Consumer) -> None:
    """A load outside the category's limits (tariff data, e.g. LMV-6 up to 75 kW) is refused."""
    check_consumer_load(consumer.category, consumer.sanctioned_load, consumer.load_unit, clock.today())


def _apply_kyc(consumer: Consumer, kyc_number: str | None) -> None:
    if kyc_number:
        consumer.kyc_number_masked = mob.mask_document(kyc_number)
        consumer.kyc_number_hash = kyc_hash(kyc_number)


@transaction.atomic
def consumer_create(
    *, by=None, source: str = ConsumerChange.Source.CONSOLE, kyc_number: str | None = None, **fields: Any
) -> Consumer:
    """Create a consumer (an officer's act). `kyc_number` is taken in full, stored masked and as a
    keyed hash only."""
    _check_can_edit(by)
    if by is not None and not by.can(roles.EDIT_CONNECTIONS):
        raise PermissionDenied(_("Only an officer may open a consumer account."))
    _normalise_numbers(fields)
    consumer = Consumer(**fields)
    if by is not None and (consumer.office_id is None or not user_covers(by, consumer.office)):
        raise PermissionDenied(_("You may open accounts only in your own offices."))
    _check_reach(by, consumer, {"dt"})
    _apply_kyc(consumer, kyc_number)
    consumer.full_clean()
    _check_load_limits(consumer)
    consumer.save()
    ConsumerChange.objects.create(
        consumer=consumer, changed_by=by, source=source, field="*", new_value=_("created")
    )
    return consumer


@transaction.atomic
def consumer_update(
    *,
    consumer: Consumer,
    by=None,
    reason: str = "",
    source: str = ConsumerChange.Source.CONSOLE,
    kyc_number: str | None = None,
    **changes: Any,
) -> list[ConsumerChange]:
    """Change fields of a consumer and record each changed field in the history. Unchanged values are
    not recorded; returns the history rows written."""
    _check_can_edit(by)
    locked = Consumer.objects.select_for_update().get(pk=consumer.pk)
    _check_reach(by, locked, set())
    before = {name: getattr(locked, name) for name in _TRACKED_FIELDS}
    _normalise_numbers(changes)
    for name, value in changes.items():
        if name not in _TRACKED_FIELDS:
            raise ValueError(f"unknown consumer field {name!r}")
        setattr(locked, name, value)
    hash_before = locked.kyc_number_hash
    _apply_kyc(locked, kyc_number)
    changed = {
        name for name in _TRACKED_FIELDS if _comparable(before[name]) != _comparable(getattr(locked, name))
    }
    if locked.kyc_number_hash != hash_before:
        changed.add("kyc_number")
    if changed & set(FIXED_FIELDS):
        raise ValidationError({"account_number": _("An account number never changes.")})
    _check_connection_fields(by, changed)
    _check_reach(by, locked, changed)
    locked.full_clean()
    if changed & {"category", "sanctioned_load", "load_unit"}:
        _check_load_limits(locked)
    rows = []
    if locked.kyc_number_hash != hash_before and before["kyc_number_masked"] == locked.kyc_number_masked:
        # Another document number that masks the same (same last four): still a change to record.
        rows.append(
            ConsumerChange(
                consumer=locked,
                changed_by=by,
                source=source,
                field="kyc_number_masked",
                old_value=before["kyc_number_masked"],
                new_value=f"{locked.kyc_number_masked} ({_('another document number')})",
                reason=reason,
            )
        )
    for name in _TRACKED_FIELDS:
        old, new = before[name], getattr(locked, name)
        if _comparable(old) != _comparable(new):
            rows.append(
                ConsumerChange(
                    consumer=locked,
                    changed_by=by,
                    source=source,
                    field=name,
                    old_value=_display(name, old),
                    new_value=_display(name, new),
                    reason=reason,
                )
            )
    if rows:
        locked.save()
        ConsumerChange.objects.bulk_create(rows)
    consumer.refresh_from_db()
    return rows


def consumer_ebill_set(*, consumer: Consumer, on: bool) -> list[ConsumerChange]:
    """The consumer, on the portal, takes bills by e-mail (`on`) or stops. Taking them needs an e-mail
    address the consumer proved (urja/customers/otp.py): ValidationError otherwise, with a message fit
    to show."""
    if on and not consumer.email_verified:
        raise ValidationError(
            _(
                "Add your e-mail address and confirm it with the code we send to it before choosing bills by e-mail."
            )
        )
    return consumer_update(
        consumer=consumer,
        source=ConsumerChange.Source.PORTAL,
        reason=_("Chosen by the consumer on the portal"),
        ebill=on,
    )
