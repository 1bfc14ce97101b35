"""Issue 10: a consumer who chose bills by e-mail gets one e-mail per issued bill, with the bill's PDF,
in their language; nobody else gets one (docs/decisions/0047-e-bills.md)."""

import datetime
from decimal import Decimal

import pytest

from urja.billing import runs, services
from urja.billing.models import Bill
from urja.billing.partitions import bill_partition_execute
from urja.customers.services import consumer_update
from urja.metering.services import reading_record
from urja.notifications.models import OutboundMessage
from urja.notifications.sending import outbox_drain

from .conftest import metered_consumer

pytestmark = pytest.mark.django_db


def ebill_consumer(office, serial, *, language="en", ebill=True, proved=True, kwh=850):
    consumer = metered_consumer(office, serial=serial)
    address = f"{serial.lower()}@example.com"
    consumer_update(
        consumer=consumer, language=language, email=address, verified_email=address if proved else "",
        ebill=ebill,
    )  # fmt: skip
    reading_record(
        consumer=consumer, reading_date=datetime.date(2026, 7, 31), kwh=Decimal(kwh), source="manual"
    )
    return consumer


def ebills():
    return OutboundMessage.objects.filter(template="ebill")


def test_a_run_queues_one_email_per_bill_of_those_who_chose_them(
    billing_office, mailoutbox, django_capture_on_commit_callbacks
):
    english = ebill_consumer(billing_office, "E1", language="en")
    hindi = ebill_consumer(billing_office, "E2", language="hi")
    declined = ebill_consumer(billing_office, "E3", ebill=False)
    unproved = ebill_consumer(billing_office, "E4", proved=False)  # an address typed at the office
    with django_capture_on_commit_callbacks(execute=True):
        run = runs.bill_run(cycle_code="2026-07", office=billing_office)
        runs.bill_run(cycle_code="2026-07", office=billing_office)  # a second run mails nobody twice
    for partition in run.partitions.all():  # a re-delivered partition task neither
        bill_partition_execute(partition_id=partition.pk)
    by_consumer = {m.consumer_id: m for m in ebills()}
    assert set(by_consumer) == {english.pk, hindi.pk} and ebills().count() == 2
    assert declined.pk not in by_consumer and unproved.pk not in by_consumer
    bill = Bill.objects.get(consumer=english)
    message = by_consumer[english.pk]
    assert (message.channel, message.to, message.attachment) == ("email", "e1@example.com", f"bill:{bill.pk}")
    assert message.dedupe_key == f"ebill:{bill.bill_number}"
    assert message.body.startswith(f"Urja: the electricity bill of a/c {english.account_number} for 07-2026")
    assert "Rs 1,727.00" in message.body and f"{bill.due_date:%d-%m-%Y}" in message.body
    assert (
        by_consumer[hindi.pk].body.startswith("उर्जा: खाता") and "बिजली बिल संलग्न" in by_consumer[hindi.pk].body
    )
    # Sent after commit by the outbox, each with its bill's PDF, the subject in the reader's language.
    assert {m.status for m in ebills()} == {"sent"}
    mails = {tuple(m.to): m for m in mailoutbox if m.attachments}
    assert set(mails) == {("e1@example.com",), ("e2@example.com",)}
    name, content, mimetype = mails[("e1@example.com",)].attachments[0]
    assert (name, mimetype) == (f"{bill.bill_number}.pdf", "application/pdf") and content[:5] == b"%PDF-"
    assert mails[("e1@example.com",)].subject == "Urja: Your electricity bill"
    assert mails[("e2@example.com",)].subject.startswith("ऊर्जा: ")
    # The SMS of every bill is still queued as before.
    with_mobile = Bill.objects.filter(period="2026-07", status="issued").exclude(consumer__mobile="")
    assert OutboundMessage.objects.filter(template="bill_issued").count() == with_mobile.count() >= 4
    outbox_drain()  # a later sweep sends nothing again
    assert ebills().filter(status="sent").count() == 2 and len([m for m in mailoutbox if m.attachments]) == 2


def test_the_run_queues_the_email_but_makes_no_pdf(billing_office, monkeypatch, settings):
    """The PDF is made by the outbox's sender, not in the run's transaction."""
    import urja.billing.pdf as pdf

    settings.URJA_NOTIFICATIONS = {**settings.URJA_NOTIFICATIONS, "DISPATCH_ON_COMMIT": False}
    ebill_consumer(billing_office, "E5")

    def boom(*args, **kwargs):
        raise AssertionError("a PDF was made in the run")

    monkeypatch.setattr(pdf, "render_bill_pdf", boom)
    runs.bill_run(cycle_code="2026-07", office=billing_office)
    assert ebills().get().status == "queued"


def test_a_held_bill_is_mailed_once_approved_and_a_revision_once_more(billing_office, two_subdivisions):
    from django.core.exceptions import ValidationError

    from urja.billing.choices import BillStatus

    sdo = two_subdivisions["sdo_a"]
    consumer = ebill_consumer(billing_office, "E6", kwh=1500)  # a spike: held for review
    runs.bill_run(cycle_code="2026-07", office=billing_office)
    held = Bill.objects.get(consumer=consumer)
    assert held.status == BillStatus.HELD and not ebills().exists()
    services.bill_approve(bill_id=held.pk, by=sdo)
    with pytest.raises(ValidationError):
        services.bill_approve(bill_id=held.pk, by=sdo)  # a second click
    assert list(ebills().values_list("dedupe_key", flat=True)) == [f"ebill:{held.bill_number}"]
    revision = services.bill_revision_request(bill=held, by=sdo, reason="misread", units=Decimal("240"))
    new = revision.new_bill
    assert new is not None and new.status == BillStatus.ISSUED
    assert sorted(ebills().values_list("dedupe_key", flat=True)) == sorted(
        [f"ebill:{held.bill_number}", f"ebill:{new.bill_number}"]
    )


def test_a_bill_cancelled_before_its_email_went_is_not_mailed(billing_office, two_subdivisions, settings,
                                                              mailoutbox):  # fmt: skip
    settings.URJA_NOTIFICATIONS = {**settings.URJA_NOTIFICATIONS, "DISPATCH_ON_COMMIT": False}
    consumer = ebill_consumer(billing_office, "E7")
    runs.bill_run(cycle_code="2026-07", office=billing_office)
    bill = Bill.objects.get(consumer=consumer)
    services.bill_revision_request(
        bill=bill, by=two_subdivisions["sdo_a"], reason="misread", units=Decimal("240")
    )
    outbox_drain()
    first = ebills().get(dedupe_key=f"ebill:{bill.bill_number}")
    assert first.status == "failed" and "no longer issued" in first.last_error
    revised = Bill.objects.exclude(pk=bill.pk).get(consumer=consumer)
    assert [m.attachments[0][0] for m in mailoutbox] == [f"{revised.bill_number}.pdf"]
