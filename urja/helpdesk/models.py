"""Helpdesk: complaint categories (with their SLA as data), tickets, their timeline, and the theft
assessment a confirmed theft report ends in."""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from urja.common.models import AppendOnlyModel, TimeStampedModel
from urja.customers.models import Consumer
from urja.customers.validators import validate_mobile
from urja.org.models import Office

from .choices import Channel, EscalationLevel, EventKind, TicketStatus


class Category(TimeStampedModel):
    """A kind of complaint and the hours within which it must be resolved (changed in the admin)."""

    code = models.SlugField(_("code"), max_length=30, unique=True)
    name_en = models.CharField(_("name (English)"), max_length=80)
    name_hi = models.CharField(_("name (Hindi)"), max_length=80)
    sla_hours = models.PositiveIntegerField(_("hours to resolve"), validators=[MinValueValidator(1)])
    source = models.CharField(_("source of the standard"), max_length=200, blank=True)
    active = models.BooleanField(_("active"), default=True)
    sort_order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["sort_order", "code"]
        verbose_name = _("complaint category")
        verbose_name_plural = _("complaint categories")

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return self.name_hi if (get_language() or "").startswith("hi") else self.name_en


class Ticket(TimeStampedModel):
    """One complaint. Its number is what the consumer quotes; `office` is the office that answers for
    it (the consumer's DT office, else the one chosen), `level` how far up the ladder it has gone."""

    number = models.CharField(_("ticket number"), max_length=20, unique=True)
    category = models.ForeignKey(Category, verbose_name=_("category"), on_delete=models.PROTECT)
    channel = models.CharField(_("channel"), max_length=8, choices=Channel.choices)
    consumer = models.ForeignKey(
        Consumer,
        verbose_name=_("consumer"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    office = models.ForeignKey(Office, verbose_name=_("office"), on_delete=models.PROTECT, related_name="+")
    # An anonymous theft report stores neither name nor mobile.
    anonymous = models.BooleanField(_("anonymous"), default=False)
    caller_name = models.CharField(_("name"), max_length=120, blank=True)
    caller_mobile = models.CharField(_("mobile"), max_length=10, blank=True, validators=[validate_mobile])
    address = models.CharField(_("address / landmark"), max_length=255, blank=True)
    description = models.TextField(_("complaint"))
    #: What the complainant attached and where they were (optional; the browser's GPS, if allowed).
    photo = models.FileField(_("complainant's photo"), upload_to="helpdesk/filed/%Y/%m/", blank=True)
    latitude = models.DecimalField(_("latitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(_("longitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=8, choices=TicketStatus.choices, default=TicketStatus.OPEN
    )
    level = models.PositiveSmallIntegerField(
        _("escalation level"), choices=EscalationLevel.choices, default=EscalationLevel.JE
    )
    escalated_to_role = models.CharField(_("escalated to"), max_length=16, blank=True)
    filed_at = models.DateTimeField(_("filed at"))
    due_at = models.DateTimeField(_("due by"))
    level_due_at = models.DateTimeField(_("escalates at"))
    resolved_at = models.DateTimeField(_("resolved at"), null=True, blank=True)
    resolution = models.TextField(_("resolution"), blank=True)
    resolution_photo = models.FileField(_("photo"), upload_to="helpdesk/%Y/%m/", blank=True)
    rating = models.PositiveSmallIntegerField(
        _("rating"), null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    reopen_count = models.PositiveSmallIntegerField(_("times re-opened"), default=0)
    bill_revision = models.ForeignKey(
        "billing.BillRevision", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    inspection_order = models.ForeignKey(
        "workflow.WorkOrder",
        verbose_name=_("inspection work order"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    filed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-filed_at", "-id"]
        verbose_name = _("ticket")
        verbose_name_plural = _("tickets")
        indexes = [
            models.Index(fields=["office", "status"], name="ticket_office_status"),
            models.Index(fields=["status", "level_due_at"], name="ticket_status_level_due"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(anonymous=True) | (models.Q(caller_name="") & models.Q(caller_mobile="")),
                name="ticket_anonymous_no_personal_data",
            ),
            models.CheckConstraint(
                condition=models.Q(rating__isnull=True) | models.Q(rating__gte=1, rating__lte=5),
                name="ticket_rating_1_to_5",
            ),
        ]

    def __str__(self) -> str:
        return self.number


class TicketEvent(AppendOnlyModel):
    """One line of a ticket's timeline. `internal` lines (notes) are never shown to the consumer."""

    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(_("what"), max_length=12, choices=EventKind.choices)
    text = models.TextField(_("text"), blank=True)
    internal = models.BooleanField(_("internal"), default=False)
    params = models.JSONField(default=dict, blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    at = models.DateTimeField(_("when"))

    class Meta:
        ordering = ["at", "id"]
        verbose_name = _("ticket event")
        verbose_name_plural = _("ticket events")

    def __str__(self) -> str:
        return f"{self.ticket_id} {self.kind}"


class TheftRate(TimeStampedModel):
    """The parameters of the theft assessment formula in force from a date (data, not code)."""

    effective_from = models.DateField(_("in force from"), unique=True)
    hours_per_day = models.DecimalField(_("hours per day"), max_digits=4, decimal_places=2)
    days = models.PositiveIntegerField(_("days"))
    rate = models.DecimalField(_("rate (Rs/kWh)"), max_digits=8, decimal_places=4)
    factor = models.DecimalField(_("factor"), max_digits=5, decimal_places=2, default=Decimal("2"))
    source = models.CharField(_("source"), max_length=200, blank=True)

    class Meta:
        ordering = ["-effective_from"]
        verbose_name = _("theft assessment rate")
        verbose_name_plural = _("theft assessment rates")

    def __str__(self) -> str:
        return f"{self.effective_from}: {self.hours_per_day} h × {self.days} d × {self.rate} × {self.factor}"


class TheftAssessment(TimeStampedModel):
    """A confirmed theft case's assessment bill: the figures used, the inspection report, and the
    ledger entry it was posted as."""

    ticket = models.OneToOneField(Ticket, on_delete=models.PROTECT, related_name="assessment")
    consumer = models.ForeignKey(Consumer, on_delete=models.PROTECT, related_name="+")
    report = models.TextField(_("inspection report"))
    report_file = models.FileField(
        _("inspection report (file)"), upload_to="helpdesk/theft/%Y/%m/", blank=True
    )
    connected_load_kw = models.DecimalField(_("connected load found (kW)"), max_digits=8, decimal_places=3)
    hours_per_day = models.DecimalField(max_digits=4, decimal_places=2)
    days = models.PositiveIntegerField()
    rate = models.DecimalField(max_digits=8, decimal_places=4)
    factor = models.DecimalField(max_digits=5, decimal_places=2)
    units = models.DecimalField(_("assessed units"), max_digits=14, decimal_places=3)
    amount = models.DecimalField(_("amount"), max_digits=14, decimal_places=2)
    ledger_entry_id = models.BigIntegerField()
    assessed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("theft assessment")
        verbose_name_plural = _("theft assessments")

    def __str__(self) -> str:
        return f"{self.ticket_id}: {self.amount}"
