import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from urja.billing import runs
from urja.billing.models import Bill
from urja.billing.tests.conftest import metered_consumer
from urja.helpdesk.models import Ticket
from urja.metering.services import reading_record
from urja.portal.testing import portal_client

pytestmark = [pytest.mark.django_db, pytest.mark.clock("2026-11-28T12:00:00+05:30")]


def test_a_consumer_asks_for_a_bill_revision_of_their_own_bill_only(
    client, two_subdivisions, helpdesk_categories
):
    consumer = metered_consumer(two_subdivisions["dc_a"], serial="PR-BR1")
    reading_record(
        consumer=consumer, reading_date=datetime.date(2026, 7, 31), kwh=Decimal(850), source="manual"
    )
    runs.bill_run(cycle_code="2026-07", office=two_subdivisions["dc_a"])
    bill = Bill.objects.get(consumer=consumer)
    c = portal_client(client, consumer)
    page = c.get(reverse("portal:bill_revision")).content.decode()
    assert bill.bill_number in page and '<label for="id_reason">' in page
    response = c.post(reverse("portal:bill_revision"), {"bill": bill.pk, "reason": "Meter shows 245 units"})
    ticket = Ticket.objects.get()
    assert response.url == reverse("portal:complaint", args=[ticket.number])
    assert ticket.category.code == "billing_dispute" and bill.bill_number in ticket.description
    assert ticket.number in c.get(reverse("portal:requests")).content.decode()
    client.cookies.clear()
    other = portal_client(client, two_subdivisions["consumer_b"])
    other.post(reverse("portal:bill_revision"), {"bill": bill.pk, "reason": "Not mine"})
    assert Ticket.objects.count() == 1
