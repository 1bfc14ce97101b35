"""The field app's records in the admin: looked at, never edited here (route books are assigned from
the supervisor's pages; everything else is written by the sync)."""

from django.contrib import admin

from urja.org.admin_base import ReadOnlyAdmin

from .models import BillMismatch, Conflict, PrintAttempt, ReadingOrder, RouteBook, RouteStop, SyncItem


class RouteStopInline(admin.TabularInline):
    model = RouteStop
    extra = 0
    can_delete = False
    fields = ["seq", "consumer"]
    readonly_fields = fields
    raw_id_fields = ["consumer"]

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_view_permission(self, request, obj=None):
        return request.user.is_active and request.user.is_staff


@admin.register(RouteBook)
class RouteBookAdmin(ReadOnlyAdmin):
    list_display = ["code", "name", "office", "reader", "window_days"]
    search_fields = ["code", "name"]
    inlines = [RouteStopInline]


@admin.register(ReadingOrder)
class ReadingOrderAdmin(ReadOnlyAdmin):
    office_field = "book__office"
    list_display = ["period", "book", "seq", "consumer", "reader", "status"]
    list_filter = ["status", "period"]
    raw_id_fields = ["consumer", "reading", "bill"]


@admin.register(Conflict)
class ConflictAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "kind", "office", "user", "consumer", "resolved_at"]
    list_filter = ["kind"]


@admin.register(BillMismatch)
class BillMismatchAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "bill", "office", "user", "engine_version", "resolved_at"]


@admin.register(SyncItem)
class SyncItemAdmin(ReadOnlyAdmin):
    office_field = "user__office"
    list_display = ["received_at", "kind", "client_id", "user", "result"]
    list_filter = ["kind", "result"]
    search_fields = ["client_id"]


@admin.register(PrintAttempt)
class PrintAttemptAdmin(ReadOnlyAdmin):
    office_field = "user__office"
    list_display = ["at", "bill_number", "receipt_number", "copy", "width_mm", "ok", "user"]
