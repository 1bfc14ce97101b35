from django.db import models
from django.utils.translation import gettext_lazy as _


class MeterType(models.TextChoices):
    ELECTROMECHANICAL = "em", _("Electromechanical")
    STATIC = "static", _("Static (electronic)")
    SMART = "smart", _("Smart")
    PREPAID = "prepaid", _("Smart prepaid")
