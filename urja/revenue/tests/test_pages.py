"""The console pages: the list with its reasons in English and Hindi, raising from it (once), the work
order in the work-orders list, the outcome and the hit rate; office scope (404) and capability (403)."""

import re

import pytest
from django.urls import reverse

from urja.org.choices import Role
from urja.revenue.models import InspectionCase
from urja.testing import UserFactory
from urja.workflow.models import WorkOrder
from urja.workflow.services import work_order_complete

from .conftest import PERIOD, steady

pytestmark = [pytest.mark.django_db, pytest.mark.clock("2026-11-15T10:00:00+05:30")]


@pytest.fixture
def suspect(rp):
    return steady(rp["dc_a"], history=200, now=0)


def list_page(client, office="SUB-A", period=PERIOD, **extra):
    return client.get(reverse("revenue:list"), {"office": office, "period": period, **extra})


def test_list_says_why_in_english_and_hindi(client, rp, suspect):
    client.force_login(rp["sdo_a"])
    html = list_page(client).content.decode()
    assert suspect.account_number in html
    assert "Billed zero units on an active, metered connection." in html
    assert "down 100.0%" in html and 'data-testid="raise"' in html
    rp["sdo_a"].preferred_language = "hi"
    rp["sdo_a"].save()
    client.force_login(rp["sdo_a"])
    html = client.get(
        reverse("revenue:list"), {"office": "SUB-A", "period": PERIOD}, HTTP_ACCEPT_LANGUAGE="hi"
    ).content.decode()
    assert "सक्रिय" in html  # the zero-units sentence in Hindi
    assert "Billed zero units" not in html


def test_list_is_scoped_and_needs_the_capability(client, rp, suspect):
    client.force_login(rp["sdo_b"])
    assert list_page(client).status_code == 404
    assert suspect.account_number not in list_page(client, office="").content.decode()
    client.force_login(UserFactory(username="cash", role=Role.CASHIER, office=rp["sub_a"]))
    assert list_page(client).status_code == 403
    auditor = UserFactory(username="aud", role=Role.AUDITOR, office=rp["division"])
    client.force_login(auditor)
    html = list_page(client).content.decode()
    assert suspect.account_number in html and 'data-testid="raise"' not in html
    response = client.post(reverse("revenue:raise", args=[suspect.pk]), {"period": PERIOD, "key": "x"})
    assert response.status_code == 403 and not InspectionCase.objects.exists()


def test_export_csv(client, rp, suspect):
    client.force_login(rp["sdo_a"])
    response = list_page(client, format="csv")
    assert response["Content-Type"].startswith("text/csv")
    assert suspect.account_number in response.content.decode("utf-8-sig")


def test_raise_from_the_list_once_and_see_the_work_order(client, rp, suspect):
    client.force_login(rp["je_a"])
    html = list_page(client, office="DC-A").content.decode()
    key = re.search(r'name="key" value="([^"]+)"', html)[1]
    url = reverse("revenue:raise", args=[suspect.pk])
    first = client.post(url, {"period": PERIOD, "key": key})
    again = client.post(url, {"period": PERIOD, "key": key})  # the same POST replayed
    case = InspectionCase.objects.get()
    assert first.url == again.url == reverse("revenue:case", args=[case.pk])
    assert WorkOrder.objects.count() == 1
    orders = client.get(reverse("workflow:orders")).content.decode()
    assert case.work_order.reference in orders
    page = client.get(reverse("revenue:case", args=[case.pk])).content.decode()
    assert case.work_order.reference in page and "Billed zero units" in page
    assert 'data-testid="open-case"' in list_page(client, office="DC-A").content.decode()


def test_case_pages_are_scoped(client, rp, suspect):
    client.force_login(rp["je_a"])
    html = list_page(client, office="DC-A").content.decode()
    key = re.search(r'name="key" value="([^"]+)"', html)[1]
    client.post(reverse("revenue:raise", args=[suspect.pk]), {"period": PERIOD, "key": key})
    case = InspectionCase.objects.get()
    client.force_login(rp["je_b"])
    assert client.get(reverse("revenue:case", args=[case.pk])).status_code == 404
    response = client.post(
        reverse("revenue:outcome", args=[case.pk]), {"outcome": "confirmed", "remarks": "x"}
    )
    assert response.status_code == 404
    assert (
        client.post(reverse("revenue:raise", args=[suspect.pk]), {"period": PERIOD, "key": "y"}).status_code
        == 404
    )
    client.force_login(rp["sdo_b"])
    assert client.get(reverse("revenue:hit_rate"), {"office": "SUB-A"}).status_code == 404


def test_outcome_then_hit_rate(client, rp, suspect):
    client.force_login(rp["je_a"])
    html = list_page(client, office="DC-A").content.decode()
    key = re.search(r'name="key" value="([^"]+)"', html)[1]
    client.post(reverse("revenue:raise", args=[suspect.pk]), {"period": PERIOD, "key": key})
    case = InspectionCase.objects.get()
    refused = client.post(
        reverse("revenue:outcome", args=[case.pk]), {"outcome": "confirmed", "remarks": "x"}
    )
    assert refused.status_code == 400 and "not completed" in refused.content.decode()
    work_order_complete(case.work_order, by=rp["je_a"], key="c1", result={"remarks": "meter bypassed"})
    done = client.post(
        reverse("revenue:outcome", args=[case.pk]),
        {"outcome": "confirmed", "assessed_units": "1500", "remarks": "bypass"},
    )
    assert done.status_code == 302
    case.refresh_from_db()
    assert case.outcome == "confirmed"
    html = client.get(reverse("revenue:hit_rate"), {"office": "DC-A", "period": PERIOD}).content.decode()
    assert re.search(r'data-testid="overall-rate">100.0%', html)
    assert case.reference in html


def test_a_state_wide_user_is_asked_for_the_office(client, rp, suspect):
    admin = UserFactory(username="root", role=Role.SYSTEM_ADMIN, office=None)
    client.force_login(admin)
    response = client.get(reverse("revenue:list"))
    assert response.status_code == 200 and "Choose the office" in response.content.decode()
    assert suspect.account_number in list_page(client).content.decode()


def test_list_page_queries_do_not_grow_with_rows(client, rp, django_assert_max_num_queries):
    for _ in range(3):
        steady(rp["dc_a"], history=200, now=0)
    client.force_login(rp["sdo_a"])
    list_page(client)
    for _ in range(5):
        steady(rp["dc_a"], history=200, now=0)
    with django_assert_max_num_queries(20):
        assert list_page(client).content.decode().count('data-testid="list-row"') == 8


def test_a_mistyped_month_is_said_not_silently_replaced(client, rp, suspect):
    client.force_login(rp["sdo_a"])
    html = list_page(client, period="2026-13").content.decode()
    assert 'data-testid="period-error"' in html and "2026-13" in html
    html = client.get(
        reverse("revenue:list"), {"office": "SUB-A", "period": "2026-13"}, HTTP_ACCEPT_LANGUAGE="hi"
    ).content.decode()
    assert 'data-testid="period-error"' in html and "माह" in html.split('data-testid="period-error"')[1][:300]
