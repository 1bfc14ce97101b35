"""The pure engine's rate in CPU time, best of 5 over 5,000 bills (the mix of billing_bench.py), for the
checkout at PATH: run it for two checkouts to compare them on a noisy machine.

    python bench/engine_versus.py /path/to/other/checkout
"""

import datetime
import sys
import time
from decimal import Decimal


def main() -> None:
    sys.path.insert(0, sys.argv[1])
    from urja.domain.engine import BillBasis, BillInput, compute_bill
    from urja.domain.tariff import LoadUnit

    try:
        from urja.domain.tariff_book import default_tariff_book
    except ImportError:  # before the book had its own module
        from urja.domain.tariff import default_tariff_book  # type: ignore[attr-defined,no-redef]

    book = default_tariff_book()
    extra = {"fppas_month": "2026-11"} if "fppas_month" in BillInput.__dataclass_fields__ else {}
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
            **extra,
        )
        for i in range(5000)
    ]
    best = float("inf")
    for _ in range(5):
        started = time.process_time()
        for bill in inputs:
            compute_bill(bill)
        best = min(best, time.process_time() - started)
    print(round(len(inputs) / best))


if __name__ == "__main__":
    main()
