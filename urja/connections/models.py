from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from urja.common.models import TimeStampedModel

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
