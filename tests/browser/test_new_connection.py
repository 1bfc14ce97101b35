"""A JE enters a new-connection application at the counter, uploads the documents and records the
inspection, the SDO issues the demand note, the cashier takes the payment and the JE records the
meter installation: the account is energised."""

import importlib

import pytest
from django.apps import apps

from urja.connections.models import NewConnectionApplication
from urja.customers.choices import ConsumerStatus
from urja.metering.models import Meter
from urja.org.choices import Role
from urja.testing import TEST_PASSWORD, UserFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.clock("2026-11-28T12:00+05:30"),
]
SEED = importlib.import_module("urja.connections.migrations.0003_seed_connection_charges")


def login(page, live_server, username):
    page.context.clear_cookies()
    page.goto(f"{live_server.url}/staff/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", TEST_PASSWORD)
    page.click("button[type=submit]:has-text('Log in')")


def test_officers_take_a_new_connection_to_an_energised_account(page, live_server, two_subdivisions, tariffs):
    SEED.seed(apps, None)  # a transactional test's flush removed the seeded rates
    UserFactory(username="nc_cashier", role=Role.CASHIER, office=two_subdivisions["sub_a"])
    Meter.objects.create(serial="BR-NC-1", digits=6)
    login(page, live_server, "je_a")
    page.goto(f"{live_server.url}/staff/connections/new/")
    for field, value in {
        "applicant_name": "Sita Devi", "father_husband_name": "Ram Lal", "address": "12 Station Road",
        "village_town": "Mohanlalganj", "district": "Lucknow", "mobile": "9876543210", "load": "2",
    }.items():  # fmt: skip
        page.fill(f"#id_{field}", value)
    page.select_option("#id_category", "LMV1-URBAN")
    page.select_option("#id_area_class", "municipal")
    page.select_option("#id_office", str(two_subdivisions["dc_a"].pk))
    page.click("[data-testid=submit-application]")
    page.wait_for_selector("[data-testid=reference]")
    app = NewConnectionApplication.objects.get()
    for kind in ("id_proof", "address_proof"):
        page.select_option("#id_kind", kind)
        page.set_input_files(
            "#id_file", files=[{"name": f"{kind}.pdf", "mimeType": "application/pdf", "buffer": b"%PDF x"}]
        )
        page.click("[data-testid=upload]")
        page.wait_for_selector("[data-testid=documents]")
    page.click("[data-testid=verify]")
    page.fill("#id_remarks", "Feasible; pole 20 m away")
    page.click("[data-testid=inspected]")
    page.wait_for_selector("[data-testid=estimate]")
    assert "₹1,100.00" in page.inner_text("[data-testid=estimate]")

    login(page, live_server, "sdo_a")
    page.goto(f"{live_server.url}/staff/connections/{app.pk}/")
    page.check("[data-testid=confirm-demand]")
    page.click("[data-testid=issue-demand]")
    assert page.inner_text("[data-testid=demand-total]") == "₹1,100.00"

    login(page, live_server, "nc_cashier")
    page.goto(f"{live_server.url}/staff/connections/{app.pk}/")
    page.fill("#id_reference", "R-BR-1")
    page.click("[data-testid=pay]")
    page.wait_for_selector("[data-testid=state]:has-text('Meter installation')")

    login(page, live_server, "je_a")
    page.goto(f"{live_server.url}/staff/connections/{app.pk}/")
    page.fill("#id_meter", "BR-NC-1")
    page.fill("#id_installed_on", "2026-11-28")
    page.check("[data-testid=confirm-install]")
    page.click("[data-testid=install]")
    page.wait_for_selector("[data-testid=account]")
    app.refresh_from_db()
    assert app.item.outcome == "energised" and app.consumer.status == ConsumerStatus.ACTIVE
    assert app.consumer.account_number in page.inner_text("[data-testid=account]")
