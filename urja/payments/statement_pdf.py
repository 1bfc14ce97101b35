"""The consumer's statement of account as an A4 PDF, in Hindi and English.

Built on Urja's PDF kit (:mod:`urja.common.pdf`: fpdf2 with HarfBuzz shaping and the Noto
Devanagari font, mixed-script runs), so Devanagari is shaped as on the bill. The statement is the ledger
for a date range: opening balance, every entry (date, description, debit, credit, running balance;
a payment also shows how it was allocated), totals and closing balance. A positive balance is due, a
negative one is an advance held for future bills. Rows run over as many pages as needed; the table
header is repeated on each page.

Queries: the ledger statement (two), the consumer's offices (two) and the payments in the range (one).
"""

from __future__ import annotations

import datetime
import zoneinfo

from django.conf import settings
from django.utils import translation

from urja.common import clock
from urja.common.pdf import (
    BORDER,
    CONTENT_W,
    HIGHLIGHT,
    LIGHT,
    MARGIN,
    MUTED,
    NAVY,
    PAGE_H,
    WHITE,
    ZEBRA,
    Document,
    bilingual,
    date_text,
    new_document,
)
from urja.customers.choices import TariffCategory
from urja.customers.models import Consumer
from urja.domain.money import format_indian as money_text
from urja.ledger.choices import EntryType
from urja.ledger.descriptions import entry_text
from urja.ledger.selectors import Statement, statement
from urja.org.selectors import discom_of

from .models import Payment

TYPE_HI = {
    EntryType.OPENING: "प्रारंभिक शेष",
    EntryType.BILL: "बिल",
    EntryType.PAYMENT: "भुगतान",
    EntryType.ADJUSTMENT: "समायोजन",
    EntryType.LPSC: "विलंब भुगतान अधिभार",
    EntryType.REVERSAL: "प्रविष्टि उलटी गई",
    EntryType.SUBSIDY: "सरकारी सब्सिडी",
    EntryType.DEPOSIT: "प्रतिभूति राशि",
}
KIND_HI = {"surcharge": "अधिभार / surcharge", "principal": "मूल / principal"}

FOOTER_H = 12.0
ROW_H = 5.6
SUB_ROW_H = 3.8
# Columns: date, description, debit, credit, balance.
COLS = (20.0, CONTENT_W - 20.0 - 3 * 27.0, 27.0, 27.0, 27.0)


def _balance_text(amount) -> str:
    return f"{money_text(amount)} {'Cr' if amount < 0 else 'Dr' if amount > 0 else ''}".strip()


def render_statement_pdf(consumer: Consumer, date_from: datetime.date, date_to: datetime.date) -> bytes:
    """The statement of `consumer`'s account from `date_from` to `date_to` (both inclusive) as PDF bytes."""
    if date_from > date_to:
        raise ValueError("the statement starts after it ends")
    with translation.override("en"):
        result = statement(consumer.pk, date_from, date_to)
        payment_ids = [
            line.entry.source_id
            for line in result.lines
            if line.entry.entry_type == EntryType.PAYMENT and line.entry.source_type == "payment"
        ]
        allocations = dict(Payment.objects.filter(pk__in=payment_ids).values_list("pk", "allocation"))
        return _render(consumer, result, allocations)


def _render(consumer: Consumer, result: Statement, allocations: dict[int, list]) -> bytes:
    office = consumer.office
    discom = discom_of(office)
    pdf = new_document()
    now = clock.localtime()
    pdf.set_creation_date(now.astimezone(zoneinfo.ZoneInfo("Asia/Kolkata")))
    pdf.set_title(
        f"Statement {consumer.account_number} {result.date_from:%d-%m-%Y} to {result.date_to:%d-%m-%Y}"
    )
    pdf.set_author(settings.URJA["UTILITY_NAME"])
    pdf.set_creator("Urja")
    pdf.set_producer("Urja (fpdf2)")
    pdf.set_lang("hi-IN")
    pdf.add_page()
    _header(pdf, result, discom)
    y = _particulars(pdf, consumer, office, MARGIN + 29)
    y = _summary(pdf, result, y + 3)
    y = _table_head(pdf, y + 4)
    pages = [pdf.page]
    bottom = PAGE_H - MARGIN - FOOTER_H

    def ensure(height: float, y: float) -> float:
        if y + height <= bottom:
            return y
        pdf.add_page()
        pages.append(pdf.page)
        return _table_head(pdf, MARGIN)

    y = ensure(ROW_H, y)
    _row(
        pdf,
        y,
        "",
        "प्रारंभिक शेष / Opening balance",
        "",
        "",
        _balance_text(result.opening_balance),
        fill=LIGHT,
        bold=True,
    )
    y += ROW_H
    for i, line in enumerate(result.lines):
        entry = line.entry
        note = _note(entry, allocations)
        height = ROW_H + (SUB_ROW_H if note else 0)
        y = ensure(height, y)
        _row(
            pdf,
            y,
            date_text(entry.entry_date),
            _entry_words(entry, "en" if consumer.language == "en" else "hi"),
            money_text(line.debit) if line.debit else "",
            money_text(line.credit) if line.credit else "",
            _balance_text(line.balance),
            fill=ZEBRA if i % 2 else None,
            height=height,
        )
        if note:
            pdf.put(
                MARGIN + COLS[0] + 2, y + ROW_H - 0.6, COLS[1] - 4, SUB_ROW_H, note, size=6.5, color=MUTED
            )
        y += height
    y = ensure(2 * ROW_H + 2, y)
    pdf.hline(MARGIN, MARGIN + CONTENT_W, y, color=NAVY, width=0.35)
    _row(
        pdf,
        y + 0.5,
        "",
        "योग / Totals",
        money_text(result.total_debits),
        money_text(result.total_credits),
        "",
        bold=True,
    )
    _row(
        pdf,
        y + 0.5 + ROW_H,
        "",
        "अंतिम शेष / Closing balance",
        "",
        "",
        _balance_text(result.closing_balance),
        fill=HIGHLIGHT,
        bold=True,
    )
    for number, page in enumerate(pages, start=1):
        pdf.page = page
        _footer(pdf, number, len(pages), now)
    pdf.page = pages[-1]
    return bytes(pdf.output())


def _entry_words(entry, language: str) -> str:
    """What the entry says in the consumer's language; an entry without a code (older, or posted by
    a poster that sets none) keeps its English description after the Hindi name of its type."""
    if entry.code:
        return entry_text(entry, language)
    return bilingual(TYPE_HI.get(entry.entry_type, ""), entry.description)


def _note(entry, allocations: dict[int, list]) -> str:
    """The small second line of a row: how a payment was allocated, or why an entry was posted."""
    if entry.entry_type == EntryType.PAYMENT and allocations.get(entry.source_id):
        parts = [
            f"{item.get('period') or 'opening'} {KIND_HI.get(item.get('kind'), item.get('kind'))} "
            f"{money_text(item.get('amount'))}"
            for item in allocations[entry.source_id]
        ]
        return "समायोजित / Allocated: " + ", ".join(parts)
    if entry.reason and entry.entry_type in (EntryType.REVERSAL, EntryType.ADJUSTMENT):
        return f"कारण / Reason: {entry.reason}"
    return ""


def _header(pdf: Document, result: Statement, discom) -> None:
    pdf.box(MARGIN, MARGIN, CONTENT_W, 25, fill=NAVY, edge=NAVY)
    left_w = CONTENT_W * 0.5
    pdf.put(14, 12, left_w, 8, settings.URJA["UTILITY_NAME"], size=15, bold=True, color=WHITE)
    if discom is not None:
        pdf.put(14, 20.5, left_w, 5, bilingual(discom.name_hi, discom.name), size=9.5, color=WHITE)
    pdf.put(14, 26.5, left_w, 5, "उत्तर प्रदेश / Uttar Pradesh", size=8, color=(200, 214, 235))
    right_x, right_w = MARGIN + CONTENT_W - 4 - 95, 95
    pdf.put(
        right_x,
        12,
        right_w,
        8,
        "खाता विवरण / Statement of account",
        size=14,
        bold=True,
        align="R",
        color=WHITE,
    )
    pdf.put(
        right_x,
        20.5,
        right_w,
        5,
        f"अवधि / Period: {date_text(result.date_from)} – {date_text(result.date_to)}",
        size=9.5,
        align="R",
        color=WHITE,
    )


def _particulars(pdf: Document, consumer: Consumer, office, y: float) -> float:
    category = str(dict(TariffCategory.choices).get(consumer.category, consumer.category))
    left = [
        ("खाता संख्या / Account No.", consumer.account_number, True),
        (
            "नाम / Name",
            bilingual(consumer.name_hi, consumer.name) if consumer.name_hi else consumer.name,
            True,
        ),
        ("पता / Address", f"{consumer.address}, {consumer.village_town}, {consumer.district}", False),
    ]
    right = [
        ("श्रेणी / Category", f"{consumer.category} – {category}", False),
        ("स्वीकृत भार / Sanctioned load", consumer.load_display, False),
        ("वितरण केंद्र / Distribution centre", bilingual(office.name_hi, office.name) if office else "—", False),
    ]
    row_h, height = 5.3, 7 + 5.3 * 3 + 1.5
    half = (CONTENT_W - 4) / 2
    for x, rows, label_w in ((MARGIN, left, 36), (MARGIN + half + 4, right, 44)):
        pdf.box(x, y, half, height)
        pdf.set_fill_color(*LIGHT)
        pdf.rect(x, y, half, 6.5, style="F")
        pdf.hline(x, x + half, y + 6.5)
        title = "उपभोक्ता विवरण / Consumer details" if x == MARGIN else "संयोजन / Connection"
        pdf.put(x + 2.5, y + 0.5, half - 5, 6, title, size=9, bold=True, color=NAVY)
        row_y = y + 7.5
        for label, value, bold in rows:
            pdf.put(x + 2.5, row_y, label_w, row_h, label, size=7.3, color=MUTED)
            pdf.put(x + 2.5 + label_w, row_y, half - label_w - 5, row_h, value, size=8.6, bold=bold)
            row_y += row_h
    return y + height


def _summary(pdf: Document, result: Statement, y: float) -> float:
    cells = [
        ("प्रारंभिक शेष / Opening balance", _balance_text(result.opening_balance), None),
        ("कुल नामे / Total debits", money_text(result.total_debits), None),
        ("कुल जमा / Total credits", money_text(result.total_credits), None),
        ("अंतिम शेष / Closing balance", _balance_text(result.closing_balance), HIGHLIGHT),
    ]
    w, h = CONTENT_W / len(cells), 14
    for i, (label, value, fill) in enumerate(cells):
        x = MARGIN + i * w
        pdf.box(x, y, w, h, fill=fill or ZEBRA)
        pdf.put(x + 3, y + 1.5, w - 6, 5, label, size=7.5, color=MUTED)
        pdf.put(x + 3, y + 6.5, w - 6, 6, f"₹ {value}", size=11, bold=True)
    return y + h


def _table_head(pdf: Document, y: float) -> float:
    heads = ("दिनांक / Date", "विवरण / Description", "नामे / Debit", "जमा / Credit", "शेष / Balance")
    pdf.box(MARGIN, y, CONTENT_W, 6.5, fill=NAVY, edge=NAVY)
    x = MARGIN
    for i, (head, width) in enumerate(zip(heads, COLS, strict=True)):
        pdf.put(
            x + 2, y + 0.5, width - 4, 6, head, size=8, bold=True, color=WHITE, align="R" if i >= 2 else "L"
        )
        x += width
    return y + 6.5


def _row(pdf: Document, y, date, description, debit, credit, balance, *, fill=None, bold=False, height=ROW_H):
    if fill is not None:
        pdf.set_fill_color(*fill)
        pdf.rect(MARGIN, y, CONTENT_W, height, style="F")
    x = MARGIN
    for i, (value, width) in enumerate(zip((date, description, debit, credit, balance), COLS, strict=True)):
        if value:
            pdf.put(x + 2, y, width - 4, ROW_H, value, size=8, bold=bold, align="R" if i >= 2 else "L")
        x += width
    pdf.hline(MARGIN, MARGIN + CONTENT_W, y + height, color=BORDER, width=0.1)


def _footer(pdf: Document, number: int, total: int, now: datetime.datetime) -> None:
    y = PAGE_H - MARGIN - FOOTER_H + 2
    pdf.hline(MARGIN, MARGIN + CONTENT_W, y, color=NAVY, width=0.3)
    pdf.put(
        MARGIN,
        y + 1,
        CONTENT_W * 0.75,
        4,
        "धनात्मक शेष (Dr) देय है, ऋणात्मक शेष (Cr) अग्रिम जमा है। / A Dr balance is due; a Cr balance is an advance.",
        size=6.8,
        color=MUTED,
    )
    pdf.put(MARGIN, y + 1, CONTENT_W, 4, f"पृष्ठ / Page {number} / {total}", size=7, align="R", color=MUTED)
    pdf.put(
        MARGIN,
        y + 5.2,
        CONTENT_W,
        4,
        f"कंप्यूटर द्वारा {now:%d-%m-%Y %H:%M} को बनाया गया, हस्ताक्षर आवश्यक नहीं। / "
        f"Computer-generated on {now:%d-%m-%Y %H:%M}; needs no signature.",
        size=6.5,
        color=MUTED,
    )
