"""A 1912 agent takes a call on a 360 px phone screen, in Hindi, and the JE resolves it."""

import pytest

from urja.helpdesk.models import Category, TheftRate, Ticket
from urja.helpdesk.seed import seed_helpdesk
from urja.org.choices import Role
from urja.testing import TEST_PASSWORD, TransformerFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def login(page, live_server, username):
    page.goto(f"{live_server.url}/staff/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", TEST_PASSWORD)
    page.click("button[type=submit]:has-text('Log in')")


def fits(page):
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")


def test_agent_files_in_hindi_at_360px_and_je_resolves(browser, live_server, two_subdivisions):
    seed_helpdesk(Category, TheftRate)
    UserFactory(username="agent", role=Role.HELPDESK, office=two_subdivisions["division"])
    consumer = two_subdivisions["consumer_a"]
    consumer.dt = TransformerFactory(office=two_subdivisions["dc_a"])
    consumer.save()
    context = browser.new_context(viewport={"width": 360, "height": 740}, locale="en-IN")
    page = context.new_page()
    try:
        login(page, live_server, "agent")
        page.click("button:has-text('हिन्दी')")
        page.goto(f"{live_server.url}/staff/helpdesk/new/")
        assert "शिकायत दर्ज करें" in page.content()
        page.select_option("#tk_category", label="बिजली नहीं आ रही")
        page.fill("#tk_account_number", consumer.account_number)
        page.fill("#tk_description", "सुबह से बिजली नहीं है")
        assert fits(page)
        height = page.evaluate(
            "document.querySelector('[data-testid=file-ticket]').getBoundingClientRect().height"
        )
        assert height >= 44
        page.click("[data-testid=file-ticket]")
        ticket = Ticket.objects.get()
        assert page.inner_text("[data-testid=ticket-number]") == ticket.number
        assert fits(page)
        context.clear_cookies()

        login(page, live_server, "je_a")
        page.goto(f"{live_server.url}/staff/helpdesk/{ticket.number}/")
        page.fill("#id_text", "DT fuse blown")
        page.click("[data-testid=add-note]")
        page.fill("#id_resolution", "Fuse replaced")
        page.click("[data-testid=resolve]")
        page.wait_for_selector("[data-testid=event-resolved]")
        assert fits(page)
        ticket.refresh_from_db()
        assert ticket.status == "resolved"
    finally:
        context.close()
