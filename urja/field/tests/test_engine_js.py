"""The field app's JavaScript bill engine (urja/field/static/field/engine.js) against the Python one.

``pytest`` alone covers it: the node test file (every golden vector) runs here, and the JS results are
compared with ``compute_bill(...).to_dict()`` as a whole (notes, months and billed quantity too, which
the vectors leave out), on the vectors and on variants of them, and so are the errors. Skipped, with
the reason, when node is not installed (``.ci/run`` installs Debian's nodejs).
"""

from __future__ import annotations

import json
import random
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from urja.domain.engine import BillInput, compute_bill

ROOT = Path(__file__).resolve().parents[3]
ENGINE = ROOT / "urja" / "field" / "static" / "field" / "engine.js"
VECTORS = ROOT / "tests" / "vectors" / "bills.json"
CASES: list[dict[str, Any]] = json.loads(VECTORS.read_text(encoding="utf-8"))
NODE = shutil.which("node")

pytestmark = pytest.mark.skipif(
    NODE is None, reason="node is not installed: the JS engine tests need node 20"
)

# Reads a JSON list of bill inputs on stdin, prints one {"bill": ...} or {"error": {code, message}} each.
_RUNNER = """
import { computeBill, BillError } from %s;
let text = "";
process.stdin.setEncoding("utf8");
for await (const chunk of process.stdin) text += chunk;
const out = JSON.parse(text).map((input) => {
  try { return { bill: computeBill(input) }; }
  catch (e) { return { error: { code: e.code ?? null, message: e.message, js: !(e instanceof BillError) } }; }
});
process.stdout.write(JSON.stringify(out));
"""


def _js_bills(inputs: list[dict[str, Any]]) -> list[dict[str, Any]]:
    assert NODE is not None
    script = _RUNNER % json.dumps(ENGINE.as_uri())
    done = subprocess.run(
        [NODE, "--input-type=module", "-e", script],
        input=json.dumps(inputs),
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    results: list[dict[str, Any]] = json.loads(done.stdout)
    return results


def _python_bill(data: dict[str, Any]) -> dict[str, Any]:
    """What the device's bill must equal: the Python result, each line as head, description, amount."""
    try:
        result = compute_bill(BillInput.from_dict(data)).to_dict()
    except ValueError as error:  # the engine's refusals (LoadOutsideLimits is one)
        return {"error": str(error)}
    result["lines"] = [
        {key: line[key] for key in ("head", "description", "amount")} for line in result["lines"]
    ]
    return {"bill": result}


def _assert_same(data: dict[str, Any], js: dict[str, Any], label: str) -> None:
    python = _python_bill(data)
    if "error" in python:
        assert "error" in js, f"{label}: Python refuses ({python['error']}) but JS bills {js.get('bill')}"
        assert not js["error"]["js"], f"{label}: JS failed with a plain error: {js['error']}"
        assert js["error"]["message"] == python["error"], label
    else:
        assert "bill" in js, f"{label}: JS refuses ({js['error']}) but Python bills it"
        assert js["bill"] == python["bill"], label


def test_node_runs_the_engine_tests_on_every_vector() -> None:
    assert NODE is not None
    done = subprocess.run(
        [NODE, "--test", "tests/js/engine.test.mjs"], cwd=ROOT, capture_output=True, text=True, timeout=300
    )
    assert done.returncode == 0, done.stdout[-4000:] + done.stderr[-2000:]
    lt = sum(1 for case in CASES if not case["input"]["category"].startswith("HV"))
    assert f"{lt} of {lt} LT vectors ran, 0 skipped" in done.stdout


def test_js_bills_equal_the_python_results_whole() -> None:
    inputs = [case["input"] for case in CASES]
    for case, js in zip(CASES, _js_bills(inputs), strict=True):
        _assert_same(case["input"], js, case["name"])


def _variants(seed: int, per_case: int) -> list[tuple[str, dict[str, Any]]]:
    """Each vector with its readings, period and particulars changed at random (seeded, so a failure
    repeats): the engines must agree on bills no vector spells out, refusals included."""
    rng = random.Random(seed)
    loads = ["0.5", "1", "2", "3.2", "4.5", "7.5", "10", "11", "12.5", "24", "75", "76", "150"]
    units = ["0", "1", "49", "100", "150", "151", "200.5", "300", "301", "999", "1234", "5000"]
    result: list[tuple[str, dict[str, Any]]] = []
    for case in CASES:
        for number in range(per_case):
            data = json.loads(json.dumps(case["input"]))
            if data.get("units") is not None or rng.random() < 0.2:
                data["units"] = rng.choice(units) if data.get("basis", "MU") != "UM" else None
            if data.get("kvah") is not None or rng.random() < 0.2:
                data["kvah"] = rng.choice([None, "0", "120", "480.5", "1500", "9000"])
            if rng.random() < 0.6:
                data["sanctioned_load"] = rng.choice(loads)
            if rng.random() < 0.3:
                start, end = data["period_start"], data["period_end"]
                data["period_start"], data["period_end"] = _shifted(start, rng), _shifted(end, rng)
            if rng.random() < 0.3:
                data["fppas"] = rng.choice(["0", "1.24", "-2.5", "7"])
            if rng.random() < 0.2:
                data["arrears"] = rng.choice(["0", "1234.56", "-50.00"])
            for flag in ("prepaid", "na_penalty", "has_arrears"):
                if rng.random() < 0.15:
                    data[flag] = not data.get(flag, False)
            if rng.random() < 0.1 and not data.get("true_up_periods"):
                data["true_up_units"] = rng.choice(["-80", "35", "400"])
            if rng.random() < 0.1:
                data["md_kva"] = rng.choice(["0", "8.4", "60", "120"])
            result.append((f"{case['name']}~{number}", data))
    return result


def _shifted(day: str, rng: random.Random) -> str:
    from datetime import date, timedelta

    return (date.fromisoformat(day) + timedelta(days=rng.randint(-20, 40))).isoformat()


def test_js_bills_equal_python_on_variants_of_the_vectors() -> None:
    variants = _variants(seed=11, per_case=12)
    for (label, data), js in zip(variants, _js_bills([data for _, data in variants]), strict=True):
        _assert_same(data, js, label)


def _refused(change: dict[str, Any]) -> dict[str, Any]:
    data = json.loads(json.dumps(CASES[0]["input"]))
    data.update(change)
    return data


REFUSALS = {
    "negative load": {"sanctioned_load": "-1"},
    "period backwards": {"period_start": "2025-04-30", "period_end": "2025-04-01"},
    "unknown category": {"category": "LMV99"},
    "no tariff in force": {"period_start": "2019-04-01", "period_end": "2019-04-30"},
    "unmetered basis with units": {"basis": "UM"},
    "negative units": {"units": "-5"},
    "phase": {"phase": 2},
    "fppas month": {"fppas_month": "2025-13"},
    "fppas per month": {"fppas": ["1", "2"]},
    "duty exemption": {"duty_exempt_percent": "150"},
    "late rebate": {"late_rebate_percent": "-2"},
    "solar without scheme": {"export_units": "10"},
    "supply off with units": {"supply_off": True},
    "basis": {"basis": "XX"},
    "load unit": {"load_unit": "HP"},
}


@pytest.mark.parametrize("change", REFUSALS.values(), ids=REFUSALS.keys())
def test_js_refuses_what_python_refuses_in_the_same_words(change: dict[str, Any]) -> None:
    data = _refused(change)
    js = _js_bills([data])[0]
    assert "error" in _python_bill(data)
    _assert_same(data, js, str(change))


def test_the_js_engine_version_is_the_one_engine_js_exports() -> None:
    from urja.field.engine_version import js_engine_version

    assert NODE is not None
    uri = json.dumps(ENGINE.as_uri())
    script = f"import {{ ENGINE_VERSION }} from {uri}; process.stdout.write(ENGINE_VERSION);"
    done = subprocess.run(
        [NODE, "--input-type=module", "-e", script], capture_output=True, text=True, check=True
    )
    assert done.stdout == js_engine_version()
    assert js_engine_version().startswith("urja-js-")
