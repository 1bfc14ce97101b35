from decimal import Decimal

from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from urja.common.models import TimeStampedModel
from urja.customers.choices import LoadUnit, TariffCategory

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
