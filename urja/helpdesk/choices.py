from django.db import models
from django.utils.translation import gettext_lazy as _

#: Category codes the services act on (the rest only carry their SLA).
BILLING_DISPUTE = "billing_dispute"
THEFT_REPORT = "theft_report"


class Channel(models.TextChoices):
    PORTAL = "portal", _("Consumer portal")
    PHONE = "phone", _("1912 helpline call")
    STAFF = "staff", _("Filed by staff")


class TicketStatus(models.TextChoices):
    OPEN = "open", _("Open")
    RESOLVED = "resolved", _("Resolved")


class EscalationLevel(models.IntegerChoices):
    """Who answers for a ticket: its office's JE first, then up the ladder while it is overdue."""

    JE = 0, _("Junior Engineer")
    SDO = 1, _("Sub-divisional Officer")
    EE = 2, _("Executive Engineer")
    SE = 3, _("Superintending Engineer")


class EventKind(models.TextChoices):
    FILED = "filed", _("Filed")
    NOTE = "note", _("Internal note")
    ESCALATED = "escalated", _("Escalated")
    RESOLVED = "resolved", _("Resolved")
    REOPENED = "reopened", _("Re-opened")
    RATED = "rated", _("Rated by the consumer")
    REVISION = "revision", _("Bill revision asked")
    INSPECTION = "inspection", _("Theft inspection ordered")
    INSPECTED = "inspected", _("Theft inspection done")
    ASSESSMENT = "assessment", _("Theft assessment posted")
