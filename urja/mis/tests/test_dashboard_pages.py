"""The command centre's page and JSON: scoped to the user's subtree, figures shown with their gaps, in
Hindi too."""

import pytest

from urja.org.choices import Role
from urja.testing import UserFactory

from .test_dashboard import build_division

pytestmark = pytest.mark.clock("2025-08-10T12:00:00+05:30")  # July is the last closed month


@pytest.fixture
def division(db):
    return build_division()


def login(client, division, role=Role.MANAGEMENT, office="discom", language="en"):
    user = UserFactory(
        username=f"u-{role}-{office}", role=role, office=division[office], preferred_language=language
    )
    client.force_login(user)
    return user


def test_page_shows_kpis_children_league_heat_map(client, division):
    login(client, division)
    page = client.get("/staff/ucc/?office=EA-DIV")
    assert page.status_code == 200
    html = page.content.decode()
    assert 'data-testid="kpi-atc"' in html and "68.89%" in html
    assert 'href="?office=EB-SUB"' in html  # drill-down links
    assert 'data-testid="league"' in html and 'data-testid="heat-map"' in html
    assert "uPlot.esm.js" not in html and "ucc/ucc.js" in html  # the module imports uPlot itself


def test_json_has_the_same_figures(client, division):
    login(client, division)
    data = client.get("/staff/ucc/data.json?feeder=FA").json()
    assert data["energy"]["atc_loss_pct"] == "64.00"
    cards = {k["key"]: k for k in data["kpis"]}
    assert cards["atc"]["value"] == "64.00%"
    assert cards["complaints_open"]["value"] == "—" and cards["complaints_open"]["reason"]
    assert data["updated_at_text"].startswith("Updated at")


def test_gap_is_a_dash_with_its_reason(client, division):
    login(client, division)
    data = client.get("/staff/ucc/data.json?office=EA-DIV&period=2025-05").json()
    atc = next(k for k in data["kpis"] if k["key"] == "atc")
    assert atc["value"] == "—" and "no input energy" in atc["reason"]


@pytest.mark.parametrize("url", ["/staff/ucc/", "/staff/ucc/data.json"])
@pytest.mark.parametrize(
    "query", ["?office=EB-SUB", "?office=EA-DIV", "?feeder=FB", "?dt=B1", "?office=NONE"]
)
def test_outside_the_subtree_is_404(client, division, url, query):
    login(client, division, role=Role.SDO, office="sda")
    assert client.get(url + query).status_code == 404


def test_sdo_sees_own_subdivision_and_needs_view_reports(client, division):
    login(client, division, role=Role.SDO, office="sda")
    page = client.get("/staff/ucc/")
    assert page.status_code == 200 and 'data-testid="drill-FA"' in page.content.decode()
    assert client.get("/staff/ucc/?period=2025-13").status_code == 404
    client.force_login(UserFactory(username="cashier", role=Role.CASHIER, office=division["sda"]))
    assert client.get("/staff/ucc/").status_code == 403
    assert client.get("/staff/ucc/data.json").status_code == 403


def test_hindi(client, division):
    login(client, division, language="hi")
    client.cookies["django_language"] = "hi"
    html = client.get("/staff/ucc/?office=EA-DIV", HTTP_ACCEPT_LANGUAGE="hi").content.decode()
    assert "कमांड सेंटर" in html and "एटी एंड सी" in html
    data = client.get("/staff/ucc/data.json?office=EA-DIV&period=2025-05", HTTP_ACCEPT_LANGUAGE="hi").json()
    atc = next(k for k in data["kpis"] if k["key"] == "atc")
    assert "इनपुट ऊर्जा" in atc["reason"]


def test_the_refresh_asks_for_kpis_only(client, division):
    login(client, division)
    page = client.get("/staff/ucc/?office=EA-DIV").content.decode()
    assert "/staff/ucc/data.json?office=EA-DIV&amp;parts=kpis" in page
    data = client.get("/staff/ucc/data.json?office=EA-DIV&parts=kpis").json()
    assert data["children"] is None and data["heat_map"] is None and data["kpis"]
    assert client.get("/staff/ucc/data.json?office=EA-DIV").json()["children"]
