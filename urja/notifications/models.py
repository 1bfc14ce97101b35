from django.core.validators import MinLengthValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from urja.common.models import TimeStampedModel
from urja.domain.masking import mask_email
from urja.domain.mobile import mask

from .choices import Category, Channel, Event, Status


class MessageTemplate(TimeStampedModel):
    """The text of one event in one language, as registered on the operator's DLT platform. Variables
    are named, `{#amount#}`; DLT registers each as `{#var#}` and holds at most 30 characters in it."""

    event = models.CharField(_("event"), max_length=40, choices=Event.choices)
    language = models.CharField(_("language"), max_length=5, choices=[("hi", "हिन्दी"), ("en", "English")])
    category = models.CharField(_("category"), max_length=10, choices=Category.choices)
    body = models.TextField(_("body"))
    dlt_template_id = models.CharField(_("DLT template id"), max_length=30, blank=True)
    entity_id = models.CharField(_("DLT entity id"), max_length=30, blank=True)
    sender = models.CharField(
        _("sender header"), max_length=6, validators=[MinLengthValidator(6)], help_text=_("Six characters.")
    )
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["event", "language"]
        verbose_name = _("message template")
        verbose_name_plural = _("message templates")
        constraints = [
            models.UniqueConstraint(fields=["event", "language"], name="template_one_per_event_language")
        ]

    def __str__(self) -> str:
        return f"{self.event} ({self.language})"


class OutboundMessage(TimeStampedModel):
    """One message to one recipient: written in the same transaction as the event it tells of, sent
    after commit by `tasks.message_send`, at most once (docs/decisions/0032-exactly-once-messages.md)."""

    Status = Status

    channel = models.CharField(max_length=8, default=Channel.SMS, choices=Channel.choices)
    to = models.CharField(_("to"), max_length=254)  # a mobile, or an e-mail address
    template = models.CharField(_("template"), max_length=40)  # the event code
    body = models.TextField(_("message"))
    language = models.CharField(max_length=5, default="hi")
    category = models.CharField(max_length=10, choices=Category.choices, default=Category.ESSENTIAL)
    sender = models.CharField(max_length=6, blank=True)
    dlt_template_id = models.CharField(max_length=30, blank=True)
    entity_id = models.CharField(max_length=30, blank=True)
    consumer_id = models.BigIntegerField(null=True, blank=True, db_index=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    attempts = models.PositiveSmallIntegerField(default=0)
    not_before = models.DateTimeField(null=True, blank=True)  # held: backoff, or a promotional window
    claimed_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    delivered_at = models.DateTimeField(null=True, blank=True)
    provider = models.CharField(max_length=20, blank=True)
    provider_ref = models.CharField(max_length=80, blank=True)
    last_error = models.CharField(max_length=300, blank=True)
    dedupe_key = models.CharField(max_length=80, unique=True, null=True, blank=True)
    # What an e-mail carries, named, not held: "bill:<id>" is made when the message is sent
    # (urja/notifications/attachments.py), so queueing it costs its writer nothing.
    attachment = models.CharField(_("attachment"), max_length=40, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("outbound message")
        verbose_name_plural = _("outbound messages")
        indexes = [models.Index(fields=["status", "not_before"], name="outbox_due")]

    def __str__(self) -> str:
        return f"{self.template} to {self.to_masked} ({self.status})"

    @property
    def to_masked(self) -> str:
        return mask_email(self.to) if "@" in self.to else mask(self.to)

    @property
    def client_ref(self) -> str:
        """What the provider is given to name this message: its id, stable across every attempt."""
        return f"urja-{self.pk}"
