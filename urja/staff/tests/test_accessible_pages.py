"""Every input of the staff pages has a label, and the stylesheet's text colours meet WCAG AA (4.5:1)
on the backgrounds they are used on."""

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.urls import reverse

from urja.payments import cashbooks as cash
from urja.payments.tests.counter_fixtures import bill, counter_desk

CSS = Path(__file__).resolve().parents[2] / "static" / "css" / "urja.css"


class _Inputs(HTMLParser):
    def __init__(self):
        super().__init__()
        self.inputs, self.label_for, self.open_labels = [], set(), 0

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "label":
            self.open_labels += 1
            if attrs.get("for"):
                self.label_for.add(attrs["for"])
        elif tag in ("input", "select", "textarea") and attrs.get("type") not in (
            "hidden",
            "submit",
            "button",
        ):
            self.inputs.append((attrs, self.open_labels > 0))

    def handle_endtag(self, tag):
        if tag == "label":
            self.open_labels -= 1


def unlabelled(html: str) -> list[dict]:
    parser = _Inputs()
    parser.feed(html)
    return [
        attrs
        for attrs, wrapped in parser.inputs
        if not (wrapped or attrs.get("id") in parser.label_for or attrs.get("aria-label"))
    ]


@pytest.mark.django_db
def test_every_input_has_a_label(client, two_subdivisions):
    desk = counter_desk(two_subdivisions)
    bill(desk["consumer_a"], "500.00")
    cash.cash_book_open(counter=desk["counter_a"], cashier=desk["cashier_a"])
    client.force_login(desk["cashier_a"])
    pages = [
        reverse("staff:home") + "?q=Consumer",
        reverse("payments:counters"),
        reverse("payments:counter", args=[desk["counter_a"].pk])
        + f"?account={desk['consumer_a'].account_number}",
        reverse("staff:tariff_quote"),
    ]
    for url in pages:
        html = client.get(url).content.decode()
        assert unlabelled(html) == [], url
    client.force_login(desk["sdo_a"])
    for url in (
        reverse("payments:adjustments"),
        reverse("staff:revisions_pending"),
        reverse("payments:summary"),
    ):
        assert unlabelled(client.get(url).content.decode()) == [], url


def _luminance(hex_colour):
    channels = [int(hex_colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def _contrast(a, b):
    la, lb = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def test_text_colours_meet_aa():
    css = CSS.read_text(encoding="utf-8")
    colours = dict(re.findall(r"--([\w-]+):\s*(#[0-9a-fA-F]{6})", css))
    pairs = [
        ("#ffffff", colours["brand"]),  # header and job bar
        ("#ffffff", colours["brand-dark"]),  # the current job
        (colours["text"], colours["bg"]),
        (colours["brand"], colours["bg"]),  # links
        ("#5b6776", "#ffffff"),  # .muted
        ("#5b6776", colours["bg"]),
        (colours["warn"], "#fff0db"),  # badges
        (colours["ok"], "#dcf3e3"),
        (colours["bad"], "#fde2e0"),
        (colours["brand-dark"], "#e8f4fb"),
    ]
    weak = [(fg, bg, round(_contrast(fg, bg), 2)) for fg, bg in pairs if _contrast(fg, bg) < 4.5]
    assert weak == []


def test_the_label_check_finds_an_unlabelled_input():
    assert unlabelled('<label for="a">A</label><input id="a"><input name="q">') == [{"name": "q"}]
    assert unlabelled('<label><input type="checkbox" name="c"> C</label>') == []
