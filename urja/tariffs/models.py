from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from urja.common.models import TimeStampedModel
from urja.customers.choices import TariffCategory
from urja.domain import tariff as domain


class TariffVersion(TimeStampedModel):
    """One category's rate schedule from `effective_from` (to `effective_to`, or open-ended).

    A new tariff order is a new row with a later `effective_from`: the engine takes the latest version
    in force on each day and splits a bill whose period spans the change. The schedule (load bands,
    telescopic slabs, fixed and minimum charges, duty, kVAh, lifeline, rebate, subsidy, NA penalty) is
    the domain core's `TariffVersion` as JSON, validated by it on every save.
    """

    category = models.CharField(_("category"), max_length=16, choices=TariffCategory.choices)
    label = models.CharField(_("label"), max_length=60, help_text=_("e.g. FY 2025-26"))
    effective_from = models.DateField(_("effective from"))
    effective_to = models.DateField(_("effective to"), null=True, blank=True)
    schedule = models.JSONField(_("schedule"), help_text=_("Bands, slabs and charges; see docs/tariffs.md."))
    source = models.TextField(
        _("source"), help_text=_("The tariff order or publication these numbers come from.")
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["category", "effective_from"]
        verbose_name = _("tariff version")
        verbose_name_plural = _("tariff versions")
        constraints = [
            models.UniqueConstraint(
                fields=["category", "effective_from"], name="tariff_one_version_per_start"
            ),
            models.CheckConstraint(
                condition=models.Q(effective_to__isnull=True)
                | models.Q(effective_to__gte=models.F("effective_from")),
                name="tariff_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.category} {self.label} from {self.effective_from}"

    def to_domain(self) -> domain.TariffVersion:
        data = dict(self.schedule)
        data.update(
            category=self.category,
            label=self.label,
            effective_from=self.effective_from.isoformat(),
            effective_to=self.effective_to.isoformat() if self.effective_to else None,
            source=self.source,
        )
        return domain.TariffVersion.from_dict(data)

    def clean(self) -> None:
        if not isinstance(self.schedule, dict):
            raise ValidationError({"schedule": _("The schedule must be a JSON object.")})
        if self.effective_from is None or not self.category:
            return
        try:
            self.to_domain()
        except (KeyError, ValueError, TypeError, ArithmeticError) as exc:
            raise ValidationError({"schedule": _("The schedule is not valid: %(error)s") % {"error": exc}})


class FppasRate(TimeStampedModel):
    """Fuel and power purchase adjustment surcharge for a month, as a percentage, set by order."""

    month = models.CharField(
        _("month"),
        max_length=7,
        unique=True,
        validators=[RegexValidator(r"^\d{4}-(0[1-9]|1[0-2])$", _("Use YYYY-MM."))],
    )
    percent = models.DecimalField(
        _("percent"),
        max_digits=6,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("-100")), MaxValueValidator(Decimal("100"))],
    )
    source = models.CharField(_("source"), max_length=255)

    class Meta:
        ordering = ["month"]
        verbose_name = _("FPPAS rate")
        verbose_name_plural = _("FPPAS rates")

    def __str__(self) -> str:
        return f"FPPAS {self.month}: {self.percent}%"


class NormativeUsage(TimeStampedModel):
    """Normative consumption for assessing a connection whose meter is defective or missing, per
    category and load band: ``units_per_load`` units per month per unit of load (kW, or BHP for pump
    categories) for loads up to ``upto_load`` (empty: any load). Used when there is no actual history,
    and after the meter has been defective for 3 bills in a row (DOMAIN.md)."""

    category = models.CharField(_("category"), max_length=16, choices=TariffCategory.choices)
    upto_load = models.DecimalField(
        _("for loads up to"),
        max_digits=10,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0.01"))],
        help_text=_("Empty: any load above the other bands."),
    )
    units_per_load = models.DecimalField(
        _("units per month per unit of load"),
        max_digits=8,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0"))],
    )
    source = models.CharField(_("source"), max_length=255)
    uncertain = models.BooleanField(
        _("uncertain"), default=True, help_text=_("The figure is not confirmed by a published order.")
    )

    class Meta:
        ordering = ["category", "upto_load"]
        verbose_name = _("normative usage")
        verbose_name_plural = _("normative usage")
        constraints = [
            models.UniqueConstraint(fields=["category", "upto_load"], name="normative_one_band_per_load"),
            models.UniqueConstraint(
                fields=["category"],
                condition=models.Q(upto_load__isnull=True),
                name="normative_one_open_band",
            ),
        ]

    def __str__(self) -> str:
        upto = f" up to {self.upto_load}" if self.upto_load is not None else ""
        return f"{self.category}{upto}: {self.units_per_load} units/load/month"
