from django.db import models
from django.utils.translation import gettext_lazy as _


class MeterType(models.TextChoices):
    ELECTROMECHANICAL = "em", _("Electromechanical")
    STATIC = "static", _("Static (electronic)")
    SMART = "smart", _("Smart")
    PREPAID = "prepaid", _("Smart prepaid")


class ReadingStatus(models.TextChoices):
    """Reading remarks used by UP discoms. RDF, ADF and CDF are raised by the reading service, never
    entered: the reader records OK with the register value."""

    OK = "OK", _("OK")
    IDF = "IDF", _("Identified defective (IDF)")
    RDF = "RDF", _("Reading defective (RDF)")
    ADF = "ADF", _("Reading unchanged (ADF)")
    CDF = "CDF", _("Doubtful consumption (CDF)")
    NA = "NA", _("Door locked / not accessible (NA)")
    NR = "NR", _("Not read (NR)")
    NM = "NM", _("No meter (NM)")


#: Statuses a reading is recorded with; the others are raised automatically.
ENTERED_STATUSES = frozenset(
    {ReadingStatus.OK, ReadingStatus.IDF, ReadingStatus.NA, ReadingStatus.NR, ReadingStatus.NM}
)
#: Statuses whose readings carry register values.
VALUE_STATUSES = frozenset({ReadingStatus.OK, ReadingStatus.RDF, ReadingStatus.ADF, ReadingStatus.CDF})
#: Statuses without register values (nothing could be read).
NO_VALUE_STATUSES = frozenset({ReadingStatus.IDF, ReadingStatus.NA, ReadingStatus.NR, ReadingStatus.NM})
#: Readings the next reading's units are measured from: RDF values are not trusted.
VALID_STATUSES = frozenset({ReadingStatus.OK, ReadingStatus.ADF, ReadingStatus.CDF})


class ReadingSource(models.TextChoices):
    SPOT = "spot", _("Spot billing")
    SELF = "self", _("Self reading")
    AMR = "amr", _("AMR import")
    MANUAL = "manual", _("Manual entry")
    WORK_ORDER = "order", _("Work order")  # taken by a lineman completing a field job (a disconnection)


class TodUnit(models.TextChoices):
    """The unit a TOD meter's slot registers count in."""

    KWH = "kWh", "kWh"
    KVAH = "kVAh", "kVAh"
