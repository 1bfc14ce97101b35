from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from urja.domain import account_number as acct
from urja.domain import mobile as mob


def validate_account_number(value: str) -> None:
    try:
        acct.normalize(value)
    except acct.InvalidAccountNumber as exc:
        raise ValidationError(_(str(exc)), code="invalid_account_number")


def validate_mobile(value: str) -> None:
    if not value:
        return
    try:
        if mob.normalize(value) != value:
            raise ValidationError(_("Store the mobile number as its 10 digits."), code="invalid_mobile")
    except mob.InvalidMobile as exc:
        raise ValidationError(_(str(exc)), code="invalid_mobile")
