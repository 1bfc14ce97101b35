"""Issue 9: a bill run tells each consumer by SMS, in their language, once per bill."""

import datetime
from decimal import Decimal

import pytest

from urja.billing import runs
from urja.billing.models import Bill
from urja.metering.services import reading_record
from urja.notifications.models import OutboundMessage

from .conftest import metered_consumer

pytestmark = pytest.mark.django_db


def test_a_bill_run_queues_one_bill_sms_per_issued_bill_in_the_readers_language(
    billing_office, django_capture_on_commit_callbacks
):
    hindi = metered_consumer(billing_office, serial="S1")
    hindi.mobile, hindi.language = "9876500001", "hi"
    hindi.save()
    english = metered_consumer(billing_office, serial="S2")
    english.mobile, english.language = "9876500002", "en"
    english.save()
    silent = metered_consumer(billing_office, serial="S3")
    silent.mobile = ""
    silent.save()
    for consumer in (hindi, english, silent):
        reading_record(
            consumer=consumer, reading_date=datetime.date(2026, 7, 31), kwh=Decimal(850), source="manual"
        )
    with django_capture_on_commit_callbacks(execute=True):
        runs.bill_run(cycle_code="2026-07", office=billing_office)
        runs.bill_run(
            cycle_code="2026-07", office=billing_office
        )  # a second run bills and tells nobody twice
    sms = {m.consumer_id: m for m in OutboundMessage.objects.filter(template="bill_issued")}
    with_mobile = set(
        Bill.objects.filter(period="2026-07").exclude(consumer__mobile="").values_list("consumer", flat=True)
    )
    assert set(sms) == with_mobile and {hindi.pk, english.pk} <= with_mobile and silent.pk not in sms
    bill = Bill.objects.get(consumer=english)
    due = f"{bill.due_date:%d-%m-%Y}"
    assert sms[english.pk].body == (
        f"Urja: your bill for a/c {english.account_number} for 07-2026 is Rs 1,727.00, due by {due}."
    )
    assert sms[hindi.pk].body.startswith("उर्जा: खाता") and "1,727.00" in sms[hindi.pk].body
    assert sms[hindi.pk].dedupe_key == f"bill:{Bill.objects.get(consumer=hindi).bill_number}"
    # Sent after commit by the outbox (eager here): each exactly once.
    assert {m.status for m in sms.values()} == {"sent"}
