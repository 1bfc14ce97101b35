"""Billing throughput: the pure engine (bills per second in one process) and a whole bill run on a
throwaway PostgreSQL database (seed N consumers, synthetic readings, `bill_run`, bills per second).

    .venv/bin/python bench/billing_bench.py [--engine-bills 20000] [--consumers 50000] [--pg URL]

Results are printed and saved to bench/results/billing-<date>.json. Timings on shared machines are
noisy: compare rates between runs on the same machine, never assert them in tests."""

import argparse
import datetime
import json
import os
import sys
import time
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def engine_rate(bills: int) -> dict:
    from urja.domain.engine import BillBasis, BillInput, compute_bill
    from urja.domain.tariff import LoadUnit
    from urja.domain.tariff_book import default_tariff_book

    book = default_tariff_book()
    inputs = [
        BillInput(
            tariffs=book,
            category=("LMV1-URBAN", "LMV1-RURAL", "LMV2-URBAN", "LMV6")[i % 4],
            sanctioned_load=Decimal(1 + i % 7),
            load_unit=LoadUnit.KW,
            period_start=datetime.date(2026, 10, 1),
            period_end=datetime.date(2026, 10, 31),
            units=Decimal(i % 900),
            basis=BillBasis.MU,
            fppas=Decimal("1.24"),
            arrears=Decimal(i % 500),
        )
        for i in range(bills)
    ]
    started = time.perf_counter()
    for bill in inputs:
        compute_bill(bill)
    seconds = time.perf_counter() - started
    return {"bills": bills, "seconds": round(seconds, 3), "bills_per_second": round(bills / seconds)}


def run_rate(consumers: int, url: str) -> dict:
    import psycopg
    from psycopg import sql

    base, name = url.rsplit("/", 1)
    with psycopg.connect(base + "/postgres", autocommit=True) as conn:
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {}").format(sql.Identifier(name)))
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "urja.settings.dev")
    import django

    django.setup()
    from django.core.management import call_command

    from urja.billing.models import Bill
    from urja.billing.services import bill_run
    from urja.demo.billing import generate_readings

    try:
        call_command("migrate", verbosity=0)
        call_command("seed", consumers=consumers, seed=3, verbosity=0)
        months = [datetime.date(2026, m, 1) for m in (7, 8, 9, 10)]
        generate_readings(months, seed=3)
        started = time.perf_counter()
        run = bill_run(cycle_code="2026-10")
        seconds = time.perf_counter() - started
        bills = Bill.objects.filter(period="2026-10").count()
        return {
            "consumers": consumers,
            "bills": bills,
            "held": run.held,
            "partitions": run.partitions_total,
            "seconds": round(seconds, 2),
            "bills_per_second": round(bills / seconds),
        }
    finally:
        from django.db import connections

        connections.close_all()
        with psycopg.connect(base + "/postgres", autocommit=True) as conn:
            conn.execute(sql.SQL("DROP DATABASE IF EXISTS {}").format(sql.Identifier(name)))


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--engine-bills", type=int, default=20000)
    parser.add_argument("--consumers", type=int, default=50000)
    parser.add_argument("--pg", default="postgres://postgres@127.0.0.1:5432/urja_bench_billing")
    parser.add_argument("--no-run", action="store_true", help="only the pure engine")
    args = parser.parse_args()
    result = {"date": datetime.date.today().isoformat(), "engine": engine_rate(args.engine_bills)}
    print(f"engine: {result['engine']['bills_per_second']:,} bills/s (pure Python, one process)")
    if not args.no_run:
        result["bill_run_postgres"] = run_rate(args.consumers, args.pg)
        r = result["bill_run_postgres"]
        print(
            f"bill run on PostgreSQL: {r['bills']:,} bills in {r['seconds']} s = {r['bills_per_second']:,} bills/s ({r['held']} held)"
        )
    out = ROOT / "bench" / "results" / f"billing-{result['date']}.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result, indent=2) + "\n")
    print(f"saved {out.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
