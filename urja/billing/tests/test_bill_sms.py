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


@pytest.mark.clock("2026-08-10T09:00:00+05:30")
def test_due_reminders_go_to_those_who_still_owe_once(billing_office, capsys):
    from django.core.management import call_command

    from urja.billing.notices import due_reminders_send
    from urja.payments.services import payment_post

    owing = metered_consumer(billing_office, serial="D1")
    paid = metered_consumer(billing_office, serial="D2")
    declined = metered_consumer(billing_office, serial="D3")
    declined.optional_messages = False
    declined.save()
    for consumer in (owing, paid, declined):
        reading_record(
            consumer=consumer, reading_date=datetime.date(2026, 7, 31), kwh=Decimal(850), source="manual"
        )
    runs.bill_run(cycle_code="2026-07", office=billing_office)
    bill = Bill.objects.get(consumer=owing)
    payment_post(
        consumer=owing, amount=Decimal("727.00"), channel="cash", source="counter", reference="PART-1"
    )
    payment_post(
        consumer=paid, amount=Decimal("1727.00"), channel="cash", source="counter", reference="FULL-1"
    )
    on = bill.due_date - datetime.timedelta(days=3)
    assert due_reminders_send(on=on, days_before=3) >= 1
    assert due_reminders_send(on=on, days_before=3) == 0  # a second run reminds nobody again
    reminders = {m.consumer_id: m for m in OutboundMessage.objects.filter(template="due_reminder")}
    assert owing.pk in reminders and paid.pk not in reminders and declined.pk not in reminders
    assert "1,000.00" in reminders[owing.pk].body  # what is owed now, after the part payment
    assert reminders[owing.pk].not_before is not None  # optional: held for the 10:00-21:00 window
    call_command("remind", "--days", "3")
    assert "reminder(s) queued" in capsys.readouterr().out
