import datetime
import shutil
import subprocess
from decimal import Decimal
from pathlib import Path
from urllib.parse import parse_qsl, urlsplit

import pytest

from urja.billing import pdf
from urja.billing.models import Bill
from urja.common import pdf as kit
from urja.metering.services import reading_record
from urja.testing import office_chain

from .conftest import metered_consumer

pytestmark = pytest.mark.django_db

PDFTOTEXT = shutil.which("pdftotext")
PDFTOPPM = shutil.which("pdftoppm")
needs_pdftotext = pytest.mark.skipif(PDFTOTEXT is None, reason="pdftotext (poppler-utils) not installed")
needs_pdftoppm = pytest.mark.skipif(PDFTOPPM is None, reason="pdftoppm (poppler-utils) not installed")

LINES = [
    {"head": "energy", "description": "Energy up to 150 kWh: 150 kWh @ Rs 5.50", "amount": "825.00"},
    {"head": "energy", "description": "Energy 151-300 kWh: 100 kWh @ Rs 6.00", "amount": "600.00"},
    {"head": "fixed", "description": "Fixed charge: 2 kW @ Rs 110.00/kW/month x 1 month", "amount": "220.00"},
    {"head": "electricity_duty", "description": "Electricity duty 5% on Rs 1645.00", "amount": "82.25"},
    {"head": "arrears", "description": "Arrears", "amount": "500.00"},
    {"head": "round_off", "description": "Round-off to the rupee", "amount": "-0.25"},
]


@pytest.fixture
def consumer():
    chain = office_chain("PDF")
    discom = chain["discom"]
    discom.name, discom.name_hi = "Madhyanchal Vidyut Vitran Nigam Ltd", "मध्यांचल विद्युत वितरण निगम लि."
    discom.save()
    consumer = metered_consumer(chain["dc"], serial="PDF-M1")
    consumer.name, consumer.name_hi = "Gyanendra Kumar", "ज्ञानेंद्र कुमार"
    consumer.pincode = "226301"
    consumer.save()
    return consumer


def make_bill(consumer, *, payable="2227.00", closing_reading_id=None, **extra) -> Bill:
    payable = Decimal(payable)
    fields = dict(
        consumer=consumer,
        period="2026-07",
        period_start=datetime.date(2026, 7, 1),
        period_end=datetime.date(2026, 7, 31),
        bill_number="2607" + consumer.account_number,
        status="issued",
        basis="MU",
        category=consumer.category,
        sanctioned_load=consumer.sanctioned_load,
        load_unit=consumer.load_unit,
        units=Decimal("250"),
        reading_status="OK",
        closing_reading_id=closing_reading_id,
        energy_charge=Decimal("1425.00"),
        fixed_charge=Decimal("220.00"),
        electricity_duty=Decimal("82.25"),
        arrears=Decimal("500.00"),
        round_off=Decimal("-0.25"),
        current_charges=payable - Decimal("500.00"),
        payable=payable,
        payable_after_due=payable + Decimal("33.00"),
        lines=LINES,
        issue_date=datetime.date(2026, 8, 2),
        due_date=datetime.date(2026, 8, 16),
    )
    return Bill.objects.create(**{**fields, **extra})


@pytest.fixture
def bill(consumer):
    closing = reading_record(
        consumer=consumer, reading_date=datetime.date(2026, 7, 31), kwh=Decimal("850"), source="manual"
    )
    return make_bill(consumer, closing_reading_id=closing.id)


def pdf_text(data: bytes, tmp_path) -> str:
    path = tmp_path / "bill.pdf"
    path.write_bytes(data)
    return subprocess.run(
        [PDFTOTEXT, "-layout", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout


def test_bill_pdf_is_one_a4_page_with_metadata(bill):
    data = pdf.render_bill_pdf(bill)
    assert data.startswith(b"%PDF")
    assert data.count(b"/Type /Page") - data.count(b"/Type /Pages") == 1
    assert b"/MediaBox [0 0 595.28 841.89]" in data  # A4
    assert f"/Title ({bill.bill_number})".encode() in data
    assert b"/CreationDate (D:20260802" in data  # the issue date, not the time of printing


def test_same_bill_gives_the_same_bytes(bill):
    assert pdf.render_bill_pdf(bill) == pdf.render_bill_pdf(bill)


@needs_pdftotext
def test_pdf_text_has_bill_number_account_and_payable(bill, tmp_path):
    text = pdf_text(pdf.render_bill_pdf(bill), tmp_path)
    assert bill.bill_number in text
    assert bill.consumer.account_number in text
    assert "2,227.00" in text  # payable, Indian grouping
    assert "2,260.00" in text  # after the due date
    assert "PDF-M1" in text  # meter serial from the closing reading
    assert "850" in text and "600" in text  # current and previous register values
    assert "Energy up to 150 kWh" in text and "825.00" in text
    assert "Madhyanchal Vidyut Vitran Nigam Ltd" in text
    assert "Jul 26" in text and "Aug 25" in text  # the 12 months of the chart
    assert "Arrears" in text and "500.00" in text


@needs_pdftotext
def test_chart_history_from_readings_by_default(bill, tmp_path):
    text = pdf_text(pdf.render_bill_pdf(bill), tmp_path)
    # HISTORY readings (200 units a month from April) plus the closing reading of July (250)
    for units in ("200", "250"):
        assert units in text
    explicit = [(2026, m, Decimal(10 * m) if m != 3 else None) for m in range(1, 13)]
    text = pdf_text(pdf.render_bill_pdf(bill, history=explicit), tmp_path)
    assert "Mar 26" in text and "120" in text and "Dec 26" in text


def test_upi_uri_has_amount_and_bill_number(bill, settings):
    uri = pdf.upi_uri(bill)
    assert uri.startswith("upi://pay?")
    params = dict(parse_qsl(urlsplit(uri).query))
    assert params == {
        "pa": "urja.demo@upi",
        "pn": settings.URJA["UTILITY_NAME"],
        "am": "2227.00",
        "tn": bill.bill_number,
        "tr": bill.bill_number,
        "cu": "INR",
    }
    assert "am=2227.00&" in uri and " " not in uri and "(" not in uri
    settings.URJA = {**settings.URJA, "UPI_VPA": "mvvnl.bill@sbi"}
    bill.payable = Decimal("75.5")
    assert "pa=mvvnl.bill@sbi&" in pdf.upi_uri(bill) and "am=75.50&" in pdf.upi_uri(bill)


def test_qr_code_only_when_something_is_payable(consumer, bill):
    assert b"/Subtype /Image" in pdf.render_bill_pdf(bill)
    bill.payable = Decimal("0.00")
    assert b"/Subtype /Image" not in pdf.render_bill_pdf(bill)
    bill.payable = Decimal("-120.00")  # in credit
    assert pdf.render_bill_pdf(bill).startswith(b"%PDF")


def test_renders_without_closing_reading_or_history(consumer):
    bill = make_bill(consumer, closing_reading_id=None, basis="PROV", reading_status="NA")
    assert pdf.render_bill_pdf(bill, history=[]).startswith(b"%PDF")
    bill.closing_reading_id = 999_999  # gone
    bill.status = "held"
    assert pdf.render_bill_pdf(bill).startswith(b"%PDF")


@needs_pdftoppm
def test_page_renders_to_a_non_blank_image(bill, tmp_path):
    from PIL import Image

    path = tmp_path / "bill.pdf"
    path.write_bytes(pdf.render_bill_pdf(bill))
    subprocess.run(
        [PDFTOPPM, "-png", "-r", "40", "-singlefile", str(path), str(tmp_path / "page")], check=True
    )
    image = Image.open(tmp_path / "page.png").convert("L")
    width, height = image.size
    assert abs(height / width - 297 / 210) < 0.02
    dark = sum(image.histogram()[:128])
    assert dark > width * height * 0.03


def test_money_uses_indian_grouping():
    assert pdf._money(Decimal("123456.5")) == "1,23,456.50"
    assert pdf._money(Decimal("1727")) == "1,727.00"
    assert pdf._money(Decimal("-12345678.905")) == "-1,23,45,678.91"
    assert pdf._money(Decimal("0")) == "0.00"


SYSTEM_NOTO_SANS = Path("/usr/share/fonts/truetype/noto")


@pytest.mark.skipif(
    not (SYSTEM_NOTO_SANS / "NotoSans-Regular.ttf").exists(), reason="no Noto Sans (Latin) on this machine"
)
def test_noto_sans_used_for_latin_when_committed(bill, tmp_path, monkeypatch):
    for name in ("NotoSansDevanagari-Regular.ttf", "NotoSansDevanagari-Bold.ttf"):
        shutil.copy(kit.fonts_dir() / name, tmp_path / name)
    for name in ("NotoSans-Regular.ttf", "NotoSans-Bold.ttf"):
        shutil.copy(SYSTEM_NOTO_SANS / name, tmp_path / name)
    monkeypatch.setattr(kit, "fonts_dir", lambda: tmp_path)
    assert kit.new_document().latin == kit.LATIN_TTF
    data = pdf.render_bill_pdf(bill)
    assert b"+NotoSans\n" in data and b"/BaseFont /Helvetica" not in data


# --- the bill in the consumer's language -----------------------------------------------------------


def _engine_lines() -> list[dict]:
    import json

    from urja.domain.engine import BillInput, compute_bill

    vectors = Path(__file__).resolve().parents[3] / "tests" / "vectors" / "bills.json"
    case = next(
        c for c in json.loads(vectors.read_text(encoding="utf-8")) if c["name"] == "lmv1-urban-worked-check"
    )
    return compute_bill(BillInput.from_dict(case["input"])).to_dict()["lines"]


def _squeezed(text: str) -> str:
    """pdftotext puts spaces inside shaped Devanagari (after ि, before ं): compare without whitespace."""
    return "".join(text.split())


def _payment(consumer, day, amount, receipt):
    from urja.ledger import descriptions
    from urja.ledger.choices import EntryType
    from urja.ledger.services import entry_post

    return entry_post(
        consumer=consumer,
        entry_type=EntryType.PAYMENT,
        amount=-Decimal(amount),
        entry_date=day,
        source_type="payment",
        **descriptions.describe(descriptions.PAYMENT, receipt=receipt, channel="cash"),
    )


@needs_pdftotext
def test_hindi_consumer_reads_lines_words_basis_and_last_payment_in_hindi(bill, tmp_path):
    from urja.ledger.services import entry_reverse

    assert bill.consumer.language == "hi"
    bill.lines = _engine_lines()
    _payment(bill.consumer, datetime.date(2026, 6, 20), "1200.00", "R-OLDER")
    _payment(bill.consumer, datetime.date(2026, 7, 25), "12345.50", "R-LAST")
    bounced = _payment(bill.consumer, datetime.date(2026, 7, 28), "999.00", "R-BOUNCED")
    entry_reverse(entry=bounced, by=None, reason="bounced")
    _payment(bill.consumer, bill.issue_date, "50.00", "R-ON-BILL-DAY")  # not before the bill date
    text = _squeezed(pdf_text(pdf.render_bill_pdf(bill), tmp_path))
    for words in (
        "ऊर्जा प्रभार 150 kWh तक: 150 kWh @ ₹5.50",
        "ऊर्जा प्रभार 151-300 kWh: 100 kWh @ ₹6.00",
        "स्थायी प्रभार: 2 kW @ ₹110.00/kW/माह × 1 माह",
        "विद्युत शुल्क ₹1,645.00 पर 5%",
        "रुपये में पूर्णांकन",
        "मीटर्ड / metered",  # the basis spelled out, never "MU"
        "दो हजार दो सौ सत्ताईस रुपये",  # payable 2,227.00 in words
        "25-07-2026 · ₹ 12,345.50 · भुगतान R-LAST (काउंटर पर नकद)",
    ):
        assert _squeezed(words) in text, words
    assert "Energyupto" not in text and "R-BOUNCED" not in text and "R-ON-BILL-DAY" not in text


@needs_pdftotext
def test_english_consumer_reads_the_words_in_english(bill, tmp_path):
    bill.consumer.language = "en"
    bill.consumer.save()
    bill.lines = _engine_lines()
    bill.payable = Decimal("12345678.50")
    _payment(bill.consumer, datetime.date(2026, 7, 25), "1727.00", "R-LAST")
    text = _squeezed(pdf_text(pdf.render_bill_pdf(bill), tmp_path))
    for words in (
        "Energy up to 150 kWh: 150 kWh @ Rs 5.50",
        "Electricity duty 5% on Rs 1,645.00",
        "₹ 1,23,45,678.50",
        # 1,23,45,678.50 in words, wrapped over two lines
        "One Crore Twenty-Three Lakh Forty-Five Thousand Six Hundred",
        "Seventy-Eight Rupees and Fifty Paise",
        "25-07-2026 · ₹ 1,727.00 · Payment R-LAST (Cash at counter)",
    ):
        assert _squeezed(words) in text, words


@needs_pdftotext
def test_an_old_bill_without_params_prints_its_stored_descriptions(bill, tmp_path):
    assert not any("params" in line for line in bill.lines)
    text = _squeezed(pdf_text(pdf.render_bill_pdf(bill), tmp_path))
    assert _squeezed("Energy up to 150 kWh: 150 kWh @ Rs 5.50") in text
    assert _squeezed("Electricity duty 5% on Rs 1645.00") in text
    assert _squeezed("अंतिम भुगतान / Last payment —") in text  # no payment yet
