import logging
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from urja.connections.models import ApplicationDocument, NewConnectionApplication
from urja.portal.testing import applicant_client, portal_client
from urja.workflow.models import WorkItem

pytestmark = [pytest.mark.django_db, pytest.mark.clock("2026-11-28T12:00:00+05:30")]
MOBILE = "9833333333"
AADHAAR = "234567890123"


def form(office, **changes):
    data = {
        "applicant_name": "Sita Devi", "father_husband_name": "Ram Lal", "address": "12 Station Road",
        "village_town": "Mohanlalganj", "district": "Lucknow", "office": office.pk, "area_class": "municipal",
        "category": "LMV1-URBAN", "load": "2", "kyc_document": "aadhaar", "kyc_number": AADHAAR,
        "date_1": "2026-12-01", "date_2": "2026-12-02", "date_3": "2026-12-03",
        "id_proof": SimpleUploadedFile("id.pdf", b"%PDF-1.4 id"),
        "address_proof": SimpleUploadedFile("house.jpg", b"\xff\xd8\xff\xe0 house"),
    }  # fmt: skip
    data.update(changes)
    return data


def test_an_applicant_applies_with_documents_and_tracks_each_step_with_its_due_date(
    client, two_subdivisions, caplog
):
    caplog.set_level(logging.DEBUG)
    c = applicant_client(client, MOBILE)
    page = c.get(reverse("portal:apply")).content.decode()
    for field in ("applicant_name", "load", "kyc_number", "date_1", "id_proof", "office"):
        assert f'<label for="id_{field}">' in page
    response = c.post(reverse("portal:apply"), form(two_subdivisions["dc_a"]))
    application = NewConnectionApplication.objects.get()
    reference = application.item.reference
    assert response.status_code == 302 and response.url == f"{reverse('portal:track')}?number={reference}"
    assert application.mobile == MOBILE and application.office == two_subdivisions["dc_a"]
    assert application.kyc_number_masked == "XXXX-XXXX-0123" and application.kyc_number_hash
    assert AADHAAR not in str(application.item.data) and AADHAAR not in caplog.text
    assert application.preferred_dates == ["2026-12-01", "2026-12-02", "2026-12-03"]
    assert sorted(application.documents.values_list("kind", flat=True)) == ["address_proof", "id_proof"]
    page = c.get(response.url).content.decode()
    assert 'data-testid="step-applied"' in page and 'data-testid="step-due"' in page
    assert 'data-testid="step-inspection"' in page and 'data-testid="step-energised"' in page
    assert "Sent back" not in page and "Rejected" not in page
    assert AADHAAR not in page


def test_fees_from_the_connection_charges_are_shown(client, two_subdivisions):
    page = client.get(reverse("portal:apply_fees"), {"category": "LMV1-URBAN", "load": "2"}).content.decode()
    assert 'data-testid="fees-total"' in page and "Security deposit" in page


@pytest.mark.parametrize(
    ("field", "upload", "message"),
    [
        ("id_proof", SimpleUploadedFile("id.exe", b"MZ\x90\x00 not a document"), "PDF, JPEG or PNG"),
        ("id_proof", SimpleUploadedFile("id.pdf", b"GIF89a pretending"), "PDF, JPEG or PNG"),
        ("address_proof", SimpleUploadedFile("big.pdf", b"%PDF" + b"0" * (2 * 1024 * 1024)), "at most 2 MB"),
    ],
)
def test_a_wrong_document_type_or_size_is_refused_and_nothing_saved(
    client, two_subdivisions, field, upload, message
):
    c = applicant_client(client, MOBILE)
    page = c.post(reverse("portal:apply"), form(two_subdivisions["dc_a"], **{field: upload})).content.decode()
    assert message in page
    assert not NewConnectionApplication.objects.exists() and not WorkItem.objects.exists()
    assert not ApplicationDocument.objects.exists()


def test_preferred_dates_must_be_three_different_future_days(client, two_subdivisions):
    c = applicant_client(client, MOBILE)
    page = c.post(
        reverse("portal:apply"), form(two_subdivisions["dc_a"], date_3="2026-12-01")
    ).content.decode()
    assert "three different dates" in page
    assert not NewConnectionApplication.objects.exists()


def test_an_application_is_tracked_only_from_the_mobile_that_made_it(client, two_subdivisions):
    applicant_client(client, MOBILE).post(reverse("portal:apply"), form(two_subdivisions["dc_a"]))
    reference = NewConnectionApplication.objects.get().item.reference
    client.cookies.clear()
    other = applicant_client(client, "9844444444")
    page = other.get(reverse("portal:track"), {"number": reference}).content.decode()
    assert 'data-testid="not-found"' in page and "Sita" not in page
    client.cookies.clear()
    page = portal_client(client, two_subdivisions["consumer_a"]).get(
        reverse("portal:track"), {"number": reference}
    )
    assert 'data-testid="not-found"' in page.content.decode()


def test_a_consumer_opens_a_load_change_and_sees_it_in_my_requests(client, two_subdivisions):
    consumer = two_subdivisions["consumer_a"]
    c = portal_client(client, consumer)
    response = c.post(
        reverse("portal:request_new", args=["load_change"]), {"sanctioned_load": "4", "reason": "AC"}
    )
    item = WorkItem.objects.get(definition_code="load_change")
    assert item.consumer == consumer and item.data["sanctioned_load"] == "4"
    assert response.url == f"{reverse('portal:track')}?number={item.reference}"
    page = c.get(reverse("portal:requests")).content.decode()
    assert item.reference in page and "Application received" in page
    page = c.post(
        reverse("portal:request_new", args=["load_change"]), {"sanctioned_load": "5"}
    ).content.decode()
    assert "already have a request of this kind" in page
    assert WorkItem.objects.filter(definition_code="load_change").count() == 1


def test_another_consumers_request_is_not_shown(client, two_subdivisions):
    c = portal_client(client, two_subdivisions["consumer_b"])
    c.post(
        reverse("portal:request_new", args=["category_change"]), {"category": "LMV2-URBAN", "reason": "Shop"}
    )
    reference = WorkItem.objects.get().reference
    client.cookies.clear()
    c = portal_client(client, two_subdivisions["consumer_a"])
    assert reference not in c.get(reverse("portal:requests")).content.decode()
    assert 'data-testid="not-found"' in c.get(reverse("portal:track"), {"number": reference}).content.decode()


def test_name_transfer_keeps_the_kyc_masked_and_permanent_disconnection_needs_a_reason(
    client, two_subdivisions
):
    c = portal_client(client, two_subdivisions["consumer_a"])
    c.post(reverse("portal:request_new", args=["name_transfer"]),
           {"new_name": "Gita Devi", "kyc_document": "aadhaar", "kyc_number": AADHAAR, "reason": "Inheritance"})  # fmt: skip
    item = WorkItem.objects.get(definition_code="name_transfer")
    assert item.data["kyc_number_masked"] == "XXXX-XXXX-0123" and AADHAAR not in str(item.data)
    page = c.post(
        reverse("portal:request_new", args=["permanent_disconnection"]), {"reason": "Moving"}
    ).content.decode()
    assert not WorkItem.objects.filter(definition_code="permanent_disconnection_request").exists()
    assert "I understand" in page
    c.post(
        reverse("portal:request_new", args=["permanent_disconnection"]), {"reason": "Moving", "confirm": "on"}
    )
    assert WorkItem.objects.filter(definition_code="permanent_disconnection_request").exists()


def test_a_reconnection_request_without_a_disconnection_is_refused(client, two_subdivisions):
    c = portal_client(client, two_subdivisions["consumer_a"])
    response = c.post(reverse("portal:reconnection"), follow=True)
    assert "not disconnected for non-payment" in response.content.decode()


def test_my_requests_reads_a_fixed_number_of_queries(client, two_subdivisions, django_assert_max_num_queries):
    from urja.connections import portal as connections

    consumer = two_subdivisions["consumer_a"]
    connections.consumer_request_open(consumer, kind="load_change", sanctioned_load=Decimal("3"))
    connections.consumer_request_open(consumer, kind="category_change", category="LMV2-URBAN")
    connections.consumer_request_open(consumer, kind="permanent_disconnection", reason="Moving")
    c = portal_client(client, consumer)
    with django_assert_max_num_queries(7):
        page = c.get(reverse("portal:requests")).content.decode()
    assert page.count('data-testid="request-state"') == 3
