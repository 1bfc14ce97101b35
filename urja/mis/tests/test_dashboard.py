"""The command centre's figures against a hand-built division (today 28 July 2025, figures for July).

DT A1 (feeder FA, sub-division SDA): input 500; bill 300 kWh, Rs 2,000 (1,500 + 500 subsidy) issued
today; paid 1,000 (10th) and 100 (25th, bounced on the 26th); June bill Rs 9,999 unpaid.
DT A2 (FA): input 400; bill 100 kWh, Rs 1,000; paid 1,200 (CE above 100%). Feeder FA: input 1,000.
DT B1 / feeder FB (SDB, an unmetered-category consumer): input 700 / 800; 200 kWh, Rs 1,500, paid.
One consumer of SDA on no DT: Rs 400 billed, paid (in the money figures, not the energy ones).
"""

import datetime
from decimal import Decimal as D

import pytest

from urja.billing.models import Bill, BillCycle, BillRun
from urja.common.errors import NotFound
from urja.energyaudit.models import InputEnergy
from urja.energyaudit.selectors import feeder_audit, office_audit
from urja.helpdesk.models import Category, Ticket
from urja.ledger import services as ledger
from urja.ledger.choices import EntryType
from urja.mis import dashboard as ucc
from urja.org.choices import OfficeLevel, Role
from urja.testing import (
    ConsumerFactory,
    FeederFactory,
    TransformerFactory,
    UserFactory,
    office_chain,
    posted_bill,
)
from urja.workflow.models import WorkItem

pytestmark = pytest.mark.clock("2025-07-28T12:00:00+05:30")

JULY = datetime.date(2025, 7, 1)
TODAY = datetime.date(2025, 7, 28)


def make_bill(consumer, period, *, units, charges, subsidy="0", status="issued") -> Bill:
    """An issued bill posted to the ledger the way billing posts it (``urja.testing.posted_bill``)."""
    return posted_bill(consumer, period, units=units, charges=charges, subsidy=subsidy, status=status)


def pay(consumer, amount, day):
    return ledger.entry_post(
        consumer=consumer,
        entry_type=EntryType.PAYMENT,
        amount=-D(amount),
        entry_date=day,
        description="payment",
    )


def build_division():
    """The division above, returned as a dict of its offices, feeders, DTs and consumers."""
    chain = office_chain("EA", down_to=OfficeLevel.SUBDIVISION)
    division, sda = chain[OfficeLevel.DIVISION], chain[OfficeLevel.SUBDIVISION]
    sdb = office_chain("EB", parent=division, down_to=OfficeLevel.SUBDIVISION)[OfficeLevel.SUBDIVISION]
    fa, fb = FeederFactory(code="FA", office=sda), FeederFactory(code="FB", office=sdb)
    a1 = TransformerFactory(code="A1", feeder=fa, office=sda)
    a2 = TransformerFactory(code="A2", feeder=fa, office=sda)
    b1 = TransformerFactory(code="B1", feeder=fb, office=sdb)
    c = {
        "a1": ConsumerFactory(office=sda, dt=a1),
        "a2": ConsumerFactory(office=sda, dt=a2),
        "b1": ConsumerFactory(office=sdb, dt=b1, category="LMV1-RURAL-UM"),
        "loose": ConsumerFactory(office=sda, dt=None),
    }
    for kwargs, kwh in (({"feeder": fa}, "1000"), ({"feeder": fb}, "800"), ({"dt": a1}, "500"),
                        ({"dt": a2}, "400"), ({"dt": b1}, "700")):  # fmt: skip
        InputEnergy.objects.create(period="2025-07", kwh=D(kwh), **kwargs)
    InputEnergy.objects.create(period="2025-06", kwh=D("20000"), feeder=fa)
    make_bill(c["a1"], "2025-07", units="300", charges="2000", subsidy="500")
    make_bill(c["a2"], "2025-07", units="100", charges="1000")
    make_bill(c["b1"], "2025-07", units="200", charges="1500")
    make_bill(c["loose"], "2025-07", units="50", charges="400")
    make_bill(c["a1"], "2025-06", units="9999", charges="9999")
    make_bill(c["a2"], "2025-08", units="999", charges="9999", status="held")  # held: never counted
    pay(c["a1"], "1000", JULY.replace(day=10))
    pay(c["a2"], "1200", JULY.replace(day=15))
    pay(c["b1"], "1500", JULY.replace(day=20))
    pay(c["loose"], "400", JULY.replace(day=20))
    bounced = pay(c["a1"], "100", JULY.replace(day=25))
    ledger.entry_reverse(entry=bounced, by=None, reason="cheque bounced", entry_date=JULY.replace(day=26))
    return {"discom": chain[OfficeLevel.DISCOM], "division": division, "sda": sda, "sdb": sdb,
            "fa": fa, "fb": fb, "a1": a1, "a2": a2, "b1": b1, **{f"c_{k}": v for k, v in c.items()}}  # fmt: skip


@pytest.fixture
def division(db):
    return build_division()


@pytest.fixture
def manager(division):
    return UserFactory(username="md", role=Role.MANAGEMENT, office=division["discom"])


def test_energy_kpis_are_the_energy_audits(division, manager):
    data = ucc.dashboard(ucc.place_for(manager, office="EA-DIV"), period="2025-07")
    # 1,800 in, 600 billed (BE 1/3), 4,200 of 4,500 collected (CE 14/15): AT&C 31/45.
    assert data["energy"]["billing_efficiency"] == "33.33"
    assert data["energy"]["collection_efficiency"] == "93.33"
    assert data["energy"]["atc_loss_pct"] == "68.89"
    assert data["trend"]["months"][-1] == "2025-07" and len(data["trend"]["months"]) == 12
    assert data["trend"]["atc_loss_pct"][-1] == 68.89
    assert data["trend"]["atc_loss_pct"][0] is None  # August 2024: nothing in, nothing billed


def test_monthly_series_equals_office_audit_each_month(division, manager):
    place = ucc.place_for(manager, office="EA-SUB")
    series = ucc.monthly_series(place, ("2025-06", "2025-07"))
    for month in ("2025-06", "2025-07"):
        expected = office_audit(office=division["sda"], period=month).figures
        got = series[month]
        assert (got.input_kwh, got.billed_kwh, got.billed_amount, got.collected_amount, got.atc_loss_pct) == (
            expected.input_kwh, expected.billed_kwh, expected.billed_amount, expected.collected_amount,
            expected.atc_loss_pct,
        )  # fmt: skip


def test_money_today_month_and_year(division, manager):
    data = ucc.dashboard(ucc.place_for(manager, office="EA-DIV"), period="2025-07")
    assert data["revenue"] == {
        "billed_today": "4900.00", "billed_month": "4900.00", "billed_year": "14899.00",
        # today: the subsidy credited with A1's bill; the month: 4,100 paid + 500 subsidy (bounce netted)
        "collected_today": "500.00", "collected_month": "4600.00", "collected_year": "4600.00",
    }  # fmt: skip
    # A1 owes June's 9,999 and 2,000 − 500 − 1,000 of July; A2 is in credit (never offsets).
    assert data["arrears"] == "10499.00"
    assert data["unmetered"] == {"count": 1, "of": 4, "pct": "25.00"}


def test_work_counts(division, manager):
    now = datetime.datetime(2025, 7, 28, 6, 30, tzinfo=datetime.UTC)
    category = Category.objects.create(code="NS", name_en="No supply", name_hi="बिजली नहीं", sla_hours=4)
    for n, due in enumerate((now - datetime.timedelta(hours=1), now + datetime.timedelta(hours=1))):
        Ticket.objects.create(number=f"T{n}", category=category, channel="call", office=division["sda"],
                              status="open", filed_at=now, due_at=due, level_due_at=due)  # fmt: skip
    WorkItem.objects.create(reference="W1", definition_code="new_connection", definition_version=1,
                            office=division["sdb"], state="survey", state_entered_at=now,
                            due_at=now - datetime.timedelta(days=1), opened_at=now)  # fmt: skip
    cycle = BillCycle.objects.create(code="2025-07", period_start=JULY, period_end=TODAY, issue_date=TODAY,
                                     due_date=TODAY + datetime.timedelta(days=15))  # fmt: skip
    BillRun.objects.create(cycle=cycle, office=division["discom"], status="running")  # above: covers it
    BillRun.objects.create(cycle=cycle, office=division["sdb"], status="done")
    data = ucc.dashboard(ucc.place_for(manager, office="EA-SUB"), period="2025-07")
    assert data["work"] == {"complaints_open": 2, "complaints_breached": 1, "applications_past_sla": 0,
                            "bill_runs": 1}  # fmt: skip
    data = ucc.dashboard(ucc.place_for(manager, office="EA-DIV"), period="2025-07")
    assert data["work"]["applications_past_sla"] == 1


def test_children_league_and_heat_map(division, manager):
    data = ucc.dashboard(ucc.place_for(manager, office="EA-DIV"), period="2025-07")
    # SDA: 1,000 in, 400 billed, 2,700 of 3,000 (64%); SDB: 800 in, 200, 1,500 of 1,500 (75%)
    assert [(r["code"], r["atc_loss_pct"]) for r in data["children"]] == [
        ("EB-SUB", "75.00"),
        ("EA-SUB", "64.00"),
    ]
    assert [r["code"] for r in data["league"]] == ["EB-SUB", "EA-SUB"]
    heat = data["heat_map"]
    assert heat["level"] == "feeder" and heat["months"][-1] == "2025-07"
    fa = next(r for r in heat["rows"] if r["code"] == "FA")
    assert fa["cells"][-1] == "60.00" and fa["cells"][-2] == "50.01"  # June: 20,000 in, 9,999 billed
    assert fa["cells"][0] is None

    sub = ucc.dashboard(ucc.place_for(manager, office="EA-SUB"), period="2025-07")
    assert [(r["level"], r["code"], r["atc_loss_pct"]) for r in sub["children"]] == [
        ("feeder", "FA", "64.00")
    ]
    assert sub["league"] == []
    feeder = ucc.dashboard(ucc.place_for(manager, feeder="FA"), period="2025-07")
    expected = feeder_audit(feeder=division["fa"], period="2025-07").figures
    assert feeder["energy"]["atc_loss_pct"] == str(expected.atc_loss_pct) == "64.00"
    assert [(r["code"], r["atc_loss_pct"]) for r in feeder["children"]] == [("A2", "70.00"), ("A1", "55.00")]
    assert feeder["work"] is None
    dt = ucc.dashboard(ucc.place_for(manager, dt="A1"), period="2025-07")
    assert dt["energy"]["atc_loss_pct"] == "55.00" and dt["children"] == [] and dt["heat_map"] is None
    assert [t["code"] for t in dt["trail"]] == ["EA-DIS", "EA-ZON", "EA-CIR", "EA-DIV", "EA-SUB", "FA"]


def test_a_gap_is_a_reason_not_zero(division, manager):
    InputEnergy.objects.filter(feeder=division["fb"]).delete()
    data = ucc.dashboard(ucc.place_for(manager, feeder="FB"), period="2025-07")
    assert data["energy"]["atc_loss_pct"] is None and "no_input" in data["energy"]["gaps"]


def test_scope(division):
    sdo = UserFactory(username="sdo", role=Role.SDO, office=division["sda"])
    assert ucc.place_for(sdo).code == "EA-SUB"
    assert [t["code"] for t in ucc.dashboard(ucc.place_for(sdo, dt="A1"), period="2025-07")["trail"]] == [
        "EA-SUB",
        "FA",
    ]
    for asked in (
        {"office": "EA-DIV"},
        {"office": "EB-SUB"},
        {"feeder": "FB"},
        {"dt": "B1"},
        {"office": "NOPE"},
    ):
        with pytest.raises(NotFound):
            ucc.place_for(sdo, **asked)


def test_state_is_every_discom(division):
    admin = UserFactory(username="root", role=Role.SYSTEM_ADMIN, office=None)
    place = ucc.place_for(admin)
    assert place.level == "state"
    data = ucc.dashboard(place, period="2025-07")
    assert data["energy"]["atc_loss_pct"] == "68.89"
    assert [r["code"] for r in data["children"]] == ["EA-DIS"]
    assert [r["code"] for r in data["league"]] == ["EB-SUB", "EA-SUB"]


def test_first_load_queries_do_not_grow_with_offices_or_feeders(division, manager):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def count():
        with CaptureQueriesContext(connection) as queries:
            ucc.dashboard(ucc.place_for(manager, office="EA-DIS"), period="2025-07")
        return len(queries)

    before = count()
    for n in range(4):
        sub = office_chain(f"X{n}", parent=division["division"], down_to=OfficeLevel.SUBDIVISION)
        feeder = FeederFactory(code=f"XF{n}", office=sub[OfficeLevel.SUBDIVISION])
        InputEnergy.objects.create(period="2025-07", kwh=D("100"), feeder=feeder)
    assert count() == before
    # One snapshot for the headline, the children and the league (8: feeders, DTs, bills, collections
    # (2), input (2), unindexed), the offices below and the sub-divisions (2), the trend (3), the heat
    # map, money (5), arrears and the current month's refresh, work, the roll-up's refresh times …
    # (the trend's and the money's collections are two queries each: credits, and their reversals)
    assert before <= 29


def test_billed_this_month_is_what_was_issued_this_month(division, manager):
    """June's bill issued on 5 July is July's billing: "today" is part of "this month", never more."""
    bill = make_bill(division["c_b1"], "2025-06", units="10", charges="700")
    Bill.objects.filter(pk=bill.pk).update(issue_date=datetime.date(2025, 7, 5))
    money = ucc.dashboard(ucc.place_for(manager, office="EA-DIV"), period="2025-07")["revenue"]
    assert money["billed_month"] == "5600.00"  # 4,900 issued on the 28th + June's 700 issued on the 5th
    assert D(money["billed_today"]) <= D(money["billed_month"]) <= D(money["billed_year"])
