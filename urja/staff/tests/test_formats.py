"""One money format (₹ with Indian grouping, "Cr" for credits, explained) and one date format per
language, used by every staff template."""

import datetime
import re
from decimal import Decimal
from pathlib import Path

import pytest
from django.utils import translation

from urja.staff.templatetags.urja_tags import balance, day, moment, money

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"
STAFF_TEMPLATES = sorted([*(TEMPLATES / "staff").rglob("*.html"), *(TEMPLATES / "payments").rglob("*.html")])


def test_money_is_rupees_in_indian_grouping():
    assert money(Decimal("123456.5")) == '<span class="money">₹1,23,456.50</span>'
    assert money("0") == '<span class="money">₹0.00</span>'
    assert money(None) == ""


def test_a_credit_is_cr_with_its_meaning():
    html = money(Decimal("-1234"))
    assert html.startswith('<span class="money credit">₹1,234.00&nbsp;<abbr class="cr" title="Credit')
    assert ">Cr</abbr>" in html and "-" not in html
    assert balance(Decimal("-50")).startswith("50.00&nbsp;<abbr")
    assert balance(Decimal("1234567")) == "12,34,567.00"


def test_credit_explained_in_hindi():
    with translation.override("hi"):
        html = str(money(Decimal("-10")))
    assert 'title="जमा' in html and ">जमा</abbr>" in html


@pytest.mark.parametrize("language", ["en", "hi"])
def test_one_date_format_per_language_in_ist(language):
    with translation.override(language):
        assert day(datetime.date(2026, 4, 1)) == "01-04-2026"
        # 31 March 20:00 UTC is already 1 April in India
        instant = datetime.datetime(2026, 3, 31, 20, 0, tzinfo=datetime.UTC)
        assert moment(instant) == "01-04-2026 01:30"
        assert day(instant) == "01-04-2026"


@pytest.mark.parametrize("template", STAFF_TEMPLATES, ids=lambda p: str(p.relative_to(TEMPLATES)))
def test_staff_templates_use_the_one_format(template):
    text = template.read_text(encoding="utf-8")
    assert not re.search(r'\|date:"d-m-Y', text), "use |day or |moment"
    # translated sentences keep "₹{{ amount }}" in their text, with the amount bound through |inr
    outside = re.sub(r"\{%\s*blocktranslate.*?endblocktranslate\s*%\}", "", text, flags=re.S)
    assert not re.search(r"₹\s?\{\{", outside), "use |money"
    for block in re.findall(r"\{%\s*blocktranslate.*?endblocktranslate\s*%\}", text, flags=re.S):
        for name in re.findall(r"₹\s?\{\{\s*(\w+)\s*\}\}", block):
            assert re.search(rf"\b{name}=[\w.]+(\|\w+)*\|inr", block), f"bind {name} with |inr: {block[:80]}"
