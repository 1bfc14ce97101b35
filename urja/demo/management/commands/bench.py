"""`urja bench billing --consumers N`: a whole monthly bill run on PostgreSQL at N consumers, measured.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/urja_bench_billing urja bench billing --consumers 100000

Seeds N consumers (`urja seed`) with a year of synthetic history (urja/demo/seed/history.py: readings,
bills, ledger, payments) — or reuses a database that holds them — then bills the month after the
history with `urja billrun` in a process of its own (as an operator would: without a broker, one
billing process per core), and measures what PostgreSQL's COPY needs to write the same output rows
(the run's bills and ledger entries, into empty copies of their tables with every index). The last
line printed is one JSON object: ``bills_per_s`` (bills over the wall time of the `urja billrun`
process, end to end), ``peak_rss_mb`` (the largest resident set of that process and its workers),
``copy_ratio`` (the run's time over the COPY time), and the detail. Timings are noisy: compare rates
from one machine, never assert them (docs/benchmarks.md).

It writes only to a database whose name contains "bench": a reused one has its previous benchmark
month's bills and their ledger entries removed first (the ledger trigger is bypassed for that, as a
superuser on a throwaway database; nothing else does it)."""

from __future__ import annotations

import datetime
import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from urja.common import clock


def _month(day: datetime.date, delta: int) -> str:
    index = day.year * 12 + day.month - 1 + delta
    return f"{index // 12:04d}-{index % 12 + 1:02d}"


class Command(BaseCommand):
    help = "Benchmarks on a throwaway PostgreSQL database: `urja bench billing --consumers N`."

    def add_arguments(self, parser):
        parser.add_argument("what", choices=["billing"])
        parser.add_argument("--consumers", type=int, default=100_000)
        parser.add_argument(
            "--workers", type=int, default=None, help="billing processes (default: one per core)"
        )
        parser.add_argument(
            "--fresh", action="store_true", help="seed again even if the database holds N consumers"
        )
        parser.add_argument("--save", help="also write the JSON result to this file")

    def handle(self, *args, what, consumers, workers, fresh, save, **options):
        if connection.vendor != "postgresql":
            raise CommandError(
                "`urja bench billing` measures PostgreSQL: set DATABASE_URL=postgres://…/urja_bench_billing"
            )
        name = connection.settings_dict["NAME"]
        if "bench" not in name:
            raise CommandError(f"Refusing to seed and bill database {name!r}: its name must contain 'bench'.")
        say = self.stderr.write
        run_month = _month(clock.today(), -1)  # the month just ended: its readings are in
        history_last = _month(clock.today(), -2)
        result: dict = {"consumers": consumers, "database": name, "month": run_month}
        result["seed"] = self._seed_or_reuse(consumers, history_last, run_month, fresh, say)

        say(f"billing {run_month} …")
        command = [
            sys.executable,
            "-m",
            "urja.manage",
            "billrun",
            "--cycle",
            run_month,
            "--verbosity",
            "0",
            "--no-send",
        ]
        if workers:
            command += ["--workers", str(workers)]
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": os.environ.get("DJANGO_SETTINGS_MODULE", "urja.settings.dev"),
        }
        env.pop("CELERY_BROKER_URL", None)  # the local pool, not the broker
        before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
        wal_before = self._wal_lsn()
        started = time.monotonic()
        done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
        seconds = time.monotonic() - started
        if done.returncode != 0:
            raise CommandError(f"urja billrun failed:\n{done.stdout}\n{done.stderr}")
        peak_kb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_wal_lsn_diff(pg_current_wal_lsn(), %s)", [wal_before])
            result["wal_mb"] = round(float(cursor.fetchone()[0]) / 2**20, 1)
        result["billrun_output"] = done.stdout.strip().splitlines()[-1]

        from urja.billing.models import Bill, BillRun

        run = BillRun.objects.filter(cycle__code=run_month).order_by("-pk").first()
        bills = Bill.objects.filter(run=run).count()
        result["bills"] = bills
        result["issued"], result["held"] = run.billed, run.held
        result["partitions"] = run.partitions_total
        result["run_seconds"] = round(seconds, 2)
        result["bills_per_s"] = round(bills / seconds) if seconds else None
        result["seconds_per_1000_bills"] = round(1000 * seconds / bills, 4) if bills else None
        result["peak_rss_mb"] = round(max(peak_kb, before) / 1024, 1)
        result["workers"] = workers or os.cpu_count()
        copy = self._copy_time(run.pk, say)
        result["copy"] = copy
        result["copy_ratio"] = round(seconds / copy["seconds"], 2) if copy["seconds"] else None
        result["date"] = clock.today().isoformat()
        line = json.dumps(result, sort_keys=True)
        if save:
            Path(save).parent.mkdir(parents=True, exist_ok=True)
            Path(save).write_text(json.dumps(result, indent=2, sort_keys=True) + "\n")
        self.stdout.write(line)

    def _wal_lsn(self) -> str:
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_current_wal_lsn()::text")
            return cursor.fetchone()[0]

    def _seed_or_reuse(self, consumers: int, history_last: str, run_month: str, fresh: bool, say) -> dict:
        from django.core.management import call_command

        from urja.billing.models import Bill
        from urja.customers.models import Consumer
        from urja.demo.billing import demo_fppas_orders
        from urja.demo.seed import seed
        from urja.demo.seed.history import generate

        reusable = False
        if not fresh and self._database("exists"):
            call_command("migrate", verbosity=0)
            count = Consumer.objects.count()
            reusable = (
                abs(count - consumers) <= max(10, consumers // 100)
                and Bill.objects.filter(period=history_last).exists()
            )
        out: dict = {"reused": reusable}
        if reusable:
            say(f"reusing {count:,} consumers; removing earlier benchmark bills of {run_month}")
            self._forget_month(run_month)
        else:
            started = time.monotonic()
            self._database("recreate")
            call_command("migrate", verbosity=0)
            say(f"seeding {consumers:,} consumers …")
            seeded = seed(consumers, seed=1, progress=False)
            out["consumers_seconds"] = round(seeded.seconds, 2)
            say("a year of history …")
            history = generate(last_period=history_last, months=12, progress=lambda m: say(f"  history: {m}"))
            out["history_seconds"] = history.total_seconds
            out["history_rows"] = sum(history.counts.values())
            out["history_steps_seconds"] = history.seconds
            out["total_seconds"] = round(time.monotonic() - started, 2)
        first = datetime.date(int(run_month[:4]), int(run_month[5:]), 1)
        demo_fppas_orders([first])
        with connection.cursor() as cursor:
            for table in ("billing_bill", "ledger_ledgerentry", "metering_reading", "customers_consumer"):
                cursor.execute(f"ANALYZE {table}")
        return out

    def _database(self, action: str) -> bool:
        """Whether the benchmark database exists ("exists"), or drop and create it empty ("recreate"),
        through the server's maintenance database."""
        import psycopg
        from psycopg import sql

        connection.close()
        params = connection.get_connection_params()
        name = params.pop("dbname")
        params.pop("options", None)
        for key in ("cursor_factory", "context", "prepare_threshold"):
            params.pop(key, None)
        with psycopg.connect(**{**params, "dbname": "postgres"}, autocommit=True) as admin:
            exists = (
                admin.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone() is not None
            )
            if action == "recreate":
                admin.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))
                admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
        return exists

    def _forget_month(self, month: str) -> None:
        """A reused benchmark database: the earlier benchmark's bills of `month`, their ledger entries,
        messages and runs go, so the month is billed afresh (the ledger's append-only trigger is
        bypassed here, on a database named *bench*, as a superuser)."""
        with connection.cursor() as cursor:
            cursor.execute("SET session_replication_role = replica")
            try:
                cursor.execute(
                    "DELETE FROM ledger_ledgerentry WHERE period = %s AND source_type = 'bill'", [month]
                )
                cursor.execute(
                    "DELETE FROM notifications_outboundmessage WHERE created_at >= "
                    "(SELECT MIN(r.created_at) FROM billing_billrun r JOIN billing_billcycle c ON c.id = r.cycle_id "
                    "WHERE c.code = %s)",
                    [month],
                )
                cursor.execute("DELETE FROM billing_bill WHERE period = %s", [month])
                cursor.execute(
                    "DELETE FROM billing_billrunpartition WHERE run_id IN (SELECT r.id FROM billing_billrun r "
                    "JOIN billing_billcycle c ON c.id = r.cycle_id WHERE c.code = %s)",
                    [month],
                )
                cursor.execute(
                    "DELETE FROM billing_billrun WHERE cycle_id IN (SELECT id FROM billing_billcycle WHERE code = %s)",
                    [month],
                )
            finally:
                cursor.execute("SET session_replication_role = DEFAULT")

    def _copy_time(self, run_id: int, say) -> dict:
        """What PostgreSQL needs to take the run's output rows by COPY: the bills and their ledger
        entries, read out as COPY text first, then copied into empty tables built LIKE the real ones
        (every index and default) and dropped again."""
        say("timing COPY of the same rows …")
        connection.ensure_connection()
        raw = connection.connection
        queries = {
            "billing_bill": f"SELECT * FROM billing_bill WHERE run_id = {int(run_id)}",
            "ledger_ledgerentry": "SELECT * FROM ledger_ledgerentry WHERE source_type = 'bill' AND source_id IN "
            f"(SELECT id FROM billing_bill WHERE run_id = {int(run_id)})",
        }
        data: dict[str, bytes] = {}
        with raw.cursor() as cursor:
            for table, query in queries.items():
                chunks = []
                with cursor.copy(f"COPY ({query}) TO STDOUT") as copy:
                    for chunk in copy:
                        chunks.append(bytes(chunk))
                data[table] = b"".join(chunks)
        seconds: dict[str, float] = {}
        rows: dict[str, int] = {}
        with raw.cursor() as cursor:
            for table, payload in data.items():
                shadow = f"bench_copy_{table}"
                cursor.execute(f"DROP TABLE IF EXISTS {shadow}")
                cursor.execute(f"CREATE TABLE {shadow} (LIKE {table} INCLUDING ALL)")
                raw.commit()
                started = time.monotonic()
                with cursor.copy(f"COPY {shadow} FROM STDIN") as copy:
                    copy.write(payload)
                raw.commit()
                seconds[table] = time.monotonic() - started
                rows[table] = payload.count(b"\n")
                cursor.execute(f"DROP TABLE {shadow}")
                raw.commit()
        return {
            "seconds": round(sum(seconds.values()), 3),
            "by_table": {t: round(s, 3) for t, s in seconds.items()},
            "rows": rows,
            "mb": round(sum(len(p) for p in data.values()) / 2**20, 1),
        }
