"""The energy audit read from the monthly roll-up (docs/energy-audit.md, "Monthly roll-up"): for a
month, quarter or year whose every month has ended and been refreshed after it ended and after the
last posting into it, ``office_audit`` (the AT&C report, `urja atc`) sums the roll-up and says as of
when; otherwise, or with ``live``, it sums bills and ledger. Every figure equals the live one."""

import datetime
import json
from decimal import Decimal as D

import pytest
from django.core.management import call_command

from urja.energyaudit.models import MonthlyRollup, RollupRefresh
from urja.energyaudit.selectors import office_audit, rolled_months
from urja.energyaudit.services import rollup_periods, rollup_refresh
from urja.ledger import services as ledger
from urja.ledger.choices import EntryType
from urja.mis.tests.test_dashboard import build_division, make_bill, pay
from urja.org.models import Office

pytestmark = pytest.mark.clock("2025-10-10T12:00:00+05:30")

OFFICES = ("EA-DIS", "EA-DIV", "EA-SUB", "EA-SDA", "EA-SDB")


@pytest.fixture
def division(db):
    d = build_division()
    for period in ("2025-08", "2025-09"):  # the unindexed consumer billed in each month of the quarter
        make_bill(d["c_loose"], period, units="5", charges="40")
        make_bill(d["c_b1"], period, units="20", charges="150")
    pay(d["c_b1"], "150", datetime.date(2025, 9, 3))
    return d


def audits(live=False):
    out = {}
    for code in OFFICES:
        office = Office.objects.filter(code=code).first()
        if office is None:
            continue
        for period in ("2025-07", "2025-09", "2025-Q2", "FY2025"):
            a = office_audit(office=office, period=period, live=live)
            out[(code, period)] = {k: v for k, v in a.as_dict().items() if k != "as_of"}
    return out


def test_rolled_up_audit_equals_live_month_quarter_and_year(division):
    live = audits()
    assert rolled_months(["2025-07"]) == {}
    rollup_refresh(periods=rollup_periods(months=12))
    assert set(rolled_months(["2025-07", "2025-08", "2025-09", "2025-10"])) == {
        "2025-07",
        "2025-08",
        "2025-09",
    }
    assert audits() == live
    quarter = office_audit(office=Office.objects.get(code="EA-DIV"), period="2025-Q2")
    assert quarter.as_of is not None  # July to September: read from the roll-up
    assert quarter.unindexed_consumers == 1  # one consumer billed three times counts once
    year = office_audit(office=Office.objects.get(code="EA-DIV"), period="FY2025")
    assert year.as_of is None  # October is not over: the year is read live
    assert audits(live=True) == live


def test_the_rollup_is_what_is_read_and_live_reads_bills(division):
    rollup_refresh(periods=["2025-09"])
    MonthlyRollup.objects.filter(period="2025-09", dt=division["b1"]).update(billed_kwh=D("0"))
    office = Office.objects.get(code="EA-DIV")
    assert office_audit(office=office, period="2025-09").figures.billed_kwh == D("0.00")
    assert office_audit(office=office, period="2025-09", live=True).figures.billed_kwh == D("20.00")


def test_a_posting_into_an_ended_month_makes_it_live_until_the_next_refresh(
    division, django_capture_on_commit_callbacks
):
    office = Office.objects.get(code="EA-DIV")
    rollup_refresh(periods=["2025-09"])
    before = office_audit(office=office, period="2025-09")
    assert before.as_of is not None
    with django_capture_on_commit_callbacks(execute=True):
        pay(division["c_a1"], "25", datetime.date(2025, 9, 30))  # back-dated into September
    assert RollupRefresh.objects.get(period="2025-09").touched_at is not None
    after = office_audit(office=office, period="2025-09")
    assert after.as_of is None  # live: the roll-up no longer holds every posting
    assert after.figures.collected_amount == before.figures.collected_amount + D("25")
    rollup_refresh(periods=["2025-09"])
    again = office_audit(office=office, period="2025-09")
    assert again.as_of is not None and again.figures == after.figures


def test_a_late_bill_touches_its_period_and_a_payment_today_touches_nothing(
    division, django_capture_on_commit_callbacks
):
    rollup_refresh(periods=["2025-08", "2025-09"])
    with django_capture_on_commit_callbacks(execute=True):
        pay(division["c_a1"], "10", datetime.date(2025, 10, 10))  # today: October, not ended
    assert set(rolled_months(["2025-08", "2025-09"])) == {"2025-08", "2025-09"}
    with django_capture_on_commit_callbacks(execute=True):
        # A bill for September posted on 10 October (a late bill of the month just ended).
        ledger.entry_post(
            consumer=division["c_a2"], entry_type=EntryType.BILL, amount=D("90"),
            entry_date=datetime.date(2025, 10, 10), period="2025-09", description="bill",
        )  # fmt: skip
    assert set(rolled_months(["2025-08", "2025-09"])) == {"2025-08"}


def test_a_touch_of_a_month_never_refreshed_distrusts_a_first_refresh_already_running(
    division, django_capture_on_commit_callbacks
):
    """A first refresh that started before a posting committed may not have seen it: it is not read."""
    from urja.common import clock
    from urja.energyaudit.services import rollup_touch

    started = clock.now()
    rollup_touch(["2025-06"])
    refresh = RollupRefresh.objects.get(period="2025-06")
    assert refresh.refreshed_at is None and refresh.touched_at >= started
    RollupRefresh.objects.filter(period="2025-06").update(refreshed_at=started)  # what that refresh writes
    assert rolled_months(["2025-06"]) == {}
    rollup_refresh(periods=["2025-06"])  # a later one is trusted
    assert set(rolled_months(["2025-06"])) == {"2025-06"}


def test_atc_command_says_as_of_and_computes_live_on_request(division, capsys):
    rollup_refresh(periods=["2025-09"])
    call_command("atc", "--office", "EA-DIV", "--period", "2025-09", "--json")
    rolled = json.loads(capsys.readouterr().out)
    assert rolled["as_of"].startswith("2025-10-10T12:0")
    call_command("atc", "--office", "EA-DIV", "--period", "2025-09", "--json", "--live")
    live = json.loads(capsys.readouterr().out)
    assert live["as_of"] is None
    assert {k: v for k, v in rolled.items() if k != "as_of"} == {
        k: v for k, v in live.items() if k != "as_of"
    }


def test_the_audit_page_says_as_of_and_links_to_live(division, client):
    from urja.org.choices import Role
    from urja.testing import UserFactory

    rollup_refresh(periods=["2025-09"])
    MonthlyRollup.objects.filter(period="2025-09", dt=division["b1"]).update(billed_kwh=D("0"))
    manager = UserFactory(username="md", role=Role.MANAGEMENT, office=division["discom"])
    client.force_login(manager)
    page = client.get("/staff/energy/?office=EA-DIV&period=2025-09").content.decode()
    from urja.staff.templatetags.urja_tags import moment

    shown = moment(RollupRefresh.objects.get(period="2025-09").refreshed_at)
    assert 'data-testid="audit-as-of"' in page and shown in page
    assert "?office=EA-DIV&amp;period=2025-09&live=1" in page or "period=2025-09&amp;live=1" in page
    live = client.get("/staff/energy/?office=EA-DIV&period=2025-09&live=1").content.decode()
    assert 'data-testid="audit-as-of"' not in live
    manager.preferred_language = "hi"
    manager.save(update_fields=["preferred_language"])
    client.cookies["django_language"] = "hi"
    hindi = client.get(
        "/staff/energy/?office=EA-DIV&period=2025-09", HTTP_ACCEPT_LANGUAGE="hi"
    ).content.decode()
    assert "मासिक सारांश" in hindi and "अभी बिलों और खाता-बही से गणना करें" in hindi
