"""Billing in the admin. Cycles and groups are set up here; runs, bills and revisions are made by the
services (bill runs, review, revision) and only looked at here, so that every change goes through
the ledger postings and checks the services make."""

from django.contrib import admin

from urja.org.admin_base import ReadOnlyAdmin, ScopedAdmin

from .models import (
    AnnualCredit,
    Bill,
    BillCycle,
    BillGroup,
    BillRevision,
    BillRun,
    BillRunPartition,
    DepositInterestRate,
)


@admin.register(BillCycle)
class BillCycleAdmin(ScopedAdmin):
    office_field = None
    list_display = ["code", "period_start", "period_end", "issue_date", "due_date"]
    search_fields = ["code"]


@admin.register(BillGroup)
class BillGroupAdmin(ScopedAdmin):
    list_display = ["code", "office", "route", "reading_day"]
    list_select_related = ["office"]
    search_fields = ["code", "office__code", "route"]


class BillRunPartitionInline(admin.TabularInline):
    model = BillRunPartition
    fields = ["office", "status", "accounts", "billed", "held", "skipped", "failed", "error", "finished_at"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(BillRun)
class BillRunAdmin(ReadOnlyAdmin):
    """A run over all offices (no office) is shown only to users who see everything, as in the console."""

    list_display = ["id", "cycle", "office", "status", "accounts", "billed", "held", "failed", "started_by"]
    list_filter = ["status", "cycle"]
    list_select_related = ["cycle", "office", "started_by"]
    inlines = [BillRunPartitionInline]


@admin.register(Bill)
class BillAdmin(ReadOnlyAdmin):
    office_field = "consumer__office"
    list_display = ["bill_number", "consumer", "period", "status", "basis", "units", "payable", "issue_date"]
    list_filter = ["status", "basis", "period"]
    search_fields = ["=bill_number", "=consumer__account_number"]
    list_select_related = ["consumer"]
    raw_id_fields = ["consumer", "run", "revision_of"]


@admin.register(BillRevision)
class BillRevisionAdmin(ReadOnlyAdmin):
    office_field = "consumer__office"
    list_display = ["bill", "consumer", "status", "old_payable", "new_payable", "requested_by", "decided_by"]
    list_filter = ["status"]
    search_fields = ["=bill__bill_number", "=consumer__account_number"]
    list_select_related = ["bill", "consumer", "requested_by", "decided_by"]
    raw_id_fields = ["bill", "consumer", "new_bill"]


@admin.register(DepositInterestRate)
class DepositInterestRateAdmin(ScopedAdmin):
    """The deposit interest rate of each financial year, with its source: data an officer enters."""

    office_field = None
    list_display = ["financial_year", "rate_percent", "uncertain", "source"]


@admin.register(AnnualCredit)
class AnnualCreditAdmin(ReadOnlyAdmin):
    """Deposit interest and solar settlements: posted by `urja deposits interest` / `urja solar settle`."""

    office_field = "consumer__office"
    list_display = [
        "consumer",
        "kind",
        "financial_year",
        "quantity",
        "rate",
        "amount",
        "posted_by",
        "posted_at",
    ]
    list_filter = ["kind", "financial_year"]
    search_fields = ["=consumer__account_number"]
    list_select_related = ["consumer", "posted_by"]
