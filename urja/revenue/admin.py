from django.contrib import admin

from urja.org.admin_base import ScopedAdmin

from .models import InspectionCase


@admin.register(InspectionCase)
class InspectionCaseAdmin(ScopedAdmin):
    """Read-only here: cases change through the console (raise, outcome) and their services."""

    list_display = ["reference", "consumer", "office", "period", "score", "band", "status", "outcome"]
    list_filter = ["status", "outcome", "band"]
    search_fields = ["reference", "consumer__account_number"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
