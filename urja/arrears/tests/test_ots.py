import datetime
from decimal import Decimal
from io import StringIO

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command

from urja.arrears.models import OtsRegistration, OtsScheme
from urja.arrears.ots import (
    DEMO_SCHEME,
    ots_quote,
    ots_register,
    ots_settle,
    rebate_percent,
    scheme_ends,
)
from urja.common import clock
from urja.customers.choices import TariffCategory
from urja.ledger import services as ledger
from urja.ledger.choices import EntryType
from urja.ledger.descriptions import entry_text
from urja.ledger.models import LedgerEntry
from urja.ledger.selectors import balance
from urja.org.choices import Role
from urja.payments.services import payment_post
from urja.testing import ConsumerFactory, UserFactory

D = Decimal
OPENS = datetime.date(2026, 10, 1)


def at(day, hour=11):
    return clock.aware(datetime.datetime.combine(day, datetime.time(hour, 0)))


def pay(consumer, amount, reference, day):
    # Posted when it was paid: payment_post refuses a new payment older than PAID_AT_MAX_AGE_DAYS.
    with time_machine.travel(at(day), tick=False):
        return payment_post(
            consumer=consumer,
            amount=D(amount),
            channel="partner",
            source="partner:1",
            reference=reference,
            paid_at=at(day),
        ).payment


@pytest.fixture
def scheme(db):
    return OtsScheme.objects.create(
        code="OTS-T",
        name="Test scheme",
        categories=[{"category": "LMV1-URBAN", "max_load": "2"}, {"category": "LMV2-URBAN", "max_load": "1"}],
        registration_opens=OPENS,
        registration_closes=datetime.date(2026, 10, 31),
        registration_deposit_percent=D("10"),
        surcharge_waiver_percent=D("100"),
        principal_rebate_phases=[
            {"until": "2026-10-15", "percent": "25"},
            {"until": "2026-11-15", "percent": "15"},
            {"until": "2026-11-25", "percent": "10"},
        ],
    )


@pytest.fixture
def arrears(two_subdivisions):
    c = two_subdivisions["consumer_a"]  # LMV1-URBAN, 2 kW
    ledger.entry_post(
        consumer=c,
        entry_type=EntryType.BILL,
        amount=D("10000.00"),
        entry_date=datetime.date(2026, 5, 1),
        due_date=datetime.date(2026, 5, 15),
        period="2026-04",
        description="Bill 2026-04",
    )
    ledger.entry_post(
        consumer=c,
        entry_type=EntryType.LPSC,
        amount=D("612.50"),
        entry_date=datetime.date(2026, 9, 1),
        due_date=datetime.date(2026, 9, 1),
        period="2026-09",
        description="LPSC",
    )
    return c


@pytest.mark.django_db
class TestOts:
    def test_register_pay_settle_end_to_end(self, scheme, arrears, two_subdivisions):
        je = two_subdivisions["je_a"]
        registration = ots_register(scheme=scheme, consumer=arrears, on=datetime.date(2026, 10, 5), by=je)
        assert (registration.principal, registration.surcharge) == (D("10000.00"), D("612.50"))
        assert registration.surcharge_waived == D("612.50") and registration.deposit_due == D("1000.00")

        pay(arrears, "1000.00", "DEP", datetime.date(2026, 10, 5))  # the deposit, phase 1
        quote = ots_quote(registration=registration, on=datetime.date(2026, 10, 10))
        assert quote.deposit_paid and quote.rebate_percent == D("25") and quote.still_to_pay == D("6500.00")
        with pytest.raises(ValidationError, match="6500.00 more"):
            ots_settle(registration=registration, on=datetime.date(2026, 10, 10), by=je)

        # The rest arrives in phase 2: 15% rebate, 8500 in all.
        pay(arrears, "7500.00", "REST", datetime.date(2026, 11, 10))
        settled = ots_settle(registration=registration, on=datetime.date(2026, 11, 12), by=je)
        assert settled.settled and settled.principal_rebate == D("1500.00")
        waiver = LedgerEntry.objects.get(description__startswith="OTS surcharge waiver")
        rebate = LedgerEntry.objects.get(description__startswith="OTS principal rebate")
        assert (waiver.entry_type, waiver.amount) == (EntryType.ADJUSTMENT, D("-612.50"))
        assert (rebate.entry_type, rebate.amount) == (EntryType.ADJUSTMENT, D("-1500.00"))
        assert "15% of 10,000.00" in rebate.description and rebate.source_id == registration.pk
        # A statement shows the entries in the reader's language, not the stored English.
        assert entry_text(rebate, "hi").startswith("एकमुश्त समाधान")
        assert "10,000.00" in entry_text(rebate, "hi") and "612.50" in entry_text(waiver, "hi")
        assert balance(arrears.pk) == D("0.00")

        with pytest.raises(ValidationError, match="already been settled"):
            ots_settle(registration=registration, on=datetime.date(2026, 11, 12), by=je)
        assert LedgerEntry.objects.filter(source_type="ots").count() == 2

    def test_paid_in_phase_one_earns_phase_one_rebate(self, scheme, arrears):
        registration = ots_register(scheme=scheme, consumer=arrears, on=datetime.date(2026, 10, 5))
        pay(arrears, "7500.00", "ALL", datetime.date(2026, 10, 14))
        settled = ots_settle(registration=registration, on=datetime.date(2026, 11, 20))
        assert settled.principal_rebate == D("2500.00") and balance(arrears.pk) == D("0.00")

    def test_scheme_ended_before_payment(self, scheme, arrears):
        registration = ots_register(scheme=scheme, consumer=arrears, on=datetime.date(2026, 10, 5))
        pay(arrears, "9000.00", "LATE", datetime.date(2026, 11, 26))
        with pytest.raises(ValidationError, match="ended"):
            ots_settle(registration=registration, on=datetime.date(2026, 11, 27))
        assert (
            not OtsRegistration.objects.get().settled
            and not LedgerEntry.objects.filter(source_type="ots").exists()
        )

    def test_eligibility(self, scheme, arrears, two_subdivisions):
        on = datetime.date(2026, 10, 5)
        heavy = ConsumerFactory(office=two_subdivisions["dc_a"], sanctioned_load=D("3"))
        with pytest.raises(ValidationError, match="up to 2"):
            ots_register(scheme=scheme, consumer=heavy, on=on)
        shop = ConsumerFactory(
            office=two_subdivisions["dc_a"], category=TariffCategory.LMV2_URBAN, sanctioned_load=D("2")
        )
        with pytest.raises(ValidationError, match="up to 1"):
            ots_register(scheme=scheme, consumer=shop, on=on)
        factory = ConsumerFactory(office=two_subdivisions["dc_a"], category=TariffCategory.LMV6)
        with pytest.raises(ValidationError, match="not open"):
            ots_register(scheme=scheme, consumer=factory, on=on)
        nothing_due = ConsumerFactory(office=two_subdivisions["dc_a"])
        with pytest.raises(ValidationError, match="owes nothing"):
            ots_register(scheme=scheme, consumer=nothing_due, on=on)
        for day in (OPENS - datetime.timedelta(days=1), datetime.date(2026, 11, 1)):
            with pytest.raises(ValidationError, match="open from"):
                ots_register(scheme=scheme, consumer=arrears, on=day)
        with pytest.raises(PermissionDenied):
            ots_register(scheme=scheme, consumer=arrears, on=on, by=two_subdivisions["je_b"])
        meter_reader = UserFactory(username="mr", role=Role.METER_READER, office=two_subdivisions["dc_a"])
        with pytest.raises(PermissionDenied):
            ots_register(scheme=scheme, consumer=arrears, on=on, by=meter_reader)
        assert not OtsRegistration.objects.exists()
        ots_register(scheme=scheme, consumer=arrears, on=on)
        with pytest.raises(ValidationError, match="already registered"):
            ots_register(scheme=scheme, consumer=arrears, on=on)

    def test_demo_scheme_phases_and_seed_command(self, db):
        out = StringIO()
        call_command("ots", "seed-demo", stdout=out)
        assert "created" in out.getvalue()
        call_command("ots", "seed-demo", stdout=out)
        assert "already exists" in out.getvalue() and OtsScheme.objects.count() == 1
        scheme = OtsScheme.objects.get(code=DEMO_SCHEME["code"])
        assert rebate_percent(scheme, datetime.date(2025, 12, 15)) == D("25")
        assert rebate_percent(scheme, datetime.date(2026, 1, 31)) == D("15")
        assert rebate_percent(scheme, datetime.date(2026, 2, 28)) == D("10")
        assert rebate_percent(scheme, datetime.date(2026, 3, 1)) is None
        assert scheme_ends(scheme) == datetime.date(2026, 2, 28)
        assert scheme.surcharge_waiver_percent == D("100")
