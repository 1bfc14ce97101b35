"""Bill runs and revisions honour a load or category change effective inside the bill's period."""

import datetime
from decimal import Decimal

import pytest

from urja.billing import runs, services
from urja.billing.choices import BillStatus
from urja.billing.models import Bill
from urja.customers.models import ConnectionChange
from urja.metering.services import reading_record

from .conftest import metered_consumer

pytestmark = pytest.mark.django_db
JULY_END = datetime.date(2026, 7, 31)


def _load_change(consumer, day, old, new, by=None):
    ConnectionChange.objects.create(
        consumer=consumer,
        kind=ConnectionChange.Kind.LOAD,
        effective_from=day,
        old_category=consumer.category,
        old_sanctioned_load=Decimal(old),
        old_load_unit="kW",
        new_category=consumer.category,
        new_sanctioned_load=Decimal(new),
        new_load_unit="kW",
        approved_by=by,
        reason="load enhancement",
        source="system",
    )
    consumer.sanctioned_load = Decimal(new)
    consumer.save(update_fields=["sanctioned_load"])


def test_a_run_splits_the_fixed_charge_at_a_load_change(billing_office):
    a = metered_consumer(billing_office, serial="M1")
    _load_change(a, datetime.date(2026, 7, 16), "2", "4")
    reading_record(consumer=a, reading_date=JULY_END, kwh=Decimal(850), source="manual")  # 250 units
    runs.bill_run(cycle_code="2026-07", office=billing_office)
    bill = Bill.objects.get(consumer=a)
    # 15 of 31 days on 2 kW, 16 on 4 kW: 2 x 110 x 15/31 = 106.45 and 4 x 110 x 16/31 = 227.10.
    assert bill.fixed_charge == Decimal("333.55")
    # 250 units shared by days: 121 + 129; LMV-1 slab 150 x 15/31 = 73 and 150 x 16/31 = 77 units.
    # 73 x 5.50 + 48 x 6.00 + 77 x 5.50 + 52 x 6.00 = 401.50 + 288.00 + 423.50 + 312.00 = 1425.00
    assert bill.energy_charge == Decimal("1425.00")
    fixed = [line for line in bill.lines if line["head"] == "fixed"]
    assert [dict(line["params"])["load"] for line in fixed] == ["2", "4"]


def test_a_change_after_the_period_leaves_the_old_particulars_to_a_revision(billing_office, two_subdivisions):
    a = metered_consumer(billing_office, serial="M1")
    reading_record(consumer=a, reading_date=JULY_END, kwh=Decimal(850), source="manual")
    runs.bill_run(cycle_code="2026-07", office=billing_office)
    bill = Bill.objects.get(consumer=a)
    assert bill.fixed_charge == Decimal("220.00")
    _load_change(a, datetime.date(2026, 8, 10), "2", "5")
    services.bill_revision_request(
        bill=bill, by=two_subdivisions["sdo_a"], reason="reading misread", units=Decimal("150")
    )
    new = Bill.objects.get(consumer=a, period="2026-07", status=BillStatus.ISSUED)
    assert new.fixed_charge == Decimal("220.00")  # July was on 2 kW throughout


def test_a_revision_keeps_the_split(billing_office, two_subdivisions):
    a = metered_consumer(billing_office, serial="M1")
    _load_change(a, datetime.date(2026, 7, 16), "2", "4")
    reading_record(consumer=a, reading_date=JULY_END, kwh=Decimal(850), source="manual")
    runs.bill_run(cycle_code="2026-07", office=billing_office)
    bill = Bill.objects.get(consumer=a)
    services.bill_revision_request(
        bill=bill, by=two_subdivisions["sdo_a"], reason="reading misread", units=Decimal("150")
    )
    new = Bill.objects.get(consumer=a, period="2026-07", status=BillStatus.ISSUED)
    assert new.fixed_charge == Decimal("333.55")
