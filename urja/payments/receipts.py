"""Payment receipts: an A5 PDF in Hindi and English, and the data for the narrow (58/80 mm) printable
page a thermal printer takes.

The PDF is made with Urja's PDF kit (``urja.common.pdf.new_document``): Noto Sans Devanagari with
HarfBuzz shaping for Hindi, split into runs with a Latin font. The output is reproducible: the PDF's
creation date is the payment time, so the same receipt gives the same bytes.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.utils import translation

from urja.common import clock
from urja.common.pdf import (
    HIGHLIGHT,
    HIGHLIGHT_EDGE,
    MARGIN,
    MUTED,
    NAVY,
    RED,
    WHITE,
    ZEBRA,
    date_text,
    new_document,
)
from urja.domain.masking import mask_name
from urja.domain.money import format_indian as money_indian
from urja.domain.words import amount_in_words

from .choices import Channel, PaymentStatus
from .models import Payment

# ---------------------------------------------------------------------------------------------- data

CHANNEL_HI = {
    Channel.CASH: "नकद",
    Channel.CHEQUE: "चेक",
    Channel.DD: "डिमांड ड्राफ्ट",
    Channel.CARD: "कार्ड",
    Channel.UPI_COUNTER: "UPI (काउंटर)",
    Channel.ONLINE: "ऑनलाइन",
    Channel.PARTNER: "BBPS / बैंक / ऐप",
    Channel.BANK: "बैंक अंतरण",
}
KIND_LABELS = {"surcharge": ("अधिभार", "Surcharge"), "principal": ("मूल राशि", "Principal")}
STATUS_MARKS = {
    PaymentStatus.CANCELLED: ("निरस्त", "CANCELLED"),
    PaymentStatus.BOUNCED: ("चेक अनादरित", "CHEQUE BOUNCED"),
}


@dataclass
class ReceiptLine:
    period: str
    head_hi: str
    head_en: str
    amount: Decimal


@dataclass
class Receipt:
    """What a receipt shows, for the PDF and the printable page alike."""

    utility: str
    discom: str
    discom_hi: str
    receipt_number: str
    paid_at: datetime.datetime
    account_number: str
    name_masked: str
    mobile_masked: str
    channel: str
    channel_en: str
    channel_hi: str
    amount: Decimal
    amount_words: str
    instrument_number: str
    instrument_bank: str
    instrument_date: datetime.date | None
    counter: str
    cashier: str
    lines: list[ReceiptLine] = field(default_factory=list)
    advance: Decimal = Decimal("0.00")
    balance_before: Decimal = Decimal("0.00")
    balance_after: Decimal = Decimal("0.00")
    status: str = PaymentStatus.POSTED
    status_hi: str = ""
    status_en: str = ""

    @property
    def is_instrument(self) -> bool:
        return self.channel in (Channel.CHEQUE, Channel.DD)

    @property
    def balance_after_abs(self) -> Decimal:
        return abs(self.balance_after)

    @property
    def amount_display(self) -> str:
        return money_indian(self.amount)


def receipt_for(payment: Payment) -> Receipt:
    """The receipt of `payment` (a few queries: consumer, office, discom, counter, cashier)."""
    from urja.org.models import Office

    consumer = payment.consumer
    discom = Office.objects.filter(code=consumer.office.discom_code).first()
    book = payment.cash_book
    with translation.override("en"):
        channel_en = str(payment.get_channel_display())
    lines = []
    for item in payment.allocation:
        head_hi, head_en = KIND_LABELS.get(item.get("kind"), ("", str(item.get("kind", ""))))
        lines.append(ReceiptLine(item.get("period") or "—", head_hi, head_en, Decimal(item["amount"])))
    status_hi, status_en = STATUS_MARKS.get(payment.status, ("", ""))
    cashier = payment.posted_by
    return Receipt(
        utility=settings.URJA["UTILITY_NAME"],
        discom=discom.name if discom else "",
        discom_hi=discom.name_hi if discom else "",
        receipt_number=payment.receipt_number,
        paid_at=clock.localtime(payment.paid_at),
        account_number=payment.account_number,
        name_masked=mask_name(consumer.name),
        mobile_masked=consumer.mobile_masked,
        channel=payment.channel,
        channel_en=channel_en,
        channel_hi=CHANNEL_HI.get(payment.channel, ""),
        amount=payment.amount,
        amount_words=f"{amount_in_words(payment.amount, 'hi')} / {amount_in_words(payment.amount, 'en')}",
        instrument_number=payment.instrument_number,
        instrument_bank=payment.instrument_bank,
        instrument_date=payment.instrument_date,
        counter=f"{book.counter.code} {book.counter.name}" if book else "",
        cashier=(cashier.get_full_name() or cashier.username) if cashier else "",
        lines=lines,
        advance=payment.advance,
        balance_before=payment.balance_before,
        balance_after=payment.balance_before - payment.amount,
        status=payment.status,
        status_hi=status_hi,
        status_en=status_en,
    )


# ----------------------------------------------------------------------------------------------- PDF

A5_W, A5_H = 148.0, 210.0
CONTENT_W = A5_W - 2 * MARGIN


def render_receipt_pdf(payment: Payment) -> bytes:
    """The receipt as a one-page A5 PDF, labels in Hindi and English."""
    with translation.override("en"):
        return _render(receipt_for(payment))


def _render(receipt: Receipt) -> bytes:
    pdf = new_document()
    pdf.set_margins(MARGIN, MARGIN, MARGIN)
    pdf.set_creation_date(receipt.paid_at)
    pdf.set_title(f"Receipt {receipt.receipt_number}")
    pdf.set_author(receipt.utility)
    pdf.set_creator("Urja")
    pdf.set_producer("Urja (fpdf2)")
    pdf.set_lang("hi-IN")
    pdf.add_page(format=(A5_W, A5_H))

    x, w = MARGIN, CONTENT_W
    # Header band.
    pdf.box(x, MARGIN, w, 21, fill=NAVY, edge=NAVY)
    pdf.put(x + 3, MARGIN + 1.5, w - 6, 6.5, receipt.utility, size=11.5, bold=True, color=WHITE)
    if receipt.discom:
        discom = f"{receipt.discom_hi} / {receipt.discom}" if receipt.discom_hi else receipt.discom
        pdf.put(x + 3, MARGIN + 8, w - 6, 4.5, discom, size=8, color=WHITE)
    pdf.put(x + 3, MARGIN + 13.5, w - 6, 6, "भुगतान रसीद / Payment Receipt", size=11, bold=True, color=WHITE)
    y = MARGIN + 23
    if receipt.status_en:
        pdf.box(x, y, w, 8, fill=(253, 226, 224), edge=RED, width=0.5)
        pdf.put(
            x,
            y + 1,
            w,
            6,
            f"{receipt.status_hi} / {receipt.status_en}",
            size=11,
            bold=True,
            align="C",
            color=RED,
        )
        y += 10

    # Receipt number and time.
    half = w / 2
    for i, (label, value) in enumerate(
        [
            ("रसीद संख्या / Receipt No.", receipt.receipt_number),
            ("दिनांक एवं समय / Date and time", receipt.paid_at.strftime("%d-%m-%Y %H:%M")),
        ]
    ):
        cell_x = x + i * half
        pdf.box(cell_x, y, half, 13, fill=ZEBRA)
        pdf.put(cell_x + 2.5, y + 1, half - 5, 4.5, label, size=7, color=MUTED)
        pdf.put(cell_x + 2.5, y + 6, half - 5, 6, value, size=10, bold=True)
    y += 15

    # Particulars.
    rows = [
        ("खाता संख्या / Account No.", receipt.account_number, True),
        ("नाम / Name", receipt.name_masked or "—", False),
        ("मोबाइल / Mobile", receipt.mobile_masked or "—", False),
        ("भुगतान माध्यम / Mode", f"{receipt.channel_hi} / {receipt.channel_en}", False),
    ]
    if receipt.is_instrument:
        rows += [
            ("चेक/ड्राफ्ट संख्या / Cheque/DD No.", receipt.instrument_number or "—", False),
            ("बैंक / Bank", receipt.instrument_bank or "—", False),
            ("चेक/ड्राफ्ट दिनांक / Instrument date", date_text(receipt.instrument_date), False),
        ]
    if receipt.counter:
        rows.append(("काउंटर / Counter", receipt.counter, False))
    if receipt.cashier:
        rows.append(("कैशियर / Cashier", receipt.cashier, False))
    label_w, row_h = 52, 5.6
    for label, value, bold in rows:
        pdf.put(x + 1, y, label_w, row_h, label, size=7.6, color=MUTED)
        pdf.put(x + 1 + label_w, y, w - label_w - 2, row_h, value, size=9, bold=bold)
        y += row_h
    y += 2

    # Amount received.
    pdf.box(x, y, w, 22, fill=HIGHLIGHT, edge=HIGHLIGHT_EDGE, width=0.5)
    pdf.put(x + 3, y + 1.5, 60, 5, "प्राप्त राशि / Amount received", size=8.5, bold=True, color=NAVY)
    pdf.put(x + 3, y + 1, w - 6, 8, f"₹ {receipt.amount_display}", size=15, bold=True, align="R")
    pdf.put(x + 3, y + 10, w - 6, 4.5, "शब्दों में / In words", size=7, color=MUTED)
    pdf.put_lines(x + 3, y + 14, w - 6, receipt.amount_words, size=8.5, line_h=4)
    y += 25

    # Allocation.
    amount_w = 30
    pdf.box(x, y, w, 6, fill=NAVY, edge=NAVY)
    pdf.put(x + 2.5, y + 0.5, 30, 5, "अवधि / Period", size=7.8, bold=True, color=WHITE)
    pdf.put(x + 34, y + 0.5, 50, 5, "मद / Head", size=7.8, bold=True, color=WHITE)
    pdf.put(
        x + w - amount_w - 2.5,
        y + 0.5,
        amount_w,
        5,
        "राशि / Amount (₹)",
        size=7.8,
        bold=True,
        align="R",
        color=WHITE,
    )
    top = y
    y += 6
    table_rows = [(line.period, f"{line.head_hi} / {line.head_en}", line.amount) for line in receipt.lines]
    if receipt.advance:
        table_rows.append(("—", "अग्रिम / Advance", receipt.advance))
    if not table_rows:
        table_rows.append(("—", "—", Decimal("0.00")))
    for i, (period, head, amount) in enumerate(table_rows[:12]):
        if i % 2:
            pdf.set_fill_color(*ZEBRA)
            pdf.rect(x, y, w, 5, style="F")
        pdf.put(x + 2.5, y, 30, 5, period, size=8)
        pdf.put(x + 34, y, w - amount_w - 40, 5, head, size=8)
        pdf.put(x + w - amount_w - 2.5, y, amount_w, 5, money_indian(amount), size=8.5, align="R")
        y += 5
    if len(table_rows) > 12:
        rest = sum((amount for _, _, amount in table_rows[12:]), Decimal("0.00"))
        pdf.put(x + 2.5, y, w - amount_w - 8, 5, f"… {len(table_rows) - 12} more / और", size=8, color=MUTED)
        pdf.put(x + w - amount_w - 2.5, y, amount_w, 5, money_indian(rest), size=8.5, align="R")
        y += 5
    pdf.hline(x, x + w, y, color=NAVY, width=0.35)
    pdf.put(x + 2.5, y + 0.5, 60, 5.5, "कुल / Total", size=8.5, bold=True)
    pdf.put(
        x + w - amount_w - 2.5, y + 0.5, amount_w, 5.5, receipt.amount_display, size=9, bold=True, align="R"
    )
    y += 6.5
    pdf.box(x, top, w, y - top)
    y += 3

    # Balance before and after.
    after = receipt.balance_after
    after_label = "भुगतान के बाद देय / Due after payment"
    if after < 0:
        after_label = "भुगतान के बाद अग्रिम जमा / Credit after payment"
    for label, value in (
        ("भुगतान से पहले देय / Due before payment", receipt.balance_before),
        (after_label, abs(after)),
    ):
        pdf.put(x + 1, y, w - 40, 5.5, label, size=8, color=MUTED)
        pdf.put(x + w - 38, y, 37, 5.5, f"₹ {money_indian(value)}", size=9, bold=True, align="R")
        y += 5.5

    # Footer.
    footer_y = A5_H - MARGIN - 17
    pdf.hline(x, x + w, footer_y, color=NAVY, width=0.4)
    notes = []
    if receipt.is_instrument:
        notes.append("चेक/ड्राफ्ट से भुगतान उसकी वसूली के अधीन है। / Subject to realisation of the cheque/DD.")
    notes += [
        "रसीद संभाल कर रखें। / Please keep this receipt.",
        "यह कंप्यूटर द्वारा बनाई गई रसीद है, हस्ताक्षर आवश्यक नहीं। / Computer-generated receipt; no signature needed.",
    ]
    line_y = footer_y + 1.5
    for note in notes:
        line_y = pdf.put_lines(x, line_y, w, note, size=6.8, line_h=3.6, color=MUTED)
    return bytes(pdf.output())
