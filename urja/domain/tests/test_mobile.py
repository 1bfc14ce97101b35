import pytest

from urja.domain import mobile


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("9876543210", "9876543210"),
        ("+91 98765 43210", "9876543210"),
        ("09876543210", "9876543210"),
        ("91-6123456789", "6123456789"),
    ],
)
def test_normalize_accepts_common_forms(raw, expected):
    assert mobile.normalize(raw) == expected


@pytest.mark.parametrize(
    ("raw", "reason"),
    [
        ("5876543210", "starts with 6, 7, 8 or 9"),
        ("98765", "10 digits"),
        ("98765abc10", "digits only"),
        ("9999999999", "not a real"),
        ("+1 415 555 0100", "10 digits"),
    ],
)
def test_normalize_rejects(raw, reason):
    with pytest.raises(mobile.InvalidMobile, match=reason):
        mobile.normalize(raw)


def test_mask_keeps_last_four():
    assert mobile.mask("9876543210") == "XXXXXX3210"
    assert mobile.mask("") == ""


def test_mask_aadhaar():
    assert mobile.mask_document("1234 5678 9012") == "XXXX-XXXX-9012"
    assert mobile.mask_document("ABCDE1234F") == "XXXXXX234F"


@pytest.mark.parametrize("raw", ["९८७६५४३२१०", "+९१ ९८७६५ ४३२१०", "９８７６５４３２１０", "٩٨٧٦٥٤٣٢١٠"])
def test_digits_of_another_script_are_stored_in_ascii(raw):
    assert mobile.normalize(raw) == "9876543210"


@pytest.mark.parametrize("raw", ["98765432¹0", "９８７６５４３２¹0", "987654321²", "⑨876543210"])
def test_digit_like_characters_are_refused(raw):
    with pytest.raises(mobile.InvalidMobile, match="digits only"):
        mobile.normalize(raw)


def test_document_numbers_mask_the_same_in_any_script():
    assert (
        mobile.mask_document("१२३४ ५६७८ ९०१२") == mobile.mask_document("1234 5678 9012") == "XXXX-XXXX-9012"
    )
