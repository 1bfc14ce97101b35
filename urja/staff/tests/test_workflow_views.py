"""The workflow console: inbox, item, actions with confirmation, breaches, work orders by hand; every
id-taking page refuses another office's records (404) and another role (403)."""

import datetime
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from urja.workflow import selectors, services
from urja.workflow.choices import WorkOrderStatus
from urja.workflow.models import WorkEvent, WorkItem, WorkOrder
from urja.workflow.tests.conftest import calls, org, process  # noqa: F401 - fixtures

IST = ZoneInfo("Asia/Kolkata")
pytestmark = [pytest.mark.django_db, pytest.mark.clock("2026-11-28T12:00:00+05:30")]


@pytest.fixture
def item(process, org):  # noqa: F811
    return services.start("wftest", office=org["dc"], by=org["je"], data={"applicant": "Asha Devi"})


@pytest.fixture
def order(org):  # noqa: F811
    return services.work_order_create("disconnection", office=org["dc"], reason="Dues unpaid", by=org["je"])


def login(client, user):
    client.force_login(user)
    return client


def test_inbox_lists_items_sorted_by_time_left(client, org, item, travel):  # noqa: F811
    travel.move_to(datetime.datetime(2026, 11, 30, 9, 0, tzinfo=IST))
    other = services.start("wftest", office=org["dc"], by=org["je"])
    services.transition(other, "send_back", by=org["je"], reason="photo")  # due 2 Dec end, like `item`
    page = login(client, org["je"]).get(reverse("workflow:inbox"))
    assert page.status_code == 200
    refs = [row["item"].reference for row in page.context["rows"]]
    assert set(refs) == {item.reference, other.reference}
    dues = [row["item"].due_at for row in page.context["rows"]]
    assert dues == sorted(dues)
    assert "left" in page.content.decode()
    assert login(client, org["other_je"]).get(reverse("workflow:inbox")).context["rows"] == []


def test_inbox_refuses_a_role_without_the_capability(client, org):  # noqa: F811
    from urja.testing import UserFactory

    cashier = UserFactory(username="wf_cash2", role="cashier", office=org["dc"])
    assert login(client, cashier).get(reverse("workflow:inbox")).status_code == 403


def test_item_page_shows_timeline_and_actions(client, org, item):  # noqa: F811
    page = login(client, org["je"]).get(reverse("workflow:item", args=[item.pk]))
    assert page.status_code == 200
    html = page.content.decode()
    assert item.reference in html and 'data-testid="event-start"' in html
    assert [a.code for a in page.context["actions"]] == ["inspect", "send_back", "reject"]
    assert 'data-testid="action-reject"' in html


def test_every_id_taking_page_is_404_for_another_office(client, org, item, order):  # noqa: F811
    login(client, org["other_je"])
    event = item.events.first()
    for url in (
        reverse("workflow:item", args=[item.pk]),
        reverse("workflow:act", args=[item.pk, "inspect"]),
        reverse("workflow:document", args=[item.pk, event.pk, 0]),
        reverse("workflow:order", args=[order.pk]),
    ):
        assert client.get(url).status_code == 404, url
    for url in (
        reverse("workflow:act", args=[item.pk, "inspect"]),
        reverse("workflow:order_assign", args=[order.pk]),
        reverse("workflow:order_complete", args=[order.pk]),
        reverse("workflow:order_cancel", args=[order.pk]),
    ):
        assert client.post(url, {"reason": "x", "to": org["other_lineman"].pk}).status_code == 404, url
    assert client.get(reverse("workflow:breaches"), {"office": org["dc"].code}).status_code == 404
    item.refresh_from_db()
    order.refresh_from_db()
    assert item.state == "applied" and order.status == WorkOrderStatus.OPEN


def test_every_id_taking_page_is_403_for_another_role(client, org, item, order):  # noqa: F811
    from urja.testing import UserFactory

    cashier = UserFactory(username="wf_cash3", role="cashier", office=org["dc"])
    login(client, cashier)
    for url in (
        reverse("workflow:item", args=[item.pk]),
        reverse("workflow:act", args=[item.pk, "inspect"]),
        reverse("workflow:order", args=[order.pk]),
        reverse("workflow:orders"),
        reverse("workflow:breaches"),
    ):
        assert client.get(url).status_code == 403, url
    # An SDO may see the item but not take the JE's action; a lineman may not assign or cancel.
    login(client, org["sdo"])
    assert client.get(reverse("workflow:act", args=[item.pk, "inspect"])).status_code == 403
    assert client.post(reverse("workflow:act", args=[item.pk, "inspect"])).status_code == 403
    login(client, org["lineman"])
    assert (
        client.post(reverse("workflow:order_assign", args=[order.pk]), {"to": org["lineman"].pk}).status_code
        == 403
    )
    assert client.post(reverse("workflow:order_cancel", args=[order.pk]), {"reason": "x"}).status_code == 403
    # Not assigned to this lineman: completing is refused too.
    assert (
        client.post(
            reverse("workflow:order_complete", args=[order.pk]), {"key": "k", "remarks": "x"}
        ).status_code
        == 403
    )
    item.refresh_from_db()
    order.refresh_from_db()
    assert item.state == "applied" and order.status == WorkOrderStatus.OPEN


def test_a_simple_action_is_one_post(client, org, item, calls):  # noqa: F811
    response = login(client, org["je"]).post(reverse("workflow:act", args=[item.pk, "inspect"]))
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.state == "inspection"


def test_an_action_needing_a_reason_is_refused_without_one(client, org, item):  # noqa: F811
    login(client, org["je"])
    response = client.post(reverse("workflow:act", args=[item.pk, "send_back"]), {"reason": "  "})
    assert response.status_code == 400
    item.refresh_from_db()
    assert item.state == "applied"
    response = client.post(reverse("workflow:act", args=[item.pk, "send_back"]), {"reason": "Photo unclear"})
    assert response.status_code == 302


def test_an_irreversible_action_asks_for_confirmation_and_says_what_happens(client, org, item):  # noqa: F811
    login(client, org["je"])
    url = reverse("workflow:act", args=[item.pk, "reject"])
    page = client.get(url)
    html = page.content.decode()
    assert 'data-testid="confirm"' in html and "cannot be undone" in html and "closed" in html
    response = client.post(url, {"reason": "Outside the area"})  # not confirmed
    assert response.status_code == 400
    item.refresh_from_db()
    assert item.state == "applied"
    response = client.post(url, {"reason": "Outside the area", "confirm": "on"})
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.outcome == "rejected"


def test_a_document_is_attached_and_downloaded_within_scope(client, org, item, settings, tmp_path):  # noqa: F811
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.STORAGES = {**settings.STORAGES, "default": {"BACKEND": "django.core.files.storage.FileSystemStorage",
                                                           "OPTIONS": {"location": str(tmp_path)}}}  # fmt: skip
    login(client, org["je"])
    upload = SimpleUploadedFile("id.pdf", b"%PDF-1.4 test", content_type="application/pdf")
    response = client.post(
        reverse("workflow:act", args=[item.pk, "send_back"]),
        {"reason": "Second proof needed", "document_kind": "id_proof", "document_file": upload},
    )
    assert response.status_code == 302
    event = WorkEvent.objects.filter(item=item, action="send_back").get()
    assert event.attachments[0]["kind"] == "id_proof" and event.attachments[0]["file"].startswith(
        "workflow/TP-"
    )
    download = client.get(reverse("workflow:document", args=[item.pk, event.pk, 0]))
    assert download.status_code == 200 and b"".join(download.streaming_content) == b"%PDF-1.4 test"
    assert (
        login(client, org["other_je"])
        .get(reverse("workflow:document", args=[item.pk, event.pk, 0]))
        .status_code
        == 404
    )


def test_breaches_page_per_office(client, org, item, travel):  # noqa: F811
    travel.move_to(datetime.datetime(2026, 12, 3, 9, 0, tzinfo=IST))
    page = login(client, org["sdo"]).get(reverse("workflow:breaches"))
    assert [row["item"] for row in page.context["rows"]] == [item]
    page = client.get(reverse("workflow:breaches"), {"office": org["other_dc"].code})
    assert page.status_code == 200 and page.context["rows"] == []
    assert login(client, org["other_je"]).get(reverse("workflow:breaches")).context["rows"] == []


def test_work_order_assigned_and_completed_by_hand(client, org, order):  # noqa: F811
    login(client, org["je"])
    page = client.get(reverse("workflow:order", args=[order.pk]))
    choices = [str(u) for u in page.context["assign_form"].fields["to"].queryset]
    assert "wf_lineman" in choices and "wf_other_lineman" not in choices
    assert (
        client.post(
            reverse("workflow:order_assign", args=[order.pk]), {"to": org["other_lineman"].pk}
        ).status_code
        == 400
    )
    assert (
        client.post(reverse("workflow:order_assign", args=[order.pk]), {"to": org["lineman"].pk}).status_code
        == 302
    )
    login(client, org["lineman"])
    page = client.get(reverse("workflow:orders"), {"mine": "1"})
    assert [o.pk for o in page.context["page"]] == [order.pk]
    key = client.get(reverse("workflow:order", args=[order.pk])).context["complete_form"].initial["key"]
    form = {"key": key, "reading_register": "kwh", "reading_value": "१२३४.५", "latitude": "26.85", "longitude": "80.95",
            "remarks": "Disconnected at the pole"}  # fmt: skip
    bad = client.post(reverse("workflow:order_complete", args=[order.pk]), {**form, "latitude": "north"})
    assert bad.status_code == 400
    assert client.post(reverse("workflow:order_complete", args=[order.pk]), form).status_code == 302
    # A double submit of the same form completes once and is not an error.
    assert client.post(reverse("workflow:order_complete", args=[order.pk]), form).status_code == 302
    order.refresh_from_db()
    assert order.status == WorkOrderStatus.DONE
    assert order.result["readings"] == [{"register": "kwh", "value": "1234.5"}]
    assert order.result["gps"] == {"lat": 26.85, "lon": 80.95}
    # Another completion (a new form) is refused.
    again = client.post(reverse("workflow:order_complete", args=[order.pk]), {**form, "key": "another"})
    assert again.status_code in (400, 403)


def test_work_order_cancel_needs_a_reason(client, org, order):  # noqa: F811
    login(client, org["je"])
    assert client.post(reverse("workflow:order_cancel", args=[order.pk]), {"reason": ""}).status_code == 400
    assert (
        client.post(reverse("workflow:order_cancel", args=[order.pk]), {"reason": "Paid"}).status_code == 302
    )
    assert WorkOrder.objects.get(pk=order.pk).status == WorkOrderStatus.CANCELLED


def test_pages_render_in_hindi(client, org, item, order):  # noqa: F811
    org["je"].preferred_language = "hi"
    org["je"].save()
    login(client, org["je"])
    client.cookies["django_language"] = "hi"
    for url in (
        reverse("workflow:inbox"),
        reverse("workflow:item", args=[item.pk]),
        reverse("workflow:act", args=[item.pk, "reject"]),
        reverse("workflow:orders"),
        reverse("workflow:order", args=[order.pk]),
        reverse("workflow:breaches"),
    ):
        response = client.get(url, HTTP_ACCEPT_LANGUAGE="hi")
        assert response.status_code == 200, url
    assert (
        "परीक्षण प्रक्रिया"
        in client.get(reverse("workflow:item", args=[item.pk]), HTTP_ACCEPT_LANGUAGE="hi").content.decode()
    )


def _queries(client, url):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_list_pages_do_not_query_per_row(client, process, org, travel):  # noqa: F811
    from urja.testing import ConsumerFactory

    def add(n):
        for _ in range(n):
            consumer = ConsumerFactory(office=org["dc"])
            item = services.start("wftest", office=org["dc"], by=org["je"], consumer=consumer)
            services.work_order_create(
                "site_inspection", office=org["dc"], reason="r", by=org["je"], item=item, consumer=consumer,
                assigned_to=org["lineman"],
            )  # fmt: skip

    pages = ("workflow:inbox", "workflow:orders", "workflow:breaches")

    def counts():
        travel.move_to(datetime.datetime(2026, 12, 20, 10, 0, tzinfo=IST))  # every item overdue
        assert len(selectors.breaches_for(org["je"])) == WorkItem.objects.count()
        login(client, org["je"])  # a fresh session at the later time
        result = [_queries(client, reverse(name)) for name in pages]
        travel.move_to(datetime.datetime(2026, 11, 28, 12, 0, tzinfo=IST))
        return result

    add(2)
    few = counts()
    add(5)
    assert counts() == few


def test_approval_needs_the_documents_and_says_what_will_happen(client, org, item):  # noqa: F811
    services.transition(item, "inspect", by=org["je"])
    services.transition(item, "inspected", by=None)
    login(client, org["sdo"])
    url = reverse("workflow:act", args=[item.pk, "approve"])
    page = client.get(url).content.decode()
    assert 'data-testid="missing-documents"' in page and "site_report" in page
    assert "The applicant is told the application is approved." in page
    refused = client.post(url, {"confirm": "on"})
    assert refused.status_code == 400 and "site_report" in refused.content.decode()
    done = client.post(
        url, {"confirm": "on", "document_kind": "site_report", "document_name": "Report 12/2026"}
    )
    assert done.status_code == 302
    item.refresh_from_db()
    assert item.outcome == "approved"
    assert (
        client.get(reverse("workflow:item", args=[item.pk])).content.decode().count('data-testid="document"')
        == 1
    )


def test_breaches_page_counts_per_office_in_hindi(client, org, item, travel):  # noqa: F811
    org["dc"].name_hi = "परीक्षण केंद्र"
    org["dc"].save()
    travel.move_to(datetime.datetime(2026, 12, 3, 9, 0, tzinfo=IST))
    login(client, org["sdo"])
    html = client.get(reverse("workflow:breaches"), HTTP_ACCEPT_LANGUAGE="hi").content.decode()
    assert 'data-testid="breach-counts"' in html and "परीक्षण केंद्र" in html
