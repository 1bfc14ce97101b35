from django.db import models
from django.utils.translation import gettext_lazy as _

from urja.common.models import TimeStampedModel


class OutboundMessage(TimeStampedModel):
    """An SMS (or e-mail) waiting to be sent. Written in the same transaction as the event it tells of
    (or queued on commit), sent by a worker; providers, templates and retries come with the SMS issue."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")

    channel = models.CharField(max_length=8, default="sms")
    to = models.CharField(_("to"), max_length=120)
    template = models.CharField(_("template"), max_length=40)
    body = models.TextField(_("message"))
    language = models.CharField(max_length=5, default="hi")
    consumer_id = models.BigIntegerField(null=True, blank=True, db_index=True)
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.QUEUED)
    attempts = models.PositiveSmallIntegerField(default=0)
    sent_at = models.DateTimeField(null=True, blank=True)
    dedupe_key = models.CharField(max_length=80, unique=True, null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("outbound message")
        verbose_name_plural = _("outbound messages")

    def __str__(self) -> str:
        return f"{self.template} to {self.to[-4:]} ({self.status})"
