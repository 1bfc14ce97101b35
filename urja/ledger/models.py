from decimal import Decimal

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from urja.customers.models import Consumer

from .choices import EntryType


class AppendOnlyError(Exception):
    """Ledger entries are never changed or deleted; a correction is a new, reversing entry."""


class LedgerEntryQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise AppendOnlyError("ledger entries cannot be updated")

    def delete(self):
        raise AppendOnlyError("ledger entries cannot be deleted")

    def for_user(self, user):
        from urja.org.selectors import office_q

        return self.filter(office_q(user, field="consumer__office"))


class LedgerEntry(models.Model):
    """One line of a consumer's receivable ledger. `amount` is signed: a debit (the consumer owes more:
    bill, surcharge, debit adjustment) is positive, a credit (payment, subsidy, credit adjustment) is
    negative. The balance of an account is the sum of its entries; a positive balance is due."""

    # Indexed by ledger_account_date (consumer, entry_date, id), whose first column it is.
    consumer = models.ForeignKey(
        Consumer, on_delete=models.PROTECT, related_name="ledger_entries", db_index=False
    )
    entry_type = models.CharField(_("type"), max_length=12, choices=EntryType.choices)
    amount = models.DecimalField(_("amount"), max_digits=14, decimal_places=2)
    entry_date = models.DateField(_("date"))
    # For debits: the date from which the amount is overdue (drives ageing and surcharge).
    due_date = models.DateField(_("due date"), null=True, blank=True)
    period = models.CharField(
        _("period"), max_length=7, blank=True, help_text="YYYY-MM of the bill this belongs to"
    )
    description = models.CharField(_("description"), max_length=200)
    # What the description says, as a code and its parameters (receipt number, bill number...), so a
    # statement shows it in the reader's language (urja.ledger.descriptions); "" for older entries,
    # which show their stored description.
    code = models.CharField(_("description code"), max_length=24, blank=True, default="")
    params = models.JSONField(_("description parameters"), blank=True, default=dict)
    # What the entry stands for: ("bill", id), ("payment", id)… Kept as plain values so hot tables
    # carry no cross-table foreign keys (see ARCHITECTURE.md, scale plan).
    source_type = models.CharField(max_length=20, blank=True)
    source_id = models.BigIntegerField(null=True, blank=True)
    # At most one reversal per entry: the partial unique constraint `ledger_reversed_once` below (a
    # one-to-one field's full unique index held a NULL entry for every entry that reverses nothing —
    # nearly all; decision 0054). `entry.reversed_by` is therefore a manager: `.first()` is the reversal.
    reverses = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="reversed_by",
        verbose_name=_("reverses"),
        db_index=False,  # served by ledger_reversed_once
    )
    posted_at = models.DateTimeField(_("posted at"), auto_now_add=True)
    posted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,  # a partial index (Meta): a bill run's entries have no poster
    )
    reason = models.CharField(_("reason"), max_length=255, blank=True)

    objects = LedgerEntryQuerySet.as_manager()

    class Meta:
        ordering = ["consumer_id", "entry_date", "id"]
        verbose_name = _("ledger entry")
        verbose_name_plural = _("ledger entries")
        indexes = [
            models.Index(fields=["consumer", "entry_date", "id"], name="ledger_account_date"),
            models.Index(fields=["source_type", "source_id"], name="ledger_source"),
            models.Index(fields=["entry_type", "entry_date"], name="ledger_type_date"),
            models.Index(
                fields=["posted_by"], condition=models.Q(posted_by__isnull=False), name="ledger_posted_by"
            ),
            # Money collected in a span (the command centre's revenue): payment and subsidy credits by
            # date, covering on PostgreSQL (an index-only scan; SQLite ignores INCLUDE).
            models.Index(
                fields=["entry_date"],
                include=["consumer", "amount"],
                condition=models.Q(entry_type__in=["payment", "subsidy"]),
                name="ledger_credit_date",
            ),
        ]
        constraints = [
            models.CheckConstraint(condition=~models.Q(amount=Decimal("0")), name="ledger_amount_not_zero"),
            models.UniqueConstraint(
                fields=["reverses"], condition=models.Q(reverses__isnull=False), name="ledger_reversed_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.consumer_id} {self.entry_date} {self.entry_type} {self.amount}"

    def save(self, *args, **kwargs):
        if self.pk is not None and not kwargs.get("force_insert"):
            raise AppendOnlyError("ledger entries cannot be changed; post a reversal instead")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError("ledger entries cannot be deleted; post a reversal instead")

    @property
    def is_debit(self) -> bool:
        return self.amount > 0
