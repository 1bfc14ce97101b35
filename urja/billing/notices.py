"""What a consumer is told when a bill is issued: one "bill issued" SMS per bill, in their language,
queued in the transaction that issues the bill (a bill run's partition by set, a reviewed bill alone)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from urja.customers.models import Consumer
from urja.domain.money import format_indian
from urja.notifications.choices import Event
from urja.notifications.services import Outgoing, notify_bulk

from .models import Bill


def _month(period: str) -> str:
    year, month = period.split("-")
    return f"{month}-{year}"


def bill_sms(bill: Bill, consumer: Consumer) -> Outgoing:
    return Outgoing(
        to=consumer.mobile,
        language=consumer.language,
        variables={
            "account": consumer.account_number,
            "month": _month(bill.period),
            "amount": format_indian(bill.payable),
            "due_date": f"{bill.due_date:%d-%m-%Y}",
        },
        consumer_id=consumer.pk,
        dedupe_key=f"bill:{bill.bill_number}",
        optional_allowed=consumer.optional_messages,
    )


def bills_issued_notify(bills: Iterable[Bill], consumers: Mapping[int, Consumer]) -> int:
    """Queue the "bill issued" SMS of `bills` (issued ones with a payable and a mobile on record)."""
    return notify_bulk(
        Event.BILL_ISSUED,
        (
            bill_sms(bill, consumers[bill.consumer_id])
            for bill in bills
            if consumers[bill.consumer_id].mobile and bill.payable > 0
        ),
    )
