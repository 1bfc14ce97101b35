"""The supervisor's pages on a 360 px phone, in Hindi: nothing scrolls sideways."""

import pytest
from django.test import Client

from urja.testing import TEST_PASSWORD

from .conftest import item, login
from .test_api_sync import BOOK, post, reading_payload

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.clock("2026-11-28T12:00:00+05:30"),  # the readings of the period 2026-11, read in it
]
PAGES = ["", "unbilled/", "queue/", "map/", "sample/", "routes/"]


def test_every_supervisor_page_fits_360px_in_hindi(browser, live_server, tariffs, field):
    client = login(Client(), field["reader"])
    book = client.get(BOOK).json()
    items = [item("reading", reading_payload(stop, book)) for stop in book["stops"][:2]]
    items[0]["payload"]["device_bill"]["payable"] = "1.00"  # one mismatch for the queue
    post(client, items)
    context = browser.new_context(viewport={"width": 360, "height": 740}, locale="en-IN")
    page = context.new_page()
    try:
        page.goto(f"{live_server.url}/staff/login/")
        page.fill("#id_username", "je_a")
        page.fill("#id_password", TEST_PASSWORD)
        page.click("button[type=submit]:has-text('Log in')")
        page.wait_for_url("**/staff/**")
        page.click("button:has-text('हिन्दी')")
        for path in PAGES:
            page.goto(f"{live_server.url}/field/supervisor/{path}?period=2026-11")
            assert "/field/supervisor/" in page.url and page.locator("h1").count() == 1, path
            assert page.evaluate("document.documentElement.lang") == "hi", path
            assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1"), path
        page.goto(f"{live_server.url}/field/supervisor/queue/")
        assert page.locator("[data-testid=mismatch]").count() == 1
    finally:
        context.close()
