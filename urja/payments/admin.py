"""Admin for collections. Money is read-only here: payments are posted, cancelled and bounced by the
services; a cash book is opened and closed at the counter and cannot be touched once closed."""

from django.contrib import admin

from urja.org.admin_base import ReadOnlyAdmin, ScopedAdmin
from urja.org.permissions import is_top

from .choices import CashBookStatus
from .models import CashBook, Counter, Payment, ReceiptSeries, SettlementSource


@admin.register(Counter)
class CounterAdmin(ScopedAdmin):
    list_display = ["code", "name", "office", "is_active"]
    list_filter = ["is_active"]
    search_fields = ["code", "name", "office__code"]
    list_select_related = ["office"]
    autocomplete_fields = ["office"]

    def has_delete_permission(self, request, obj=None):
        # A counter with cash books is history; retire it with "is active" instead.
        if obj is not None and obj.cash_books.exists():
            return False
        return super().has_delete_permission(request, obj)


@admin.register(CashBook)
class CashBookAdmin(ScopedAdmin):
    """Only the cashier of an open book may be changed (a hand-over); a closed book is read-only."""

    office_field = "counter__office"
    list_display = [
        "counter",
        "business_date",
        "cashier",
        "status",
        "cash_expected",
        "cash_counted",
        "verified_by",
    ]
    list_filter = ["status"]
    search_fields = ["counter__code"]
    list_select_related = ["counter", "cashier", "verified_by"]
    date_hierarchy = "business_date"
    readonly_fields = [
        "counter",
        "business_date",
        "status",
        "opened_at",
        "closed_at",
        "denominations",
        "cash_counted",
        "cash_expected",
        "totals",
        "verified_by",
        "verified_at",
    ]

    def get_readonly_fields(self, request, obj=None):
        if obj is not None and obj.status != CashBookStatus.OPEN:
            return [*self.readonly_fields, "cashier"]
        return self.readonly_fields

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        if obj is not None and obj.status != CashBookStatus.OPEN:
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Payment)
class PaymentAdmin(ReadOnlyAdmin):
    office_field = "consumer__office"
    list_display = ["receipt_number", "account_number", "amount", "channel", "status", "paid_at", "source"]
    list_filter = ["channel", "status", "late"]
    search_fields = ["=receipt_number", "=account_number", "=reference"]
    list_select_related = ["consumer"]
    date_hierarchy = "paid_at"
    raw_id_fields = ["consumer", "cash_book", "partner"]


@admin.register(ReceiptSeries)
class ReceiptSeriesAdmin(ReadOnlyAdmin):
    office_field = None
    list_display = ["code", "prefix", "next_number"]
    search_fields = ["code"]


@admin.register(SettlementSource)
class SettlementSourceAdmin(ScopedAdmin):
    """The banks and gateways whose settlement files may be uploaded, and the offices each may post
    to. Added and changed by a system administrator (or a superuser) only, within their offices; never
    deleted once it has files (switch it off with "active")."""

    list_display = ["code", "name", "kind", "source", "office", "partner", "is_active"]
    list_filter = ["kind", "is_active"]
    search_fields = ["code", "name", "namespace", "office__code"]
    list_select_related = ["office", "partner"]
    autocomplete_fields = ["office"]
    readonly_fields = ["source", "created_at", "updated_at"]
    fields = [
        "code",
        "name",
        "kind",
        "namespace",
        "source",
        "office",
        "partner",
        "is_active",
        "created_at",
        "updated_at",
    ]

    def _can_edit(self, request) -> bool:
        return super()._can_edit(request) and is_top(request.user)

    def get_readonly_fields(self, request, obj=None):
        # Its files were matched in its namespace: changing it afterwards would post them elsewhere.
        if obj is not None and obj.files.exists():
            return [*self.readonly_fields, "kind", "namespace"]
        return self.readonly_fields

    def has_delete_permission(self, request, obj=None):
        if obj is not None and obj.files.exists():
            return False
        return super().has_delete_permission(request, obj)
