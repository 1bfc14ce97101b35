from decimal import Decimal

from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from urja.common.models import TimeStampedModel
from urja.org.models import Office


class Substation(TimeStampedModel):
    """A 33/11 kV substation."""

    code = models.CharField(_("code"), max_length=20, unique=True)
    name = models.CharField(_("name"), max_length=120)
    name_hi = models.CharField(_("name (Hindi)"), max_length=120, blank=True)
    office = models.ForeignKey(
        Office, verbose_name=_("office"), on_delete=models.PROTECT, related_name="substations"
    )
    capacity_mva = models.DecimalField(
        _("capacity (MVA)"), max_digits=8, decimal_places=2, default=Decimal("10.00")
    )

    class Meta:
        ordering = ["code"]
        verbose_name = _("substation")
        verbose_name_plural = _("substations")

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class Feeder(TimeStampedModel):
    """An 11 kV feeder out of a substation."""

    class FeederType(models.TextChoices):
        RURAL = "rural", _("Rural")
        URBAN = "urban", _("Urban")
        MIXED = "mixed", _("Mixed")
        AGRICULTURE = "agri", _("Agricultural")
        INDUSTRIAL = "industrial", _("Industrial")

    code = models.CharField(_("code"), max_length=24, unique=True)
    name = models.CharField(_("name"), max_length=120)
    substation = models.ForeignKey(
        Substation, verbose_name=_("substation"), on_delete=models.PROTECT, related_name="feeders"
    )
    office = models.ForeignKey(
        Office, verbose_name=_("office"), on_delete=models.PROTECT, related_name="feeders"
    )
    feeder_type = models.CharField(
        _("type"), max_length=12, choices=FeederType.choices, default=FeederType.MIXED
    )

    class Meta:
        ordering = ["code"]
        verbose_name = _("11 kV feeder")
        verbose_name_plural = _("11 kV feeders")

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class DistributionTransformer(TimeStampedModel):
    code = models.CharField(_("code"), max_length=28, unique=True)
    name = models.CharField(_("name"), max_length=120)
    feeder = models.ForeignKey(
        Feeder, verbose_name=_("feeder"), on_delete=models.PROTECT, related_name="transformers"
    )
    office = models.ForeignKey(
        Office, verbose_name=_("office"), on_delete=models.PROTECT, related_name="transformers"
    )
    capacity_kva = models.DecimalField(
        _("capacity (kVA)"),
        max_digits=8,
        decimal_places=2,
        default=Decimal("100.00"),
        validators=[MinValueValidator(Decimal("1"))],
    )
    latitude = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("distribution transformer")
        verbose_name_plural = _("distribution transformers")

    def __str__(self) -> str:
        return f"{self.code} {self.name}"
