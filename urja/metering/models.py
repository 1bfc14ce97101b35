from decimal import Decimal

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from urja.common.models import TimeStampedModel
from urja.customers.models import Consumer

from .choices import MeterType


class Meter(TimeStampedModel):
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
    ct_ratio = models.DecimalField(_("CT ratio"), max_digits=8, decimal_places=2, default=Decimal("1"))
    pt_ratio = models.DecimalField(_("PT ratio"), max_digits=8, decimal_places=2, default=Decimal("1"))

    class Meta:
        ordering = ["serial"]
        verbose_name = _("meter")
        verbose_name_plural = _("meters")

    def __str__(self) -> str:
        return self.serial

    @property
    def multiplying_factor(self) -> Decimal:
        return self.ct_ratio * self.pt_ratio


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
