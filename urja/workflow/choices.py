from django.db import models
from django.utils.translation import gettext_lazy as _


class EventKind(models.TextChoices):
    START = "start", _("opened")
    TRANSITION = "transition", _("action taken")
    ESCALATION = "escalation", _("escalated")
    BREACH = "breach", _("SLA breached")
    TOTAL_BREACH = "total_breach", _("overall SLA breached")
    WORK_ORDER = "work_order", _("work order")


class WorkOrderKind(models.TextChoices):
    SITE_INSPECTION = "site_inspection", _("Site inspection")
    METER_INSTALLATION = "meter_installation", _("Meter installation")
    METER_REPLACEMENT = "meter_replacement", _("Meter replacement")
    DISCONNECTION = "disconnection", _("Disconnection")
    RECONNECTION = "reconnection", _("Reconnection")
    THEFT_INSPECTION = "theft_inspection", _("Theft inspection")


class WorkOrderStatus(models.TextChoices):
    OPEN = "open", _("open")
    ASSIGNED = "assigned", _("assigned")
    DONE = "done", _("done")
    CANCELLED = "cancelled", _("cancelled")


#: Prefixes of work-order reference numbers (WO-2026-000042 is one sequence for every kind).
WORK_ORDER_PREFIX = "WO"
