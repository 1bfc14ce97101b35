from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from urja.domain import account_number as acct
from urja.domain import mobile as mob
from urja.domain.inputs import is_ascii_digits

# The domain core raises these in English (it has no Django); listed here so they are translated.
DOMAIN_MESSAGES = [
    gettext_noop("An account number has digits only."),
    gettext_noop("An account number has 10 digits."),
    gettext_noop("An account number starts with 1 to 5."),
    gettext_noop("The account number's check digit does not match: please check for a typing error."),
    gettext_noop("A mobile number has digits only."),
    gettext_noop("A mobile number has 10 digits."),
    gettext_noop("An Indian mobile number starts with 6, 7, 8 or 9."),
    gettext_noop("This is not a real mobile number."),
]


def validate_account_number(value: str) -> None:
    try:
        number = acct.normalize(value)
    except acct.InvalidAccountNumber as exc:
        raise ValidationError(_(str(exc)), code="invalid_account_number")
    if number != value:
        # Stored as exactly its 10 ASCII digits, so one account can never be stored twice, once in
        # Devanagari digits (the services and forms normalise before validating).
        raise ValidationError(
            _("Store the account number as its 10 digits 0-9."), code="invalid_account_number"
        )


def validate_pincode(value: str) -> None:
    if value and not (len(value) == 6 and is_ascii_digits(value) and value[0] != "0"):
        raise ValidationError(
            _("A PIN code has 6 digits 0-9 and does not start with 0."), code="invalid_pincode"
        )


def validate_mobile(value: str) -> None:
    if not value:
        return
    try:
        if mob.normalize(value) != value:
            raise ValidationError(_("Store the mobile number as its 10 digits."), code="invalid_mobile")
    except mob.InvalidMobile as exc:
        raise ValidationError(_(str(exc)), code="invalid_mobile")
