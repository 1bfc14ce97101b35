from django.db import models
from django.utils.translation import gettext_lazy as _


class Event(models.TextChoices):
    """What a message tells of. Each has a template per language (`MessageTemplate`)."""

    OTP = "otp", _("One-time password")
    BILL_ISSUED = "bill_issued", _("Bill issued")
    PAYMENT_RECEIVED = "payment_received", _("Payment received")
    CHEQUE_BOUNCED = "cheque_bounced", _("Cheque or draft returned")
    DUE_REMINDER = "due_reminder", _("Due-date reminder")
    DISCONNECTION_NOTICE = "disconnection_notice", _("Disconnection notice")
    RECONNECTION = "reconnection", _("Reconnection")
    COMPLAINT_UPDATE = "complaint_update", _("Complaint update")
    APPLICATION_UPDATE = "application_update", _("Application update")
    SLA_BREACH = "sla_breach", _("SLA breach (to the officer)")
    # E-mail only (the e-mail's subject is the label, in the reader's language):
    EMAIL_OTP = "email_otp", _("Code to confirm your e-mail address")
    EMAIL_CHANGED = "email_changed", _("Your e-mail address was changed")
    EBILL = "ebill", _("Your electricity bill")


class Category(models.TextChoices):
    # Essential (DLT transactional / service-implicit) messages always go. Optional (promotional /
    # service-explicit) ones go only to a consumer who has not refused them, and only 10:00–21:00 IST.
    ESSENTIAL = "essential", _("Essential (transactional)")
    OPTIONAL = "optional", _("Optional (promotional)")


class Channel(models.TextChoices):
    SMS = "sms", _("SMS")
    EMAIL = "email", _("E-mail")


class Status(models.TextChoices):
    QUEUED = "queued", _("Queued")
    SENDING = "sending", _("Sending")
    SENT = "sent", _("Sent")
    DELIVERED = "delivered", _("Delivered")
    FAILED = "failed", _("Failed")
    # A sender stopped between handing the message to the provider and recording it, and the
    # provider cannot tell whether it got it: never re-sent automatically (docs/decisions/0032).
    UNKNOWN = "unknown", _("Outcome unknown")
