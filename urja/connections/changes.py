"""Load change and category change of a connection: application → JE site inspection → SDO approval
with the date the change takes effect (a reason when refused) → applied.

Approval applies the change at once: the consumer's particulars become the new ones and a dated
``customers.ConnectionChange`` is recorded, which billing honours — a bill whose period spans the
effective date is split by days (``urja.billing.compute.bill_input``); a bill wholly before it is priced
on the old particulars. A load increase demands the additional security deposit (load difference in kW x
``URJA_CONNECTION_CHANGES["DEPOSIT_PER_KW"]``), posted to the ledger as a charge.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from urja.common import clock
from urja.customers.models import ConnectionChange, Consumer, ConsumerChange
from urja.customers.services import consumer_update
from urja.domain.money import round_paisa
from urja.domain.rules import billable_load
from urja.domain.sla import Sla
from urja.domain.tariff import LoadUnit
from urja.domain.workflow import Action, Definition, State, load
from urja.ledger.choices import EntryType
from urja.ledger.services import entry_post
from urja.org.choices import Role
from urja.workflow import registry, services
from urja.workflow.choices import WorkOrderKind

JE, SDO = frozenset({Role.JE, Role.SDO}), frozenset({Role.SDO})


def _definition(code: str, title: str, title_hi: str, prefix: str) -> Definition:
    return load(
        code=code,
        version=1,
        title=title,
        title_hi=title_hi,
        start="applied",
        prefix=prefix,
        total_sla=Sla(30, "days"),
        states=[
            State("applied", "Application received", "आवेदन प्राप्त", sla=Sla(3, "working_days")),
            State("inspection", "Site inspection", "स्थल निरीक्षण", sla=Sla(7, "working_days")),
            State(
                "approval", "Awaiting SDO approval", "उपखण्ड अधिकारी के अनुमोदन हेतु", sla=Sla(3, "working_days")
            ),
            State("applied_done", "Applied", "लागू", end=True),
            State("rejected", "Rejected", "अस्वीकृत", end=True),
        ],
        actions=[
            Action(
                "inspect", "Send for site inspection", "स्थल निरीक्षण हेतु भेजें", ("applied",), "inspection", JE
            ),
            Action("inspected", "Inspection done", "निरीक्षण पूर्ण", ("inspection",), "approval", JE),
            Action(
                "approve",
                "Approve with effective date",
                "प्रभावी तिथि सहित स्वीकृत करें",
                ("approval",),
                "applied_done",
                SDO,
                irreversible=True,
                consequence="The new particulars are billed from the effective date.",
                consequence_hi="प्रभावी तिथि से नए विवरण पर बिल बनेगा।",
            ),
            Action(
                "reject",
                "Reject",
                "अस्वीकृत करें",
                ("applied", "inspection", "approval"),
                "rejected",
                SDO,
                needs_reason=True,
                irreversible=True,
            ),
        ],
        description="A change of the connection's billing particulars, applied from an effective date.",
    )


LOAD_CHANGE = _definition("load_change", "Load change", "भार परिवर्तन", "LC")
CATEGORY_CHANGE = _definition("category_change", "Category change", "श्रेणी परिवर्तन", "CC")


def deposit_per_kw() -> Decimal:
    return Decimal(str(settings.URJA_CONNECTION_CHANGES["DEPOSIT_PER_KW"]))


def additional_deposit(old_load: Decimal, old_unit: str, new_load: Decimal, new_unit: str) -> Decimal:
    """The further security deposit a load increase calls for: the increase in kW x the per-kW deposit
    (a fraction of a kW counting as a whole one, as the tariff bills it); nothing for a decrease."""
    old_kw = billable_load(Decimal(old_load), LoadUnit(old_unit), LoadUnit.KW)
    new_kw = billable_load(Decimal(new_load), LoadUnit(new_unit), LoadUnit.KW)
    return round_paisa(max(new_kw - old_kw, Decimal(0)) * deposit_per_kw())


def apply_for(
    consumer: Consumer,
    *,
    by,
    category: str | None = None,
    sanctioned_load: Decimal | None = None,
    load_unit: str | None = None,
    reason: str = "",
):
    """Open a load change (a new load) or a category change (a new category) for `consumer`."""
    if (category is None) == (sanctioned_load is None):
        raise ValidationError(_("Apply for either a new load or a new category."))
    if sanctioned_load is not None:
        if Decimal(sanctioned_load) <= 0:
            raise ValidationError(_("The new load must be positive."))
        code = LOAD_CHANGE.code
        data = {"sanctioned_load": str(sanctioned_load), "load_unit": load_unit or consumer.load_unit}
    else:
        code = CATEGORY_CHANGE.code
        data = {"category": category}
    data["old"] = {
        "category": consumer.category,
        "sanctioned_load": str(consumer.sanctioned_load),
        "load_unit": consumer.load_unit,
    }
    return services.start(code, office=consumer.office, by=by, consumer=consumer, data=data, reason=reason)


def approve(item, *, by, effective_from: datetime.date, reason: str = ""):
    """The SDO approves `item` with the date the change takes effect; the change is applied."""
    if effective_from < clock.localtime(item.opened_at).date():
        raise ValidationError(_("A change cannot take effect before the day it was applied for."))
    return services.transition(
        item, "approve", by=by, reason=reason, data={"effective_from": effective_from.isoformat()}
    )


def _apply(item, event) -> None:
    """Make the approved change: the consumer's particulars, the dated history and the deposit demand."""
    consumer = Consumer.objects.select_for_update().get(pk=item.consumer_id)
    effective_from = datetime.date.fromisoformat(event.data["effective_from"])
    old = {
        "category": consumer.category,
        "sanctioned_load": consumer.sanctioned_load,
        "load_unit": consumer.load_unit,
    }
    new = dict(old)
    if item.definition_code == LOAD_CHANGE.code:
        new["sanctioned_load"] = Decimal(item.data["sanctioned_load"])
        new["load_unit"] = item.data["load_unit"]
        kind = ConnectionChange.Kind.LOAD
    else:
        new["category"] = item.data["category"]
        kind = ConnectionChange.Kind.CATEGORY
    why = f"{item.reference}: {event.reason}".strip().rstrip(":")
    consumer_update(consumer=consumer, by=None, reason=why, source=ConsumerChange.Source.SYSTEM, **new)
    ConnectionChange.objects.create(
        consumer=consumer,
        kind=kind,
        effective_from=effective_from,
        old_category=old["category"],
        old_sanctioned_load=old["sanctioned_load"],
        old_load_unit=old["load_unit"],
        new_category=new["category"],
        new_sanctioned_load=new["sanctioned_load"],
        new_load_unit=new["load_unit"],
        approved_by=event.by,
        reason=why,
        source=ConsumerChange.Source.CONSOLE if event.by is not None else ConsumerChange.Source.SYSTEM,
    )
    deposit = additional_deposit(
        old["sanctioned_load"], old["load_unit"], new["sanctioned_load"], new["load_unit"]
    )
    if deposit:
        entry_post(
            consumer=consumer,
            entry_type=EntryType.DEPOSIT,
            amount=deposit,
            entry_date=clock.today(),
            description=(
                f"Additional security deposit for load {old['sanctioned_load']} to "
                f"{new['sanctioned_load']} {new['load_unit']} ({item.reference})"
            ),
            by=event.by,
            reason=why,
            source_type="workitem",
            source_id=item.pk,
            lock=False,
        )


def on_enter(item, event) -> None:
    if item.state == "inspection" and event.action == "inspect":
        services.work_order_create(
            WorkOrderKind.SITE_INSPECTION,
            office=item.office,
            reason=_("Site inspection for %(reference)s") % {"reference": item.reference},
            by=event.by,
            item=item,
        )
    elif item.state == "applied_done" and event.action == "approve":
        with transaction.atomic():
            _apply(item, event)


def on_order_done(order) -> str | None:
    item = order.item
    return "inspected" if item is not None and item.state == "inspection" else None


def register_all() -> None:
    for definition in (LOAD_CHANGE, CATEGORY_CHANGE):
        registry.register(definition, on_enter=on_enter, on_order_done=on_order_done)
