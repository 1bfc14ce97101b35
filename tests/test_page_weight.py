"""Page weight: each key page's HTML plus the stylesheets and scripts it names must stay under 150 KB,
uncompressed (images and fonts are not counted: the fonts are subset WOFF2, tests/test_web_fonts.py).
The figures are printed (`pytest tests/test_page_weight.py -s`); bench/slow3g.py measures what a slow
3G phone makes of them."""

from __future__ import annotations

import importlib
import re
from html.parser import HTMLParser

import pytest
from django.apps import apps
from django.conf import settings
from django.contrib.staticfiles import finders

from urja.helpdesk.models import Category, TheftRate
from urja.helpdesk.seed import seed_helpdesk
from urja.payments.models import CashBook
from urja.payments.tests.counter_fixtures import counter_desk
from urja.portal import session as portal_session
from urja.portal.account_views import SESSION_PENDING
from urja.portal.tests.test_account_pages import make_bill
from urja.testing import ConsumerFactory

pytestmark = [pytest.mark.django_db, pytest.mark.clock("2026-11-30T12:00+05:30")]
BUDGET = 150 * 1024
SEED_CHARGES = importlib.import_module("urja.connections.migrations.0003_seed_connection_charges")


class _Assets(HTMLParser):
    """The stylesheets and scripts a page makes the browser fetch (not images, not fonts)."""

    def __init__(self):
        super().__init__()
        self.urls: list[str] = []
        self.icon = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "link" and "icon" in (attrs.get("rel") or "").split():
            self.icon = True
        if tag == "link" and "stylesheet" in (attrs.get("rel") or "").split() and attrs.get("href"):
            self.urls.append(attrs["href"])
        elif tag == "script" and attrs.get("src"):
            self.urls.append(attrs["src"])


def asset(url: str) -> bytes:
    assert url.startswith(settings.STATIC_URL), f"{url}: not a static file"
    path = finders.find(url.removeprefix(settings.STATIC_URL).split("?")[0])
    assert path, f"{url}: no such static file"
    with open(path, "rb") as f:
        return f.read()


def weigh(response) -> tuple[int, dict[str, int]]:
    assert response.status_code == 200, response.status_code
    html = response.content
    parser = _Assets()
    parser.feed(html.decode())
    # without an icon of its own a page makes the browser ask for /favicon.ico: a wasted round trip
    assert parser.icon, "the page names no icon (<link rel=icon>)"
    assets = {}
    for url in dict.fromkeys(parser.urls):
        body = asset(url)
        # a stylesheet that imports another would hide weight from this count
        assert not (url.endswith(".css") and re.search(rb"@import", body)), url
        assets[url] = len(body)
    return len(html), assets


@pytest.fixture
def world(two_subdivisions):
    seed_helpdesk(Category, TheftRate)
    SEED_CHARGES.seed(apps, None)
    desk = counter_desk(two_subdivisions)
    desk["consumer"] = ConsumerFactory(office=two_subdivisions["dc_a"], mobile="9876512345")
    desk["bill"] = make_bill(desk["consumer"], "2026-10", "1450.00")
    return desk


def portal_session_set(client, **keys):
    session = client.session
    session.update(keys)
    session.save()


def key_pages(client, world, language):
    """(name, response) for every key page, in the client's language."""
    consumer = world["consumer"]
    yield "portal home", client.get("/")
    yield "quick pay: account", client.get("/pay/start/")
    yield "quick pay: amount", client.get(f"/pay/start/?account={consumer.account_number}")
    yield "login", client.get("/login/")
    portal_session_set(
        client, **{SESSION_PENDING: {"mobile": consumer.mobile, "purpose": "login", "next": "/account/"}}
    )
    yield "OTP", client.get("/login/code/")
    portal_session_set(client, **{portal_session.SESSION_MOBILE: consumer.mobile,
                                  portal_session.SESSION_ACCOUNTS: [consumer.pk],
                                  portal_session.SESSION_CURRENT: consumer.pk,
                                  portal_session.SESSION_APPLICANT: consumer.mobile})  # fmt: skip
    yield "my account", client.get("/account/")
    yield "complaint form", client.get("/complaints/new/")
    yield "new connection", client.get("/apply/")
    client.logout()  # which forgets the cookies
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    yield "staff login", client.get("/staff/login/")
    client.force_login(world["sdo_a"])
    yield "staff console (inbox)", client.get("/staff/work/")
    yield "staff search", client.get("/staff/?q=Consumer")
    yield "consumer page", client.get(f"/staff/consumers/{consumer.account_number}/")
    yield "bill page", client.get(f"/staff/billing/bills/{world['bill'].pk}/")
    client.force_login(world["cashier_a"])
    counter = world["counter_a"]
    assert client.post(f"/staff/payments/counters/{counter.id}/open/").status_code == 302
    assert CashBook.objects.filter(counter=counter, status="open").exists()
    yield "counter", client.get(f"/staff/payments/counters/{counter.id}/?account={consumer.account_number}")


@pytest.mark.parametrize("language", ["en", "hi"])
def test_every_key_page_weighs_under_150_kb(client, world, language, capsys):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    over, rows = [], []
    for name, response in key_pages(client, world, language):
        html, assets = weigh(response)
        total = html + sum(assets.values())
        rows.append(f"{name:24} {total / 1024:6.1f} KB  (HTML {html / 1024:.1f} KB; "
                    + ", ".join(f"{url.rsplit('/', 1)[-1]} {size / 1024:.1f}" for url, size in assets.items()) + ")")  # fmt: skip
        if name.startswith("staff"):  # the count sees what the page names
            assert any(url.endswith("/urja.css") for url in assets), (name, assets)
        if total > BUDGET:
            over.append(rows[-1])
    with capsys.disabled():
        print(f"\npage weight ({language}, uncompressed, without images and fonts):")
        print("\n".join(rows))
    assert len(rows) == 14
    assert over == [], f"over {BUDGET // 1024} KB:\n" + "\n".join(over)
