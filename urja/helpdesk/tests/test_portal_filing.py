"""Complaints from the portal: a photo and a GPS position kept with the ticket; a theft report with or
without an account; a bill revision asked as a billing dispute."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from urja.helpdesk import services
from urja.helpdesk.models import Ticket

pytestmark = [pytest.mark.django_db, pytest.mark.clock("2026-11-28T12:00:00+05:30")]
PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 32


def test_a_portal_complaint_keeps_its_photo_and_position(helpdesk):
    ticket = services.ticket_file(
        category=helpdesk["cat"]["no_supply"], description="No light", channel="portal",
        consumer=helpdesk["indexed"], photo=SimpleUploadedFile("p.png", PNG),
        latitude=Decimal("26.846700"), longitude=Decimal("80.946100"),
    )  # fmt: skip
    assert ticket.photo.name.startswith("helpdesk/filed/") and ticket.latitude == Decimal("26.846700")


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        ({"photo": SimpleUploadedFile("p.png", b"<svg/>")}, "JPEG or PNG"),
        ({"photo": SimpleUploadedFile("p.jpg", b"\xff\xd8\xff" + b"0" * (1024 * 1024))}, "at most 1 MB"),
        ({"latitude": Decimal("26.8")}, "both latitude and longitude"),
        ({"latitude": Decimal("96"), "longitude": Decimal("80")}, "not on the earth"),
    ],
)
def test_a_bad_photo_or_position_is_refused_and_nothing_saved(helpdesk, extra, message):
    with pytest.raises(ValidationError) as caught:
        services.ticket_file(category=helpdesk["cat"]["no_supply"], description="No light", channel="portal",
                             consumer=helpdesk["indexed"], **extra)  # fmt: skip
    assert message in str(caught.value)
    assert not Ticket.objects.exists()


def test_a_theft_report_by_account_number_goes_to_that_accounts_office(helpdesk):
    ticket = services.theft_report_file(description="Hooking", address="Mill road",
                                        account_number=helpdesk["indexed"].account_number)  # fmt: skip
    assert ticket.office == helpdesk["dt_a"].office and ticket.anonymous
    with pytest.raises(ValidationError, match="Choose the office"):
        services.theft_report_file(description="Hooking", address="Mill road")
    named = services.theft_report_file(description="Hooking", address="Mill road", office=helpdesk["dc_b"],
                                       anonymous=False, name="Ramesh", mobile="+91 98222 22222")  # fmt: skip
    assert named.caller_mobile == "9822222222" and named.caller_name == "Ramesh"


def test_a_bill_revision_is_asked_as_a_billing_dispute_on_ones_own_bill_only(helpdesk):
    class Bill:  # the service reads only these of a bill
        consumer_id, bill_number, period = helpdesk["indexed"].pk, "B-1", "2026-10"

    ticket = services.bill_revision_ask(consumer=helpdesk["indexed"], bill=Bill, reason="Units too high")
    assert ticket.category.code == "billing_dispute" and "B-1 (2026-10): Units too high" in ticket.description
    Bill.consumer_id = helpdesk["consumer_b"].pk
    with pytest.raises(ValidationError, match="not yours"):
        services.bill_revision_ask(consumer=helpdesk["indexed"], bill=Bill, reason="x")
