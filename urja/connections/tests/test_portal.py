"""The connection processes' portal entry points (connections.portal) and the steps the applicant sees
(workflow.selectors.progress)."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from urja.common.errors import NotFound
from urja.connections import portal
from urja.connections.models import NewConnectionApplication
from urja.workflow import services as wf
from urja.workflow.selectors import progress

pytestmark = [pytest.mark.django_db, pytest.mark.clock("2026-11-28T12:00:00+05:30")]


def submit(office, **changes):
    fields = {
        "mobile": "9833333333", "office": office, "applicant_name": "Sita Devi", "father_husband_name": "Ram Lal",
        "address": "12 Station Road", "village_town": "Mohanlalganj", "district": "Lucknow",
        "category": "LMV1-URBAN", "load": Decimal("2"), "area_class": "municipal", "kyc_document": "aadhaar",
        "kyc_number": "2345 6789 0123",
        "preferred_dates": [datetime.date(2026, 12, 1), datetime.date(2026, 12, 2), datetime.date(2026, 12, 3)],
        "documents": [("id_proof", SimpleUploadedFile("id.pdf", b"%PDF id")),
                      ("address_proof", SimpleUploadedFile("a.png", b"\x89PNG\r\n\x1a\n..."))],
    }  # fmt: skip
    fields.update(changes)
    return portal.application_submit_by_applicant(**fields)


def test_an_online_application_opens_the_process_with_its_documents(two_subdivisions):
    application = submit(two_subdivisions["dc_a"])
    assert application.item.state == "applied" and application.item.opened_by is None
    assert application.kyc_number_masked == "XXXX-XXXX-0123"
    assert application.documents.count() == 2
    assert portal.application_for_mobile(mobile="9833333333", reference=application.item.reference.lower())
    with pytest.raises(NotFound):
        portal.application_for_mobile(mobile="9844444444", reference=application.item.reference)


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        (
            {"documents": [("id_proof", SimpleUploadedFile("id.pdf", b"%PDF id"))]},
            "Attach: Proof of ownership",
        ),
        ({"kyc_number": "1234"}, "12 digits"),
        ({"load": Decimal("200")}, "0.5 to 75 kW"),
        ({"category": "HV1-11KV"}, "kind of connection"),
        ({"preferred_dates": [datetime.date(2026, 11, 28)] * 3}, "three different dates"),
    ],
)
def test_an_incomplete_application_is_refused_and_nothing_saved(two_subdivisions, changes, message):
    with pytest.raises(ValidationError) as caught:
        submit(two_subdivisions["dc_a"], **changes)
    assert message in str(caught.value)
    assert not NewConnectionApplication.objects.exists()


def test_an_application_must_name_a_distribution_centre(two_subdivisions):
    with pytest.raises(ValidationError):
        submit(two_subdivisions["sub_a"])


def test_fees_come_from_the_connection_charges(two_subdivisions):
    note = portal.fees_estimate(category="LMV1-URBAN", load=Decimal("2"))
    assert note.total > 0 and {line.code for line in note.lines} >= {"processing_fee", "security_deposit"}


def test_progress_shows_each_step_with_its_due_date_and_leaves_out_side_states(two_subdivisions):
    item = submit(two_subdivisions["dc_a"]).item
    steps = progress(item)
    assert [s.code for s in steps] == [
        "applied",
        "inspection",
        "estimate",
        "payment",
        "installation",
        "energised",
    ]
    assert steps[0].status == "current" and steps[0].due_at == item.due_at
    assert all(s.status == "ahead" and s.due_at >= item.due_at for s in steps[1:])
    assert steps[2].due_at > steps[1].due_at  # inspection's 3 days, then the estimate's 2
    wf.transition(item, "send_back", by=two_subdivisions["je_a"], reason="Deed unreadable")
    steps = progress(item, language="hi")
    assert [s.status for s in steps[:2]] == ["done", "current"] and steps[1].code == "returned"
    assert steps[1].title == "आवेदक को वापस भेजा"
    assert steps[0].at == item.events.order_by("at").last().at  # left when it was sent back


def test_one_open_request_of_a_kind_at_a_time(two_subdivisions):
    consumer = two_subdivisions["consumer_a"]
    item = portal.consumer_request_open(consumer, kind="load_change", sanctioned_load=Decimal("3"))
    assert item.definition_code == "load_change" and item.consumer == consumer
    with pytest.raises(ValidationError, match="already have a request"):
        portal.consumer_request_open(consumer, kind="load_change", sanctioned_load=Decimal("4"))
    with pytest.raises(ValidationError, match="different from your present"):
        portal.consumer_request_open(consumer, kind="category_change", category=consumer.category)
    assert list(portal.consumer_requests(consumer)) == [item]
    assert list(portal.consumer_requests(two_subdivisions["consumer_b"])) == []


def test_a_disconnected_consumer_asking_for_reconnection_is_told_what_to_pay_then_ordered(two_subdivisions):
    from urja.connections.models import DisconnectionNotice, Reconnection
    from urja.customers.choices import ConsumerStatus
    from urja.ledger.choices import EntryType
    from urja.ledger.services import entry_post

    consumer = two_subdivisions["consumer_a"]
    consumer.status = ConsumerStatus.TEMP_DISCONNECTED
    consumer.save()
    notice = DisconnectionNotice.objects.create(
        number="N-1", consumer=consumer, office=consumer.office, amount=Decimal("900"), protest_amount=Decimal("300"),
        served_on=datetime.date(2026, 10, 1), action_from=datetime.date(2026, 10, 16), status="disconnected",
    )  # fmt: skip
    Reconnection.objects.create(consumer=consumer, notice=notice, charge=Decimal("50"))
    entry_post(consumer=consumer, entry_type=EntryType.ADJUSTMENT, amount=Decimal("950"),
               entry_date=datetime.date(2026, 10, 1), description="dues")  # fmt: skip
    with pytest.raises(ValidationError, match="Pay Rs 950.00"):
        portal.reconnection_request(consumer)
    entry_post(consumer=consumer, entry_type=EntryType.ADJUSTMENT, amount=Decimal("-950"),
               entry_date=datetime.date(2026, 11, 28), description="paid")  # fmt: skip
    order = portal.reconnection_request(consumer)
    assert order.kind == "reconnection" and portal.reconnection_of(consumer).work_order == order
    assert portal.reconnection_request(consumer) == order  # asking again changes nothing
