from decimal import Decimal

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from urja.common.models import TimeStampedModel
from urja.customers.models import Consumer
from urja.ledger.models import LedgerEntry
from urja.org.models import Office

from .choices import BillBasis, BillStatus, RevisionStatus, RunStatus

PERIOD_VALIDATOR = RegexValidator(r"^\d{4}-(0[1-9]|1[0-2])$", _("Use YYYY-MM."))
MONEY = {"max_digits": 14, "decimal_places": 2, "default": Decimal("0.00")}


class BillCycle(TimeStampedModel):
    """A billing month: every active account gets one bill for it."""

    code = models.CharField(_("cycle"), max_length=7, unique=True, validators=[PERIOD_VALIDATOR])
    period_start = models.DateField(_("period start"))
    period_end = models.DateField(_("period end"))
    issue_date = models.DateField(_("issue date"))
    due_date = models.DateField(_("due date"))

    class Meta:
        ordering = ["-code"]
        verbose_name = _("bill cycle")
        verbose_name_plural = _("bill cycles")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(period_start__lt=models.F("period_end")), name="cycle_start_before_end"
            )
        ]

    def __str__(self) -> str:
        return self.code


class BillGroup(TimeStampedModel):
    """A group of accounts billed together. Today a group is one distribution centre (created when it is
    first billed); consumers carry no route yet, so `route` is reserved for splitting a DC by reading
    route later. A bill run is partitioned by group, each partition billed and committed as a whole."""

    code = models.CharField(_("code"), max_length=30, unique=True)
    office = models.ForeignKey(
        Office, verbose_name=_("distribution centre"), on_delete=models.PROTECT, related_name="bill_groups"
    )
    route = models.CharField(_("route"), max_length=20, blank=True)
    reading_day = models.PositiveSmallIntegerField(_("reading day of month"), default=1)

    class Meta:
        ordering = ["code"]
        verbose_name = _("bill group")
        verbose_name_plural = _("bill groups")

    def __str__(self) -> str:
        return self.code


class BillRun(TimeStampedModel):
    cycle = models.ForeignKey(BillCycle, on_delete=models.PROTECT, related_name="runs")
    office = models.ForeignKey(
        Office,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("Scope; empty: all offices"),
    )
    status = models.CharField(_("status"), max_length=8, choices=RunStatus.choices, default=RunStatus.PENDING)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    accounts = models.PositiveIntegerField(_("accounts"), default=0)
    billed = models.PositiveIntegerField(_("issued"), default=0)
    held = models.PositiveIntegerField(_("held"), default=0)
    skipped = models.PositiveIntegerField(_("already billed"), default=0)
    failed = models.PositiveIntegerField(_("failed"), default=0)
    partitions_total = models.PositiveIntegerField(default=0)
    partitions_done = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("bill run")
        verbose_name_plural = _("bill runs")

    def __str__(self) -> str:
        return f"run {self.pk} {self.cycle_id}"

    @property
    def progress_percent(self) -> int:
        return int(100 * self.partitions_done / self.partitions_total) if self.partitions_total else 0

    @property
    def held_percent(self) -> Decimal:
        done = self.billed + self.held
        return (Decimal(100) * self.held / done).quantize(Decimal("0.01")) if done else Decimal("0.00")


class BillRunPartition(models.Model):
    """One distribution centre of a run: billed in one transaction, so a crash leaves it whole or untouched."""

    run = models.ForeignKey(BillRun, on_delete=models.CASCADE, related_name="partitions")
    group = models.ForeignKey(BillGroup, null=True, on_delete=models.PROTECT, related_name="partitions")
    office = models.ForeignKey(Office, on_delete=models.PROTECT, related_name="+")
    status = models.CharField(max_length=8, choices=RunStatus.choices, default=RunStatus.PENDING)
    accounts = models.PositiveIntegerField(default=0)
    billed = models.PositiveIntegerField(default=0)
    held = models.PositiveIntegerField(default=0)
    skipped = models.PositiveIntegerField(default=0)
    failed = models.PositiveIntegerField(default=0)
    error = models.TextField(blank=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["run_id", "office__code"]
        constraints = [models.UniqueConstraint(fields=["run", "office"], name="partition_once_per_run")]

    def __str__(self) -> str:
        return f"run {self.run_id} / {self.office_id}"


class Bill(models.Model):
    """A consumer's bill for one period. One bill per account per period (cancelled ones aside), which
    the database enforces. Money is posted to the ledger when the bill is issued; a bill's amounts
    never change afterwards — a revision cancels it (reversing its ledger entries) and issues another."""

    consumer = models.ForeignKey(Consumer, on_delete=models.PROTECT, related_name="bills")
    period = models.CharField(_("period"), max_length=7, validators=[PERIOD_VALIDATOR])
    period_start = models.DateField(_("period start"))
    period_end = models.DateField(_("period end"))
    # Unique by a constraint in Meta, not unique=True: on PostgreSQL that would add a second
    # (LIKE-pattern) index that no query uses.
    bill_number = models.CharField(_("bill number"), max_length=24)
    # Indexed by bill_run_status (run, status); a second index on run alone would only cost writes.
    run = models.ForeignKey(
        BillRun, null=True, blank=True, on_delete=models.SET_NULL, related_name="bills", db_index=False
    )
    status = models.CharField(_("status"), max_length=10, choices=BillStatus.choices)
    hold_reasons = models.CharField(_("held because"), max_length=120, blank=True)
    basis = models.CharField(_("bill basis"), max_length=4, choices=BillBasis.choices)
    category = models.CharField(_("category billed"), max_length=16)
    sanctioned_load = models.DecimalField(max_digits=9, decimal_places=2)
    load_unit = models.CharField(max_length=3)
    units = models.DecimalField(_("units billed"), max_digits=12, decimal_places=2, null=True, blank=True)
    kvah = models.DecimalField(_("kVAh billed"), max_digits=12, decimal_places=2, null=True, blank=True)
    true_up_units = models.DecimalField(max_digits=12, decimal_places=2, default=Decimal("0"))
    # The provisional periods the true-up re-billed (engine TrueUpPeriod dicts), so a revision prices it
    # again the same way.
    true_up_periods = models.JSONField(default=list, blank=True)
    reading_status = models.CharField(_("reading status"), max_length=4, blank=True)
    closing_reading_id = models.BigIntegerField(null=True, blank=True)
    flag_assessment = models.BooleanField(_("assessment visit needed"), default=False)
    energy_charge = models.DecimalField(**MONEY)
    fixed_charge = models.DecimalField(**MONEY)
    min_charge_topup = models.DecimalField(**MONEY)
    true_up = models.DecimalField(**MONEY)
    electricity_duty = models.DecimalField(**MONEY)
    fppas = models.DecimalField(**MONEY)
    rebate = models.DecimalField(**MONEY)
    subsidy = models.DecimalField(**MONEY)
    penalty = models.DecimalField(**MONEY)
    lpsc = models.DecimalField(**MONEY)
    arrears = models.DecimalField(**MONEY)
    current_charges = models.DecimalField(_("current charges"), **MONEY)
    round_off = models.DecimalField(**MONEY)
    payable = models.DecimalField(_("amount payable"), **MONEY)
    payable_after_due = models.DecimalField(_("payable after due date"), **MONEY)
    lines = models.JSONField(_("line items"), default=list)
    notes = models.JSONField(default=list, blank=True)
    issue_date = models.DateField(_("issue date"))
    due_date = models.DateField(_("due date"))
    # One revision per bill: the partial unique constraint `bill_revised_once` (not a one-to-one field's
    # full unique index, which held a NULL for every bill that revises nothing; decision 0054).
    revision_of = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="revised_by", db_index=False
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,  # a partial index (Meta): most bills are never reviewed
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    cancelled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,  # a partial index (Meta)
    )
    cancelled_at = models.DateTimeField(null=True, blank=True)
    cancel_reason = models.CharField(max_length=255, blank=True)
    # Rooftop solar: the export units billed or credited, the units banked after this bill (net
    # metering: carried to the next bill of the settlement year), gross metering's export credit.
    export_units = models.DecimalField(
        _("units exported"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    banked_units = models.DecimalField(
        _("solar units banked"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    solar_credit = models.DecimalField(**MONEY)
    late_rebate = models.DecimalField(**MONEY)

    class Meta:
        ordering = ["consumer_id", "-period", "-id"]
        verbose_name = _("bill")
        verbose_name_plural = _("bills")
        constraints = [
            models.UniqueConstraint(
                fields=["consumer", "period"],
                condition=~models.Q(status="cancelled"),
                name="one_bill_per_account_period",
            ),
            models.UniqueConstraint(fields=["bill_number"], name="bill_number_unique"),
            models.UniqueConstraint(
                fields=["revision_of"],
                condition=models.Q(revision_of__isnull=False),
                name="bill_revised_once",
            ),
            models.CheckConstraint(
                condition=models.Q(period_start__lte=models.F("period_end")), name="bill_period_ordered"
            ),
            models.CheckConstraint(
                condition=models.Q(units__isnull=True) | models.Q(units__gte=0),
                name="bill_units_non_negative",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "period"], name="bill_status_period"),
            models.Index(fields=["run", "status"], name="bill_run_status"),
            # Who reviewed or cancelled: the few rows that have one (docs/decisions/0053).
            models.Index(
                fields=["reviewed_by"], condition=models.Q(reviewed_by__isnull=False), name="bill_reviewed_by"
            ),
            models.Index(
                fields=["cancelled_by"],
                condition=models.Q(cancelled_by__isnull=False),
                name="bill_cancelled_by",
            ),
            # The command centre's "billed today / this month" (urja.mis.dashboard.revenue): covering on
            # PostgreSQL (an index-only scan of the month's issued bills; SQLite ignores INCLUDE).
            models.Index(
                fields=["issue_date"],
                include=["consumer", "current_charges", "subsidy"],
                condition=models.Q(status="issued"),
                name="bill_issued_on",
            ),
        ]

    def __str__(self) -> str:
        return self.bill_number

    @property
    def hold_reason_list(self) -> list[str]:
        return [code for code in self.hold_reasons.split(",") if code]


class BillRevision(TimeStampedModel):
    """A request to cancel a bill and issue a corrected one. Small changes are applied at once by an
    officer who may review bills; above the configured amount a higher role approves (never the maker)."""

    bill = models.ForeignKey(Bill, on_delete=models.PROTECT, related_name="revisions")
    consumer = models.ForeignKey(Consumer, on_delete=models.PROTECT, related_name="+")
    status = models.CharField(max_length=8, choices=RevisionStatus.choices, default=RevisionStatus.PENDING)
    reason = models.CharField(_("reason"), max_length=255)
    new_units = models.DecimalField(
        _("corrected units"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    new_basis = models.CharField(max_length=4, choices=BillBasis.choices, blank=True)
    old_payable = models.DecimalField(**MONEY)
    new_payable = models.DecimalField(**MONEY)
    # The change from the bill the period's approval limit counts from: the bill as first issued, or
    # the last one a second officer approved (so chained small revisions add up).
    cumulative_difference = models.DecimalField(_("change for the period"), **MONEY)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    new_bill = models.OneToOneField(Bill, null=True, blank=True, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("bill revision")
        verbose_name_plural = _("bill revisions")

    def __str__(self) -> str:
        return f"revision of {self.bill_id} ({self.status})"

    @property
    def difference(self) -> Decimal:
        return self.new_payable - self.old_payable


class DepositInterestRate(TimeStampedModel):
    """The interest rate on security deposits for one financial year (the bank rate the Supply Code
    points to), with where the figure comes from. Data, not code: an officer enters the next year's."""

    financial_year = models.CharField(
        _("financial year"),
        max_length=7,
        unique=True,
        validators=[RegexValidator(r"^\d{4}-\d{2}$", _("Use YYYY-YY, e.g. 2025-26."))],
    )
    rate_percent = models.DecimalField(_("rate (% a year)"), max_digits=5, decimal_places=2)
    source = models.TextField(_("source"))
    uncertain = models.BooleanField(_("figure not yet confirmed"), default=False)

    class Meta:
        ordering = ["-financial_year"]
        verbose_name = _("deposit interest rate")
        verbose_name_plural = _("deposit interest rates")
        constraints = [
            models.CheckConstraint(condition=models.Q(rate_percent__gte=0), name="deposit_rate_non_negative")
        ]

    def __str__(self) -> str:
        return f"{self.financial_year} {self.rate_percent}%"


class AnnualCredit(models.Model):
    """A credit posted once a year per account: interest on the security deposit, or the settlement of
    the solar units still banked at the end of the settlement year. The database keeps it to one per
    account, kind and year, so running the posting again posts nothing twice."""

    class Kind(models.TextChoices):
        DEPOSIT_INTEREST = "sd_interest", _("Interest on security deposit")
        SOLAR_SETTLEMENT = "solar", _("Solar banked units settled")

    consumer = models.ForeignKey(Consumer, on_delete=models.PROTECT, related_name="annual_credits")
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    financial_year = models.CharField(_("financial year"), max_length=7)
    # What the credit was worked out on: the deposit-days and rate, or the banked units and rate.
    quantity = models.DecimalField(_("quantity"), max_digits=16, decimal_places=2)
    rate = models.DecimalField(_("rate"), max_digits=9, decimal_places=4)
    amount = models.DecimalField(_("amount"), max_digits=14, decimal_places=2)
    bill = models.ForeignKey(
        Bill,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("bill settled"),
    )
    ledger_entry = models.OneToOneField(LedgerEntry, on_delete=models.PROTECT, related_name="+")
    posted_at = models.DateTimeField(_("posted at"), auto_now_add=True)
    posted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    reason = models.CharField(_("reason"), max_length=255)

    class Meta:
        ordering = ["-financial_year", "consumer_id", "kind"]
        verbose_name = _("annual credit")
        verbose_name_plural = _("annual credits")
        constraints = [
            models.UniqueConstraint(
                fields=["consumer", "kind", "financial_year"], name="annual_credit_once_per_year"
            ),
            models.CheckConstraint(condition=models.Q(amount__lt=0), name="annual_credit_is_a_credit"),
        ]

    def __str__(self) -> str:
        return f"{self.consumer_id} {self.kind} {self.financial_year} {self.amount}"
