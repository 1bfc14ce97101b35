from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from urja.common.models import TimeStampedModel
from urja.customers.choices import LoadUnit, TariffCategory

# ---------------------------------------------------------------------------------------------------
# Disconnection for non-payment and reconnection (branch `disconnect`; decision 0028). Begin.
# ---------------------------------------------------------------------------------------------------

MONEY = {"max_digits": 14, "decimal_places": 2}


class NoticeStatus(models.TextChoices):
    SERVED = "served", _("served")
    STAYED = "stayed", _("stayed (paid under protest)")
    ORDERED = "ordered", _("disconnection ordered")
    DISCONNECTED = "disconnected", _("disconnected")
    PAID = "paid", _("dues paid")
    WITHDRAWN = "withdrawn", _("withdrawn")


#: A notice in one of these is the account's active notice (at most one).
ACTIVE_NOTICE = (NoticeStatus.SERVED, NoticeStatus.STAYED, NoticeStatus.ORDERED)


class DisconnectionNotice(TimeStampedModel):
    """A s.56 notice: the amount claimed and the date of service are fixed on it when served."""

    number = models.CharField(_("notice number"), max_length=24, unique=True)
    consumer = models.ForeignKey(
        "customers.Consumer", on_delete=models.PROTECT, related_name="disconnection_notices"
    )
    office = models.ForeignKey("org.Office", on_delete=models.PROTECT, related_name="+")
    amount = models.DecimalField(_("amount claimed"), **MONEY)
    protest_amount = models.DecimalField(_("deposit under protest that stays it"), **MONEY)
    served_on = models.DateField(_("served on"))
    action_from = models.DateField(_("disconnection not before"))
    served_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField(
        _("status"), max_length=12, choices=NoticeStatus.choices, default=NoticeStatus.SERVED
    )
    stay_payment = models.ForeignKey(
        "payments.Payment", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    work_order = models.OneToOneField(
        "workflow.WorkOrder",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="disconnection_notice",
    )
    disconnected_at = models.DateTimeField(_("disconnected at"), null=True, blank=True)
    disconnected_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    disconnection_reason = models.CharField(_("why disconnected"), max_length=200, blank=True)
    closed_reason = models.CharField(_("why closed"), max_length=200, blank=True)

    class Meta:
        ordering = ["-served_on", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["consumer"],
                condition=Q(status__in=["served", "stayed", "ordered"]),
                name="one_active_disconnection_notice",
            )
        ]

    def __str__(self) -> str:
        return self.number


class ReconnectionStatus(models.TextChoices):
    AWAITING_PAYMENT = "awaiting", _("awaiting payment")
    ORDERED = "ordered", _("reconnection ordered")
    DONE = "done", _("reconnected")


class Reconnection(TimeStampedModel):
    """Reconnection of a disconnected account: its charge (posted to the ledger), then a work order."""

    consumer = models.ForeignKey("customers.Consumer", on_delete=models.PROTECT, related_name="reconnections")
    notice = models.OneToOneField(DisconnectionNotice, on_delete=models.PROTECT, related_name="reconnection")
    charge = models.DecimalField(_("reconnection charge"), **MONEY)
    charge_entry_id = models.BigIntegerField(null=True, blank=True)
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=ReconnectionStatus.choices,
        default=ReconnectionStatus.AWAITING_PAYMENT,
    )
    work_order = models.OneToOneField(
        "workflow.WorkOrder", null=True, blank=True, on_delete=models.PROTECT, related_name="reconnection"
    )
    reconnected_at = models.DateTimeField(_("reconnected at"), null=True, blank=True)

    def __str__(self) -> str:
        return f"reconnection of {self.consumer_id}"


# ---------------------------------------------------------------------------------------------------
# Disconnection for non-payment and reconnection. End.
# ---------------------------------------------------------------------------------------------------


# ==== New connection (urja.connections.new_connection) =============================================


class AreaClass(models.TextChoices):
    """The area class of the Electricity (Rights of Consumers) Rules 2020, rule 4: it sets the SLA."""

    METRO = "metro", _("Metro city")
    MUNICIPAL = "municipal", _("Other municipal area")
    RURAL = "rural", _("Rural area")


class ConnectionCharge(TimeStampedModel):
    """The rates of a new connection's demand note for a tariff category and a load band (loads from
    `load_from` up to and including `load_to`, in `unit`). Data: edited in the admin, seeded by the
    migration with estimates (see docs/decisions/0025)."""

    category = models.CharField(_("tariff category"), max_length=16, choices=TariffCategory.choices)
    unit = models.CharField(_("load unit"), max_length=3, choices=LoadUnit.choices, default=LoadUnit.KW)
    load_from = models.DecimalField(_("load from"), max_digits=8, decimal_places=2, default=Decimal("0"))
    load_to = models.DecimalField(_("load up to"), max_digits=8, decimal_places=2)
    processing_fee = models.DecimalField(
        _("processing fee"), max_digits=10, decimal_places=2, validators=[MinValueValidator(0)]
    )
    security_deposit_per_unit = models.DecimalField(
        _("security deposit per kW/kVA"), max_digits=10, decimal_places=2, validators=[MinValueValidator(0)]
    )
    line_charge_per_unit = models.DecimalField(
        _("line charge per kW/kVA"), max_digits=10, decimal_places=2, validators=[MinValueValidator(0)]
    )
    system_loading_per_unit = models.DecimalField(
        _("system loading charge per kW/kVA"),
        max_digits=10,
        decimal_places=2,
        validators=[MinValueValidator(0)],
    )
    source = models.CharField(_("source of the figures"), max_length=200, blank=True)

    class Meta:
        ordering = ["category", "load_from"]
        verbose_name = _("connection charge")
        verbose_name_plural = _("connection charges")
        constraints = [
            models.UniqueConstraint(fields=["category", "load_from"], name="connection_charge_band"),
            models.CheckConstraint(
                condition=models.Q(load_to__gt=models.F("load_from")), name="charge_band_order"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.category} {self.load_from}–{self.load_to} {self.unit}"


class NewConnectionApplication(TimeStampedModel):
    """One application for a new connection; its progress is its workflow item (`item`)."""

    item = models.OneToOneField(
        "workflow.WorkItem",
        verbose_name=_("work item"),
        on_delete=models.PROTECT,
        related_name="new_connection",
    )
    applicant_name = models.CharField(_("applicant's name"), max_length=120)
    father_husband_name = models.CharField(_("father's / husband's name"), max_length=120)
    address = models.CharField(_("address"), max_length=255)
    village_town = models.CharField(_("village / town"), max_length=80)
    district = models.CharField(_("district"), max_length=60)
    mobile = models.CharField(_("mobile"), max_length=10)
    kyc_document = models.CharField(_("ID document"), max_length=8, blank=True)
    #: Only the masked number is kept (and its keyed hash, to find duplicates).
    kyc_number_masked = models.CharField(_("ID number (masked)"), max_length=24, blank=True)
    kyc_number_hash = models.CharField(max_length=64, blank=True, editable=False)
    category = models.CharField(_("tariff category"), max_length=16, choices=TariffCategory.choices)
    load = models.DecimalField(_("load asked for"), max_digits=8, decimal_places=2)
    load_unit = models.CharField(_("load unit"), max_length=3, choices=LoadUnit.choices, default=LoadUnit.KW)
    area_class = models.CharField(_("area"), max_length=9, choices=AreaClass.choices)
    office = models.ForeignKey(
        "org.Office", verbose_name=_("office"), on_delete=models.PROTECT, related_name="+"
    )
    dt = models.ForeignKey(
        "network.DistributionTransformer",
        verbose_name=_("distribution transformer"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    preferred_dates = models.JSONField(_("preferred inspection dates"), default=list, blank=True)
    #: When the application became complete (documents verified): the Rules' SLA runs from here.
    complete_at = models.DateTimeField(_("complete since"), null=True, blank=True)
    sla_due_at = models.DateTimeField(_("connection due by"), null=True, blank=True)
    #: The demand note: [{code, quantity, rate, amount}], its total, and when it was issued.
    demand_lines = models.JSONField(_("demand note"), default=list, blank=True)
    demand_total = models.DecimalField(
        _("demand note total"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    demand_deposit = models.DecimalField(
        _("security deposit demanded"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    demand_at = models.DateTimeField(_("demand note issued"), null=True, blank=True)
    consumer = models.OneToOneField(
        "customers.Consumer",
        verbose_name=_("account"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="new_connection",
    )
    energised_on = models.DateField(_("energised on"), null=True, blank=True)
    compensation_entry = models.OneToOneField(
        "ledger.LedgerEntry",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        editable=False,
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("new connection application")
        verbose_name_plural = _("new connection applications")

    def __str__(self) -> str:
        return f"{self.item.reference} {self.applicant_name}"


def _document_path(instance: "ApplicationDocument", filename: str) -> str:
    return f"new_connections/{instance.application_id}/{filename}"


class ApplicationDocument(models.Model):
    class Kind(models.TextChoices):
        ID_PROOF = "id_proof", _("Proof of identity")
        ADDRESS_PROOF = "address_proof", _("Proof of ownership or occupancy")
        PHOTO = "photo", _("Photograph")
        OTHER = "other", _("Other")

    application = models.ForeignKey(
        NewConnectionApplication, on_delete=models.CASCADE, related_name="documents"
    )
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    file = models.FileField(_("file"), upload_to=_document_path)
    name = models.CharField(_("file name"), max_length=120)
    size = models.PositiveIntegerField(_("size in bytes"))
    uploaded_at = models.DateTimeField(_("uploaded at"))
    uploaded_by = models.ForeignKey(
        "org.User", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["uploaded_at", "id"]
        verbose_name = _("application document")
        verbose_name_plural = _("application documents")

    def __str__(self) -> str:
        return f"{self.kind} {self.name}"


class AccountSerial(models.Model):
    """The last account-number serial issued per discom digit (locked while one is taken)."""

    discom_digit = models.PositiveSmallIntegerField(primary_key=True)
    last_serial = models.PositiveIntegerField()

    def __str__(self) -> str:
        return f"{self.discom_digit}: {self.last_serial}"


# ==== end of new connection =========================================================================
