"""Every interface string has a Hindi translation, and the compiled catalogue is the one in use."""

import re
from pathlib import Path

from django.utils import translation

PO = Path(__file__).resolve().parent.parent / "urja" / "locale" / "hi" / "LC_MESSAGES" / "django.po"


def _entries():
    text = PO.read_text(encoding="utf-8")
    return [block for block in text.split("\n\n") if "msgid" in block]


def test_no_untranslated_or_fuzzy_entries():
    missing = []
    for block in _entries()[1:]:  # the first is the header
        if "#, fuzzy" in block or re.search(r'msgstr(\[\d\])? ""\s*$', block):
            missing.append(block.split("msgid", 1)[1].split("\n", 1)[0])
    assert not missing, f"{len(missing)} entries need Hindi: {missing[:5]}"


def test_compiled_catalogue_is_in_use():
    with translation.override("hi"):
        assert translation.gettext("Find a consumer") == "उपभोक्ता खोजें"
        assert translation.gettext("Download statement (PDF)") == "खाता विवरण डाउनलोड करें (PDF)"
