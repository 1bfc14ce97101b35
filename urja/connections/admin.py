from django.contrib import admin

from urja.org.admin_base import ScopedAdmin

# ==== New connection ================================================================================
from .models import ConnectionCharge, NewConnectionApplication


@admin.register(ConnectionCharge)
class ConnectionChargeAdmin(ScopedAdmin):
    """The demand-note rates (statewide data: changed by a user who sees every office)."""

    office_field = None
    list_display = [
        "category", "load_from", "load_to", "unit", "processing_fee", "security_deposit_per_unit",
        "line_charge_per_unit", "system_loading_per_unit", "source",
    ]  # fmt: skip
    list_filter = ["category"]


@admin.register(NewConnectionApplication)
class NewConnectionApplicationAdmin(ScopedAdmin):
    """Read-only here: applications change through the process's actions (and their services)."""

    list_display = ["item", "applicant_name", "category", "load", "load_unit", "area_class", "office"]
    list_filter = ["area_class", "category"]
    search_fields = ["item__reference", "applicant_name"]
    exclude = ["mobile", "kyc_number_hash"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


# ==== end of new connection =========================================================================
