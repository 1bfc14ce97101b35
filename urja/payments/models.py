from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator, RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from urja.api.models import Partner
from urja.common.models import TimeStampedModel
from urja.customers.models import Consumer
from urja.org.models import Office

from .choices import (
    CashBookStatus,
    Channel,
    GatewayOrderStatus,
    MatchStatus,
    PaymentStatus,
    SettlementFileStatus,
    SettlementSourceKind,
)

MONEY = {"max_digits": 14, "decimal_places": 2}
POSITIVE = [MinValueValidator(Decimal("0.01"))]


class ReceiptSeries(models.Model):
    """Gapless receipt numbers for one counter or channel: the next number is taken under a row lock
    inside the posting transaction, so a rolled-back posting gives its number back."""

    code = models.CharField(_("series"), max_length=40, unique=True)
    prefix = models.CharField(_("prefix"), max_length=25)
    next_number = models.PositiveBigIntegerField(default=1)

    class Meta:
        ordering = ["code"]
        verbose_name = _("receipt series")
        verbose_name_plural = _("receipt series")

    def __str__(self) -> str:
        return self.code


class Counter(TimeStampedModel):
    """A collection counter (cash window) at an office."""

    code = models.CharField(_("code"), max_length=20, unique=True)
    name = models.CharField(_("name"), max_length=80)
    office = models.ForeignKey(Office, on_delete=models.PROTECT, related_name="counters")
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("collection counter")
        verbose_name_plural = _("collection counters")

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class CashBook(TimeStampedModel):
    """One cashier's day at one counter. Closed with a denomination count that must match the cash
    taken; verified by a supervisor; then immutable (corrections are reversals on a later day)."""

    counter = models.ForeignKey(Counter, on_delete=models.PROTECT, related_name="cash_books")
    business_date = models.DateField(_("date"))
    cashier = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    status = models.CharField(max_length=8, choices=CashBookStatus.choices, default=CashBookStatus.OPEN)
    opened_at = models.DateTimeField(auto_now_add=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    denominations = models.JSONField(
        _("denominations"), default=dict, blank=True, help_text=_('{"500": 12, "200": 3, …}')
    )
    cash_counted = models.DecimalField(_("cash counted"), null=True, blank=True, **MONEY)
    cash_expected = models.DecimalField(_("cash expected"), null=True, blank=True, **MONEY)
    totals = models.JSONField(_("totals by mode"), default=dict, blank=True)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    verified_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-business_date", "counter_id"]
        verbose_name = _("cash book")
        verbose_name_plural = _("cash books")
        constraints = [
            models.UniqueConstraint(fields=["counter", "business_date"], name="one_cash_book_per_counter_day")
        ]

    def __str__(self) -> str:
        return f"{self.counter_id} {self.business_date}"


class Payment(models.Model):
    """Money received for an account. Posted with its ledger entry in one transaction; (source,
    reference) is unique, so a retried or duplicated posting can never post twice. Never edited: a
    bounce or a cancellation adds a reversing ledger entry and marks the payment."""

    # Indexed by payment_account_time (consumer, paid_at), whose first column it is.
    consumer = models.ForeignKey(Consumer, on_delete=models.PROTECT, related_name="payments", db_index=False)
    account_number = models.CharField(_("account number"), max_length=10)
    channel = models.CharField(_("channel"), max_length=12, choices=Channel.choices)
    # The namespace the reference is unique in: "counter:<code>", "partner:<id>", "gateway:<name>", "bank:<name>".
    source = models.CharField(_("source"), max_length=40)
    reference = models.CharField(_("reference"), max_length=64)
    amount = models.DecimalField(_("amount"), validators=POSITIVE, **MONEY)
    paid_at = models.DateTimeField(_("paid at"))
    posted_at = models.DateTimeField(_("posted at"), auto_now_add=True)
    # Unique by a constraint in Meta (no LIKE-pattern index, see Bill.bill_number).
    receipt_number = models.CharField(_("receipt number"), max_length=40)
    status = models.CharField(
        _("status"), max_length=10, choices=PaymentStatus.choices, default=PaymentStatus.POSTED
    )
    cash_book = models.ForeignKey(
        CashBook, null=True, blank=True, on_delete=models.PROTECT, related_name="payments"
    )
    partner = models.ForeignKey(
        Partner, null=True, blank=True, on_delete=models.PROTECT, related_name="payments"
    )
    instrument_number = models.CharField(_("cheque / DD number"), max_length=20, blank=True)
    instrument_bank = models.CharField(_("bank"), max_length=60, blank=True)
    instrument_date = models.DateField(_("instrument date"), null=True, blank=True)
    allocation = models.JSONField(_("allocation"), default=list, blank=True)
    advance = models.DecimalField(_("held as advance"), default=Decimal("0.00"), **MONEY)
    balance_before = models.DecimalField(_("due before payment"), default=Decimal("0.00"), **MONEY)
    late = models.BooleanField(_("posted from a settlement file"), default=False)
    # Partial indexes (Meta) for these two: partner and online payments have no poster, and few
    # payments are ever cancelled.
    posted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,
    )
    cancelled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,
    )
    cancelled_at = models.DateTimeField(null=True, blank=True)
    cancel_reason = models.CharField(max_length=255, blank=True)

    class Meta:
        ordering = ["-posted_at", "-id"]
        verbose_name = _("payment")
        verbose_name_plural = _("payments")
        constraints = [
            models.UniqueConstraint(fields=["source", "reference"], name="one_posting_per_payment_reference"),
            models.UniqueConstraint(fields=["receipt_number"], name="receipt_number_unique"),
            models.CheckConstraint(condition=models.Q(amount__gt=0), name="payment_amount_positive"),
        ]
        indexes = [
            models.Index(fields=["consumer", "paid_at"], name="payment_account_time"),
            models.Index(fields=["paid_at", "channel"], name="payment_time_channel"),
            models.Index(
                fields=["posted_by"], condition=models.Q(posted_by__isnull=False), name="payment_posted_by"
            ),
            models.Index(
                fields=["cancelled_by"],
                condition=models.Q(cancelled_by__isnull=False),
                name="payment_cancelled_by",
            ),
        ]

    def __str__(self) -> str:
        return self.receipt_number


class GatewayOrder(TimeStampedModel):
    """An online payment attempt through a gateway: order → hosted page → redirect → signed webhook."""

    gateway = models.CharField(max_length=20, default="sandbox")
    order_id = models.CharField(max_length=40, unique=True)
    consumer = models.ForeignKey(Consumer, on_delete=models.PROTECT, related_name="+")
    amount = models.DecimalField(validators=POSITIVE, **MONEY)
    bill_number = models.CharField(max_length=24, blank=True)
    status = models.CharField(
        max_length=10, choices=GatewayOrderStatus.choices, default=GatewayOrderStatus.CREATED
    )
    gateway_payment_id = models.CharField(max_length=60, blank=True)
    payment = models.OneToOneField(
        Payment, null=True, blank=True, on_delete=models.PROTECT, related_name="gateway_order"
    )
    return_url = models.CharField(max_length=255, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("gateway order")
        verbose_name_plural = _("gateway orders")

    def __str__(self) -> str:
        return self.order_id


class WebhookEvent(models.Model):
    """Every webhook received, signed or not, kept for audit (bad ones change nothing else)."""

    gateway = models.CharField(max_length=20)
    received_at = models.DateTimeField(auto_now_add=True)
    signature_valid = models.BooleanField()
    event_id = models.CharField(max_length=80, blank=True)
    payload = models.TextField()
    outcome = models.CharField(max_length=120, blank=True)

    class Meta:
        ordering = ["-received_at", "-id"]

    def __str__(self) -> str:
        return f"{self.gateway} {self.event_id} {'ok' if self.signature_valid else 'BAD SIGNATURE'}"


NAME_PART = RegexValidator(
    r"^[A-Za-z0-9_.-]+$", _("Letters, digits, dot, dash and underscore only (no spaces or colons).")
)


class SettlementSource(TimeStampedModel):
    """A bank or gateway registered to send settlement files, with the offices its files may post to.

    Only a registered, active source can be picked for an upload, and only by staff whose office
    overlaps its office (lies within it or contains it); a file's lines post only to accounts under both.
    Its payments are matched in the namespace ``<kind>:<namespace>`` ("bank:SBI", "gateway:sandbox").
    A source may belong to an integration partner (the bank or gateway that also uses the API), whose
    office then bounds the source's; otherwise the source is its own record. Managed in the admin by a
    system administrator."""

    code = models.CharField(
        _("code"),
        max_length=30,
        unique=True,
        validators=[NAME_PART],
        help_text=_("How uploads and the console name the source, e.g. SBI-MVVNL."),
    )
    name = models.CharField(_("name"), max_length=80)
    kind = models.CharField(_("kind"), max_length=8, choices=SettlementSourceKind.choices)
    namespace = models.CharField(
        _("reference namespace"),
        max_length=30,
        validators=[NAME_PART],
        help_text=_('The bank or gateway name its references are unique in: "SBI" for bank:SBI.'),
    )
    # "<kind>:<namespace>", the Payment.source its payments are posted and matched in; set on save.
    source = models.CharField(_("payment source"), max_length=40, editable=False, db_index=True)
    office = models.ForeignKey(
        Office,
        verbose_name=_("office"),
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("A discom or a lower office: files of this source post only to accounts under it."),
    )
    partner = models.ForeignKey(
        Partner,
        verbose_name=_("integration partner"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="settlement_sources",
    )
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("settlement source")
        verbose_name_plural = _("settlement sources")
        constraints = [
            models.UniqueConstraint(fields=["source", "office"], name="settlement_source_once_per_office")
        ]

    def __str__(self) -> str:
        return f"{self.code} ({self.source})"

    def save(self, *args, **kwargs) -> None:
        self.source = f"{self.kind}:{self.namespace}"
        super().save(*args, **kwargs)

    @property
    def usable(self) -> bool:
        return self.is_active and (self.partner_id is None or self.partner.is_active)

    def clean(self) -> None:
        self.source = f"{self.kind}:{self.namespace}"
        if not self.office_id:
            return
        if self.partner_id and self.partner.office_id and not self.partner.office.contains(self.office):
            raise ValidationError(
                {
                    "office": _("The source's office must lie within its partner's office (%(office)s).")
                    % {"office": self.partner.office}
                }
            )
        # One registration per office tree for a namespace, so every payment has one source that
        # reports it (and a day report counts each file line once).
        others = (
            SettlementSource.objects.filter(source=self.source).exclude(pk=self.pk).select_related("office")
        )
        for other in others:
            if other.office.contains(self.office) or self.office.contains(other.office):
                raise ValidationError(
                    {
                        "office": _("%(source)s is already registered for an overlapping office (%(code)s).")
                        % {"source": self.source, "code": other.code}
                    }
                )


class SettlementFile(TimeStampedModel):
    """A bank or gateway settlement file, matched line by line against posted payments. Imported
    PENDING: nothing is posted until a second person approves it (then POSTED) or it is REJECTED."""

    settlement_source = models.ForeignKey(
        SettlementSource,
        verbose_name=_("settlement source"),
        null=True,  # files imported before sources were registered
        blank=True,
        on_delete=models.PROTECT,
        related_name="files",
    )
    source = models.CharField(_("source"), max_length=40)
    # The offices the file may post to: the narrower of the source's office and the uploader's.
    office = models.ForeignKey(Office, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    file_name = models.CharField(max_length=255)
    sha256 = models.CharField(max_length=64)
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField(
        _("status"), max_length=8, choices=SettlementFileStatus.choices, default=SettlementFileStatus.PENDING
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.CharField(max_length=255, blank=True)
    lines_total = models.PositiveIntegerField(default=0)
    amount_total = models.DecimalField(default=Decimal("0.00"), **MONEY)
    summary = models.JSONField(default=dict)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            # The same bytes for the same source once, unless that file was rejected.
            models.UniqueConstraint(
                fields=["source", "sha256"],
                condition=~models.Q(status=SettlementFileStatus.REJECTED),
                name="settlement_file_once",
            )
        ]

    def __str__(self) -> str:
        return f"{self.source} {self.file_name}"


class SettlementLine(models.Model):
    """One line of a file (line 0: a payment Urja has that the file lacks). Never without its file; a
    payment posted from a file points back through the one POSTED_LATE line that posted it."""

    file = models.ForeignKey(SettlementFile, on_delete=models.PROTECT, related_name="lines")
    line_number = models.PositiveIntegerField()
    reference = models.CharField(max_length=64, blank=True)
    account_number = models.CharField(max_length=20, blank=True)
    amount = models.DecimalField(null=True, blank=True, **MONEY)
    paid_at = models.DateTimeField(null=True, blank=True)
    value_date = models.DateField(null=True, blank=True)
    # The channel a late posting of this line uses (from the source's kind or the line's channel column).
    channel = models.CharField(max_length=12, choices=Channel.choices, blank=True)
    status = models.CharField(max_length=16, choices=MatchStatus.choices)
    payment = models.ForeignKey(
        Payment, null=True, blank=True, on_delete=models.PROTECT, related_name="settlement_lines"
    )
    note = models.CharField(max_length=255, blank=True)

    class Meta:
        ordering = ["file_id", "line_number"]
        constraints = [
            models.UniqueConstraint(
                fields=["payment"],
                condition=models.Q(status=MatchStatus.POSTED_LATE),
                name="one_settlement_line_posts_a_payment",
            )
        ]

    def __str__(self) -> str:
        return f"{self.file_id}:{self.line_number} {self.status}"
