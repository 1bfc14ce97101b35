"""Field types shared by the API's schemas for values every endpoint takes the same way."""

from datetime import date
from typing import Annotated

from pydantic import AfterValidator, BeforeValidator

from urja.common.inputs import date_range_message
from urja.domain.inputs import ascii_digits, date_in_range


def _digits(value):
    return ascii_digits(value) if isinstance(value, str) else value


def _in_range(value: date) -> date:
    if not date_in_range(value):
        raise ValueError(date_range_message())
    return value


# A date between 1900-01-01 and 2099-12-31 (urja.domain.inputs); digits of any script read as ASCII.
InputDate = Annotated[date, BeforeValidator(_digits), AfterValidator(_in_range)]
