"""The consumer portal in a real browser at phone width: choose a language, log in with an OTP, see a
bill, download its PDF, pay it through the sandbox gateway and get the receipt; and quick pay with no
login. Screenshots go to the test's tmp dir."""

import datetime
import re
from decimal import Decimal

import pytest

from urja.ledger import services as ledger
from urja.ledger.choices import EntryType
from urja.notifications.models import OutboundMessage
from urja.payments.models import Payment
from urja.portal.tests.test_account_pages import make_bill
from urja.testing import ConsumerFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.clock("2026-11-28T12:00+05:30"),
]


@pytest.fixture
def phone(page):
    page.set_viewport_size({"width": 360, "height": 640})
    return page


@pytest.fixture
def sandbox(settings):
    settings.URJA_PAYMENTS = {**settings.URJA_PAYMENTS, "SANDBOX_GATEWAY_ENABLED": True}


def otp_sent_to(mobile: str) -> str:
    body = OutboundMessage.objects.filter(to=mobile, template="otp").order_by("-id").first().body
    return re.search(r"\b(\d{6})\b", body).group(1)


def test_login_view_bill_download_pay_and_receipt(phone, live_server, sandbox, shots):
    consumer = ConsumerFactory(mobile="9876501234", name="Ravi Kumar")
    # wide amounts that cancel out: the statement must still fit at 360 px
    for amount in ("9876543.21", "-9876543.21"):
        ledger.entry_post(
            consumer=consumer, entry_type=EntryType.ADJUSTMENT, amount=Decimal(amount),
            entry_date=datetime.date(2026, 9, 1), description="Adjustment for the statement's width",
        )  # fmt: skip
    bill = make_bill(consumer, "2026-10", "1450.00")
    page = phone
    page.goto(f"{live_server.url}/")
    page.screenshot(path=shots / "01-language.png")
    page.click("[data-testid=lang-en]")
    header = page.locator("header.top").bounding_box()
    assert header["height"] <= 0.15 * 640 + 1
    for tile in ("pay", "bill"):
        box = page.locator(f"[data-testid=tile-{tile}]").bounding_box()
        assert box["height"] >= 44 and box["width"] >= 44
    page.screenshot(path=shots / "02-home.png")
    page.click("[data-testid=tile-bill]")
    page.fill("#identifier", consumer.account_number)
    page.click("[data-testid=send-code]")
    assert "XXXXXX1234" in page.inner_text("[data-testid=hint]")
    page.fill("#code", otp_sent_to("9876501234"))
    page.click("[data-testid=verify]")
    page.wait_for_selector("[data-testid=current-bill]")
    assert bill.bill_number in page.inner_text("[data-testid=current-bill]")
    assert "1,450.00" in page.inner_text("[data-testid=amount-due]")
    assert page.locator("header.top").bounding_box()["height"] <= 0.15 * 640 + 1  # signed in: more links
    page.screenshot(path=shots / "03-account.png", full_page=True)
    page.click("[data-testid=lang-switch]")  # to Hindi, staying on the page
    page.wait_for_selector("html[lang=hi]")
    assert "मेरा खाता" in page.inner_text("h1") and page.url.endswith("/account/")
    # measured in the web font (a machine without Devanagari fonts draws wide boxes until it loads)
    page.evaluate("document.fonts.ready.then(() => document.fonts.size)")
    assert page.locator("header.top").bounding_box()["height"] <= 0.15 * 640 + 1
    page.screenshot(path=shots / "03-account-hi.png")
    # no table is cut at 360 px: statement and payments turn into cards, nothing scrolls sideways
    cut = page.evaluate(
        "[...document.querySelectorAll('table')].filter(t => t.scrollWidth > t.parentElement.clientWidth + 1)"
        ".map(t => t.dataset.testid)"
    )
    assert cut == [] and page.evaluate("document.documentElement.scrollWidth") <= 360
    consumer.refresh_from_db()
    assert consumer.language == "hi"
    page.click("[data-testid=lang-switch]")  # back to English
    page.wait_for_selector("html[lang=en]")
    consumer.refresh_from_db()
    assert consumer.language == "en"  # remembered on the account, too
    pdf = page.request.get(live_server.url + page.get_attribute("[data-testid=latest-pdf]", "href"))
    assert pdf.status == 200 and pdf.body()[:4] == b"%PDF"
    page.click("[data-testid=pay-now]")
    page.click("[data-testid=proceed]")
    page.click("button:has-text('Pay')")
    page.wait_for_selector("text=Payment received", timeout=15000)
    payment = Payment.objects.get()
    assert payment.amount == Decimal("1450.00") and payment.receipt_number in page.inner_text("body")
    receipt = page.request.get(live_server.url + page.get_attribute("[data-testid=receipt-pdf]", "href"))
    assert receipt.status == 200 and receipt.body()[:4] == b"%PDF"
    page.screenshot(path=shots / "04-receipt.png", full_page=True)
    assert OutboundMessage.objects.filter(template="payment_received", to="9876501234").exists()
    page.goto(f"{live_server.url}/account/")
    assert payment.receipt_number in page.inner_text("[data-testid=payments]")


def test_quick_pay_part_amount_without_login(phone, live_server, sandbox, shots):
    consumer = ConsumerFactory(mobile="9876501235", name="Sita Devi")
    make_bill(consumer, "2026-10", "900.00")
    page = phone
    page.goto(f"{live_server.url}/?lang=hi")
    page.click("[data-testid=tile-pay]")
    page.fill("#account", consumer.account_number)
    page.click("button[type=submit]")
    assert "900.00" in page.inner_text("body") and "Sita" not in page.inner_text("body")
    page.check("#choice-other")
    page.fill("#amount", "400")
    page.screenshot(path=shots / "05-quickpay.png", full_page=True)
    page.click("[data-testid=proceed]")
    page.click("button:has-text('Pay')")
    page.wait_for_selector("text=Payment received", timeout=15000)
    assert Payment.objects.get().amount == Decimal("400.00")
    page.screenshot(path=shots / "06-quickpay-receipt.png", full_page=True)
