import datetime
from decimal import Decimal

import pytest

from urja.billing import runs, selectors
from urja.billing.models import Bill
from urja.common.errors import NotFound
from urja.domain.determinants import HOLD_TEXT
from urja.metering.services import reading_record
from urja.org.choices import Role
from urja.testing import UserFactory

from .conftest import metered_consumer

pytestmark = pytest.mark.django_db
JULY_END = datetime.date(2026, 7, 31)


def read(consumer, value, day=JULY_END):
    return reading_record(consumer=consumer, reading_date=day, kwh=Decimal(value), source="manual")


def test_hold_labels_cover_every_hold_code():
    assert set(selectors.HOLD_LABELS) == set(HOLD_TEXT)


def test_bills_are_scoped_to_the_office_subtree(two_subdivisions):
    runs.bill_run(cycle_code="2026-07")
    sdo_a = two_subdivisions["sdo_a"]
    own = Bill.objects.get(consumer=two_subdivisions["consumer_a"])
    other = Bill.objects.get(consumer=two_subdivisions["consumer_b"])
    assert list(selectors.bills_for(sdo_a)) == [own]
    assert selectors.bill_get(sdo_a, own.id) == own
    with pytest.raises(NotFound):
        selectors.bill_get(sdo_a, other.id)


def test_held_bills_filter_by_whole_reason_code(billing_office, two_subdivisions):
    spike = metered_consumer(billing_office, serial="M1")
    read(spike, 1500)  # HIGH
    zero = metered_consumer(billing_office, serial="M2")
    read(zero, 600)  # ZERO
    run = runs.bill_run(cycle_code="2026-07")
    sdo = two_subdivisions["sdo_a"]
    assert {b.consumer_id for b in selectors.held_bills_for(sdo)} == {spike.id, zero.id}
    assert [b.consumer_id for b in selectors.held_bills_for(sdo, reason="HIGH")] == [spike.id]
    assert [b.consumer_id for b in selectors.held_bills_for(sdo, reason="ZERO", run_id=run.id)] == [zero.id]
    assert not selectors.held_bills_for(sdo, run_id=run.id + 1).exists()
    assert not selectors.held_bills_for(two_subdivisions["sdo_b"]).exists()


def test_average_units_come_from_readings_before_any_bill(billing_office, two_subdivisions):
    spike = metered_consumer(billing_office, serial="M1")
    read(spike, 1500)
    runs.bill_run(cycle_code="2026-07")
    bill = Bill.objects.get(consumer=spike)
    assert selectors.average_monthly_units([bill]) == {bill.id: Decimal("200")}


def test_average_units_come_from_earlier_bills(billing_office, two_subdivisions):
    a = metered_consumer(billing_office, serial="M1")
    read(a, 850)  # 250 units in July
    runs.bill_run(cycle_code="2026-07")
    read(a, 850 + 1200, day=datetime.date(2026, 8, 31))
    runs.bill_run(cycle_code="2026-08")
    august = Bill.objects.get(consumer=a, period="2026-08")
    assert august.status == "held"
    assert selectors.average_monthly_units([august])[august.id] == Decimal("250")


def test_wider_runs_are_seen_with_only_ones_own_partitions(two_subdivisions):
    everyone = runs.bill_run(cycle_code="2026-07")
    own = runs.bill_run(cycle_code="2026-07", office=two_subdivisions["dc_a"])
    root = UserFactory(username="root", role=Role.SYSTEM_ADMIN, office=None)
    ee = UserFactory(username="ee", role=Role.EE, office=two_subdivisions["division"])
    assert set(selectors.runs_for(root)) == {everyone, own}
    assert set(selectors.runs_for(ee)) == {everyone, own}
    assert set(selectors.runs_for(two_subdivisions["sdo_a"])) == {everyone, own}
    assert list(selectors.runs_for(two_subdivisions["sdo_b"])) == [everyone]
    with pytest.raises(NotFound):
        selectors.run_get(two_subdivisions["sdo_b"], own.id)
    sdo_b_parts = selectors.run_partitions(everyone, two_subdivisions["sdo_b"])
    assert [p.office for p in sdo_b_parts] == [two_subdivisions["dc_b"]]
    assert len(selectors.run_partitions(everyone, root)) == 2


def test_consumer_bills_latest_first(billing_office):
    a = metered_consumer(billing_office, serial="M1")
    read(a, 850)
    runs.bill_run(cycle_code="2026-07")
    read(a, 1050, day=datetime.date(2026, 8, 31))
    runs.bill_run(cycle_code="2026-08")
    assert [b.period for b in selectors.consumer_bills(a)] == ["2026-08", "2026-07"]
    assert [b.period for b in selectors.consumer_bills(a, limit=1)] == ["2026-08"]


def test_statement_as_dict_adds_up(billing_office):
    a = metered_consumer(billing_office, serial="M1")
    read(a, 850)
    runs.bill_run(cycle_code="2026-07")
    from urja.ledger.selectors import statement

    data = selectors.statement_as_dict(
        statement(a.id, datetime.date(2026, 1, 1), datetime.date(2026, 11, 28))
    )
    assert data["opening_balance"] == "0.00" and data["closing_balance"] == "1727.00"
    assert data["lines"][-1]["balance"] == "1727.00"


def test_last_twelve_months():
    assert selectors.last_twelve_months(datetime.date(2026, 11, 28)) == (
        datetime.date(2025, 12, 1),
        datetime.date(2026, 11, 28),
    )
    assert selectors.last_twelve_months(datetime.date(2026, 12, 5))[0] == datetime.date(2026, 1, 1)
