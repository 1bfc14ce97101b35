"""Security review of the admin: a foreign key to an office-owned model offers (and accepts) only
the user's offices' rows, and a consumer's mobile is shown in full only to users who may edit it."""

import datetime

import pytest
from django.contrib import admin
from django.test import RequestFactory
from django.urls import reverse

from urja.customers.models import Consumer
from urja.metering.models import Meter, MeterInstallation
from urja.network.models import DistributionTransformer, Feeder
from urja.org.choices import Role
from urja.testing import FeederFactory, SubstationFactory, TransformerFactory, UserFactory

pytestmark = pytest.mark.django_db


def _request(user):
    request = RequestFactory().get("/admin/")
    request.user = user
    return request


def test_admin_cannot_install_a_meter_at_another_offices_consumer(client, two_subdivisions):
    other = two_subdivisions["consumer_b"]
    meter = Meter.objects.create(serial="X1", digits=6)
    client.force_login(two_subdivisions["je_a"])
    response = client.post(
        reverse("admin:metering_meterinstallation_add"),
        {
            "consumer": other.pk,
            "meter": meter.pk,
            "installed_on": datetime.date(2026, 1, 1).isoformat(),
            "initial_reading": "0",
        },
    )
    # Installations are made through the metering services only (the admin is read-only for them).
    assert response.status_code == 403
    assert not MeterInstallation.objects.exists()


@pytest.mark.parametrize(
    ("model", "field"),
    [
        (Consumer, "dt"),
        (Feeder, "substation"),
        (DistributionTransformer, "feeder"),
        (MeterInstallation, "consumer"),
    ],
)
def test_admin_foreign_keys_offer_only_the_users_offices(two_subdivisions, model, field):
    for key in ("a", "b"):
        sub = two_subdivisions[f"sub_{key}"]
        TransformerFactory(
            office=two_subdivisions[f"dc_{key}"],
            feeder=FeederFactory(office=sub, substation=SubstationFactory(office=sub)),
        )
    user = two_subdivisions["sdo_a"]
    model_admin = admin.site._registry[model]
    form = model_admin.get_form(_request(user))
    choices = form.base_fields[field].queryset
    offices = {obj.office.code for obj in choices}
    assert offices and offices <= {"SUB-A", "DC-A"}


def test_admin_consumer_page_masks_the_mobile_for_a_read_only_user(client, two_subdivisions):
    consumer = two_subdivisions["consumer_a"]
    auditor = UserFactory(username="auditor", role=Role.AUDITOR, office=two_subdivisions["division"])
    client.force_login(auditor)
    page = client.get(reverse("admin:customers_consumer_change", args=[consumer.pk]))
    assert page.status_code == 200
    html = page.content.decode()
    assert consumer.mobile not in html
    assert consumer.mobile_masked in html


def test_admin_consumer_page_keeps_the_mobile_editable_for_an_editor(client, two_subdivisions):
    consumer = two_subdivisions["consumer_a"]
    client.force_login(two_subdivisions["je_a"])
    page = client.get(reverse("admin:customers_consumer_change", args=[consumer.pk]))
    assert page.status_code == 200
    assert "mobile" in page.context["adminform"].form.fields
