from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from urja.helpdesk import services as helpdesk
from urja.helpdesk.models import Ticket
from urja.notifications.models import OutboundMessage as Outbox
from urja.portal.testing import portal_client

from .conftest import PNG

pytestmark = [pytest.mark.django_db, pytest.mark.clock("2026-11-28T12:00:00+05:30")]


def test_a_consumer_files_a_complaint_with_photo_and_gps_and_sees_it_in_the_list(
    client, two_subdivisions, helpdesk_categories
):
    consumer = two_subdivisions["consumer_a"]
    c = portal_client(client, consumer)
    page = c.get(reverse("portal:complaint_new")).content.decode()
    assert "No supply (within 12 hours)" in page  # the category's SLA is shown
    assert "Theft report" not in page
    category = helpdesk_categories["no_supply"]
    response = c.post(reverse("portal:complaint_new"), {
        "category": category.pk, "description": "No light since morning", "address": "Near the temple",
        "photo": SimpleUploadedFile("pole.png", PNG), "latitude": "26.8467123456", "longitude": "80.9461999",
    })  # fmt: skip
    ticket = Ticket.objects.get()
    assert response.status_code == 302 and response.url == reverse("portal:complaint", args=[ticket.number])
    assert ticket.consumer == consumer and ticket.channel == "portal" and ticket.photo
    assert ticket.latitude == Decimal("26.846712")
    assert Outbox.objects.filter(to=consumer.mobile, body__contains=ticket.number).exists()
    assert ticket.number in c.get(reverse("portal:complaints")).content.decode()
    page = c.get(response.url).content.decode()
    assert 'data-testid="timeline"' in page and "Filed" in page


def test_a_complaint_photo_of_the_wrong_type_is_refused_and_nothing_saved(
    client, two_subdivisions, helpdesk_categories
):
    c = portal_client(client, two_subdivisions["consumer_a"])
    category = helpdesk_categories["billing_dispute"]
    page = c.post(reverse("portal:complaint_new"), {
        "category": category.pk, "description": "x", "photo": SimpleUploadedFile("a.png", b"GIF89a....")}).content.decode()  # fmt: skip
    assert "JPEG or PNG" in page
    assert not Ticket.objects.exists()


def _ticket(consumer, categories):
    return helpdesk.ticket_file(category=categories["billing_dispute"], description="Bill too high",
                                channel="portal", consumer=consumer)  # fmt: skip


def test_another_consumers_complaint_is_404(client, two_subdivisions, helpdesk_categories):
    ticket = _ticket(two_subdivisions["consumer_b"], helpdesk_categories)
    c = portal_client(client, two_subdivisions["consumer_a"])
    assert c.get(reverse("portal:complaint", args=[ticket.number])).status_code == 404
    assert (
        c.post(
            reverse("portal:complaint", args=[ticket.number]), {"action": "rate", "rating": "5"}
        ).status_code
        == 404
    )


def test_a_resolved_complaint_is_rated_and_reopened_within_5_days_only(
    client, travel, two_subdivisions, helpdesk_categories
):
    consumer = two_subdivisions["consumer_a"]
    ticket = _ticket(consumer, helpdesk_categories)
    helpdesk.ticket_resolve(ticket=ticket, by=two_subdivisions["je_a"], resolution="Bill corrected")
    c = portal_client(client, consumer)
    url = reverse("portal:complaint", args=[ticket.number])
    page = c.get(url).content.decode()
    assert 'data-testid="rate-form"' in page and 'data-testid="reopen-form"' in page
    c.post(url, {"action": "rate", "rating": "4"})
    ticket.refresh_from_db()
    assert ticket.rating == 4
    travel.move_to("2026-12-03T12:00:00+05:30")
    client.cookies.clear()  # the 8-hour session has expired: sign in again
    c = portal_client(client, consumer)
    c.post(url, {"action": "reopen", "reason": "Still wrong"})
    ticket.refresh_from_db()
    assert ticket.status == "open" and ticket.reopen_count == 1
    helpdesk.ticket_resolve(ticket=ticket, by=two_subdivisions["je_a"], resolution="Done again")
    travel.move_to("2026-12-09T12:00:00+05:30")
    client.cookies.clear()
    c = portal_client(client, consumer)
    page = c.get(url).content.decode()
    assert 'data-testid="reopen-form"' not in page
    page = c.post(url, {"action": "reopen", "reason": "Still wrong"}).content.decode()
    ticket.refresh_from_db()
    assert ticket.status == "resolved"


def test_an_anonymous_theft_report_needs_no_sign_in_and_keeps_no_name(
    client, two_subdivisions, helpdesk_categories
):
    page = client.get(reverse("portal:theft")).content.decode()
    assert 'for="id_office"' in page
    response = client.post(reverse("portal:theft"), {
        "address": "Hook on the line behind the mill", "description": "Wire hooked to the LT line",
        "office": two_subdivisions["dc_b"].pk, "anonymous": "on", "name": "Ramesh", "mobile": "9822222222",
    })  # fmt: skip
    ticket = Ticket.objects.get()
    assert ticket.number in response.content.decode()
    assert ticket.anonymous and ticket.caller_name == "" and ticket.caller_mobile == ""
    assert ticket.office == two_subdivisions["dc_b"] and ticket.category.code == "theft_report"
    assert not Outbox.objects.filter(to="9822222222").exists()
    page = client.get(reverse("portal:track"), {"number": ticket.number}).content.decode()
    assert 'data-testid="tracked-ticket"' in page and "Hook on the line" not in page


def test_theft_reports_from_one_address_are_limited_per_hour(
    client, two_subdivisions, helpdesk_categories, settings
):
    settings.URJA_HELPDESK = {"THEFT_REPORTS_PER_HOUR": 2}
    data = {
        "address": "Mill road",
        "description": "Hooking",
        "office": two_subdivisions["dc_b"].pk,
        "anonymous": "on",
    }
    for _ in range(2):
        client.post(reverse("portal:theft"), data)
    page = client.post(reverse("portal:theft"), data).content.decode()
    assert "Too many reports" in page
    assert Ticket.objects.count() == 2
    other = client.post(reverse("portal:theft"), data, REMOTE_ADDR="10.1.2.3")
    assert Ticket.objects.count() == 3 and other.status_code == 200
