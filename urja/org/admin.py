from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from urja.org import roles
from urja.org.admin_base import ScopedAdmin

from .models import Office, User


@admin.register(Office)
class OfficeAdmin(ScopedAdmin):
    office_field = ""
    list_display = ["code", "name", "name_hi", "level", "parent"]
    list_filter = ["level"]
    search_fields = ["code", "name", "name_hi"]
    autocomplete_fields = ["parent"]
    readonly_fields = ["path", "created_at", "updated_at"]


@admin.register(User)
class StaffUserAdmin(ScopedAdmin, UserAdmin):
    edit_capability = roles.ADMINISTER
    list_display = ["username", "first_name", "last_name", "role", "office", "is_active", "last_login"]
    list_filter = ["role", "is_active", "office__level"]
    search_fields = ["username", "first_name", "last_name", "office__code"]
    autocomplete_fields = ["office"]
    fieldsets = UserAdmin.fieldsets + (
        ("Urja", {"fields": ("role", "office", "mobile", "preferred_language")}),
    )
    add_fieldsets = UserAdmin.add_fieldsets + (("Urja", {"fields": ("role", "office")}),)
