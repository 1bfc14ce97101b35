"""Console pages of load / category change, name transfer and permanent disconnection: office scope
(404) and role (403), and the happy path through them."""

import datetime

import pytest
from django.urls import reverse

from urja.customers.models import ConnectionChange
from urja.org.choices import Role
from urja.testing import UserFactory
from urja.workflow.models import WorkItem

# The effective dates below follow the application day: pinned (the PostgreSQL run moves the clock).
pytestmark = [pytest.mark.django_db, pytest.mark.clock("2026-11-28T12:00+05:30")]


def _apply_url(consumer, process):
    return reverse("staff:change_apply", args=[consumer.account_number, process])


@pytest.mark.parametrize(
    "process, post",
    [
        ("load_change", {"sanctioned_load": "5", "load_unit": "kW", "reason": "AC"}),
        ("category_change", {"category": "LMV2-URBAN"}),
        ("name_transfer", {"new_name": "Sita Devi", "kyc_document": "aadhaar", "kyc_number": "234567890123"}),
        ("permanent_disconnection_request", {"reason": "house sold"}),
    ],
)
def test_a_je_opens_each_application(client, two_subdivisions, process, post):
    consumer = two_subdivisions["consumer_a"]
    client.force_login(two_subdivisions["je_a"])
    assert client.get(_apply_url(consumer, process)).status_code == 200
    response = client.post(_apply_url(consumer, process), post)
    item = WorkItem.objects.get(definition_code=process, consumer=consumer)
    assert response.status_code == 302 and response["Location"] == reverse("workflow:item", args=[item.pk])
    assert "234567890123" not in str(item.data)


def test_another_offices_consumer_is_404(client, two_subdivisions):
    client.force_login(two_subdivisions["je_a"])
    url = _apply_url(two_subdivisions["consumer_b"], "load_change")
    assert client.get(url).status_code == 404
    assert client.post(url, {"sanctioned_load": "5", "load_unit": "kW"}).status_code == 404
    assert not WorkItem.objects.exists()


def test_a_role_that_does_not_take_applications_is_403(client, two_subdivisions):
    lineman = UserFactory(username="lm_a", role=Role.LINEMAN, office=two_subdivisions["dc_a"])
    client.force_login(lineman)
    url = _apply_url(two_subdivisions["consumer_a"], "load_change")
    assert client.post(url, {"sanctioned_load": "5", "load_unit": "kW"}).status_code == 403
    cashier = UserFactory(username="cash_a", role=Role.CASHIER, office=two_subdivisions["sub_a"])
    client.force_login(cashier)
    assert client.get(url).status_code == 403
    assert not WorkItem.objects.exists()


def _at_approval(two_subdivisions):
    from urja.connections import changes
    from urja.workflow.services import transition

    je = two_subdivisions["je_a"]
    item = changes.apply_for(two_subdivisions["consumer_a"], by=je, category="LMV2-URBAN")
    transition(item, "inspect", by=je)
    transition(item, "inspected", by=je)
    return item


def test_the_sdo_approves_with_an_effective_date(client, two_subdivisions):
    item = _at_approval(two_subdivisions)
    url = reverse("staff:change_approve", args=[item.pk])
    client.force_login(two_subdivisions["sdo_a"])
    assert client.get(url).status_code == 200
    assert client.post(url, {"effective_from": "2026-12-16"}).status_code == 400  # not confirmed
    response = client.post(url, {"effective_from": "2026-12-16", "confirm": "on"})
    assert response.status_code == 302
    change = ConnectionChange.objects.get()
    assert change.effective_from == datetime.date(2026, 12, 16) and change.new_category == "LMV2-URBAN"


def test_approval_is_403_for_a_je_and_404_for_another_office(client, two_subdivisions):
    item = _at_approval(two_subdivisions)
    url = reverse("staff:change_approve", args=[item.pk])
    client.force_login(two_subdivisions["je_a"])
    assert client.post(url, {"effective_from": "2026-12-16", "confirm": "on"}).status_code == 403
    client.force_login(two_subdivisions["sdo_b"])
    assert client.post(url, {"effective_from": "2026-12-16", "confirm": "on"}).status_code == 404
    assert not ConnectionChange.objects.exists()


def test_an_unknown_process_is_404(client, two_subdivisions):
    client.force_login(two_subdivisions["je_a"])
    assert client.get(_apply_url(two_subdivisions["consumer_a"], "wftest")).status_code == 404


def test_the_consumer_page_offers_the_applications_to_those_who_may_open_them(client, two_subdivisions):
    consumer = two_subdivisions["consumer_a"]
    page = reverse("staff:consumer_detail", args=[consumer.account_number])
    client.force_login(two_subdivisions["je_a"])
    html = client.get(page).content.decode()
    for process in ("load_change", "category_change", "name_transfer", "permanent_disconnection_request"):
        assert _apply_url(consumer, process) in html
    client.force_login(UserFactory(username="cash_x", role=Role.CASHIER, office=two_subdivisions["dc_a"]))
    assert 'data-testid="applications"' not in client.get(page).content.decode()
