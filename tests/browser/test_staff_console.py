import os
import shutil

import pytest

from urja.testing import TEST_PASSWORD

from .conftest import font_loaded

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def login(page, live_server, username):
    page.goto(f"{live_server.url}/staff/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", TEST_PASSWORD)
    page.click("button[type=submit]:has-text('Log in')")


def test_je_logs_in_searches_and_opens_own_consumer(page, live_server, two_subdivisions, tmp_path):
    login(page, live_server, "je_a")
    assert "DC-A" in page.inner_text("[data-testid=office]")
    assert page.url.endswith("/staff/work/")  # a JE lands on the office's inbox
    page.click("[data-testid=nav-consumers]")
    own = two_subdivisions["consumer_a"]
    page.fill("#id_q", own.mobile)
    page.click("button:has-text('Search')")
    page.click(f"a:has-text('{own.account_number}')")
    assert page.inner_text("[data-testid=account-number]") == own.account_number
    assert own.mobile not in page.content()  # masked everywhere
    # Another sub-division's consumer: not found, not shown.
    other = two_subdivisions["consumer_b"]
    response = page.goto(f"{live_server.url}/staff/consumers/{other.account_number}/")
    assert response.status == 404
    assert other.name not in page.content()


def test_console_in_hindi_renders_devanagari(page, live_server, two_subdivisions, tmp_path):
    login(page, live_server, "je_a")
    page.click("button:has-text('हिन्दी')")
    page.click("[data-testid=nav-consumers]")
    page.wait_for_selector("text=उपभोक्ता खोजें")
    assert page.evaluate("document.documentElement.lang") == "hi"
    # The web font is served and used (no empty boxes on machines without a Devanagari font).
    assert font_loaded(page, "Noto Sans Devanagari"), "the Devanagari web font was not loaded from /static/"
    page.fill("#id_q", "Consumer")
    page.click("button:has-text('खोजें')")
    shot = tmp_path / "console-hi.png"
    page.screenshot(path=str(shot), full_page=True)
    assert shot.stat().st_size > 5000
    if os.environ.get("URJA_SCREENSHOTS"):
        shutil.copy(shot, os.environ["URJA_SCREENSHOTS"])


def test_wrong_password_shows_error(page, live_server, two_subdivisions):
    page.goto(f"{live_server.url}/staff/login/")
    page.fill("#id_username", "je_a")
    page.fill("#id_password", "not-the-password")
    page.click("button[type=submit]:has-text('Log in')")
    # The click submits a form: wait for the answer page instead of reading the old one.
    page.wait_for_selector("[data-testid=login-error]", state="visible")
    assert "/staff/login/" in page.url
