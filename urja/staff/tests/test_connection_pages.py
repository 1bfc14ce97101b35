import datetime
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from urja.connections.models import NewConnectionApplication
from urja.customers.choices import ConsumerStatus
from urja.metering.models import Meter
from urja.org.choices import Role
from urja.testing import UserFactory

pytestmark = [pytest.mark.django_db, pytest.mark.clock("2026-11-28T12:00+05:30")]


@pytest.fixture
def s(two_subdivisions):
    dc = two_subdivisions["dc_a"]
    return {
        **two_subdivisions,
        "cashier": UserFactory(username="ncp_cashier", role=Role.CASHIER, office=two_subdivisions["sub_a"]),
        "lineman": UserFactory(username="ncp_lineman", role=Role.LINEMAN, office=dc),
        "auditor": UserFactory(username="ncp_auditor", role=Role.AUDITOR, office=dc),
    }


def enter(client, s):
    client.force_login(s["je_a"])
    response = client.post(
        reverse("staff:connection_new"),
        {
            "applicant_name": "Sita Devi", "father_husband_name": "Ram Lal", "address": "12 Station Road",
            "village_town": "Mohanlalganj", "district": "Lucknow", "mobile": "9876543210",
            "kyc_number": "123412341234", "category": "LMV1-URBAN", "load": "2", "load_unit": "kW",
            "area_class": "municipal", "office": s["dc_a"].pk, "preferred_date": "2026-12-01",
        },
    )  # fmt: skip
    assert response.status_code == 302, response.content.decode()[:2000]
    return NewConnectionApplication.objects.get()


def step(client, app, name, data=None, status=302):
    response = client.post(reverse("staff:connection_step", args=[app.pk, name]), data or {})
    assert response.status_code == status, response.content.decode()[:3000]
    return response


def test_a_new_connection_worked_through_the_console(client, s, tariffs):
    app = enter(client, s)
    page = client.get(reverse("staff:connection_list")).content.decode()
    assert "XXXXXX3210" in page and "9876543210" not in page
    for kind in ("id_proof", "address_proof"):
        step(client, app, "document", {"kind": kind, "file": SimpleUploadedFile(f"{kind}.pdf", b"%PDF x")})
    step(client, app, "verify")
    step(client, app, "inspection", {"remarks": "Feasible"})
    detail = client.get(reverse("staff:connection_detail", args=[app.pk])).content.decode()
    assert "estimate" in detail
    assert "Processing fee" in detail and "processing_fee" not in detail  # charges named, codes never bare
    client.force_login(s["sdo_a"])
    step(client, app, "demand", status=400)  # not confirmed: nothing happens
    app.refresh_from_db()
    assert app.consumer is None and app.item.state == "estimate"
    step(client, app, "demand", {"confirm": "yes"})
    app.refresh_from_db()
    assert app.demand_total == Decimal("1100.00")  # 100 + 2 × 300 + 2 × 200
    client.force_login(s["cashier"])
    step(client, app, "pay", {"amount": "1100.00", "reference": "R-77"})
    Meter.objects.create(serial="NCP-1", digits=6)
    client.force_login(s["je_a"])
    installation = {"meter": "NCP-1", "initial_reading": "0", "installed_on": "2026-11-28"}
    step(client, app, "install", installation, status=400)  # not confirmed
    step(client, app, "install", {**installation, "confirm": "yes"})
    app.refresh_from_db()
    assert app.item.outcome == "energised" and app.consumer.status == ConsumerStatus.ACTIVE
    assert app.consumer.connection_date == datetime.date(2026, 11, 28)
    # The generic item page links to the application's own page.
    item_page = client.get(reverse("workflow:item", args=[app.item.pk])).content.decode()
    assert reverse("staff:connection_detail", args=[app.pk]) in item_page


def test_refused_step_is_shown_and_changes_nothing(client, s):
    app = enter(client, s)
    response = step(client, app, "verify", status=400)
    assert "Documents still needed" in response.content.decode()
    app.item.refresh_from_db()
    assert app.item.state == "applied"


def test_office_scope_404(client, s):
    app = enter(client, s)
    client.force_login(s["je_b"])
    assert client.get(reverse("staff:connection_detail", args=[app.pk])).status_code == 404
    assert client.post(reverse("staff:connection_step", args=[app.pk, "verify"])).status_code == 404
    assert "Sita" not in client.get(reverse("staff:connection_list")).content.decode()


def test_role_403(client, s):
    app = enter(client, s)
    client.force_login(s["cashier"])
    assert client.get(reverse("staff:connection_new")).status_code == 403
    assert client.post(reverse("staff:connection_step", args=[app.pk, "verify"])).status_code == 403
    client.force_login(s["lineman"])
    assert client.post(reverse("staff:connection_step", args=[app.pk, "pay"])).status_code == 403
    client.force_login(s["auditor"])
    assert client.post(reverse("staff:connection_step", args=[app.pk, "demand"])).status_code == 403


def test_the_application_list_names_each_state_in_the_readers_language(client, s):
    app = enter(client, s)
    page = client.get(reverse("staff:connection_list")).content.decode()
    assert 'class="table-wrap' in page  # scrolls inside its card on a phone, not the whole page
    state = app.item.state
    assert f"<td>{state}</td>" not in page
    client.cookies["django_language"] = "hi"
    hindi = client.get(reverse("staff:connection_list"), HTTP_ACCEPT_LANGUAGE="hi").content.decode()
    from urja.connections.new_connection import NEW_CONNECTION

    assert NEW_CONNECTION.states[state].title_hi in hindi
