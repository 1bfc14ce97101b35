"""Amounts in words in Hindi and English, Indian numbering (lakh, crore)."""

from decimal import Decimal

import pytest

from urja.domain.money import format_indian
from urja.domain.words import amount_in_words, number_in_words_hi

D = Decimal


def test_one_crore_twenty_three_lakh_in_hindi_and_english() -> None:
    amount = D("12345678.50")
    assert format_indian(amount) == "1,23,45,678.50"
    assert amount_in_words(amount, "hi") == "एक करोड़ तेईस लाख पैंतालीस हजार छह सौ अठहत्तर रुपये और पचास पैसे"
    assert amount_in_words(amount, "en") == (
        "One Crore Twenty-Three Lakh Forty-Five Thousand Six Hundred Seventy-Eight Rupees and Fifty Paise"
    )
    assert amount_in_words(amount) == amount_in_words(amount, "en")


@pytest.mark.parametrize(
    ("n", "words"),
    [
        (0, "शून्य"),
        (5, "पाँच"),
        (11, "ग्यारह"),
        (19, "उन्नीस"),
        (21, "इक्कीस"),
        (29, "उनतीस"),
        (38, "अड़तीस"),
        (45, "पैंतालीस"),
        (49, "उनचास"),
        (51, "इक्यावन"),
        (59, "उनसठ"),
        (67, "सड़सठ"),
        (69, "उनहत्तर"),
        (79, "उन्यासी"),
        (89, "नवासी"),
        (99, "निन्यानवे"),
        (100, "एक सौ"),
        (101, "एक सौ एक"),
        (1000, "एक हजार"),
        (100000, "एक लाख"),
        (9999999, "निन्यानवे लाख निन्यानवे हजार नौ सौ निन्यानवे"),
        (10**7, "एक करोड़"),
        (1_00_00_00_000, "एक सौ करोड़"),
    ],
)
def test_hindi_number_words(n: int, words: str) -> None:
    assert number_in_words_hi(n) == words


def test_every_hindi_word_below_a_hundred_is_distinct_and_one_word() -> None:
    words = [number_in_words_hi(n) for n in range(1, 100)]
    assert len(set(words)) == 99
    assert all(" " not in word for word in words)


@pytest.mark.parametrize(
    ("amount", "hi"),
    [
        ("1", "एक रुपया"),
        ("2", "दो रुपये"),
        ("0.01", "एक पैसा"),
        ("0.50", "पचास पैसे"),
        ("1727.00", "एक हजार सात सौ सत्ताईस रुपये"),
        ("100000.05", "एक लाख रुपये और पाँच पैसे"),
    ],
)
def test_hindi_rupees_and_paise(amount: str, hi: str) -> None:
    assert amount_in_words(D(amount), "hi-IN") == hi


def test_hindi_words_refuse_floats_and_negatives() -> None:
    with pytest.raises(TypeError):
        amount_in_words(12.5, "hi")  # type: ignore[arg-type]
    with pytest.raises(ValueError):
        amount_in_words(D("-1"), "hi")
