"""Write the first 40 cases of tests/vectors/bills.json (replacing cases of the same name, keeping the
others): inputs + hand-computed key figures, checked against the engine; nothing is written while a
hand figure disagrees. Run from the checkout's root: ``.venv/bin/python scripts/gen_bill_vectors.py``.

Stale since issue 8: the hand figures of the kVA-conversion and BHP cases (17 figures in 5 cases) still
encode the old rounding; the corrected figures and their hand checks are in bills.json itself."""

import json
from pathlib import Path

from urja.domain.engine import RESULT_CORE_MONEY_FIELDS, BillInput, compute_bill
from urja.domain.tariff_book import current_tariff_book, default_tariff_book

BOOK = {v.category: v.to_dict() for v in current_tariff_book()}
HISTORY = default_tariff_book()


def t(*codes):
    return [BOOK[c] for c in codes]


def hyp(code, **changes):
    d = json.loads(json.dumps(BOOK[code]))
    d.update(changes)
    return d


cases = []


def case(name, inp, hand, why=None):
    base = {"load_unit": "kW"}
    base.update(inp)
    c = {"name": name, "input": base, "hand": hand}
    if why:
        c["why"] = why
    cases.append(c)


APR = {"period_start": "2025-04-01", "period_end": "2025-04-30"}

case(
    "lmv1-urban-worked-check",
    {"tariffs": t("LMV1-URBAN"), "category": "LMV1-URBAN", "sanctioned_load": "2", "units": "250", **APR},
    {
        "energy_charge": "1425.00",
        "fixed_charge": "220.00",
        "electricity_duty": "82.25",
        "total": "1727.25",
        "payable": "1727.00",
        "round_off": "-0.25",
    },
    "DOMAIN.md worked check: energy 150x5.50 + 100x6.00 = 1425.00; fixed 2 kW x 110 = 220.00; duty 5% x 1645.00 = 82.25; total 1727.25; payable 1727.00, round-off -0.25",
)
case(
    "lmv1-urban-above-300",
    {"tariffs": t("LMV1-URBAN"), "category": "LMV1-URBAN", "sanctioned_load": "1", "units": "400", **APR},
    {
        "energy_charge": "2375.00",
        "fixed_charge": "110.00",
        "electricity_duty": "124.25",
        "total": "2609.25",
        "payable": "2609.00",
    },
    "150x5.50=825 + 150x6.00=900 + 100x6.50=650 = 2375; fixed 110; duty 5% of 2485 = 124.25",
)
case(
    "lmv1-rural-200",
    {"tariffs": t("LMV1-RURAL"), "category": "LMV1-RURAL", "sanctioned_load": "2", "units": "200", **APR},
    {
        "energy_charge": "777.50",
        "fixed_charge": "180.00",
        "electricity_duty": "47.88",
        "total": "1005.38",
        "payable": "1005.00",
    },
    "100x3.35=335 + 50x3.85=192.50 + 50x5.00=250 = 777.50; fixed 2x90=180; duty 5% of 957.50 = 47.875 -> 47.88 (half up)",
)
case(
    "lmv1-rural-above-300",
    {"tariffs": t("LMV1-RURAL"), "category": "LMV1-RURAL", "sanctioned_load": "3", "units": "350", **APR},
    {
        "energy_charge": "1552.50",
        "fixed_charge": "270.00",
        "electricity_duty": "91.13",
        "total": "1913.63",
        "payable": "1914.00",
    },
)
case(
    "lmv1-lifeline-eligible",
    {
        "tariffs": t("LMV1-LIFELINE", "LMV1-RURAL"),
        "category": "LMV1-LIFELINE",
        "sanctioned_load": "1",
        "units": "80",
        **APR,
    },
    {
        "category": "LMV1-LIFELINE",
        "energy_charge": "240.00",
        "fixed_charge": "50.00",
        "electricity_duty": "14.50",
        "total": "304.50",
        "payable": "305.00",
        "round_off": "0.50",
    },
    "80x3.00=240; fixed 1x50; duty 5% of 290 = 14.50; 304.50 rounds half up to 305",
)
case(
    "lmv1-lifeline-zero-units",
    {
        "tariffs": t("LMV1-LIFELINE", "LMV1-RURAL"),
        "category": "LMV1-LIFELINE",
        "sanctioned_load": "0.5",
        "units": "0",
        **APR,
    },
    {
        "category": "LMV1-LIFELINE",
        "energy_charge": "0.00",
        "fixed_charge": "50.00",
        "electricity_duty": "2.50",
        "total": "52.50",
        "payable": "53.00",
    },
)
case(
    "lmv1-lifeline-fallback-units-default-rural",
    {
        "tariffs": t("LMV1-LIFELINE", "LMV1-RURAL"),
        "category": "LMV1-LIFELINE",
        "sanctioned_load": "1",
        "units": "120",
        **APR,
    },
    {
        "category": "LMV1-RURAL",
        "energy_charge": "412.00",
        "fixed_charge": "90.00",
        "electricity_duty": "25.10",
        "total": "527.10",
        "payable": "527.00",
    },
    "120 units > 100: whole bill as LMV1-RURAL (the rule's fallback): 100x3.35 + 20x3.85 = 412; fixed 90; duty 25.10",
)
case(
    "lmv1-lifeline-fallback-load-urban",
    {
        "tariffs": t("LMV1-LIFELINE", "LMV1-URBAN"),
        "category": "LMV1-LIFELINE",
        "sanctioned_load": "2",
        "units": "60",
        "fallback_category": "LMV1-URBAN",
        **APR,
    },
    {
        "category": "LMV1-URBAN",
        "energy_charge": "330.00",
        "fixed_charge": "220.00",
        "electricity_duty": "27.50",
        "total": "577.50",
        "payable": "578.00",
    },
)
case(
    "lmv1-lifeline-fallback-fractional-load",
    {
        "tariffs": t("LMV1-LIFELINE", "LMV1-URBAN"),
        "category": "LMV1-LIFELINE",
        "sanctioned_load": "1.2",
        "units": "50",
        "fallback_category": "LMV1-URBAN",
        **APR,
    },
    {
        "category": "LMV1-URBAN",
        "energy_charge": "275.00",
        "fixed_charge": "220.00",
        "electricity_duty": "24.75",
        "total": "519.75",
        "payable": "520.00",
    },
    "1.2 kW counts as 2 kW > 1 kW: not lifeline; urban: 50x5.50 = 275; fixed 2x110 = 220; duty 24.75",
)
case(
    "lmv1-rural-unmetered",
    {
        "tariffs": t("LMV1-RURAL-UM"),
        "category": "LMV1-RURAL-UM",
        "sanctioned_load": "2",
        "basis": "UM",
        **APR,
    },
    {
        "energy_charge": "0.00",
        "fixed_charge": "1000.00",
        "electricity_duty": "50.00",
        "total": "1050.00",
        "payable": "1050.00",
    },
)
case(
    "lmv1-rural-unmetered-two-months-fractional-load",
    {
        "tariffs": t("LMV1-RURAL-UM"),
        "category": "LMV1-RURAL-UM",
        "sanctioned_load": "1.5",
        "basis": "UM",
        "period_start": "2025-04-01",
        "period_end": "2025-05-31",
    },
    {"fixed_charge": "2000.00", "electricity_duty": "100.00", "total": "2100.00", "payable": "2100.00"},
    "1.5 kW counts as 2 kW; 1 Apr - 31 May is exactly 2 months: 2 x 500 x 2 = 2000; duty 5% = 100",
)
case(
    "lmv2-small-250",
    {"tariffs": t("LMV2-URBAN"), "category": "LMV2-URBAN", "sanctioned_load": "3", "units": "250", **APR},
    {
        "energy_charge": "1875.00",
        "fixed_charge": "990.00",
        "electricity_duty": "214.88",
        "total": "3079.88",
        "payable": "3080.00",
    },
)
case(
    "lmv2-small-above-300",
    {"tariffs": t("LMV2-URBAN"), "category": "LMV2-URBAN", "sanctioned_load": "4", "units": "500", **APR},
    {
        "energy_charge": "3930.00",
        "fixed_charge": "1320.00",
        "electricity_duty": "393.75",
        "total": "5643.75",
        "payable": "5644.00",
    },
    "band <= 4 kW: 300x7.50 + 200x8.40 = 3930; fixed 4x330 = 1320; duty 7.5% of 5250 = 393.75",
)
case(
    "lmv2-large-above-1000",
    {"tariffs": t("LMV2-URBAN"), "category": "LMV2-URBAN", "sanctioned_load": "5", "units": "1500", **APR},
    {
        "energy_charge": "11875.00",
        "fixed_charge": "2250.00",
        "electricity_duty": "1059.38",
        "total": "15184.38",
        "payable": "15184.00",
    },
)
case(
    "lmv2-fractional-load-next-band",
    {"tariffs": t("LMV2-URBAN"), "category": "LMV2-URBAN", "sanctioned_load": "4.2", "units": "800", **APR},
    {
        "energy_charge": "6000.00",
        "fixed_charge": "2250.00",
        "electricity_duty": "618.75",
        "total": "8868.75",
        "payable": "8869.00",
    },
    "4.2 kW counts as 5 kW, so the > 4 kW band: 800x7.50 = 6000; fixed 5x450 = 2250; duty 7.5% of 8250 = 618.75",
)
case(
    "lmv2-kvah-12kva",
    {
        "tariffs": t("LMV2-URBAN"),
        "category": "LMV2-URBAN",
        "sanctioned_load": "12",
        "load_unit": "kVA",
        "units": "1800",
        "kvah": "2000",
        **APR,
    },
    {
        "energy_charge": "14625.00",
        "fixed_charge": "4860.00",
        "electricity_duty": "1461.38",
        "total": "20946.38",
        "payable": "20946.00",
    },
    "12 kVA = 10.8 kW -> 11 kW >= 10: kVAh billing, band > 4 kW; per kVAh 7.50x0.9 = 6.75 and 8.75x0.9 = 7.875: 1000x6.75 + 1000x7.875 = 14625; fixed 450x0.9 = 405/kVA x 12 = 4860; duty 7.5% of 19485 = 1461.375 -> 1461.38",
)
case(
    "lmv6-kvah-from-kw-load",
    {
        "tariffs": t("LMV6"),
        "category": "LMV6",
        "sanctioned_load": "15",
        "units": "2700",
        "kvah": "3000",
        **APR,
    },
    {
        "energy_charge": "19710.00",
        "fixed_charge": "4437.00",
        "electricity_duty": "1811.03",
        "total": "25958.03",
        "payable": "25958.00",
    },
    "15 kW = 16.67 kVA -> 17 kVA; fixed 290x0.9 = 261 x 17 = 4437; energy 3000 kVAh x 6.57 = 19710; duty 7.5% of 24147 = 1811.025 -> 1811.03",
)
case(
    "lmv6-below-kvah-threshold",
    {
        "tariffs": t("LMV6"),
        "category": "LMV6",
        "sanctioned_load": "8",
        "units": "1000",
        "kvah": "1100",
        **APR,
    },
    {
        "energy_charge": "7300.00",
        "fixed_charge": "2320.00",
        "electricity_duty": "721.50",
        "total": "10341.50",
        "payable": "10342.00",
    },
)
case(
    "lmv1-rural-kvah-10kw",
    {
        "tariffs": t("LMV1-RURAL"),
        "category": "LMV1-RURAL",
        "sanctioned_load": "10",
        "units": "800",
        "kvah": "900",
        **APR,
    },
    {
        "energy_charge": "4119.75",
        "fixed_charge": "972.00",
        "electricity_duty": "254.59",
        "total": "5346.34",
        "payable": "5346.00",
    },
    "10 kW = 11.11 kVA -> 12 kVA x (90x0.9 = 81) = 972; kVAh rates 3.015/3.465/4.50/4.95: 301.50 + 173.25 + 675 + 600x4.95=2970 = 4119.75; duty 5% of 5091.75 = 254.5875 -> 254.59",
)
case(
    "lmv5-rural-subsidy-no-arrears",
    {
        "tariffs": t("LMV5-RURAL"),
        "category": "LMV5-RURAL",
        "sanctioned_load": "7.5",
        "load_unit": "BHP",
        "units": "500",
        **APR,
    },
    {
        "energy_charge": "1000.00",
        "fixed_charge": "560.00",
        "electricity_duty": "78.00",
        "subsidy": "-1638.00",
        "total": "0.00",
        "payable": "0.00",
    },
    "7.5 BHP counts as 8 BHP x 70 = 560; 500 x 2.00 = 1000; duty 5% of 1560 = 78; metered, no arrears: 100% subsidy of 1638 paid by the state",
)
case(
    "lmv5-rural-with-arrears-no-subsidy",
    {
        "tariffs": t("LMV5-RURAL"),
        "category": "LMV5-RURAL",
        "sanctioned_load": "7.5",
        "load_unit": "BHP",
        "units": "500",
        "arrears": "3000.00",
        **APR,
    },
    {"subsidy": "0.00", "total": "4638.00", "payable": "4638.00"},
)
case(
    "lmv5-urban-has-arrears-flag",
    {
        "tariffs": t("LMV5-URBAN"),
        "category": "LMV5-URBAN",
        "sanctioned_load": "5",
        "load_unit": "BHP",
        "units": "300",
        "has_arrears": True,
        **APR,
    },
    {
        "energy_charge": "1800.00",
        "fixed_charge": "650.00",
        "electricity_duty": "122.50",
        "subsidy": "0.00",
        "total": "2572.50",
        "payable": "2573.00",
    },
)
case(
    "lmv5-urban-subsidy",
    {
        "tariffs": t("LMV5-URBAN"),
        "category": "LMV5-URBAN",
        "sanctioned_load": "5",
        "load_unit": "BHP",
        "units": "300",
        **APR,
    },
    {"subsidy": "-2572.50", "total": "0.00", "payable": "0.00"},
)
case(
    "lmv5-urban-kvah-15bhp",
    {
        "tariffs": t("LMV5-URBAN"),
        "category": "LMV5-URBAN",
        "sanctioned_load": "15",
        "load_unit": "BHP",
        "units": "900",
        "kvah": "1000",
        "has_arrears": True,
        **APR,
    },
    {
        "energy_charge": "5400.00",
        "fixed_charge": "2038.87",
        "electricity_duty": "371.94",
        "total": "7810.81",
        "payable": "7811.00",
    },
    "15 BHP >= 13.4: kVAh. 15 BHP x 0.746 / 0.9 = 12.43 kVA -> 13 kVA; per kVA 130/0.746x0.9 = 156.8365 (4 dp); 13 x 156.8365 = 2038.8745 -> 2038.87; 1000 kVAh x 5.40 = 5400; duty 5% of 7438.87 = 371.9435 -> 371.94",
)
case(
    "lmv5-rural-unmetered-half-subsidy",
    {
        "tariffs": t("LMV5-RURAL-UM"),
        "category": "LMV5-RURAL-UM",
        "sanctioned_load": "5",
        "load_unit": "BHP",
        "basis": "UM",
        **APR,
    },
    {
        "fixed_charge": "850.00",
        "electricity_duty": "42.50",
        "subsidy": "-446.25",
        "total": "446.25",
        "payable": "446.00",
    },
)
case(
    "lmv1-urban-two-months",
    {
        "tariffs": t("LMV1-URBAN"),
        "category": "LMV1-URBAN",
        "sanctioned_load": "2",
        "units": "500",
        "period_start": "2026-01-01",
        "period_end": "2026-02-28",
    },
    {
        "energy_charge": "2850.00",
        "fixed_charge": "440.00",
        "electricity_duty": "164.50",
        "total": "3454.50",
        "payable": "3455.00",
    },
    "1 Jan - 28 Feb is exactly 2 months: slabs 300 and 600; 300x5.50 + 200x6.00 = 2850; fixed 2x110x2 = 440; duty 5% of 3290 = 164.50",
)
case(
    "lmv1-urban-half-month-final-bill",
    {
        "tariffs": t("LMV1-URBAN"),
        "category": "LMV1-URBAN",
        "sanctioned_load": "2",
        "units": "100",
        "period_start": "2025-04-16",
        "period_end": "2025-04-30",
    },
    {
        "energy_charge": "562.50",
        "fixed_charge": "110.00",
        "electricity_duty": "33.63",
        "total": "706.13",
        "payable": "706.00",
    },
    "16-30 April = 15 of the 30 days of 16 Apr - 15 May = 1/2 month: slabs 75 and 150; 75x5.50 + 25x6.00 = 562.50; fixed 220/2 = 110; duty 5% of 672.50 = 33.625 -> 33.63",
)
case(
    "lmv1-urban-part-month-from-the-1st",
    {
        "tariffs": t("LMV1-URBAN"),
        "category": "LMV1-URBAN",
        "sanctioned_load": "2",
        "units": "100",
        "period_start": "2025-04-01",
        "period_end": "2025-04-15",
    },
    {
        "energy_charge": "563.50",
        "fixed_charge": "106.45",
        "electricity_duty": "33.50",
        "total": "703.45",
        "payable": "703.00",
    },
    "1-15 April = 15 of the 31 days of 16 Mar - 15 Apr = 15/31 month: slabs 150x15/31 = 72.58 -> 73 and 300x15/31 = 145.16 -> 145; 73x5.50 + 27x6.00 = 563.50; fixed 220x15/31 = 106.45; duty 5% of 669.95 = 33.4975 -> 33.50",
)

urban_old = hyp("LMV1-URBAN", effective_to="2025-05-15")
urban_new = hyp(
    "LMV1-URBAN",
    label="Hypothetical order 2025-05",
    effective_from="2025-05-16",
    bands=[
        {
            "upto_load": None,
            "fixed_rate": "120",
            "slabs": [
                {"upto": "150", "rate": "6.00"},
                {"upto": "300", "rate": "6.50"},
                {"upto": None, "rate": "7.00"},
            ],
        }
    ],
    source="hypothetical version for the test vectors",
)
case(
    "lmv1-urban-tariff-split-mid-month",
    {
        "tariffs": [urban_old, urban_new],
        "category": "LMV1-URBAN",
        "sanctioned_load": "2",
        "units": "310",
        "period_start": "2025-05-01",
        "period_end": "2025-05-31",
    },
    {
        "energy_charge": "1870.00",
        "fixed_charge": "230.32",
        "electricity_duty": "105.02",
        "total": "2205.34",
        "payable": "2205.00",
    },
    "May = 1 month split 15/31 + 16/31 days. Units 310x15/31 = 150 and 160. Old part slabs 150x15/31 = 72.58 -> 73, 300x15/31 = 145.16 -> 145: 73x5.50 + 72x6.00 + 5x6.50 = 866. New part slabs 77 and 155: 77x6.00 + 78x6.50 + 5x7.00 = 1004. Fixed 2x110x15/31 = 106.45 + 2x120x16/31 = 123.87. Duty 5% of 2100.32 = 105.02",
)
lmv6_new = hyp(
    "LMV6",
    label="Hypothetical order 2025-05",
    effective_from="2025-05-01",
    duty_percent="9",
    bands=[{"upto_load": None, "fixed_rate": "300", "slabs": [{"upto": None, "rate": "7.80"}]}],
    source="hypothetical version for the test vectors (old version left open-ended: the later effective_from wins)",
)
case(
    "lmv6-tariff-split-duty-change",
    {
        "tariffs": [BOOK["LMV6"], lmv6_new],
        "category": "LMV6",
        "sanctioned_load": "8",
        "units": "1000",
        "period_start": "2025-04-16",
        "period_end": "2025-05-15",
    },
    {
        "energy_charge": "7550.00",
        "fixed_charge": "2360.00",
        "electricity_duty": "819.75",
        "total": "10729.75",
        "payable": "10730.00",
    },
    "16 Apr - 15 May = 1 month, 15 + 15 days: 500 units each. 500x7.30 = 3650 + 500x7.80 = 3900; fixed 290x8/2 = 1160 + 300x8/2 = 1200; duty 7.5% of 4810 = 360.75 and 9% of 5100 = 459",
)
lmv2_min = hyp(
    "LMV2-URBAN",
    label="Hypothetical with minimum charge",
    minimum_charge={"amount": "400", "basis": "per_load"},
    source="hypothetical minimum charge Rs 400/kW/month for the test vectors",
)
case(
    "lmv2-minimum-charge-topup",
    {"tariffs": [lmv2_min], "category": "LMV2-URBAN", "sanctioned_load": "1", "units": "5", **APR},
    {
        "basis": "MIN",
        "energy_charge": "37.50",
        "fixed_charge": "330.00",
        "min_charge_topup": "32.50",
        "electricity_duty": "30.00",
        "total": "430.00",
        "payable": "430.00",
    },
    "5x7.50 = 37.50 + fixed 330 = 367.50 < minimum 400: top-up 32.50; duty 7.5% of 400 = 30",
)
case(
    "lmv1-urban-fppas",
    {
        "tariffs": [hyp("LMV1-URBAN", duty_on_fppas=False)],
        "category": "LMV1-URBAN",
        "sanctioned_load": "2",
        "units": "250",
        "fppas": "1.24",
        **APR,
    },
    {"fppas": "20.40", "electricity_duty": "82.25", "total": "1747.65", "payable": "1748.00"},
    "worked check + FPPAS 1.24% of (energy + fixed) 1645 = 20.398 -> 20.40; the version has duty_on_fppas false, so duty stays 5% of 1645 = 82.25; total 1645 + 82.25 + 20.40 = 1747.65 -> 1748.00",
)
case(
    "lmv1-urban-fppas-bill-month-duty-on",
    {
        "tariffs": [hyp("LMV1-URBAN", duty_on_fppas=True)],
        "category": "LMV1-URBAN",
        "sanctioned_load": "2",
        "units": "250",
        "fppas": "5.56",
        "fppas_month": "2025-12",
        "period_start": "2025-11-16",
        "period_end": "2025-12-15",
    },
    {"fppas": "91.46", "electricity_duty": "86.82", "total": "1823.28", "payable": "1823.00"},
    "16 Nov - 15 Dec = 1 month, billed in December 2025: one FPPAS line at December's 5.56% whatever the consumption months. Energy 150x5.50 + 100x6.00 = 1425.00, fixed 2 x 110 = 220.00, base 1645.00; FPPAS 5.56% = 91.462 -> 91.46; duty_on_fppas true: duty 5% of (1645.00 + 91.46) = 86.823 -> 86.82; total 1645.00 + 86.82 + 91.46 = 1823.28 -> 1823.00, round-off -0.28",
)
case(
    "lmv1-urban-fppas-rebate-month",
    {
        "tariffs": [hyp("LMV1-URBAN", duty_on_fppas=True)],
        "category": "LMV1-URBAN",
        "sanctioned_load": "2",
        "units": "250",
        "fppas": "-2.33",
        "fppas_month": "2026-01",
        "period_start": "2025-12-01",
        "period_end": "2025-12-31",
    },
    {"fppas": "-38.33", "electricity_duty": "80.33", "total": "1687.00", "payable": "1687.00"},
    "December 2025 consumption billed in January 2026, a rebate month: FPPAS -2.33% of 1645.00 = -38.3285 -> -38.33; duty_on_fppas true: duty 5% of (1645.00 - 38.33) = 5% of 1606.67 = 80.3335 -> 80.33; total 1645.00 + 80.33 - 38.33 = 1687.00, round-off 0.00",
)
case(
    "lmv1-urban-prepaid-rebate",
    {
        "tariffs": t("LMV1-URBAN"),
        "category": "LMV1-URBAN",
        "sanctioned_load": "2",
        "units": "250",
        "prepaid": True,
        **APR,
    },
    {"rebate": "-32.90", "total": "1694.35", "payable": "1694.00"},
    "worked check less 2% prepaid rebate on 1645 = 32.90 (duty stays on the full 1645)",
)
case(
    "lmv1-urban-provisional-na-penalty",
    {
        "tariffs": t("LMV1-URBAN"),
        "category": "LMV1-URBAN",
        "sanctioned_load": "2",
        "units": "200",
        "basis": "PROV",
        "na_penalty": True,
        **APR,
    },
    {
        "energy_charge": "1125.00",
        "electricity_duty": "67.25",
        "penalty": "100.00",
        "total": "1512.25",
        "payable": "1512.00",
    },
)
case(
    "lmv1-urban-true-up-debit",
    {
        "tariffs": t("LMV1-URBAN"),
        "category": "LMV1-URBAN",
        "sanctioned_load": "2",
        "units": "200",
        "true_up_units": "100",
        **APR,
    },
    {"true_up": "600.00", "electricity_duty": "97.25", "total": "2042.25", "payable": "2042.00"},
    "100 units billed short provisionally, priced on top of this bill's 200: E(300) - E(200) = 1725 - 1125 = 600; duty 5% of 1945 = 97.25",
)
case(
    "lmv1-urban-true-up-credit",
    {
        "tariffs": t("LMV1-URBAN"),
        "category": "LMV1-URBAN",
        "sanctioned_load": "2",
        "units": "200",
        "true_up_units": "-80",
        **APR,
    },
    {"true_up": "-465.00", "electricity_duty": "44.00", "total": "924.00", "payable": "924.00"},
    "E(120) - E(200) = 660 - 1125 = -465 (50 at 6.00 and 30 at 5.50); duty 5% of 880 = 44",
)
case(
    "lmv1-urban-true-up-credit-exceeds-units",
    {
        "tariffs": t("LMV1-URBAN"),
        "category": "LMV1-URBAN",
        "sanctioned_load": "2",
        "units": "30",
        "true_up_units": "-50",
        **APR,
    },
    {
        "energy_charge": "165.00",
        "true_up": "-275.00",
        "electricity_duty": "5.50",
        "total": "115.50",
        "payable": "116.00",
    },
    "E(-20) - E(30) with E extended below zero at the first slab rate: -110 - 165 = -275 (50 x 5.50)",
)
case(
    "lmv1-urban-arrears-lpsc",
    {
        "tariffs": t("LMV1-URBAN"),
        "category": "LMV1-URBAN",
        "sanctioned_load": "2",
        "units": "250",
        "arrears": "1000.00",
        "lpsc": "12.50",
        **APR,
    },
    {"lpsc": "12.50", "arrears": "1000.00", "total": "2739.75", "payable": "2740.00"},
)

out = []
bad = 0
for c in cases:
    result = compute_bill(BillInput.from_dict(c["input"])).to_dict()
    for key, want in c["hand"].items():
        if result[key] != want:
            bad += 1
            print("MISMATCH", c["name"], key, "hand", want, "engine", result[key])
    exp = {"lines": [{k: line[k] for k in ("head", "description", "amount")} for line in result["lines"]]}
    for key in ("category", "basis", *RESULT_CORE_MONEY_FIELDS):
        exp[key] = result[key]
    entry = {"name": c["name"]}
    if "why" in c:
        entry["why"] = c["why"]
    entry["input"] = c["input"]
    entry["expected"] = exp
    out.append(entry)
print(len(cases), "cases", bad, "mismatches")
VECTORS = Path(__file__).resolve().parents[1] / "tests" / "vectors" / "bills.json"
if not bad:
    mine = {entry["name"]: entry for entry in out}
    kept = [entry for entry in json.loads(VECTORS.read_text()) if entry["name"] not in mine]
    VECTORS.write_text(json.dumps([*out, *kept], indent=1, ensure_ascii=False) + "\n")
