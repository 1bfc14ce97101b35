"""Issue 8 rules 7 and 8: a revision prices with the category and tariff of the bill's period; a bill
run holds (does not crash on) an account whose load is outside its category's limits."""

import datetime
import json
from decimal import Decimal

import pytest
from django.urls import reverse

from urja.billing import runs, services
from urja.billing.choices import BillStatus
from urja.billing.models import Bill
from urja.customers import services as customer_services
from urja.customers.models import Consumer
from urja.domain import engine as eng
from urja.domain.tariff import LoadUnit
from urja.metering.services import reading_record
from urja.org.choices import Role
from urja.tariffs.models import TariffVersion
from urja.tariffs.selectors import tariff_book
from urja.testing import UserFactory

from .conftest import metered_consumer

pytestmark = pytest.mark.django_db


@pytest.fixture
def july_bill(billing_office):
    consumer = metered_consumer(billing_office, serial="M1")
    reading_record(
        consumer=consumer, reading_date=datetime.date(2026, 7, 31), kwh=Decimal(850), source="manual"
    )
    runs.bill_run(cycle_code="2026-07", office=billing_office)
    return Bill.objects.get(consumer=consumer)  # LMV1-URBAN, 2 kW, 250 units


def _priced(category: str, units: str, tariffs) -> eng.BillResult:
    return eng.compute_bill(
        eng.BillInput(
            tariffs=tariffs,
            category=category,
            sanctioned_load=Decimal(2),
            load_unit=LoadUnit.KW,
            period_start=datetime.date(2026, 7, 1),
            period_end=datetime.date(2026, 7, 31),
            units=Decimal(units),
            fppas=Decimal(0),
            has_arrears=False,
        )
    )


def test_a_revision_prices_with_the_category_and_version_of_the_bills_period(july_bill, two_subdivisions):
    old_book = tariff_book()
    # Since the bill: the account became non-domestic, and a new LMV-1 urban order raised the fixed charge.
    customer_services.consumer_update(
        consumer=july_bill.consumer, category="LMV2-URBAN", reason="shop opened"
    )
    row = TariffVersion.objects.get(category="LMV1-URBAN", effective_from=datetime.date(2025, 4, 1))
    schedule = json.loads(json.dumps(row.schedule))
    schedule["bands"][0]["fixed_rate"] = "200"
    TariffVersion.objects.create(
        category="LMV1-URBAN", label="FY 2026-27 (test)", effective_from=datetime.date(2026, 9, 1),
        schedule=schedule, source="test order",
    )  # fmt: skip
    sdo = UserFactory(username="sdo_rev", role=Role.SDO, office=two_subdivisions["sub_a"])
    revision = services.bill_revision_request(bill=july_bill, by=sdo, reason="misread", units=Decimal("240"))
    new = revision.new_bill or Bill.objects.get(
        consumer=july_bill.consumer, period="2026-07", status=BillStatus.ISSUED
    )

    expected = _priced("LMV1-URBAN", "240", old_book)
    # LMV-1 urban FY 2025-26 for 240 units, 2 kW: energy 100 x 5.50 + 50 x 5.50 + 90 x 6.00 = 1,365.00;
    # fixed 2 x 110 = 220.00 (not 2 x 200, nor LMV-2's Rs 330/kW).
    assert (new.energy_charge, new.fixed_charge) == (Decimal("1365.00"), Decimal("220.00"))
    assert new.energy_charge == expected.energy_charge and new.category == "LMV1-URBAN"
    assert Consumer.objects.get(pk=july_bill.consumer_id).category == "LMV2-URBAN"


def test_a_bill_run_holds_an_account_whose_load_is_outside_its_category(billing_office):
    consumer = metered_consumer(billing_office, serial="M2", category="LMV6", load="10")
    Consumer.objects.filter(pk=consumer.pk).update(sanctioned_load=Decimal("90"))  # e.g. a legacy record
    reading_record(
        consumer=consumer, reading_date=datetime.date(2026, 7, 31), kwh=Decimal(850), source="manual"
    )
    run = runs.bill_run(cycle_code="2026-07", office=billing_office)
    run.refresh_from_db()
    bill = Bill.objects.get(consumer=consumer)
    assert bill.status == BillStatus.HELD and "ERROR" in bill.hold_reason_list
    assert any("outside the LMV6 limits (up to 75 kW)" in note for note in bill.notes)


def test_the_calculator_shows_the_load_limit_message(client, two_subdivisions):
    client.force_login(two_subdivisions["je_a"])
    params = {
        "tariff": "LMV6",
        "load": "80kW",
        "units": "100",
        "period_from": "2026-06-01",
        "period_to": "2026-06-30",
    }
    response = client.get(reverse("staff:tariff_quote"), params)
    assert response.status_code == 200 and response.context["result"] is None
    assert (
        "A load of 80 kW is outside the limits of the LMV6 category: up to 75 kW."
        in response.content.decode()
    )
