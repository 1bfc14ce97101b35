import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from urja.connections.disconnection import notice_serve
from urja.connections.models import DisconnectionNotice, NoticeStatus
from urja.ledger import services as ledger
from urja.ledger.choices import EntryType
from urja.notifications.models import OutboundMessage
from urja.org.choices import Role
from urja.testing import UserFactory
from urja.workflow.models import WorkOrder

D = Decimal


def debit(consumer, amount):
    return ledger.entry_post(
        consumer=consumer,
        entry_type=EntryType.BILL,
        amount=D(amount),
        entry_date=datetime.date(2026, 10, 1),
        due_date=datetime.date(2026, 10, 15),
        period="2026-09",
        description="Bill",
    )


@pytest.fixture
def s(two_subdivisions):
    debit(two_subdivisions["consumer_a"], "3000.00")
    two_subdivisions["cashier"] = UserFactory(
        username="cash_a", role=Role.CASHIER, office=two_subdivisions["dc_a"]
    )
    return two_subdivisions


def notice_of(s, on=datetime.date(2026, 11, 1)):
    return notice_serve(s["consumer_a"], by=s["je_a"], on=on)


def id_pages(notice):
    return [
        reverse("staff:disconnection_notice", args=[notice.pk]),
        reverse("staff:disconnection_notice_pdf", args=[notice.pk]),
        reverse("staff:disconnection_protest", args=[notice.pk]),
    ]


def test_office_scope_404_on_every_notice_page(client, s):
    notice = notice_of(s)
    client.force_login(s["je_b"])
    for url in id_pages(notice):
        assert client.get(url).status_code == 404, url
    assert (
        client.post(id_pages(notice)[2], {"amount": "5000", "channel": "cash", "reference": "X"}).status_code
        == 404
    )
    assert DisconnectionNotice.objects.get().status == NoticeStatus.SERVED


def test_role_403_on_every_page(client, s):
    notice = notice_of(s)
    client.force_login(s["cashier"])
    pages = [
        reverse("staff:disconnection_list"),
        reverse("staff:disconnection_serve"),
        reverse("staff:disconnection_orders"),
        *id_pages(notice)[:2],
    ]
    for url in pages:
        assert client.get(url).status_code == 403, url
    assert client.post(reverse("staff:disconnection_orders_issue")).status_code == 403
    other = UserFactory(username="meter_a", role=Role.METER_READER, office=s["dc_a"])
    client.force_login(other)
    assert client.get(id_pages(notice)[2]).status_code == 403


def test_list_confirm_and_serve(client, s, django_capture_on_commit_callbacks):
    client.force_login(s["sdo_a"])
    query = {"office": s["sub_a"].pk, "min_arrears": "1000", "min_age": "30"}
    page = client.get(reverse("staff:disconnection_list"), query)
    assert page.status_code == 200
    assert s["consumer_a"].account_number in page.content.decode()
    confirm = client.get(reverse("staff:disconnection_serve"), query)
    assert "1 notices will be served" in confirm.content.decode() and "1 SMS" in confirm.content.decode()
    assert not DisconnectionNotice.objects.exists()  # the confirmation serves nothing
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("staff:disconnection_serve"), query)
    assert response.status_code == 302
    notice = DisconnectionNotice.objects.get()
    assert (
        notice.served_by == s["sdo_a"]
        and OutboundMessage.objects.filter(consumer_id=notice.consumer_id).count() == 1
    )
    # the office of another sub-division is not offered
    assert (
        client.get(reverse("staff:disconnection_list"), {**query, "office": s["sub_b"].pk}).context["rows"]
        == []
    )


def test_print_page_is_bilingual_with_date_and_amount(client, s):
    notice = notice_of(s)
    client.force_login(s["je_a"])
    html = client.get(reverse("staff:disconnection_notice", args=[notice.pk])).content.decode()
    assert "Notice of disconnection under section 56" in html
    assert "विद्युत अधिनियम" in html
    assert "3,000.00" in html and "01-11-2026" in html
    pdf = client.get(reverse("staff:disconnection_notice_pdf", args=[notice.pk]))
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")


@pytest.mark.clock("2026-11-25T11:00+05:30")
def test_orders_due_page_issues_orders(client, s):
    notice_of(s)
    client.force_login(s["je_a"])
    page = client.get(reverse("staff:disconnection_orders"))
    assert "1 disconnection work order will be issued" in page.content.decode()
    client.post(reverse("staff:disconnection_orders_issue"))
    assert WorkOrder.objects.get().created_by == s["je_a"]
    assert DisconnectionNotice.objects.get().status == NoticeStatus.ORDERED


def test_protest_page_stays_the_notice(client, s):
    notice = notice_of(s)
    client.force_login(s["cashier"])
    response = client.post(
        reverse("staff:disconnection_protest", args=[notice.pk]),
        {"amount": "3000.00", "channel": "cash", "reference": "PR-1"},
    )
    assert response.status_code == 302
    assert DisconnectionNotice.objects.get().status == NoticeStatus.STAYED


@pytest.mark.clock("2026-11-25T18:30+05:30")
def test_console_completion_after_hours_is_refused_and_changes_nothing(client, s):
    from urja.connections.disconnection import orders_issue

    notice_of(s)
    [order] = orders_issue()
    client.force_login(s["je_a"])
    response = client.post(
        reverse("workflow:order_complete", args=[order.pk]),
        {"key": "c-1", "reading_register": "kwh", "reading_value": "1234", "remarks": "cut at pole"},
    )
    assert response.status_code == 400
    assert "No disconnection after 17:00." in response.content.decode()
    order.refresh_from_db()
    s["consumer_a"].refresh_from_db()
    assert order.status == "open" and s["consumer_a"].status == "active"


@pytest.mark.clock("2026-11-25T11:30+05:30")
def test_console_completion_in_hours_disconnects(client, s):
    from urja.connections.disconnection import orders_issue

    notice_of(s)
    [order] = orders_issue()
    client.force_login(s["je_a"])
    response = client.post(
        reverse("workflow:order_complete", args=[order.pk]),
        {"key": "c-1", "reading_register": "kwh", "reading_value": "1234", "remarks": "cut at pole"},
    )
    assert response.status_code == 302
    s["consumer_a"].refresh_from_db()
    assert s["consumer_a"].status == "td"
    assert DisconnectionNotice.objects.get().disconnected_by == s["je_a"]
