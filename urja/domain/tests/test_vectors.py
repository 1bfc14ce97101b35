"""The golden bill vectors (tests/vectors/bills.json), shared with the field app's JavaScript.

Each case carries its own tariff versions, so the vectors stay fixed when the seeded book is edited.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from urja.domain.engine import BillInput, compute_bill
from urja.domain.tariff_book_hv import HV_CATEGORY_CODES

VECTORS = Path(__file__).resolve().parents[3] / "tests" / "vectors" / "bills.json"
CASES: list[dict[str, Any]] = json.loads(VECTORS.read_text(encoding="utf-8"))


def test_the_vectors_cover_every_category_and_enough_cases() -> None:
    from urja.domain.tariff import CATEGORY_CODES

    categories = {case["input"]["category"] for case in CASES}
    assert categories >= set(HV_CATEGORY_CODES)
    assert categories >= {
        "LMV1-LIFELINE",
        "LMV1-RURAL-UM",
        "LMV1-RURAL",
        "LMV1-URBAN",
        "LMV2-URBAN",
        "LMV5-RURAL-UM",
        "LMV5-RURAL",
        "LMV5-URBAN",
        "LMV6",
    }
    assert categories >= set(CATEGORY_CODES)
    assert len(CASES) >= 25
    assert len({case["name"] for case in CASES}) == len(CASES)


@pytest.mark.parametrize("case", CASES, ids=[case["name"] for case in CASES])
def test_vector(case: dict[str, Any]) -> None:
    result = compute_bill(BillInput.from_dict(case["input"])).to_dict()
    expected = case["expected"]
    lines = [{key: line[key] for key in ("head", "description", "amount")} for line in result["lines"]]
    assert lines == expected["lines"]
    for key, value in expected.items():
        if key != "lines":
            assert result[key] == value, key


@pytest.mark.parametrize("case", CASES, ids=[case["name"] for case in CASES])
def test_vector_input_round_trips(case: dict[str, Any]) -> None:
    bill = BillInput.from_dict(case["input"])
    assert BillInput.from_dict(json.loads(json.dumps(bill.to_dict()))) == bill
