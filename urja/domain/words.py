"""Amounts in words, Indian system (thousand, lakh, crore), in English and Hindi, as receipts and bills
print them. Hindi number words 1-99 are irregular (इक्कीस, उनतीस, उन्यासी ...): they are listed, not made."""

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


# fmt: off
_HINDI = (
    "शून्य", "एक", "दो", "तीन", "चार", "पाँच", "छह", "सात", "आठ", "नौ",
    "दस", "ग्यारह", "बारह", "तेरह", "चौदह", "पंद्रह", "सोलह", "सत्रह", "अठारह", "उन्नीस",
    "बीस", "इक्कीस", "बाईस", "तेईस", "चौबीस", "पच्चीस", "छब्बीस", "सत्ताईस", "अट्ठाईस", "उनतीस",
    "तीस", "इकतीस", "बत्तीस", "तैंतीस", "चौंतीस", "पैंतीस", "छत्तीस", "सैंतीस", "अड़तीस", "उनतालीस",
    "चालीस", "इकतालीस", "बयालीस", "तैंतालीस", "चवालीस", "पैंतालीस", "छियालीस", "सैंतालीस", "अड़तालीस", "उनचास",
    "पचास", "इक्यावन", "बावन", "तिरपन", "चौवन", "पचपन", "छप्पन", "सत्तावन", "अट्ठावन", "उनसठ",
    "साठ", "इकसठ", "बासठ", "तिरसठ", "चौंसठ", "पैंसठ", "छियासठ", "सड़सठ", "अड़सठ", "उनहत्तर",
    "सत्तर", "इकहत्तर", "बहत्तर", "तिहत्तर", "चौहत्तर", "पचहत्तर", "छिहत्तर", "सतहत्तर", "अठहत्तर", "उन्यासी",
    "अस्सी", "इक्यासी", "बयासी", "तिरासी", "चौरासी", "पचासी", "छियासी", "सत्तासी", "अट्ठासी", "नवासी",
    "नब्बे", "इक्यानवे", "बानवे", "तिरानवे", "चौरानवे", "पचानवे", "छियानवे", "सत्तानवे", "अट्ठानवे", "निन्यानवे",
)
# fmt: on


def number_in_words_hi(n: int) -> str:
    """A whole number in Hindi words, Indian system: 12345678 -> 'एक करोड़ तेईस लाख पैंतालीस हजार छह सौ
    अठहत्तर'. Above 99 crore the crores are counted in words again ('एक सौ करोड़')."""
    if n < 0:
        raise ValueError("a negative number has no words here")
    if n == 0:
        return _HINDI[0]
    crore, rest = divmod(n, 10**7)
    lakh, rest = divmod(rest, 10**5)
    thousand, rest = divmod(rest, 1000)
    hundred, rest = divmod(rest, 100)
    parts = []
    if crore:
        parts.append(f"{number_in_words_hi(crore)} करोड़")
    for count, word in ((lakh, "लाख"), (thousand, "हजार"), (hundred, "सौ")):
        if count:
            parts.append(f"{_HINDI[count]} {word}")
    if rest:
        parts.append(_HINDI[rest])
    return " ".join(parts)


def _rupees_and_paise(amount: Decimal | int | str) -> tuple[int, int]:
    if isinstance(amount, float):
        raise TypeError("money must not be a float")
    value = round_paisa(Decimal(str(amount)))
    if value < 0:
        raise ValueError("amount_in_words takes an amount of 0 or more")
    rupees = int(value)
    return rupees, int((value - rupees) * 100)


def amount_in_words_hi(amount: Decimal | int | str) -> str:
    """Rupees and paise in Hindi words: 12345678.50 -> 'एक करोड़ तेईस लाख पैंतालीस हजार छह सौ अठहत्तर रुपये
    और पचास पैसे'; one rupee is 'एक रुपया', one paisa 'एक पैसा'. Rounded to the paisa, half up, first."""
    rupees, paise = _rupees_and_paise(amount)
    rupee_words = f"{number_in_words_hi(rupees)} {'रुपया' if rupees == 1 else 'रुपये'}"
    if not paise:
        return rupee_words
    paise_words = f"{number_in_words_hi(paise)} {'पैसा' if paise == 1 else 'पैसे'}"
    return paise_words if not rupees else f"{rupee_words} और {paise_words}"


def amount_in_words(amount: Decimal | int | str, language: str = "en") -> str:
    """Rupees and paise in words, Indian system: 123456.50 -> 'One Lakh Twenty-Three Thousand Four
    Hundred Fifty-Six Rupees and Fifty Paise'; in Hindi when ``language`` is "hi" (or "hi-IN" ...).
    Rounded to the paisa, half up, first."""
    if language.startswith("hi"):
        return amount_in_words_hi(amount)
    rupees, paise = _rupees_and_paise(amount)
    rupee_words = f"{number_in_words(rupees)} {'Rupee' if rupees == 1 else 'Rupees'}"
    if not paise:
        return rupee_words
    paise_words = f"{number_in_words(paise)} {'Paisa' if paise == 1 else 'Paise'}"
    return paise_words if not rupees else f"{rupee_words} and {paise_words}"
