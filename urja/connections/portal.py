"""The connection processes' entry points for people outside the office (the consumer portal): a new
connection applied for online by a person with no account (a mobile proved by OTP), and the requests
of a signed-in consumer (load, category, name, reconnection, permanent disconnection). Each one goes
through the same process (workflow definition) and services the office uses; `by` is None (no staff)."""

from __future__ import annotations

import datetime
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from urja.common import clock
from urja.common.errors import NotFound
from urja.common.uploads import DOCUMENT_KINDS, check_upload
from urja.customers.choices import ConsumerStatus, KycDocument
from urja.customers.models import Consumer
from urja.domain import connection_charges as cc
from urja.domain import mobile as mob
from urja.domain.inputs import ascii_digits, is_ascii_digits
from urja.ledger.selectors import balance
from urja.org.choices import OfficeLevel
from urja.org.models import Office
from urja.workflow.models import WorkItem
from urja.workflow.selectors import items_of_consumer

from . import changes, new_connection
from .models import ApplicationDocument, NewConnectionApplication, Reconnection, ReconnectionStatus

PREFERRED_DATES = 3
#: Preferred inspection dates must fall within this many days from tomorrow.
PREFERRED_WITHIN_DAYS = 30
#: Categories a person may apply for online (LT; HV connections go through the office).
ONLINE_CATEGORIES = ("LMV1-RURAL", "LMV1-URBAN", "LMV2-URBAN", "LMV5-RURAL", "LMV5-URBAN", "LMV6")
#: The processes a consumer's "My requests" lists.
CONSUMER_PROCESSES = (
    changes.LOAD_CHANGE.code,
    changes.CATEGORY_CHANGE.code,
    changes.NAME_TRANSFER.code,
    changes.PERMANENT_DISCONNECTION.code,
    new_connection.CODE,
)


def offices_for_applicants():
    """The distribution centres an applicant chooses from (the office of the premises)."""
    return Office.objects.filter(level=OfficeLevel.DC).order_by("name")


def fees_estimate(*, category: str, load: Decimal) -> cc.DemandNote:
    """What the demand note will ask for this category and load (ValidationError: no rates set)."""
    return cc.demand_note(Decimal(load), new_connection.rates_for(category, Decimal(load)))


def _check_preferred_dates(dates) -> list[datetime.date]:
    dates = list(dates)
    first = clock.today() + datetime.timedelta(days=1)
    last = clock.today() + datetime.timedelta(days=PREFERRED_WITHIN_DAYS)
    if len(dates) != PREFERRED_DATES or len(set(dates)) != PREFERRED_DATES:
        raise ValidationError({"preferred_dates": _("Choose three different dates for the site inspection.")})
    if any(not first <= d <= last for d in dates):
        raise ValidationError(
            {"preferred_dates": _("Inspection dates must fall between %(first)s and %(last)s.")
             % {"first": f"{first:%d-%m-%Y}", "last": f"{last:%d-%m-%Y}"}}
        )  # fmt: skip
    return sorted(dates)


def _check_kyc(kyc_document: str, kyc_number: str) -> str:
    number = "".join(ch for ch in ascii_digits(kyc_number or "") if ch.isalnum()).upper()
    if kyc_document not in KycDocument.values:
        raise ValidationError({"kyc_document": _("Choose the identity document.")})
    if kyc_document == KycDocument.AADHAAR and not (len(number) == 12 and is_ascii_digits(number)):
        raise ValidationError({"kyc_number": _("An Aadhaar number has 12 digits.")})
    if len(number) < 6:
        raise ValidationError({"kyc_number": _("Type the document's number.")})
    return number


@transaction.atomic
def application_submit_by_applicant(
    *,
    mobile: str,
    office: Office,
    applicant_name: str,
    father_husband_name: str,
    address: str,
    village_town: str,
    district: str,
    category: str,
    load: Decimal,
    area_class: str,
    kyc_document: str,
    kyc_number: str,
    preferred_dates,
    documents: list[tuple[str, object]],
) -> NewConnectionApplication:
    """An application made online by the holder of `mobile` (proved by OTP). Every document is
    checked (PDF/JPEG/PNG by its first bytes, at most 2 MB) before anything is saved; the e-KYC
    number is kept only masked and as a keyed hash. All or nothing: one transaction."""
    if office.level != OfficeLevel.DC:
        raise ValidationError({"office": _("Choose the distribution centre of the premises.")})
    if category not in ONLINE_CATEGORIES:
        raise ValidationError({"category": _("Choose the kind of connection.")})
    try:
        load = Decimal(load)
    except (InvalidOperation, TypeError):
        raise ValidationError({"load": _("Type the load in kW.")}) from None
    if not Decimal("0.5") <= load <= Decimal("75"):
        raise ValidationError(
            {"load": _("Apply online for a load of 0.5 to 75 kW; larger loads at the office.")}
        )
    number = _check_kyc(kyc_document, kyc_number)
    dates = _check_preferred_dates(preferred_dates)
    kinds = [kind for kind, _upload in documents]
    for kind, upload in documents:
        if kind not in ApplicationDocument.Kind.values:
            raise ValidationError({"kind": _("Choose the kind of document.")})
        check_upload(upload, kinds=DOCUMENT_KINDS, max_bytes=new_connection.MAX_DOCUMENT_BYTES)
    missing = [k for k in new_connection.REQUIRED_DOCUMENTS if k not in kinds]
    if missing:
        raise ValidationError(
            {"file": _("Attach: %(kinds)s.") % {"kinds": ", ".join(str(ApplicationDocument.Kind(k).label) for k in missing)}}
        )  # fmt: skip
    fees_estimate(category=category, load=load)  # refuses a category/load with no charges set
    application = new_connection.apply(
        by=None, office=office, applicant_name=applicant_name, father_husband_name=father_husband_name,
        address=address, village_town=village_town, district=district, mobile=mobile, category=category,
        load=load, area_class=area_class, kyc_document=kyc_document, kyc_number=number, preferred_dates=dates,
    )  # fmt: skip
    for kind, upload in documents:
        new_connection.document_add(application, kind=kind, upload=upload, by=None)
    return application


def applications_of_mobile(mobile: str):
    return (
        NewConnectionApplication.objects.filter(mobile=mob.normalize(mobile))
        .select_related("item")
        .order_by("-created_at", "-id")
    )


def application_for_mobile(*, mobile: str, reference: str) -> NewConnectionApplication:
    """The application numbered `reference` if it was made with `mobile`; NotFound otherwise (the
    same answer for a number that does not exist, so numbers cannot be probed)."""
    application = applications_of_mobile(mobile).filter(item__reference=reference.strip().upper()).first()
    if application is None:
        raise NotFound("no such application")
    return application


# --- a signed-in consumer's requests -------------------------------------------------------------------


def _refuse_if_open(consumer: Consumer, code: str) -> None:
    if WorkItem.objects.filter(consumer=consumer, definition_code=code, closed_at__isnull=True).exists():
        raise ValidationError(_("You already have a request of this kind in progress; see My requests."))


@transaction.atomic
def consumer_request_open(consumer: Consumer, *, kind: str, **fields) -> WorkItem:
    """Open a load change, category change, name transfer or permanent disconnection for the signed-in
    consumer, through connections.changes; one open request of a kind at a time."""
    Consumer.objects.select_for_update().filter(pk=consumer.pk).first()
    reason = (fields.get("reason") or "").strip()
    if kind == "load_change":
        _refuse_if_open(consumer, changes.LOAD_CHANGE.code)
        new_load = fields.get("sanctioned_load")
        if new_load is None or Decimal(new_load) == consumer.sanctioned_load:
            raise ValidationError({"sanctioned_load": _("Type a load different from your present one.")})
        if Decimal(new_load) > Decimal("75"):
            raise ValidationError({"sanctioned_load": _("Apply at the office for a load above 75 kW.")})
        return changes.apply_for(consumer, by=None, sanctioned_load=Decimal(new_load), reason=reason)
    if kind == "category_change":
        _refuse_if_open(consumer, changes.CATEGORY_CHANGE.code)
        category = fields.get("category")
        if category not in ONLINE_CATEGORIES or category == consumer.category:
            raise ValidationError({"category": _("Choose a category different from your present one.")})
        return changes.apply_for(consumer, by=None, category=category, reason=reason)
    if kind == "name_transfer":
        _refuse_if_open(consumer, changes.NAME_TRANSFER.code)
        number = _check_kyc(fields.get("kyc_document", ""), fields.get("kyc_number", ""))
        return changes.apply_for_transfer(
            consumer, by=None, new_name=fields.get("new_name", ""), kyc_document=fields.get("kyc_document", ""),
            kyc_number=number, reason=reason,
        )  # fmt: skip
    if kind == "permanent_disconnection":
        _refuse_if_open(consumer, changes.PERMANENT_DISCONNECTION.code)
        if not reason:
            raise ValidationError({"reason": _("Say why the connection is to be ended.")})
        return changes.apply_for_permanent_disconnection(consumer, by=None, reason=reason)
    raise ValidationError(_("Unknown request."))


def consumer_requests(consumer: Consumer):
    """The consumer's requests, newest first, with their events (for each one's steps)."""
    return items_of_consumer(consumer, CONSUMER_PROCESSES).select_related("office").prefetch_related("events")


def reconnection_of(consumer: Consumer) -> Reconnection | None:
    return (
        consumer.reconnections.select_related("notice", "work_order").order_by("-created_at", "-id").first()
    )


def reconnection_request(consumer: Consumer):
    """A disconnected consumer asks to be reconnected: the reconnection work order is made once
    nothing is owing (connections.reconnection); otherwise ValidationError says what to pay."""
    from .reconnection import reconnection_order_if_paid

    rec = reconnection_of(consumer)
    if consumer.status != ConsumerStatus.TEMP_DISCONNECTED or rec is None:
        raise ValidationError(_("Your connection is not disconnected for non-payment."))
    if rec.status != ReconnectionStatus.AWAITING_PAYMENT:
        return rec.work_order
    order = reconnection_order_if_paid(consumer.pk)
    if order is None:
        raise ValidationError(
            _(
                "Pay Rs %(amount)s (dues and the reconnection charge) first; reconnection is then ordered at once."
            )
            % {"amount": balance(consumer.pk)}
        )
    return order
