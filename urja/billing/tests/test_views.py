"""The staff console's billing pages: runs, review queue, bills, revisions, consumer page, statement."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from urja.billing import partitions, runs
from urja.billing.choices import BillStatus, RevisionStatus
from urja.billing.models import Bill, BillRevision, BillRun
from urja.common import clock
from urja.ledger.selectors import balance
from urja.metering.services import reading_record
from urja.org.choices import Role
from urja.testing import UserFactory

from .conftest import metered_consumer

# The scenario: July 2026 bills, looked at in the console on 28 November 2026 (IST).
pytestmark = [pytest.mark.django_db, pytest.mark.clock("2026-11-28T12:00:00+05:30")]
JULY_END = datetime.date(2026, 7, 31)


def read(consumer, value, day=JULY_END):
    return reading_record(consumer=consumer, reading_date=day, kwh=Decimal(value), source="manual")


@pytest.fixture
def as_user(client):
    def login(user):
        client.force_login(user)
        return client

    return login


@pytest.fixture
def held(billing_office):
    """A July run for DC-A with one bill held (consumption far above the average)."""
    spike = metered_consumer(billing_office, serial="M1")
    read(spike, 1500)
    run = runs.bill_run(cycle_code="2026-07", office=billing_office)
    return Bill.objects.get(consumer=spike), run


# --- bill runs -------------------------------------------------------------------------------------------


def test_runs_page_for_billing_roles_only(as_user, two_subdivisions):
    assert as_user(two_subdivisions["sdo_a"]).get(reverse("staff:bill_runs")).status_code == 200
    assert as_user(two_subdivisions["je_a"]).get(reverse("staff:bill_runs")).status_code == 403


@pytest.mark.parametrize(
    ("now", "previous_month"),
    [
        ("2026-11-28T12:00:00+05:30", "2026-10"),
        ("2026-12-01T00:10:00+05:30", "2026-11"),  # 30 November in UTC: the month is IST's
        ("2027-01-01T00:05:00+05:30", "2026-12"),
        ("2027-04-01T09:00:00+05:30", "2027-03"),  # a new financial year
        ("2028-02-29T23:50:00+05:30", "2028-01"),
        ("2028-03-01T00:00:00+05:30", "2028-02"),
    ],
)
def test_runs_page_defaults_to_previous_month_and_own_office(
    as_user, two_subdivisions, travel, now, previous_month
):
    travel.move_to(datetime.datetime.fromisoformat(now))
    response = as_user(two_subdivisions["sdo_a"]).get(reverse("staff:bill_runs"))
    form = response.context["form"]
    assert form["cycle"].value() == previous_month
    assert form["office"].value() == two_subdivisions["sub_a"].id
    offices = {o.code for o in form.fields["office"].queryset}
    assert offices == {"SUB-A", "DC-A"}


def test_starting_a_run_from_the_console_bills_the_office(as_user, two_subdivisions, billing_office):
    a = metered_consumer(billing_office, serial="M1")
    read(a, 850)
    client = as_user(two_subdivisions["sdo_a"])
    response = client.post(
        reverse("staff:bill_runs"), {"cycle": "2026-07", "office": two_subdivisions["sub_a"].id}
    )
    run = BillRun.objects.get()
    assert response.status_code == 302 and response.url == reverse("staff:bill_run_detail", args=[run.id])
    assert run.started_by == two_subdivisions["sdo_a"] and run.status == "done"
    assert Bill.objects.filter(consumer=a, status=BillStatus.ISSUED).exists()
    assert not Bill.objects.filter(consumer=two_subdivisions["consumer_b"]).exists()
    page = client.get(response.url)
    assert page.status_code == 200 and not page.context["in_progress"]
    assert b"run-progress.js" not in page.content  # finished: no polling


def test_starting_a_run_with_bad_input_changes_nothing(as_user, two_subdivisions):
    client = as_user(two_subdivisions["sdo_a"])
    bad_cycle = client.post(
        reverse("staff:bill_runs"), {"cycle": "2026-13", "office": two_subdivisions["sub_a"].id}
    )
    assert bad_cycle.status_code == 400 and bad_cycle.context["form"].errors["cycle"]
    other_office = client.post(
        reverse("staff:bill_runs"), {"cycle": "2026-07", "office": two_subdivisions["sub_b"].id}
    )
    assert other_office.status_code == 400 and other_office.context["form"].errors["office"]
    assert not BillRun.objects.exists() and not Bill.objects.exists()


def test_ee_cannot_start_a_run_without_the_right(as_user, two_subdivisions, monkeypatch):
    """A service refusal (PermissionDenied) shows as a form error, in the user's language."""
    from django.core.exceptions import PermissionDenied

    def refuse(**kwargs):
        raise PermissionDenied("You may only bill your own offices.")

    monkeypatch.setattr(runs, "bill_run_create", refuse)
    client = as_user(two_subdivisions["sdo_a"])
    response = client.post(
        reverse("staff:bill_runs"), {"cycle": "2026-07", "office": two_subdivisions["sub_a"].id}
    )
    assert response.status_code == 400
    assert "You may only bill your own offices." in response.context["form"].non_field_errors()


def test_run_page_scoped_and_progress_json(as_user, two_subdivisions, held):
    bill, run = held
    client = as_user(two_subdivisions["sdo_a"])
    page = client.get(reverse("staff:bill_run_detail", args=[run.id]))
    assert page.status_code == 200
    assert f"?run={run.id}" in page.content.decode()  # link to the review queue for this run
    progress = client.get(reverse("staff:bill_run_progress", args=[run.id])).json()
    assert progress["held"] == 1 and progress["finished"] and progress["progress_percent"] == 100
    other = as_user(two_subdivisions["sdo_b"])
    assert other.get(reverse("staff:bill_run_detail", args=[run.id])).status_code == 404
    assert other.get(reverse("staff:bill_run_progress", args=[run.id])).status_code == 404


def test_a_running_run_polls_for_progress(as_user, two_subdivisions):
    run = runs.bill_run_create(cycle_code="2026-07", office=two_subdivisions["dc_a"])
    page = as_user(two_subdivisions["sdo_a"]).get(reverse("staff:bill_run_detail", args=[run.id]))
    html = page.content.decode()
    assert page.context["in_progress"]
    assert "js/run-progress.js" in html and reverse("staff:bill_run_progress", args=[run.id]) in html
    assert "<script>" not in html  # no inline script (CSP)


def test_failed_run_can_be_resumed(as_user, two_subdivisions, billing_office, monkeypatch):
    a = metered_consumer(billing_office, serial="M1")
    read(a, 850)
    original = partitions.compute_bills

    def boom(*args, **kwargs):
        raise RuntimeError("worker crashed")

    monkeypatch.setattr(partitions, "compute_bills", boom)
    run = runs.bill_run(cycle_code="2026-07", office=billing_office)
    assert run.status == "failed"
    client = as_user(two_subdivisions["sdo_a"])
    page = client.get(reverse("staff:bill_run_detail", args=[run.id]))
    assert page.context["can_resume"] and "worker crashed" in page.content.decode()
    monkeypatch.setattr(partitions, "compute_bills", original)
    response = client.post(reverse("staff:bill_run_resume", args=[run.id]))
    assert response.status_code == 302
    run.refresh_from_db()
    assert run.status == "done" and Bill.objects.filter(consumer=a).exists()


def test_a_killed_run_is_detected_as_stale_and_resumed_from_the_console(
    as_user, two_subdivisions, billing_office, monkeypatch, travel
):
    a = metered_consumer(billing_office, serial="M1")
    read(a, 850)
    original = partitions.compute_bills

    def killed(*args, **kwargs):
        raise KeyboardInterrupt  # the worker process is killed mid-partition: nothing records a failure

    monkeypatch.setattr(partitions, "compute_bills", killed)
    with pytest.raises(KeyboardInterrupt):
        runs.bill_run(cycle_code="2026-07", office=billing_office)
    monkeypatch.setattr(partitions, "compute_bills", original)
    run = BillRun.objects.get()
    assert run.status == "running" and not Bill.objects.exists()
    client = as_user(two_subdivisions["sdo_a"])
    page = client.get(reverse("staff:bill_run_detail", args=[run.id]))
    assert not page.context["stale"] and not page.context["can_resume"]  # it may still be going on
    refused = client.post(reverse("staff:bill_run_resume", args=[run.id]))
    assert refused.status_code == 302 and BillRun.objects.get().status == "running"

    travel.shift(datetime.timedelta(minutes=31))
    page = client.get(reverse("staff:bill_run_detail", args=[run.id]))
    assert page.context["stale"] and page.context["can_resume"]
    assert 'data-testid="stale"' in page.content.decode()
    assert client.get(reverse("staff:bill_run_progress", args=[run.id])).json()["stale"] is True
    # Another office's officer still may not resume it.
    other = as_user(two_subdivisions["sdo_b"]).post(reverse("staff:bill_run_resume", args=[run.id]))
    assert other.status_code == 404
    client = as_user(two_subdivisions["sdo_a"])
    assert client.post(reverse("staff:bill_run_resume", args=[run.id])).status_code == 302
    run.refresh_from_db()
    assert run.status == "done" and Bill.objects.filter(consumer=a).count() == 1


# --- review queue ------------------------------------------------------------------------------------------


def test_review_queue_roles_and_scoping(as_user, two_subdivisions, held):
    bill, _ = held
    page = as_user(two_subdivisions["sdo_a"]).get(reverse("staff:review_queue"))
    assert page.status_code == 200
    assert [row["bill"] for row in page.context["rows"]] == [bill]
    assert page.context["rows"][0]["average"] == Decimal("200")
    assert "consumption above 3 times the average" in page.content.decode().lower()
    other = as_user(two_subdivisions["sdo_b"]).get(reverse("staff:review_queue"))
    assert other.context["rows"] == []
    assert as_user(two_subdivisions["je_a"]).get(reverse("staff:review_queue")).status_code == 403


def test_review_queue_filters(as_user, two_subdivisions, held):
    bill, run = held
    client = as_user(two_subdivisions["sdo_a"])
    assert (
        len(client.get(reverse("staff:review_queue"), {"run": run.id, "reason": "HIGH"}).context["rows"]) == 1
    )
    assert client.get(reverse("staff:review_queue"), {"reason": "ZERO"}).context["rows"] == []
    assert client.get(reverse("staff:review_queue"), {"run": run.id + 99}).context["rows"] == []
    assert (
        len(client.get(reverse("staff:review_queue"), {"reason": "nonsense", "run": "x"}).context["rows"])
        == 1
    )


def test_approve_through_the_form(as_user, two_subdivisions, held):
    bill, run = held
    client = as_user(two_subdivisions["sdo_a"])
    response = client.post(reverse("staff:bill_approve", args=[bill.id]) + f"?run={run.id}")
    assert response.status_code == 302 and response.url == reverse("staff:review_queue") + f"?run={run.id}"
    bill.refresh_from_db()
    assert bill.status == BillStatus.ISSUED and bill.reviewed_by == two_subdivisions["sdo_a"]
    assert balance(bill.consumer_id) == bill.payable
    again = client.post(reverse("staff:bill_approve", args=[bill.id]))
    assert again.status_code == 400 and "Only a held bill can be reviewed." in again.content.decode()


def test_correct_through_the_form(as_user, two_subdivisions, held):
    bill, _ = held
    client = as_user(two_subdivisions["sdo_a"])
    url = reverse("staff:bill_correct", args=[bill.id])
    bad = client.post(url, {f"c{bill.id}-units": "-5", f"c{bill.id}-reason": ""})
    assert bad.status_code == 400
    bill.refresh_from_db()
    assert bill.status == BillStatus.HELD  # nothing changed
    ok = client.post(url, {f"c{bill.id}-units": "250", f"c{bill.id}-reason": "reader typed 1500 for 850"})
    assert ok.status_code == 302
    bill.refresh_from_db()
    assert (
        bill.status == BillStatus.ISSUED
        and bill.units == Decimal("250")
        and bill.payable == Decimal("1727.00")
    )


def test_hold_through_the_form(as_user, two_subdivisions, held):
    bill, _ = held
    client = as_user(two_subdivisions["sdo_a"])
    url = reverse("staff:bill_hold", args=[bill.id])
    assert client.post(url, {f"h{bill.id}-note": ""}).status_code == 400
    assert client.post(url, {f"h{bill.id}-note": "site inspection ordered"}).status_code == 302
    bill.refresh_from_db()
    assert bill.status == BillStatus.HELD and "site inspection ordered" in bill.notes[-1]


def test_review_actions_refused_across_offices_and_roles(as_user, two_subdivisions, held):
    bill, _ = held
    assert (
        as_user(two_subdivisions["sdo_b"]).post(reverse("staff:bill_approve", args=[bill.id])).status_code
        == 404
    )
    assert (
        as_user(two_subdivisions["je_a"]).post(reverse("staff:bill_approve", args=[bill.id])).status_code
        == 403
    )
    assert (
        as_user(two_subdivisions["sdo_a"]).get(reverse("staff:bill_approve", args=[bill.id])).status_code
        == 405
    )
    bill.refresh_from_db()
    assert bill.status == BillStatus.HELD


def test_review_actions_need_csrf(two_subdivisions, held):
    from django.test import Client

    bill, _ = held
    client = Client(enforce_csrf_checks=True)
    client.force_login(two_subdivisions["sdo_a"])
    assert client.post(reverse("staff:bill_approve", args=[bill.id])).status_code == 403
    bill.refresh_from_db()
    assert bill.status == BillStatus.HELD


def test_review_queue_query_count_does_not_grow(
    as_user, two_subdivisions, billing_office, django_assert_max_num_queries
):
    for n in range(20):
        consumer = metered_consumer(billing_office, serial=f"Q{n}")
        read(consumer, 1500)
    runs.bill_run(cycle_code="2026-07", office=billing_office)
    client = as_user(two_subdivisions["sdo_a"])
    with django_assert_max_num_queries(10):
        response = client.get(reverse("staff:review_queue"))
    assert len(response.context["rows"]) == 20


def test_runs_list_query_count(as_user, two_subdivisions, django_assert_max_num_queries):
    for _ in range(10):
        runs.bill_run(cycle_code="2026-07", office=two_subdivisions["dc_a"], by=two_subdivisions["sdo_a"])
    client = as_user(two_subdivisions["sdo_a"])
    with django_assert_max_num_queries(8):
        response = client.get(reverse("staff:bill_runs"))
    assert len(response.context["runs"]) == 10


# --- bills and revisions ----------------------------------------------------------------------------------


def test_bill_page_scoped(as_user, two_subdivisions, held):
    bill, _ = held
    page = as_user(two_subdivisions["je_a"]).get(reverse("staff:bill_detail", args=[bill.id]))
    assert page.status_code == 200 and bill.bill_number in page.content.decode()
    assert page.context["revise_form"] is None  # held, and a JE may not revise
    assert (
        as_user(two_subdivisions["sdo_b"]).get(reverse("staff:bill_detail", args=[bill.id])).status_code
        == 404
    )


def test_small_revision_through_the_form(as_user, two_subdivisions, billing_office):
    a = metered_consumer(billing_office, serial="M1")
    read(a, 850)
    runs.bill_run(cycle_code="2026-07", office=billing_office)
    bill = Bill.objects.get(consumer=a)
    client = as_user(two_subdivisions["sdo_a"])
    page = client.get(reverse("staff:bill_detail", args=[bill.id]))
    assert page.context["revise_form"] is not None
    assert (
        client.post(reverse("staff:bill_revise", args=[bill.id]), {"units": "150", "reason": ""}).status_code
        == 400
    )
    response = client.post(
        reverse("staff:bill_revise", args=[bill.id]), {"units": "150", "reason": "misread"}
    )
    new = Bill.objects.get(consumer=a, status=BillStatus.ISSUED)
    assert response.status_code == 302 and response.url == reverse("staff:bill_detail", args=[new.id])
    old_page = client.get(reverse("staff:bill_detail", args=[bill.id]))
    assert old_page.context["replaced_by"] == new and old_page.context["revise_form"] is None


def test_large_revision_waits_for_approval(as_user, two_subdivisions, billing_office, settings):
    settings.URJA_BILLING = {**settings.URJA_BILLING, "REVISION_APPROVAL_ABOVE": "100"}
    ee = UserFactory(username="ee", role=Role.EE, office=two_subdivisions["division"])
    a = metered_consumer(billing_office, serial="M1")
    read(a, 850)
    runs.bill_run(cycle_code="2026-07", office=billing_office)
    bill = Bill.objects.get(consumer=a)
    sdo = as_user(two_subdivisions["sdo_a"])
    sdo.post(reverse("staff:bill_revise", args=[bill.id]), {"units": "50", "reason": "meter defective"})
    revision = BillRevision.objects.get()
    assert revision.status == RevisionStatus.PENDING
    # The maker cannot approve it: an error at the revision, nothing changed.
    maker_page = sdo.get(reverse("staff:revisions_pending"))
    assert maker_page.context["rows"][0]["revision"] == revision
    # ... and is shown no decision buttons on their own request
    assert 'data-testid="own-revision"' in maker_page.content.decode()
    assert 'data-testid="approve-revision"' not in maker_page.content.decode()
    refused = sdo.post(
        reverse("staff:revision_decide", args=[revision.id]), {"decision": "approve", "confirm": "on"}
    )
    assert refused.status_code == 400 and refused.context["rows"][0]["error"]
    assert BillRevision.objects.get().status == RevisionStatus.PENDING
    # Another sub-division's SDO does not see it at all.
    other = as_user(two_subdivisions["sdo_b"])
    assert other.get(reverse("staff:revisions_pending")).context["rows"] == []
    assert (
        other.post(
            reverse("staff:revision_decide", args=[revision.id]), {"decision": "approve", "confirm": "on"}
        ).status_code
        == 404
    )
    # The EE approves.
    checker = as_user(ee)
    page = checker.get(reverse("staff:revisions_pending"))
    assert "meter defective" in page.content.decode()
    assert 'data-testid="approve-revision"' in page.content.decode()
    assert 'data-testid="confirm-revision"' in page.content.decode()  # the preview is confirmed
    unconfirmed = checker.post(reverse("staff:revision_decide", args=[revision.id]), {"decision": "approve"})
    assert unconfirmed.status_code == 400 and "Tick the box" in unconfirmed.context["rows"][0]["error"]
    assert BillRevision.objects.get().status == RevisionStatus.PENDING
    assert (
        checker.post(
            reverse("staff:revision_decide", args=[revision.id]), {"decision": "approve", "confirm": "on"}
        ).status_code
        == 302
    )
    revision.refresh_from_db()
    assert revision.status == RevisionStatus.APPLIED and revision.decided_by == ee
    assert Bill.objects.get(pk=bill.pk).status == BillStatus.CANCELLED


def test_revisions_page_needs_the_right(as_user, two_subdivisions):
    assert as_user(two_subdivisions["je_a"]).get(reverse("staff:revisions_pending")).status_code == 403


def test_bill_pdf_view(as_user, two_subdivisions, held):
    pytest.importorskip("urja.billing.pdf")
    bill, _ = held
    response = as_user(two_subdivisions["sdo_a"]).get(reverse("staff:bill_pdf", args=[bill.id]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("inline")
    assert response.content.startswith(b"%PDF")
    assert (
        as_user(two_subdivisions["sdo_b"]).get(reverse("staff:bill_pdf", args=[bill.id])).status_code == 404
    )


# --- consumer page and statement ---------------------------------------------------------------------------


def test_consumer_page_shows_bills_statement_ageing_readings_and_chart(
    as_user, two_subdivisions, billing_office
):
    a = metered_consumer(billing_office, serial="M1")
    read(a, 850)
    runs.bill_run(cycle_code="2026-07", office=billing_office)
    page = as_user(two_subdivisions["je_a"]).get(reverse("staff:consumer_detail", args=[a.account_number]))
    assert page.status_code == 200
    html = page.content.decode()
    bill = Bill.objects.get(consumer=a)
    assert reverse("staff:bill_detail", args=[bill.id]) in html
    assert page.context["statement"].closing_balance == Decimal("1727.00")
    assert page.context["ageing"].outstanding == Decimal("1727.00")
    assert len(page.context["readings"]) == 5
    bars = page.context["chart"]["bars"]
    assert len(bars) == 12 and [b["units"] for b in bars[4:8]] == [Decimal(200)] * 3 + [Decimal(250)]
    assert bars[-1]["units"] is None and bars[-1]["height"] == 0  # no reading in November
    assert "<svg" in html and "<rect" in html


def test_nav_links_follow_capabilities(as_user, two_subdivisions):
    sdo = as_user(two_subdivisions["sdo_a"]).get(reverse("staff:home")).content.decode()
    assert reverse("staff:review_queue") in sdo and reverse("staff:revisions_pending") in sdo
    je = as_user(two_subdivisions["je_a"]).get(reverse("staff:home")).content.decode()
    assert reverse("staff:review_queue") not in je and reverse("staff:bill_runs") not in je


def test_statement_json_adds_up(as_user, two_subdivisions, billing_office):
    a = metered_consumer(billing_office, serial="M1")
    read(a, 850)
    runs.bill_run(cycle_code="2026-07", office=billing_office)
    read(a, 1050, day=datetime.date(2026, 8, 31))
    runs.bill_run(cycle_code="2026-08", office=billing_office)
    url = reverse("staff:consumer_statement", args=[a.account_number])
    client = as_user(two_subdivisions["je_a"])
    data = client.get(url, {"from": "2026-08-15", "to": "2026-11-28", "format": "json"}).json()
    opening, closing = Decimal(data["opening_balance"]), Decimal(data["closing_balance"])
    debits = sum(Decimal(line["debit"]) for line in data["lines"])
    credits = sum(Decimal(line["credit"]) for line in data["lines"])
    assert opening == Decimal("1727.00") and len(data["lines"]) >= 1
    assert opening + debits - credits == closing == balance(a.id)
    assert all(len(line["balance"].split(".")[1]) == 2 for line in data["lines"])
    html = client.get(url)
    assert html.status_code == 200 and html.context["date_from"] == datetime.date(2025, 12, 1)
    bad = client.get(url, {"from": "2026-09-01", "to": "2026-08-01", "format": "json"})
    assert bad.status_code == 422 and bad.json()["code"] == "invalid_input"
    assert client.get(url, {"from": "not-a-date"}).status_code == 400
    other = as_user(two_subdivisions["je_b"])
    assert other.get(url, {"format": "json"}).status_code == 404


# --- admin ----------------------------------------------------------------------------------------------------


def test_bill_admin_is_read_only_and_scoped(as_user, two_subdivisions):
    runs.bill_run(cycle_code="2026-07")
    own = Bill.objects.get(consumer=two_subdivisions["consumer_a"])
    other = Bill.objects.get(consumer=two_subdivisions["consumer_b"])
    client = as_user(two_subdivisions["sdo_a"])
    listing = client.get("/admin/billing/bill/")
    assert listing.status_code == 200
    html = listing.content.decode()
    assert own.bill_number in html and other.bill_number not in html
    assert client.get("/admin/billing/bill/add/").status_code == 403
    assert client.get(f"/admin/billing/bill/{other.id}/change/").status_code == 302  # not found: back to list
    root = UserFactory(username="root", role=Role.SYSTEM_ADMIN, office=None, is_superuser=True)
    run = BillRun.objects.get()
    assert as_user(root).get(f"/admin/billing/billrun/{run.id}/change/").status_code == 200


# --- the bill in the staff user's language -----------------------------------------------------------


def _in_language(client, language):
    from django.conf import settings

    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    return client


def test_bill_page_shows_lines_basis_amounts_and_dates_in_the_staff_language(
    as_user, two_subdivisions, billing_office
):
    a = metered_consumer(billing_office, serial="M1")
    read(a, 850)
    runs.bill_run(cycle_code="2026-07", office=billing_office)
    bill = Bill.objects.get(consumer=a)
    from urja.ledger.models import LedgerEntry

    posted = LedgerEntry.objects.get(consumer=a, source_type="bill")
    assert (posted.code, posted.params) == ("bill", {"bill": bill.bill_number})
    assert posted.description == f"Bill {bill.bill_number}"
    client = as_user(two_subdivisions["je_a"])
    hindi = _in_language(client, "hi").get(reverse("staff:bill_detail", args=[bill.id])).content.decode()
    for words in (
        "ऊर्जा प्रभार 150 kWh तक: 150 kWh @ ₹5.50",
        "स्थायी प्रभार: 2 kW @ ₹110.00/kW/माह × 1 माह",
        "विद्युत शुल्क ₹1,645.00 पर 5%",
        '<dd data-testid="bill-basis">मीटर्ड',
        "₹1,727.00",
        "01-07-2026 – 31-07-2026",
    ):
        assert words in hindi, words
    assert "Energy up to" not in hindi
    english = _in_language(client, "en").get(reverse("staff:bill_detail", args=[bill.id])).content.decode()
    assert "Energy up to 150 kWh: 150 kWh @ Rs 5.50" in english
    assert '<dd data-testid="bill-basis">Metered' in english
    consumer_page = client.get(reverse("staff:consumer_detail", args=[a.account_number])).content.decode()
    assert f"Bill {bill.bill_number}" in consumer_page and "<td>metered</td>" in consumer_page
    consumer_page = (
        _in_language(client, "hi")
        .get(reverse("staff:consumer_detail", args=[a.account_number]))
        .content.decode()
    )
    assert f"बिल {bill.bill_number}" in consumer_page and "<td>मीटर्ड</td>" in consumer_page


def test_hold_reasons_in_the_staff_language(as_user, two_subdivisions, held):
    from urja.billing.selectors import hold_label

    bill, _ = held
    client = _in_language(as_user(two_subdivisions["sdo_a"]), "hi")
    page = client.get(reverse("staff:bill_detail", args=[bill.id]))
    queue = client.get(reverse("staff:review_queue")).content.decode()
    from django.utils import translation

    with translation.override("hi"):
        reasons = [hold_label(code) for code in bill.hold_reason_list]
    assert reasons and all(reason not in ("HIGH", "FIRST") for reason in reasons)
    for reason in reasons:
        assert reason in page.content.decode() and reason in queue


def test_a_running_run_shows_the_time_left_at_its_pace_so_far(as_user, two_subdivisions, travel):
    """Issue 13: the run page's ETA — the time since the run started over the offices done, times the
    offices left — in the user's language, in the page and in the progress JSON it polls."""
    from urja.org.choices import Role
    from urja.testing import UserFactory

    run = runs.bill_run_create(cycle_code="2026-07")  # both DCs
    ee = UserFactory(username="ee_div", role=Role.EE, office=two_subdivisions["division"])
    client = as_user(ee)
    url = reverse("staff:bill_run_progress", args=[run.id])
    assert client.get(url, HTTP_ACCEPT_LANGUAGE="en").json()["eta"] == "—"
    BillRun.objects.filter(pk=run.pk).update(status="running", started_at=clock.now())
    travel.shift(datetime.timedelta(minutes=6))
    BillRun.objects.filter(pk=run.pk).update(partitions_done=1)  # one of two offices in 6 minutes
    assert client.get(url, HTTP_ACCEPT_LANGUAGE="en").json()["eta"] == "about 6 min left"
    page = client.get(reverse("staff:bill_run_detail", args=[run.id]), HTTP_ACCEPT_LANGUAGE="en")
    assert 'data-field="eta">about 6 min left<' in page.content.decode()
    hindi = client.get(url, HTTP_ACCEPT_LANGUAGE="hi").json()["eta"]
    assert hindi != "about 6 min left" and "6" in hindi


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_without_a_broker_the_console_bills_in_a_process_of_its_own_and_the_page_follows_it(
    as_user, two_subdivisions, billing_office, settings, tariffs
):
    """The start button returns at once; `urja billrun --resume` bills the run in the background on the
    same database (held here behind a lock on the bills table until the page has been looked at)."""
    import time

    import psycopg
    from django.db import connection

    settings.URJA_BILLING = {**settings.URJA_BILLING, "LOCAL_RUNS": "process"}
    a = metered_consumer(billing_office, serial="M1")
    read(a, 850)
    params = connection.get_connection_params()
    with psycopg.connect(**{k: v for k, v in params.items() if k != "cursor_factory"}) as blocker:
        blocker.execute("LOCK TABLE billing_bill IN EXCLUSIVE MODE")  # reads go on, writes wait
        with connection.cursor() as cursor:  # billing within the request would wait 5 s, then fail
            cursor.execute("SET lock_timeout = '5s'")
        client = as_user(two_subdivisions["sdo_a"])
        response = client.post(
            reverse("staff:bill_runs"), {"cycle": "2026-07", "office": two_subdivisions["sub_a"].id}
        )
        run = BillRun.objects.get()
        assert response.status_code == 302 and run.status == "running"
        page = client.get(response.url)
        assert page.context["in_progress"] and b"run-progress.js" in page.content
        progress = client.get(reverse("staff:bill_run_progress", args=[run.id])).json()
        assert progress["finished"] is False and progress["billed"] == 0
        assert not Bill.objects.exists()
        blocker.commit()  # the billing process may write now
    deadline = time.monotonic() + 120
    while BillRun.objects.get().status == "running" and time.monotonic() < deadline:
        time.sleep(0.25)
    run.refresh_from_db()
    state = (
        run.status,
        run.accounts,
        run.billed,
        run.held,
        run.skipped,
        list(run.partitions.values("status", "error")),
    )
    assert run.status == "done" and run.billed >= 1 and run.started_by == two_subdivisions["sdo_a"], state
    assert Bill.objects.filter(consumer=a, status=BillStatus.ISSUED).count() == 1, list(Bill.objects.values())
    assert client.get(reverse("staff:bill_run_progress", args=[run.id])).json()["finished"] is True


def test_the_billing_process_gets_the_same_database_with_its_options(monkeypatch):
    """The environment's DATABASE_URL (password, port, sslmode kept) with the name this process uses."""
    from types import SimpleNamespace

    monkeypatch.setenv("DATABASE_URL", "postgres://urja:p%40ss@db.example:6432/urja?sslmode=require")
    monkeypatch.setattr(
        runs, "connection", SimpleNamespace(vendor="postgresql", settings_dict={"NAME": "test_urja"})
    )
    assert runs._database_url() == "postgres://urja:p%40ss@db.example:6432/test_urja?sslmode=require"
    monkeypatch.setattr(
        runs,
        "connection",
        SimpleNamespace(vendor="sqlite", settings_dict={"NAME": "/srv/urja/var/urja.sqlite3"}),
    )
    assert runs._database_url() == "sqlite:////srv/urja/var/urja.sqlite3"


def test_a_second_start_while_a_run_is_going_is_refused_in_the_users_language(as_user, two_subdivisions):
    going = runs.bill_run_create(cycle_code="2026-07", office=two_subdivisions["sub_a"])
    BillRun.objects.filter(pk=going.pk).update(status="running")
    client = as_user(two_subdivisions["sdo_a"])
    form = {"cycle": "2026-07", "office": two_subdivisions["sub_a"].id}
    response = client.post(reverse("staff:bill_runs"), form, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400 and BillRun.objects.count() == 1
    assert f"Bill run {going.pk} of 2026-07 is still going" in response.content.decode()
    hindi = client.post(reverse("staff:bill_runs"), form, HTTP_ACCEPT_LANGUAGE="hi").content.decode()
    assert f"बिल रन {going.pk}" in hindi and "is still going" not in hindi
