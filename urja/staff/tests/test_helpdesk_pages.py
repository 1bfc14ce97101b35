"""Console pages of the helpdesk: office scope (404) and role (403) on every id-taking page, and each
action through its page."""

import datetime
import io
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from urja.helpdesk import services as hd
from urja.helpdesk.choices import Channel, TicketStatus
from urja.helpdesk.models import Category, TheftRate, Ticket, TicketEvent
from urja.helpdesk.seed import seed_helpdesk
from urja.notifications.models import OutboundMessage
from urja.org.choices import Role
from urja.testing import ConsumerFactory, TransformerFactory, UserFactory
from urja.workflow.services import work_order_complete

pytestmark = pytest.mark.django_db
ACTIONS = ["note", "resolve", "reopen", "rate", "revise", "inspect", "assess"]


@pytest.fixture
def s(two_subdivisions):
    seed_helpdesk(Category, TheftRate)
    s = dict(two_subdivisions)
    s["agent"] = UserFactory(username="agent", role=Role.HELPDESK, office=s["division"])
    s["agent_b"] = UserFactory(username="agent_b", role=Role.HELPDESK, office=s["sub_b"])
    s["cashier"] = UserFactory(username="cashier", role=Role.CASHIER, office=s["division"])
    s["dt_a"] = TransformerFactory(office=s["dc_a"])
    s["indexed"] = ConsumerFactory(office=s["sub_a"], dt=s["dt_a"], mobile="9876543210")
    s["cat"] = {c.code: c for c in Category.objects.all()}
    return s


def ticket(s, code="no_supply", **kw):
    args = {"category": s["cat"][code], "description": "No light", "channel": Channel.PHONE, "by": s["agent"]}
    args.setdefault("consumer", s["indexed"])
    args.update(kw)
    return hd.ticket_file(**args)


def png():
    buf = io.BytesIO()
    Image.new("RGB", (2, 2)).save(buf, "PNG")
    return SimpleUploadedFile("fix.png", buf.getvalue(), content_type="image/png")


def test_office_scope_404_on_every_ticket_page(client, s):
    t = ticket(s)
    client.force_login(s["agent_b"])  # sub-division B: the ticket is at DC-A
    assert client.get(reverse("staff:ticket_detail", args=[t.number])).status_code == 404
    for action in ACTIONS:
        response = client.post(
            reverse("staff:ticket_act", args=[t.number, action]), {"text": "x", "reason": "x"}
        )
        assert response.status_code == 404, action
    assert t.number not in client.get(reverse("staff:ticket_list")).content.decode()
    assert TicketEvent.objects.filter(ticket=t).count() == 1


def test_role_403_on_every_ticket_page(client, s):
    t = ticket(s)
    client.force_login(s["cashier"])
    for url in [
        reverse("staff:ticket_list"),
        reverse("staff:ticket_new"),
        reverse("staff:ticket_report"),
        reverse("staff:ticket_detail", args=[t.number]),
    ]:
        assert client.get(url).status_code == 403, url
    for action in ACTIONS:
        assert client.post(reverse("staff:ticket_act", args=[t.number, action])).status_code == 403, action


def test_agent_takes_a_1912_call_and_gets_the_number(client, s, django_capture_on_commit_callbacks):
    client.force_login(s["agent"])
    page = client.get(reverse("staff:ticket_new"))
    assert page.status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("staff:ticket_new"),
            {
                "channel": "phone",
                "category": s["cat"]["voltage"].pk,
                "account_number": s["indexed"].account_number,
                "description": "Voltage very low in the evening",
            },
            follow=True,
        )
    t = Ticket.objects.get()
    assert response.status_code == 200 and t.number in response.content.decode()
    assert t.office == s["dc_a"] and t.channel == Channel.PHONE
    assert OutboundMessage.objects.filter(to="9876543210", template="complaint_update").exists()


def test_non_consumer_call_and_bad_inputs(client, s):
    client.force_login(s["agent"])
    url = reverse("staff:ticket_new")
    base = {"channel": "phone", "category": s["cat"]["other"].pk, "description": "Pole leaning"}
    assert client.post(url, base).status_code == 400  # no account and no office
    assert client.post(url, {**base, "account_number": "1234"}).status_code == 400
    assert client.post(url, {**base, "office": s["dc_b"].pk, "caller_mobile": "12345"}).status_code == 400
    response = client.post(url, {**base, "office": s["dc_b"].pk, "caller_mobile": "+91 91234 56789"})
    assert response.status_code == 302
    assert Ticket.objects.get().caller_mobile == "9123456789"


def test_anonymous_theft_report_page_keeps_no_personal_data(client, s):
    client.force_login(s["agent"])
    client.post(
        reverse("staff:ticket_new"),
        {
            "channel": "phone",
            "category": s["cat"]["theft_report"].pk,
            "office": s["dc_a"].pk,
            "caller_name": "Suresh",
            "caller_mobile": "9012345678",
            "address": "Behind the temple",
            "description": "Hook on the pole",
            "anonymous": "on",
        },
    )
    t = Ticket.objects.get()
    assert t.anonymous and (t.caller_name, t.caller_mobile) == ("", "")


def test_ticket_page_shows_notes_to_staff_and_masks_mobile(client, s):
    t = ticket(s, consumer=None, office=s["dc_a"], caller_name="Ramesh", caller_mobile="9123456789")
    client.force_login(s["je_a"])
    response = client.post(
        reverse("staff:ticket_act", args=[t.number, "note"]), {"text": "Cable fault at pole 12"}
    )
    assert response.status_code == 302
    page = client.get(reverse("staff:ticket_detail", args=[t.number])).content.decode()
    assert "Cable fault at pole 12" in page and "9123456789" not in page


def test_resolve_with_photo_rate_and_reopen_through_pages(client, s):
    t = ticket(s)
    client.force_login(s["je_a"])
    url = reverse("staff:ticket_act", args=[t.number, "resolve"])
    assert client.post(url, {"resolution": ""}).status_code == 400
    assert client.post(url, {"resolution": "Fuse replaced", "photo": png()}).status_code == 302
    t.refresh_from_db()
    assert t.status == TicketStatus.RESOLVED and t.resolution_photo
    assert (
        client.post(reverse("staff:ticket_act", args=[t.number, "rate"]), {"rating": "5"}).status_code == 302
    )
    assert (
        client.post(reverse("staff:ticket_act", args=[t.number, "rate"]), {"rating": "4"}).status_code == 400
    )
    response = client.post(
        reverse("staff:ticket_act", args=[t.number, "reopen"]), {"reason": "Went off again"}
    )
    assert response.status_code == 302
    assert Ticket.objects.get(pk=t.pk).status == TicketStatus.OPEN


@pytest.mark.clock("2026-12-01T10:00+05:30")
def test_reopen_after_the_window_is_refused_with_a_message(client, s, travel):
    t = hd.ticket_resolve(ticket=ticket(s), by=s["je_a"], resolution="done")
    travel.move_to("2026-12-06T10:00:05+05:30")
    client.force_login(s["agent"])
    response = client.post(reverse("staff:ticket_act", args=[t.number, "reopen"]), {"reason": "Again"})
    assert response.status_code == 400
    assert "within 5 days" in response.content.decode()
    assert Ticket.objects.get(pk=t.pk).status == TicketStatus.RESOLVED


@pytest.mark.clock("2026-11-28T12:00+05:30")
def test_theft_inspection_and_assessment_pages(client, s):
    t = ticket(s, "theft_report", anonymous=True)
    client.force_login(s["agent"])
    assert client.post(reverse("staff:ticket_act", args=[t.number, "inspect"])).status_code == 403
    client.force_login(s["je_a"])
    assert client.post(reverse("staff:ticket_act", args=[t.number, "inspect"])).status_code == 302
    t.refresh_from_db()
    work_order_complete(t.inspection_order, by=s["je_a"], key="done-1", result={"remarks": "hook"})
    client.force_login(s["sdo_a"])
    page = client.get(reverse("staff:ticket_detail", args=[t.number])).content.decode()
    assert 'data-testid="assess"' in page
    url = reverse("staff:ticket_act", args=[t.number, "assess"])
    assert client.post(url, {"connected_load_kw": "abc", "report": "r"}).status_code == 400
    response = client.post(url, {"connected_load_kw": "2.5", "report": "Hook of 2.5 kW"})
    assert response.status_code == 302
    assert t.assessment.amount == Decimal("94900.00")


def test_list_and_report_are_office_scoped(client, s, travel):
    mine = ticket(s)
    other = ticket(s, consumer=s["consumer_b"])
    hd.ticket_resolve(ticket=other, by=s["je_b"], resolution="done")
    travel.shift(datetime.timedelta(hours=13))  # the no-supply ticket is now overdue
    client.force_login(s["sdo_a"])
    listing = client.get(reverse("staff:ticket_list"), {"overdue": "1"}).content.decode()
    assert mine.number in listing and other.number not in listing
    client.force_login(s["agent"])  # the division sees both sub-divisions
    day = mine.filed_at.astimezone(datetime.timezone(datetime.timedelta(hours=5, minutes=30))).date()
    response = client.get(reverse("staff:ticket_report"), {"start": day, "end": day})
    rows = response.context["rows"]
    assert [(r["office"], r["filed"], r["pending"], r["resolved"], r["overdue"]) for r in rows] == [
        ("DC-A", 1, 1, 0, 1),
        ("DC-B", 1, 0, 1, 0),
    ]
    client.force_login(s["sdo_b"])
    rows = client.get(reverse("staff:ticket_report"), {"start": day, "end": day}).context["rows"]
    assert [r["office"] for r in rows] == ["DC-B"]


def test_billing_dispute_page_revises_through_billing(client, s, settings):
    from urja.billing import runs
    from urja.billing.choices import RevisionStatus
    from urja.billing.models import Bill
    from urja.billing.tests.conftest import metered_consumer
    from urja.metering.services import reading_record

    settings.URJA_BILLING = {**settings.URJA_BILLING, "REVISION_APPROVAL_ABOVE": "100"}
    consumer = metered_consumer(s["dc_a"], serial="HDP1")
    reading_record(
        consumer=consumer, reading_date=datetime.date(2026, 7, 31), kwh=Decimal(850), source="manual"
    )
    runs.bill_run(cycle_code="2026-07", office=s["dc_a"])
    bill = Bill.objects.get(consumer=consumer)
    t = ticket(s, "billing_dispute", consumer=consumer)
    url = reverse("staff:ticket_act", args=[t.number, "revise"])
    client.force_login(s["agent"])
    assert (
        f'data-testid="revise-{bill.pk}"'
        not in client.get(reverse("staff:ticket_detail", args=[t.number])).content.decode()
    )
    assert client.post(url, {"bill": bill.pk, "units": "245", "reason": "misread"}).status_code == 403
    client.force_login(s["sdo_a"])
    assert (
        f'data-testid="revise-{bill.pk}"'
        in client.get(reverse("staff:ticket_detail", args=[t.number])).content.decode()
    )
    assert client.post(url, {"bill": bill.pk, "units": "245", "reason": "misread"}).status_code == 302
    t.refresh_from_db()
    assert t.bill_revision.status == RevisionStatus.APPLIED


def test_list_queries_do_not_grow_with_tickets(client, s, django_assert_max_num_queries):
    for _ in range(3):
        ticket(s)
    client.force_login(s["agent"])
    with django_assert_max_num_queries(12) as first:
        client.get(reverse("staff:ticket_list"))
    for _ in range(10):
        ticket(s)
    with django_assert_max_num_queries(len(first.captured_queries)):
        assert client.get(reverse("staff:ticket_list")).status_code == 200


def test_category_admin_changes_sla_hours(client, s):
    admin = UserFactory(username="root", role=Role.SYSTEM_ADMIN, is_superuser=True)
    client.force_login(admin)
    assert client.get(reverse("admin:helpdesk_category_changelist")).status_code == 200
    assert client.get(reverse("admin:helpdesk_theftrate_changelist")).status_code == 200


def test_the_detail_shows_the_complainants_photo_and_gps_from_the_portal(client, s):
    t = hd.ticket_file(
        category=s["cat"]["no_supply"], description="Pole sparking", channel=Channel.PORTAL, consumer=s["indexed"],
        photo=SimpleUploadedFile("pole.png", b"\x89PNG\r\n\x1a\n" + b"\0" * 16),
        latitude=Decimal("26.846700"), longitude=Decimal("80.946200"),
    )  # fmt: skip
    client.force_login(s["agent"])
    page = client.get(reverse("staff:ticket_detail", args=[t.number])).content.decode()
    assert "26.846700, 80.946200" in page and f'href="{t.photo.url}"' in page
