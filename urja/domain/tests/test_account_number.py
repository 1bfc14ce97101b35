import pytest
from hypothesis import given
from hypothesis import strategies as st

from urja.domain import account_number as acct


def test_make_and_validate():
    number = acct.make(1, 12345678)
    assert len(number) == 10 and number.startswith("112345678")
    assert acct.is_valid(number)
    assert acct.normalize(f" {number[:5]}-{number[5:]} ") == number


@given(st.integers(1, 5), st.integers(0, 99_999_999), st.integers(0, 9), st.integers(1, 9))
def test_every_single_digit_error_is_caught(discom, serial, position, delta):
    number = acct.make(discom, serial)
    wrong = number[:position] + str((int(number[position]) + delta) % 10) + number[position + 1 :]
    assert not acct.is_valid(wrong)


@given(st.integers(1, 5), st.integers(0, 99_999_999), st.integers(0, 8))
def test_every_adjacent_swap_is_caught(discom, serial, position):
    number = acct.make(discom, serial)
    if number[position] == number[position + 1]:
        return
    swapped = number[:position] + number[position + 1] + number[position] + number[position + 2 :]
    assert not acct.is_valid(swapped)


@pytest.mark.parametrize(
    ("raw", "reason"),
    [
        ("12345", "10 digits"),
        ("12345678901", "10 digits"),
        ("12345abcde", "digits only"),
        ("9123456789", "starts with 1 to 5"),
    ],
)
def test_normalize_explains(raw, reason):
    with pytest.raises(acct.InvalidAccountNumber, match=reason):
        acct.normalize(raw)


def test_bad_check_digit_explained():
    number = acct.make(2, 7)
    wrong = number[:-1] + str((int(number[-1]) + 1) % 10)
    with pytest.raises(acct.InvalidAccountNumber, match="check digit"):
        acct.normalize(wrong)


def test_known_vector():
    # Verhoeff reference example: check digit of 236 is 3.
    assert acct.check_digit("236") == 3


DEVANAGARI = str.maketrans("0123456789", "०१२३४५६७८९")
FULL_WIDTH = str.maketrans("0123456789", "０１２３４５６７８９")
ARABIC_INDIC = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")


@pytest.mark.parametrize("script", [DEVANAGARI, FULL_WIDTH, ARABIC_INDIC])
def test_digits_of_another_script_are_read_as_the_same_ascii_number(script):
    number = acct.make(1, 12345678)
    typed = number.translate(script)
    assert acct.normalize(typed) == number
    assert acct.normalize(f"{typed[:5]} {typed[5:]}").isascii()
    assert not acct.is_valid(typed)  # is_valid is for stored (ASCII) numbers only


@pytest.mark.parametrize("raw", ["11234567²8", "²" * 10, "1123456781\u00b9", "①123456789", "１２３"])
def test_digit_like_characters_are_refused_not_a_crash(raw):
    with pytest.raises(acct.InvalidAccountNumber):
        acct.normalize(raw)
    assert not acct.is_valid(raw)
