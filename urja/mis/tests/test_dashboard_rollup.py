"""The command centre read from the monthly roll-up (docs/energy-audit.md, "Monthly roll-up"): the
division of test_dashboard.py seen on 10 August 2025, when July has ended; every figure must equal the
live computation (no roll-up), the current month stays live, and a month never rolled up is read live."""

import datetime
from decimal import Decimal as D

import pytest
from django.core.management import call_command
from django.db.models import Sum

from urja.common import clock
from urja.energyaudit.models import MonthlyRollup, RollupRefresh
from urja.energyaudit.services import rollup_periods, rollup_refresh
from urja.mis import dashboard as ucc
from urja.org.choices import Role
from urja.testing import ConsumerFactory, UserFactory

from .test_dashboard import build_division, make_bill, pay

pytestmark = pytest.mark.clock("2025-08-10T12:00:00+05:30")

PLACES = ({"office": "EA-DIS"}, {"office": "EA-DIV"}, {"office": "EA-SUB"}, {"feeder": "FA"}, {"dt": "A1"})


@pytest.fixture
def division(db):
    d = build_division()
    make_bill(d["c_a1"], "2025-08", units="10", charges="80")  # issued 28 August: the current month
    pay(d["c_a2"], "70", datetime.date(2025, 8, 5))
    return d


@pytest.fixture
def manager(division):
    return UserFactory(username="md", role=Role.MANAGEMENT, office=division["discom"])


def figures(manager):
    out = {}
    for asked in PLACES:
        place = ucc.place_for(manager, **asked)
        data = ucc.dashboard(place, period="2025-07")
        data.pop("updated_at")
        data.pop("monthly_as_of")
        data.pop("monthly_as_of_text")
        data.pop("arrears_as_of")
        data.pop("arrears_as_of_text")
        series = ucc.monthly_series(place, ucc.trailing_months("2025-08"))
        out[tuple(asked.items())] = (data, series)
    return out


def test_rolled_up_dashboard_equals_live(division, manager):
    live = figures(manager)
    assert ucc.dashboard(ucc.place_for(manager, office="EA-DIV"))["monthly_as_of"] is None
    written = rollup_refresh(periods=rollup_periods(months=13))
    assert written["2025-07"] == 4  # A1, A2, B1 and the unindexed consumer of SDA
    assert MonthlyRollup.objects.filter(period="2025-07", dt__isnull=True).get().billed_amount == D("400.00")
    assert figures(manager) == live
    data = ucc.dashboard(ucc.place_for(manager, office="EA-DIV"))
    oldest = min(RollupRefresh.objects.filter(period__lt="2025-08").values_list("refreshed_at", flat=True))
    assert data["monthly_as_of"] == clock.localtime(oldest).isoformat(timespec="seconds")
    assert data["monthly_as_of"].startswith("2025-08-10T12:0")  # the clock runs on from 12:00 in a test
    assert data["revenue"]["billed_year"] == "14979.00"  # April to August: June, July and August's 80


def test_rollup_is_read_not_the_bills(division, manager):
    """Proof the roll-up is what is read for an ended month (a doctored row shows), not for August."""
    rollup_refresh(periods=["2025-07", "2025-08"])
    MonthlyRollup.objects.filter(period="2025-07", dt=division["a1"]).update(billed_kwh=D("0"))
    MonthlyRollup.objects.filter(period="2025-08").update(billed_kwh=D("0"), collected=D("0"))
    series = ucc.monthly_series(ucc.place_for(manager, dt="A1"), ("2025-07", "2025-08"))
    assert series["2025-07"].billed_kwh == D("0.00")
    assert series["2025-08"].billed_kwh == D("10.00")  # the current month: live


def test_payment_after_the_refresh_shows_in_the_current_month(division, manager):
    rollup_refresh(periods=rollup_periods(months=13))
    pay(division["c_b1"], "33", datetime.date(2025, 8, 10))
    money = ucc.revenue(ucc.place_for(manager, office="EA-DIV"), datetime.date(2025, 8, 10))
    assert money["collected_today"] == D("33.00")
    assert money["collected_month"] == D("103.00")
    assert money["collected_year"] == D("4703.00")  # July's 4,600 (roll-up) and August's 103 (live)


def test_a_period_never_rolled_up_is_read_live(division, manager):
    rollup_refresh(periods=["2025-06"])
    MonthlyRollup.objects.update(billed_kwh=D("0"))
    series = ucc.monthly_series(ucc.place_for(manager, office="EA-SUB"), ("2025-06", "2025-07"))
    assert series["2025-06"].billed_kwh == D("0.00")  # rolled up
    assert series["2025-07"].billed_kwh == D("400.00")  # never rolled up: live


@pytest.mark.clock("2025-07-28T12:00:00+05:30")
def test_a_refresh_before_the_month_ended_is_not_used(division, manager):
    rollup_refresh(periods=["2025-07"])  # 28 July: July still open
    MonthlyRollup.objects.update(billed_kwh=D("0"))
    assert ucc.rolled_months(["2025-07"]) == {}


def test_refresh_replaces_the_periods_rows(division):
    rollup_refresh(periods=["2025-07"])
    first = RollupRefresh.objects.get(period="2025-07").refreshed_at
    neighbour = ConsumerFactory(office=division["sdb"], dt=division["b1"])
    make_bill(neighbour, "2025-07", units="1", charges="1")
    rollup_refresh(periods=["2025-07"])
    assert MonthlyRollup.objects.filter(period="2025-07").count() == 4
    row = MonthlyRollup.objects.get(period="2025-07", dt=division["b1"])
    assert (row.bills, row.billed_kwh) == (2, D("201.00"))
    assert RollupRefresh.objects.get(period="2025-07").refreshed_at >= first
    with pytest.raises(ValueError):
        rollup_refresh(periods=["2025-13"])


def test_the_command(division, capsys):
    call_command("energy", "rollup", "--period", "2025-07")
    assert "2025-07: 4 roll-up rows" in capsys.readouterr().out
    call_command("energy", "rollup", "--months", "3")
    assert set(RollupRefresh.objects.values_list("period", flat=True)) == {"2025-06", "2025-07", "2025-08"}


def test_the_page_says_as_of_when(division, manager, client):
    rollup_refresh(periods=["2025-07"])
    client.force_login(manager)
    page = client.get("/staff/ucc/?office=EA-DIV")
    assert page.status_code == 200
    assert "10-08-2025 12:00" in page.content.decode()


def test_the_ended_months_audit_is_read_from_the_rollup(division, manager):
    """The headline, children and league of an ended, rolled-up month come from the roll-up (a doctored
    row shows); a month whose refresh ran before it ended is read live."""
    place = ucc.place_for(manager, office="EA-DIV")
    live = ucc.dashboard(place, period="2025-07")
    rollup_refresh(periods=["2025-07"])
    MonthlyRollup.objects.filter(period="2025-07", dt=division["a1"]).update(billed_kwh=D("0"))
    data = ucc.dashboard(place, period="2025-07")
    assert D(data["energy"]["billed_kwh"]) == D(live["energy"]["billed_kwh"]) - D("300")
    feeder = ucc.dashboard(ucc.place_for(manager, feeder="FA"), period="2025-07")
    assert [r["billed_kwh"] for r in feeder["children"] if r["code"] == "A1"] == ["0.00"]
    # The unindexed consumer's bill is counted from the roll-up's unindexed rows (bills, one each).
    assert data["energy"]["gaps"] == live["energy"]["gaps"]
    assert "unindexed_consumers" in data["energy"]["gaps"]


@pytest.mark.clock("2025-07-31T12:00:00+05:30")
def test_a_snapshot_before_the_month_ended_is_read_live(division, manager):
    rollup_refresh(periods=["2025-07"])
    MonthlyRollup.objects.update(billed_kwh=D("0"))
    data = ucc.dashboard(ucc.place_for(manager, office="EA-DIV"), period="2025-07")
    assert data["energy"]["billed_kwh"] == "600.00"  # live: 300 + 100 + 200 (the unindexed 50 is a gap)


def test_arrears_from_a_fresh_rollup_then_live_when_stale(division, manager, settings):
    """Arrears are the current month's roll-up's while its refresh is fresh, with its time on the card;
    live once it is older than URJA_ROLLUP_FRESH_MINUTES; equal to the live sum when nothing moved."""
    place = ucc.place_for(manager, office="EA-DIV")
    live = ucc.dashboard(place)
    assert live["arrears_as_of"] is None
    rollup_refresh(periods=["2025-08"])
    rolled = ucc.dashboard(place)
    assert rolled["arrears"] == live["arrears"]
    assert rolled["arrears_as_of"].startswith("2025-08-10T12:0")
    MonthlyRollup.objects.filter(period="2025-08").update(arrears=D("1"))
    rows = MonthlyRollup.objects.filter(period="2025-08").count()
    assert ucc.dashboard(place)["arrears"] == f"{rows}.00"  # read from the roll-up
    for where in ({"feeder": "FA"}, {"dt": "A1"}):
        assert ucc.dashboard(ucc.place_for(manager, **where))["arrears_as_of"] is not None
    settings.URJA_ROLLUP_FRESH_MINUTES = 0
    assert ucc.dashboard(place)["arrears"] == live["arrears"]  # stale: live again
    assert ucc.dashboard(place)["arrears_as_of"] is None


def test_rollup_arrears_by_group_are_positive_balances_at_month_end(division):
    """A consumer in credit offsets nobody; entries after the month's end are not in its arrears."""
    from urja.ledger.models import LedgerEntry

    rollup_refresh(periods=["2025-07"])
    for row in MonthlyRollup.objects.filter(period="2025-07"):
        consumers = (
            LedgerEntry.objects.filter(consumer__office_id=row.office_id, consumer__dt_id=row.dt_id)
            .filter(entry_date__lte=datetime.date(2025, 7, 31))
            .values("consumer_id")
            .annotate(balance=Sum("amount"))
        )
        expected = sum((c["balance"] for c in consumers if c["balance"] > 0), D("0"))
        assert row.arrears == expected.quantize(D("0.01")), row
    a2 = MonthlyRollup.objects.get(period="2025-07", dt=division["a2"])
    assert a2.arrears == D("0.00")  # paid 1,200 against a 1,000 bill: in credit
    before = MonthlyRollup.objects.get(period="2025-07", dt=division["a1"]).arrears
    assert before > 0
    pay(division["c_a1"], str(before), datetime.date(2025, 8, 2))  # August: not July's business
    rollup_refresh(periods=["2025-07", "2025-08"])
    assert MonthlyRollup.objects.get(period="2025-07", dt=division["a1"]).arrears == before
    assert MonthlyRollup.objects.get(period="2025-08", dt=division["a1"]).arrears == D("0.00")


def test_the_arrears_card_says_as_of_when(division, manager, client):
    rollup_refresh(periods=["2025-08"])
    client.force_login(manager)
    page = client.get("/staff/ucc/?office=EA-DIV").content.decode()
    card = page.split('data-testid="kpi-arrears"', 1)[1].split("</li>", 1)[0]
    assert "as of 10-08-2025 12:0" in card
    manager.preferred_language = "hi"
    manager.save(update_fields=["preferred_language"])
    client.cookies["django_language"] = "hi"
    page = client.get("/staff/ucc/?office=EA-DIV", HTTP_ACCEPT_LANGUAGE="hi").content.decode()
    card = page.split('data-testid="kpi-arrears"', 1)[1].split("</li>", 1)[0]
    assert "10-08-2025 12:0" in card and "तक" in card
    assert "as of" not in card
