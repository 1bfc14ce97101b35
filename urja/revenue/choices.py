from django.db import models
from django.utils.translation import gettext_lazy as _


class CaseStatus(models.TextChoices):
    OPEN = "open", _("Inspection ordered")
    INSPECTED = "inspected", _("Inspected, outcome awaited")
    CLOSED = "closed", _("Closed")


class Outcome(models.TextChoices):
    CONFIRMED = "confirmed", _("Theft confirmed")
    NOT_CONFIRMED = "not_confirmed", _("Theft not confirmed")
    NO_ACCESS = "no_access", _("No access")


class CaseEventKind(models.TextChoices):
    RAISED = "raised", _("Inspection raised")
    INSPECTED = "inspected", _("Inspection done")
    OUTCOME = "outcome", _("Outcome recorded")


class Band(models.TextChoices):
    HIGH = "high", _("High")
    MEDIUM = "medium", _("Medium")
    LOW = "low", _("Low")


#: Case statuses that still hold the consumer's one open case.
OPEN_STATUSES = (CaseStatus.OPEN, CaseStatus.INSPECTED)
