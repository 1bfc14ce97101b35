from django.contrib import admin

from urja.common.admin import ScopedAdmin

from .models import Partner, StaffToken


@admin.register(Partner)
class PartnerAdmin(ScopedAdmin):
    office_field = None
    list_display = ["name", "key_prefix", "office", "is_active", "last_used_at"]
    readonly_fields = ["key_prefix", "last_used_at", "created_at"]
    search_fields = ["name"]

    def get_queryset(self, request):
        qs = super().get_queryset(request)
        return qs if request.user.sees_everything else qs.none()

    def has_add_permission(self, request):
        # A key is issued by `urja partner create`, which shows it once; a partner added here would
        # have none (and a second such one would clash on the empty key).
        return False


@admin.register(StaffToken)
class StaffTokenAdmin(ScopedAdmin):
    office_field = "user__office"
    list_display = ["user", "created_at", "expires_at", "last_used_at"]
    readonly_fields = ["user", "expires_at", "last_used_at"]

    def has_add_permission(self, request):
        return False
