from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from urja.common.models import AppendOnlyModel, TimeStampedModel

from .choices import OPEN_STATUSES, Band, CaseEventKind, CaseStatus, Outcome


class InspectionCase(TimeStampedModel):
    """One consumer sent for inspection from the revenue-protection list: the score and reasons it was
    raised with (kept as they were, whatever the list says later), its work order, and the outcome.
    A consumer has at most one case not yet closed. Changes only through `services`; each one is also
    a row of `events` (who, when, why)."""

    reference = models.CharField(_("reference"), max_length=24, unique=True)
    consumer = models.ForeignKey(
        "customers.Consumer", verbose_name=_("consumer"), on_delete=models.PROTECT, related_name="+"
    )
    #: The consumer's office when the case was raised: the case's scope.
    office = models.ForeignKey(
        "org.Office", verbose_name=_("office"), on_delete=models.PROTECT, related_name="+"
    )
    period = models.CharField(_("month scored"), max_length=7)
    score = models.PositiveSmallIntegerField(_("score"))
    band = models.CharField(_("score band"), max_length=8, choices=Band.choices)
    #: [{"code": "falling", "points": 20, "params": {...}}, …] as the score gave them.
    reasons = models.JSONField(_("reasons"), default=list)
    work_order = models.OneToOneField(
        "workflow.WorkOrder",
        verbose_name=_("work order"),
        on_delete=models.PROTECT,
        related_name="inspection_case",
    )
    status = models.CharField(_("status"), max_length=10, choices=CaseStatus.choices, default=CaseStatus.OPEN)
    outcome = models.CharField(_("outcome"), max_length=16, choices=Outcome.choices, blank=True)
    assessed_units = models.DecimalField(
        _("assessed units (kWh)"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    remarks = models.TextField(_("remarks"), blank=True)
    raised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("raised by"), on_delete=models.PROTECT, related_name="+"
    )
    raised_at = models.DateTimeField(_("raised at"))
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("closed by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    #: The raising form's one-time key: the same POST sent again finds this case, not a second one.
    request_key = models.CharField(max_length=64, unique=True, editable=False)

    class Meta:
        ordering = ["-raised_at", "-id"]
        verbose_name = _("inspection case")
        verbose_name_plural = _("inspection cases")
        constraints = [
            models.UniqueConstraint(
                fields=["consumer"],
                condition=models.Q(status__in=[s.value for s in OPEN_STATUSES]),
                name="inspection_case_one_open_per_consumer",
                violation_error_message=_("This consumer already has an open inspection case."),
            ),
            models.CheckConstraint(
                condition=~models.Q(status=CaseStatus.CLOSED) | ~models.Q(outcome=""),
                name="inspection_case_closed_has_outcome",
            ),
            models.CheckConstraint(
                condition=models.Q(assessed_units__isnull=True) | models.Q(assessed_units__gte=0),
                name="inspection_case_assessed_non_negative",
            ),
        ]
        indexes = [models.Index(fields=["office", "period"], name="inspection_case_office_period")]

    def __str__(self) -> str:
        return f"{self.reference} {self.consumer_id} ({self.status})"

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES


class InspectionCaseEvent(AppendOnlyModel):
    """The case's history: raised, inspected, outcome recorded — by whom, when, why."""

    case = models.ForeignKey(InspectionCase, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(_("kind"), max_length=10, choices=CaseEventKind.choices)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    at = models.DateTimeField(_("at"))
    reason = models.TextField(_("reason"), blank=True)
    data = models.JSONField(_("details"), default=dict, blank=True)

    class Meta:
        ordering = ["at", "id"]
        verbose_name = _("inspection case event")
        verbose_name_plural = _("inspection case history")

    def __str__(self) -> str:
        return f"{self.case_id} {self.kind} @ {self.at:%Y-%m-%d %H:%M}"
