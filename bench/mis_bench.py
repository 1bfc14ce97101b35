"""MIS performance on PostgreSQL (issue 12, "Performance"; issue 13's seeding target).

    .venv/bin/python bench/mis_bench.py [--consumers 1000000] [--db URL] [--reuse] [--period 2026-10]

Seeds N consumers (`urja seed`) and a year of SYNTHETIC history (urja/demo/seed/history.py: bills, ledger,
payments, readings, input energy) into the database named in --db (default
postgres://postgres@127.0.0.1:5432/urja_bench_mis; dropped and created again unless --reuse finds it
already holding N consumers and the period's bills), then measures:

* the monthly roll-up the app keeps by Celery beat (`urja energy rollup`): built when the month is not
  in it (the COPY seeder posts nothing through the ledger), its time recorded;
* the AT&C report of the largest discom for one month: one `office_snapshot` for the discom and each
  of its sub-divisions as the app reads it (from the roll-up: the month has ended and been rolled up;
  target < 2 s) and live from bills and ledger (`report_live`), checked equal; the energy-audit page;
  EXPLAIN (ANALYZE, BUFFERS) of the live read's slowest queries;
* the management dashboard's first load (`urja.mis.dashboard`, page /staff/ucc/; target < 2 s);
* a sub-division's consumption segmentation (`urja.mis.segmentation`, page /staff/segments/; < 1 s);
* issue 13's staff search: `customers.selectors.consumer_find` as the state-wide admin, by name,
  misspelt name, village, Hindi name, meter serial, mobile and account number (< 200 ms each).

The dashboard and segmentation are measured when their modules exist (skipped with a note when not):
the page through the Django test client as a logged-in management or SDO user, and the selector.
Each measurement is a first ("cold": first call in this process; the database's own cache is whatever
it holds) and the median of --repeat warm calls. Results are printed and written to
bench/results/mis-<date>.json (plans to mis-<date>-explain.txt). Never asserted in tests.
"""

from __future__ import annotations

import argparse
import datetime as dt
import importlib
import inspect
import json
import os
import platform
import resource
import statistics
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
DEFAULT_DB = "postgres://postgres@127.0.0.1:5432/urja_bench_mis"
TARGETS = {"atc_report": 2.0, "dashboard_first_load": 2.0, "segmentation": 1.0}


def _recreate(url: str) -> None:
    import psycopg
    from psycopg import sql

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    admin = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {}").format(sql.Identifier(name)))
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def _exists(url: str) -> bool:
    import psycopg

    parts = urlsplit(url)
    admin = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as conn:
        row = conn.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [parts.path.lstrip("/")]
        ).fetchone()
    return row is not None


def _timed(fn, repeat: int) -> dict:
    started = time.perf_counter()
    fn()
    first = time.perf_counter() - started
    warm = []
    for _ in range(repeat):
        started = time.perf_counter()
        fn()
        warm.append(time.perf_counter() - started)
    return {
        "first_seconds": round(first, 3),
        "warm_median_seconds": round(statistics.median(warm), 3) if warm else None,
        "warm_seconds": [round(w, 3) for w in warm],
    }


def _verdict(name: str, seconds: float) -> dict:
    target = TARGETS[name]
    return {"target_seconds": target, "ratio_to_target": round(seconds / target, 2), "met": seconds < target}


def _holds_data(consumers: int, period: str) -> bool:
    from urja.billing.models import Bill
    from urja.customers.models import Consumer

    count = Consumer.objects.count()
    return abs(count - consumers) <= max(10, consumers // 100) and Bill.objects.filter(period=period).exists()


def _seed(consumers: int, period: str, months: int) -> dict:
    from django.core.management import call_command

    from urja.demo.seed import seed
    from urja.demo.seed.history import generate

    out: dict = {}
    started = time.monotonic()
    call_command("migrate", verbosity=0)
    out["migrate_seconds"] = round(time.monotonic() - started, 2)
    result = seed(consumers, seed=1, progress=False)
    out["consumers_seconds"] = round(result.seconds, 2)
    out["consumer_counts"] = result.counts
    history = generate(
        last_period=period, months=months, progress=lambda m: print("  history:", m, flush=True)
    )
    out["history_seconds"] = history.seconds
    out["history_counts"] = history.counts
    out["history_total_seconds"] = history.total_seconds
    out["total_seconds"] = round(out["migrate_seconds"] + out["consumers_seconds"] + history.total_seconds, 2)
    out["target_seconds"] = 600
    out["ratio_to_target"] = round(out["total_seconds"] / 600, 2)
    rows = sum(history.counts.values()) - history.counts.get("consumers", 0)
    out["history_rows"] = rows
    out["history_rows_per_second"] = round(rows / history.total_seconds) if history.total_seconds else None
    out["peak_rss_mb"] = history.peak_rss_mb
    return out


CONSISTENCY_SQL = """
WITH sample AS (SELECT id FROM customers_consumer WHERE id % 997 = 0),
bills AS (
    SELECT b.consumer_id, b.issue_date, b.arrears,
           (SELECT COALESCE(SUM(e.amount), 0) FROM ledger_ledgerentry e
             WHERE e.consumer_id = b.consumer_id AND e.entry_date < b.issue_date) AS ledger_before
    FROM billing_bill b JOIN sample s ON s.id = b.consumer_id WHERE b.status = 'issued'
)
SELECT COUNT(*), COUNT(*) FILTER (WHERE arrears <> ledger_before) FROM bills
"""


def _consistency() -> dict:
    """On a sample of consumers: every bill's arrears equals the ledger's balance on its issue day, and
    every bill's debit + subsidy entries equal its gross charges and subsidy."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(CONSISTENCY_SQL)
        bills, arrears_off = cursor.fetchone()
        cursor.execute(
            """SELECT COUNT(*) FROM billing_bill b WHERE b.consumer_id % 997 = 0 AND
               (b.current_charges - b.subsidy) <> COALESCE((SELECT SUM(amount) FROM ledger_ledgerentry e
                 WHERE e.source_type = 'bill' AND e.source_id = b.id AND e.entry_type = 'bill'), 0)"""
        )
        (debit_off,) = cursor.fetchone()
    return {"sample_bills": bills, "arrears_not_ledger_balance": arrears_off, "debit_not_gross": debit_off}


def _explain_slowest(captured, top: int = 4) -> list[dict]:
    """EXPLAIN (ANALYZE, BUFFERS) of the `top` slowest captured queries (each run again)."""
    from django.db import connection

    timed = []
    with connection.cursor() as cursor:
        for query in captured:
            sql = query["sql"]
            if not sql.lstrip().upper().startswith("SELECT"):
                continue
            started = time.perf_counter()
            cursor.execute(sql)
            cursor.fetchall()
            timed.append((time.perf_counter() - started, sql))
        timed.sort(reverse=True)
        plans = []
        for seconds, sql in timed[:top]:
            cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql)
            plans.append(
                {"seconds": round(seconds, 3), "sql": sql, "plan": "\n".join(r[0] for r in cursor.fetchall())}
            )
    return plans


def _atc(period: str, repeat: int) -> tuple[dict, list[dict]]:
    from django.db import connection
    from django.db.models import Count
    from django.test.utils import CaptureQueriesContext

    from urja.energyaudit.selectors import office_audit, office_snapshot
    from urja.org.choices import OfficeLevel
    from urja.org.models import Office

    discoms = Office.objects.filter(level=OfficeLevel.DISCOM)
    sizes = {
        d.code: sum(
            row["n"]
            for row in Office.objects.filter(path__startswith=d.path, level=OfficeLevel.DC)
            .annotate(n=Count("consumers"))
            .values("n")
        )
        for d in discoms
    }
    discom = max(discoms, key=lambda d: sizes[d.code])
    subdivisions = list(Office.objects.filter(path__startswith=discom.path, level=OfficeLevel.SUBDIVISION))

    def discom_only():
        return office_audit(office=discom, period=period, live=True)

    def report(rolled=None):
        # One snapshot of the discom (a handful of grouped queries), every row a sum of it: from the
        # monthly roll-up when the month is in it (what the app does), or live (rolled=False).
        snapshot = office_snapshot(office=discom, period=period, rolled=rolled)
        return [snapshot.office(discom)] + [snapshot.office(sd) for sd in subdivisions]

    out = {
        "discom": discom.code,
        "discom_consumers": sizes[discom.code],
        "subdivisions": len(subdivisions),
        "period": period,
    }
    out["discom_call_live"] = _timed(discom_only, repeat)
    out["report_live"] = _timed(lambda: report(rolled=False), repeat)
    out["report_discom_plus_subdivisions"] = _timed(report, repeat)
    out["report_discom_plus_subdivisions"].update(
        _verdict("atc_report", out["report_discom_plus_subdivisions"]["first_seconds"])
    )
    rows = report()
    out["report_read_from"] = "monthly roll-up" if rows[0].as_of else "bills and ledger"
    out["report_as_of"] = rows[0].as_of
    live_rows = report(rolled=False)
    out["report_equals_live"] = [r.figures for r in rows] == [r.figures for r in live_rows]
    out["report_mismatched_offices"] = [
        r.code for r, lr in zip(rows, live_rows, strict=True) if r.figures != lr.figures
    ]
    out["page"] = _audit_page(discom, period, repeat)
    figures = discom_only().as_dict()
    out["figures"] = {
        k: figures[k]
        for k in ("input_kwh", "billed_kwh", "billed_amount", "collected_amount", "atc_loss_pct", "gaps")
    }
    with CaptureQueriesContext(connection) as captured:
        discom_only()
    out["queries"] = len(captured)
    return out, _explain_slowest(captured.captured_queries)


def _audit_page(discom, period: str, repeat: int) -> dict:
    """The energy-audit page of the discom for the month (/staff/energy/) as the management user."""
    from django.test import Client

    # The discom's own management user (`urja seed` makes management.<discom>): the page is scoped.
    user = _user(f"management.{discom.code.lower()}") or _user("management")
    if user is None:
        return {"skipped": "no seeded 'management' user"}
    client = Client()
    client.force_login(user)
    status = {}

    def page():
        status["code"] = client.get("/staff/energy/", {"office": discom.code, "period": period}).status_code

    out = _timed(page, repeat)
    out["status"] = status.get("code")
    out["user"] = user.username
    out["url"] = f"/staff/energy/?office={discom.code}&period={period}"
    return out


def _dashboard_parts(period: str) -> dict:
    """Each read of the command centre's first load for the management user's place, timed once warm
    (after the page was measured), so that the slow part is named."""
    from urja.common import clock
    from urja.mis import dashboard as ucc

    user = _user("management")
    if user is None:
        return {"skipped": "no seeded 'management' user"}
    place = ucc.place_for(user)
    today, now = clock.today(), clock.now()
    months = ucc.trailing_months(period)
    rolled = ucc.rolled_months(sorted({*months, *ucc.year_months(today)}))
    snapshot = ucc.place_snapshot(place, period, rolled=period in rolled, as_of=rolled.get(period))
    parts = {
        "rolled_months": lambda: ucc.rolled_months(sorted({*months, *ucc.year_months(today)})),
        "snapshot": lambda: ucc.place_snapshot(
            place, period, rolled=period in rolled, as_of=rolled.get(period)
        ),
        "trend": lambda: ucc.monthly_series(place, months, rolled=rolled),
        "revenue": lambda: ucc.revenue(place, today, rolled=rolled),
        "arrears": lambda: ucc.arrears_now(place, now),
        "unmetered": lambda: ucc.unmetered_share(place),
        "work": lambda: ucc.work(place, now),
        "children_and_league": lambda: (ucc.children(place, snapshot), ucc.league(place, snapshot)),
        "heat_map": lambda: ucc.feeder_heat_map(place, months, rolled=rolled),
    }
    out: dict = {"place": place.code or "state", "months_from_rollup": sorted(rolled)}
    for name, fn in parts.items():
        started = time.perf_counter()
        fn()
        out[name] = round(time.perf_counter() - started, 3)
    out["arrears_as_of"] = ucc.arrears_now(place, now)[1]
    return out


#: Issue 13's staff search target: a state-wide user's search at 1,000,000 consumers in < 200 ms.
SEARCH_TARGET = 0.2


def _search(repeat: int) -> dict:
    """Staff consumer search (`customers.selectors.consumer_find`, the console's search box) as the
    state-wide `admin`: a seeded consumer's name (whole, first word, misspelt), village, name and village,
    Hindi name, meter serial, mobile (whole and last four digits), account number (whole and a prefix)."""
    from urja.customers.models import Consumer
    from urja.customers.selectors import consumer_find
    from urja.metering.models import MeterInstallation

    user = _user("admin")
    if user is None:
        return {"skipped": "no seeded 'admin' user"}
    c = Consumer.objects.exclude(name_hi="").order_by("id")[Consumer.objects.count() // 2]
    first, *rest = c.name.split()
    misspelt = first[:-1] + ("a" if first[-1] != "a" else "e")
    meter = MeterInstallation.objects.filter(consumer__isnull=False, removed_on__isnull=True).first()
    queries = {
        "name": c.name, "first name": first, "misspelt name": f"{misspelt} {' '.join(rest)}".strip(),
        "village": c.village_town, "name, village": f"{first}, {c.village_town}",
        "Hindi name": c.name_hi.split()[0], "meter serial": meter.meter.serial if meter else "",
        "mobile": c.mobile, "mobile last four": c.mobile[-4:], "account": c.account_number,
        "account prefix": c.account_number[:5],
    }  # fmt: skip
    out: dict = {"user": user.username, "target_seconds": SEARCH_TARGET, "queries": {}}
    for label, text in queries.items():
        if not text:
            continue
        found = {}

        def run(t=text, into=found):
            into["r"] = consumer_find(principal=user, query=t)

        timed = _timed(run, repeat)
        timed.update(matched=found["r"].count, met=timed["first_seconds"] < SEARCH_TARGET)
        out["queries"][label] = timed
    out["slowest_first_seconds"] = max(q["first_seconds"] for q in out["queries"].values())
    out["met"] = all(q["met"] for q in out["queries"].values())
    return out


def _ensure_rollup(period: str) -> dict:
    """The monthly roll-up the app keeps by Celery beat (hourly for the last two months, nightly for
    thirteen): built here when the measured month is not in it (the COPY seeder posts no signals), and
    the current month refreshed when older than the command centre's freshness limit (its arrears)."""
    import datetime as _dt

    from django.conf import settings

    from urja.common import clock
    from urja.energyaudit.models import RollupRefresh
    from urja.energyaudit.selectors import rolled_months
    from urja.energyaudit.services import rollup_periods, rollup_refresh

    out: dict = {}
    if period not in rolled_months([period]):
        started = time.perf_counter()
        written = rollup_refresh(periods=rollup_periods(months=13))
        out["refresh_13_months_seconds"] = round(time.perf_counter() - started, 1)
        out["rows_per_month"] = max(written.values()) if written else 0
    current = clock.today().strftime("%Y-%m")
    fresh = clock.now() - _dt.timedelta(minutes=settings.URJA_ROLLUP_FRESH_MINUTES - 30)
    # (the bench's clock starts at the same instant each run: a refresh "later" than now is not fresh)
    if not RollupRefresh.objects.filter(
        period=current, refreshed_at__gte=fresh, refreshed_at__lte=clock.now()
    ).exists():
        started = time.perf_counter()
        rollup_refresh(periods=[current])
        out["refresh_current_month_seconds"] = round(time.perf_counter() - started, 1)
    return out or {"reused": True}


PROPOSED_INDEXES = {
    "bill_issued_period_audit": (
        "CREATE INDEX bill_issued_period_audit ON billing_bill (period, consumer_id) "
        "INCLUDE (units, current_charges, subsidy) WHERE status = 'issued'"
    ),
    "ledger_collection_date_audit": (
        "CREATE INDEX ledger_collection_date_audit ON ledger_ledgerentry (entry_date, consumer_id) "
        "INCLUDE (amount, entry_type, reverses_id) WHERE entry_type IN ('payment', 'subsidy', 'reversal')"
    ),
    "consumer_dt_audit": "CREATE INDEX consumer_dt_audit ON customers_consumer (dt_id) INCLUDE (id, office_id)",
}


def rollup_report(*, office, period: str) -> dict[str, dict]:
    """The PROPOSED shape of the report (not in the app): one grouped pass per figure over the month's
    rows, by the office of the consumer's feeder, rolled up in Python to the office and each of its
    sub-divisions, instead of one `office_audit` (three scans) per row of the report."""
    from collections import defaultdict
    from decimal import Decimal

    from django.db.models import Q, Sum

    from urja.billing.models import Bill
    from urja.domain.energy_audit import parse_period
    from urja.energyaudit.selectors import COLLECTION_TYPES
    from urja.ledger.choices import EntryType
    from urja.ledger.models import LedgerEntry
    from urja.org.models import Office

    span = parse_period(period)
    paths = dict(Office.objects.filter(path__startswith=office.path).values_list("id", "path"))
    key = "consumer__dt__feeder__office_id"
    totals: dict[str, dict[str, Decimal]] = defaultdict(lambda: defaultdict(Decimal))
    bills = (
        Bill.objects.filter(
            consumer__dt__feeder__office__path__startswith=office.path,
            status="issued",
            period__in=span.months,
        )
        .values(key)
        .annotate(units=Sum("units"), charges=Sum("current_charges"), subsidy=Sum("subsidy"))
    )
    credits = (
        LedgerEntry.objects.filter(
            consumer__dt__feeder__office__path__startswith=office.path,
            entry_date__gte=span.start,
            entry_date__lte=span.end,
        )
        .filter(
            Q(entry_type__in=COLLECTION_TYPES)
            | Q(entry_type=EntryType.REVERSAL, reverses__entry_type__in=COLLECTION_TYPES)
        )
        .values(key)
        .annotate(total=Sum("amount"))
    )
    for rows, fields in ((bills, ("units", "charges", "subsidy")), (credits, ("total",))):
        for row in rows:
            path = paths[row[key]]
            parts = path.rstrip("/").split("/")
            for depth in range(1, len(parts) + 1):
                ancestor = "/".join(parts[:depth]) + "/"
                if ancestor.startswith(office.path):
                    for f in fields:
                        totals[ancestor][f] += row[f] or 0
    return totals


def _proposal(discom, period: str, repeat: int, with_indexes: bool) -> dict:
    """Time `rollup_report`, and (with_indexes) the current selector and the rollup again with the
    proposed indexes in place; the indexes are dropped again afterwards, so the database keeps main's
    schema."""
    from django.db import connection

    from urja.energyaudit.selectors import office_audit
    from urja.org.choices import OfficeLevel
    from urja.org.models import Office

    subdivisions = list(Office.objects.filter(path__startswith=discom.path, level=OfficeLevel.SUBDIVISION))

    def report():
        office_audit(office=discom, period=period)
        for sd in subdivisions:
            office_audit(office=sd, period=period)

    out = {"rollup_without_new_indexes": _timed(lambda: rollup_report(office=discom, period=period), repeat)}
    rolled = rollup_report(office=discom, period=period)
    mismatched = []
    for row in [discom, *subdivisions]:
        figures = office_audit(office=row, period=period).figures
        mine = rolled.get(row.path, {})
        if (mine.get("units") or 0) != figures.billed_kwh or -(
            mine.get("total") or 0
        ) != figures.collected_amount:
            mismatched.append(row.code)
    out["rollup_equals_selector"] = not mismatched
    out["rollup_mismatched_offices"] = mismatched
    if not with_indexes:
        return out
    started = time.perf_counter()
    with connection.cursor() as cursor:
        for sql in PROPOSED_INDEXES.values():
            cursor.execute(sql)
        for table in ("billing_bill", "ledger_ledgerentry", "customers_consumer"):
            cursor.execute(f"VACUUM (ANALYZE) {table}")
    out["create_proposed_indexes_seconds"] = round(time.perf_counter() - started, 2)
    try:
        out["discom_call_with_indexes"] = _timed(lambda: office_audit(office=discom, period=period), repeat)
        out["report_with_indexes"] = _timed(report, repeat)
        out["rollup_with_indexes"] = _timed(lambda: rollup_report(office=discom, period=period), repeat)
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as captured:
            office_audit(office=discom, period=period)
        out["plans_with_indexes"] = _explain_slowest(captured.captured_queries, top=2)
    finally:
        with connection.cursor() as cursor:
            for name in PROPOSED_INDEXES:
                cursor.execute(f"DROP INDEX IF EXISTS {name}")
    return out


def _user(role: str):
    from urja.org.models import User

    return User.objects.filter(username=role).select_related("office").first()


def _module_call(module, office, period: str):
    """The module's public selectors taking `office` (and `period` when they take it)."""
    calls = []
    for name, fn in inspect.getmembers(module, inspect.isfunction):
        if name.startswith("_") or fn.__module__ != module.__name__:
            continue
        params = inspect.signature(fn).parameters
        if "office" not in params:
            continue
        required = [p for p, v in params.items() if v.default is inspect.Parameter.empty and p != "office"]
        kwargs = {"office": office}
        if "period" in params:
            kwargs["period"] = period
        if any(p not in kwargs for p in required):
            continue
        calls.append((name, kwargs))
    return calls


def _page_and_selector(
    label: str, module_name: str, url: str, role: str, office_level: str, period: str, repeat: int
) -> dict:
    try:
        module = importlib.import_module(module_name)
    except ImportError as exc:
        return {"skipped": f"{module_name} does not exist on this branch yet ({exc})"}
    from django.test import Client

    from urja.org.models import Office

    user = _user(role)
    if user is None:
        return {"skipped": f"no seeded '{role}' user"}
    office = user.office
    if office_level and office.level != office_level:
        office = Office.objects.filter(path__startswith=office.path, level=office_level).first() or office
    out: dict = {"user": role, "office": office.code, "url": url}
    client = Client()
    client.force_login(user)
    status = {}

    def page():
        response = client.get(url, {"office": office.code, "period": period})
        status["code"] = response.status_code

    out["page"] = _timed(page, repeat)
    out["page"]["status"] = status.get("code")
    out["page"].update(_verdict(label, out["page"]["first_seconds"]))
    for name, kwargs in _module_call(module, office, period):
        try:
            out[f"selector {name}"] = _timed(lambda n=name, k=kwargs: getattr(module, n)(**k), repeat)
        except Exception as exc:  # noqa: BLE001 - a guessed signature; recorded, not fatal
            out[f"selector {name}"] = {"error": repr(exc)[:200]}
    return out


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--consumers", type=int, default=1_000_000)
    parser.add_argument("--db", default=DEFAULT_DB, help=f"PostgreSQL URL (default {DEFAULT_DB})")
    parser.add_argument("--reuse", action="store_true", help="skip seeding when the database holds the data")
    parser.add_argument("--period", default="2026-10", help="the month measured, last of the history")
    parser.add_argument("--months", type=int, default=12)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument(
        "--today",
        help="the day the reports are read on (default: the 25th of the month after --period, 12:00 IST: "
        "that month's bills issued and paid, the month measured closed)",
    )
    parser.add_argument("--output", type=Path)
    parser.add_argument(
        "--try-indexes",
        action="store_true",
        help="also time the AT&C selector with the proposed indexes (created, measured, dropped again)",
    )
    args = parser.parse_args()

    reuse = args.reuse and _exists(args.db)
    if not reuse:
        _recreate(args.db)
    os.environ["DATABASE_URL"] = args.db
    os.environ["DJANGO_SETTINGS_MODULE"] = "urja.settings.test"
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    record: dict = {
        "benchmark": "mis",
        "date": dt.date.today().isoformat(),
        "consumers": args.consumers,
        "synthetic_history": "urja/demo/seed/history.py (not the billing engine; see docs/benchmarks.md)",
    }
    if reuse:
        call_command("migrate", verbosity=0)
    if reuse and _holds_data(args.consumers, args.period):
        record["seeding"] = "reused"
    else:
        if reuse:
            connection.close()
            _recreate(args.db)
        print(f"seeding {args.consumers:,} consumers and {args.months} months of history…", flush=True)
        record["seeding"] = _seed(args.consumers, args.period, args.months)
    with connection.cursor() as cursor:
        cursor.execute("SELECT version()")
        record["server"] = cursor.fetchone()[0]
        cursor.execute("SELECT pg_size_pretty(pg_database_size(current_database()))")
        record["database_size"] = cursor.fetchone()[0]

    record["consistency"] = _consistency()
    print("consistency:", record["consistency"], flush=True)
    import time_machine

    year, month = int(args.period[:4]), int(args.period[5:])
    today = args.today or f"{year + (month == 12):04d}-{month % 12 + 1:02d}-25"
    record["today"] = today
    with time_machine.travel(dt.datetime.fromisoformat(f"{today}T12:00:00+05:30"), tick=True):
        return _measure(args, record, connection)


def _measure(args, record: dict, connection) -> int:
    """Everything measured, on the bench's day (`record["today"]`)."""
    print("the monthly roll-up…", flush=True)
    record["rollup"] = _ensure_rollup(args.period)
    print("roll-up:", record["rollup"], flush=True)
    print("measuring the AT&C report…", flush=True)
    record["atc"], plans = _atc(args.period, args.repeat)
    record["atc"]["slowest_queries"] = [{"seconds": p["seconds"], "sql": p["sql"][:400]} for p in plans]
    from urja.org.models import Office

    discom = Office.objects.get(code=record["atc"]["discom"])
    print("measuring the proposed report shape…", flush=True)
    proposal = _proposal(discom, args.period, args.repeat, args.try_indexes)
    plans += proposal.pop("plans_with_indexes", [])
    record["atc"]["proposal"] = proposal
    print("measuring the dashboard and segmentation…", flush=True)
    from urja.org.choices import OfficeLevel

    record["dashboard"] = _page_and_selector(
        "dashboard_first_load",
        "urja.mis.dashboard",
        "/staff/ucc/",
        "management",
        "",
        args.period,
        args.repeat,
    )
    record["dashboard"]["parts"] = _dashboard_parts(args.period)
    record["segmentation"] = _page_and_selector(
        "segmentation", "urja.mis.segmentation", "/staff/segments/", "sdo", OfficeLevel.SUBDIVISION,
        args.period, args.repeat,
    )  # fmt: skip
    print("measuring the staff search…", flush=True)
    record["staff_search"] = _search(args.repeat)
    record.update(
        python=platform.python_version(),
        cpus=os.cpu_count(),
        peak_rss_mb=round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
    )
    out = args.output or RESULTS / f"mis-{record['date']}.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(record, indent=2, default=str) + "\n")
    explain = out.with_name(out.stem + "-explain.txt")
    explain.write_text("".join(f"-- {p['seconds']} s\n{p['sql']}\n\n{p['plan']}\n\n" for p in plans))
    print(json.dumps(record, indent=2, default=str))
    print(f"written to {out} and {explain}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
