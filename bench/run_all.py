"""`make bench`: run every benchmark and save its results under bench/results/.

Benchmarks print ratios and rates; they are never assertions in tests (timings here are noisy)."""

import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
BILLING_DB = "postgres://postgres@127.0.0.1:5432/urja_bench_billing"
BENCHES = [
    [sys.executable, str(HERE / "billing_bench.py"), "--no-run"],  # the pure engine
    # A whole monthly bill run (issue 13): 100,000 then 1,000,000 consumers (each seeded once, ~2.5 and
    # ~25 minutes, then reused), one JSON line each with bills_per_s, peak_rss_mb and copy_ratio.
    [
        "env",
        f"DATABASE_URL={BILLING_DB}_100k",
        str(HERE.parent / ".venv" / "bin" / "urja"),
        "bench",
        "billing",
        "--consumers",
        "100000",
        "--save",
        str(HERE / "results" / "billing-run-100k.json"),
    ],
    [
        "env",
        f"DATABASE_URL={BILLING_DB}",
        str(HERE.parent / ".venv" / "bin" / "urja"),
        "bench",
        "billing",
        "--consumers",
        "1000000",
        "--save",
        str(HERE / "results" / "billing-run-1m.json"),
    ],
    # The bill row's shape: COPY of that run's bills as stored, with compact lines, without lines.
    [sys.executable, str(HERE / "bill_row_shape.py"), "--db", BILLING_DB],
    [sys.executable, str(HERE / "payments_bench.py")],
    [
        sys.executable,
        str(HERE / "seed_bench.py"),
        "--consumers",
        "200000",
        "--throwaway",
        "postgres://postgres@127.0.0.1:5432/urja_bench_seed",
    ],
    [sys.executable, str(HERE / "slow3g.py")],
    # MIS at 1,000,000 consumers: seeds urja_bench_mis once (~40 min on a busy 2-core machine; 10 min is
    # the target), then reuses it.
    [sys.executable, str(HERE / "mis_bench.py"), "--reuse"],
]


def main() -> int:
    failed = 0
    for command in BENCHES:
        print("$", " ".join(command[1:]), flush=True)
        failed += subprocess.call(command) != 0
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
