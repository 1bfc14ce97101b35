"""An officer works an item in the workflow console on a 360 px phone: inbox → item → an irreversible
action through its confirmation page; and a work order completed by hand."""

import pytest

from urja.testing import TEST_PASSWORD
from urja.workflow import services
from urja.workflow.tests.conftest import calls, org, process  # noqa: F401 - fixtures

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.clock("2026-11-28T12:00:00+05:30"),
]


@pytest.fixture
def phone(browser):
    context = browser.new_context(viewport={"width": 360, "height": 740}, locale="en-IN")
    page = context.new_page()
    yield page
    context.close()


def login(page, live_server, username):
    page.goto(f"{live_server.url}/staff/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", TEST_PASSWORD)
    page.click("button[type=submit]:has-text('Log in')")


def fits(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")


def test_officer_rejects_an_application_through_the_confirmation_page(phone, live_server, process, org):  # noqa: F811
    item = services.start("wftest", office=org["dc"], by=org["je"], data={"applicant": "Asha Devi"})
    login(phone, live_server, "wf_je")
    phone.click("[data-testid=nav-inbox]")
    assert phone.is_visible(f"text={item.reference}") and fits(phone)
    phone.click(f"a:has-text('{item.reference}')")
    assert phone.inner_text("[data-testid=item-state]").startswith("Applied") and fits(phone)
    phone.click("[data-testid=action-reject]")
    assert "cannot be undone" in phone.inner_text("[data-testid=confirm]") and fits(phone)
    phone.fill("#id_reason", "Premises outside the licensed area")
    phone.click("[data-testid=submit-action]")  # not confirmed: refused, nothing happens
    assert phone.is_visible("[data-testid=confirm]")
    phone.check("#id_confirm")
    box = phone.locator("[data-testid=submit-action]").bounding_box()
    assert box["height"] >= 44  # a touch target
    phone.click("[data-testid=submit-action]")
    assert phone.inner_text("[data-testid=item-state]").startswith("Rejected")
    assert "Premises outside the licensed area" in phone.inner_text("[data-testid=timeline]")
    item.refresh_from_db()
    assert item.outcome == "rejected"


def test_lineman_completes_a_work_order_by_hand_in_hindi(phone, live_server, org):  # noqa: F811
    order = services.work_order_create(
        "disconnection", office=org["dc"], reason="Dues unpaid", by=org["je"], assigned_to=org["lineman"]
    )
    login(phone, live_server, "wf_lineman")
    phone.click("button:has-text('हिन्दी')")
    phone.click("[data-testid=nav-orders]")
    phone.click("[data-testid=mine]")
    phone.click(f"a:has-text('{order.reference}')")
    assert fits(phone)
    phone.fill("#id_reading_value", "4521.5")
    phone.fill("#id_latitude", "26.85")
    phone.fill("#id_longitude", "80.95")
    phone.fill("#id_remarks", "खंभे पर काटा गया")
    phone.click("[data-testid=complete-order]")
    assert phone.inner_text("[data-testid=order-status]") == "पूर्ण"
    order.refresh_from_db()
    assert order.result["remarks"] == "खंभे पर काटा गया" and order.completed_by == org["lineman"]
