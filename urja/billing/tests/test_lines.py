"""Bill lines rendered from (head, params) in the reader's language, with the stored English
description as the fallback for bills made before lines carried params."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from urja.billing.lines import basis_text, date_text, line_text, month_text
from urja.billing.selectors import hold_label
from urja.domain.determinants import HOLD_TEXT, Hold
from urja.domain.engine import BillInput, LineHead, compute_bill

VECTORS = Path(__file__).resolve().parents[3] / "tests" / "vectors" / "bills.json"
CASES = json.loads(VECTORS.read_text(encoding="utf-8"))
DEVANAGARI = re.compile(r"[\u0900-\u097F]")


def _vector_lines() -> list[dict]:
    return [
        line for case in CASES for line in compute_bill(BillInput.from_dict(case["input"])).to_dict()["lines"]
    ]


def _as_stored(text: str) -> str:
    """The English rendering written the engine's way: no digit grouping, ISO dates, YYYY-MM months."""
    text = re.sub(r"(\d),(?=\d)", r"\1", text)
    text = re.sub(r"(\d\d)-(\d\d)-(\d{4})", r"\3-\2-\1", text)
    months = [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ]
    for number, name in enumerate(months, start=1):
        text = re.sub(rf"{name} (\d{{4}})", rf"\1-{number:02d}", text)
    return text


def test_every_engine_line_carries_params_and_the_vectors_cover_every_head() -> None:
    lines = _vector_lines()
    assert {line["head"] for line in lines} == {head.value for head in LineHead}
    assert all(line.get("params") for line in lines)


def test_english_words_say_what_the_engine_description_says() -> None:
    for line in _vector_lines():
        assert _as_stored(line_text(line, "en")) == line["description"], line


def test_every_line_of_the_vectors_has_hindi_words() -> None:
    for line in _vector_lines():
        hindi = line_text(line, "hi")
        assert DEVANAGARI.search(hindi), (line["head"], hindi)
        assert hindi != line_text(line, "en")


def _line(head: str, **params: str) -> dict:
    return {"head": head, "description": "stored english", "amount": "1.00", "params": params}


HEADS = [
    (
        _line(
            "energy", basis="metered", **{"from": "0"}, upto="150", quantity="150", unit="kWh", rate="5.50"
        ),
        "Energy up to 150 kWh: 150 kWh @ Rs 5.50",
        "ऊर्जा प्रभार 150 kWh तक: 150 kWh @ ₹5.50",
    ),
    (
        _line(
            "energy",
            basis="provisional",
            **{"from": "150"},
            upto="300",
            quantity="50",
            unit="kWh",
            rate="6.00",
        ),
        "Energy (provisional) 151-300 kWh: 50 kWh @ Rs 6.00",
        "ऊर्जा प्रभार (प्रोविजनल) 151-300 kWh: 50 kWh @ ₹6.00",
    ),
    (
        _line("energy", basis="assessed", **{"from": "300"}, quantity="20", unit="kVAh", rate="7.00"),
        "Energy (assessed) above 300 kVAh: 20 kVAh @ Rs 7.00",
        "ऊर्जा प्रभार (निर्धारित) 300 kVAh से अधिक: 20 kVAh @ ₹7.00",
    ),
    (
        _line(
            "energy",
            basis="metered",
            quantity="500",
            unit="kWh",
            rate="7.30",
            part="FY 2025-26",
            part_from="2025-04-16",
            part_to="2025-04-30",
        ),
        "Energy: 500 kWh @ Rs 7.30 [FY 2025-26 tariff, 16-04-2025 to 30-04-2025]",
        "ऊर्जा प्रभार: 500 kWh @ ₹7.30 [FY 2025-26 टैरिफ़, 16-04-2025 से 30-04-2025]",
    ),
    (
        _line("fixed", load="1", unit="kW", sanctioned="0.5", sanctioned_unit="kW", rate="50.00", months="1"),
        "Fixed charge: 1 kW (sanctioned 0.5 kW) @ Rs 50.00/kW/month x 1 month",
        "स्थायी प्रभार: 1 kW (स्वीकृत 0.5 kW) @ ₹50.00/kW/माह × 1 माह",
    ),
    (
        _line("fixed", load="2", unit="kW", rate="110.00", months="2"),
        "Fixed charge: 2 kW @ Rs 110.00/kW/month x 2 months",
        "स्थायी प्रभार: 2 kW @ ₹110.00/kW/माह × 2 माह",
    ),
    (
        _line("minimum_charge_topup", minimum="12400.00", charged="367.50"),
        "Minimum charge top-up: minimum Rs 12,400.00 less Rs 367.50 charged",
        "न्यूनतम प्रभार की पूर्ति: न्यूनतम ₹12,400.00 में से प्रभारित ₹367.50 घटाकर",
    ),
    (
        _line("provisional_true_up", kind="debit", quantity="100", unit="kWh"),
        "Provisional true-up: debit of 100 kWh billed provisionally, priced at this bill's slab rates",
        "प्रोविजनल समायोजन: प्रोविजनल बिल किए गए 100 kWh का डेबिट, इस बिल की स्लैब दरों पर",
    ),
    (
        _line("provisional_true_up", kind="credit", quantity="40", unit="kWh"),
        "Provisional true-up: credit of 40 kWh billed provisionally, priced at this bill's slab rates",
        "प्रोविजनल समायोजन: प्रोविजनल बिल किए गए 40 kWh का क्रेडिट, इस बिल की स्लैब दरों पर",
    ),
    (
        _line("electricity_duty", percent="5", base="123456.00"),
        "Electricity duty 5% on Rs 1,23,456.00",
        "विद्युत शुल्क ₹1,23,456.00 पर 5%",
    ),
    (
        _line("fppas", percent="-2.33", base="1645.00"),
        "FPPAS -2.33% on Rs 1,645.00",
        "ईंधन अधिभार (FPPAS) ₹1,645.00 पर -2.33%",
    ),
    (
        _line("fppas", month="2025-12", percent="5.56", days="15", total_days="30", base="1645.00"),
        "FPPAS December 2025 5.56% on 15/30 days of Rs 1,645.00",
        "ईंधन अधिभार (FPPAS) दिसंबर 2025: ₹1,645.00 के 15/30 दिनों पर 5.56%",
    ),
    (
        _line("prepaid_rebate", percent="2", base="1645.00"),
        "Prepaid meter rebate 2% on Rs 1,645.00",
        "प्रीपेड मीटर छूट ₹1,645.00 पर 2%",
    ),
    (
        _line("subsidy", percent="100", base="1638.00", payer="Government of Uttar Pradesh"),
        "Subsidy 100% of current charges Rs 1,638.00, paid by Government of Uttar Pradesh",
        "सब्सिडी: चालू प्रभार ₹1,638.00 का 100%, उत्तर प्रदेश सरकार द्वारा देय",
    ),
    (
        _line("na_penalty", load="2", unit="kW", rate="50.00"),
        "Meter not accessible penalty: 2 kW @ Rs 50.00/kW",
        "मीटर उपलब्ध न होने का दंड: 2 kW @ ₹50.00/kW",
    ),
    (_line("lpsc", amount="12.50"), "Late payment surcharge", "विलंब भुगतान अधिभार (LPSC)"),
    (_line("arrears", amount="3000.00"), "Arrears", "बकाया"),
    (_line("round_off", total="1727.25", payable="1727.00"), "Round-off to the rupee", "रुपये में पूर्णांकन"),
    (
        _line(
            "demand",
            billable_kva="420",
            md_kva="420",
            contracted_kva="500",
            share_percent="75",
            rate="430.00",
            months="1",
        ),
        "Demand charge: 420 kVA (recorded MD, contracted 500 kVA) @ Rs 430.00/kVA/month x 1 month",
        "डिमांड प्रभार: 420 kVA (दर्ज अधिकतम माँग, अनुबंधित 500 kVA) @ ₹430.00/kVA/माह x 1 माह",
    ),
    (
        _line(
            "excess_demand", excess_kva="300", contracted_kva="2000", rate="290.00", multiple="2", months="1"
        ),
        "Excess demand: 300 kVA above contracted 2000 kVA @ Rs 290.00/kVA/month x 1 month (charged 2x the demand rate in all)",
        "अतिरिक्त माँग: अनुबंधित 2000 kVA से 300 kVA अधिक @ ₹290.00/kVA/माह x 1 माह (कुल मिलाकर डिमांड दर का 2 गुना)",
    ),
    (
        _line(
            "tod",
            slot="offpeak",
            hours="22:00-06:00",
            percent="-15",
            quantity="60000",
            total="200000",
            unit="kVAh",
            energy="1420000.00",
        ),
        "Time of day offpeak 22:00-06:00 (-15%): 60000 of 200000 kVAh on energy Rs 14,20,000.00",
        "समय-आधारित दर offpeak 22:00-06:00 (-15%): ऊर्जा प्रभार ₹14,20,000.00 पर 200000 में से 60000 kVAh",
    ),
    (
        _line(
            "power_factor",
            kind="surcharge",
            power_factor="0.83",
            threshold="0.9",
            percent="7",
            energy="7300.00",
        ),
        "Power factor surcharge: average PF 0.83 below 0.9, 7% on energy Rs 7,300.00",
        "पावर फ़ैक्टर अधिभार: औसत PF 0.83, 0.9 से कम, ऊर्जा प्रभार ₹7,300.00 पर 7%",
    ),
    (
        _line("voltage_rebate", percent="2", supply_kv="33", min_kv="33", base="3690000.00"),
        "Supply voltage rebate 2% (supply at 33 kV, from 33 kV) on Rs 36,90,000.00",
        "आपूर्ति वोल्टेज छूट ₹36,90,000.00 पर 2% (आपूर्ति 33 kV पर, 33 kV से)",
    ),
    (
        _line("load_factor_rebate", percent="5", load_factor="69.44", threshold="60", energy="3400000.00"),
        "Load factor rebate 5% (load factor 69.44% above 60%) on energy Rs 34,00,000.00",
        "लोड फ़ैक्टर छूट ऊर्जा प्रभार ₹34,00,000.00 पर 5% (लोड फ़ैक्टर 69.44%, 60% से अधिक)",
    ),
    (
        _line(
            "solar_net_metering",
            **{"import": "300"},
            export="120",
            banked_before="30",
            billed="150",
            banked_after="0",
        ),
        "Net metering: import 300 kWh - export 120 kWh - banked 30 kWh = 150 kWh billed",
        "नेट मीटरिंग: आयात 300 kWh - निर्यात 120 kWh - जमा 30 kWh = 150 kWh का बिल",
    ),
    (
        _line("solar_export_credit", units="200", rate="3.10"),
        "Solar export (gross metering): 200 kWh @ Rs 3.10",
        "सौर निर्यात (ग्रॉस मीटरिंग): 200 kWh @ ₹3.10",
    ),
    (
        _line("late_bill_rebate", percent="2", base="1727.25", days="75"),
        "Late bill rebate 2% on Rs 1,727.25 (bill served 75 days after the period)",
        "देर से बिल की छूट ₹1,727.25 पर 2% (अवधि के 75 दिन बाद बिल दिया गया)",
    ),
]


@pytest.mark.parametrize(
    ("line", "english", "hindi"), HEADS, ids=[f"{h[0]['head']}-{i}" for i, h in enumerate(HEADS)]
)
def test_each_head_in_english_and_hindi(line: dict, english: str, hindi: str) -> None:
    assert line_text(line, "en") == english
    assert line_text(line, "hi") == hindi


def test_the_renderer_table_covers_every_head() -> None:
    assert {line["head"] for line, _, _ in HEADS} == {head.value for head in LineHead}


def test_an_old_line_without_params_shows_its_stored_description() -> None:
    old = {"head": "energy", "description": "Energy up to 150 kWh: 150 kWh @ Rs 5.50", "amount": "825.00"}
    assert line_text(old, "hi") == old["description"]
    assert line_text(old, "en") == old["description"]
    unknown = {
        "head": "demand_charge",
        "description": "Demand charge",
        "amount": "1.00",
        "params": {"kva": "5"},
    }
    assert line_text(unknown, "hi") == "Demand charge"
    broken = {
        "head": "energy",
        "description": "as stored",
        "amount": "1",
        "params": {"from": "x", "upto": "1"},
    }
    assert line_text(broken, "hi") == "as stored"


def test_the_active_language_is_used_when_none_is_given() -> None:
    from django.utils import translation

    line = _line("arrears", amount="1.00")
    with translation.override("hi"):
        assert line_text(line) == "बकाया"
    with translation.override("en"):
        assert line_text(line) == "Arrears"


@pytest.mark.parametrize(
    ("code", "english", "hindi"),
    [
        ("MU", "metered", "मीटर्ड"),
        ("PROV", "provisional", "प्रोविजनल (औसत)"),
        ("ASS", "assessed", "निर्धारित"),
        ("UM", "unmetered (flat)", "अनमीटर्ड (फ़्लैट)"),
        ("MIN", "minimum charge", "न्यूनतम प्रभार"),
    ],
)
def test_bill_basis_is_spelled_out(code: str, english: str, hindi: str) -> None:
    assert basis_text(code, "en") == english
    assert basis_text(code, "hi") == hindi


def test_dates_and_months() -> None:
    import datetime

    assert date_text(datetime.date(2026, 4, 1)) == "01-04-2026"
    assert date_text("2025-05-15") == "15-05-2025"
    assert date_text(None) == "—"
    from django.utils import translation

    with translation.override("hi"):
        assert month_text("2025-11") == "नवंबर 2025"
    assert month_text("bad") == "bad"


def test_hold_reasons_in_hindi_and_english_with_the_domain_text_as_fallback(monkeypatch) -> None:
    from django.utils import translation

    with translation.override("hi"):
        for code in HOLD_TEXT:
            assert DEVANAGARI.search(hold_label(code)), code
    with translation.override("en"):
        assert hold_label(Hold.HIGH) == HOLD_TEXT[Hold.HIGH]
    monkeypatch.setitem(HOLD_TEXT, "NEWCODE", "a reason added in the domain")
    assert hold_label("NEWCODE") == "a reason added in the domain"
