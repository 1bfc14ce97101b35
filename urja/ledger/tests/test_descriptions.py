"""Ledger entries say what they are in the reader's language, from their code and params."""

from types import SimpleNamespace

import pytest

from urja.ledger import descriptions as d


def entry(code="", params=None, description="stored"):
    return SimpleNamespace(code=code, params=params or {}, description=description)


CASES = [
    (d.describe(d.BILL, bill="26071900000011"), "Bill 26071900000011", "बिल 26071900000011"),
    (
        d.describe(d.BILL_CREDIT, bill="26071900000011"),
        "Credit on bill 26071900000011",
        "बिल 26071900000011 पर क्रेडिट",
    ),
    (
        d.describe(d.BILL_SUBSIDY, bill="26071900000011"),
        "Government subsidy on bill 26071900000011",
        "बिल 26071900000011 पर सरकारी सब्सिडी",
    ),
    (
        d.describe(d.PAYMENT, receipt="C1-00000001", channel="cash"),
        "Payment C1-00000001 (Cash at counter)",
        "भुगतान C1-00000001 (काउंटर पर नकद)",
    ),
    (
        d.describe(d.BOUNCE_CHARGE, instrument="cheque", number="004512", bank="SBI", receipt="C1-7"),
        "Cheque bounce charge: cheque 004512 SBI, receipt C1-7",
        "चेक अनादरण शुल्क: चेक 004512 SBI, रसीद C1-7",
    ),
    (
        d.describe(d.LPSC, month="2026-11", items=[["1.25", "123456.00", "2026-09"], ["2", "500.00", ""]]),
        "LPSC 2026-11: 1.25% on 1,23,456.00 (2026-09); 2% on 500.00 (opening balance)",
        "विलंब भुगतान अधिभार (LPSC) 2026-11: ₹1,23,456.00 (2026-09) पर 1.25%; ₹500.00 (प्रारंभिक शेष) पर 2%",
    ),
]


@pytest.mark.parametrize(("fields", "english", "hindi"), CASES, ids=[c[0]["code"] for c in CASES])
def test_each_code_in_english_and_hindi(fields, english, hindi):
    assert fields["description"] == english  # the stored text is the English rendering
    posted = entry(fields["code"], fields["params"], fields["description"])
    assert d.entry_text(posted, "en") == english
    assert d.entry_text(posted, "hi") == hindi


def test_a_reversal_names_what_it_reverses_in_the_reader_language():
    payment = entry(**d.describe(d.PAYMENT, receipt="C1-1", channel="partner"))
    reversal = entry(**d.reversal_of(payment))
    assert reversal.description == "Reversal of Payment C1-1 (BBPS / bank / payment app)"
    assert d.entry_text(reversal, "hi") == "भुगतान C1-1 (BBPS / बैंक / भुगतान ऐप) की उलट प्रविष्टि"
    old = entry(description="Adjustment #4 (credit): meter replaced")
    old_reversal = entry(**d.reversal_of(old))
    assert d.entry_text(old_reversal, "en") == "Reversal of Adjustment #4 (credit): meter replaced"
    assert d.entry_text(old_reversal, "hi") == "Adjustment #4 (credit): meter replaced की उलट प्रविष्टि"


def test_an_entry_without_a_code_or_with_an_unknown_one_shows_its_description():
    assert d.entry_text(entry(description="Opening balance from legacy system"), "hi") == (
        "Opening balance from legacy system"
    )
    assert d.entry_text(entry("future_code", {"x": "1"}, "Something new"), "hi") == "Something new"


def test_an_unknown_channel_shows_its_code():
    fields = d.describe(d.PAYMENT, receipt="R1", channel="kiosk")
    assert fields["description"] == "Payment R1 (kiosk)"


def test_the_stored_text_is_english_whatever_language_is_active():
    from django.utils import translation

    for active in ("hi", "en"):
        with translation.override(active):
            assert d.describe(d.BILL, bill="1")["description"] == "Bill 1"
            assert d.entry_text(entry(d.BILL, {"bill": "1"}), "hi") == "बिल 1"
            assert d.entry_text(entry(d.BILL, {"bill": "1"}), "en") == "Bill 1"
            assert translation.get_language() == active  # and the active language is left as it was
