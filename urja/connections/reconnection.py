"""Reconnection of an account disconnected for non-payment: the reconnection charge is posted to the
ledger when the disconnection is executed; once the dues and the charge are paid (nothing owing) a
`reconnection` work order is created with its own SLA; its completion makes the account active."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _

from urja.common import clock
from urja.customers.choices import ConsumerStatus
from urja.customers.models import Consumer
from urja.domain.sla import Sla
from urja.ledger.choices import EntryType
from urja.ledger.selectors import balance
from urja.ledger.services import entry_post
from urja.notifications.choices import Event
from urja.notifications.services import notify
from urja.workflow.choices import WorkOrderKind
from urja.workflow.services import sla_due, work_order_create

from .models import DisconnectionNotice, Reconnection, ReconnectionStatus

#: Charges by "CATEGORY:PHASE", then by phase ("1", "3"), then "default" (settings override).
DEFAULT_CHARGES = {"1": "50.00", "3": "150.00", "default": "50.00"}


def reconnection_charge(consumer: Consumer) -> Decimal:
    table = getattr(settings, "URJA_RECONNECTION_CHARGES", DEFAULT_CHARGES)
    for key in (f"{consumer.category}:{consumer.phase}", str(consumer.phase), "default"):
        if key in table:
            return Decimal(str(table[key]))
    return Decimal("0.00")


def reconnection_sla() -> Sla:
    amount, unit = getattr(settings, "URJA_RECONNECTION_SLA", (24, "hours"))
    return Sla(int(amount), unit)


def reconnection_open(notice: DisconnectionNotice) -> Reconnection:
    """After a disconnection: the charge posted as a debit, the reconnection awaiting payment."""
    consumer = notice.consumer
    charge = reconnection_charge(consumer)
    entry = None
    if charge > 0:
        entry = entry_post(
            consumer=consumer,
            entry_type=EntryType.ADJUSTMENT,
            amount=charge,
            entry_date=clock.today(),
            due_date=clock.today(),
            description=f"Reconnection charge (notice {notice.number})",
            source_type="reconnection",
            source_id=notice.pk,
            lock=False,
        )
    return Reconnection.objects.create(
        consumer=consumer, notice=notice, charge=charge, charge_entry_id=entry.pk if entry else None
    )


def reconnection_order_if_paid(consumer_id: int):
    """The reconnection work order once nothing is owing (dues and charge paid)."""
    with transaction.atomic():
        rec = (
            Reconnection.objects.select_for_update()
            .select_related("consumer__office")
            .filter(consumer_id=consumer_id, status=ReconnectionStatus.AWAITING_PAYMENT)
            .first()
        )
        if rec is None or balance(consumer_id) > 0:
            return None
        office = rec.consumer.office
        order = work_order_create(
            WorkOrderKind.RECONNECTION,
            office=office,
            consumer=rec.consumer,
            by=None,
            due_at=sla_due(clock.now(), reconnection_sla(), office),
            reason=_("Reconnection: dues and reconnection charge paid (notice %(number)s).")
            % {"number": rec.notice.number},
        )
        rec.work_order = order
        rec.status = ReconnectionStatus.ORDERED
        rec.save(update_fields=["work_order", "status", "updated_at"])
        return order


def on_reconnection_done(order) -> None:
    rec = Reconnection.objects.select_for_update().filter(work_order=order).first()
    if rec is None:
        return
    consumer = Consumer.objects.select_for_update().get(pk=rec.consumer_id)
    consumer.status = ConsumerStatus.ACTIVE
    consumer.save(update_fields=["status", "updated_at"])
    rec.status = ReconnectionStatus.DONE
    rec.reconnected_at = order.completed_at
    rec.save(update_fields=["status", "reconnected_at", "updated_at"])
    notify(
        Event.RECONNECTION,
        to=consumer.mobile,
        language=consumer.language or "hi",
        variables={
            "account": consumer.account_number,
            "date": f"{clock.localtime(order.completed_at):%d-%m-%Y}",
        },
        consumer_id=consumer.pk,
        dedupe_key=f"reconnection:{rec.pk}",
        optional_allowed=consumer.optional_messages,
    )
