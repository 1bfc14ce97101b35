from django.db import models
from django.utils.translation import gettext_lazy as _


class Channel(models.TextChoices):
    CASH = "cash", _("Cash at counter")
    CHEQUE = "cheque", _("Cheque")
    DD = "dd", _("Demand draft")
    CARD = "card", _("Card at counter")
    UPI_COUNTER = "upi_counter", _("UPI at counter")
    ONLINE = "online", _("Online (gateway)")
    PARTNER = "partner", _("BBPS / bank / payment app")
    BANK = "bank", _("Bank transfer (NEFT/RTGS)")


COUNTER_CHANNELS = frozenset({Channel.CASH, Channel.CHEQUE, Channel.DD, Channel.CARD, Channel.UPI_COUNTER})
# Channels a cash-only account may still use after a cheque bounce (the money is good when received).
CASH_LIKE = frozenset(
    {Channel.CASH, Channel.CARD, Channel.UPI_COUNTER, Channel.ONLINE, Channel.PARTNER, Channel.BANK}
)


class PaymentStatus(models.TextChoices):
    POSTED = "posted", _("Posted")
    BOUNCED = "bounced", _("Cheque bounced")
    CANCELLED = "cancelled", _("Cancelled")


class CashBookStatus(models.TextChoices):
    OPEN = "open", _("Open")
    CLOSED = "closed", _("Closed, awaiting verification")
    VERIFIED = "verified", _("Verified")


class GatewayOrderStatus(models.TextChoices):
    CREATED = "created", _("Created")
    PAID = "paid", _("Paid")
    FAILED = "failed", _("Failed")
    CANCELLED = "cancelled", _("Cancelled")


class MatchStatus(models.TextChoices):
    MATCHED = "matched", _("Matched")
    TO_POST = "to_post", _("Missing in Urja: posts when approved")
    POSTED_LATE = "posted_late", _("Missing in Urja: posted now (late)")
    MISSING_IN_FILE = "missing_in_file", _("Missing in the file")
    AMOUNT_MISMATCH = "amount_mismatch", _("Amount mismatch")
    INVALID = "invalid", _("Invalid line")


class SettlementSourceKind(models.TextChoices):
    BANK = "bank", _("Bank (NEFT/RTGS/IMPS)")
    GATEWAY = "gateway", _("Payment gateway")


class SettlementFileStatus(models.TextChoices):
    PENDING = "pending", _("Awaiting approval")
    POSTED = "posted", _("Approved and posted")
    REJECTED = "rejected", _("Rejected")
