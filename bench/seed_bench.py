"""Benchmark `urja seed`: time a seed of N consumers against DATABASE_URL and record the result.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/urja_seedbench .venv/bin/python bench/seed_bench.py --consumers 1000000
    .venv/bin/python bench/seed_bench.py --consumers 1000000 --throwaway postgres://postgres@127.0.0.1:5432/urja_seedbench

With --throwaway the database named in the URL is created, migrated, seeded and dropped again. Without
it the database must exist and be migrated; data already in it is reset first (timed apart). The result
goes to bench/results/seed-<date>.json (one file per day; a later run the same day replaces it).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"


def _admin_dsn(url: str) -> tuple[str, str]:
    """The same server's `postgres` database (to create/drop from), and the database name in `url`."""
    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    if not parts.scheme.startswith("postgres") or not name:
        raise SystemExit("--throwaway needs a postgres://…/DBNAME URL")
    return urlunsplit(parts._replace(path="/postgres")), name


def _create_or_drop(url: str, create: bool) -> None:
    import psycopg
    from psycopg import sql

    admin, name = _admin_dsn(url)
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {}").format(sql.Identifier(name)))
        if create:
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--consumers", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--throwaway", metavar="URL", help="create this PostgreSQL database, seed it, drop it"
    )
    parser.add_argument("--output", type=Path, help="result file (default bench/results/seed-<date>.json)")
    args = parser.parse_args()

    if args.throwaway:
        _create_or_drop(args.throwaway, create=True)
        os.environ["DATABASE_URL"] = args.throwaway
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "urja.settings.dev")
    sys.path.insert(0, str(ROOT))
    try:
        import django

        django.setup()
        from django.core.management import call_command
        from django.db import connection

        from urja.customers.models import Consumer
        from urja.demo.seed import reset, seed
        from urja.org.models import Office

        started = time.monotonic()
        call_command("migrate", verbosity=0)
        migrate_seconds = time.monotonic() - started
        reset_seconds = None
        if Consumer.objects.exists() or Office.objects.exists():
            from django.db import transaction

            started = time.monotonic()
            with transaction.atomic():
                reset()
            reset_seconds = round(time.monotonic() - started, 2)

        result = seed(args.consumers, seed=args.seed, progress=sys.stderr.isatty())
        rows = sum(result.counts.values()) + result.counts.get("meters", 0)  # + one installation per meter
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT version()" if connection.vendor == "postgresql" else "SELECT sqlite_version()"
            )
            (server,) = cursor.fetchone()
        record = {
            "benchmark": "seed",
            "date": dt.date.today().isoformat(),
            "command": f"urja seed --consumers {args.consumers} --seed {args.seed}",
            "database": connection.vendor,
            "server": server,
            "consumers": result.counts["consumers"],
            "seed": args.seed,
            "seconds": round(result.seconds, 2),
            "rows_per_second": round(result.counts["consumers"] / result.seconds) if result.seconds else None,
            "all_rows": rows,
            "all_rows_per_second": round(rows / result.seconds) if result.seconds else None,
            "counts": result.counts,
            "migrate_seconds": round(migrate_seconds, 2),
            "reset_seconds": reset_seconds,
            "python": platform.python_version(),
            "cpus": os.cpu_count(),
            "machine": platform.machine(),
        }
    finally:
        if args.throwaway:
            from django.db import connections

            connections.close_all()
            _create_or_drop(args.throwaway, create=False)

    out = args.output or RESULTS / f"seed-{record['date']}.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(record, indent=2) + "\n")
    print(json.dumps(record, indent=2))
    print(f"written to {out}")


if __name__ == "__main__":
    main()
