from django import forms
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.forms import AdminUserCreationForm, UserChangeForm
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext_lazy as _

from urja.org import roles
from urja.org.admin_base import HistoryInline, ReadOnlyAdmin, ScopedAdmin

from . import services
from .models import Holiday, Office, StaffUserChange, User


@admin.register(Office)
class OfficeAdmin(ScopedAdmin):
    office_field = ""
    list_display = ["code", "name", "name_hi", "level", "parent"]
    list_filter = ["level"]
    search_fields = ["code", "name", "name_hi"]
    autocomplete_fields = ["parent"]
    readonly_fields = ["path", "created_at", "updated_at"]

    def get_readonly_fields(self, request, obj=None):
        # An office's code and parent make the path its whole subtree (offices, staff, consumers) is
        # scoped by; changing them would need re-pathing the subtree, which nothing here does.
        if obj is not None:
            return [*self.readonly_fields, "code", "level", "parent"]
        return self.readonly_fields


class StaffUserChangeInline(HistoryInline):
    model = StaffUserChange
    fk_name = "user"
    verbose_name_plural = _("rights history")


class _RightsChecked:
    """Shows, as a form error, why `services.staff_user_rights_check` would refuse the rights posted
    (the service checks again when saving, so a crafted request gains nothing)."""

    request_user = None  # set per request by StaffUserAdmin.get_form

    rights_reason = forms.CharField(
        label=_("Reason for a change of rights"),
        max_length=255,
        required=False,
        help_text=_("Kept in the user's rights history; needed when the role, office or access changes."),
    )

    def _check_rights(self, cleaned: dict, user: User | None) -> None:
        rights = {name: cleaned[name] for name in services.RIGHTS if name in self.fields and name in cleaned}
        try:
            services.staff_user_rights_check(by=self.request_user, user=user, rights=rights)
        except PermissionDenied as exc:
            raise ValidationError(str(exc))
        changed = user is not None and any(getattr(user, name) != value for name, value in rights.items())
        if changed and not (cleaned.get("rights_reason") or "").strip():
            self.add_error("rights_reason", _("Say why this user's rights are changed."))


class StaffUserChangeForm(_RightsChecked, UserChangeForm):
    rights_reason = _RightsChecked.rights_reason

    def clean(self):
        cleaned = super().clean()
        self._check_rights(cleaned, User.objects.select_related("office").get(pk=self.instance.pk))
        return cleaned


class StaffUserCreationForm(_RightsChecked, AdminUserCreationForm):
    rights_reason = _RightsChecked.rights_reason

    def clean(self):
        cleaned = super().clean()
        self._check_rights(cleaned, None)
        return cleaned


@admin.register(User)
class StaffUserAdmin(ScopedAdmin, UserAdmin):
    """Staff users. Rights (role, office, access) change through `org.services`, which refuses a change
    to one's own rights and anything beyond what the administrator holds, and records the change.
    Django's groups and permissions are not used by Urja (roles are), so they are not offered."""

    edit_capability = roles.ADMINISTER
    form = StaffUserChangeForm
    add_form = StaffUserCreationForm
    list_display = ["username", "first_name", "last_name", "role", "office", "is_active", "last_login"]
    list_filter = ["role", "is_active", "office__level"]
    search_fields = ["username", "first_name", "last_name", "office__code"]
    autocomplete_fields = ["office"]
    inlines = [StaffUserChangeInline]
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        (
            _("Personal info"),
            {"fields": ("first_name", "last_name", "email", "mobile", "preferred_language")},
        ),
        (
            _("Rights"),
            {"fields": ("role", "office", "is_active", "is_staff", "is_superuser", "rights_reason")},
        ),
        (_("Important dates"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (
            None,
            {
                "classes": ("wide",),
                "fields": ("username", "usable_password", "password1", "password2"),
            },
        ),
        (_("Rights"), {"fields": ("role", "office", "is_superuser", "rights_reason")}),
    )

    def has_change_permission(self, request, obj=None):
        if not super().has_change_permission(request, obj):
            return False
        return obj is None or services.may_manage(request.user, obj)

    def has_delete_permission(self, request, obj=None):
        return False  # a user is retired by clearing "active"; the history stays

    def get_readonly_fields(self, request, obj=None):
        readonly = ["last_login", "date_joined"]
        if not request.user.is_superuser:
            readonly.append("is_superuser")
            if obj is not None:
                readonly.append("office")
        if obj is not None and obj.pk == request.user.pk:
            readonly += [name for name in services.RIGHTS if name not in readonly]
        return readonly

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if obj is not None and (obj.pk == request.user.pk or not self.has_change_permission(request, obj)):
            # Nothing of the rights can change here, so no reason is asked for.
            fieldsets = [
                (name, {**options, "fields": [f for f in options["fields"] if f != "rights_reason"]})
                for name, options in fieldsets
            ]
        return fieldsets

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        form.request_user = request.user  # get_form builds a new class per request
        return form

    def save_model(self, request, obj, form, change):
        data = form.cleaned_data
        reason = (data.get("rights_reason") or "").strip()
        if change:
            changes = {
                name: data[name]
                for name in form.changed_data
                if name in data and name in (*services.RIGHTS, *services.PROFILE)
            }
            services.staff_user_update(
                user=User.objects.get(pk=obj.pk), by=request.user, reason=reason, **changes
            )
        else:
            created = services.staff_user_create(
                by=request.user,
                username=data["username"],
                password=data.get("password1") if data.get("set_usable_password", True) else None,
                role=data.get("role") or obj.role,
                office=data.get("office"),
                is_superuser=bool(data.get("is_superuser")),
                reason=reason,
            )
            obj.pk = created.pk
        obj.refresh_from_db()


@admin.register(StaffUserChange)
class StaffUserChangeAdmin(ReadOnlyAdmin):
    """The rights history, read-only, for the users the administrator sees."""

    office_field = "user__office"
    list_display = ["changed_at", "user", "field", "old_value", "new_value", "changed_by", "reason"]
    list_filter = ["field"]
    search_fields = ["=user__username"]
    list_select_related = ["user", "changed_by"]


@admin.register(Holiday)
class HolidayAdmin(ScopedAdmin):
    # The holiday calendar is a master of the whole state (local holidays included): changed only by
    # a system administrator who sees every office, like tariffs and bill cycles.
    office_field = None
    list_display = ["date", "name", "name_hi", "office"]
    list_filter = ["office"]
    search_fields = ["name", "name_hi"]
    date_hierarchy = "date"
    autocomplete_fields = ["office"]
