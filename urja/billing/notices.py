"""What a consumer is told when a bill is issued: one "bill issued" SMS per bill, in their language,
queued in the transaction that issues the bill (a bill run's partition by set, a reviewed bill alone);
and, to a consumer who chose bills by e-mail, one e-mail per bill with the bill's PDF, made by the
outbox's sender after commit (docs/decisions/0047-e-bills.md)."""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping

from urja.customers.models import Consumer
from urja.domain.money import format_indian
from urja.ledger.selectors import balances
from urja.notifications.choices import Event
from urja.notifications.services import Outgoing, notify_bulk

from .choices import BillStatus
from .models import Bill


def _month(period: str) -> str:
    year, month = period.split("-")
    return f"{month}-{year}"


def _bill_variables(bill: Bill, consumer: Consumer) -> dict[str, str]:
    """What the bill SMS and the e-bill both say: account, month, amount payable, due date."""
    return {
        "account": consumer.account_number,
        "month": _month(bill.period),
        "amount": format_indian(bill.payable),
        "due_date": f"{bill.due_date:%d-%m-%Y}",
    }


def bill_sms(bill: Bill, consumer: Consumer) -> Outgoing:
    return Outgoing(
        to=consumer.mobile,
        language=consumer.language,
        variables=_bill_variables(bill, consumer),
        consumer_id=consumer.pk,
        dedupe_key=f"bill:{bill.bill_number}",
        optional_allowed=consumer.optional_messages,
    )


def bill_email(bill: Bill, consumer: Consumer) -> Outgoing:
    return Outgoing(
        to=consumer.ebill_address,
        language=consumer.language,
        variables=_bill_variables(bill, consumer),
        consumer_id=consumer.pk,
        # One e-mail per bill, whichever path issues it and however often it is retried.
        dedupe_key=f"ebill:{bill.bill_number}",
        attachment=f"bill:{bill.pk}",
    )


def bills_issued_notify(bills: Iterable[Bill], consumers: Mapping[int, Consumer]) -> int:
    """Queue the "bill issued" SMS of `bills` (issued ones with a payable and a mobile on record), and
    the e-bills of those whose consumer chose them. Returns the number of SMS queued."""
    bills = list(bills)
    sent = notify_bulk(
        Event.BILL_ISSUED,
        (
            bill_sms(bill, consumers[bill.consumer_id])
            for bill in bills
            if consumers[bill.consumer_id].mobile and bill.payable > 0
        ),
    )
    ebills_queue(bills, consumers)
    return sent


def ebills_queue(bills: Iterable[Bill], consumers: Mapping[int, Consumer]) -> int:
    """Queue one e-mail per issued bill to each consumer who chose bills by e-mail (a proved address,
    urja/customers/otp.py), in their language, the bill's PDF attached when it is sent. Every bill, a
    credit one too: the PDF is the bill. Returns the number queued."""
    return notify_bulk(
        Event.EBILL,
        (
            bill_email(bill, consumers[bill.consumer_id])
            for bill in bills
            if bill.status == BillStatus.ISSUED and consumers[bill.consumer_id].ebill_address
        ),
        channel="email",
    )


def due_reminders_send(*, on: datetime.date, days_before: int = 3) -> int:
    """Remind by SMS each consumer whose issued bill falls due `days_before` days after `on` and who
    still owes: the amount owed now (not the bill's, which a part payment may have reduced), once per
    bill. An optional message: only to consumers who take those, sent in the 10:00-21:00 window."""
    due = on + datetime.timedelta(days=days_before)
    bills = list(
        Bill.objects.filter(status=BillStatus.ISSUED, due_date=due, payable__gt=0)
        .exclude(consumer__mobile="")
        .select_related("consumer")
        .order_by("id")
    )
    owed = balances(bill.consumer_id for bill in bills)
    return notify_bulk(
        Event.DUE_REMINDER,
        (
            Outgoing(
                to=bill.consumer.mobile,
                language=bill.consumer.language,
                variables={
                    "amount": format_indian(owed[bill.consumer_id]),
                    "account": bill.consumer.account_number,
                    "due_date": f"{bill.due_date:%d-%m-%Y}",
                },
                consumer_id=bill.consumer_id,
                dedupe_key=f"due:{bill.bill_number}",
                optional_allowed=bill.consumer.optional_messages,
            )
            for bill in bills
            if owed[bill.consumer_id] > 0
        ),
    )
