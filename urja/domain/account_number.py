"""Consumer account numbers: 10 digits, the last a Verhoeff check digit.

Layout: ``D NNNNNNNN C`` — D is the discom digit (1-5, so an account number can never be mistaken for a
mobile number, which starts with 6-9), N an 8-digit serial, C the Verhoeff check digit over the first
nine. Verhoeff catches every single-digit error and every swap of adjacent digits, the two mistakes
people make when typing a number off a paper bill.

A number typed in Devanagari (or any other script's) digits is read as the same ASCII number
(`urja.domain.inputs`); a stored account number is ASCII digits only.
"""

from __future__ import annotations

from urja.domain.inputs import ascii_digits, is_ascii_digits

_D = (
    (0, 1, 2, 3, 4, 5, 6, 7, 8, 9),
    (1, 2, 3, 4, 0, 6, 7, 8, 9, 5),
    (2, 3, 4, 0, 1, 7, 8, 9, 5, 6),
    (3, 4, 0, 1, 2, 8, 9, 5, 6, 7),
    (4, 0, 1, 2, 3, 9, 5, 6, 7, 8),
    (5, 9, 8, 7, 6, 0, 4, 3, 2, 1),
    (6, 5, 9, 8, 7, 1, 0, 4, 3, 2),
    (7, 6, 5, 9, 8, 2, 1, 0, 4, 3),
    (8, 7, 6, 5, 9, 3, 2, 1, 0, 4),
    (9, 8, 7, 6, 5, 4, 3, 2, 1, 0),
)
_P = (
    (0, 1, 2, 3, 4, 5, 6, 7, 8, 9),
    (1, 5, 7, 6, 2, 8, 3, 0, 9, 4),
    (5, 8, 0, 3, 7, 9, 6, 1, 4, 2),
    (8, 9, 1, 6, 0, 4, 3, 5, 2, 7),
    (9, 4, 5, 3, 1, 2, 6, 8, 7, 0),
    (4, 2, 8, 6, 5, 7, 3, 9, 0, 1),
    (2, 7, 9, 3, 8, 0, 6, 4, 1, 5),
    (7, 0, 4, 6, 9, 1, 3, 2, 5, 8),
)
_INV = (0, 4, 3, 2, 1, 5, 6, 7, 8, 9)

LENGTH = 10


class InvalidAccountNumber(ValueError):
    """Raised with a message fit to show the person who typed the number."""


def check_digit(payload: str) -> int:
    """Verhoeff check digit for a string of digits."""
    c = 0
    for i, ch in enumerate(reversed(payload)):
        c = _D[c][_P[(i + 1) % 8][int(ch)]]
    return _INV[c]


def is_valid(number: str) -> bool:
    """Whether `number` is a stored-form account number: 10 ASCII digits with a matching check digit."""
    if len(number) != LENGTH or not is_ascii_digits(number):
        return False
    c = 0
    for i, ch in enumerate(reversed(number)):
        c = _D[c][_P[i % 8][int(ch)]]
    return c == 0


def make(discom_digit: int, serial: int) -> str:
    """Build an account number from a discom digit (1-5) and a serial (0 to 99,999,999)."""
    if not 1 <= discom_digit <= 5:
        raise ValueError("discom digit must be 1 to 5")
    if not 0 <= serial <= 99_999_999:
        raise ValueError("serial must be 0 to 99,999,999")
    payload = f"{discom_digit}{serial:08d}"
    return payload + str(check_digit(payload))


def normalize(raw: str) -> str:
    """Strip spaces and dashes and validate; raises InvalidAccountNumber with the reason."""
    number = ascii_digits("".join(ch for ch in str(raw) if ch not in " -"))
    if not is_ascii_digits(number):
        raise InvalidAccountNumber("An account number has digits only.")
    if len(number) != LENGTH:
        raise InvalidAccountNumber("An account number has 10 digits.")
    if number[0] not in "12345":
        raise InvalidAccountNumber("An account number starts with 1 to 5.")
    if not is_valid(number):
        raise InvalidAccountNumber(
            "The account number's check digit does not match: please check for a typing error."
        )
    return number
