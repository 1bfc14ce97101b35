"""Amounts in words, Indian system (thousand, lakh, crore), as receipts and bills print them."""

from __future__ import annotations

from decimal import Decimal

from .money import round_paisa

_ONES = (
    "",
    "One",
    "Two",
    "Three",
    "Four",
    "Five",
    "Six",
    "Seven",
    "Eight",
    "Nine",
    "Ten",
    "Eleven",
    "Twelve",
    "Thirteen",
    "Fourteen",
    "Fifteen",
    "Sixteen",
    "Seventeen",
    "Eighteen",
    "Nineteen",
)
_TENS = ("", "", "Twenty", "Thirty", "Forty", "Fifty", "Sixty", "Seventy", "Eighty", "Ninety")


def _below_hundred(n: int) -> str:
    if n < 20:
        return _ONES[n]
    return _TENS[n // 10] + (f"-{_ONES[n % 10]}" if n % 10 else "")


def _below_thousand(n: int) -> str:
    hundreds, rest = divmod(n, 100)
    parts = [f"{_ONES[hundreds]} Hundred"] if hundreds else []
    if rest:
        parts.append(_below_hundred(rest))
    return " ".join(parts)


def number_in_words(n: int) -> str:
    """A whole number in words in the Indian system (thousand, lakh, crore): 1234567 -> 'Twelve Lakh
    Thirty-Four Thousand Five Hundred Sixty-Seven'. Above 99 crore the crores are counted in words
    again ('One Hundred Crore')."""
    if n < 0:
        raise ValueError("a negative number has no words here")
    if n == 0:
        return "Zero"
    crore, rest = divmod(n, 10**7)
    lakh, rest = divmod(rest, 10**5)
    thousand, rest = divmod(rest, 1000)
    parts = []
    if crore:
        parts.append(f"{number_in_words(crore)} Crore")
    if lakh:
        parts.append(f"{_below_hundred(lakh)} Lakh")
    if thousand:
        parts.append(f"{_below_hundred(thousand)} Thousand")
    if rest:
        parts.append(_below_thousand(rest))
    return " ".join(parts)


def amount_in_words(amount: Decimal | int | str) -> str:
    """Rupees and paise in words, Indian system: 123456.50 -> 'One Lakh Twenty-Three Thousand Four
    Hundred Fifty-Six Rupees and Fifty Paise'. Rounded to the paisa, half up, first."""
    if isinstance(amount, float):
        raise TypeError("money must not be a float")
    value = round_paisa(Decimal(str(amount)))
    if value < 0:
        raise ValueError("amount_in_words takes an amount of 0 or more")
    rupees = int(value)
    paise = int((value - rupees) * 100)
    rupee_words = f"{number_in_words(rupees)} {'Rupee' if rupees == 1 else 'Rupees'}"
    if not paise:
        return rupee_words
    paise_words = f"{number_in_words(paise)} {'Paisa' if paise == 1 else 'Paise'}"
    return paise_words if not rupees else f"{rupee_words} and {paise_words}"
