"""The workflow engine's tables: an item (one running instance of a process), its append-only
history, the field work orders, and the counters behind their reference numbers.

Items and orders change only through `urja.workflow.services`.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from urja.common.models import AppendOnlyModel, TimeStampedModel

from .choices import EventKind, WorkOrderKind, WorkOrderStatus


class ReferenceCounter(models.Model):
    """The last number given for one prefix in one year (NC-2026-000123): locked, then incremented,
    so numbers are unique and without gaps under concurrent starts."""

    prefix = models.CharField(max_length=8)
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["prefix", "year"]
        constraints = [models.UniqueConstraint(fields=["prefix", "year"], name="reference_counter_unique")]

    def __str__(self) -> str:
        return f"{self.prefix}-{self.year}: {self.last}"


class WorkItem(TimeStampedModel):
    """One application, request or case moving through a workflow definition."""

    reference = models.CharField(_("reference"), max_length=24, unique=True)
    definition_code = models.CharField(_("process"), max_length=40, db_index=True)
    definition_version = models.PositiveIntegerField(_("process version"))
    office = models.ForeignKey(
        "org.Office", verbose_name=_("office"), on_delete=models.PROTECT, related_name="work_items"
    )
    consumer = models.ForeignKey(
        "customers.Consumer",
        verbose_name=_("consumer"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="work_items",
    )
    #: What the process is about (the applicant's particulars, the load asked for …): the process's own.
    data = models.JSONField(_("particulars"), default=dict, blank=True)
    state = models.CharField(_("state"), max_length=40)
    state_entered_at = models.DateTimeField(_("in this state since"))
    #: When the current state (or, once escalated, the current escalation level) falls due.
    due_at = models.DateTimeField(_("due"), null=True, blank=True)
    total_due_at = models.DateTimeField(_("whole process due"), null=True, blank=True)
    escalation_level = models.PositiveSmallIntegerField(_("escalation level"), default=0)
    escalated_to_role = models.CharField(_("escalated to"), max_length=20, blank=True)
    #: The `due_at` whose breach the sweep has already handled: what makes a second sweep a no-op.
    breach_handled_for = models.DateTimeField(null=True, blank=True, editable=False)
    total_breached_at = models.DateTimeField(_("whole process breached at"), null=True, blank=True)
    opened_at = models.DateTimeField(_("opened at"))
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    #: The end state reached (approved, rejected, energised …); empty while open.
    outcome = models.CharField(_("outcome"), max_length=40, blank=True)
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("opened by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        ordering = ["-opened_at", "-id"]
        verbose_name = _("work item")
        verbose_name_plural = _("work items")
        indexes = [
            models.Index(fields=["closed_at", "due_at"], name="workitem_open_due"),
            models.Index(fields=["definition_code", "state"], name="workitem_defn_state"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(closed_at__isnull=True) | ~models.Q(outcome=""),
                name="workitem_closed_has_outcome",
            )
        ]

    def __str__(self) -> str:
        return f"{self.reference} ({self.state})"

    @property
    def is_open(self) -> bool:
        return self.closed_at is None


class WorkEvent(AppendOnlyModel):
    """One entry of an item's history: opened, an action taken, an escalation, a breach, a work order
    done. Never changed or deleted."""

    item = models.ForeignKey(
        WorkItem, verbose_name=_("work item"), on_delete=models.CASCADE, related_name="events"
    )
    kind = models.CharField(_("kind"), max_length=16, choices=EventKind.choices)
    action = models.CharField(_("action"), max_length=40, blank=True)
    from_state = models.CharField(_("from"), max_length=40, blank=True)
    to_state = models.CharField(_("to"), max_length=40, blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("Empty: the system."),
    )
    at = models.DateTimeField(_("at"))
    reason = models.TextField(_("reason"), blank=True)
    #: Documents attached with this event: [{"kind": "id_proof", "name": "…", "ref": "…"}, …].
    attachments = models.JSONField(_("attachments"), default=list, blank=True)
    data = models.JSONField(_("details"), default=dict, blank=True)

    class Meta:
        ordering = ["at", "id"]
        verbose_name = _("work event")
        verbose_name_plural = _("work events")
        indexes = [models.Index(fields=["item", "at"], name="workevent_item_at")]

    def __str__(self) -> str:
        return f"{self.item_id} {self.kind} {self.action} @ {self.at:%Y-%m-%d %H:%M}"


class WorkOrder(TimeStampedModel):
    """One field job (inspect, install, replace, disconnect, reconnect), usually created by a process
    for its item; completed with readings, photos, GPS and remarks, which advances the process."""

    reference = models.CharField(_("reference"), max_length=24, unique=True)
    kind = models.CharField(_("kind"), max_length=24, choices=WorkOrderKind.choices)
    item = models.ForeignKey(
        WorkItem,
        verbose_name=_("work item"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="work_orders",
    )
    office = models.ForeignKey(
        "org.Office", verbose_name=_("office"), on_delete=models.PROTECT, related_name="work_orders"
    )
    consumer = models.ForeignKey(
        "customers.Consumer",
        verbose_name=_("consumer"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="work_orders",
    )
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("assigned to"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="work_orders",
    )
    due_at = models.DateTimeField(_("due"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=WorkOrderStatus.choices, default=WorkOrderStatus.OPEN
    )
    reason = models.TextField(_("reason"))
    #: Readings, photos, GPS and remarks recorded on completion.
    result = models.JSONField(_("result"), default=dict, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    completed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("completed by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    completed_at = models.DateTimeField(_("completed at"), null=True, blank=True)
    #: The idempotency key of the completion: a retry with the same key changes nothing.
    completion_key = models.CharField(max_length=80, unique=True, null=True, blank=True, editable=False)
    cancelled_reason = models.TextField(_("reason for cancelling"), blank=True)

    class Meta:
        ordering = ["due_at", "id"]
        verbose_name = _("work order")
        verbose_name_plural = _("work orders")
        indexes = [
            models.Index(fields=["assigned_to", "status"], name="workorder_assignee_status"),
            models.Index(fields=["office", "status"], name="workorder_office_status"),
        ]
        constraints = [
            models.CheckConstraint(condition=~models.Q(reason=""), name="workorder_reason_required"),
            models.CheckConstraint(
                condition=~models.Q(status=WorkOrderStatus.DONE)
                | (models.Q(completed_at__isnull=False) & models.Q(completion_key__isnull=False)),
                name="workorder_done_has_completion",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.reference} {self.kind} ({self.status})"

    @property
    def is_closed(self) -> bool:
        return self.status in (WorkOrderStatus.DONE, WorkOrderStatus.CANCELLED)
