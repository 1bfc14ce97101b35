"""Arrears: manual adjustments (maker-checker), one-time settlement schemes and their registrations,
and the late payment surcharge charged per account and month. The tables were created by the
payments app and keep their names."""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from urja.common.models import TimeStampedModel
from urja.customers.models import Consumer

from .choices import AdjustmentStatus

MONEY = {"max_digits": 14, "decimal_places": 2}


class Adjustment(TimeStampedModel):
    """A credit or debit to an account with maker-checker: above the configured amount a higher role
    approves, never the maker. Posts a ledger entry when approved (or at once when small)."""

    consumer = models.ForeignKey(Consumer, on_delete=models.PROTECT, related_name="adjustments")
    amount = models.DecimalField(_("amount (+ debit, − credit)"), **MONEY)
    reason = models.CharField(_("reason"), max_length=255)
    status = models.CharField(
        max_length=8, choices=AdjustmentStatus.choices, default=AdjustmentStatus.PENDING
    )
    made_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.CharField(_("checker's note"), max_length=255, blank=True)
    ledger_entry_id = models.BigIntegerField(null=True, blank=True)

    class Meta:
        db_table = "payments_adjustment"  # the table keeps the name it had in payments
        ordering = ["-created_at", "-id"]
        verbose_name = _("adjustment")
        verbose_name_plural = _("adjustments")
        constraints = [models.CheckConstraint(condition=~models.Q(amount=0), name="adjustment_not_zero")]

    def __str__(self) -> str:
        return f"{self.consumer_id} {self.amount} ({self.status})"


class OtsScheme(TimeStampedModel):
    """A one-time settlement scheme as data: who may join, when, and what is waived."""

    code = models.CharField(max_length=30, unique=True)
    name = models.CharField(max_length=120)
    name_hi = models.CharField(max_length=120, blank=True)
    categories = models.JSONField(
        default=list,
        help_text=_(
            'Eligible categories with their maximum load: [{"category": "LMV1-RURAL", "max_load": "2"}]'
        ),
    )
    registration_opens = models.DateField()
    registration_closes = models.DateField()
    registration_deposit_percent = models.DecimalField(max_digits=5, decimal_places=2, default=Decimal("0"))
    surcharge_waiver_percent = models.DecimalField(max_digits=5, decimal_places=2, default=Decimal("100"))
    # Principal rebate by phase: [{"until": "2025-12-31", "percent": "25"}, ...]
    principal_rebate_phases = models.JSONField(default=list)
    source = models.CharField(max_length=255, blank=True)

    class Meta:
        db_table = "payments_otsscheme"  # the table keeps the name it had in payments
        ordering = ["-registration_opens"]
        verbose_name = _("one-time settlement scheme")
        verbose_name_plural = _("one-time settlement schemes")

    def __str__(self) -> str:
        return self.code


class OtsRegistration(TimeStampedModel):
    scheme = models.ForeignKey(OtsScheme, on_delete=models.PROTECT, related_name="registrations")
    consumer = models.ForeignKey(Consumer, on_delete=models.PROTECT, related_name="ots_registrations")
    registered_on = models.DateField()
    principal = models.DecimalField(**MONEY)
    surcharge = models.DecimalField(**MONEY)
    surcharge_waived = models.DecimalField(default=Decimal("0.00"), **MONEY)
    principal_rebate = models.DecimalField(default=Decimal("0.00"), **MONEY)
    deposit_due = models.DecimalField(default=Decimal("0.00"), **MONEY)
    settled = models.BooleanField(default=False)
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        db_table = "payments_otsregistration"  # the table keeps the name it had in payments
        ordering = ["-registered_on", "-id"]
        constraints = [models.UniqueConstraint(fields=["scheme", "consumer"], name="ots_register_once")]

    def __str__(self) -> str:
        return f"{self.scheme_id} {self.consumer_id}"


class LpscCharge(models.Model):
    """Marks that late payment surcharge was charged to an account for a month (once per month)."""

    consumer = models.ForeignKey(Consumer, on_delete=models.PROTECT, related_name="+")
    month = models.CharField(max_length=7)
    amount = models.DecimalField(**MONEY)
    ledger_entry_id = models.BigIntegerField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        db_table = "payments_lpsccharge"  # the table keeps the name it had in payments
        ordering = ["-month", "consumer_id"]
        constraints = [
            models.UniqueConstraint(fields=["consumer", "month"], name="lpsc_once_per_account_month")
        ]

    def __str__(self) -> str:
        return f"LPSC {self.consumer_id} {self.month}"
