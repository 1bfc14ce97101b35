from django.contrib import admin

from urja.org.admin_base import ReadOnlyAdmin

from .models import LedgerEntry


@admin.register(LedgerEntry)
class LedgerEntryAdmin(ReadOnlyAdmin):
    """Read-only: entries are posted by services and corrected by reversals, never edited here."""

    office_field = "consumer__office"
    list_display = ["consumer", "entry_date", "entry_type", "amount", "period", "description", "posted_by"]
    list_filter = ["entry_type"]
    search_fields = ["=consumer__account_number"]
    list_select_related = ["consumer", "posted_by"]
    date_hierarchy = "entry_date"
