"""The printed bill: one A4 page, Hindi and English, made with fpdf2 with text shaping (HarfBuzz) on.

Devanagari needs shaping: without it the ि matra lands after its consonant and conjuncts fall apart
(बिजली comes out as बजिली). The committed Noto Sans Devanagari has no Latin letters, so every string is
split into runs: Devanagari (and ₹, dashes, curly quotes) in Noto Sans Devanagari, the rest in a Latin
font — Noto Sans when ``NotoSans-Regular.ttf`` and ``NotoSans-Bold.ttf`` are committed beside it,
otherwise the PDF core font Helvetica (nothing to embed, every viewer has it).

``render_bill_pdf(bill)`` needs a few queries (consumer, office, discom, closing reading, 12-month
history); pass ``history`` when printing many bills, to fetch the history in bulk with
``metering.selectors.monthly_history``. The output is reproducible: the creation date is the bill's
issue date, so the same bill gives the same bytes.
"""

from __future__ import annotations

import datetime
import io
import zoneinfo
from collections.abc import Sequence
from decimal import Decimal
from urllib.parse import quote

import segno
from django.conf import settings
from django.utils import translation

from urja.common.pdf import (
    BLUE,
    CONTENT_W,
    HIGHLIGHT,
    HIGHLIGHT_EDGE,
    LIGHT,
    MARGIN,
    MUTED,
    NAVY,
    TEXT,
    WHITE,
    ZEBRA,
    Document,
    bilingual,
    date_text,
    new_document,
    number_text,
)
from urja.customers.choices import TariffCategory
from urja.domain.money import UNIT_ROUNDING, round_paisa
from urja.domain.money import format_indian as _money
from urja.domain.words import amount_in_words
from urja.ledger.descriptions import entry_text
from urja.ledger.selectors import last_payment
from urja.metering.choices import ReadingStatus
from urja.org.selectors import discom_of

from .choices import BillStatus
from .lines import basis_text, line_text
from .models import Bill

#: Two columns: particulars, charges and chart on the left; reading, totals and QR code on the right.
LEFT_W, GUTTER = 116.0, 4.0
RIGHT_X = MARGIN + LEFT_W + GUTTER
RIGHT_W = CONTENT_W - LEFT_W - GUTTER
FOOTER_Y = 268.0

MONTHS_EN = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
MONTHS_HI = (
    "जनवरी",
    "फ़रवरी",
    "मार्च",
    "अप्रैल",
    "मई",
    "जून",
    "जुलाई",
    "अगस्त",
    "सितंबर",
    "अक्टूबर",
    "नवंबर",
    "दिसंबर",
)
STATUS_HI = {
    ReadingStatus.OK: "ठीक",
    ReadingStatus.IDF: "मीटर दोषपूर्ण",
    ReadingStatus.RDF: "रीडिंग दोषपूर्ण",
    ReadingStatus.ADF: "रीडिंग अपरिवर्तित",
    ReadingStatus.CDF: "संदिग्ध खपत",
    ReadingStatus.NA: "परिसर बंद",
    ReadingStatus.NR: "रीडिंग नहीं",
    ReadingStatus.NM: "मीटर नहीं",
}
#: Line heads shown in the totals box rather than among the current charges.
TOTALS_HEADS = frozenset({"arrears", "lpsc"})

HOW_TO_PAY_HI = (
    "भुगतान: पोर्टल या किसी भी UPI ऐप से ऑनलाइन, BBPS (बैंक, भुगतान ऐप, जन सेवा केंद्र) से, या विभागीय कैश काउंटर पर।"
)
HOW_TO_PAY_EN = (
    "Pay online on the consumer portal or with any UPI app, through BBPS (banks, payment apps, "
    "Jan Seva Kendra), or at a departmental cash counter."
)
RIGHTS_HI = "विद्युत (उपभोक्ता अधिकार) नियम, 2020: ₹1,000 या अधिक के बिल का भुगतान ऑनलाइन किया जा सकता है।"
RIGHTS_EN = "Electricity (Rights of Consumers) Rules, 2020: bills of Rs 1,000 or more can be paid online."
GENERATED_HI = "यह कंप्यूटर द्वारा बनाया गया बिल है, इस पर हस्ताक्षर आवश्यक नहीं।"
GENERATED_EN = "This is a computer-generated bill and needs no signature."


# ----------------------------------------------------------------------------------------------- values


def upi_uri(bill: Bill) -> str:
    """The UPI deep link for paying `bill`: payee VPA and name, amount with two decimals, and the bill
    number as note and reference, every value percent-encoded (the VPA keeps its ``@``)."""
    urja = settings.URJA
    vpa = urja.get("UPI_VPA", "urja.demo@upi")
    payee = urja.get("UPI_PAYEE_NAME") or urja["UTILITY_NAME"]
    amount = round_paisa(Decimal(bill.payable))
    params = [
        ("pa", quote(vpa, safe="@")),
        ("pn", quote(payee, safe="")),
        ("am", f"{amount:f}"),
        ("tn", quote(bill.bill_number, safe="")),
        ("tr", quote(bill.bill_number, safe="")),
        ("cu", "INR"),
    ]
    return "upi://pay?" + "&".join(f"{key}={value}" for key, value in params)


def _qr_png(data: str) -> io.BytesIO:
    buffer = io.BytesIO()
    segno.make(data, error="m", micro=False).save(buffer, kind="png", scale=6, border=2)
    buffer.seek(0)
    return buffer


# ------------------------------------------------------------------------------------------------ data


def _closing_reading(bill: Bill):
    if bill.closing_reading_id is None:
        return None
    from urja.metering.models import Reading

    return Reading.objects.select_related("meter").filter(pk=bill.closing_reading_id).first()


def _default_history(bill: Bill) -> list[tuple[int, int, Decimal | None]]:
    from urja.metering.selectors import monthly_history

    return monthly_history([bill.consumer_id], 12, until=bill.period_end)[bill.consumer_id]


# ---------------------------------------------------------------------------------------------- layout


def render_bill_pdf(
    bill: Bill,
    *,
    history: Sequence[tuple[int, int, Decimal | int | None]] | None = None,
    upi: str | None = None,
) -> bytes:
    """The bill as a one-page A4 PDF in Hindi and English.

    `history` is the consumption chart's data, ``(year, month, units or None)`` oldest first (the
    last 12 months up to the bill's period by default); `upi` overrides the UPI link in the QR code.
    No QR code is printed when nothing is payable or the bill is not issued (held, cancelled)."""
    with translation.override("en"):
        return _render(bill, history, upi)


def _render(bill: Bill, history, upi: str | None) -> bytes:
    consumer = bill.consumer
    office = consumer.office
    discom = discom_of(office)
    reading = _closing_reading(bill)
    if history is None:
        history = _default_history(bill)

    pdf = new_document()
    issued = datetime.datetime.combine(
        bill.issue_date, datetime.time(9, 0), zoneinfo.ZoneInfo(settings.TIME_ZONE)
    )
    pdf.set_creation_date(issued)
    pdf.set_title(bill.bill_number)
    pdf.set_subject(f"Electricity bill {bill.period} {consumer.account_number}")
    pdf.set_author(settings.URJA["UTILITY_NAME"])
    pdf.set_creator("Urja")
    pdf.set_producer("Urja (fpdf2)")
    pdf.set_lang("hi-IN")
    pdf.add_page()

    _header(pdf, bill, discom)
    y = _bill_strip(pdf, bill, 38)
    y = _particulars(pdf, bill, consumer, office, reading, y + 4)
    y = _charges(pdf, bill, y + 4, _language(consumer))
    bottom_h = FOOTER_Y - (y + 4) - 4
    _chart(pdf, MARGIN, y + 4, LEFT_W, bottom_h, history, (bill.period_end.year, bill.period_end.month))
    _payment(pdf, bill, RIGHT_X, y + 4, RIGHT_W, bottom_h, upi)
    _footer(pdf, FOOTER_Y)
    return bytes(pdf.output())


def _header(pdf: Document, bill: Bill, discom) -> None:
    pdf.box(MARGIN, MARGIN, CONTENT_W, 25, fill=NAVY, edge=NAVY)
    left_w = CONTENT_W * 0.55
    pdf.put(14, 12, left_w, 8, settings.URJA["UTILITY_NAME"], size=15, bold=True, color=WHITE)
    if discom is not None:
        pdf.put(14, 20.5, left_w, 5, bilingual(discom.name_hi, discom.name), size=9.5, color=WHITE)
    pdf.put(14, 26.5, left_w, 5, "उत्तर प्रदेश / Uttar Pradesh", size=8, color=(200, 214, 235))
    right_x, right_w = MARGIN + CONTENT_W - 4 - 80, 80
    pdf.put(
        right_x, 12, right_w, 8, "बिजली बिल / Electricity Bill", size=15, bold=True, align="R", color=WHITE
    )
    month = bill.period_end.month - 1
    pdf.put(
        right_x,
        20.5,
        right_w,
        5,
        f"बिल माह / Bill month: {MONTHS_HI[month]} {bill.period_end.year} / "
        f"{MONTHS_EN[month]} {bill.period_end.year}",
        size=9.5,
        align="R",
        color=WHITE,
    )
    mark = ""
    if bill.status == BillStatus.CANCELLED:
        mark = "निरस्त / CANCELLED"
    elif bill.status == BillStatus.HELD:
        mark = "समीक्षाधीन, जारी नहीं / HELD FOR REVIEW, NOT ISSUED"
    elif bill.revision_of_id:
        mark = "संशोधित बिल / Revised bill"
    if mark:
        colour = (255, 200, 200) if bill.status != BillStatus.ISSUED else (200, 214, 235)
        pdf.put(right_x, 26.5, right_w, 5, mark, size=8.5, bold=True, align="R", color=colour)


def _bill_strip(pdf: Document, bill: Bill, y: float) -> float:
    cells = [
        ("बिल संख्या / Bill No.", bill.bill_number, None),
        ("बिल अवधि / Bill period", f"{date_text(bill.period_start)} – {date_text(bill.period_end)}", None),
        ("बिल तिथि / Issue date", date_text(bill.issue_date), None),
        ("देय तिथि / Due date", date_text(bill.due_date), HIGHLIGHT),
    ]
    w, h = CONTENT_W / len(cells), 15
    for i, (label, value, fill) in enumerate(cells):
        x = MARGIN + i * w
        pdf.box(x, y, w, h, fill=fill or ZEBRA)
        pdf.put(x + 3, y + 1.5, w - 6, 5, label, size=7.5, color=MUTED)
        pdf.put(x + 3, y + 7, w - 6, 6, value, size=11, bold=True)
    return y + h


def _panel(pdf: Document, x, y, w, title, rows, label_w, height) -> float:
    row_h = 5.3
    pdf.box(x, y, w, height)
    pdf.set_fill_color(*LIGHT)
    pdf.rect(x, y, w, 6.5, style="F")
    pdf.hline(x, x + w, y + 6.5)
    pdf.put(x + 2.5, y + 0.5, w - 5, 6, title, size=9, bold=True, color=NAVY)
    row_y = y + 7.5
    for label, value, bold in rows:
        pdf.put(x + 2.5, row_y, label_w, row_h, label, size=7.3, color=MUTED)
        pdf.put(x + 2.5 + label_w, row_y, w - label_w - 5, row_h, value, size=8.8, bold=bold)
        row_y += row_h
    return y + height


def _particulars(pdf: Document, bill: Bill, consumer, office, reading, y: float) -> float:
    category = str(dict(TariffCategory.choices).get(consumer.category, consumer.category))
    category_value = f"{consumer.category} – {category}"
    if bill.category and bill.category != consumer.category:
        category_value += f" (billed as {bill.category})"
    district = consumer.district + (f" – {consumer.pincode}" if consumer.pincode else "")
    rows = [
        ("खाता संख्या / Account No.", consumer.account_number, True),
        ("नाम / Name", consumer.name, True),
    ]
    if consumer.name_hi:
        rows.append(("नाम (हिंदी) / Name (Hindi)", consumer.name_hi, True))
    rows += [
        ("पिता/पति का नाम / Father/Husband", consumer.father_husband_name or "—", False),
        ("पता / Address", consumer.address, False),
        ("गाँव/शहर / Village/Town", consumer.village_town, False),
        ("जनपद / District", district, False),
        ("श्रेणी / Category", category_value, False),
        ("स्वीकृत भार / Sanctioned load", f"{number_text(bill.sanctioned_load)} {bill.load_unit}", False),
        ("मोबाइल / Mobile", consumer.mobile_masked or "—", False),
        (
            "वितरण केंद्र / Distribution centre",
            bilingual(office.name_hi, office.name) if office else "—",
            False,
        ),
    ]
    left_rows = rows

    status = bill.reading_status
    status_value = "—"
    if status:
        label = str(dict(ReadingStatus.choices).get(status, status))
        status_value = bilingual(STATUS_HI.get(status, ""), label)
    units = f"{number_text(bill.units)} kWh" if bill.units is not None else "—"
    if bill.kvah is not None:
        units += f" / {number_text(bill.kvah)} kVAh"
    meter = reading.meter if reading is not None else None
    rows = [("मीटर संख्या / Meter No.", meter.serial if meter else "—", True)]
    if meter is not None and meter.multiplying_factor != 1:
        rows.append(("गुणक / Multiplying factor", number_text(meter.multiplying_factor), False))
    if reading is not None and reading.kwh is not None:
        previous = number_text(reading.previous_kwh) if reading.previous_kwh is not None else "—"
        rows += [
            ("पिछली रीडिंग / Previous", f"{previous}  ({date_text(reading.units_since)})", False),
            (
                "वर्तमान रीडिंग / Current",
                f"{number_text(reading.kwh)}  ({date_text(reading.reading_date)})",
                False,
            ),
        ]
    elif reading is not None:
        rows.append(("रीडिंग तिथि / Reading date", date_text(reading.reading_date), False))
    rows += [
        ("रीडिंग स्थिति / Status", status_value, False),
        ("बिलिंग आधार / Basis", bilingual(basis_text(bill.basis, "hi"), basis_text(bill.basis, "en")), False),
        ("बिल इकाइयाँ / Units billed", units, True),
    ]
    if reading is not None and reading.max_demand is not None:
        rows.append(("अधिकतम माँग / Max demand", number_text(reading.max_demand), False))
    days = (bill.period_end - bill.period_start).days + 1
    rows.append(("बिल दिवस / Days billed", str(days), False))
    height = 7 + 5.3 * max(len(left_rows), len(rows)) + 1.5
    _panel(pdf, MARGIN, y, LEFT_W, "उपभोक्ता विवरण / Consumer details", left_rows, 44, height)
    _panel(pdf, RIGHT_X, y, RIGHT_W, "मीटर एवं रीडिंग / Meter and reading", rows, 30, height)
    return y + height


def _language(consumer) -> str:
    """The language the consumer reads the bill's words in (labels are printed in both)."""
    return "en" if getattr(consumer, "language", "hi") == "en" else "hi"


def _last_payment_text(bill: Bill, language: str) -> str:
    entry = last_payment(bill.consumer_id, bill.issue_date) if bill.issue_date else None
    if entry is None:
        return "—"
    return f"{date_text(entry.entry_date)} · ₹ {_money(-entry.amount)} · {entry_text(entry, language)}"


def _charges(pdf: Document, bill: Bill, y: float, language: str = "hi") -> float:
    lines = [line for line in bill.lines if line.get("head") not in TOTALS_HEADS]
    x, w, amount_w = MARGIN, LEFT_W, 28
    room = FOOTER_Y - 75 - y  # leave space for the amount in words, last payment, chart and footer
    row_h = max(3.6, min(5.2, room / (len(lines) + 2.5)))
    pdf.box(x, y, w, 6.5, fill=NAVY, edge=NAVY)
    pdf.put(x + 2.5, y + 0.5, w - amount_w - 5, 6, "विवरण / Description", size=8.5, bold=True, color=WHITE)
    pdf.put(
        x + w - amount_w - 2.5,
        y + 0.5,
        amount_w,
        6,
        "राशि / Amount (₹)",
        size=8.5,
        bold=True,
        align="R",
        color=WHITE,
    )
    row_y = y + 6.5
    for i, line in enumerate(lines):
        if i % 2:
            pdf.set_fill_color(*ZEBRA)
            pdf.rect(x, row_y, w, row_h, style="F")
        pdf.put(x + 2.5, row_y, w - amount_w - 7, row_h, line_text(line, language), size=8)
        pdf.put(
            x + w - amount_w - 2.5, row_y, amount_w, row_h, _money(line.get("amount")), size=8.5, align="R"
        )
        row_y += row_h
    pdf.hline(x, x + w, row_y, color=NAVY, width=0.35)
    pdf.put(x + 2.5, row_y + 0.4, w - amount_w - 5, 6, "चालू प्रभार / Current charges", size=9, bold=True)
    pdf.put(
        x + w - amount_w - 2.5,
        row_y + 0.4,
        amount_w,
        6,
        _money(bill.current_charges),
        size=9.5,
        bold=True,
        align="R",
    )
    table_bottom = row_y + 7
    pdf.box(x, y, w, table_bottom - y)
    words = amount_in_words(max(Decimal(bill.payable), Decimal(0)), language)
    label_w = 30
    info = (
        ("देय राशि शब्दों में / In words", words),
        ("अंतिम भुगतान / Last payment", _last_payment_text(bill, language)),
    )
    info_y = table_bottom + 1
    for label, value in info:
        pdf.put(x + 2.5, info_y, label_w, 4.4, label, size=6.8, color=MUTED)
        # Long amounts in words (crores in English) wrap to a second line rather than shrink.
        below = pdf.put_lines(x + 2.5 + label_w, info_y, w - label_w - 5, value, size=7.6, line_h=4.4)
        info_y = max(below, info_y + 4.4)

    _totals(pdf, bill, RIGHT_X, y, RIGHT_W)
    return max(info_y, y + 66)


def _totals(pdf: Document, bill: Bill, x: float, y: float, w: float) -> None:
    pdf.box(x, y, w, 66)
    pdf.set_fill_color(*LIGHT)
    pdf.rect(x, y, w, 6.5, style="F")
    pdf.hline(x, x + w, y + 6.5)
    pdf.put(x + 2.5, y + 0.5, w - 5, 6, "भुगतान सारांश / Summary", size=9, bold=True, color=NAVY)
    rows = [
        ("चालू प्रभार / Current charges", bill.current_charges),
        ("बकाया / Arrears", bill.arrears),
        ("विलंब भुगतान अधिभार / LPSC", bill.lpsc),
    ]
    row_y = y + 8
    for label, amount in rows:
        pdf.put(x + 2.5, row_y, w - 27, 5.5, label, size=7.6, color=MUTED)
        pdf.put(x + w - 24.5, row_y, 22, 5.5, _money(amount), size=9, align="R")
        row_y += 5.5
    box_y = row_y + 2
    pdf.box(x + 2.5, box_y, w - 5, 23, fill=HIGHLIGHT, edge=HIGHLIGHT_EDGE, width=0.5)
    pdf.put(x + 5, box_y + 1.5, w - 10, 5, "देय राशि / Amount payable", size=9, bold=True, color=NAVY)
    pdf.put(x + 5, box_y + 7, w - 10, 9, f"₹ {_money(bill.payable)}", size=19, bold=True, align="C")
    pdf.put(
        x + 5,
        box_y + 16.5,
        w - 10,
        5,
        f"देय तिथि / Due by {date_text(bill.due_date)}",
        size=8,
        align="C",
        color=MUTED,
    )
    after_y = box_y + 25
    pdf.put(x + 2.5, after_y, w - 5, 5, "देय तिथि के बाद देय / Payable after due date", size=7.6, color=MUTED)
    pdf.put(
        x + 2.5, after_y + 5, w - 5, 6, f"₹ {_money(bill.payable_after_due)}", size=11, bold=True, align="R"
    )


def _nice_step(top: float) -> float:
    raw = top / 4 if top > 0 else 1
    magnitude = 10 ** (len(str(int(raw))) - 1) if raw >= 1 else 1
    for factor in (1, 2, 2.5, 5, 10):
        if raw <= factor * magnitude:
            return factor * magnitude
    return 10 * magnitude


def _chart(pdf: Document, x, y, w, h, history, current) -> None:
    pdf.box(x, y, w, h)
    pdf.set_fill_color(*LIGHT)
    pdf.rect(x, y, w, 6.5, style="F")
    pdf.hline(x, x + w, y + 6.5)
    pdf.put(
        x + 2.5,
        y + 0.5,
        w - 5,
        6,
        "पिछले 12 माह की खपत (यूनिट) / Consumption, last 12 months (units)",
        size=8.5,
        bold=True,
        color=NAVY,
    )
    history = list(history)[-12:]
    if not history:
        pdf.put(x, y + h / 2, w, 6, "— कोई रीडिंग नहीं / no readings —", size=8, align="C", color=MUTED)
        return
    values = [Decimal(u) for _, _, u in history if u is not None]
    step = _nice_step(float(max(values, default=0)))
    top = step * max(1, -(-float(max(values, default=0)) // step))
    axis_w = 11
    plot_x, plot_w = x + axis_w, w - axis_w - 3
    plot_top, plot_bottom = y + 12, y + h - 9
    plot_h = plot_bottom - plot_top
    ticks = int(round(top / step))
    for i in range(ticks + 1):
        tick_y = plot_bottom - plot_h * i / ticks
        pdf.hline(
            plot_x, plot_x + plot_w, tick_y, color=(215, 222, 232) if i else MUTED, width=0.15 if i else 0.3
        )
        pdf.put(
            x + 1,
            tick_y - 2,
            axis_w - 2.5,
            4,
            number_text(Decimal(str(step * i))),
            size=6,
            align="R",
            color=MUTED,
        )
    slot = plot_w / len(history)
    bar_w = slot * 0.62
    for i, (year, month, units) in enumerate(history):
        slot_x = plot_x + slot * i
        label = f"{MONTHS_EN[month - 1]} {year % 100:02d}"
        is_current = (year, month) == tuple(current)
        pdf.put(
            slot_x,
            plot_bottom + 1,
            slot,
            4,
            label,
            size=6.2,
            align="C",
            bold=is_current,
            color=TEXT if is_current else MUTED,
        )
        if units is None:
            pdf.put(slot_x, plot_bottom - 5, slot, 4, "—", size=8, align="C", color=MUTED)
            continue
        bar_h = plot_h * float(units) / top if top else 0
        if bar_h > 0:
            pdf.set_fill_color(*(NAVY if is_current else BLUE))
            pdf.rect(slot_x + (slot - bar_w) / 2, plot_bottom - bar_h, bar_w, bar_h, style="F")
        pdf.put(
            slot_x,
            plot_bottom - bar_h - 4,
            slot,
            3.8,
            number_text(UNIT_ROUNDING.apply(Decimal(units))),
            size=6,
            align="C",
            bold=is_current,
        )


def _payment(pdf: Document, bill: Bill, x, y, w, h, upi: str | None) -> None:
    pdf.box(x, y, w, h)
    pdf.set_fill_color(*LIGHT)
    pdf.rect(x, y, w, 6.5, style="F")
    pdf.hline(x, x + w, y + 6.5)
    pdf.put(x + 2.5, y + 0.5, w - 5, 6, "UPI से भुगतान / Pay by UPI", size=9, bold=True, color=NAVY)
    if bill.payable <= 0 or bill.status != BillStatus.ISSUED:
        if bill.status != BillStatus.ISSUED:
            message = "बिल जारी नहीं / Bill not issued"
        elif bill.payable < 0:
            message = f"अग्रिम जमा / Credit balance: ₹ {_money(-bill.payable)}"
        else:
            message = "कोई भुगतान देय नहीं / Nothing to pay"
        pdf.put(x + 2.5, y + h / 2 - 3, w - 5, 6, message, size=8.5, align="C", color=MUTED)
        return
    size = min(w - 24, h - 24)
    pdf.image(_qr_png(upi or upi_uri(bill)), x=x + (w - size) / 2, y=y + 8, w=size, h=size)
    caption_y = y + 8 + size + 0.5
    pdf.put(x + 2.5, caption_y, w - 5, 4.5, "किसी भी UPI ऐप से स्कैन करें", size=7.5, align="C")
    pdf.put(x + 2.5, caption_y + 4.3, w - 5, 4.5, "Scan with any UPI app", size=7.5, align="C")
    vpa = settings.URJA.get("UPI_VPA", "urja.demo@upi")
    pdf.put(x + 2.5, caption_y + 9, w - 5, 4.5, f"UPI ID: {vpa}", size=7.5, align="C", color=MUTED)


def _footer(pdf: Document, y: float) -> None:
    pdf.hline(MARGIN, MARGIN + CONTENT_W, y, color=NAVY, width=0.4)
    helpline = settings.URJA.get("HELPLINE", "1912")
    pdf.put(MARGIN, y + 1, CONTENT_W, 4.5, "भुगतान कैसे करें / How to pay", size=8, bold=True, color=NAVY)
    pdf.put(
        MARGIN,
        y + 1,
        CONTENT_W,
        4.5,
        f"शिकायत हेल्पलाइन / Complaints helpline: {helpline}",
        size=8,
        bold=True,
        align="R",
        color=NAVY,
    )
    line_y = y + 5.5
    for text in (HOW_TO_PAY_HI, HOW_TO_PAY_EN, RIGHTS_HI, RIGHTS_EN):
        line_y = pdf.put_lines(MARGIN, line_y, CONTENT_W, text, size=7.3, line_h=3.7)
    pdf.put(
        MARGIN,
        line_y + 0.5,
        CONTENT_W,
        3.7,
        f"{GENERATED_HI} / {GENERATED_EN}",
        size=6.5,
        align="C",
        color=MUTED,
    )
