"""The printed s.56 notice, bilingual: the same translatable paragraphs rendered in Hindi and in
English (one HTML print page, one A4 PDF made with fpdf2 through `urja.common.pdf`)."""

from __future__ import annotations

import datetime

from django.utils import translation
from django.utils.translation import gettext as _

from urja.common.pdf import CONTENT_W, MARGIN, NAVY, date_text, new_document
from urja.domain.money import format_indian

from .models import DisconnectionNotice


def notice_paragraphs(notice: DisconnectionNotice, language: str) -> dict:
    """The title and paragraphs of `notice` in `language`."""
    pay_by = notice.action_from - datetime.timedelta(days=1)
    values = {
        "number": notice.number,
        "served": date_text(notice.served_on),
        "account": notice.consumer.account_number,
        "name": notice.consumer.name,
        "address": notice.consumer.address,
        "amount": format_indian(notice.amount),
        "protest": format_indian(notice.protest_amount),
        "pay_by": date_text(pay_by),
        "days": (notice.action_from - notice.served_on).days - 1,
    }
    with translation.override(language):
        return {
            "title": _("Notice of disconnection under section 56 of the Electricity Act, 2003"),
            "lines": [
                _("Notice no. %(number)s, dated %(served)s") % values,
                _("To: %(name)s, account %(account)s, %(address)s") % values,
                _("The sum of Rs %(amount)s is due from you for electricity supplied and has not been paid.")
                % values,
                _(
                    "Unless it is paid by %(pay_by)s (%(days)s clear days from this notice), your supply may "
                    "be disconnected without further notice."
                )
                % values,
                _(
                    "If you dispute the amount, supply will not be disconnected if you deposit under protest "
                    "Rs %(protest)s (the lesser of the amount claimed and your average monthly bill of the "
                    "last six months)."
                )
                % values,
                _("After disconnection, a reconnection charge is payable with the dues."),
            ],
        }


def notice_versions(notice: DisconnectionNotice) -> list[dict]:
    return [notice_paragraphs(notice, "hi"), notice_paragraphs(notice, "en")]


def render_notice_pdf(notice: DisconnectionNotice) -> bytes:
    pdf = new_document()
    pdf.set_creation_date(datetime.datetime.combine(notice.served_on, datetime.time(), tzinfo=datetime.UTC))
    pdf.add_page()
    y = MARGIN
    for version in notice_versions(notice):
        pdf.put(MARGIN, y, CONTENT_W, 7, version["title"], size=11, bold=True, color=NAVY)
        y += 10
        for line in version["lines"]:
            y = pdf.put_lines(MARGIN, y, CONTENT_W, line, size=9.5, line_h=5.5) + 2
        y += 8
        pdf.hline(MARGIN, MARGIN + CONTENT_W, y - 4)
    return bytes(pdf.output())
