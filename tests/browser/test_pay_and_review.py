"""Money flows in a real browser: a consumer pays online through the sandbox gateway (signed webhook,
posted once), and an SDO approves a held bill from the review queue (posted to the ledger)."""

import datetime
from decimal import Decimal

import pytest

from urja.billing import runs
from urja.billing.models import Bill
from urja.billing.tests.conftest import metered_consumer
from urja.ledger.selectors import balance
from urja.metering.services import reading_record
from urja.payments.models import Payment
from urja.payments.tests.counter_fixtures import bill
from urja.testing import TEST_PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_consumer_pays_online(page, live_server, two_subdivisions, settings):
    settings.URJA_PAYMENTS = {**settings.URJA_PAYMENTS, "SANDBOX_GATEWAY_ENABLED": True}
    consumer = two_subdivisions["consumer_a"]
    bill(consumer, "845.50")
    page.goto(f"{live_server.url}/pay/start/?account={consumer.account_number}")
    assert "845.50" in page.inner_text("body")
    assert consumer.name not in page.inner_text("body")  # only the masked name is shown
    page.click("button:has-text('Proceed to pay')")
    page.click("button:has-text('Pay')")
    page.wait_for_selector("text=Payment received", timeout=15000)
    payment = Payment.objects.get()
    assert payment.channel == "online" and payment.amount == Decimal("845.50")
    assert payment.receipt_number in page.inner_text("body")
    assert balance(consumer.id) == 0
    page.reload()  # coming back to the page posts nothing more
    assert Payment.objects.count() == 1


def test_sdo_approves_a_held_bill(page, live_server, two_subdivisions, tariffs):
    office = two_subdivisions["dc_a"]
    spike = metered_consumer(office, serial="M1")
    reading_record(
        consumer=spike, reading_date=datetime.date(2026, 7, 31), kwh=Decimal(1500), source="manual"
    )
    runs.bill_run(cycle_code="2026-07", office=office)
    held = Bill.objects.get(consumer=spike)
    assert held.status == "held" and balance(spike.id) == 0

    page.goto(f"{live_server.url}/staff/login/")
    page.fill("#id_username", "sdo_a")
    page.fill("#id_password", TEST_PASSWORD)
    page.click("button[type=submit]:has-text('Log in')")
    page.goto(f"{live_server.url}/staff/billing/review/")
    card = page.locator(f"#bill-{held.id}")
    assert "3" in card.inner_text()  # the reason: above 3 times the average
    with page.expect_navigation():
        card.locator("[data-testid=approve]").click()
    errors = page.locator("[data-testid=action-error]")
    assert not errors.count(), errors.all_inner_texts()
    assert not page.locator(f"#bill-{held.id}").count()  # gone from the queue
    held.refresh_from_db()
    assert held.status == "issued" and held.reviewed_by == two_subdivisions["sdo_a"]
    assert balance(spike.id) == held.payable
