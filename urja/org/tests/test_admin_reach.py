"""The admin as an attacker sees it: every page is scoped by office and role, a master shared by the
whole state is changed only by someone who sees the whole state, offices keep their place in the
hierarchy, and a masked value cannot be read back through the changelist's filters."""

import datetime
from decimal import Decimal

import pytest
from django.contrib import admin
from django.contrib.auth.models import Group
from django.urls import reverse

from urja.billing.models import BillCycle
from urja.org.admin_base import ScopedAdmin
from urja.org.choices import Role
from urja.org.models import Office
from urja.tariffs.models import FppasRate, TariffVersion
from urja.testing import UserFactory, form_fields

pytestmark = pytest.mark.django_db


def test_every_admin_page_goes_by_urjas_roles_and_offices():
    for model, model_admin in admin.site._registry.items():
        if model is Group:  # Django's own: needs Django permissions, which no Urja form grants
            continue
        assert isinstance(model_admin, ScopedAdmin), model


@pytest.fixture
def state_masters(db):
    cycle = BillCycle.objects.create(
        code="2031-01",
        period_start=datetime.date(2031, 1, 1),
        period_end=datetime.date(2031, 1, 31),
        issue_date=datetime.date(2031, 2, 5),
        due_date=datetime.date(2031, 2, 20),
    )
    fppas = FppasRate.objects.create(month="2031-01", percent=Decimal("1.50"), source="order 1/2031")
    tariff = TariffVersion.objects.order_by("id").first()
    return {"cycle": cycle, "fppas": fppas, "tariff": tariff}


MASTERS = [
    ("cycle", "billing_billcycle", {"due_date": "2031-03-31"}),
    ("fppas", "tariffs_fppasrate", {"percent": "-50.00"}),
    ("tariff", "tariffs_tariffversion", {"label": "tampered"}),
]


def post_change(client, url_name, obj, changes):
    url = reverse(f"admin:{url_name}_change", args=[obj.pk])
    page = client.get(url)
    assert page.status_code == 200
    data = form_fields(page.content.decode(), form_id=f"{obj._meta.model_name}_form")
    data.update(changes)
    return client.post(url, data)


@pytest.mark.parametrize(("key", "url_name", "changes"), MASTERS)
def test_a_discom_administrator_cannot_change_a_statewide_master(
    client, two_subdivisions, state_masters, key, url_name, changes
):
    obj = state_masters[key]
    before = type(obj).objects.filter(pk=obj.pk).values(*changes).get()
    client.force_login(
        UserFactory(username="dadmin", role=Role.SYSTEM_ADMIN, office=two_subdivisions["discom"])
    )
    response = post_change(client, url_name, obj, changes)
    assert response.status_code == 403
    assert type(obj).objects.filter(pk=obj.pk).values(*changes).get() == before
    assert client.get(reverse(f"admin:{url_name}_add")).status_code == 403


@pytest.mark.parametrize(("key", "url_name", "changes"), MASTERS)
def test_a_statewide_administrator_changes_a_statewide_master(
    client, two_subdivisions, state_masters, key, url_name, changes
):
    obj = state_masters[key]
    client.force_login(UserFactory(username="sadmin", role=Role.SYSTEM_ADMIN, office=None))
    response = post_change(client, url_name, obj, changes)
    assert response.status_code == 302, response.content.decode()[:3000]


def test_partners_are_not_added_in_the_admin(client, two_subdivisions):
    # A discom administrator could otherwise make a state-wide partner; keys come from `urja partner`.
    for office in (two_subdivisions["discom"], None):
        client.force_login(UserFactory(username=f"adm{office}", role=Role.SYSTEM_ADMIN, office=office))
        assert client.get(reverse("admin:api_partner_add")).status_code == 403


def test_an_office_keeps_its_code_and_place_in_the_hierarchy(client, two_subdivisions):
    sub_a, division = two_subdivisions["sub_a"], two_subdivisions["division"]
    client.force_login(
        UserFactory(username="dadmin", role=Role.SYSTEM_ADMIN, office=two_subdivisions["discom"])
    )
    response = post_change(client, "org_office", sub_a, {"code": "RENAMED", "name": "Sub-division A (new)"})
    assert response.status_code == 302, response.content.decode()[:3000]
    sub_a.refresh_from_db()
    assert (sub_a.code, sub_a.name, sub_a.parent) == ("SUB-A", "Sub-division A (new)", division)
    # The DC below keeps a path under its sub-division, so the sub-division's staff still reach it.
    dc_a = Office.objects.get(pk=two_subdivisions["dc_a"].pk)
    assert dc_a.path.startswith(sub_a.path)


def test_a_masked_mobile_cannot_be_read_back_through_the_changelist_filters(client, two_subdivisions):
    consumer = two_subdivisions["consumer_a"]
    client.force_login(UserFactory(username="aud", role=Role.AUDITOR, office=two_subdivisions["division"]))
    url = reverse("admin:customers_consumer_changelist")
    for lookup in ("mobile__startswith", "mobile__contains", "kyc_number_hash__startswith"):
        response = client.get(url, {lookup: consumer.mobile[:4]})
        assert response.status_code == 400, lookup
    # Finding a consumer by the whole number stays possible (the search box), as at the counter.
    response = client.get(url, {"q": consumer.mobile})
    assert response.status_code == 200 and consumer.account_number in response.content.decode()
