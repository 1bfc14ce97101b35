"""Payment posting throughput on a throwaway PostgreSQL database: `payment_post` (one transaction per
payment with its ledger entry and receipt number) from several threads at once, each posting to its
own accounts through one partner source (so all share one receipt series, the serialisation point).

    .venv/bin/python bench/payments_bench.py [--consumers 5000] [--threads 4] [--pg URL]

Prints payments per second and saves bench/results/payments-<date>.json."""

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


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--consumers", type=int, default=5000)
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--pg", default="postgres://postgres@127.0.0.1:5432/urja_bench_payments")
    args = parser.parse_args()

    import psycopg
    from psycopg import sql

    base, name = args.pg.rsplit("/", 1)
    with psycopg.connect(base + "/postgres", autocommit=True) as conn:
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {}").format(sql.Identifier(name)))
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    os.environ["DATABASE_URL"] = args.pg
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "urja.settings.dev")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connections

    from urja.customers.models import Consumer
    from urja.payments.services import payment_post
    from urja.testing import run_concurrently

    try:
        call_command("migrate", verbosity=0)
        call_command("seed", consumers=args.consumers, seed=5, verbosity=0)
        ids = list(Consumer.objects.order_by("id").values_list("id", flat=True))
        shards = [ids[i :: args.threads] for i in range(args.threads)]

        def post_all(i: int) -> int:
            for n, cid in enumerate(shards[i]):
                payment_post(
                    consumer=Consumer(pk=cid),
                    amount=Decimal("100.00"),
                    channel="partner",
                    source="partner:bench",
                    reference=f"T{i}-{n}",
                )
            return len(shards[i])

        started = time.perf_counter()
        counts = run_concurrently(args.threads, post_all, timeout=60)
        seconds = time.perf_counter() - started
        errors = [c for c in counts if isinstance(c, Exception)]
        if errors:
            raise errors[0]
        total = sum(counts)
        result = {
            "date": datetime.date.today().isoformat(),
            "payments": total,
            "threads": args.threads,
            "seconds": round(seconds, 2),
            "payments_per_second": round(total / seconds),
        }
        print(
            f"payment_post on PostgreSQL: {total:,} payments, {args.threads} threads, {seconds:.1f} s = {result['payments_per_second']:,}/s"
        )
        out = ROOT / "bench" / "results" / f"payments-{result['date']}.json"
        out.write_text(json.dumps(result, indent=2) + "\n")
        print(f"saved {out.relative_to(ROOT)}")
    finally:
        connections.close_all()
        with psycopg.connect(base + "/postgres", autocommit=True) as conn:
            conn.execute(sql.SQL("DROP DATABASE IF EXISTS {}").format(sql.Identifier(name)))


if __name__ == "__main__":
    main()
