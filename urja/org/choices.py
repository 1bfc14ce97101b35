from django.db import models
from django.utils.translation import gettext_lazy as _


class OfficeLevel(models.TextChoices):
    DISCOM = "discom", _("Discom")
    ZONE = "zone", _("Zone")
    CIRCLE = "circle", _("Circle")
    DIVISION = "division", _("Division")
    SUBDIVISION = "subdivision", _("Sub-division")
    DC = "dc", _("Distribution centre")


# Order of the commercial hierarchy, top to bottom.
LEVEL_ORDER = [
    OfficeLevel.DISCOM,
    OfficeLevel.ZONE,
    OfficeLevel.CIRCLE,
    OfficeLevel.DIVISION,
    OfficeLevel.SUBDIVISION,
    OfficeLevel.DC,
]


class Role(models.TextChoices):
    SYSTEM_ADMIN = "system_admin", _("System administrator")
    MANAGEMENT = "management", _("Discom management")
    SE = "se", _("Superintending Engineer")
    EE = "ee", _("Executive Engineer")
    SDO = "sdo", _("Sub-divisional Officer")
    JE = "je", _("Junior Engineer")
    CASHIER = "cashier", _("Cashier")
    METER_READER = "meter_reader", _("Meter reader")
    LINEMAN = "lineman", _("Lineman")
    HELPDESK = "helpdesk", _("Helpdesk agent")
    AUDITOR = "auditor", _("Auditor (read-only)")


class ThrottleScope(models.TextChoices):
    """What a login-failure counter counts (urja/org/auth.py)."""

    ADDRESS = "address", _("client address")
    ACCOUNT_AT_ADDRESS = "account_address", _("username at one address")
    ACCOUNT = "account", _("username from anywhere")
