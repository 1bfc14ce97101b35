from django.contrib import admin

from urja.org.admin_base import ScopedAdmin

from .models import Category, TheftRate, Ticket


@admin.register(Category)
class CategoryAdmin(ScopedAdmin):
    office_field = None
    list_display = ["code", "name_en", "name_hi", "sla_hours", "active", "sort_order"]
    list_editable = ["sla_hours", "active"]
    search_fields = ["code", "name_en", "name_hi"]


@admin.register(TheftRate)
class TheftRateAdmin(ScopedAdmin):
    office_field = None
    list_display = ["effective_from", "hours_per_day", "days", "rate", "factor", "source"]


@admin.register(Ticket)
class TicketAdmin(ScopedAdmin):
    """Read-only here: tickets change through the console's actions (and their services)."""

    list_display = ["number", "category", "office", "status", "level", "filed_at", "due_at"]
    list_filter = ["status", "category", "channel"]
    search_fields = ["number"]
    exclude = ["caller_mobile"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
