from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from urja.customers import services
from urja.customers.models import Consumer, ConsumerChange
from urja.org.choices import Role
from urja.testing import UserFactory

pytestmark = pytest.mark.django_db


def test_update_records_who_when_old_new(two_subdivisions):
    # A load change is an officer's (a JE may not make it: see test_connection_rights.py).
    consumer, sdo = two_subdivisions["consumer_a"], two_subdivisions["sdo_a"]
    rows = services.consumer_update(
        consumer=consumer,
        by=sdo,
        reason="load enhancement",
        sanctioned_load=Decimal("3.5"),
        village_town="Bakshi Ka Talab",
    )
    assert {r.field for r in rows} == {"sanctioned_load", "village_town"}
    load_row = ConsumerChange.objects.get(consumer=consumer, field="sanctioned_load")
    assert (load_row.old_value, load_row.new_value, load_row.changed_by, load_row.reason) == (
        "2.00",
        "3.5",
        sdo,
        "load enhancement",
    )
    consumer.refresh_from_db()
    assert consumer.sanctioned_load == Decimal("3.50")


def test_unchanged_values_record_nothing(two_subdivisions):
    consumer = two_subdivisions["consumer_a"]
    assert services.consumer_update(consumer=consumer, sanctioned_load=Decimal("2"), name=consumer.name) == []


def test_mobile_history_is_masked(two_subdivisions):
    consumer = two_subdivisions["consumer_a"]
    services.consumer_update(consumer=consumer, mobile="+91 91234 56789", reason="new number")
    row = ConsumerChange.objects.get(consumer=consumer, field="mobile")
    assert row.new_value == "XXXXXX6789" and "9123456789" not in row.old_value + row.new_value
    consumer.refresh_from_db()
    assert consumer.mobile == "9123456789"


def test_email_history_is_masked_both_ways(two_subdivisions):
    consumer = two_subdivisions["consumer_a"]
    services.consumer_update(consumer=consumer, email="ravi.kumar@example.com", reason="given at counter")
    services.consumer_update(consumer=consumer, email="rk.lko@mail.example.in", reason="changed")
    first, second = ConsumerChange.objects.filter(consumer=consumer, field="email").order_by("id")
    assert (first.old_value, first.new_value) == ("", "r***@example.com")
    assert (second.old_value, second.new_value) == ("r***@example.com", "r***@mail.example.in")
    consumer.refresh_from_db()
    assert consumer.email == "rk.lko@mail.example.in"


def test_email_history_written_before_masking_is_masked_by_the_migration(two_subdivisions):
    import importlib

    from django.apps import apps

    migration = importlib.import_module("urja.customers.migrations.0006_mask_email_history")
    consumer = two_subdivisions["consumer_a"]
    row = ConsumerChange.objects.create(
        consumer=consumer, field="email", old_value="old.one@example.com", new_value="New@Example.org"
    )
    other = ConsumerChange.objects.create(
        consumer=consumer, field="village_town", old_value="a@b.cd", new_value="X"
    )
    migration.mask_email_history(apps, None)
    row.refresh_from_db()
    other.refresh_from_db()
    assert (row.old_value, row.new_value) == ("o***@example.com", "N***@Example.org")
    assert other.old_value == "a@b.cd"


def test_bad_input_changes_nothing(two_subdivisions):
    consumer = two_subdivisions["consumer_a"]
    with pytest.raises(ValidationError):
        services.consumer_update(consumer=consumer, sanctioned_load=Decimal("-1"), name="Changed")
    consumer.refresh_from_db()
    assert consumer.name != "Changed"
    assert not ConsumerChange.objects.filter(consumer=consumer).exists()


def test_invalid_account_number_rejected(two_subdivisions):
    data = dict(
        account_number="1000000000",
        name="X",
        address="A",
        village_town="V",
        district="D",
        area_type="rural",
        category="LMV1-RURAL",
        sanctioned_load=Decimal("1"),
        connection_date="2020-01-01",
        office=two_subdivisions["dc_a"],
    )
    with pytest.raises(ValidationError) as err:
        services.consumer_create(**data)
    assert "account_number" in err.value.message_dict
    assert not Consumer.objects.filter(name="X").exists()


def test_kyc_stored_masked(two_subdivisions):
    from urja.domain import account_number as acct

    consumer = services.consumer_create(
        account_number=acct.make(3, 42),
        name="Sita Devi",
        address="Ward 4",
        village_town="Sarnath",
        district="Varanasi",
        area_type="rural",
        category="LMV1-RURAL",
        sanctioned_load=Decimal("1"),
        connection_date="2020-01-01",
        office=two_subdivisions["dc_a"],
        kyc_document="aadhaar",
        kyc_number="2345 6789 0123",
    )
    assert consumer.kyc_number_masked == "XXXX-XXXX-0123"
    assert consumer.kyc_number_hash == services.kyc_hash("234567890123")
    stored = " ".join(str(v) for v in Consumer.objects.filter(pk=consumer.pk).values().first().values())
    assert "234567890123" not in stored and "2345 6789 0123" not in stored


def test_auditor_cannot_edit(two_subdivisions):
    auditor = UserFactory(username="aud", role=Role.AUDITOR, office=two_subdivisions["division"])
    with pytest.raises(PermissionDenied):
        services.consumer_update(consumer=two_subdivisions["consumer_a"], by=auditor, name="Nope")


def test_new_kyc_with_same_last_four_is_recorded(two_subdivisions):
    consumer = two_subdivisions["consumer_a"]
    services.consumer_update(
        consumer=consumer, kyc_document="aadhaar", kyc_number="2345 6789 0123", reason="KYC"
    )
    old_hash = Consumer.objects.get(pk=consumer.pk).kyc_number_hash
    rows = services.consumer_update(consumer=consumer, kyc_number="9876 5432 0123", reason="KYC corrected")
    assert [r.field for r in rows] == ["kyc_number_masked"]
    assert Consumer.objects.get(pk=consumer.pk).kyc_number_hash not in ("", old_hash)


def test_admin_change_needs_a_reason_that_goes_to_the_history(client, two_subdivisions):
    from django.urls import reverse

    from urja.testing import TEST_PASSWORD

    consumer = two_subdivisions["consumer_a"]
    client.login(username="sdo_a", password=TEST_PASSWORD)
    url = reverse("admin:customers_consumer_change", args=[consumer.pk])
    page = client.get(url)
    assert page.status_code == 200
    data = {k: v for k, v in page.context["adminform"].form.initial.items() if v is not None}
    data.update(
        {
            "office": consumer.office_id,
            "security_deposit": "500.00",
            "connection_date": consumer.connection_date.isoformat(),
            "changes-TOTAL_FORMS": "0",
            "changes-INITIAL_FORMS": "0",
        }
    )
    data.pop("dt", None)
    refused = client.post(url, data)
    assert refused.status_code == 200 and "Say why" in refused.content.decode()
    consumer.refresh_from_db()
    assert consumer.security_deposit == Decimal("0.00")
    data["change_reason"] = "deposit collected at counter"
    assert client.post(url, data).status_code == 302
    row = ConsumerChange.objects.get(consumer=consumer, field="security_deposit")
    assert row.reason == "deposit collected at counter" and row.changed_by.username == "sdo_a"
