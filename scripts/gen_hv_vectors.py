"""Add the HV / demand / TOD / power-factor cases to tests/vectors/bills.json (replacing cases of the same
name): inputs + hand-computed key figures, checked against the engine. Run from the worktree root:
``.venv/bin/python scripts/gen_hv_vectors.py``. Every HV rate is uncertain (urja/domain/tariff_book_hv.py);
each case carries its own tariff, so the arithmetic stays checked whatever the book becomes."""

import json
import sys
from pathlib import Path

from urja.domain.engine import RESULT_MONEY_FIELDS, BillInput, compute_bill
from urja.domain.tariff_book import current_tariff_book
from urja.domain.tariff_book_hv import LMV6_TOD, hv_tariff_book

VECTORS = Path(__file__).resolve().parents[1] / "tests" / "vectors" / "bills.json"
BOOK = {v.category: v.to_dict() for v in [*current_tariff_book(), *hv_tariff_book()]}
APR = {"period_start": "2025-04-01", "period_end": "2025-04-30"}
KEYS = ("category", "basis", *RESULT_MONEY_FIELDS)


def hyp(code, **changes):
    data = json.loads(json.dumps(BOOK[code]))
    data.update(changes)
    return data


cases = []


def case(name, inp, hand, why, notes=None):
    base = {"load_unit": "kVA", **APR}
    base.update(inp)
    base["tariffs"] = base.get("tariffs") or [BOOK[base["category"]]]
    cases.append({"name": name, "why": why, "input": base, "hand": hand, "notes": notes})


TOD_NOTE = "Time-of-day tariff but no TOD meter registers were given: billed at the normal rate"

case(
    "hv1-11kv-demand-above-share",
    {"category": "HV1-11KV", "sanctioned_load": "500", "units": "54000", "kvah": "60000", "md_kva": "420"},
    {
        "energy_charge": "499200.00",
        "demand_charge": "180600.00",
        "electricity_duty": "50985.00",
        "total": "730785.00",
        "payable": "730785.00",
    },
    "HV-1 at 11 kV (uncertain rates: Rs 430/kVA, 8.32/kVAh), contracted 500 kVA, MD 420 kVA above the 75% "
    "floor of 375: demand 420 x 430 = 180600.00; energy 60000 kVAh x 8.32 = 499200.00; TOD tariff without "
    "registers, billed at the normal rate with a note; duty 7.5% of 679800.00 = 50985.00; total 730785.00",
    [TOD_NOTE],
)
case(
    "hv1-above11kv-demand-below-share",
    {
        "category": "HV1-ABOVE11KV",
        "sanctioned_load": "500",
        "units": "36000",
        "kvah": "40000",
        "md_kva": "200",
    },
    {
        "energy_charge": "324800.00",
        "demand_charge": "150000.00",
        "electricity_duty": "35610.00",
        "total": "510410.00",
        "payable": "510410.00",
    },
    "HV-1 above 11 kV (Rs 400/kVA, 8.12/kVAh, uncertain), contracted 500 kVA, MD 200 below the floor: billable "
    "75% x 500 = 375 kVA x 400 = 150000.00; energy 40000 x 8.12 = 324800.00; duty 7.5% of 474800.00 = "
    "35610.00; total 510410.00",
    [TOD_NOTE],
)
case(
    "hv2-11kv-tod-kvah-registers",
    {
        "category": "HV2-11KV",
        "sanctioned_load": "1000",
        "units": "180000",
        "kvah": "200000",
        "md_kva": "800",
        "tod_registers": [["offpeak", "60000"], ["normal", "100000"], ["peak", "40000"]],
    },
    {
        "energy_charge": "1420000.00",
        "tod": "-21300.00",
        "demand_charge": "240000.00",
        "electricity_duty": "122902.50",
        "total": "1761602.50",
        "payable": "1761603.00",
        "round_off": "0.50",
    },
    "HV-2 at 11 kV (Rs 300/kVA, 7.10/kVAh, uncertain), 1000 kVA, MD 800 (floor 750): demand 800 x 300 = "
    "240000.00; energy 200000 x 7.10 = 1420000.00; TOD: off-peak 60000/200000 x 1420000 x -15% = -63900.00, "
    "peak 40000/200000 x 1420000 x +15% = 42600.00 (normal 0%, no line), net -21300.00; duty 7.5% of "
    "1638700.00 = 122902.50; total 1761602.50, payable 1761603.00 (round-off +0.50)",
    [],
)
case(
    "hv2-66kv-excess-demand",
    {
        "category": "HV2-66KV",
        "sanctioned_load": "2000",
        "units": "810000",
        "kvah": "900000",
        "md_kva": "2300",
    },
    {
        "energy_charge": "6120000.00",
        "demand_charge": "667000.00",
        "excess_demand": "87000.00",
        "electricity_duty": "515550.00",
        "total": "7389550.00",
        "payable": "7389550.00",
    },
    "HV-2 above 11 up to 66 kV (Rs 290/kVA, 6.80/kVAh, uncertain), contracted 2000 kVA, MD 2300: demand "
    "2300 x 290 = 667000.00; excess 300 kVA charged 2x in all, the extra 1x: 300 x 290 = 87000.00; energy "
    "900000 x 6.80 = 6120000.00; duty 7.5% of 6874000.00 = 515550.00; total 7389550.00",
    [TOD_NOTE],
)
case(
    "hv2-132kv-provisional-no-md",
    {
        "category": "HV2-132KV",
        "sanctioned_load": "5000",
        "units": "1350000",
        "kvah": "1500000",
        "basis": "PROV",
    },
    {
        "energy_charge": "9900000.00",
        "demand_charge": "1350000.00",
        "electricity_duty": "843750.00",
        "total": "12093750.00",
        "payable": "12093750.00",
    },
    "HV-2 above 66 up to 132 kV (Rs 270/kVA, 6.60/kVAh, uncertain), provisional bill without MD: billable "
    "demand = contracted 5000 kVA x 270 = 1350000.00; energy 1500000 x 6.60 = 9900000.00; duty 7.5% of "
    "11250000.00 = 843750.00; total 12093750.00",
    [TOD_NOTE],
)
case(
    "hv2-above132kv-tod-kwh-registers",
    {
        "category": "HV2-ABOVE132KV",
        "sanctioned_load": "10000",
        "units": "3600000",
        "kvah": "4000000",
        "md_kva": "9000",
        "tod_registers": [["offpeak", "1200000"], ["normal", "1800000"], ["peak", "600000"]],
    },
    {
        "energy_charge": "25600000.00",
        "tod": "-640000.00",
        "demand_charge": "2430000.00",
        "electricity_duty": "2054250.00",
        "total": "29444250.00",
        "payable": "29444250.00",
    },
    "HV-2 above 132 kV (Rs 270/kVA, 6.40/kVAh, uncertain), TOD registers in kWh give the slots' shares of the "
    "kVAh energy charge: energy 4000000 x 6.40 = 25600000.00; off-peak 1200000/3600000 = 1/3 x -15% = "
    "-1280000.00; peak 1/6 x +15% = 640000.00; demand 9000 x 270 = 2430000.00; duty 7.5% of 27390000.00 = "
    "2054250.00; total 29444250.00",
    [],
)
case(
    "hv3-below132kv-no-tod",
    {
        "category": "HV3-BELOW132KV",
        "sanctioned_load": "3000",
        "units": "720000",
        "kvah": "800000",
        "md_kva": "2500",
        "tod_registers": [["peak", "100000"]],
    },
    {
        "energy_charge": "6160000.00",
        "demand_charge": "875000.00",
        "electricity_duty": "527625.00",
        "total": "7562625.00",
        "payable": "7562625.00",
    },
    "HV-3 railway traction below 132 kV (Rs 350/kVA, 7.70/kVAh, uncertain; no TOD): registers ignored with a "
    "note; demand 2500 x 350 = 875000.00; energy 800000 x 7.70 = 6160000.00; duty 7.5% of 7035000.00 = "
    "527625.00; total 7562625.00",
    ["TOD registers not used: this tariff has no time-of-day rates"],
)
case(
    "hv3-132kv-demand-below-share",
    {
        "category": "HV3-132KV",
        "sanctioned_load": "10000",
        "units": "2700000",
        "kvah": "3000000",
        "md_kva": "7000",
    },
    {
        "energy_charge": "22500000.00",
        "demand_charge": "2625000.00",
        "electricity_duty": "1884375.00",
        "total": "27009375.00",
        "payable": "27009375.00",
    },
    "HV-3 at 132 kV and above (Rs 350/kVA, 7.50/kVAh, uncertain), MD 7000 below 75% x 10000 = 7500: demand "
    "7500 x 350 = 2625000.00; energy 3000000 x 7.50 = 22500000.00; duty 7.5% of 25125000.00 = 1884375.00",
    [],
)
case(
    "hv4-11kv-tod",
    {
        "category": "HV4-11KV",
        "sanctioned_load": "200",
        "units": "45000",
        "kvah": "50000",
        "md_kva": "180",
        "tod_registers": [["offpeak", "20000"], ["normal", "20000"], ["peak", "10000"]],
    },
    {
        "energy_charge": "395000.00",
        "tod": "-11850.00",
        "demand_charge": "63000.00",
        "electricity_duty": "33461.25",
        "total": "479611.25",
        "payable": "479611.00",
        "round_off": "-0.25",
    },
    "HV-4 lift irrigation at 11 kV (Rs 350/kVA, 7.90/kVAh, uncertain): energy 50000 x 7.90 = 395000.00; "
    "off-peak 20000/50000 x 395000 x -15% = -23700.00; peak 10000/50000 x 395000 x 15% = 11850.00; demand "
    "180 x 350 = 63000.00; duty 7.5% of 446150.00 = 33461.25; total 479611.25, payable 479611.00",
    [],
)
case(
    "hv4-66kv-demand-below-share",
    {"category": "HV4-66KV", "sanctioned_load": "400", "units": "27000", "kvah": "30000", "md_kva": "100"},
    {
        "energy_charge": "234000.00",
        "demand_charge": "102000.00",
        "electricity_duty": "25200.00",
        "total": "361200.00",
        "payable": "361200.00",
    },
    "HV-4 above 11 up to 66 kV (Rs 340/kVA, 7.80/kVAh, uncertain), MD 100 below 75% x 400 = 300: demand 300 x "
    "340 = 102000.00; energy 30000 x 7.80 = 234000.00; duty 7.5% of 336000.00 = 25200.00",
    [TOD_NOTE],
)
case(
    "hv4-132kv-md-at-contracted",
    {
        "category": "HV4-132KV",
        "sanctioned_load": "1000",
        "units": "90000",
        "kvah": "100000",
        "md_kva": "1000",
    },
    {
        "energy_charge": "770000.00",
        "demand_charge": "330000.00",
        "excess_demand": "0.00",
        "electricity_duty": "82500.00",
        "total": "1182500.00",
    },
    "HV-4 above 66 up to 132 kV (Rs 330/kVA, 7.70/kVAh, uncertain), MD exactly the contracted 1000 kVA: no "
    "excess line; demand 1000 x 330 = 330000.00; energy 100000 x 7.70 = 770000.00; duty 7.5% of 1100000.00 "
    "= 82500.00",
    [TOD_NOTE],
)
case(
    "hv2-11kv-kw-load-no-kvah-reading",
    {"category": "HV2-11KV", "load_unit": "kW", "sanctioned_load": "450", "units": "100000", "md_kva": "480"},
    {
        "energy_charge": "710000.00",
        "demand_charge": "144000.00",
        "electricity_duty": "64050.00",
        "total": "918050.00",
    },
    "HV-2 at 11 kV, contracted 450 kW = 500 kVA (450 / 0.90, exact): MD 480 above the floor 375, demand 480 "
    "x 300 = 144000.00; no kVAh reading, billed on 100000 kWh at the kVAh rate 7.10 = 710000.00 with a note; "
    "duty 7.5% of 854000.00 = 64050.00",
    ["kVAh billing applies at this load but no kVAh reading was given: billed on kWh", TOD_NOTE],
)

LMV6_TOD_VERSION = hyp("LMV6", tod=LMV6_TOD.to_dict())
case(
    "lmv6-tod-kvah",
    {
        "tariffs": [LMV6_TOD_VERSION],
        "category": "LMV6",
        "load_unit": "kW",
        "sanctioned_load": "18",
        "units": "4600",
        "kvah": "5000",
        "tod_registers": [["offpeak", "1000"], ["normal", "2500"], ["peak", "1500"]],
    },
    {
        "energy_charge": "32850.00",
        "tod": "492.75",
        "fixed_charge": "5220.00",
        "electricity_duty": "2892.21",
        "total": "41454.96",
        "payable": "41455.00",
        "round_off": "0.04",
    },
    "LMV-6 with TOD (+/-15%, uncertain slots), 18 kW = 20 kVA (exact), kVAh billing: energy 5000 kVAh x (7.30 "
    "x 0.90 = 6.57) = 32850.00; off-peak 1000/5000 x 32850 x -15% = -985.50; peak 1500/5000 x 32850 x 15% = "
    "1478.25; fixed 20 kVA x (290 x 0.90 = 261) = 5220.00; duty 7.5% of 38562.75 = 2892.21 (2892.20625); "
    "total 41454.96, payable 41455.00",
    [],
)
case(
    "lmv6-tod-without-registers",
    {
        "tariffs": [LMV6_TOD_VERSION],
        "category": "LMV6",
        "load_unit": "kW",
        "sanctioned_load": "18",
        "units": "4600",
        "kvah": "5000",
    },
    {
        "energy_charge": "32850.00",
        "tod": "0.00",
        "fixed_charge": "5220.00",
        "electricity_duty": "2855.25",
        "total": "40925.25",
        "payable": "40925.00",
    },
    "LMV-6 TOD tariff, meter without TOD registers: normal rate with a note; energy 5000 x 6.57 = 32850.00; "
    "fixed 20 x 261 = 5220.00; duty 7.5% of 38070.00 = 2855.25; total 40925.25, payable 40925.00",
    [TOD_NOTE],
)

PF_RULE = {
    "surcharge_below": "0.90",
    "surcharge_percent_per_step": "1",
    "rebate_above": "0.95",
    "rebate_percent_per_step": "0.5",
    "step": "0.01",
}
LMV6_PF = hyp("LMV6", power_factor=PF_RULE)
case(
    "pf-surcharge-below-090",
    {
        "tariffs": [LMV6_PF],
        "category": "LMV6",
        "load_unit": "kW",
        "sanctioned_load": "8",
        "units": "1000",
        "kvah": "1200",
    },
    {
        "energy_charge": "7300.00",
        "power_factor_adjustment": "511.00",
        "fixed_charge": "2320.00",
        "electricity_duty": "759.83",
        "total": "10890.83",
        "payable": "10891.00",
    },
    "Hypothetical PF rule (1% of energy per 0.01 below 0.90; the seeded book has none: kVAh billing prices PF) "
    "on LMV-6 8 kW, below the kVAh threshold: PF 1000/1200 = 0.83, 7 steps = 7% of 1000 x 7.30 = 7300.00 -> "
    "511.00; fixed 8 x 290 = 2320.00; duty 7.5% of 10131.00 = 759.83 (759.825); total 10890.83",
    ["kVAh reading not used: kVAh billing does not apply at this load"],
)
case(
    "pf-rebate-above-095",
    {
        "tariffs": [LMV6_PF],
        "category": "LMV6",
        "load_unit": "kW",
        "sanctioned_load": "8",
        "units": "1000",
        "power_factor": "0.98",
    },
    {
        "energy_charge": "7300.00",
        "power_factor_adjustment": "-109.50",
        "fixed_charge": "2320.00",
        "electricity_duty": "713.29",
        "total": "10223.79",
        "payable": "10224.00",
    },
    "Same hypothetical rule, PF 0.98 given: 3 steps above 0.95 x 0.5% = 1.5% of 7300.00 = -109.50; fixed "
    "2320.00; duty 7.5% of 9510.50 = 713.29 (713.2875); total 10223.79, payable 10224.00",
    [],
)
case(
    "pf-not-applied-under-kvah-billing",
    {
        "tariffs": [LMV6_PF],
        "category": "LMV6",
        "load_unit": "kW",
        "sanctioned_load": "18",
        "units": "4000",
        "kvah": "5000",
    },
    {
        "energy_charge": "32850.00",
        "power_factor_adjustment": "0.00",
        "fixed_charge": "5220.00",
        "electricity_duty": "2855.25",
        "total": "40925.25",
    },
    "PF 0.80 but billed on kVAh (18 kW >= 10 kW): no PF line, a note; energy 5000 x 6.57 = 32850.00; fixed 20 "
    "kVA x 261 = 5220.00; duty 7.5% of 38070.00 = 2855.25",
    ["Power factor is priced by kVAh billing: no power-factor surcharge or rebate"],
)
HV2_REBATES = hyp(
    "HV2-66KV",
    tod=None,
    voltage_rebates=[{"min_kv": "33", "percent": "2"}],
    load_factor_rebate={"above_percent": "60", "percent": "5"},
)
case(
    "hv-voltage-and-load-factor-rebates",
    {
        "tariffs": [HV2_REBATES],
        "category": "HV2-66KV",
        "sanctioned_load": "1000",
        "units": "450000",
        "kvah": "500000",
        "md_kva": "1000",
        "supply_kv": "33",
    },
    {
        "energy_charge": "3400000.00",
        "demand_charge": "290000.00",
        "demand_rebates": "-243800.00",
        "electricity_duty": "258465.00",
        "total": "3704665.00",
    },
    "Hypothetical rebates (none seeded: not confirmed in the schedule) on HV-2 66 kV: energy 500000 x 6.80 = "
    "3400000.00; demand 1000 x 290 = 290000.00; voltage rebate 2% at 33 kV of 3690000.00 = -73800.00; load "
    "factor 500000 x 100 / (1000 kVA x 720 h) = 69.44% > 60%: 5% of energy = -170000.00; duty 7.5% of "
    "3446200.00 = 258465.00; total 3704665.00",
    [],
)


def main() -> int:
    data = json.loads(VECTORS.read_text(encoding="utf-8"))
    names = {c["name"] for c in cases}
    out = [entry for entry in data if entry["name"] not in names]
    bad = 0
    for c in cases:
        result = compute_bill(BillInput.from_dict(c["input"])).to_dict()
        for key, want in c["hand"].items():
            if result[key] != want:
                bad += 1
                print("MISMATCH", c["name"], key, "hand", want, "engine", result[key])
        if c["notes"] is not None and result["notes"] != c["notes"]:
            bad += 1
            print("NOTES", c["name"], result["notes"])
        expected = {
            "lines": [{k: line[k] for k in ("head", "description", "amount")} for line in result["lines"]]
        }
        expected.update({key: result[key] for key in KEYS})
        out.append({"name": c["name"], "why": c["why"], "input": c["input"], "expected": expected})
    print(len(cases), "cases", bad, "mismatches")
    if bad:
        return 1
    VECTORS.write_text(json.dumps(out, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
