import datetime
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from urja.arrears.lpsc import lpsc_apply, lpsc_preview
from urja.arrears.models import LpscCharge, OtsRegistration, OtsScheme
from urja.common import clock
from urja.ledger import services as ledger
from urja.ledger.choices import EntryType
from urja.ledger.models import LedgerEntry
from urja.ledger.selectors import balance
from urja.ledger.selectors import open_dues as account_dues
from urja.ledger.selectors import open_dues_bulk as dues_bulk
from urja.payments.services import payment_post
from urja.testing import ConsumerFactory, run_concurrently

D = Decimal
ON = datetime.date(2026, 11, 20)


def bill(consumer, amount, period, due, entry_date=None):
    return ledger.entry_post(
        consumer=consumer,
        entry_type=EntryType.BILL,
        amount=D(amount),
        entry_date=entry_date or due - datetime.timedelta(days=15),
        due_date=due,
        period=period,
        description=f"Bill {period}",
    )


def pay(consumer, amount, reference, when):
    paid_at = clock.aware(datetime.datetime.combine(when, datetime.time(11, 0)))
    # Posted when it was paid: payment_post refuses a new payment older than PAID_AT_MAX_AGE_DAYS.
    with time_machine.travel(paid_at, tick=False):
        return payment_post(
            consumer=consumer,
            amount=D(amount),
            channel="partner",
            source="partner:1",
            reference=reference,
            paid_at=paid_at,
        )


@pytest.fixture
def overdue(two_subdivisions):
    c = two_subdivisions["consumer_a"]
    bill(c, "400.00", "2026-05", datetime.date(2026, 6, 10))  # 6 months overdue on ON: 2%
    bill(c, "1000.00", "2026-08", datetime.date(2026, 9, 15))  # 3 months overdue: 1.25%
    bill(c, "900.00", "2026-10", datetime.date(2026, 11, 25))  # not yet due
    return c


@pytest.mark.django_db
class TestLpscApply:
    def test_charges_by_age_and_posts_entry_with_charge_row(self, overdue):
        result = lpsc_apply(on=ON)
        assert result.charged == 1 and result.total == D("20.50")
        entry = LedgerEntry.objects.get(entry_type=EntryType.LPSC)
        assert entry.amount == D("20.50") and entry.entry_date == ON and entry.period == "2026-11"
        assert entry.description == "LPSC 2026-11: 2% on 400.00 (2026-05); 1.25% on 1000.00 (2026-08)"
        from urja.ledger.descriptions import entry_text

        assert entry.code == "lpsc"
        assert entry_text(entry, "hi") == (
            "विलंब भुगतान अधिभार (LPSC) 2026-11: ₹400.00 (2026-05) पर 2%; ₹1,000.00 (2026-08) पर 1.25%"
        )
        charge = LpscCharge.objects.get()
        assert (charge.consumer_id, charge.month, charge.amount, charge.ledger_entry_id) == (
            overdue.pk,
            "2026-11",
            D("20.50"),
            entry.pk,
        )

    def test_running_twice_in_a_month_charges_once(self, overdue):
        lpsc_apply(on=ON)
        again = lpsc_apply(on=ON + datetime.timedelta(days=5))
        assert again.charged == 0 and again.total == 0 and again.already_charged == 1
        assert LedgerEntry.objects.filter(entry_type=EntryType.LPSC).count() == 1
        assert lpsc_preview(consumer_id=overdue.pk, on=ON) == []

    def test_next_month_charges_again_never_on_surcharge(self, overdue):
        october = lpsc_apply(on=datetime.date(2026, 10, 20))
        november = lpsc_apply(on=ON)
        assert (october.month, october.total) == ("2026-10", D("20.50"))
        # The base is the same principal: October's surcharge is not surcharged again.
        assert (november.month, november.total) == ("2026-11", D("20.50"))
        assert LpscCharge.objects.count() == 2

    def test_paid_dues_are_not_surcharged(self, overdue):
        pay(overdue, "400.00", "P1", datetime.date(2026, 7, 1))  # settles the oldest bill
        result = lpsc_apply(on=ON)
        assert result.total == D("12.50")

    def test_no_surcharge_on_surcharge(self, overdue):
        ledger.entry_post(
            consumer=overdue,
            entry_type=EntryType.LPSC,
            amount=D("100.00"),
            entry_date=datetime.date(2026, 7, 1),
            due_date=datetime.date(2026, 7, 1),
            period="2026-06",
            description="old LPSC",
        )
        assert lpsc_apply(on=ON).total == D("20.50")

    def test_account_in_credit_or_not_overdue_is_not_charged(self, two_subdivisions):
        a, b = two_subdivisions["consumer_a"], two_subdivisions["consumer_b"]
        bill(a, "500.00", "2026-10", datetime.date(2026, 11, 25))
        pay(b, "100.00", "ADV", datetime.date(2026, 10, 1))
        assert lpsc_apply(on=ON).charged == 0
        assert not LpscCharge.objects.exists()

    def test_bulk_dues_equal_account_dues(self, overdue, two_subdivisions):
        b = two_subdivisions["consumer_b"]
        bill(b, "250.00", "2026-07", datetime.date(2026, 8, 10))
        pay(b, "100.00", "PB", datetime.date(2026, 9, 1))
        bulk = dues_bulk([overdue.pk, b.pk], ON)
        assert bulk[overdue.pk] == account_dues(overdue.pk, as_of=ON)[0]
        assert bulk[b.pk] == account_dues(b.pk, as_of=ON)[0]

    def test_queries_do_not_grow_with_accounts(self, db):
        def run(n, on):
            for _ in range(n):
                c = ConsumerFactory()
                bill(c, "100.00", "2026-08", datetime.date(2026, 9, 15))
            with CaptureQueriesContext(connection) as ctx:
                result = lpsc_apply(on=on)
            return len(ctx.captured_queries), result.charged

        few, charged_few = run(3, datetime.date(2026, 10, 1))
        many, charged_many = run(12, datetime.date(2026, 11, 1))
        assert (charged_few, charged_many) == (3, 15)
        assert many == few

    def test_future_date_refused_and_nothing_changes(self, overdue):
        with pytest.raises(ValidationError):
            lpsc_apply(on=clock.today() + datetime.timedelta(days=1))
        assert not LedgerEntry.objects.filter(entry_type=EntryType.LPSC).exists()

    def test_account_in_running_ots_scheme_is_skipped(self, overdue):
        scheme = OtsScheme.objects.create(
            code="T",
            name="T",
            categories=[{"category": overdue.category, "max_load": "5"}],
            registration_opens=datetime.date(2026, 11, 1),
            registration_closes=datetime.date(2026, 11, 30),
            principal_rebate_phases=[{"until": "2026-12-31", "percent": "10"}],
        )
        OtsRegistration.objects.create(
            scheme=scheme,
            consumer=overdue,
            registered_on=datetime.date(2026, 11, 2),
            principal=D("1400"),
            surcharge=0,
        )
        assert lpsc_apply(on=ON).charged == 0

    def test_command_prints_counts_and_total(self, overdue):
        from io import StringIO

        out = StringIO()
        call_command("lpsc", "apply", "--on", ON.isoformat(), stdout=out)
        assert "charged 1" in out.getvalue() and "total 20.50" in out.getvalue()
        out = StringIO()
        call_command("lpsc", "apply", "--on", ON.isoformat(), stdout=out)
        assert "charged 0" in out.getvalue() and "already charged this month 1" in out.getvalue()
        assert balance(overdue.pk) == D("2320.50")


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_runs_charge_once(overdue):
    results = run_concurrently(6, lambda i: lpsc_apply(on=ON))
    assert all(not isinstance(r, Exception) for r in results), results
    assert sum(r.charged for r in results) == 1
    assert LpscCharge.objects.count() == 1
    assert LedgerEntry.objects.filter(entry_type=EntryType.LPSC).count() == 1
