from django.db import models
from django.utils.translation import gettext_lazy as _


class EntryType(models.TextChoices):
    OPENING = "opening", _("Opening balance")
    BILL = "bill", _("Bill")
    PAYMENT = "payment", _("Payment")
    ADJUSTMENT = "adjustment", _("Adjustment")
    LPSC = "lpsc", _("Late payment surcharge")
    REVERSAL = "reversal", _("Reversal")
    SUBSIDY = "subsidy", _("Government subsidy")
    DEPOSIT = "deposit", _("Security deposit")
    DEPOSIT_INTEREST = "sd_interest", _("Interest on security deposit")
    SOLAR_SETTLEMENT = "solar", _("Solar banked units settled")
