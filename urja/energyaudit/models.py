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


class MonthlyRollup(TimeStampedModel):
    """One month's billed and collected figures of the consumers of one office on one DT (no DT: the
    office's unindexed consumers), summed from bills and ledger by ``rollup_refresh`` so that the
    command centre need not scan them for months that have ended (docs/energy-audit.md, "Monthly
    roll-up"). The definitions are the audit's: ``billed_amount`` is the issued bills' current charges
    gross of subsidy, ``collected`` the payment and subsidy credits less their reversals dated in the
    month, ``arrears`` the positive balances of these consumers at the month's end (at the refresh's day
    for the current month). Keyed by the consumer's office and DT as they were at the refresh."""

    period = models.CharField(_("period"), max_length=7, validators=[PERIOD_VALIDATOR])
    office = models.ForeignKey(
        "org.Office", verbose_name=_("office"), on_delete=models.CASCADE, related_name="+"
    )
    dt = models.ForeignKey(
        DistributionTransformer,
        verbose_name=_("distribution transformer"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    billed_kwh = models.DecimalField(_("billed energy (kWh)"), max_digits=16, decimal_places=2, default=0)
    billed_amount = models.DecimalField(_("billed amount"), max_digits=16, decimal_places=2, default=0)
    collected = models.DecimalField(_("collected amount"), max_digits=16, decimal_places=2, default=0)
    bills = models.PositiveIntegerField(_("bills"), default=0)
    #: What these consumers owed when the rows were built: the sum of their positive ledger balances
    #: (entries dated up to the month's end, or up to the refresh's day in the current month).
    arrears = models.DecimalField(_("arrears"), max_digits=16, decimal_places=2, default=0)

    class Meta:
        ordering = ["period", "office_id", "dt_id"]
        verbose_name = _("monthly roll-up")
        verbose_name_plural = _("monthly roll-ups")
        constraints = [
            models.UniqueConstraint(
                fields=["period", "office", "dt"], condition=models.Q(dt__isnull=False), name="rollup_once"
            ),
            models.UniqueConstraint(
                fields=["period", "office"], condition=models.Q(dt__isnull=True), name="rollup_unindexed_once"
            ),
        ]
        indexes = [models.Index(fields=["period"], name="rollup_period")]

    def __str__(self) -> str:
        return f"{self.period} {self.office_id}/{self.dt_id or '-'}"


class RollupRefresh(TimeStampedModel):
    """When one period's roll-up rows were last rebuilt (``refreshed_at``) and last made stale by a
    posting into the period (``touched_at``). The roll-up of a period is read only once a refresh has
    run after its month ended and after the last such posting (``selectors.rolled_months``)."""

    period = models.CharField(_("period"), max_length=7, unique=True, validators=[PERIOD_VALIDATOR])
    #: None: never refreshed (the period was only touched).
    refreshed_at = models.DateTimeField(_("refreshed at"), null=True, blank=True)
    rows = models.PositiveIntegerField(_("rows"), default=0)
    #: When a ledger posting last touched the period after the fact (an entry dated in it or for its
    #: bills, committed once its month had ended): the rows are read only if refreshed after that.
    touched_at = models.DateTimeField(_("touched at"), null=True, blank=True)

    class Meta:
        ordering = ["period"]
        verbose_name = _("roll-up refresh")
        verbose_name_plural = _("roll-up refreshes")

    def __str__(self) -> str:
        when = f"{self.refreshed_at:%Y-%m-%d %H:%M}" if self.refreshed_at else "never"
        return f"{self.period} @ {when}"
