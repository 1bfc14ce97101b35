import csv
import io

import pytest
from django.test import override_settings
from django.urls import reverse
from django.utils import translation
from openpyxl import load_workbook

from urja.domain import segmentation as seg
from urja.mis.segmentation import segmentation_report
from urja.mis.tests.test_segmentation import JUNE, MAY, build_area, make_bill
from urja.org.choices import Role
from urja.testing import ConsumerFactory, UserFactory

SMALL = {"MIN_GROUP": 5}
REPORT = reverse("segments:report")
LIST = reverse("segments:members")

pytestmark = pytest.mark.usefixtures("small_groups")


@pytest.fixture
def area(two_subdivisions):
    return build_area(two_subdivisions)


@pytest.fixture
def small_groups():
    with override_settings(URJA_SEGMENTATION=SMALL):
        yield


def rows_of_csv(response):
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


def test_the_page_shows_the_classes_chart_and_matrix(client, area):
    client.force_login(area["sdo_a"])
    response = client.get(REPORT, {"period": JUNE})
    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-testid="share-chart"' in html and 'data-testid="movement-chart"' in html
    report = response.context["report"]
    assert report.subdivision == area["sub_a"]
    assert report.totals[seg.HIGH].count == 2 and report.totals[seg.LOW].count == 4
    assert 'data-testid="class-high-count">2<' in html
    assert 'data-testid="move-low-high"' in html


def test_sorting_the_table(client, area):
    client.force_login(area["sdo_a"])
    response = client.get(REPORT, {"period": JUNE, "sort": "amount", "dir": "desc"})
    amounts = [item["row"].amount for item in response.context["rows"]]
    assert amounts == sorted(amounts, reverse=True) and len(amounts) > 1


def test_an_office_above_subdivision_is_asked_to_choose(client, area):
    boss = UserFactory(username="ee", role=Role.EE, office=area["division"])
    client.force_login(boss)
    response = client.get(REPORT, {"period": JUNE})
    assert response.status_code == 200 and response.context["report"] is None
    assert {s.code for s in response.context["subdivisions"]} == {"SUB-A", "SUB-B"}
    response = client.get(REPORT, {"period": JUNE, "office": "SUB-B"})
    assert response.context["report"].grand_total.count == 1


def test_a_bad_month_is_a_400(client, area):
    client.force_login(area["sdo_a"])
    assert client.get(REPORT, {"period": "2026-13"}).status_code == 400


@pytest.mark.parametrize("path", [REPORT, LIST])
@pytest.mark.parametrize("fmt", ["", "csv", "xlsx"])
def test_another_office_is_not_found(client, area, path, fmt):
    client.force_login(area["sdo_b"])
    query = {"period": JUNE, "office": "SUB-A", "klass": seg.HIGH}
    if fmt:
        query["fmt"] = fmt
    assert client.get(path, query).status_code == 404
    client.force_login(area["je_a"])  # a DC's JE cannot widen to the sub-division
    assert client.get(path, query).status_code == 404


def test_a_dc_user_sees_only_the_dc(client, area):
    other_dc = area["sub_a"].children.create(code="DC-A2", name="DC A2", level="dc")
    make_bill(ConsumerFactory(office=other_dc, name="Elsewhere"), JUNE, "1000")
    client.force_login(area["je_a"])
    response = client.get(REPORT, {"period": JUNE})
    assert response.context["report"].office == area["dc_a"]
    assert response.context["report"].grand_total.count == 11
    listed = client.get(LIST, {"period": JUNE, "klass": seg.HIGH}).context["page"].object_list
    assert "Elsewhere" not in {m.name for m in listed}


def test_a_cashier_may_not_open_it(client, area):
    cashier = UserFactory(username="cash", role=Role.CASHIER, office=area["sub_a"])
    client.force_login(cashier)
    assert client.get(REPORT, {"period": JUNE}).status_code == 403


def test_the_list_behind_a_class_is_exactly_that_class(client, area):
    client.force_login(area["sdo_a"])
    expected = segmentation_report(office=area["sub_a"], period=JUNE, rule=seg.Rule(min_group=5))
    for klass in seg.CLASSES:
        response = client.get(LIST, {"period": JUNE, "klass": klass})
        assert response.status_code == 200
        shown = {m.consumer_id for m in response.context["page"].object_list}
        assert shown == set(expected.current.accounts_in(klass))
    moved = client.get(LIST, {"period": JUNE, "klass": seg.HIGH, "was": seg.LOW})
    assert {m.name for m in moved.context["page"].object_list} == {"Home 9", "Home 10"}


def test_an_unknown_class_is_not_found(client, area):
    client.force_login(area["sdo_a"])
    assert client.get(LIST, {"period": JUNE, "klass": "huge"}).status_code == 404
    assert client.get(LIST, {"period": JUNE, "klass": seg.NO_BILL}).status_code == 404


def test_summary_export_equals_the_months_totals(client, area):
    client.force_login(area["sdo_a"])
    response = client.get(REPORT, {"period": JUNE, "fmt": "csv"})
    assert response["Content-Type"].startswith("text/csv")
    rows = rows_of_csv(response)
    assert rows[0][0] == "Sub-division"
    assert sum(int(r[5]) for r in rows[1:]) == 11
    xlsx = client.get(REPORT, {"period": JUNE, "fmt": "xlsx"})
    ws = load_workbook(io.BytesIO(xlsx.content)).active
    assert sum(ws.cell(row=i, column=6).value for i in range(2, ws.max_row + 1)) == 11


def test_the_list_export_neutralises_a_hostile_name(client, area):
    evil = ConsumerFactory(office=area["dc_a"], name='=HYPERLINK("http://x","y")')
    make_bill(evil, JUNE, "0")
    client.force_login(area["sdo_a"])
    rows = rows_of_csv(client.get(LIST, {"period": JUNE, "klass": seg.LOW, "fmt": "csv"}))
    names = [r[1] for r in rows[1:]]
    assert '\'=HYPERLINK("http://x","y")' in names
    xlsx = client.get(LIST, {"period": JUNE, "klass": seg.LOW, "fmt": "xlsx"})
    ws = load_workbook(io.BytesIO(xlsx.content)).active
    cells = [ws.cell(row=i, column=2) for i in range(2, ws.max_row + 1)]
    hostile = [c for c in cells if "HYPERLINK" in str(c.value)]
    assert hostile and all(c.data_type == "s" and c.value.startswith("'") for c in hostile)


def test_the_page_in_hindi(client, area):
    area["sdo_a"].preferred_language = "hi"
    area["sdo_a"].save()
    client.force_login(area["sdo_a"])
    with translation.override("hi"):
        html = client.get(REPORT, {"period": JUNE}, HTTP_ACCEPT_LANGUAGE="hi").content.decode()
    assert "उपभोग वर्गीकरण" in html  # "Consumption segmentation"


def test_the_page_and_list_query_counts_do_not_grow_with_consumers(
    client, area, django_assert_max_num_queries
):
    client.force_login(area["sdo_a"])
    client.get(REPORT, {"period": JUNE})  # warm up sessions etc.
    with django_assert_max_num_queries(8):
        client.get(REPORT, {"period": JUNE})
    with django_assert_max_num_queries(9):
        client.get(LIST, {"period": JUNE, "klass": seg.LOW})
    assert MAY  # the fixture bills May too
