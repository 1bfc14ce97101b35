"""Indian mobile numbers: ten digits starting 6-9, optionally written with +91, 91 or 0 in front.
Digits of any script are read as ASCII (`urja.domain.inputs`); a stored number is ASCII only."""

from __future__ import annotations

from urja.domain.inputs import ascii_digits, is_ascii_digits


class InvalidMobile(ValueError):
    """Raised with a message fit to show the person who typed the number."""


def normalize(raw: str) -> str:
    stripped = ascii_digits(str(raw).strip())
    if any(not (is_ascii_digits(ch) or ch in " -+()") for ch in stripped):
        raise InvalidMobile("A mobile number has digits only.")
    digits = "".join(ch for ch in stripped if is_ascii_digits(ch))
    if len(digits) == 12 and digits.startswith("91"):
        digits = digits[2:]
    elif len(digits) == 11 and digits.startswith("0"):
        digits = digits[1:]
    if len(digits) != 10:
        raise InvalidMobile("A mobile number has 10 digits.")
    if digits[0] not in "6789":
        raise InvalidMobile("An Indian mobile number starts with 6, 7, 8 or 9.")
    if len(set(digits)) == 1:
        raise InvalidMobile("This is not a real mobile number.")
    return digits


def mask(number: str) -> str:
    """Show only the last four digits: XXXXXX3210."""
    if not number:
        return ""
    return "X" * (len(number) - 4) + number[-4:]


def mask_document(number: str, visible: int = 4) -> str:
    """Mask an identity document number (Aadhaar, voter id…) keeping the last `visible` characters."""
    clean = "".join(ch for ch in ascii_digits(str(number)) if ch.isalnum())
    if not clean:
        return ""
    if len(clean) == 12 and is_ascii_digits(clean):
        return f"XXXX-XXXX-{clean[-4:]}"
    return "X" * max(len(clean) - visible, 0) + clean[-visible:]
