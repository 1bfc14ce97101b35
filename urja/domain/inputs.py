"""What Urja takes as typed input, whatever the interface (console, admin, API, import): digits in any
script, and the range of dates.

Digits
    People in Uttar Pradesh type numbers in Devanagari digits (०-९) on Hindi keyboards, in the
    Arabic-Indic digits of Urdu (UP's second official language), or as full-width digits (０-９) from
    some phone keyboards. Every Unicode decimal digit (category Nd) is read as the ASCII digit it
    stands for, the same reading Python's ``int()`` and ``Decimal()`` give, and numbers are stored in
    ASCII only: an account number typed in Devanagari is the same account, never a second one.
    Characters that look like digits but are not decimal digits (superscripts ², circled ①,
    fractions ½) are not digits: ``str.isdigit()`` accepts some of them and ``int()`` then fails, so
    check with :func:`is_ascii_digits` after :func:`ascii_digits`, never with ``isdigit()``.

Dates
    A date typed into Urja (a reading, a statement period, a billing month, a quote period, the day of a
    report) lies between :data:`EARLIEST_DATE` and :data:`LATEST_DATE`. Outside that range no record
    of a distribution company can fall, and date arithmetic near the ends of Python's calendar (year 1
    and 9999) overflows.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date

EARLIEST_DATE = date(1900, 1, 1)
LATEST_DATE = date(2099, 12, 31)

# `\d` on a str pattern is every Unicode decimal digit (category Nd), ASCII 0-9 among them.
_DECIMAL_DIGIT = re.compile(r"\d")


def ascii_digits(text: str) -> str:
    """`text` with every decimal digit of any script written as its ASCII digit; nothing else changes."""
    if text.isascii():
        return text
    return _DECIMAL_DIGIT.sub(lambda match: str(unicodedata.decimal(match.group())), text)


def is_ascii_digits(text: str) -> bool:
    """Whether `text` is one or more of the digits 0-9 and nothing else."""
    return text.isascii() and text.isdigit()


def date_in_range(day: date) -> bool:
    return EARLIEST_DATE <= day <= LATEST_DATE


def date_range_text() -> str:
    return f"{EARLIEST_DATE:%d-%m-%Y} – {LATEST_DATE:%d-%m-%Y}"


def gettext_noop(message: str) -> str:
    """Marks `message` for translation (Django's makemessages extracts this name) without translating
    it here: the domain core has no languages; the interface translates an :class:`InputError`."""
    return message


class Words(str):
    """A translatable word or phrase given as a parameter of an :class:`InputError` (a field's name)."""


class InputError(ValueError):
    """Bad input, said in English (``str(error)``) and as a message id with parameters, so that an
    interface can say it in the user's language: ``gettext(error.msgid) % translated params``."""

    def __init__(self, msgid: str, **params: object) -> None:
        self.msgid = msgid
        self.params = params
        super().__init__(msgid % params if params else msgid)
