"""`make bench`: run every benchmark and save its results under bench/results/.

Benchmarks print ratios and rates; they are never assertions in tests (timings here are noisy)."""

import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
BENCHES = [
    [sys.executable, str(HERE / "billing_bench.py")],
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
