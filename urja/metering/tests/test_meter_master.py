"""The meter master is office-scoped, and its multiplying factor (CT/PT ratio) and other particulars
change only through `meter_update`: by an officer (SDO and above), with a reason, kept in an
append-only history, never re-pricing units already recorded or billed."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from urja.metering import services
from urja.metering.models import Meter, MeterChange
from urja.metering.services import reading_record
from urja.org.choices import Role
from urja.testing import UserFactory, form_fields

from .factories import days, install, make_meter

pytestmark = pytest.mark.django_db
D = Decimal


@pytest.fixture
def meters(two_subdivisions, day0):
    """A meter installed at each sub-division's consumer, and a meter in each sub-division's store."""
    result = dict(two_subdivisions)
    for key in ("a", "b"):
        consumer = two_subdivisions[f"consumer_{key}"]
        installed = make_meter(office=consumer.office)
        install(consumer, installed, day0)
        result[f"installed_{key}"] = installed
        result[f"stock_{key}"] = Meter.objects.create(
            serial=f"STOCK-{key.upper()}", office=two_subdivisions[f"sub_{key}"]
        )
    result["reader_a"] = UserFactory(
        username="reader_a", role=Role.METER_READER, office=two_subdivisions["dc_a"]
    )
    return result


def post_change(client, meter, **changes):
    url = reverse("admin:metering_meter_change", args=[meter.pk])
    page = client.get(url)
    assert page.status_code == 200
    data = form_fields(page.content.decode(), form_id="meter_form")
    data.update(changes)
    return client.post(url, data)


# --- scope ------------------------------------------------------------------------------------------


def test_the_meter_admin_lists_only_the_users_meters(client, meters):
    client.force_login(meters["sdo_a"])
    page = client.get(reverse("admin:metering_meter_changelist")).content.decode()
    assert meters["installed_a"].serial in page and "STOCK-A" in page
    assert meters["installed_b"].serial not in page and "STOCK-B" not in page
    client.force_login(meters["je_a"])  # the DC sees the meter at its consumer, not the sub-division's store
    page = client.get(reverse("admin:metering_meter_changelist")).content.decode()
    assert meters["installed_a"].serial in page and "STOCK-A" not in page


def test_another_offices_meter_is_not_found(client, meters):
    client.force_login(meters["sdo_a"])
    for meter in (meters["installed_b"], meters["stock_b"]):
        response = client.get(reverse("admin:metering_meter_change", args=[meter.pk]))
        assert response.status_code == 302  # the admin's "does not exist" redirect
        assert meter.serial not in client.get(response.url).content.decode()
        with pytest.raises(PermissionDenied):
            services.meter_update(meter=meter, by=meters["sdo_a"], reason="x", ct_ratio=D("40"))
    meters["installed_b"].refresh_from_db()
    assert meters["installed_b"].ct_ratio == 1


def test_a_meter_cannot_be_put_in_another_offices_store(client, meters):
    client.force_login(meters["sdo_a"])
    post_change(client, meters["stock_a"], office=str(meters["sub_b"].pk), change_reason="moved")
    meters["stock_a"].refresh_from_db()
    assert meters["stock_a"].office == meters["sub_a"]
    with pytest.raises(PermissionDenied):
        services.meter_update(meter=meters["stock_a"], by=meters["sdo_a"], reason="x", office=meters["sub_b"])
    with pytest.raises(PermissionDenied):
        services.meter_create(by=meters["sdo_a"], serial="NEW1", office=meters["sub_b"], reason="bought")


# --- who may change the multiplying factor --------------------------------------------------------------


@pytest.mark.parametrize("who", ["je_a", "reader_a"])
def test_readers_and_jes_cannot_change_the_multiplying_factor(client, meters, who):
    meter = meters["installed_a"]
    client.force_login(meters[who])
    response = client.post(
        reverse("admin:metering_meter_change", args=[meter.pk]),
        {"serial": meter.serial, "digits": "6", "phase": "1", "meter_type": meter.meter_type,
         "ct_ratio": "40", "pt_ratio": "1", "change_reason": "x"},
    )  # fmt: skip
    assert response.status_code == 403
    with pytest.raises(PermissionDenied):
        services.meter_update(meter=meter, by=meters[who], reason="x", ct_ratio=D("40"))
    meter.refresh_from_db()
    assert meter.multiplying_factor == 1 and not MeterChange.objects.exists()


def test_an_sdo_changes_the_multiplying_factor_with_a_reason_kept_in_the_history(client, meters):
    meter = meters["installed_a"]
    client.force_login(meters["sdo_a"])
    refused = post_change(client, meter, ct_ratio="40")
    assert refused.status_code == 200 and "Say why" in refused.content.decode()
    meter.refresh_from_db()
    assert meter.ct_ratio == 1
    response = post_change(client, meter, ct_ratio="40", change_reason="CT 200/5 fitted, site report 77")
    assert response.status_code == 302
    meter.refresh_from_db()
    assert meter.multiplying_factor == 40
    row = MeterChange.objects.get(meter=meter)
    assert (row.field, row.old_value, row.new_value, row.changed_by, row.reason) == (
        "ct_ratio",
        "1.00",
        "40.00",
        meters["sdo_a"],
        "CT 200/5 fitted, site report 77",
    )
    assert (
        "CT 200/5 fitted, site report 77"
        in client.get(reverse("admin:metering_meter_change", args=[meter.pk])).content.decode()
    )


def test_the_service_needs_a_reason_and_sane_values(meters):
    meter, sdo = meters["installed_a"], meters["sdo_a"]
    with pytest.raises(ValidationError):
        services.meter_update(meter=meter, by=sdo, reason="  ", ct_ratio=D("40"))
    with pytest.raises(ValidationError):
        services.meter_update(meter=meter, by=sdo, reason="typo", ct_ratio=D("0"))
    meter.refresh_from_db()
    assert meter.ct_ratio == 1 and not MeterChange.objects.exists()


def test_an_installed_meter_stays_with_its_connections_office(meters):
    with pytest.raises(ValidationError):
        services.meter_update(
            meter=meters["installed_a"], by=meters["sdo_a"], reason="to store", office=meters["sub_a"]
        )


def test_a_changed_factor_does_not_reprice_units_already_recorded(meters, day0):
    consumer, meter = meters["consumer_a"], meters["installed_a"]
    first = reading_record(consumer=consumer, reading_date=day0 + days(30), kwh=D("100"), source="manual")
    assert first.units == 100
    services.meter_update(meter=meter, by=meters["sdo_a"], reason="CT fitted", ct_ratio=D("5"))
    first.refresh_from_db()
    assert first.units == 100  # recorded (and possibly billed) units keep their factor
    second = reading_record(consumer=consumer, reading_date=day0 + days(60), kwh=D("150"), source="manual")
    assert second.units == 250  # the next reading: 50 kWh on the register × 5


# --- creating and installing ----------------------------------------------------------------------------


def test_an_sdo_adds_a_meter_to_their_store(client, meters):
    client.force_login(meters["sdo_a"])
    response = client.post(
        reverse("admin:metering_meter_add"),
        {"serial": "NEW-1", "make": "L&T", "meter_type": "static", "phase": "1", "digits": "6",
         "ct_ratio": "1", "pt_ratio": "1", "office": str(meters["sub_a"].pk), "change_reason": "new stock"},
    )  # fmt: skip
    assert response.status_code == 302, response.content.decode()[:3000]
    meter = Meter.objects.get(serial="NEW-1")
    assert meter.office == meters["sub_a"]
    assert MeterChange.objects.filter(meter=meter, changed_by=meters["sdo_a"]).exists()
    client.force_login(meters["je_a"])
    assert client.get(reverse("admin:metering_meter_add")).status_code == 403


def test_installing_a_meter_moves_it_to_the_connections_office(meters, today):
    consumer = meters["consumer_a"]
    services.meter_remove(consumer=consumer, removed_on=today, final_reading=D("0"))
    services.meter_install(consumer=consumer, meter=meters["stock_a"], installed_on=today, by=meters["je_a"])
    meters["stock_a"].refresh_from_db()
    assert meters["stock_a"].office == meters["dc_a"]
    row = MeterChange.objects.get(meter=meters["stock_a"])
    assert (row.field, row.old_value, row.new_value) == ("office", "SUB-A", "DC-A")


def test_a_meter_of_another_office_cannot_be_installed(meters, today):
    consumer = meters["consumer_a"]
    services.meter_remove(consumer=consumer, removed_on=today, final_reading=D("0"))
    with pytest.raises(PermissionDenied):
        services.meter_install(
            consumer=consumer, meter=meters["stock_b"], installed_on=today, by=meters["je_a"]
        )
    with pytest.raises(PermissionDenied):
        services.meter_install(
            consumer=meters["consumer_b"], meter=meters["stock_b"], installed_on=today, by=meters["je_a"]
        )


# --- the history ----------------------------------------------------------------------------------------


def test_the_meter_history_is_append_only(client, meters):
    services.meter_update(meter=meters["stock_a"], by=meters["sdo_a"], reason="typo", digits=5)
    row = MeterChange.objects.get()
    row.new_value = "9"
    with pytest.raises(Exception):
        row.save()
    with pytest.raises(Exception):
        row.delete()
    client.force_login(meters["sdo_a"])
    assert client.get(reverse("admin:metering_meterchange_changelist")).status_code == 200
    assert client.get(reverse("admin:metering_meterchange_add")).status_code == 403


def test_the_migration_gives_existing_meters_their_connections_office(meters):
    import importlib

    from django.apps import apps

    fill = importlib.import_module("urja.metering.migrations.0004_fill_meter_office")
    meter = meters["installed_b"]
    Meter.objects.filter(pk=meter.pk).update(office=None)
    fill.fill_meter_offices(apps, None)
    meter.refresh_from_db()
    assert meter.office == meters["dc_b"]
    assert Meter.objects.get(serial="STOCK-A").office == meters["sub_a"]  # rows with an office are kept
