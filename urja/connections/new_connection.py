"""The new-connection process (Electricity (Rights of Consumers) Rules 2020, rule 4; UP Supply Code):
application → document verification (send back ↔ resubmit) → site inspection (work order) →
estimate and demand note → payment → meter installation (work order) → energised; rejection, with a
reason shown to the applicant, from any state before energisation.

The account is opened at the demand note in the "connection pending" status so the demand note is a
debit on its ledger and is paid through `payments.services.payment_post` like any dues; billing
takes only active accounts, so it is first billed once energised, from the energisation date
(docs/decisions/0024). The Rules' SLA (7/15/30 days by area) runs from the complete application (the
documents verified): it is the item's whole-process due time, and its breach credits the
compensation (settings.URJA_NEW_CONNECTION["COMPENSATION"]) to the account once, when it exists."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from urja.common import clock
from urja.customers import services as customers
from urja.customers.choices import AreaType, ConsumerStatus
from urja.customers.models import Consumer, ConsumerChange
from urja.domain import account_number as acct
from urja.domain import connection_charges as cc
from urja.domain import mobile as mob
from urja.domain.money import format_indian
from urja.domain.sla import Sla
from urja.domain.workflow import Action, State, load
from urja.ledger import selectors as ledger_selectors
from urja.ledger.choices import EntryType
from urja.ledger.services import entry_post
from urja.metering import services as metering
from urja.metering.models import Meter
from urja.notifications.choices import Event
from urja.notifications.services import notify
from urja.org.choices import Role
from urja.payments.services import payment_post
from urja.workflow import services as wf
from urja.workflow.choices import WorkOrderKind
from urja.workflow.models import WorkItem, WorkOrder

from .models import AccountSerial, ApplicationDocument, AreaClass, ConnectionCharge, NewConnectionApplication

CODE = "new_connection"
CLERKS = frozenset({Role.JE, Role.SDO})
OFFICERS = frozenset({Role.JE, Role.SDO, Role.EE})
REQUIRED_DOCUMENTS = (ApplicationDocument.Kind.ID_PROOF.value, ApplicationDocument.Kind.ADDRESS_PROOF.value)
BEFORE_ENERGISING = ("applied", "returned", "inspection", "estimate", "payment", "installation")

NEW_CONNECTION = load(
    code=CODE,
    version=1,
    title="New connection",
    title_hi="नया संयोजन",
    start="applied",
    prefix="NC",
    states=[
        State(
            "applied",
            "Document verification",
            "अभिलेख सत्यापन",
            sla=Sla(2, "working_days"),
            on_breach="escalate",
            documents_required=REQUIRED_DOCUMENTS,
        ),
        State("returned", "Sent back to the applicant", "आवेदक को वापस भेजा"),
        State("inspection", "Site inspection", "स्थल निरीक्षण", sla=Sla(3, "days"), on_breach="escalate"),
        State(
            "estimate",
            "Estimate and demand note",
            "प्राक्कलन एवं मांग पत्र",
            sla=Sla(2, "days"),
            on_breach="escalate",
        ),
        # Waiting on the applicant's payment: the connection's clock stops (decision 0025).
        State("payment", "Awaiting payment", "भुगतान प्रतीक्षित", pauses_total=True),
        State("installation", "Meter installation", "मीटर स्थापना", sla=Sla(3, "days"), on_breach="escalate"),
        State("energised", "Energised", "ऊर्जीकृत", end=True),
        State("rejected", "Rejected", "अस्वीकृत", end=True),
    ],
    actions=[
        Action(
            "verify",
            "Documents verified",
            "अभिलेख सत्यापित",
            ("applied",),
            "inspection",
            OFFICERS,
            needs_documents=True,
        ),  # fmt: skip
        Action(
            "send_back",
            "Send back to the applicant",
            "आवेदक को वापस भेजें",
            ("applied",),
            "returned",
            OFFICERS,
            needs_reason=True,
        ),  # fmt: skip
        Action("resubmit", "Resubmitted", "पुनः जमा", ("returned",), "applied", OFFICERS),
        Action("inspected", "Site inspected", "स्थल निरीक्षित", ("inspection",), "estimate", system_only=True),
        Action(
            "issue_demand",
            "Issue the demand note",
            "मांग पत्र जारी करें",
            ("estimate",),
            "payment",
            OFFICERS,
            irreversible=True,
            consequence="The account is opened (connection pending) and the demand note is posted to it.",
            consequence_hi="खाता (संयोजन लंबित) खोला जाता है और मांग पत्र उस पर दर्ज होता है।",
        ),  # fmt: skip
        Action(
            "paid", "Demand note paid", "मांग पत्र का भुगतान", ("payment",), "installation", system_only=True
        ),
        Action(
            "installed",
            "Meter installed, energised",
            "मीटर स्थापित, ऊर्जीकृत",
            ("installation",),
            "energised",
            system_only=True,
        ),  # fmt: skip
        Action(
            "reject",
            "Reject",
            "अस्वीकार करें",
            BEFORE_ENERGISING,
            "rejected",
            OFFICERS,
            needs_reason=True,
            irreversible=True,
            consequence="The application is closed; the applicant is told the reason.",
            consequence_hi="आवेदन बंद होता है; आवेदक को कारण बताया जाता है।",
        ),  # fmt: skip
    ],
    description="Release of a new LT connection under the Electricity (Rights of Consumers) Rules 2020.",
)


def _conf(key: str) -> Any:
    return settings.URJA_NEW_CONNECTION[key]


def sla_days(area_class: str) -> int:
    return int(_conf("SLA_DAYS")[area_class])


# --- the application ------------------------------------------------------------------------------

MAX_DOCUMENT_BYTES = 2 * 1024 * 1024
DOCUMENT_TYPES = {".pdf", ".jpg", ".jpeg", ".png"}


def check_document(upload) -> None:
    name = str(getattr(upload, "name", ""))
    suffix = name[name.rfind(".") :].lower() if "." in name else ""
    if suffix not in DOCUMENT_TYPES:
        raise ValidationError({"file": _("Upload a PDF, JPEG or PNG file.")})
    if upload.size > MAX_DOCUMENT_BYTES:
        raise ValidationError({"file": _("A document may be at most 2 MB.")})
    if upload.size == 0:
        raise ValidationError({"file": _("The file is empty.")})


@transaction.atomic
def apply(
    *,
    by,
    office,
    applicant_name: str,
    father_husband_name: str,
    address: str,
    village_town: str,
    district: str,
    mobile: str,
    category: str,
    load: Decimal,
    area_class: str,
    load_unit: str = "kW",
    dt=None,
    kyc_document: str = "",
    kyc_number: str = "",
    preferred_dates: list[datetime.date] | tuple = (),
) -> NewConnectionApplication:
    """Enter an application at the counter (a JE or SDO of `office`)."""
    if area_class not in AreaClass.values:
        raise ValidationError({"area_class": _("Choose the area.")})
    mobile = mob.normalize(mobile)
    item = wf.start(
        CODE,
        office=office,
        by=by,
        data={"applicant": applicant_name, "mobile": mob.mask(mobile), "load": str(load), "unit": load_unit},
    )
    application = NewConnectionApplication(
        item=item,
        applicant_name=applicant_name.strip(),
        father_husband_name=father_husband_name.strip(),
        address=address.strip(),
        village_town=village_town.strip(),
        district=district.strip(),
        mobile=mobile,
        kyc_document=kyc_document,
        kyc_number_masked=mob.mask_document(kyc_number) if kyc_number else "",
        kyc_number_hash=customers.kyc_hash(kyc_number) if kyc_number else "",
        category=category,
        load=Decimal(load),
        load_unit=load_unit,
        area_class=area_class,
        office=office,
        dt=dt,
        preferred_dates=[d.isoformat() for d in preferred_dates],
    )
    application.full_clean(exclude=["item"])
    application.save()
    return application


@transaction.atomic
def document_add(application: NewConnectionApplication, *, kind: str, upload, by) -> ApplicationDocument:
    """Store a document (Django storage) and put it on the item's file (an event attachment)."""
    if kind not in ApplicationDocument.Kind.values:
        raise ValidationError({"kind": _("Choose the kind of document.")})
    check_document(upload)
    document = ApplicationDocument(
        application=application, kind=kind, name=str(upload.name)[:120], size=upload.size,
        uploaded_at=clock.now(), uploaded_by=by,
    )  # fmt: skip
    document.file.save(str(upload.name), upload, save=False)
    document.save()
    return document


@transaction.atomic
def verify(application: NewConnectionApplication, *, by, reason: str = "") -> WorkItem:
    """The documents are verified: the application is complete from now (the Rules' SLA starts) and
    goes to site inspection. The documents uploaded go on the item's file with this event."""
    attachments = [{"kind": d.kind, "name": d.name, "ref": d.file.name} for d in application.documents.all()]
    return wf.transition(application.item, "verify", by=by, reason=reason, attachments=attachments)


def rates_for(category: str, load: Decimal) -> cc.Rates:
    band = (
        ConnectionCharge.objects.filter(category=category, load_from__lt=load, load_to__gte=load).first()
        or ConnectionCharge.objects.filter(category=category, load_from=0, load_to__gte=load).first()
    )
    if band is None:
        raise ValidationError(
            _("No connection charges are set for %(category)s at this load.") % {"category": category}
        )
    return cc.Rates(band.processing_fee, band.security_deposit_per_unit, band.line_charge_per_unit,
                    band.system_loading_per_unit)  # fmt: skip


def estimate(application: NewConnectionApplication) -> cc.DemandNote:
    return cc.demand_note(application.load, rates_for(application.category, application.load))


# --- account numbers, accounts -----------------------------------------------------------------------


def _next_account_number() -> str:
    digit = int(_conf("DISCOM_DIGIT"))
    counter = AccountSerial.objects.select_for_update().filter(discom_digit=digit).first()
    if counter is None:
        numbers = Consumer.objects.filter(account_number__startswith=str(digit)).values_list(
            "account_number", flat=True
        )
        last = max((int(n[1:9]) for n in numbers), default=0)
        counter = AccountSerial.objects.create(discom_digit=digit, last_serial=last)
    while True:
        counter.last_serial += 1
        number = acct.make(digit, counter.last_serial)
        if not Consumer.objects.filter(account_number=number).exists():
            break
    counter.save()
    return number


def _open_account(application: NewConnectionApplication) -> Consumer:
    return customers.consumer_create(
        by=None,
        source=ConsumerChange.Source.SYSTEM,
        account_number=_next_account_number(),
        name=application.applicant_name,
        father_husband_name=application.father_husband_name,
        address=application.address,
        village_town=application.village_town,
        district=application.district,
        area_type=AreaType.RURAL if application.area_class == AreaClass.RURAL else AreaType.URBAN,
        mobile=application.mobile,
        category=application.category,
        sanctioned_load=application.load,
        load_unit=application.load_unit,
        connection_date=clock.today(),
        status=ConsumerStatus.PENDING,
        dt=application.dt,
        office=application.office,
        kyc_document=application.kyc_document,
        kyc_number_masked=application.kyc_number_masked,
    )


# --- hooks -----------------------------------------------------------------------------------------


def _application(item: WorkItem) -> NewConnectionApplication:
    return NewConnectionApplication.objects.select_for_update().get(item_id=item.pk)


def on_enter(item: WorkItem, event) -> None:
    if event.kind == "start":
        return
    application = _application(item)
    if application.sla_due_at and item.total_due_at and item.total_due_at != application.sla_due_at:
        # the engine moved the due time on by the applicant's wait (a paused state)
        application.sla_due_at = item.total_due_at
        application.save(update_fields=["sla_due_at", "updated_at"])
    if item.state == "inspection":
        now = clock.now()
        application.complete_at = application.complete_at or now
        application.sla_due_at = wf.sla_due(application.complete_at, Sla(sla_days(application.area_class), "days"),
                                            item.office)  # fmt: skip
        application.save(update_fields=["complete_at", "sla_due_at", "updated_at"])
        item.total_due_at = application.sla_due_at
        WorkItem.objects.filter(pk=item.pk).update(total_due_at=item.total_due_at)
        dates = ", ".join(application.preferred_dates) or _("any working day")
        wf.work_order_create(
            WorkOrderKind.SITE_INSPECTION, office=item.office, by=None, item=item,
            reason=_("Inspect the premises of %(name)s; the applicant prefers %(dates)s.")
            % {"name": application.applicant_name, "dates": dates},
        )  # fmt: skip
    elif item.state == "payment":
        _demand_note(application, item, event)
    elif item.state == "installation":
        wf.work_order_create(
            WorkOrderKind.METER_INSTALLATION, office=item.office, by=None, item=item, consumer=application.consumer,
            reason=_("Install the meter of new connection %(account)s.")
            % {"account": application.consumer.account_number},
        )  # fmt: skip
    elif item.state == "energised":
        _energise(application, item)
    elif item.state == "rejected":
        _close_rejected(application, item, event)
    _tell_applicant(application, item)


#: The demand note's lines in words (codes of urja.domain.connection_charges).
CHARGE_LABELS = {
    cc.PROCESSING_FEE: gettext_lazy("Processing fee"),
    cc.SECURITY_DEPOSIT: gettext_lazy("Security deposit"),
    cc.LINE_CHARGE: gettext_lazy("Line charge"),
    cc.SYSTEM_LOADING: gettext_lazy("System loading charge"),
}


def charge_label(code: str) -> str:
    return str(CHARGE_LABELS.get(code, code))


#: What the applicant is told of each step (at most 30 characters in each language: DLT variables).
STEP_WORDS = {
    "returned": pgettext_lazy("application SMS", "sent back: documents needed"),
    "inspection": pgettext_lazy("application SMS", "accepted; site visit due"),
    "payment": pgettext_lazy("application SMS", "demand note Rs %(amount)s"),
    "installation": pgettext_lazy("application SMS", "paid; meter to be fitted"),
    "energised": pgettext_lazy("application SMS", "connected: a/c %(account)s"),
    "rejected": pgettext_lazy("application SMS", "rejected; reason at office"),
}


def _tell_applicant(application: NewConnectionApplication, item: WorkItem) -> None:
    """An "application update" SMS at each step that asks something of the applicant or tells an
    outcome, once per step, in the account's language once it has one (Hindi before)."""
    words = STEP_WORDS.get(item.state)
    if words is None or not application.mobile:
        return
    consumer = application.consumer
    language = (consumer.language if consumer is not None else "") or "hi"
    with translation.override(language):
        status = str(words) % {
            "amount": format_indian(application.demand_total) if application.demand_total else "",
            "account": consumer.account_number if consumer is not None else "",
        }
    notify(
        Event.APPLICATION_UPDATE,
        to=application.mobile,
        language=language,
        variables={"number": item.reference, "status": status},
        dedupe_key=f"application:{item.pk}:{item.state}:{item.events.count()}",
    )


def _demand_note(application: NewConnectionApplication, item: WorkItem, event) -> None:
    note = estimate(application)
    consumer = _open_account(application)
    today = clock.today()
    application.consumer = consumer
    application.demand_lines = [
        {
            "code": line.code,
            "quantity": str(line.quantity),
            "rate": str(line.rate),
            "amount": str(line.amount),
        }
        for line in note.lines
    ]
    application.demand_total = note.total
    application.demand_deposit = note.deposit
    application.demand_at = clock.now()
    application.save()
    WorkItem.objects.filter(pk=item.pk).update(consumer=consumer)
    item.consumer = consumer
    if note.charges:
        entry_post(
            consumer=consumer, entry_type=EntryType.ADJUSTMENT, amount=note.charges, entry_date=today,
            description=f"New connection charges {item.reference}", by=event.by, reason=_("Demand note"),
            source_type="new_connection", source_id=application.pk,
        )  # fmt: skip
    if note.deposit:
        entry_post(
            consumer=consumer, entry_type=EntryType.DEPOSIT, amount=note.deposit, entry_date=today,
            description=f"Security deposit {item.reference}", by=event.by, reason=_("Demand note"),
            source_type="new_connection", source_id=application.pk,
        )  # fmt: skip
    if item.total_breached_at:
        _compensate(application)


def _close_rejected(application: NewConnectionApplication, item: WorkItem, event) -> None:
    """A rejection after the demand note: its charges and deposit are reversed, what the applicant paid
    (and any compensation credited) is refunded through the ledger, and the pending account is closed."""
    from urja.ledger.descriptions import CONNECTION_REFUND, describe
    from urja.ledger.models import LedgerEntry
    from urja.ledger.services import entry_reverse

    consumer = application.consumer
    if consumer is None:
        return
    consumer = Consumer.objects.select_for_update().get(pk=consumer.pk)
    why = f"{item.reference}: {event.reason}".strip().rstrip(":")
    demanded = LedgerEntry.objects.filter(
        consumer=consumer, source_type="new_connection", source_id=application.pk, amount__gt=0, reverses=None
    ).exclude(
        pk__in=LedgerEntry.objects.filter(consumer=consumer).exclude(reverses=None).values("reverses_id")
    )
    for entry in demanded.order_by("pk"):
        entry_reverse(entry=entry, by=event.by, reason=why)
    owed = ledger_selectors.balance(consumer.pk)
    if owed < 0:
        entry_post(
            consumer=consumer, entry_type=EntryType.ADJUSTMENT, amount=-owed, entry_date=clock.today(),
            **describe(CONNECTION_REFUND, amount=f"{-owed:.2f}", item=item.reference),
            by=event.by, reason=why, source_type="new_connection", source_id=application.pk, lock=False,
        )  # fmt: skip
    customers.consumer_update(
        consumer=consumer, by=None, source=ConsumerChange.Source.SYSTEM, reason=why,
        status=ConsumerStatus.PERM_DISCONNECTED, security_deposit=Decimal("0.00"),
    )  # fmt: skip


def _energise(application: NewConnectionApplication, item: WorkItem) -> None:
    order = item.work_orders.filter(kind=WorkOrderKind.METER_INSTALLATION, status="done").last()
    result = order.result if order else {}
    day = datetime.date.fromisoformat(result.get("installed_on") or clock.today().isoformat())
    consumer = application.consumer
    customers.consumer_update(
        consumer=consumer, by=None, source=ConsumerChange.Source.SYSTEM, reason=item.reference,
        status=ConsumerStatus.ACTIVE, connection_date=day,
    )  # fmt: skip
    if result.get("meter"):
        meter = Meter.objects.get(serial=result["meter"])
        metering.meter_install(consumer=consumer, meter=meter, installed_on=day,
                               initial_reading=Decimal(str(result.get("initial_reading") or "0")))  # fmt: skip
    application.energised_on = day
    application.save(update_fields=["energised_on", "updated_at"])


def on_order_done(order: WorkOrder) -> str | None:
    item = order.item
    if order.kind == WorkOrderKind.SITE_INSPECTION and item.state == "inspection":
        return "inspected"
    if order.kind == WorkOrderKind.METER_INSTALLATION and item.state == "installation":
        if not order.result.get("meter"):
            raise wf.WorkOrderRefused(_("Give the serial number of the meter installed."))
        if not Meter.objects.filter(serial=order.result["meter"]).exists():
            raise wf.WorkOrderRefused(_("No meter has this serial number."))
        return "installed"
    return None


def on_breach(item: WorkItem, breach) -> None:
    if breach.rule == "total":
        _compensate(_application(item))


def _compensate(application: NewConnectionApplication) -> None:
    """Credit the Rules' compensation for the missed connection SLA, once."""
    from urja.ledger.descriptions import COMPENSATION, describe

    if application.compensation_entry_id or application.consumer_id is None:
        return
    amount = Decimal(str(_conf("COMPENSATION")))
    if amount <= 0:
        return
    entry = entry_post(
        consumer=application.consumer, entry_type=EntryType.ADJUSTMENT, amount=-amount, entry_date=clock.today(),
        **describe(COMPENSATION, item=application.item.reference,
                   date=f"{clock.localtime(application.sla_due_at):%d-%m-%Y}"), by=None,
        reason=_("New connection not given by %(date)s (Electricity (Rights of Consumers) Rules 2020)")
        % {"date": clock.localtime(application.sla_due_at).date().isoformat()},
        source_type="new_connection", source_id=application.pk,
    )  # fmt: skip
    application.compensation_entry = entry
    application.save(update_fields=["compensation_entry", "updated_at"])


# --- payment -----------------------------------------------------------------------------------------


def pay(application: NewConnectionApplication, *, amount: Decimal, channel: str, source: str, reference: str,
        by=None, **extra: Any):  # fmt: skip
    """Post a payment of the demand note (`payment_post`: once per source and reference) and, once the
    account owes nothing, move the item on to meter installation. A retry changes nothing."""
    if application.consumer_id is None:
        raise ValidationError(_("No demand note has been issued yet."))
    with transaction.atomic():
        result = payment_post(consumer=application.consumer, amount=amount, channel=channel, source=source,
                              reference=reference, by=by, **extra)  # fmt: skip
        item = WorkItem.objects.get(pk=application.item_id)
        if item.state == "payment" and ledger_selectors.balance(application.consumer_id) <= 0:
            wf.transition(
                item,
                "paid",
                by=None,
                reason=_("Receipt %(receipt)s") % {"receipt": result.payment.receipt_number},
            )
            customers.consumer_update(consumer=application.consumer, by=None, source=ConsumerChange.Source.SYSTEM,
                                      reason=item.reference, security_deposit=application.demand_deposit or Decimal("0"))  # fmt: skip
    return result
