"""A cashier's day in a real browser: open the cash book, find an account, take cash, print the
receipt, try to close with a wrong count (refused), close with the right one."""

import pytest

from urja.ledger.selectors import balance
from urja.payments.models import CashBook, Payment
from urja.payments.tests.counter_fixtures import bill, counter_desk
from urja.testing import TEST_PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_cashier_day(page, live_server, two_subdivisions, shots):
    desk = counter_desk(two_subdivisions)
    consumer = desk["consumer_a"]
    bill(consumer, "1234.00")
    # Count print dialogs across page loads (headless Chromium has no printer).
    page.add_init_script(
        "window.print = function () { sessionStorage.setItem('prints', String(Number(sessionStorage.getItem('prints') || 0) + 1)); };"
    )
    page.goto(f"{live_server.url}/staff/login/")
    page.fill("#id_username", "cashier_a")
    page.fill("#id_password", TEST_PASSWORD)
    page.click("button[type=submit]:has-text('Log in')")

    page.goto(f"{live_server.url}/staff/payments/counters/{desk['counter_a'].id}/")
    page.click('button:has-text("Open today\'s cash book")')
    page.fill("#id_account", consumer.account_number)
    page.click("button:has-text('Find')")
    assert "₹1,234.00" in page.inner_text("main")  # the amount due is shown, in Indian grouping
    page.fill("[data-testid=payment-form] input[name=amount]", "1234")
    page.check("input[name=mode][value=cash]")
    page.click("button:has-text('Take payment and print receipt')")
    page.wait_for_selector("[data-testid=receipt-number]")
    receipt = page.inner_text("[data-testid=receipt-number]")
    assert Payment.objects.get(receipt_number=receipt).amount == 1234
    assert balance(consumer.id) == 0
    # One step: the print dialog opened by itself, once, on the thermal receipt alone.
    page.wait_for_function("() => sessionStorage.getItem('prints') === '1'")
    page.screenshot(path=shots / "01-receipt.png", full_page=True)
    page.emulate_media(media="print")
    page.screenshot(path=shots / "02-receipt-as-printed.png", full_page=True)
    assert page.is_visible("[data-testid=receipt-print-copy]")
    assert receipt in page.inner_text("[data-testid=receipt-print-copy]")
    assert not page.is_visible("[data-testid=header]") and not page.is_visible("[data-testid=allocation]")
    page.emulate_media(media="screen")
    assert not page.is_visible("[data-testid=receipt-print-copy]")
    page.reload()
    page.wait_for_selector("[data-testid=receipt-number]")
    assert page.evaluate("sessionStorage.getItem('prints')") == "1"  # a second look does not print again

    # Going back and submitting the same form again does not post twice.
    page.go_back()
    page.click("button:has-text('Take payment and print receipt')")
    page.wait_for_selector("[data-testid=receipt-number]")
    assert Payment.objects.count() == 1

    book = CashBook.objects.get()
    page.goto(f"{live_server.url}/staff/payments/books/{book.id}/close/")
    page.fill("input[name=n500]", "2")  # 1,000 counted, 1,234 taken
    page.click("[data-testid=close-form] button[type=submit]")
    assert "1234" in page.inner_text("main").replace(",", "")
    book.refresh_from_db()
    assert book.status == "open"
    for name, count in (("n500", "2"), ("n200", "1"), ("n20", "1"), ("n10", "1"), ("n2", "2")):
        page.fill(f"input[name={name}]", count)
    page.click("[data-testid=close-form] button[type=submit]")
    book.refresh_from_db()
    assert book.status == "closed"
