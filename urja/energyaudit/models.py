from decimal import Decimal

from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from urja.billing.models import PERIOD_VALIDATOR
from urja.common.models import TimeStampedModel
from urja.network.models import DistributionTransformer, Feeder


class InputEnergy(TimeStampedModel):
    """The energy metered into one feeder or one DT in one month (kWh, after the meter's multiplying
    factor), as imported from the boundary meters (docs/energy-audit.md). Exactly one of `feeder` and
    `dt` is set. A row imported after a month with no figure is kept but flagged, with the reason."""

    feeder = models.ForeignKey(
        Feeder,
        verbose_name=_("11 kV feeder"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="input_energy",
    )
    dt = models.ForeignKey(
        DistributionTransformer,
        verbose_name=_("distribution transformer"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="input_energy",
    )
    period = models.CharField(_("period"), max_length=7, validators=[PERIOD_VALIDATOR])
    kwh = models.DecimalField(
        _("input energy (kWh)"), max_digits=14, decimal_places=2, validators=[MinValueValidator(Decimal("0"))]
    )
    meter_serial = models.CharField(_("boundary meter"), max_length=30, blank=True)
    flag_reason = models.CharField(_("flagged because"), max_length=120, blank=True)
    source = models.CharField(_("source"), max_length=120, blank=True)

    class Meta:
        ordering = ["period", "id"]
        verbose_name = _("input energy")
        verbose_name_plural = _("input energy")
        constraints = [
            models.CheckConstraint(
                condition=(models.Q(feeder__isnull=False) & models.Q(dt__isnull=True))
                | (models.Q(feeder__isnull=True) & models.Q(dt__isnull=False)),
                name="input_energy_feeder_or_dt",
            ),
            models.CheckConstraint(condition=models.Q(kwh__gte=0), name="input_energy_not_negative"),
            models.UniqueConstraint(
                fields=["feeder", "period"],
                condition=models.Q(feeder__isnull=False),
                name="input_energy_feeder_once",
            ),
            models.UniqueConstraint(
                fields=["dt", "period"], condition=models.Q(dt__isnull=False), name="input_energy_dt_once"
            ),
        ]

    def __str__(self) -> str:
        point = self.feeder if self.feeder_id else self.dt
        return f"{point} {self.period} {self.kwh} kWh"
