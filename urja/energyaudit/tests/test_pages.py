"""/staff/energy/: the audit page and its drill-down are office-scoped (404 outside), rank and flag by
the threshold, show gaps in words, export through urja.common.export, and download the BEE pack."""

import io
from decimal import Decimal as D

import pytest
from django.core.management import call_command
from openpyxl import load_workbook

from urja.energyaudit.bee import bee_pack
from urja.energyaudit.selectors import office_audit
from urja.org.choices import Role
from urja.testing import ConsumerFactory, UserFactory

from .test_selectors import july  # noqa: F401

pytestmark = pytest.mark.clock("2025-11-15T10:00:00+05:30")
Q = "period=2025-07"


@pytest.fixture
def ee(july):  # noqa: F811
    return UserFactory(office=july["division"], role=Role.EE)


@pytest.fixture
def sdb_sdo(july):  # noqa: F811
    return UserFactory(office=july["sdb"], role=Role.SDO)


def test_the_office_page_lists_children_and_ranks_feeders(client, ee, july):  # noqa: F811
    client.force_login(ee)
    r = client.get(f"/staff/energy/?{Q}&threshold=70")
    assert r.status_code == 200
    html = r.content.decode()
    assert "EA-SUB" in html and "EB-SUB" in html
    feeders = html.split('data-testid="feeders"')[1].split("</table>")[0]
    assert feeders.index(">FB<") < feeders.index(">FA<")  # FB loses 75%, FA 60%
    assert feeders.count('data-flagged="1"') == 1  # only FB is above 70%
    assert r.context["total"]["f"].atc_loss_pct == D("68.89")


def test_the_default_threshold_comes_from_the_setting(client, ee, settings):
    settings.URJA_ENERGY_LOSS_THRESHOLD_PCT = "80"
    client.force_login(ee)
    r = client.get(f"/staff/energy/?{Q}")
    assert r.context["threshold"] == D("80") and r.context["flagged_feeders"] == 0


def test_gaps_are_words_not_zero(client, ee, july):  # noqa: F811
    client.force_login(ee)
    r = client.get("/staff/energy/?period=2025-05")
    html = r.content.decode()
    assert "no input recorded" in html and "input missing for a month" in html
    assert r.context["total"]["f"].td_loss_pct is None


def test_drill_down_to_a_dt_and_its_consumers(client, ee, july, consumers):  # noqa: F811
    client.force_login(ee)
    r = client.get(f"/staff/energy/feeders/{july['fa'].pk}/?{Q}")
    assert r.status_code == 200 and r.context["total"]["f"].td_loss_pct == D("60.00")
    r = client.get(f"/staff/energy/dts/{july['a1'].pk}/?{Q}")
    assert r.status_code == 200
    assert consumers["a1"].account_number in r.content.decode()
    assert [c.units for c in r.context["consumers"]] == [D("300")]


def test_another_offices_feeder_dt_and_office_are_404(client, sdb_sdo, july):  # noqa: F811
    client.force_login(sdb_sdo)
    assert client.get(f"/staff/energy/?{Q}").status_code == 200
    assert client.get(f"/staff/energy/?{Q}&office=EA-SUB").status_code == 404
    assert client.get(f"/staff/energy/?{Q}&office=EA-DIV").status_code == 404
    assert client.get(f"/staff/energy/feeders/{july['fa'].pk}/?{Q}").status_code == 404
    assert client.get(f"/staff/energy/dts/{july['a1'].pk}/?{Q}").status_code == 404
    assert client.get(f"/staff/energy/dts/{july['a1'].pk}/?{Q}&export=csv").status_code == 404
    assert client.get("/staff/energy/bee-pack/?office=EA-SUB&period=2025-Q2").status_code == 404
    assert client.get(f"/staff/energy/feeders/{july['fb'].pk}/?{Q}").status_code == 200


def test_a_user_without_reports_is_refused(client, july):  # noqa: F811
    client.force_login(UserFactory(office=july["sda"], role=Role.CASHIER))
    assert client.get(f"/staff/energy/?{Q}").status_code == 403


def test_exports_neutralise_a_hostile_name(client, ee, july):  # noqa: F811
    ConsumerFactory(office=july["sda"], dt=july["a1"], name='=HYPERLINK("http://x")')
    client.force_login(ee)
    r = client.get(f"/staff/energy/dts/{july['a1'].pk}/?{Q}&export=csv")
    assert r.status_code == 200
    assert "'=HYPERLINK" in r.content.decode("utf-8-sig")
    r = client.get(f"/staff/energy/?{Q}&table=feeders&export=xlsx")
    sheet = load_workbook(io.BytesIO(r.content)).active
    assert [row[0] for row in sheet.iter_rows(min_row=2, values_only=True)] == ["FB", "FA"]
    r = client.get("/staff/energy/bee-pack/?office=EA-DIV&period=2025-Q2")
    book = load_workbook(io.BytesIO(r.content))
    names = [row[2] for row in book["Consumer level"].iter_rows(min_row=2, values_only=True)]
    assert '\'=HYPERLINK("http://x")' in names


def test_bee_pack_columns_and_totals_equal_the_audit(july):  # noqa: F811
    sheets = {
        title: (headers, rows)
        for title, headers, rows in bee_pack(office=july["division"], quarter="2025-Q2")
    }
    assert list(sheets) == ["Summary", "Feeder level", "DT level", "Consumer level"]
    headers, rows = sheets["Feeder level"]
    assert headers[:12] == [
        "Sl. No.", "Circle", "Division", "Sub-division", "Substation", "Feeder code", "Feeder name", "Feeder type",
        "Input energy (kWh)", "Energy billed (kWh)", "Energy loss (kWh)", "Loss (%)",
    ]  # fmt: skip
    audit = office_audit(office=july["division"], period="2025-Q2").figures
    col = {name: i for i, name in enumerate(headers)}
    assert sum(r[col["Input energy (kWh)"]] for r in rows) == audit.input_kwh == D("1800")
    assert sum(r[col["Energy billed (kWh)"]] for r in rows) == audit.billed_kwh
    assert sum(r[col["Billed amount (Rs)"]] for r in rows) == audit.billed_amount
    assert sum(r[col["Collected amount (Rs)"]] for r in rows) == audit.collected_amount
    assert [(r[col["Division"]], r[col["Sub-division"]]) for r in rows] == [
        ("EA-DIV", "EA-SUB"),
        ("EA-DIV", "EB-SUB"),
    ]
    dt_headers, dt_rows = sheets["DT level"]
    assert [r[2] for r in dt_rows] == ["A1", "A2", "B1"]
    assert [r[dt_headers.index("Loss (%)")] for r in dt_rows] == [D("40.00"), D("75.00"), D("71.43")]
    c_headers, c_rows = sheets["Consumer level"]
    assert sum(r[c_headers.index("Units billed (kWh)")] for r in c_rows) == audit.billed_kwh
    assert sum(r[c_headers.index("Paid (Rs)")] for r in c_rows) == audit.collected_amount
    with pytest.raises(ValueError):
        bee_pack(office=july["division"], quarter="2025-07")


def test_bee_pack_command(july, tmp_path):  # noqa: F811
    out = tmp_path / "pack.xlsx"
    call_command("energy", "bee-pack", "--office", "EA-DIV", "--quarter", "2025-Q2", "--out", str(out))
    book = load_workbook(out)
    assert book.sheetnames == ["Summary", "Feeder level", "DT level", "Consumer level"]
    assert book["Feeder level"].max_row == 3


def test_the_page_in_hindi(client, july):  # noqa: F811
    user = UserFactory(office=july["division"], role=Role.EE, preferred_language="hi")
    client.force_login(user)
    html = client.get(f"/staff/energy/?{Q}", HTTP_ACCEPT_LANGUAGE="hi").content.decode()
    assert "ऊर्जा लेखा परीक्षा" in html and "हानि के क्रम में फीडर" in html


def test_a_state_wide_user_sees_every_discom(client, july):  # noqa: F811
    admin = UserFactory(office=None, role=Role.SYSTEM_ADMIN, username="stateadmin")
    client.force_login(admin)
    r = client.get(f"/staff/energy/?{Q}")
    assert r.status_code == 200
    assert r.context["total"]["audit"].level == "state"
    assert [row["audit"].code for row in r.context["children"]] == ["EA-DIS"]
    assert r.context["total"]["f"].atc_loss_pct == D("68.89")
    r = client.get(f"/staff/energy/?{Q}&table=children&export=csv")
    assert r.content.decode("utf-8-sig").splitlines()[1].startswith("EA-DIS,")


def test_a_bad_period_or_threshold_is_said_not_silently_replaced(client, ee, july):  # noqa: F811
    client.force_login(ee)
    html = client.get("/staff/energy/?period=2025-13&threshold=abc").content.decode()
    assert html.count('data-testid="input-error"') == 2
    assert "2025-13" in html and "abc" in html
