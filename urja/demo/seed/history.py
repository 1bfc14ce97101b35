"""A year of SYNTHETIC billing history on top of `urja seed`, for benchmarks (PostgreSQL only).

Bill runs price ~1,800 bills/s, so a year for 1,000,000 consumers (~12 M bills) would take two hours;
this writes plausible rows straight into the real tables with COPY instead. It is not the billing
engine: amounts follow a simple tariff-like rule, and nothing here is evidence about the engine.

What is written, for the `months` periods ending at `last_period` (default 2025-11 … 2026-10):

* bill cycles, one per period;
* per metered consumer and period one reading (reading day 1–3 of the next month): OK 83%, door locked
  NA 8%, IDF 5%, RDF 4% (a smart meter's AMR read is OK); the register advances by the consumption
  times 1/MF, `units` is measured since the previous valid reading;
* per billable consumer and period one issued bill: metered consumption by category and load with a
  per-consumer log-normal spread and a season; basis MU on an OK reading (carrying a true-up of the
  provisional months before it), PROV otherwise, UM (a norm per kW/BHP) for unmetered categories.
  Money: energy = units × rate, fixed = load × rate, duty 5%, a government subsidy on domestic
  rural/lifeline and rural tube wells; arrears = the ledger balance on the issue day (5th–7th of the
  next month), rounded payable. Temporarily disconnected consumers stop being billed at a random month;
  permanently disconnected ones get no bills;
* the ledger, exactly what an issued bill posts (`billing.compute.ledger_entries_for`: the gross
  charges as a bill debit, the subsidy as a credit), and payments (with `payments.Payment` rows and
  their ledger credits): ~62% of consumers pay in full before the due date, ~15% pay late (after the
  due date, some after the next bill), ~10% pay part of it in some months, ~13% never pay. So every
  balance is the sum of the consumer's ledger entries, as in production. The bills' entries are
  written by the database from the copied bills once every shard is done (`_bill_entries`);
* input energy per DT and per feeder and month: DT input = its billed units / (1 − DT loss), feeder
  input = its billed units / (1 − feeder loss) with feeder losses spread 10–60% (rural higher) and DT
  losses below their feeder's; ~1% of DT-months have no figure (the report's unmetered gap).

Deterministic for a given seed (one `random.Random` reseeded per consumer). Memory stays bounded: the
consumers are streamed from a server-side cursor and rows are written in chunks. While loading, the
secondary indexes and the foreign-key/unique constraints of the four big tables are dropped and then
rebuilt from their own definitions (read from pg_catalog), which is far faster than maintaining them
row by row; check constraints stay in force during the load.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import queue
import random
import resource
import threading
import time
from collections import defaultdict
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

from django.db import connection, connections, models

from urja.billing.choices import BillBasis, BillStatus
from urja.billing.models import Bill, BillCycle
from urja.common import clock
from urja.common.db import fork_pool
from urja.customers.choices import UNMETERED_CATEGORIES
from urja.demo.seed.writer import Table
from urja.energyaudit.models import InputEnergy
from urja.ledger.choices import EntryType
from urja.ledger.models import LedgerEntry
from urja.metering.choices import MeterType, ReadingSource, ReadingStatus
from urja.metering.models import Reading
from urja.payments.choices import Channel, PaymentStatus
from urja.payments.models import Payment

NULL = r"\N"
BIG_TABLES = (Bill, LedgerEntry, Reading, Payment)
SEASON = {
    1: 1.0,
    2: 0.9,
    3: 0.95,
    4: 1.1,
    5: 1.3,
    6: 1.35,
    7: 1.25,
    8: 1.2,
    9: 1.15,
    10: 1.0,
    11: 0.9,
    12: 0.95,
}


def _periods(last: str, months: int) -> list[str]:
    y, m = int(last[:4]), int(last[5:7])
    out = []
    for _ in range(months):
        out.append(f"{y:04d}-{m:02d}")
        y, m = (y, m - 1) if m > 1 else (y - 1, 12)
    return out[::-1]


def _month_bounds(period: str) -> tuple[dt.date, dt.date, dt.date]:
    """(first day, last day, first day of the next month)."""
    y, m = int(period[:4]), int(period[5:7])
    start = dt.date(y, m, 1)
    nxt = dt.date(y + (m == 12), m % 12 + 1, 1)
    return start, nxt - dt.timedelta(days=1), nxt


@dataclass(frozen=True)
class Rule:
    """A tariff-like rule for one kind of category: monthly kWh per unit of load (plus a base), energy
    rate (₹/kWh), fixed charge (₹ per unit of load), the share of the energy charge the state subsidises."""

    kwh_base: float
    kwh_per_load: float
    rate: float
    fixed: float
    subsidy: float = 0.0


def _rule(category: str) -> Rule:
    if category == "LMV1-LIFELINE":
        return Rule(35, 10, 3.0, 50, 0.35)
    if category == "LMV1-RURAL-UM":
        return Rule(0, 100, 0.0, 400, 0.30)  # flat: charged per kW
    if category == "LMV1-RURAL":
        return Rule(40, 35, 3.35, 90, 0.30)
    if category.startswith("LMV1"):
        return Rule(60, 45, 5.5, 110)
    if category.startswith("LMV2"):
        return Rule(30, 70, 7.5, 330)
    if category == "LMV5-RURAL-UM":
        return Rule(0, 90, 0.0, 170, 0.90)  # flat per BHP
    if category.startswith("LMV5"):
        return Rule(0, 80, 2.0, 70, 0.50 if "RURAL" in category else 0.0)
    if category.startswith("LMV6"):
        return Rule(0, 140, 7.3, 290)
    if category.startswith("HV"):
        return Rule(0, 300, 7.0, 300)
    return Rule(20, 60, 6.5, 150)


def _text(value) -> str:
    """A column default as COPY text."""
    if value is None:
        return r"\N"
    if isinstance(value, bool):
        return "t" if value else "f"
    obj = getattr(value, "obj", value)  # psycopg's Jsonb adapter
    if isinstance(obj, dict | list):
        return json.dumps(obj)
    return str(obj)


class CopyThread:
    """Writes COPY chunks on its own connection in a background thread, so that Python generates the
    next chunk while PostgreSQL parses this one (psycopg releases the GIL while it sends). The queue is
    short, so at most a few chunks are held in memory."""

    def __init__(self, params: dict):
        import psycopg

        self.conn = psycopg.connect(**params, autocommit=True)
        self.queue: queue.Queue = queue.Queue(maxsize=2)
        self.error: BaseException | None = None
        self.seconds: dict[str, float] = defaultdict(float)
        self.thread = threading.Thread(target=self._run, name="history-copy", daemon=True)
        self.thread.start()

    def _run(self) -> None:
        while True:
            item = self.queue.get()
            if item is None:
                return
            if self.error is not None:
                continue
            table, statement, data = item
            started = time.monotonic()
            try:
                with self.conn.cursor() as cursor, cursor.copy(statement) as copy:
                    copy.write(data)
            except BaseException as exc:  # noqa: BLE001 - re-raised in the generating thread
                self.error = exc
            self.seconds[table] += time.monotonic() - started

    def put(self, table: str, statement: str, data: str) -> None:
        if self.error is not None:
            raise self.error
        self.queue.put((table, statement, data))

    def close(self) -> None:
        self.queue.put(None)
        self.thread.join()
        self.conn.close()
        if self.error is not None:
            raise self.error


class Sink:
    """One table's rows as COPY text lines, in a fixed column order; `tail` fills every other column
    with its default (so a field added later with a default does not break the generator)."""

    def __init__(self, model: type[models.Model], attnames: list[str], writer: CopyThread):
        table = Table(model, attnames)
        self.table = table.table
        self.columns = table.columns
        self.tail = ("\t" + "\t".join(_text(v) for v in table.tail)) if table.tail else ""
        # Lines by sort key (period or date): each chunk is written in time order, as production tables
        # grow (a bill run appends a month's bills, the ledger appends by day), so a month's rows lie
        # in long contiguous runs rather than one per consumer's 12-bill block.
        self.lines: dict[str, list[str]] = defaultdict(list)
        self.rows = 0
        self.writer = writer
        qn = connection.ops.quote_name
        self.statement = f"COPY {qn(self.table)} ({', '.join(qn(c) for c in self.columns)}) FROM STDIN"

    def add(self, key: str, values: str) -> None:
        self.lines[key].append(values + self.tail + "\n")

    def flush(self) -> None:
        if not self.lines:
            return
        data = "".join(line for key in sorted(self.lines) for line in self.lines[key])
        self.rows += sum(len(lines) for lines in self.lines.values())
        self.lines = defaultdict(list)
        self.writer.put(self.table, self.statement, data)


@dataclass
class HistoryResult:
    periods: list[str]
    counts: dict[str, int] = field(default_factory=dict)
    seconds: dict[str, float] = field(default_factory=dict)
    peak_rss_mb: float = 0.0
    total_seconds: float = 0.0  # wall time (the "in parallel" COPY times overlap the generation)


def _deferred_ddl(tables: list[str], indexes_too: bool) -> tuple[list[str], list[str], list[str]]:
    """(drop statements, restore statements for unique constraints and indexes, restore statements for
    foreign keys) of the tables' secondary indexes and unique/foreign-key constraints."""
    drops, restore, fks = [], [], []
    with connection.cursor() as cursor:
        cursor.execute(
            """SELECT conrelid::regclass::text, conname, contype, pg_get_constraintdef(oid)
               FROM pg_constraint WHERE conrelid::regclass::text = ANY(%s) AND contype IN ('u', 'f')
               ORDER BY contype DESC, conname""",
            [tables],
        )
        constraints = cursor.fetchall()
        cursor.execute(
            """SELECT i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid)
               FROM pg_index i WHERE i.indrelid::regclass::text = ANY(%s) AND NOT i.indisprimary
               AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid
                               AND c.contype IN ('u', 'p', 'x'))
               ORDER BY 1""",
            [tables],
        )
        indexes = cursor.fetchall()
    if not indexes_too:  # only the foreign keys (their row-by-row checks are the costly part)
        constraints = [c for c in constraints if c[2] == "f"]
        indexes = []
    for table, name, kind, definition in constraints:  # foreign keys first ('f' > 'u')
        drops.append(f'ALTER TABLE {table} DROP CONSTRAINT "{name}"')
        (fks if kind == "f" else restore).append(f'ALTER TABLE {table} ADD CONSTRAINT "{name}" {definition}')
    for name, definition in indexes:
        drops.append(f"DROP INDEX {name}")
        restore.append(definition)
    return drops, restore, fks


CONSUMERS_SQL = """
SELECT c.id, c.account_number, c.category, c.sanctioned_load::float8, c.load_unit, c.status,
       c.connection_date, c.dt_id, mi.meter_id, mi.initial_reading::float8, mi.installed_on, m.meter_type,
       (m.ct_ratio * m.pt_ratio)::float8, m.digits
FROM customers_consumer c
LEFT JOIN metering_meterinstallation mi ON mi.consumer_id = c.id AND mi.removed_on IS NULL
LEFT JOIN metering_meter m ON m.id = mi.meter_id
WHERE c.status <> 'pending' AND mod(c.id, %(shards)s) = %(shard)s
ORDER BY c.id
"""


def _next_id(model) -> int:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COALESCE(MAX(id), 0) + 1 FROM {model._meta.db_table}")
        return cursor.fetchone()[0]


def generate(
    *,
    last_period: str = "2026-10",
    months: int = 12,
    seed: int = 1,
    chunk: int = 8000,
    rebuild_indexes: bool = True,
    processes: int | None = None,
    progress: Callable[[str], None] | None = None,
) -> HistoryResult:
    """Write the synthetic history (see the module docstring). The bills, readings, ledger and payments
    tables must be empty of the seeded periods; PostgreSQL only.

    `processes` (default: one per core) forked generators each take the consumers whose id is k modulo
    their number and write with ids k, k + n, k + 2n … above the tables' current maximum, so the shards
    never collide and each consumer's rows stay in time order. The rows do not depend on `processes`
    except for their ids (each consumer's random stream is seeded by its id)."""
    if connection.vendor != "postgresql":
        raise SystemExit("the synthetic history writes with COPY: PostgreSQL only")
    say = progress or (lambda _msg: None)
    periods = _periods(last_period, months)
    result = HistoryResult(periods=periods)
    if Bill.objects.filter(period__in=periods).exists():
        raise SystemExit("bills of these periods exist already: seed a fresh database (or use --reuse)")
    now = clock.now().isoformat()
    bounds = {p: _month_bounds(p) for p in periods}
    for p in periods:
        start, end, nxt = bounds[p]
        BillCycle.objects.get_or_create(
            code=p,
            defaults={
                "period_start": start,
                "period_end": end,
                "issue_date": nxt + dt.timedelta(days=4),
                "due_date": nxt + dt.timedelta(days=19),
            },
        )

    t0 = time.monotonic()
    drops, restore, fks = _deferred_ddl([m._meta.db_table for m in BIG_TABLES], rebuild_indexes)
    connection.ensure_connection()
    raw = connection.connection
    raw.autocommit = True
    with raw.cursor() as cursor:
        for sql in drops:
            cursor.execute(sql)
    result.seconds["drop_indexes"] = round(time.monotonic() - t0, 2)
    workers = processes or os.cpu_count() or 1
    try:
        _write(result, periods, bounds, seed, chunk, now, say, workers)
    finally:
        say("rebuilding indexes and constraints")
        started = time.monotonic()
        for table, seconds in _restore(restore, fks, workers).items():
            result.seconds[f"index {table} (in parallel)"] = seconds
        result.seconds["rebuild indexes and constraints"] = round(time.monotonic() - started, 2)
        connection.ensure_connection()
        raw = connection.connection
        raw.autocommit = True
    started = time.monotonic()
    with raw.cursor() as cursor:
        for model in (*BIG_TABLES, InputEnergy, BillCycle):
            table = model._meta.db_table
            cursor.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), COALESCE(MAX(id), 1)) FROM {table}"
            )
        for model in (*BIG_TABLES, InputEnergy):
            cursor.execute(f"VACUUM (ANALYZE) {model._meta.db_table}")
    result.seconds["vacuum_analyze"] = round(time.monotonic() - started, 2)
    result.total_seconds = round(time.monotonic() - t0, 2)
    result.peak_rss_mb = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
    return result


def _statement_table(sql: str) -> str:
    table = sql.split(" ON ")[1].split()[0] if sql.startswith("CREATE") else sql.split()[2]
    return table.removeprefix("public.").removeprefix("ONLY ")


def _restore(restore: list[str], fks: list[str], workers: int) -> dict[str, float]:
    """Build the dropped unique constraints and indexes again, one table per connection and `workers`
    tables at a time (each statement locks only its own table, so they cannot wait for each other; a
    parallel index build leaves cores idle in its serial phases), the largest table first; then the
    foreign keys, one after another (each locks the table it references too). Seconds per table."""
    import psycopg

    by_table: dict[str, list[str]] = defaultdict(list)
    for sql in restore:
        by_table[_statement_table(sql)].append(sql)
    params = connection.get_connection_params()
    seconds: dict[str, float] = defaultdict(float)

    def build(table: str) -> None:
        with psycopg.connect(**params, autocommit=True) as conn:
            conn.execute("SET maintenance_work_mem = '512MB'")
            started = time.monotonic()
            for sql in by_table[table]:
                conn.execute(sql)
            seconds[table] += time.monotonic() - started

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT relname FROM pg_class WHERE relname = ANY(%s) ORDER BY relpages DESC, relname",
            [list(by_table)],
        )
        largest_first = [row[0] for row in cursor.fetchall()]
    with ThreadPoolExecutor(max(1, min(workers, len(largest_first)))) as pool:
        list(pool.map(build, largest_first))  # re-raises the first failure
    connection.ensure_connection()
    raw = connection.connection
    raw.autocommit = True
    with raw.cursor() as cursor:
        cursor.execute("SET maintenance_work_mem = '512MB'")
        for sql in fks:
            started = time.monotonic()
            cursor.execute(sql)
            seconds[_statement_table(sql)] += time.monotonic() - started
    return {table: round(value, 2) for table, value in seconds.items()}


def _bill_entries(params: dict, first_bill: int, now: str, workers: int) -> int:
    """What posting each history bill writes to the ledger (`billing.compute.ledger_entries_for`: the
    gross charges as a debit due on the bill's due date, the subsidy as a credit), written by the
    database from the bills just copied rather than formatted in Python and parsed again by COPY (they
    are ~40% of the history's rows). Bill b's entries take ids L + 2(b - first_bill) (+ 1 for the
    subsidy) above the ledger's maximum L, so `workers` connections write disjoint bill-id ranges side by
    side. The rows' order in the table differs from the generator's (after the payments, not among
    them); their content is the same. Returns the rows written."""
    import psycopg

    with psycopg.connect(**params, autocommit=True) as conn:
        top_entry, top_bill = conn.execute(
            "SELECT (SELECT COALESCE(MAX(id), 0) + 1 FROM ledger_ledgerentry), "
            "(SELECT COALESCE(MAX(id), 0) FROM billing_bill)"
        ).fetchone()
    if top_bill < first_bill:
        return 0
    span = top_bill - first_bill + 1
    step = -(-span // max(1, workers))
    ranges = [(lo, min(lo + step - 1, top_bill)) for lo in range(first_bill, top_bill + 1, step)]
    statement = """
        INSERT INTO ledger_ledgerentry (id, consumer_id, entry_type, amount, entry_date, due_date, period,
                                        description, code, params, source_type, source_id, posted_at, reason)
        SELECT %(top)s + 2 * (b.id - %(first)s) + e.k, b.consumer_id, e.entry_type, e.amount, b.issue_date,
               e.due_date, b.period, e.description, e.code, jsonb_build_object('bill', b.bill_number), 'bill',
               b.id, %(now)s, ''
        FROM billing_bill b
        CROSS JOIN LATERAL (VALUES
            (0, %(bill)s, b.current_charges - b.subsidy, b.due_date,
             'Bill ' || b.bill_number, 'bill'),
            (1, %(subsidy)s, b.subsidy, NULL::date, 'Government subsidy on bill ' || b.bill_number,
             'bill_subsidy')
        ) AS e(k, entry_type, amount, due_date, description, code)
        WHERE b.id BETWEEN %(lo)s AND %(hi)s AND (CASE e.k WHEN 0 THEN e.amount > 0 ELSE e.amount < 0 END)
    """

    def write(bounds: tuple[int, int]) -> int:
        with psycopg.connect(**params, autocommit=True) as conn:
            cursor = conn.execute(
                statement,
                {
                    "top": top_entry,
                    "first": first_bill,
                    "now": now,
                    "bill": EntryType.BILL.value,
                    "subsidy": EntryType.SUBSIDY.value,
                    "lo": bounds[0],
                    "hi": bounds[1],
                },
            )
            return cursor.rowcount

    with ThreadPoolExecutor(len(ranges)) as pool:
        return sum(pool.map(write, ranges))


def _write(result, periods, bounds, seed, chunk, now, say, processes: int) -> None:
    params = connection.get_connection_params()
    base = {model: _next_id(model) for model in BIG_TABLES}
    with connection.cursor() as cursor:
        cursor.execute("SELECT id, feeder_id FROM network_distributiontransformer")
        dt_feeder = dict(cursor.fetchall())
    args = (params, periods, bounds, seed, chunk, now, base)
    gen_started = time.monotonic()
    if processes <= 1:
        shards = [_shard(*args, 0, 1, say)]
    else:
        # The arguments reach the children by the fork itself (a progress callback does not pickle).
        global _FORKED
        _FORKED = (args, processes, say)
        try:
            with fork_pool(processes) as pool:
                shards = list(pool.map(_forked_shard, range(processes)))
        finally:
            _FORKED = None
    result.seconds["generate bills, ledger, readings, payments"] = round(time.monotonic() - gen_started, 2)
    started = time.monotonic()
    bill_entries = _bill_entries(params, base[Bill], now, processes)
    result.seconds["bill ledger entries (by the database)"] = round(time.monotonic() - started, 2)
    dt_units: dict[int, list[float]] = defaultdict(lambda: [0.0] * len(periods))
    consumers = 0
    for counts, seconds, units, done in shards:
        for table, rows in counts.items():
            result.counts[table] = result.counts.get(table, 0) + rows
        for table, value in seconds.items():
            key = f"copy {table} (in parallel)"
            result.seconds[key] = round(result.seconds.get(key, 0.0) + value, 2)
        for dt_id, values in units.items():
            merged = dt_units[dt_id]
            for i, u in enumerate(values):
                merged[i] += u
        consumers += done
    table = LedgerEntry._meta.db_table
    result.counts[table] = result.counts.get(table, 0) + bill_entries
    result.counts["consumers"] = consumers
    writer = CopyThread(params)
    try:
        _input_energy(writer, result, periods, seed, now, dt_units, dt_feeder)
    finally:
        writer.close()


_FORKED: tuple | None = None


def _forked_shard(shard: int):
    args, shards, say = _FORKED
    try:
        return _shard(*args, shard, shards, lambda message: say(f"[{shard}/{shards}] {message}"))
    finally:
        connections.close_all()


def _shard(params, periods, bounds, seed, chunk, now, base, shard: int, shards: int, say):
    """Generate one shard's rows (see `generate`); returns (rows by table, COPY seconds by table, billed
    units by DT and period, consumers done)."""
    writer = CopyThread(params)
    try:
        counts, units, done = _write_with(
            writer, params, periods, bounds, seed, chunk, now, base, shard, shards, say
        )
    finally:
        writer.close()
    return counts, dict(writer.seconds), dict(units), done


def _write_with(writer, params, periods, bounds, seed, chunk, now, base, shard, shards, say):  # noqa: C901
    bills = Sink(
        Bill,
        ["id", "consumer_id", "period", "period_start", "period_end", "bill_number", "status", "basis",
         "category", "sanctioned_load", "load_unit", "units", "true_up_units", "reading_status",
         "closing_reading_id", "energy_charge", "fixed_charge", "electricity_duty", "subsidy", "arrears",
         "current_charges", "round_off", "payable", "payable_after_due", "issue_date", "due_date",
         "created_at", "updated_at", "cancel_reason", "hold_reasons", "notes"],
        writer,
    )  # fmt: skip
    ledger = Sink(
        LedgerEntry,
        ["id", "consumer_id", "entry_type", "amount", "entry_date", "due_date", "period", "description",
         "code", "params", "source_type", "source_id", "posted_at", "reason"],
        writer,
    )  # fmt: skip
    readings = Sink(
        Reading,
        ["id", "created_at", "updated_at", "consumer_id", "account_number", "meter_id", "reading_date", "kwh",
         "status", "source", "units", "units_since", "previous_kwh", "photo", "remarks"],
        writer,
    )  # fmt: skip
    payments = Sink(
        Payment,
        ["id", "consumer_id", "account_number", "channel", "source", "reference", "amount", "paid_at",
         "posted_at", "receipt_number", "status", "instrument_number", "instrument_bank", "cancel_reason"],
        writer,
    )  # fmt: skip
    sinks = (bills, ledger, readings, payments)
    bill_id, entry_id, reading_id, payment_id = (base[m] + shard for m in BIG_TABLES)
    step = shards
    dt_units: dict[int, list[float]] = defaultdict(lambda: [0.0] * len(periods))
    issue = {}
    for p in periods:
        _start, _end, nxt = bounds[p]
        issue[p] = nxt
    # Pre-formatted per-period text: (period, start, end, yymm).
    ptext = {p: (p, bounds[p][0].isoformat(), bounds[p][1].isoformat(), p[2:4] + p[5:7]) for p in periods}
    first_start = bounds[periods[0]][0]
    month_of = {p: int(p[5:7]) for p in periods}
    rng = random.Random()
    consumers_done = 0
    OK, NA, IDF, RDF = (
        ReadingStatus.OK.value,
        ReadingStatus.NA.value,
        ReadingStatus.IDF.value,
        ReadingStatus.RDF.value,
    )
    ISSUED = BillStatus.ISSUED.value
    PAYMENT = EntryType.PAYMENT.value
    channels = (
        (0.45, Channel.PARTNER.value, "partner:seed"),
        (0.70, Channel.ONLINE.value, "gateway:sandbox"),
        (0.95, Channel.CASH.value, "counter:seed"),
        (1.01, Channel.UPI_COUNTER.value, "counter:seed"),
    )
    posted = PaymentStatus.POSTED.value
    smart = {MeterType.SMART.value, MeterType.PREPAID.value}
    rules: dict[str, Rule] = {}

    import psycopg

    with psycopg.connect(**params) as reader_conn, reader_conn.cursor(name="history_consumers") as src:
        src.itersize = chunk
        src.execute(CONSUMERS_SQL, {"shards": shards, "shard": shard})
        for cid, acct, cat, load, load_unit, status, conn_date, dt_id, meter_id, initial, installed, mtype, mf, digits in src:  # fmt: skip
            rng.seed(seed * 10_000_019 + cid)
            rnd = rng.random
            if status == "pd":
                consumers_done += 1
                continue
            rule = rules.get(cat) or rules.setdefault(cat, _rule(cat))
            unmetered = cat in UNMETERED_CATEGORIES or meter_id is None
            start_from = max(conn_date, installed or conn_date)
            first = 0
            if start_from > first_start:
                first = next((i for i, p in enumerate(periods) if bounds[p][1] >= start_from), len(periods))
            last = len(periods)
            if status == "td":
                last = rng.randint(first, len(periods))
            factor = rng.lognormvariate(0, 0.35)
            draw = rnd()
            payer = 0 if draw < 0.62 else 1 if draw < 0.77 else 2 if draw < 0.87 else 3
            ch = rnd()
            channel, source = next((c, s) for limit, c, s in channels if ch < limit)
            if mtype in smart:
                channel, source = Channel.ONLINE.value, "gateway:sandbox"
            issue_day = 4 + cid % 3
            balance = 0.0
            register = initial or 0.0
            last_valid: str | None = installed.isoformat() if installed else None
            unread = 0.0  # consumption since the last valid reading
            pending = 0.0  # consumption not yet billed (provisional months) less what was billed for it
            avg = (rule.kwh_base + rule.kwh_per_load * load) * factor
            scale = 10 ** (digits or 6)
            late_payments: list[tuple[dt.date, float]] = []
            for i in range(first, last):
                p = periods[i]
                pt = ptext[p]
                nxt = issue[p]
                issue_date = nxt + dt.timedelta(days=issue_day)
                due_date = issue_date + dt.timedelta(days=15)
                # Payments made before this issue day count in its arrears.
                if late_payments:
                    keep = []
                    for when, amount in late_payments:
                        if when < issue_date:
                            balance -= amount
                        else:
                            keep.append((when, amount))
                    late_payments = keep
                consumed = round(avg * SEASON[month_of[p]] * rng.uniform(0.8, 1.2), 2)
                closing = r"\N"
                reading_status = ""
                if unmetered:
                    basis = BillBasis.UM.value
                    units = round(rule.kwh_per_load * load, 2)
                    true_up = 0.0
                else:
                    unread += consumed
                    pending += consumed
                    st = OK if mtype in smart else None
                    if st is None:
                        d = rnd()
                        st = OK if d < 0.83 else NA if d < 0.91 else IDF if d < 0.96 else RDF
                    reading_status = st
                    rdate = (nxt + dt.timedelta(days=cid % 3)).isoformat()
                    src_kind = ReadingSource.AMR.value if mtype in smart else ReadingSource.SPOT.value
                    if st == OK:
                        previous = register
                        register = round((register + unread / (mf or 1.0)) % scale, 2)
                        readings.add(
                            rdate,
                            f"{reading_id}\t{now}\t{now}\t{cid}\t{acct}\t{meter_id}\t{rdate}\t{register:.2f}\t{st}\t{src_kind}\t{unread:.2f}\t{last_valid or NULL}\t{previous:.2f}\t\t",
                        )
                        closing = str(reading_id)
                        last_valid = rdate
                        unread = 0.0
                        basis = BillBasis.MU.value
                        true_up = round(pending - consumed, 2)
                        units = round(max(0.0, consumed + true_up), 2)
                        pending = 0.0
                    else:
                        value = "" if st != RDF else f"{register + rng.uniform(0, 50):.2f}"
                        readings.add(
                            rdate,
                            f"{reading_id}\t{now}\t{now}\t{cid}\t{acct}\t{meter_id}\t{rdate}\t{value or NULL}\t{st}\t{src_kind}\t\\N\t\\N\t\\N\t\t",
                        )
                        basis = BillBasis.PROV.value
                        units = round(avg * SEASON[month_of[p]], 2)
                        pending -= units
                        true_up = 0.0
                    reading_id += step
                if dt_id is not None:
                    dt_units[dt_id][i] += units
                energy = round(units * rule.rate, 2) if rule.rate else round(rule.fixed * load, 2)
                fixed = round(rule.fixed * load, 2) if rule.rate else 0.0
                duty = round((energy + fixed) * 0.05, 2)
                subsidy = -round(energy * rule.subsidy, 2)
                gross = round(energy + fixed + duty, 2)
                current = round(gross + subsidy, 2)
                arrears = round(balance, 2)
                raw_payable = current + arrears
                payable = float(round(raw_payable))
                round_off = round(payable - raw_payable, 2)
                after_due = round(payable + current * 0.0125, 2) if payable > 0 else payable
                number = f"{pt[3]}{acct}"
                idate, ddate = issue_date.isoformat(), due_date.isoformat()
                bills.add(
                    p,
                    f"{bill_id}\t{cid}\t{pt[0]}\t{pt[1]}\t{pt[2]}\t{number}\t{ISSUED}\t{basis}\t{cat}\t{load:.2f}\t{load_unit}\t{units:.2f}\t{true_up:.2f}\t{reading_status}\t{closing}\t{energy:.2f}\t{fixed:.2f}\t{duty:.2f}\t{subsidy:.2f}\t{arrears:.2f}\t{current:.2f}\t{round_off:.2f}\t{payable:.2f}\t{after_due:.2f}\t{idate}\t{ddate}\t{now}\t{now}\t\t\t[]",
                )
                # Its ledger debit (the gross charges) and subsidy credit are written afterwards by the
                # database from this row (`_bill_entries`).
                bill_id += step
                balance = round(balance + current, 2)
                # -- payment of this bill
                amount = 0.0
                if payable > 0 and payer != 3:
                    if payer == 0:
                        paid_on = issue_date + dt.timedelta(days=rng.randint(1, 15))
                        amount = payable
                    elif payer == 1:
                        paid_on = due_date + dt.timedelta(days=rng.randint(1, 25))
                        amount = payable
                    elif rnd() < 0.6:
                        paid_on = issue_date + dt.timedelta(days=rng.randint(2, 24))
                        amount = float(max(10, round(payable * rng.uniform(0.4, 0.8), -1)))
                if amount > 0:
                    receipt = f"SEED{payment_id:010d}"
                    pdate = paid_on.isoformat()
                    payments.add(
                        pdate,
                        f"{payment_id}\t{cid}\t{acct}\t{channel}\t{source}\t{receipt}\t{amount:.2f}\t{pdate} 11:30:00+05:30\t{pdate} 11:30:05+05:30\t{receipt}\t{posted}\t\t\t",
                    )
                    ledger.add(
                        pdate,
                        f'{entry_id}\t{cid}\t{PAYMENT}\t{-amount:.2f}\t{pdate}\t\\N\t\tPayment {receipt} ({channel})\tpayment\t{{"receipt": "{receipt}", "channel": "{channel}"}}\tpayment\t{payment_id}\t{pdate} 11:30:05+05:30\t',
                    )
                    entry_id += step
                    payment_id += step
                    late_payments.append((paid_on, amount))
            consumers_done += 1
            if consumers_done % chunk == 0:
                for sink in sinks:
                    sink.flush()
                if consumers_done % (chunk * 25) == 0:
                    say(f"{consumers_done:,} consumers, {bills.rows:,} bills, {ledger.rows:,} ledger entries")
        for sink in sinks:
            sink.flush()
    return {sink.table: sink.rows for sink in sinks}, dt_units, consumers_done


def _input_energy(writer, result, periods, seed, now, dt_units, dt_feeder) -> None:
    """Input energy per DT and feeder (see the module docstring)."""
    rng = random.Random()
    started = time.monotonic()
    energy_id = _next_id(InputEnergy)
    energy = Sink(InputEnergy, ["id", "created_at", "updated_at", "feeder_id", "dt_id", "period", "kwh", "meter_serial", "flag_reason", "source"], writer)  # fmt: skip
    feeder_units: dict[int, list[float]] = defaultdict(lambda: [0.0] * len(periods))
    for dt_id, units in dt_units.items():
        f_units = feeder_units[dt_feeder[dt_id]]
        for i, u in enumerate(units):
            f_units[i] += u
    with connection.cursor() as cursor:
        cursor.execute("SELECT id, feeder_type FROM network_feeder")
        feeder_kind = dict(cursor.fetchall())
    feeder_loss = {}
    for fid in feeder_kind:
        rng.seed(f"{seed}:feeder:{fid}")
        low, high = (0.18, 0.60) if feeder_kind[fid] in ("rural", "agri") else (0.10, 0.35)
        feeder_loss[fid] = low + (high - low) * rng.betavariate(2, 2)
        for i, p in enumerate(periods):
            billed = feeder_units.get(fid, [0.0] * len(periods))[i]
            kwh = (
                billed / (1 - feeder_loss[fid] * rng.uniform(0.9, 1.1)) if billed else rng.uniform(500, 5000)
            )
            energy.add(
                p, f"{energy_id}\t{now}\t{now}\t{fid}\t\\N\t{p}\t{kwh:.2f}\tBM-F{fid:06d}\t\tsynthetic"
            )
            energy_id += 1
    for dt_id, units in dt_units.items():
        rng.seed(f"{seed}:dt:{dt_id}")
        share = rng.uniform(0.3, 0.85)  # of the feeder's loss that happens at/below the DT
        for i, p in enumerate(periods):
            if rng.random() < 0.01:
                continue  # no meter figure this month
            kwh = units[i] / (1 - feeder_loss[dt_feeder[dt_id]] * share) if units[i] else 0.0
            energy.add(
                p, f"{energy_id}\t{now}\t{now}\t\\N\t{dt_id}\t{p}\t{kwh:.2f}\tBM-T{dt_id:07d}\t\tsynthetic"
            )
            energy_id += 1
    energy.flush()
    result.counts[energy.table] = energy.rows
    result.seconds["generate input energy"] = round(time.monotonic() - started, 2)
