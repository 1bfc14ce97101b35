from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models.functions import Upper
from django.utils.translation import gettext_lazy as _

from urja.common.models import AppendOnlyModel, TimeStampedModel
from urja.customers.models import Consumer
from urja.org.models import Office

from .choices import NO_VALUE_STATUSES, VALUE_STATUSES, MeterType, ReadingSource, ReadingStatus, TodUnit


class Meter(TimeStampedModel):
    """A meter. `office` is the office that holds it: the store it sits in while in stock, and from its
    installation the office of the connection it is fitted at (kept after removal until an officer
    returns it to a store). A meter installed at a connection is also seen by that connection's office
    subtree (`selectors.meters_for`), so a consumer moved to another DC takes its meter along.

    The particulars below change only through `services.meter_update` (officers, with a reason, into
    MeterChange): the multiplying factor (CT ratio × PT ratio) multiplies every unit recorded from then
    on."""

    serial = models.CharField(_("serial number"), max_length=30, unique=True)
    make = models.CharField(_("make"), max_length=40, blank=True)
    meter_type = models.CharField(
        _("type"), max_length=8, choices=MeterType.choices, default=MeterType.STATIC
    )
    phase = models.PositiveSmallIntegerField(
        _("phase"), choices=[(1, _("Single phase")), (3, _("Three phase"))], default=1
    )
    digits = models.PositiveSmallIntegerField(
        _("number of digits"), default=6, validators=[MinValueValidator(4), MaxValueValidator(9)]
    )
    has_kvah = models.BooleanField(_("kVAh register"), default=False)
    ct_ratio = models.DecimalField(
        _("CT ratio"),
        max_digits=8,
        decimal_places=2,
        default=Decimal("1"),
        validators=[MinValueValidator(Decimal("0.01"))],
    )
    pt_ratio = models.DecimalField(
        _("PT ratio"),
        max_digits=8,
        decimal_places=2,
        default=Decimal("1"),
        validators=[MinValueValidator(Decimal("0.01"))],
    )
    # Required for new meters; empty only on a row from before offices were kept that was never
    # installed (seen then only by users who see every office, until one of them assigns it).
    office = models.ForeignKey(
        Office,
        verbose_name=_("held by office"),
        null=True,
        on_delete=models.PROTECT,
        related_name="meters",
    )

    class Meta:
        ordering = ["serial"]
        verbose_name = _("meter")
        verbose_name_plural = _("meters")
        # The staff search finds a meter by its serial in any case (`serial__iexact`: UPPER(serial)).
        indexes = [models.Index(Upper("serial"), name="meter_serial_upper")]

    def __str__(self) -> str:
        return self.serial

    @property
    def multiplying_factor(self) -> Decimal:
        return self.ct_ratio * self.pt_ratio


class MeterChange(AppendOnlyModel):
    """History of a meter's particulars (multiplying factor, digits, registers, office …): one row per
    changed field, with who changed it, when and why. Written by the metering services; append-only."""

    meter = models.ForeignKey(
        Meter, verbose_name=_("meter"), on_delete=models.CASCADE, related_name="changes"
    )
    changed_at = models.DateTimeField(_("changed at"), auto_now_add=True)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("changed by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    field = models.CharField(_("field"), max_length=20)
    old_value = models.CharField(_("old value"), max_length=60, blank=True)
    new_value = models.CharField(_("new value"), max_length=60, blank=True)
    reason = models.CharField(_("reason"), max_length=255)

    class Meta:
        ordering = ["-changed_at", "-id"]
        verbose_name = _("meter change")
        verbose_name_plural = _("meter history")
        indexes = [models.Index(fields=["meter", "changed_at"], name="meterchange_meter_at")]

    def __str__(self) -> str:
        return f"{self.meter_id} {self.field} @ {self.changed_at:%Y-%m-%d %H:%M}"


class MeterInstallation(TimeStampedModel):
    """A meter installed at a consumer's connection from `installed_on` until `removed_on`."""

    consumer = models.ForeignKey(Consumer, on_delete=models.PROTECT, related_name="meter_installations")
    meter = models.ForeignKey(Meter, on_delete=models.PROTECT, related_name="installations")
    installed_on = models.DateField(_("installed on"))
    initial_reading = models.DecimalField(
        _("initial reading"), max_digits=12, decimal_places=2, default=Decimal("0")
    )
    removed_on = models.DateField(_("removed on"), null=True, blank=True)
    final_reading = models.DecimalField(
        _("final reading"), max_digits=12, decimal_places=2, null=True, blank=True
    )

    class Meta:
        ordering = ["consumer_id", "installed_on", "id"]
        verbose_name = _("meter installation")
        verbose_name_plural = _("meter installations")
        constraints = [
            models.UniqueConstraint(
                fields=["meter"], condition=models.Q(removed_on__isnull=True), name="meter_installed_once"
            ),
            models.UniqueConstraint(
                fields=["consumer"],
                condition=models.Q(removed_on__isnull=True),
                name="consumer_one_current_meter",
            ),
            models.CheckConstraint(
                condition=models.Q(removed_on__isnull=True)
                | models.Q(removed_on__gte=models.F("installed_on")),
                name="installation_removed_after_installed",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.meter_id} @ {self.consumer_id} from {self.installed_on}"


def _register_field(verbose_name):
    return models.DecimalField(verbose_name, max_digits=12, decimal_places=2, null=True, blank=True)


_NO_VALUE = sorted(s.value for s in NO_VALUE_STATUSES)
_WITH_VALUE = sorted(s.value for s in VALUE_STATUSES)


class Reading(TimeStampedModel):
    """One visit to (or report from) a meter: the register values read, or why none could be read.

    `units` is the kWh consumed since `units_since` (the previous valid reading, or the meter's
    installation), multiplying factor applied, across a roll-over or a meter change; it is computed by
    `services.reading_record` and never edited by hand.
    """

    # Indexed by reading_consumer_date (consumer, reading_date), whose first column it is.
    consumer = models.ForeignKey(
        Consumer,
        verbose_name=_("consumer"),
        on_delete=models.PROTECT,
        related_name="readings",
        db_index=False,
    )
    # Copied from the consumer so readings can later be partitioned by account without a join.
    account_number = models.CharField(_("account number"), max_length=10, editable=False)
    meter = models.ForeignKey(
        Meter,
        verbose_name=_("meter"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="readings",
        # Indexed by reading_one_per_meter_per_day (meter, reading_date): a lookup by meter implies
        # the meter is not null, so PostgreSQL and SQLite use that partial index.
        db_index=False,
    )
    reading_date = models.DateField(_("reading date"))
    kwh = _register_field(_("kWh reading"))
    kvah = _register_field(_("kVAh reading"))
    max_demand = models.DecimalField(
        _("maximum demand (kVA)"), max_digits=9, decimal_places=2, null=True, blank=True
    )
    status = models.CharField(_("status"), max_length=3, choices=ReadingStatus.choices)
    source = models.CharField(_("source"), max_length=8, choices=ReadingSource.choices)
    units = models.DecimalField(
        _("units (kWh)"), max_digits=14, decimal_places=2, null=True, blank=True, editable=False
    )
    kvah_units = models.DecimalField(
        _("units (kVAh)"), max_digits=14, decimal_places=2, null=True, blank=True, editable=False
    )
    units_since = models.DateField(_("units measured from"), null=True, blank=True, editable=False)
    previous_kwh = models.DecimalField(
        _("previous kWh reading"), max_digits=12, decimal_places=2, null=True, blank=True, editable=False
    )
    rolled_over = models.BooleanField(_("register rolled over"), default=False, editable=False)
    meter_changed = models.BooleanField(_("meter changed in the period"), default=False, editable=False)
    photo = models.FileField(_("photo"), upload_to="readings/%Y/%m/", blank=True)
    latitude = models.DecimalField(_("latitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(_("longitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,  # a partial index (Meta): AMR and imported readings have no recorder
    )
    remarks = models.CharField(_("remarks"), max_length=255, blank=True)
    # A TOD meter's registers, by slot name as the tariff's TOD rule names them ({"peak": "1234.50"}),
    # in `tod_unit`; `tod_units` is each slot's consumption since the previous valid reading on the same
    # meter (multiplying factor applied), computed by `services.reading_record`.
    tod_registers = models.JSONField(_("TOD registers"), default=dict, blank=True)
    tod_unit = models.CharField(
        _("TOD register unit"), max_length=4, choices=TodUnit.choices, default=TodUnit.KWH
    )
    tod_units = models.JSONField(_("TOD units"), default=dict, blank=True, editable=False)
    # Rooftop solar: the export register (energy injected into the grid) and its units since the
    # previous valid reading, computed like the kVAh units.
    export_kwh = _register_field(_("export kWh reading"))
    export_units = models.DecimalField(
        _("units exported (kWh)"), max_digits=14, decimal_places=2, null=True, blank=True, editable=False
    )

    class Meta:
        ordering = ["-reading_date", "-id"]
        verbose_name = _("reading")
        verbose_name_plural = _("readings")
        indexes = [
            models.Index(fields=["consumer", "reading_date"], name="reading_consumer_date"),
            models.Index(
                fields=["recorded_by"],
                condition=models.Q(recorded_by__isnull=False),
                name="reading_recorded_by",
            ),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["meter", "reading_date"],
                condition=models.Q(meter__isnull=False),
                name="reading_one_per_meter_per_day",
                violation_error_message=_("This meter already has a reading on this date."),
            ),
            models.CheckConstraint(
                condition=models.Q(kwh__isnull=True) | models.Q(kwh__gte=0), name="reading_kwh_non_negative"
            ),
            models.CheckConstraint(
                condition=models.Q(kvah__isnull=True) | models.Q(kvah__gte=0),
                name="reading_kvah_non_negative",
            ),
            models.CheckConstraint(
                condition=models.Q(max_demand__isnull=True) | models.Q(max_demand__gte=0),
                name="reading_md_non_negative",
            ),
            models.CheckConstraint(
                condition=models.Q(units__isnull=True) | models.Q(units__gte=0),
                name="reading_units_non_negative",
            ),
            models.CheckConstraint(
                condition=models.Q(kvah_units__isnull=True) | models.Q(kvah_units__gte=0),
                name="reading_kvah_units_non_negative",
            ),
            models.CheckConstraint(
                condition=models.Q(export_kwh__isnull=True) | models.Q(export_kwh__gte=0),
                name="reading_export_non_negative",
            ),
            models.CheckConstraint(
                condition=models.Q(export_units__isnull=True) | models.Q(export_units__gte=0),
                name="reading_export_units_non_negative",
            ),
            # A reading either carries a kWh value read off a meter, or (IDF, NA, NR, no meter) nothing.
            models.CheckConstraint(
                condition=models.Q(status__in=_WITH_VALUE, kwh__isnull=False, meter__isnull=False)
                | models.Q(
                    status__in=_NO_VALUE,
                    kwh__isnull=True,
                    kvah__isnull=True,
                    max_demand__isnull=True,
                    units__isnull=True,
                ),
                name="reading_values_match_status",
                violation_error_message=_("The register values do not match the reading status."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.account_number} {self.reading_date} {self.status}"
