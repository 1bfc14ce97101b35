"""Security review of the staff console's views: scope of actions, and no 500 for bad input."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from urja.billing import partitions, runs
from urja.billing.models import Bill
from urja.billing.tests.conftest import metered_consumer
from urja.metering.services import reading_record
from urja.org.choices import Role
from urja.testing import UserFactory

pytestmark = pytest.mark.django_db
JULY_END = datetime.date(2026, 7, 31)
HUGE = "9" * 30


def _failed_division_run(two_subdivisions, monkeypatch):
    """A July run over the whole division (started by the EE) whose partitions all failed."""
    consumers = {}
    for key, serial in (("a", "MA1"), ("b", "MB1")):
        consumers[key] = metered_consumer(two_subdivisions[f"dc_{key}"], serial=serial)
        reading_record(consumer=consumers[key], reading_date=JULY_END, kwh=Decimal(850), source="manual")
    original = partitions.compute_bills

    def boom(*args, **kwargs):
        raise RuntimeError("worker crashed")

    monkeypatch.setattr(partitions, "compute_bills", boom)
    ee = UserFactory(username="ee", role=Role.EE, office=two_subdivisions["division"])
    run = runs.bill_run(cycle_code="2026-07", office=two_subdivisions["division"], by=ee)
    monkeypatch.setattr(partitions, "compute_bills", original)
    assert run.status == "failed"
    return run, consumers


def test_sdo_cannot_resume_a_wider_run_that_bills_another_subdivision(client, two_subdivisions, monkeypatch):
    run, consumers = _failed_division_run(two_subdivisions, monkeypatch)
    client.force_login(two_subdivisions["sdo_a"])

    page = client.get(reverse("staff:bill_run_detail", args=[run.id]))
    assert page.status_code == 200 and not page.context["can_resume"]

    response = client.post(reverse("staff:bill_run_resume", args=[run.id]))
    assert response.status_code == 403
    run.refresh_from_db()
    assert run.status == "failed"
    assert not Bill.objects.filter(consumer=consumers["b"]).exists()
    assert not Bill.objects.exists()


def test_the_runs_own_office_may_resume_it(client, two_subdivisions, monkeypatch):
    run, consumers = _failed_division_run(two_subdivisions, monkeypatch)
    ee = UserFactory(username="ee")  # the same user (get_or_create by username)
    client.force_login(ee)
    assert client.get(reverse("staff:bill_run_detail", args=[run.id])).context["can_resume"]
    assert client.post(reverse("staff:bill_run_resume", args=[run.id])).status_code == 302
    run.refresh_from_db()
    assert run.status == "done" and Bill.objects.filter(consumer=consumers["b"]).exists()


def test_review_queue_with_an_out_of_range_run_is_not_a_500(client, two_subdivisions):
    client.raise_request_exception = False
    client.force_login(two_subdivisions["sdo_a"])
    response = client.get(reverse("staff:review_queue"), {"run": HUGE})
    assert response.status_code == 200
    assert response.context["run_id"] is None


@pytest.mark.parametrize("field", ["units", "fppas"])
def test_tariff_quote_with_a_huge_number_is_a_form_error(client, two_subdivisions, field):
    client.raise_request_exception = False
    client.force_login(two_subdivisions["je_a"])
    params = {"tariff": "LMV1-URBAN", "load": "2kW", "units": "100", field: "1e999"}
    response = client.get(reverse("staff:tariff_quote"), params)
    assert response.status_code == 200
    assert response.context["result"] is None and response.context["form"].non_field_errors()
