"""MIS reports: each report's figures on a hand-built fixture, totals equal to the ledger's and the
bills' own, set-based reads (query counts), office scope on every page and export."""

import csv
import datetime
import io
from decimal import Decimal as D

import pytest
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape
from openpyxl import load_workbook

from urja.billing.models import Bill
from urja.common import clock
from urja.customers.choices import TariffCategory
from urja.helpdesk.models import Category, Ticket
from urja.ledger import services as ledger
from urja.ledger.choices import EntryType
from urja.ledger.models import LedgerEntry
from urja.metering.models import Reading
from urja.mis import reports as mis
from urja.mis import selectors
from urja.mis.selectors import Filters
from urja.org.choices import Role
from urja.payments.services import payment_cancel, payment_post
from urja.testing import ConsumerFactory, UserFactory, posted_bill
from urja.workflow.models import WorkItem

pytestmark = [pytest.mark.django_db, pytest.mark.clock("2026-11-15T10:00:00+05:30")]
SLUGS = list(mis.REPORTS)


def make_bill(consumer, period, *, units, charges, subsidy="0", status="issued", basis="MU", reading_status="OK",
              closing_reading=None):  # fmt: skip
    """A bill posted to the ledger the way billing posts it (``urja.testing.posted_bill``)."""
    return posted_bill(
        consumer, period, units=units, charges=charges, subsidy=subsidy, status=status, basis=basis,
        reading_status=reading_status, closing_reading=closing_reading,
    )  # fmt: skip


def reading(consumer, day, source):
    return Reading.objects.create(
        consumer=consumer, account_number=consumer.account_number, reading_date=day, status="NA",
        source=source,
    )  # fmt: skip


def pay(consumer, amount, day, channel="online", ref=None):
    return payment_post(
        consumer=consumer, amount=D(amount), channel=channel, source="test", reference=ref or f"R{amount}{day}",
        paid_at=clock.aware(datetime.datetime.combine(day, datetime.time(11))),
    ).payment  # fmt: skip


@pytest.fixture
def world(two_subdivisions):
    s = dict(two_subdivisions)
    s["a"] = s["consumer_a"]
    s["a2"] = ConsumerFactory(office=s["dc_a"], name="=HYPERLINK(1)", category=TariffCategory.LMV2_URBAN)
    s["b"] = s["consumer_b"]
    s["head"] = UserFactory(username="head", role=Role.EE, office=s["division"])
    s["cashier"] = UserFactory(username="cash", role=Role.CASHIER, office=s["division"])
    spot = reading(s["a"], datetime.date(2026, 10, 27), "spot")
    manual = reading(s["b"], datetime.date(2026, 10, 27), "manual")
    # Old dues: a's June bill (1000), part paid; b's October bill unpaid.
    make_bill(s["a"], "2026-06", units="200", charges="1000")
    make_bill(s["a"], "2026-10", units="100", charges="600", subsidy="100", closing_reading=spot)
    make_bill(s["a2"], "2026-10", units="50", charges="800", reading_status="IDF")
    make_bill(s["b"], "2026-10", units="300", charges="2000", closing_reading=manual)
    make_bill(s["b"], "2026-09", units="10", charges="99", status="cancelled")
    unmetered = ConsumerFactory(office=s["dc_b"], category=TariffCategory.LMV1_RURAL_UM)
    make_bill(unmetered, "2026-10", units="0", charges="300", basis="UM", reading_status="")
    s["unmetered"] = unmetered
    # A payment older than the posting window: its ledger row as the legacy import left it.
    ledger.entry_post(
        consumer=s["a"], entry_type=EntryType.PAYMENT, amount=D("-400"), entry_date=datetime.date(2026, 7, 5),
        description="payment", source_type="payment",
    )  # fmt: skip
    pay(s["a"], "250", datetime.date(2026, 10, 30))
    cancelled = pay(s["b"], "700", datetime.date(2026, 10, 31), channel="partner")
    payment_cancel(payment=cancelled, by=s["sdo_b"], reason="wrong account")  # reversal dated 15-11
    pay(s["b"], "1500", datetime.date(2026, 11, 3), channel="partner")
    return s


def run(slug, f, **kw):
    return mis.run(mis.REPORTS[slug], f, **kw)


def f_for(office=None, start="2026-10", end="2026-11", category=""):
    return Filters(office=office, period_from=start, period_to=end, category=category)


def test_billing_summary_equals_issued_bills_and_their_ledger_postings(world):
    result = run("billing", f_for())
    rows = {(r["office"].split()[0], r["category"]): r for r in result.rows}
    assert rows[("DC-A", "LMV1-URBAN")]["amount"] == D("500.00") and rows[("DC-A", "LMV1-URBAN")][
        "subsidy"
    ] == D("100.00")
    assert rows[("DC-A", "LMV2-URBAN")]["units"] == D("50.00")
    assert rows[("DC-B", "LMV1-URBAN")]["bills"] == 1  # the cancelled September bill is not counted
    issued = Bill.objects.filter(status="issued", period__gte="2026-10")
    assert result.totals["bills"] == issued.count() == 4
    assert result.totals["amount"] == sum(b.current_charges for b in issued) == D("3600.00")
    posted = LedgerEntry.objects.filter(source_type="bill", source_id__in=[b.pk for b in issued])
    assert result.totals["amount"] == sum(e.amount for e in posted)


def test_collection_is_ledger_payment_credits_less_reversals(world):
    f = f_for()
    by_channel = run("collection", f, options={"by": "channel"})
    net = {r["key"]: r["net"] for r in by_channel.rows}
    assert net == {"Online (gateway)": D("250.00"), "BBPS / bank / payment app": D("1500.00")}
    entries = LedgerEntry.objects.filter(
        source_type="payment",
        entry_date__gte=datetime.date(2026, 10, 1),
        entry_date__lte=datetime.date(2026, 11, 30),
    )
    assert by_channel.totals["net"] == -sum(e.amount for e in entries) == D("1750.00")
    assert by_channel.totals["received"] == D("2450.00") and by_channel.totals["reversals"] == D("700.00")
    for by in ("office", "day"):
        assert run("collection", f, options={"by": by}).totals["net"] == D("1750.00")
    days = {r["key"]: r["net"] for r in run("collection", f, options={"by": "day"}).rows}
    assert days[datetime.date(2026, 11, 15)] == D("-700.00")  # the cancellation, on the day it was booked


def test_ageing_buckets_sum_to_the_ledger_balance(world):
    result = run("ageing", f_for())  # as of today, 15-11-2026
    a = next(r for r in result.rows if r["office"].startswith("DC-A") and r["category"] == "LMV1-URBAN")
    # Credits 750 (payments 400 + 250, October's subsidy 100) settle the oldest first: of June's 1000
    # (due 13-07, 125 days) 250 is left; October's gross 600 (due 12-11) is 0-30 days.
    assert a["91-180"] == D("250.00") and a["0-30"] == D("600.00") and a["outstanding"] == D("850.00")
    total_ledger = sum(e.amount for e in LedgerEntry.objects.all())
    buckets = sum(result.totals[name] for name in selectors.BUCKET_NAMES)
    assert buckets == result.totals["outstanding"]
    assert result.totals["outstanding"] - result.totals["advance"] == result.totals["balance"] == total_ledger


def test_defaulters_above_threshold_and_age(world):
    rows = run("defaulters", f_for(), options={"threshold": D("100"), "overdue_days": 90}).rows
    assert [(r["account"], r["overdue"]) for r in rows] == [(world["a"].account_number, D("250.00"))]
    rows = run("defaulters", f_for(), options={"threshold": D("0"), "overdue_days": 0}).rows
    assert {r["account"] for r in rows} == {
        c.account_number for c in (world["a"], world["a2"], world["b"], world["unmetered"])
    }
    assert run("defaulters", f_for(), options={"threshold": D("5000"), "overdue_days": 0}).rows == []


def test_demand_against_collection_by_month(world):
    result = run("trend", f_for(start="2026-06", end="2026-11"))
    months = {r["month"]: r for r in result.rows}
    assert list(months) == ["2026-06", "2026-07", "2026-08", "2026-09", "2026-10", "2026-11"]
    assert months["2026-06"]["demand"] == D("1000.00") and months["2026-07"]["collection"] == D("400.00")
    assert months["2026-10"]["demand"] == D("3600.00") and months["2026-10"]["collection"] == D("950.00")
    assert months["2026-11"]["collection"] == D("800.00")  # 1500 received, 700 reversed
    assert result.totals["demand"] == D("4600.00") and result.totals["efficiency"] == D("46.7")  # 2150 / 4600


def test_meter_status_and_unmetered_share(world):
    rows = {r["status"]: r for r in run("meter-status", f_for()).rows}
    assert rows["OK"]["bills"] == 2 and rows["IDF"]["bills"] == 1 and rows["UM"]["bills"] == 1
    assert rows["UM"]["share"] == D("25.0")


def test_spot_billing_coverage(world):
    rows = {r["office"].split()[0]: r for r in run("spot-billing", f_for()).rows}
    assert (rows["DC-A"]["metered"], rows["DC-A"]["spot"], rows["DC-A"]["share"]) == (2, 1, D("50.0"))
    assert (rows["DC-B"]["bills"], rows["DC-B"]["metered"], rows["DC-B"]["spot"]) == (2, 1, 0)
    result = run("spot-billing", f_for())
    assert result.totals["share"] == D("33.3")


def test_revenue_per_unit_by_category(world):
    result = run("revenue-per-unit", f_for())
    rows = {r["category"]: r for r in result.rows}
    assert rows["LMV1-URBAN"]["units"] == D("400.00") and rows["LMV1-URBAN"]["per_unit"] == D("6.25")
    assert rows["LMV2-URBAN"]["per_unit"] == D("16.00")
    assert rows["LMV1-RURAL-UM"]["per_unit"] is None  # no units: no rate
    assert result.totals["per_unit"] == D("8.00")  # 3600 / 450


def _item(office, ref, *, opened, due, closed=None, code="new_connection"):
    return WorkItem.objects.create(
        reference=ref, definition_code=code, definition_version=1, office=office, state="x",
        state_entered_at=opened, opened_at=opened, total_due_at=due, closed_at=closed,
        outcome="done" if closed else "",
    )  # fmt: skip


def test_applications_against_sla(world):
    at = lambda d, h=10: clock.aware(datetime.datetime(2026, 11, d, h))  # noqa: E731
    _item(world["dc_a"], "NC-1", opened=at(1), due=at(8), closed=at(5))
    _item(world["dc_a"], "NC-2", opened=at(1), due=at(8), closed=at(10))
    _item(world["dc_a"], "NC-3", opened=at(2), due=at(9))
    _item(world["dc_a"], "NC-4", opened=at(2), due=at(30))
    _item(world["dc_b"], "NC-5", opened=at(2), due=at(3))
    result = run("applications", f_for(office=world["sub_a"]))
    (row,) = result.rows
    assert (row["opened"], row["closed_in_time"], row["closed_late"], row["open"], row["open_late"]) == (
        4,
        1,
        1,
        2,
        1,
    )
    assert row["breached"] == 2 and row["in_time_share"] == D("50.0")


def test_complaints_against_sla(world):
    cat = Category.objects.create(code="nosupply", name_en="No supply", name_hi="बिजली नहीं", sla_hours=4)
    at = lambda d, h=10: clock.aware(datetime.datetime(2026, 11, d, h))  # noqa: E731
    for n, (office, filed, resolved) in enumerate(
        [
            (world["dc_a"], at(1), at(1, 12)),
            (world["dc_a"], at(1), at(2)),
            (world["dc_a"], at(14), None),
            (world["dc_b"], at(3), None),
        ]
    ):
        Ticket.objects.create(
            number=f"T{n}", category=cat, channel="phone", office=office, description="x", filed_at=filed,
            due_at=filed + datetime.timedelta(hours=4), level_due_at=filed + datetime.timedelta(hours=4),
            resolved_at=resolved, status="resolved" if resolved else "open",
        )  # fmt: skip
    result = run("complaints", f_for())
    rows = {r["office"].split()[0]: r for r in result.rows}
    assert (rows["DC-A"]["closed_in_time"], rows["DC-A"]["closed_late"], rows["DC-A"]["open_late"]) == (
        1,
        1,
        1,
    )
    assert result.totals["opened"] == 4 and result.totals["breached"] == 3


def test_every_report_reads_in_a_fixed_number_of_queries(world, django_assert_max_num_queries):
    for n in range(5):  # more accounts, bills and payments must not mean more queries
        c = ConsumerFactory(office=world["dc_b"])
        make_bill(c, "2026-10", units="10", charges="100")
        pay(c, "50", datetime.date(2026, 11, 2), ref=f"X{n}")
    options = {"collection": {"by": "channel"}, "defaulters": {"threshold": D("0"), "overdue_days": 0}}
    for slug in SLUGS:
        with django_assert_max_num_queries(4):
            run(slug, f_for(), options=options.get(slug))


def test_category_filter(world):
    result = run("billing", f_for(category="LMV2-URBAN"))
    assert [r["category"] for r in result.rows] == ["LMV2-URBAN"] and result.totals["amount"] == D("800.00")


def test_sort_by_any_column_either_way(world):
    asc = run("billing", f_for(), sort="amount").rows
    desc = run("billing", f_for(), sort="-amount").rows
    assert [r["amount"] for r in asc] == sorted(r["amount"] for r in asc)
    assert [r["amount"] for r in desc] == sorted((r["amount"] for r in asc), reverse=True)
    assert run("billing", f_for(), sort="nonsense").sort == "office"


# --- pages and exports -----------------------------------------------------------------------------


def _url(slug, **params):
    from urllib.parse import urlencode

    return (
        reverse("reports:report", args=[slug])
        + "?"
        + urlencode({"period_from": "2026-06", "period_to": "2026-11", **params})
    )


def _csv(response):
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


def test_index_lists_every_report(client, world):
    client.force_login(world["sdo_a"])
    html = client.get(reverse("reports:index")).content.decode()
    for slug in SLUGS:
        assert reverse("reports:report", args=[slug]) in html


def test_reports_need_the_capability(client, world):
    client.force_login(world["cashier"])
    assert client.get(reverse("reports:index")).status_code == 403
    assert client.get(_url("billing")).status_code == 403


@pytest.mark.parametrize("slug", SLUGS)
def test_office_a_never_sees_b_on_the_page_or_in_the_export(client, world, slug):
    client.force_login(world["sdo_a"])
    page = client.get(_url(slug, threshold="0", overdue_days="0", by="office"))
    assert page.status_code == 200
    text = page.content.decode()
    assert "DC-B" not in text and "SUB-B" not in text and world["b"].account_number not in text
    assert '<option value="DC-A">' in text  # the office picker offers the user's subtree only
    for fmt in ("csv", "xlsx"):
        response = client.get(_url(slug, format=fmt, threshold="0", overdue_days="0", by="office"))
        assert response.status_code == 200
        if fmt == "csv":
            body = response.content.decode("utf-8-sig")
        else:
            ws = load_workbook(io.BytesIO(response.content)).active
            body = " ".join(str(c.value) for row in ws.iter_rows() for c in row)
        assert "DC-B" not in body and world["b"].account_number not in body
    # An office outside the user's subtree is not there at all: page and export.
    assert client.get(_url(slug, office="SUB-B")).status_code == 404
    assert client.get(_url(slug, office="SUB-B", format="csv")).status_code == 404
    assert client.get(_url(slug, office="NOPE")).status_code == 404


def test_the_division_sees_both_and_may_narrow_to_one(client, world):
    client.force_login(world["head"])
    rows = _csv(client.get(_url("billing", format="csv")))
    offices = {r[0].split()[0] for r in rows[1:-1]}
    assert offices == {"DC-A", "DC-B"} and rows[-1][0] == "Total" and rows[-1][4] == "4600.00"
    rows = _csv(client.get(_url("billing", format="csv", office="SUB-B")))
    assert {r[0].split()[0] for r in rows[1:-1]} == {"DC-B"}


def test_export_obeys_filters_and_sort_and_neutralises_formulas(client, world):
    client.force_login(world["sdo_a"])
    rows = _csv(client.get(_url("defaulters", format="csv", threshold="0", overdue_days="0", sort="name")))
    names = [r[1] for r in rows[1:-1]]
    assert "'=HYPERLINK(1)" in names and "=HYPERLINK(1)" not in names
    ws = load_workbook(
        io.BytesIO(client.get(_url("defaulters", format="xlsx", threshold="0", overdue_days="0")).content)
    ).active
    assert "'=HYPERLINK(1)" in [c.value for c in ws["B"]]
    assert all(c.data_type != "f" for row in ws.iter_rows() for c in row)


def test_no_personal_data_in_a_report_or_export(client, world):
    client.force_login(world["sdo_a"])
    for slug in SLUGS:
        body = client.get(_url(slug, format="csv", threshold="0", overdue_days="0")).content.decode(
            "utf-8-sig"
        )
        page = client.get(_url(slug, threshold="0", overdue_days="0")).content.decode()
        for text in (body, page):
            assert world["a"].mobile not in text and world["a2"].mobile not in text


def test_page_has_sortable_headers_totals_and_chart(client, world):
    client.force_login(world["head"])
    html = client.get(_url("billing", sort="-amount", by="office")).content.decode()
    assert 'aria-sort="descending"' in html and 'data-testid="report-totals"' in html
    assert "<svg" in html and "sort=amount" in html  # the current column's link flips the order
    assert html.count('class="chart-label">DC-A') == 1  # an office's categories make one bar
    trend = client.get(_url("trend")).content.decode()
    assert "<polyline" in trend
    ageing = client.get(_url("ageing")).content.decode()
    assert 'data-testid="report-chart"' in ageing and "91-180" in ageing


def test_bad_filters_are_a_400_not_an_error(client, world):
    client.force_login(world["sdo_a"])
    assert client.get(_url("billing", period_from="2026-12", period_to="2026-01")).status_code == 400
    assert client.get(_url("billing", period_from="junk")).status_code == 400
    assert client.get(_url("billing", format="pdf")).status_code == 400
    assert client.get("/staff/reports/nope/").status_code == 404


@pytest.mark.parametrize("slug", SLUGS)
def test_hindi_page_renders(client, world, slug):
    client.force_login(world["head"])
    client.cookies["django_language"] = "hi"
    response = client.get(_url(slug, threshold="0", overdue_days="0"), HTTP_ACCEPT_LANGUAGE="hi")
    assert response.status_code == 200
    html = response.content.decode()
    with translation.override("hi"):
        title = str(mis.REPORTS[slug].title)
        headers = [str(c.label) for c in mis.REPORTS[slug].columns]
    with translation.override("en"):
        assert title in html and title != str(mis.REPORTS[slug].title)
    assert all(escape(h) in html for h in headers) and "कुल" in html


def test_ageing_in_chunks_gives_the_same_figures(world, monkeypatch):
    whole = run("ageing", f_for()).totals
    monkeypatch.setattr(selectors, "AGEING_CHUNK", 1)
    assert run("ageing", f_for()).totals == whole
    assert len(run("defaulters", f_for(), options={"threshold": D("0"), "overdue_days": 0}).rows) == 4


@pytest.mark.parametrize("slug", SLUGS)
def test_page_and_export_queries_do_not_grow_with_rows(client, world, slug, django_assert_max_num_queries):
    client.force_login(world["head"])
    for n in range(6):
        c = ConsumerFactory(office=world["dc_b"])
        make_bill(c, "2026-10", units="10", charges="100")
        pay(c, "50", datetime.date(2026, 11, 2), ref=f"Q{n}")
    url = _url(slug, threshold="0", overdue_days="0")
    with django_assert_max_num_queries(10):
        assert client.get(url).status_code == 200
    with django_assert_max_num_queries(10):
        assert client.get(url + "&format=xlsx").status_code == 200
