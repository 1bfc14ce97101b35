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

from urja.billing.final import final_bill_issue
from urja.common import clock
from urja.customers.choices import ConsumerStatus, KycDocument
from urja.customers.models import ConnectionChange, Consumer, ConsumerChange
from urja.customers.services import consumer_update, kyc_hash
from urja.domain import mobile as mob
from urja.domain.money import round_paisa
from urja.domain.rules import billable_load
from urja.domain.sla import Sla
from urja.domain.tariff import LoadUnit
from urja.domain.workflow import Action, Definition, State, load
from urja.ledger.choices import EntryType
from urja.ledger.descriptions import DEPOSIT_DEMAND, DEPOSIT_REFUND, DEPOSIT_SET_OFF, describe
from urja.ledger.selectors import balance
from urja.ledger.services import entry_post
from urja.metering.choices import ReadingSource
from urja.metering.services import reading_record
from urja.org.choices import Role
from urja.workflow import registry, services
from urja.workflow.choices import WorkOrderKind
from urja.workflow.models import WorkItem

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


def _effective_from(event) -> datetime.date:
    """The date the approval named (`approve`); approved from the generic console without one: the day
    of approval."""
    named = (event.data or {}).get("effective_from")
    return datetime.date.fromisoformat(named) if named else clock.today()


def _apply(item, event) -> None:
    """Make the approved change: the consumer's particulars, the dated history and the deposit demand."""
    consumer = Consumer.objects.select_for_update().get(pk=item.consumer_id)
    effective_from = _effective_from(event)
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
            **describe(
                DEPOSIT_DEMAND,
                old=str(old["sanctioned_load"]),
                new=str(new["sanctioned_load"]),
                unit=str(new["load_unit"]),
                item=item.reference,
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


# --- name transfer ---------------------------------------------------------------------------------

TRANSFER_DOCUMENTS = ("transfer_proof", "id_proof")

NAME_TRANSFER = load(
    code="name_transfer",
    version=1,
    title="Name transfer",
    title_hi="नाम स्थानांतरण",
    start="applied",
    prefix="NT",
    total_sla=Sla(30, "days"),
    states=[
        State(
            "applied",
            "Application received",
            "आवेदन प्राप्त",
            sla=Sla(7, "working_days"),
            documents_required=TRANSFER_DOCUMENTS,
        ),
        State("approval", "Awaiting SDO approval", "उपखण्ड अधिकारी के अनुमोदन हेतु", sla=Sla(3, "working_days")),
        State("applied_done", "Applied", "लागू", end=True),
        State("rejected", "Rejected", "अस्वीकृत", end=True),
    ],
    actions=[
        Action(
            "verify",
            "Documents verified",
            "दस्तावेज़ सत्यापित",
            ("applied",),
            "approval",
            JE,
            needs_documents=True,
        ),
        Action(
            "approve",
            "Approve with effective date",
            "प्रभावी तिथि सहित स्वीकृत करें",
            ("approval",),
            "applied_done",
            SDO,
            irreversible=True,
            consequence="The connection is in the new holder's name from the effective date.",
            consequence_hi="प्रभावी तिथि से संयोजन नए धारक के नाम होगा।",
        ),
        Action(
            "reject",
            "Reject",
            "अस्वीकृत करें",
            ("applied", "approval"),
            "rejected",
            SDO,
            needs_reason=True,
            irreversible=True,
        ),  # fmt: skip
    ],
    description="The connection passes to a new holder, on documents and the new holder's KYC.",
)


def apply_for_transfer(
    consumer: Consumer, *, by, new_name: str, kyc_document: str, kyc_number: str, reason: str = ""
):
    """Open a name transfer to `new_name`. The new holder's KYC number is kept masked (and hashed, to
    find duplicates), never in clear."""
    new_name, kyc_number = (new_name or "").strip(), (kyc_number or "").strip()
    if not new_name or not kyc_number or kyc_document not in KycDocument.values:
        raise ValidationError(_("Give the new holder's name and KYC document."))
    data = {
        "new_name": new_name,
        "old_name": consumer.name,
        "kyc_document": kyc_document,
        "kyc_number_masked": mob.mask_document(kyc_number),
        "kyc_number_hash": kyc_hash(kyc_number),
    }
    return services.start(
        NAME_TRANSFER.code, office=consumer.office, by=by, consumer=consumer, data=data, reason=reason
    )


def _transfer(item, event) -> None:
    consumer = Consumer.objects.select_for_update().get(pk=item.consumer_id)
    why = f"{item.reference} (name transfer from {_effective_from(event).isoformat()}): {event.reason}"
    consumer_update(
        consumer=consumer,
        by=None,
        reason=why.strip().rstrip(":"),
        source=ConsumerChange.Source.SYSTEM,
        name=item.data["new_name"],
        kyc_document=item.data["kyc_document"],
        kyc_number_masked=item.data["kyc_number_masked"],
    )
    Consumer.objects.filter(pk=consumer.pk).update(kyc_number_hash=item.data["kyc_number_hash"])


def transfer_on_enter(item, event) -> None:
    if item.state == "applied_done" and event.action == "approve":
        _transfer(item, event)


# --- permanent disconnection on request --------------------------------------------------------------

PERMANENT_DISCONNECTION = load(
    code="permanent_disconnection_request",
    version=1,
    title="Permanent disconnection on request",
    title_hi="अनुरोध पर स्थायी विच्छेदन",
    start="applied",
    prefix="PD",
    total_sla=Sla(30, "days"),
    states=[
        State("applied", "Application received", "आवेदन प्राप्त", sla=Sla(3, "working_days")),
        State(
            "final_reading", "Final reading and disconnection", "अंतिम पाठ्यांक एवं विच्छेदन", sla=Sla(7, "days")
        ),
        State("settlement", "Final bill and settlement", "अंतिम बिल एवं निपटान", sla=Sla(7, "working_days")),
        State("closed", "Permanently disconnected", "स्थायी रूप से विच्छेदित", end=True),
        State("rejected", "Rejected", "अस्वीकृत", end=True),
    ],
    actions=[
        Action(
            "order_final_reading",
            "Order final reading",
            "अंतिम पाठ्यांक का आदेश दें",
            ("applied",),
            "final_reading",
            JE,
        ),  # fmt: skip
        Action("disconnected", "Disconnected", "विच्छेदित", ("final_reading",), "settlement", system_only=True),
        Action(
            "settle",
            "Settle and close",
            "निपटान कर बंद करें",
            ("settlement",),
            "closed",
            SDO,
            irreversible=True,
            consequence=(
                "The security deposit is set against the dues, the rest refunded, and the connection is "
                "permanently disconnected."
            ),
            consequence_hi="प्रतिभूति राशि बकाया में समायोजित होगी, शेष लौटाई जाएगी और संयोजन स्थायी रूप से विच्छेदित होगा।",
        ),
        Action(
            "reject",
            "Reject",
            "अस्वीकृत करें",
            ("applied",),
            "rejected",
            SDO,
            needs_reason=True,
            irreversible=True,
        ),  # fmt: skip
    ],
    description="A consumer's request to end the connection: final reading, final bill, deposit settled.",
)


def apply_for_permanent_disconnection(consumer: Consumer, *, by, reason: str = ""):
    if consumer.status == ConsumerStatus.PERM_DISCONNECTED:
        raise ValidationError(_("This connection is already permanently disconnected."))
    return services.start(
        PERMANENT_DISCONNECTION.code, office=consumer.office, by=by, consumer=consumer, reason=reason
    )


def permanent_disconnections_open(*, months: int | None = None, office=None) -> list:
    """Open the permanent-disconnection process (final reading, final bill and settlement, deposit
    set against dues, the rest refunded) for every account left temporarily disconnected for
    `months` or more (``URJA_CONNECTION_CHANGES["PERMANENT_AFTER_MONTHS"]``, default 6): by the
    system, once per account (an open or closed item of the process is not opened again)."""
    from urja.domain.rules import add_months

    from .models import DisconnectionNotice, NoticeStatus

    months = (
        months if months is not None else settings.URJA_CONNECTION_CHANGES.get("PERMANENT_AFTER_MONTHS", 6)
    )
    cutoff = add_months(clock.today(), -months)
    notices = DisconnectionNotice.objects.filter(
        status=NoticeStatus.DISCONNECTED,
        disconnected_at__date__lte=cutoff,
        consumer__status=ConsumerStatus.TEMP_DISCONNECTED,
    ).select_related("consumer", "consumer__office")
    if office is not None:
        notices = notices.filter(consumer__office__path__startswith=office.path)
    already = set(
        WorkItem.objects.filter(definition_code=PERMANENT_DISCONNECTION.code, consumer__isnull=False)
        .exclude(outcome="rejected")
        .values_list("consumer_id", flat=True)
    )
    opened = []
    for notice in notices.order_by("disconnected_at", "pk"):
        if notice.consumer_id in already:
            continue
        opened.append(
            apply_for_permanent_disconnection(
                notice.consumer,
                by=None,
                reason=_("Disconnected since %(date)s for non-payment (notice %(number)s)")
                % {"date": f"{clock.localtime(notice.disconnected_at):%d-%m-%Y}", "number": notice.number},
            )
        )
        already.add(notice.consumer_id)
    return opened


def deposits_demanded(consumer: Consumer) -> Decimal:
    """The additional deposits demanded on load increases (standing ledger debits): part of the deposit
    held. Setting them off with the deposit is right whether they were paid or not: an unpaid demand is
    still owed in the ledger, and its set-off cancels it; a paid one comes back with the rest."""
    from django.db.models import Sum

    from urja.ledger.models import LedgerEntry

    entries = LedgerEntry.objects.filter(consumer=consumer, code=DEPOSIT_DEMAND)
    reversed_ids = LedgerEntry.objects.filter(consumer=consumer, reverses__in=entries).values("reverses_id")
    total = entries.exclude(pk__in=reversed_ids).aggregate(total=Sum("amount"))["total"]
    return total or Decimal("0.00")


def _settle(item, event) -> None:
    """Set the deposit held against the dues of the ledger (the final bill included), refund the rest
    through the ledger, and close the account."""
    consumer = Consumer.objects.select_for_update().get(pk=item.consumer_id)
    today = clock.today()
    why = f"{item.reference}: {event.reason}".strip().rstrip(":")
    deposit = consumer.security_deposit + deposits_demanded(consumer)

    def post(entry_type: str, amount: Decimal, words: dict) -> None:
        entry_post(
            consumer=consumer,
            entry_type=entry_type,
            amount=amount,
            entry_date=today,
            **words,
            by=event.by,
            reason=why,
            source_type="workitem",
            source_id=item.pk,
            lock=False,
        )

    if deposit > 0:
        post(EntryType.DEPOSIT, -deposit, describe(DEPOSIT_SET_OFF, amount=f"{deposit:.2f}"))
    owed = balance(consumer.pk)
    if owed < 0:  # the deposit exceeded the dues: the rest goes back to the consumer
        post(EntryType.ADJUSTMENT, -owed, describe(DEPOSIT_REFUND, amount=f"{-owed:.2f}"))
    consumer_update(
        consumer=consumer,
        by=None,
        reason=why,
        source=ConsumerChange.Source.SYSTEM,
        security_deposit=Decimal("0.00"),
        status=ConsumerStatus.PERM_DISCONNECTED,
    )


def disconnection_on_enter(item, event) -> None:
    if item.state == "final_reading" and event.action == "order_final_reading":
        services.work_order_create(
            WorkOrderKind.DISCONNECTION,
            office=item.office,
            reason=_("Final reading and permanent disconnection for %(reference)s")
            % {"reference": item.reference},
            by=event.by,
            item=item,
            consumer=item.consumer,
        )
    elif item.state == "settlement" and event.action == "disconnected":
        # The final reading was recorded with the order's completion, today: the final bill up to it,
        # so the settlement sets the deposit against every rupee owed.
        final_bill_issue(consumer=item.consumer, on=clock.today())
    elif item.state == "closed" and event.action == "settle":
        _settle(item, event)


def disconnection_on_order_done(order) -> str | None:
    """The lineman's completion carries the final reading (``final_kwh``): it is recorded for the final
    bill, and the item moves on to settlement."""
    item = order.item
    if item is None or item.state != "final_reading":
        return None
    final = (order.result or {}).get("final_kwh")
    if final not in (None, ""):
        reading_record(
            consumer=item.consumer,
            reading_date=clock.today(),
            kwh=Decimal(str(final)),
            source=ReadingSource.MANUAL,
            by=order.completed_by,
            remarks=_("Final reading, %(reference)s") % {"reference": item.reference},
        )
    return "disconnected"


def register_all() -> None:
    for definition in (LOAD_CHANGE, CATEGORY_CHANGE):
        registry.register(definition, on_enter=on_enter, on_order_done=on_order_done)
    registry.register(NAME_TRANSFER, on_enter=transfer_on_enter)
    registry.register(
        PERMANENT_DISCONNECTION, on_enter=disconnection_on_enter, on_order_done=disconnection_on_order_done
    )
