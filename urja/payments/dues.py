"""What a payer is asked to pay: reads shared by the partner biller API and the online payment page.

The amount due is the account's ledger balance now, never negative: it already includes arrears and
surcharge and already credits part-payments made since the last bill, which a bill's printed payable
does not. A balance below zero is an advance held against future bills, and nothing is due.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from urja.billing.choices import BillStatus
from urja.billing.models import Bill
from urja.common import clock
from urja.customers.models import Consumer
from urja.domain.money import round_paisa
from urja.ledger.selectors import balance

ZERO = Decimal("0.00")


@dataclass(frozen=True)
class Dues:
    consumer: Consumer
    latest_bill: Bill | None
    amount_due: Decimal
    advance: Decimal

    @property
    def status(self) -> str:
        """ "no_dues", "overdue" (something is due and the latest bill's due date has passed) or "due"."""
        if self.amount_due <= 0:
            return "no_dues"
        if self.latest_bill is not None and self.latest_bill.due_date < clock.today():
            return "overdue"
        return "due"


def bill_latest_issued(consumer: Consumer) -> Bill | None:
    return Bill.objects.filter(consumer=consumer, status=BillStatus.ISSUED).order_by("-period", "-id").first()


def dues_get(consumer: Consumer) -> Dues:
    owed = round_paisa(balance(consumer.pk))
    return Dues(
        consumer=consumer,
        latest_bill=bill_latest_issued(consumer),
        amount_due=max(owed, ZERO),
        advance=max(-owed, ZERO),
    )
