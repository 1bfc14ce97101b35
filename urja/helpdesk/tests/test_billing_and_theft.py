import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation

from urja.billing import runs
from urja.billing.choices import BillStatus, RevisionStatus
from urja.billing.models import Bill
from urja.billing.tests.conftest import metered_consumer
from urja.helpdesk import services as hd
from urja.helpdesk.choices import Channel
from urja.helpdesk.models import TheftAssessment, TheftRate
from urja.ledger.choices import EntryType
from urja.ledger.descriptions import entry_text
from urja.ledger.models import LedgerEntry
from urja.metering.services import reading_record
from urja.workflow.choices import WorkOrderKind, WorkOrderStatus
from urja.workflow.services import work_order_complete


@pytest.fixture
def bill(helpdesk, settings):
    settings.URJA_BILLING = {**settings.URJA_BILLING, "REVISION_APPROVAL_ABOVE": "100"}
    office = helpdesk["dc_a"]
    consumer = metered_consumer(office, serial="HD1")
    reading_record(
        consumer=consumer, reading_date=datetime.date(2026, 7, 31), kwh=Decimal(850), source="manual"
    )
    runs.bill_run(cycle_code="2026-07", office=office)
    return Bill.objects.get(consumer=consumer)


def dispute(s, consumer):
    return hd.ticket_file(
        category=s["cat"]["billing_dispute"],
        description="Billed 250 units, meter shows 245",
        channel=Channel.PHONE,
        by=s["agent"],
        consumer=consumer,
    )


def test_billing_dispute_ends_in_a_revision_by_the_billing_service(helpdesk, bill):
    s = helpdesk
    t = dispute(s, bill.consumer)
    # the agent may not revise bills: billing's own rule refuses them
    with pytest.raises(PermissionDenied):
        hd.ticket_bill_revision(ticket=t, bill=bill, by=s["agent"], reason="misread", units=Decimal("245"))
    revision = hd.ticket_bill_revision(
        ticket=t, bill=bill, by=s["sdo_a"], reason="misread", units=Decimal("245")
    )
    assert revision.status == RevisionStatus.APPLIED  # small: within the officer's own limit
    assert Bill.objects.get(pk=bill.pk).status != BillStatus.ISSUED
    t.refresh_from_db()
    assert t.bill_revision == revision and t.number in revision.reason


def test_large_revision_keeps_billings_approval_rule(helpdesk, bill):
    s = helpdesk
    t = dispute(s, bill.consumer)
    revision = hd.ticket_bill_revision(
        ticket=t, bill=bill, by=s["sdo_a"], reason="misread", units=Decimal("50")
    )
    assert revision.status == RevisionStatus.PENDING


def test_revision_refused_for_other_categories_and_other_accounts(helpdesk, bill):
    s = helpdesk
    t = hd.ticket_file(
        category=s["cat"]["other"],
        description="x",
        channel=Channel.PHONE,
        by=s["agent"],
        consumer=bill.consumer,
    )
    with pytest.raises(ValidationError):
        hd.ticket_bill_revision(ticket=t, bill=bill, by=s["sdo_a"], reason="r", units=None)
    other = dispute(s, s["indexed"])
    with pytest.raises(ValidationError):
        hd.ticket_bill_revision(ticket=other, bill=bill, by=s["sdo_a"], reason="r", units=None)
    assert Bill.objects.get(pk=bill.pk).status == BillStatus.ISSUED


@pytest.fixture
def theft_case(helpdesk):
    s = helpdesk
    t = hd.ticket_file(
        category=s["cat"]["theft_report"],
        description="Direct hook from the LT line",
        channel=Channel.PHONE,
        by=s["agent"],
        consumer=s["indexed"],
        anonymous=True,
    )
    return t


def test_theft_report_leads_to_an_inspection_work_order(helpdesk, theft_case):
    s = helpdesk
    with pytest.raises(PermissionDenied):  # a helpdesk agent does not give out work orders
        hd.ticket_theft_inspection(ticket=theft_case, by=s["agent"])
    order = hd.ticket_theft_inspection(ticket=theft_case, by=s["je_a"])
    assert order.kind == WorkOrderKind.THEFT_INSPECTION and order.office == s["dc_a"]
    assert order.due_at == theft_case.due_at
    with pytest.raises(ValidationError):
        hd.ticket_theft_inspection(ticket=theft_case, by=s["je_a"])
    # The inspector's completion shows on the ticket's timeline, once, as an internal note.
    for _ in range(2):  # a retried completion
        work_order_complete(order, by=s["je_a"], key="k-9", result={"remarks": "loop on service cable"})
    done = theft_case.events.filter(kind="inspected")
    assert [(e.text, e.internal, e.params["order"]) for e in done] == [
        ("loop on service cable", True, order.reference)
    ]


def confirmed(s, ticket):
    order = hd.ticket_theft_inspection(ticket=ticket, by=s["je_a"])
    work_order_complete(order, by=s["je_a"], key="k-1", result={"remarks": "hook found", "photos": ["p1"]})
    ticket.refresh_from_db()
    return ticket


@pytest.mark.clock("2026-11-28T12:00+05:30")
def test_confirmed_theft_is_assessed_and_posted_to_the_ledger(helpdesk, theft_case):
    s = helpdesk
    with pytest.raises(ValidationError):  # no inspection yet
        hd.theft_assess(ticket=theft_case, by=s["sdo_a"], connected_load_kw=Decimal("2.5"), report="r")
    t = confirmed(s, theft_case)
    with pytest.raises(PermissionDenied):  # the JE inspects; an officer who approves adjustments assesses
        hd.theft_assess(ticket=t, by=s["je_a"], connected_load_kw=Decimal("2.5"), report="r")
    a = hd.theft_assess(
        ticket=t, by=s["sdo_a"], connected_load_kw=Decimal("2.5"), report="Hook of 2.5 kW found, seized"
    )
    # seeded rate: 8 h × 365 d × Rs 6.50 × 2: 2.5 × 8 × 365 = 7,300 units → Rs 94,900.00
    assert (a.units, a.amount) == (Decimal("7300.000"), Decimal("94900.00"))
    entry = LedgerEntry.objects.get(pk=a.ledger_entry_id)
    assert entry.entry_type == EntryType.BILL and entry.amount == Decimal("94900.00")
    assert entry.posted_by == s["sdo_a"] and t.number in entry.reason
    assert entry.due_date == datetime.date(2026, 12, 13)
    assert entry.code == "theft_assessment" and entry.params["order"] == t.inspection_order.reference
    assert a.report.startswith("Hook")
    assert "7300" in entry_text(entry, "en") and t.number in entry_text(entry, "en")
    with translation.override("hi"):
        assert "चोरी" in entry_text(entry)
    with pytest.raises(ValidationError):
        hd.theft_assess(ticket=t, by=s["sdo_a"], connected_load_kw=Decimal("2.5"), report="again")
    assert TheftAssessment.objects.count() == 1


def test_assessment_uses_the_rate_in_force(helpdesk, theft_case):
    s = helpdesk
    TheftRate.objects.create(
        effective_from=datetime.date(2026, 1, 1),
        hours_per_day=Decimal("10"),
        days=180,
        rate=Decimal("5.00"),
        factor=Decimal("1.5"),
    )
    t = confirmed(s, theft_case)
    a = hd.theft_assess(ticket=t, by=s["sdo_a"], connected_load_kw=Decimal("1"), report="1 kW heater")
    assert a.amount == Decimal("13500.00")  # 1 × 10 × 180 × 5.00 × 1.5


def test_theft_assessment_needs_an_account(helpdesk):
    s = helpdesk
    t = hd.ticket_file(
        category=s["cat"]["theft_report"],
        description="Hook near the school",
        channel=Channel.PHONE,
        by=s["agent"],
        office=s["dc_a"],
        anonymous=True,
    )
    t = confirmed(s, t)
    assert t.inspection_order.status == WorkOrderStatus.DONE
    with pytest.raises(ValidationError):
        hd.theft_assess(ticket=t, by=s["sdo_a"], connected_load_kw=Decimal("1"), report="r")
