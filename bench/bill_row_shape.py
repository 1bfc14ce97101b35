"""The bill row's shape (issue 13): what do the stored line items cost a bill run's writes?

On a benchmark database that `urja bench billing` has billed, takes one period's bills as COPY text in
three shapes and times PostgreSQL's COPY of each into an empty table built LIKE billing_bill (every
index), best of `--repeat`, with the table's size afterwards:

* ``as stored``: the lines as Urja stores them (head, English description, amount, quantity, rate,
  unit, and the params the words are rendered from in the reader's language);
* ``compact lines``: the same lines without ``description`` (it can be rendered from head and params,
  urja/billing/lines.py, as the console and the PDF already do);
* ``positional lines``: each line an array [head, amount, quantity, rate, unit, params], no keys;
* ``no lines``: ``[]`` (what a bill row costs with its lines elsewhere or not at all).

    .venv/bin/python bench/bill_row_shape.py --db postgres://postgres@127.0.0.1:5432/urja_bench_billing

Prints one JSON line and saves it as bench/results/bill-row-shape-<date>.json. Timings are noisy; compare
the shapes of one run with each other, never across machines.
"""

from __future__ import annotations

import argparse
import datetime
import json
import time
from pathlib import Path

import psycopg

SHAPES = {
    "as stored": "lines",
    "compact lines": "COALESCE((SELECT jsonb_agg(l - 'description') FROM jsonb_array_elements(lines) l), '[]')",
    "positional lines": "COALESCE((SELECT jsonb_agg(jsonb_build_array(l->'head', l->'amount', l->'quantity', "
    "l->'rate', l->'unit', l->'params')) FROM jsonb_array_elements(lines) l), '[]')",
    "no lines": "'[]'::jsonb",
}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", default="postgres://postgres@127.0.0.1:5432/urja_bench_billing")
    parser.add_argument("--period", help="the period whose bills are copied (default: the latest)")
    parser.add_argument("--repeat", type=int, default=2)
    args = parser.parse_args()
    with psycopg.connect(args.db, autocommit=True) as conn:
        period = args.period or conn.execute("SELECT MAX(period) FROM billing_bill").fetchone()[0]
        columns = [
            r[0]
            for r in conn.execute(
                "SELECT attname FROM pg_attribute WHERE attrelid = 'billing_bill'::regclass AND attnum > 0 "
                "AND NOT attisdropped ORDER BY attnum"
            )
        ]
        bills, avg_lines, avg_row = conn.execute(
            "SELECT COUNT(*), AVG(pg_column_size(lines)), AVG(pg_column_size(b.*)) FROM billing_bill b "
            "WHERE period = %s",
            [period],
        ).fetchone()
        out: dict = {
            "database": args.db.rsplit("/", 1)[-1],
            "period": period,
            "bills": bills,
            "stored_lines_bytes_avg": round(float(avg_lines)),
            "stored_row_bytes_avg": round(float(avg_row)),
            "shapes": {},
        }
        for shape, expression in SHAPES.items():
            select = ", ".join(expression + " AS lines" if c == "lines" else f'"{c}"' for c in columns)
            chunks = []
            with conn.cursor() as cursor:
                query = f"COPY (SELECT {select} FROM billing_bill b WHERE period = %s) TO STDOUT"
                with cursor.copy(query, [period]) as copy:
                    for chunk in copy:
                        chunks.append(bytes(chunk))
            payload = b"".join(chunks)
            best = None
            size = 0
            for _ in range(args.repeat):
                conn.execute("DROP TABLE IF EXISTS bench_shape")
                conn.execute("CREATE TABLE bench_shape (LIKE billing_bill INCLUDING ALL)")
                started = time.monotonic()
                with conn.cursor() as cursor, cursor.copy("COPY bench_shape FROM STDIN") as copy:
                    copy.write(payload)
                seconds = time.monotonic() - started
                best = seconds if best is None else min(best, seconds)
                size = conn.execute("SELECT pg_total_relation_size('bench_shape')").fetchone()[0]
                conn.execute("DROP TABLE bench_shape")
            out["shapes"][shape] = {
                "copy_text_mb": round(len(payload) / 2**20, 1),
                "copy_seconds": round(best, 2),
                "bills_per_s": round(bills / best) if best else None,
                "table_mb": round(size / 2**20, 1),
            }
        base = out["shapes"]["as stored"]["copy_seconds"]
        for shape in out["shapes"].values():
            shape["relative_time"] = round(shape["copy_seconds"] / base, 2) if base else None
        out["date"] = datetime.date.today().isoformat()
    line = json.dumps(out, sort_keys=True)
    print(line)
    path = Path(__file__).parent / "results" / f"bill-row-shape-{out['date']}.json"
    path.write_text(json.dumps(out, indent=2, sort_keys=True) + "\n")


if __name__ == "__main__":
    main()
