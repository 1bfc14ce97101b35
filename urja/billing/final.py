"""The final bill of a connection being closed (permanent disconnection, UP Electricity Supply Code
2005 cl. 4.14(g): "take reading, disconnect ... deliver final bill including all arrears up to the date
of disconnection"): the period from the day after the last bill to the final reading, priced by the
same engine, determinants and ledger posting as a bill run's bill."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from urja.common import clock
from urja.customers.models import Consumer
from urja.ledger.services import entries_post_bulk
from urja.tariffs.selectors import fppas_for_bill_date, tariff_book

from .choices import BillStatus
from .compute import compute_bills, ledger_entries_for
from .models import Bill
from .notices import bills_issued_notify

ONE_DAY = datetime.timedelta(days=1)


@dataclass(frozen=True)
class FinalPeriod:
    """What `compute_bills` needs of a cycle, for the one account's final period."""

    code: str
    period_start: datetime.date
    period_end: datetime.date
    issue_date: datetime.date
    due_date: datetime.date


def final_period(consumer: Consumer, *, on: datetime.date) -> FinalPeriod | None:
    """From the day after the account's last bill (its connection date if it has none) to `on`, the
    final reading's date; None when the last bill already reaches `on` (nothing is left to bill)."""
    last = (
        Bill.objects.filter(consumer=consumer)
        .exclude(status=BillStatus.CANCELLED)
        .order_by("-period_end")
        .values_list("period_end", flat=True)
        .first()
    )
    start = last + ONE_DAY if last is not None else consumer.connection_date
    if start > on:
        return None
    today = clock.today()
    return FinalPeriod(
        code=f"{on:%Y-%m}",
        period_start=start,
        period_end=on,
        issue_date=today,
        due_date=today + datetime.timedelta(days=settings.URJA_BILLING["DUE_DAYS"]),
    )


@transaction.atomic
def final_bill_issue(*, consumer: Consumer, on: datetime.date) -> Bill | None:
    """Raise the final bill up to `on` (the final reading's date) once: an existing bill for that month
    is returned as it is. Issued and posted to the ledger like a run's bill, or held for review when a
    rule of the review queue fires. None when nothing is left to bill."""
    locked = Consumer.objects.select_for_update().get(pk=consumer.pk)
    period = final_period(locked, on=on)
    if period is None:
        return None
    existing = (
        Bill.objects.filter(consumer=locked, period=period.code).exclude(status=BillStatus.CANCELLED).first()
    )
    if existing is not None:
        if existing.period_end >= on:
            return existing
        raise ValidationError(
            _("The bill of %(month)s ends before the final reading; revise it instead of a final bill.")
            % {"month": period.code}
        )
    [bill] = compute_bills([locked], period, tariff_book(), fppas_for_bill_date(period.issue_date))
    bill.notes = [*bill.notes, f"final bill up to the final reading of {on:%d-%m-%Y}"]
    bill.save()
    if bill.status == BillStatus.ISSUED:
        entries_post_bulk(ledger_entries_for(bill))
        bills_issued_notify([bill], {locked.pk: locked})
    return bill
