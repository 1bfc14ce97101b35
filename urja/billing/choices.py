from django.db import models
from django.utils.translation import gettext_lazy as _


class BillStatus(models.TextChoices):
    HELD = "held", _("Held for review")
    ISSUED = "issued", _("Issued")
    CANCELLED = "cancelled", _("Cancelled")


class BillBasis(models.TextChoices):
    MU = "MU", _("Metered units")
    UM = "UM", _("Unmetered (flat)")
    MIN = "MIN", _("Minimum charge")
    PROV = "PROV", _("Provisional")
    ASS = "ASS", _("Assessed")


class RunStatus(models.TextChoices):
    PENDING = "pending", _("Waiting")
    RUNNING = "running", _("Running")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")


class RevisionStatus(models.TextChoices):
    PENDING = "pending", _("Awaiting approval")
    APPLIED = "applied", _("Applied")
    REJECTED = "rejected", _("Rejected")
