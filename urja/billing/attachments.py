"""A bill's PDF as an e-mail attachment, made by the outbox's sender when the e-bill goes (registered
with urja.notifications.attachments in `BillingConfig.ready`), never by the bill run that queued it."""

from __future__ import annotations

from urja.notifications.attachments import Attachment, AttachmentGone

from .choices import BillStatus
from .models import Bill


def bill_pdf_attachment(key: str) -> Attachment:
    from .pdf import render_bill_pdf

    bill = Bill.objects.select_related("consumer").filter(pk=int(key)).first()
    if bill is None or bill.status != BillStatus.ISSUED:
        # Cancelled (revised) before its e-mail went: the revised bill has its own e-mail.
        raise AttachmentGone("the bill is no longer issued")
    return Attachment(filename=f"{bill.bill_number}.pdf", content=render_bill_pdf(bill))
