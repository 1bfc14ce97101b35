from django.db import models
from django.utils.translation import gettext_lazy as _


class AdjustmentStatus(models.TextChoices):
    PENDING = "pending", _("Awaiting approval")
    POSTED = "posted", _("Posted")
    REJECTED = "rejected", _("Rejected")
