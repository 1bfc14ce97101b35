"""Yearly credits: interest on the security deposit and the solar settlement, each once per account."""

import datetime
import importlib
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.db import IntegrityError, transaction

from urja.billing import runs
from urja.billing.annual import deposit_interest_post, solar_settlement_post
from urja.billing.models import AnnualCredit, DepositInterestRate
from urja.customers.services import consumer_update
from urja.ledger.choices import EntryType
from urja.ledger.models import LedgerEntry
from urja.ledger.selectors import balance
from urja.testing import ConsumerFactory

from .test_solar_rebates import read, solar_consumer

pytestmark = pytest.mark.django_db
SEED = importlib.import_module("urja.billing.migrations.0005_seed_deposit_interest_rates")


@pytest.fixture(autouse=True)
def rates(db):
    """The seeded rates, also after a transactional test's flush removed the migration's data."""
    for year, rate, source in SEED.RATES:
        DepositInterestRate.objects.get_or_create(
            financial_year=year, defaults={"rate_percent": rate, "source": source, "uncertain": True}
        )


def interest_entries(consumer):
    return LedgerEntry.objects.filter(consumer=consumer, entry_type=EntryType.DEPOSIT_INTEREST)


def test_the_rates_are_seeded_with_their_source():
    rate = DepositInterestRate.objects.get(financial_year="2025-26")
    assert rate.rate_percent == Decimal("6.50") and "Bank Rate" in rate.source and rate.uncertain


def test_interest_for_a_deposit_held_all_year_is_credited_once(billing_office):
    consumer = ConsumerFactory(office=billing_office, security_deposit=Decimal("2000.00"))
    summary = deposit_interest_post(financial_year="2025-26", reason="FY 2025-26 interest")
    assert summary.posted >= 1
    (entry,) = interest_entries(consumer)
    assert entry.amount == Decimal("-130.00")  # 2000 x 6.50%
    assert entry.reason == "FY 2025-26 interest" and entry.posted_by is None
    assert "6.5%" in entry.description
    again = deposit_interest_post(financial_year="2025-26")
    assert again.posted == 0 and again.already_posted == summary.posted
    assert interest_entries(consumer).count() == 1
    assert balance(consumer.id) == Decimal("-130.00")


def test_a_deposit_held_part_of_the_year_earns_pro_rata(billing_office, two_subdivisions, travel):
    travel.move_to(datetime.datetime(2025, 10, 1, 11, 0, tzinfo=datetime.UTC))
    consumer = ConsumerFactory(office=billing_office, connection_date=datetime.date(2025, 10, 1))
    consumer_update(
        consumer=consumer,
        by=two_subdivisions["sdo_a"],
        reason="deposit paid",
        security_deposit=Decimal("1000"),
    )
    travel.move_to(datetime.datetime(2026, 1, 1, 11, 0, tzinfo=datetime.UTC))
    consumer_update(
        consumer=consumer,
        by=two_subdivisions["sdo_a"],
        reason="load enhanced",
        security_deposit=Decimal("3000"),
    )
    travel.move_to(datetime.datetime(2026, 4, 15, 11, 0, tzinfo=datetime.UTC))
    deposit_interest_post(financial_year="2025-26", by=two_subdivisions["sdo_a"])
    (entry,) = interest_entries(consumer)
    # (1000 x 92 days + 3000 x 90 days) x 6.50% / 365 = 64.47
    assert entry.amount == Decimal("-64.47") and entry.posted_by == two_subdivisions["sdo_a"]
    credit = AnnualCredit.objects.get(consumer=consumer)
    assert credit.quantity == Decimal("991.78")  # 362000 deposit-days / 365: the average held


def test_interest_for_one_office_leaves_the_others(billing_office, two_subdivisions):
    here = ConsumerFactory(office=billing_office, security_deposit=Decimal("500"))
    there = ConsumerFactory(office=two_subdivisions["dc_b"], security_deposit=Decimal("500"))
    call_command("deposits", "interest", "--fy", "2025-26", "--office", billing_office.code)
    assert interest_entries(here).count() == 1 and not interest_entries(there).exists()


@pytest.mark.clock("2026-11-28T12:00:00+05:30")  # FY 2026-27 has not ended
def test_a_year_not_yet_ended_or_without_a_rate_is_refused(billing_office):
    with pytest.raises(ValidationError):
        deposit_interest_post(financial_year="2026-27")
    DepositInterestRate.objects.filter(financial_year="2024-25").delete()
    with pytest.raises(ValidationError):
        deposit_interest_post(financial_year="2024-25")
    with pytest.raises(CommandError):
        call_command("deposits", "interest", "--fy", "2025/26")


def test_the_database_keeps_one_credit_per_account_and_year(billing_office):
    consumer = ConsumerFactory(office=billing_office, security_deposit=Decimal("2000.00"))
    deposit_interest_post(financial_year="2025-26")
    credit = AnnualCredit.objects.get(consumer=consumer)
    credit.pk = None
    with pytest.raises(IntegrityError), transaction.atomic():
        credit.save()


def test_solar_units_banked_at_the_year_end_are_settled_once(billing_office):
    history = [(datetime.date(2026, 1, 31), 0, 0), (datetime.date(2026, 2, 28), 100, 50)]
    consumer = solar_consumer(billing_office, history=history)
    read(consumer, datetime.date(2026, 3, 31), 200, 200)  # import 100, export 150: 50 banked
    runs.bill_run(cycle_code="2026-03", office=billing_office)
    summary = solar_settlement_post(financial_year="2025-26", reason="year-end settlement")
    assert summary.posted == 1
    (entry,) = LedgerEntry.objects.filter(consumer=consumer, entry_type=EntryType.SOLAR_SETTLEMENT)
    assert entry.amount == Decimal("-25.00")  # 50 kWh x Rs 0.50
    assert entry.reason == "year-end settlement"
    call_command("solar", "settle", "--fy", "2025-26")
    assert LedgerEntry.objects.filter(consumer=consumer, entry_type=EntryType.SOLAR_SETTLEMENT).count() == 1
    credit = AnnualCredit.objects.get(consumer=consumer, kind=AnnualCredit.Kind.SOLAR_SETTLEMENT)
    assert credit.quantity == Decimal("50") and credit.bill.period == "2026-03"


@pytest.mark.clock("2026-11-28T12:00:00+05:30")  # FY 2026-27 has not ended
def test_a_settlement_year_not_yet_ended_is_refused():
    with pytest.raises(ValidationError):
        solar_settlement_post(financial_year="2026-27")
