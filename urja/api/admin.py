from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from urja.org.admin_base import ScopedAdmin

from .models import Partner, StaffToken
from .services import staff_token_revoke


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
    list_display = ["user", "created_at", "expires_at", "last_used_at", "revoked_at", "revoked_by"]
    list_filter = [("revoked_at", admin.EmptyFieldListFilter)]
    search_fields = ["user__username"]
    readonly_fields = ["user", "expires_at", "last_used_at", "revoked_at", "revoked_by"]
    actions = ["revoke_tokens"]

    def has_add_permission(self, request):
        return False

    @admin.action(description=_("Revoke the selected tokens"), permissions=["change"])
    def revoke_tokens(self, request, queryset):
        count = staff_token_revoke(tokens=queryset, by=request.user)
        self.message_user(
            request,
            ngettext("%(count)d token revoked.", "%(count)d tokens revoked.", count) % {"count": count},
            messages.SUCCESS,
        )
