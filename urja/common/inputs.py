"""The Django side of `urja.domain.inputs`: the range of dates as a translated message, a validator and
the date form field the console and the admin use everywhere (digits of any script read as ASCII)."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from urja.domain.inputs import EARLIEST_DATE, LATEST_DATE, ascii_digits, date_in_range


def date_range_message() -> str:
    return _("Give a date between %(earliest)s and %(latest)s.") % {
        "earliest": f"{EARLIEST_DATE:%d-%m-%Y}",
        "latest": f"{LATEST_DATE:%d-%m-%Y}",
    }


def validate_date_in_range(value) -> None:
    if value is not None and not date_in_range(value):
        raise ValidationError(date_range_message(), code="date_out_of_range")


class DateField(forms.DateField):
    """A date between 1900 and 2099: outside that no record can fall, and date arithmetic near year 1
    or 9999 overflows (a 500 where a report subtracts a day)."""

    def to_python(self, value):
        return super().to_python(ascii_digits(value) if isinstance(value, str) else value)

    def validate(self, value):
        super().validate(value)
        validate_date_in_range(value)


def input_error_text(error) -> str:
    """A domain :class:`urja.domain.inputs.InputError` in the active language (its parameters that are
    words, such as a field's name, translated too)."""
    from django.utils.translation import gettext

    from urja.domain.inputs import Words

    params = {
        key: gettext(value) if isinstance(value, Words) else value for key, value in error.params.items()
    }
    return gettext(error.msgid) % params if params else gettext(error.msgid)
