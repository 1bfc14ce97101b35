"""Issue 10, Profile, in a real browser at 360 px and in Hindi: add an e-mail address, type the code
it was sent, then choose bills by e-mail."""

import re

import pytest

from urja.customers.models import Consumer
from urja.notifications.models import OutboundMessage
from urja.testing import ConsumerFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.clock("2026-11-28T12:00+05:30"),
]


def code_sent_to(to: str, template: str) -> str:
    body = OutboundMessage.objects.filter(to=to, template=template).order_by("-id").first().body
    return re.search(r"\b(\d{6})\b", body).group(1)


def test_email_proved_then_bills_by_email_in_hindi(page, live_server, tmp_path):
    consumer = ConsumerFactory(mobile="9876501234", email="", language="hi")
    page.set_viewport_size({"width": 360, "height": 640})
    page.goto(f"{live_server.url}/?lang=hi")
    page.goto(f"{live_server.url}/login/")
    page.fill("#identifier", consumer.account_number)
    page.click("[data-testid=send-code]")
    page.fill("#code", code_sent_to("9876501234", "otp"))
    page.click("[data-testid=verify]")
    page.wait_for_selector("[data-testid=current-bill], h1")
    page.goto(f"{live_server.url}/account/profile/")
    # Bills by e-mail without an address: refused, saying why, in Hindi.
    page.check("#ebill")
    page.locator("form:has(#ebill) button").click()
    assert "पुष्टि" in page.inner_text("[data-testid=ebill-error]")
    page.fill("#email", "ravi.kumar@example.com")
    page.locator("form:has(#email) button").click()
    assert "r***@example.com" in page.inner_text("[data-testid=hint]")
    page.fill("#code", code_sent_to("ravi.kumar@example.com", "email_otp"))
    page.click("[data-testid=verify]")
    page.wait_for_selector("[data-testid=saved]")
    assert page.locator("[data-testid=email-proved]").is_visible()
    page.check("#ebill")
    page.locator("form:has(#ebill) button").click()
    page.wait_for_selector("[data-testid=saved]")
    no_sideways = page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    page.screenshot(path=tmp_path / "profile-email-hi.png", full_page=True)
    consumer = Consumer.objects.get(pk=consumer.pk)
    assert consumer.ebill and consumer.email_verified and no_sideways
