"""AT&C figures at DT, feeder and office level, against hand-computed fixtures (July 2025).

DT A1: input 500, billed 300 kWh, Rs 2,000 (1,500 + 500 subsidy); collected 1,000 + 500 subsidy
DT A2: input 400, billed 100 kWh, Rs 1,000; collected 1,200 (arrears come in: CE 120%)
feeder FA (A1, A2): input 1,000;  DT B1 / feeder FB: input 700 / 800, billed 200 kWh, Rs 1,500, paid
one unindexed consumer in SDA: 50 kWh, Rs 400, paid 400 (a gap, not counted)
"""

import datetime
from decimal import Decimal as D

import pytest

from urja.common.errors import NotFound
from urja.energyaudit.models import InputEnergy
from urja.energyaudit.selectors import dt_audit, feeder_audit, office_audit, office_audit_for_user
from urja.ledger import services as ledger
from urja.ledger.choices import EntryType
from urja.ledger.models import LedgerEntry
from urja.org.choices import Role
from urja.testing import UserFactory

from .conftest import make_bill, pay

JULY = datetime.date(2025, 7, 1)


@pytest.fixture
def july(network, consumers):
    n, c = network, consumers
    for kwargs, kwh in (
        ({"feeder": n["fa"]}, "1000"),
        ({"feeder": n["fb"]}, "800"),
        ({"dt": n["a1"]}, "500"),
        ({"dt": n["a2"]}, "400"),
        ({"dt": n["b1"]}, "700"),
    ):
        InputEnergy.objects.create(period="2025-07", kwh=D(kwh), **kwargs)
    make_bill(c["a1"], "2025-07", units="300", charges="2000", subsidy="500")
    make_bill(c["a2"], "2025-07", units="100", charges="1000")
    make_bill(c["b1"], "2025-07", units="200", charges="1500")
    make_bill(c["loose"], "2025-07", units="50", charges="400")
    make_bill(c["a1"], "2025-06", units="999", charges="9999")  # another month: not counted
    make_bill(c["a2"], "2025-08", units="999", charges="9999", status="held")  # held: never counted
    pay(c["a1"], "1000", JULY.replace(day=10))
    pay(c["a2"], "1200", JULY.replace(day=15))
    pay(c["b1"], "1500", JULY.replace(day=20))
    pay(c["loose"], "400", JULY.replace(day=20))
    pay(c["a1"], "300", datetime.date(2025, 8, 2))  # next month
    bounced = pay(c["a1"], "100", JULY.replace(day=25))
    ledger.entry_reverse(entry=bounced, by=None, reason="cheque bounced", entry_date=JULY.replace(day=26))
    return n


def figures(result):
    f = result.figures
    return {
        "input": f.input_kwh, "billed_kwh": f.billed_kwh, "billed": f.billed_amount, "collected": f.collected_amount,
        "be": f.billing_efficiency, "ce": f.collection_efficiency, "atc": f.atc_loss_pct, "td": f.td_loss_pct,
        "gaps": f.gaps,
    }  # fmt: skip


def test_dt_level(july):
    assert figures(dt_audit(dt=july["a1"], period="2025-07")) == {
        "input": D("500"), "billed_kwh": D("300"), "billed": D("2000"), "collected": D("1500"),
        "be": D("60.00"), "ce": D("75.00"), "atc": D("55.00"), "td": D("40.00"), "gaps": (),
    }  # fmt: skip
    a2 = figures(dt_audit(dt=july["a2"], period="2025-07"))
    assert (a2["be"], a2["ce"], a2["atc"]) == (D("25.00"), D("120.00"), D("70.00"))


def test_feeder_level(july):
    assert figures(feeder_audit(feeder=july["fa"], period="2025-07")) == {
        "input": D("1000"), "billed_kwh": D("400"), "billed": D("3000"), "collected": D("2700"),
        "be": D("40.00"), "ce": D("90.00"), "atc": D("64.00"), "td": D("60.00"), "gaps": (),
    }  # fmt: skip


def test_office_level_counts_its_subtree_and_reports_unindexed_consumers(july):
    sda = office_audit(office=july["sda"], period="2025-07")
    assert figures(sda) == {
        "input": D("1000"), "billed_kwh": D("400"), "billed": D("3000"), "collected": D("2700"),
        "be": D("40.00"), "ce": D("90.00"), "atc": D("64.00"), "td": D("60.00"), "gaps": ("unindexed_consumers",),
    }  # fmt: skip
    assert sda.unindexed_consumers == 1
    sdb = figures(office_audit(office=july["sdb"], period="2025-07"))
    assert (sdb["input"], sdb["billed"], sdb["atc"], sdb["gaps"]) == (D("800"), D("1500"), D("75.00"), ())
    # The division: 1,800 in, 600 billed (BE 1/3), 4,200 of 4,500 collected (CE 14/15): AT&C 31/45.
    division = figures(office_audit(office=july["division"], period="2025-07"))
    assert (division["input"], division["billed_kwh"], division["billed"], division["collected"]) == (
        D("1800"), D("600"), D("4500"), D("4200")
    )  # fmt: skip
    assert (division["be"], division["ce"], division["atc"]) == (D("33.33"), D("93.33"), D("68.89"))


def test_an_office_does_not_see_a_sibling_subtree(july):
    sdb = office_audit(office=july["sdb"], period="2025-07")
    assert sdb.figures.billed_kwh == D("200") and sdb.unindexed_consumers == 0
    sdb_je = UserFactory(office=july["sdb"], role=Role.SDO)
    assert office_audit_for_user(user=sdb_je, office_code="EB-SUB", period="2025-07").code == "EB-SUB"
    with pytest.raises(NotFound):
        office_audit_for_user(user=sdb_je, office_code="EA-SUB", period="2025-07")
    with pytest.raises(NotFound):
        office_audit_for_user(user=sdb_je, office_code=july["division"].code, period="2025-07")
    with pytest.raises(NotFound):
        office_audit_for_user(user=sdb_je, office_code="NO-SUCH", period="2025-07")


def test_billed_amount_equals_the_bills_and_collected_the_ledger_credits(july, consumers):
    """Totals agree with the bills' and the ledger's own figures, counted independently here."""
    indexed = [c for key, c in consumers.items() if key != "loose"]
    result = office_audit(office=july["division"], period="2025-07")
    bills_total = sum(
        (bill.current_charges - bill.subsidy)
        for c in indexed
        for bill in c.bills.filter(status="issued", period="2025-07")
    )
    assert (
        result.figures.billed_amount
        == bills_total
        == sum(
            entry.amount
            for entry in LedgerEntry.objects.filter(
                entry_type=EntryType.BILL, period="2025-07", consumer__in=indexed
            )
        )
    )
    credits = D("0")
    for entry in LedgerEntry.objects.filter(consumer__in=indexed).select_related("reverses"):
        kind = entry.reverses.entry_type if entry.entry_type == EntryType.REVERSAL else entry.entry_type
        if kind in (EntryType.PAYMENT, EntryType.SUBSIDY) and entry.entry_date.strftime("%Y-%m") == "2025-07":
            credits -= entry.amount
    assert result.figures.collected_amount == credits == D("4200")


def test_a_quarter_with_missing_months_reports_unmetered_feeders(july):
    result = office_audit(office=july["division"], period="2025-Q2")
    assert result.unmetered_feeders == ("FA", "FB")
    assert "unmetered_feeder" in result.figures.gaps
    InputEnergy.objects.create(feeder=july["fa"], period="2025-08", kwh=D("900"))
    InputEnergy.objects.create(feeder=july["fa"], period="2025-09", kwh=D("900"))
    assert office_audit(office=july["sda"], period="2025-Q2").unmetered_feeders == ()
    dt = dt_audit(dt=july["a1"], period="2025-Q2")
    assert dt.unmetered_dts == ("A1",) and dt.figures.gaps == ("unmetered_dt",)


def test_no_input_is_a_gap_not_a_division_by_zero(network, consumers):
    make_bill(consumers["a1"], "2025-07", units="300", charges="2000")
    result = office_audit(office=network["sda"], period="2025-07")
    assert result.figures.input_kwh is None
    assert result.figures.atc_loss_pct is None and result.figures.billing_efficiency is None
    assert result.figures.collection_efficiency == D("0.00")
    assert "no_input" in result.figures.gaps and "unmetered_feeder" in result.figures.gaps
    assert result.as_dict()["atc_loss_pct"] is None


def test_nothing_at_all(network):
    result = office_audit(office=network["sdb"], period="FY2025-26")
    assert result.figures.gaps == ("unmetered_feeder", "no_input", "no_billed_amount")
    assert result.period.start == datetime.date(2025, 4, 1)


@pytest.mark.clock("2025-08-14T12:00:00+05:30")
def test_months_not_yet_ended_are_not_gaps(july):
    """On 14 August, July is the only month of the quarter that can have meter figures."""
    result = office_audit(office=july["division"], period="2025-Q2")
    assert result.unmetered_feeders == () and result.figures.gaps == ("unindexed_consumers",)
    assert dt_audit(dt=july["a1"], period="2025-Q2").figures.gaps == ()
    # The year's April to June have ended with no figure: those are gaps.
    assert dt_audit(dt=july["a1"], period="FY2025-26").unmetered_dts == ("A1",)


@pytest.mark.clock("2025-07-20T12:00:00+05:30")
def test_the_current_month_alone_is_not_a_gap(july):
    assert office_audit(office=july["sda"], period="2025-07").unmetered_feeders == ()
