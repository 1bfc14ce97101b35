"""What a connection is billed on — load, category, deposit, cash-only date, status, office … — is an
officer's decision: a JE corrects contact and location particulars only, in the admin as in the
console, and the consumer service enforces the same rule whoever calls it."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from urja.customers import services
from urja.customers.models import Consumer, ConsumerChange
from urja.staff.views.consumers import EDITABLE
from urja.testing import TransformerFactory, form_fields, next_account_number

pytestmark = pytest.mark.django_db


def post_change(client, consumer, **changes):
    url = reverse("admin:customers_consumer_change", args=[consumer.pk])
    page = client.get(url)
    assert page.status_code == 200
    data = form_fields(page.content.decode(), form_id="consumer_form")
    data.update(changes)
    if "change_reason" not in changes:  # a reason is given, so only the rule under test can refuse
        data["change_reason"] = "site visit"
    return client.post(url, data)


OFFICER_CHANGES = {
    "sanctioned_load": "9.00",
    "load_unit": "kVA",
    "category": "LMV2-URBAN",
    "security_deposit": "500.00",
    "cash_only_until": "2027-12-31",
    "status": "pd",
    "phase": "3",
    "supply_voltage": "11kV",
    "connection_date": "2020-01-01",
    "name": "Someone Else",
    "area_type": "rural",
}


@pytest.mark.parametrize(("field", "value"), OFFICER_CHANGES.items())
def test_a_je_cannot_change_what_the_connection_is_billed_on_in_the_admin(
    client, two_subdivisions, field, value
):
    consumer = two_subdivisions["consumer_a"]
    before = Consumer.objects.filter(pk=consumer.pk).values(field).get()[field]
    client.force_login(two_subdivisions["je_a"])
    post_change(client, consumer, **{field: value})
    assert Consumer.objects.filter(pk=consumer.pk).values(field).get()[field] == before
    assert not ConsumerChange.objects.filter(consumer=consumer, field=field).exists()


def test_a_je_cannot_move_a_consumer_to_another_office_in_the_admin(client, two_subdivisions):
    consumer = two_subdivisions["consumer_a"]
    client.force_login(two_subdivisions["sdo_a"])  # even an officer only within their own offices
    post_change(client, consumer, office=str(two_subdivisions["dc_b"].pk))
    consumer.refresh_from_db()
    assert consumer.office == two_subdivisions["dc_a"]


def test_a_je_still_corrects_contact_particulars_in_the_admin(client, two_subdivisions):
    consumer = two_subdivisions["consumer_a"]
    client.force_login(two_subdivisions["je_a"])
    response = post_change(client, consumer, mobile="9123456780", address="House 7, Station Road")
    assert response.status_code == 302, response.content.decode()[:3000]
    consumer.refresh_from_db()
    assert (consumer.mobile, consumer.address) == ("9123456780", "House 7, Station Road")
    row = ConsumerChange.objects.get(consumer=consumer, field="address")
    assert (row.changed_by, row.reason, row.source) == (two_subdivisions["je_a"], "site visit", "admin")


def test_an_sdo_changes_the_sanctioned_load_in_the_admin(client, two_subdivisions):
    consumer = two_subdivisions["consumer_a"]
    client.force_login(two_subdivisions["sdo_a"])
    response = post_change(client, consumer, sanctioned_load="5.00", change_reason="load enhancement SR 41")
    assert response.status_code == 302, response.content.decode()[:3000]
    consumer.refresh_from_db()
    assert consumer.sanctioned_load == Decimal("5.00")
    row = ConsumerChange.objects.get(consumer=consumer, field="sanctioned_load")
    assert (row.old_value, row.new_value, row.changed_by) == ("2.00", "5.00", two_subdivisions["sdo_a"])


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("sanctioned_load", Decimal("9")),
        ("category", "LMV2-URBAN"),
        ("security_deposit", Decimal("500")),
        ("cash_only_until", datetime.date(2027, 12, 31)),
        ("status", "pd"),
    ],
)
def test_the_service_keeps_connection_fields_to_officers(two_subdivisions, field, value):
    consumer = two_subdivisions["consumer_a"]
    with pytest.raises(PermissionDenied):
        services.consumer_update(consumer=consumer, by=two_subdivisions["je_a"], reason="x", **{field: value})
    assert not ConsumerChange.objects.exists()
    services.consumer_update(
        consumer=consumer, by=two_subdivisions["sdo_a"], reason="order 5", **{field: value}
    )
    assert ConsumerChange.objects.filter(field=field).exists()


def test_the_service_keeps_to_the_users_offices(two_subdivisions):
    sdo_a, own, other = (
        two_subdivisions["sdo_a"],
        two_subdivisions["consumer_a"],
        two_subdivisions["consumer_b"],
    )
    with pytest.raises(PermissionDenied):
        services.consumer_update(consumer=other, by=sdo_a, reason="x", mobile="9123456780")
    with pytest.raises(PermissionDenied):
        services.consumer_update(consumer=own, by=sdo_a, reason="x", office=two_subdivisions["dc_b"])
    with pytest.raises(PermissionDenied):
        services.consumer_update(
            consumer=own, by=sdo_a, reason="x", dt=TransformerFactory(office=two_subdivisions["dc_b"])
        )
    assert not ConsumerChange.objects.exists()


def test_an_account_number_never_changes(client, two_subdivisions):
    consumer = two_subdivisions["consumer_a"]
    number = consumer.account_number
    with pytest.raises(ValidationError):
        services.consumer_update(
            consumer=consumer, by=two_subdivisions["sdo_a"], reason="x", account_number=next_account_number()
        )
    client.force_login(two_subdivisions["sdo_a"])
    post_change(client, consumer, account_number=next_account_number())
    consumer.refresh_from_db()
    assert consumer.account_number == number


def test_only_an_officer_creates_a_consumer(client, two_subdivisions):
    je = two_subdivisions["je_a"]
    client.force_login(je)
    assert client.get(reverse("admin:customers_consumer_add")).status_code == 403
    with pytest.raises(PermissionDenied):
        services.consumer_create(
            by=je,
            account_number="1900000011",
            name="New",
            address="x",
            village_town="x",
            district="x",
            area_type="urban",
            category="LMV1-URBAN",
            sanctioned_load=Decimal("1"),
            connection_date=datetime.date(2026, 1, 1),
            office=two_subdivisions["dc_a"],
        )
    with pytest.raises(PermissionDenied):  # an officer, but not for another office
        services.consumer_create(
            by=two_subdivisions["sdo_a"],
            account_number="1900000011",
            name="New",
            address="x",
            village_town="x",
            district="x",
            area_type="urban",
            category="LMV1-URBAN",
            sanctioned_load=Decimal("1"),
            connection_date=datetime.date(2026, 1, 1),
            office=two_subdivisions["dc_b"],
        )
    assert not Consumer.objects.filter(account_number="1900000011").exists()


def test_the_console_offers_only_contact_particulars():
    assert set(EDITABLE) <= set(services.CONTACT_FIELDS)
