"""Admin base class: office scoping and role capabilities apply in the admin as everywhere else."""

from django import forms
from django.contrib import admin
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction

from urja.common.inputs import DateField
from urja.domain.inputs import ascii_digits
from urja.org import roles
from urja.org.selectors import office_q


class ScopedAdmin(admin.ModelAdmin):
    #: path from the model to its Office ("" for the Office model itself); None = not office-owned.
    office_field: str | None = "office"
    #: capability needed to add/change/delete; viewing needs only an active staff account.
    edit_capability: str = roles.ADMINISTER
    #: Rows that belong to no office (office_field None: tariffs, bill cycles, FPPAS …) are the whole
    #: state's, changed only by a user who sees every office. An admin that scopes its rows another
    #: way (meters) sets this False.
    statewide: bool = True
    list_per_page = 50
    show_full_result_count = False  # counting millions of rows on every page is slow
    # Every date typed in the admin lies between 1900 and 2099 (urja.common.inputs).
    formfield_overrides = {models.DateField: {"form_class": DateField}}

    def get_queryset(self, request):
        qs = super().get_queryset(request)
        if self.office_field is None:
            return qs
        if self.office_field == "":
            return qs.filter(office_q(request.user, field="")) if not request.user.sees_everything else qs
        return qs.filter(office_q(request.user, field=self.office_field))

    def get_search_results(self, request, queryset, search_term):
        # Numbers are stored in ASCII digits: a search typed in Devanagari digits finds them too.
        return super().get_search_results(request, queryset, ascii_digits(search_term))

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        from urja.org.models import Office

        if db_field.related_model is Office and not request.user.sees_everything:
            kwargs["queryset"] = Office.objects.filter(office_q(request.user, field=""))
        elif "queryset" not in kwargs:
            # A key to another office-owned model (consumer, transformer, feeder, user …) offers and
            # accepts only the rows its own admin shows this user; autocomplete alone limits only the
            # search, not what a posted id may be.
            related_admin = self.admin_site._registry.get(db_field.related_model)
            if isinstance(related_admin, ScopedAdmin):
                kwargs["queryset"] = related_admin.get_queryset(request)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def get_inlines(self, request, obj):
        # A record being added has no history yet (and its add form posts none).
        return [inline for inline in self.inlines if obj is not None or not issubclass(inline, HistoryInline)]

    def _can_edit(self, request) -> bool:
        user = request.user
        if self.office_field is None and self.statewide and not user.sees_everything:
            return False
        return user.is_active and user.is_staff and not user.is_read_only and user.can(self.edit_capability)

    def has_view_permission(self, request, obj=None):
        return request.user.is_active and request.user.is_staff

    def has_module_permission(self, request):
        return request.user.is_active and request.user.is_staff

    def has_add_permission(self, request):
        return self._can_edit(request)

    def has_change_permission(self, request, obj=None):
        return self._can_edit(request)

    def has_delete_permission(self, request, obj=None):
        return self._can_edit(request) and request.user.can(roles.ADMINISTER)


class ReadOnlyAdmin(ScopedAdmin):
    """Records made only by services (ledger entries, bills, payments, histories): looked at here,
    never added, changed or deleted, so every change goes through the service's checks and records."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class _DryRun(Exception):
    pass


class ServiceCheckedForm(forms.ModelForm):
    """An admin form whose record is written by a service (with its permission checks, reasons and
    history): the form runs `service_call()` in a rolled-back transaction so the service's refusals
    show on the form, and the admin's `save_model` then calls the service for real."""

    request_user = None  # set per request by the admin's get_form
    #: Service error keys shown at another form field: {"reason": "change_reason"}.
    error_fields: dict[str, str] = {}
    #: False when the service computes part of the record (a reading's units): the model is then
    #: validated by the service alone, and a saved record is not checked again.
    validate_instance = True

    def service_call(self):
        raise NotImplementedError

    def _post_clean(self):
        if self.validate_instance:
            super()._post_clean()
        elif self.instance.pk is not None:
            return
        if self.errors:
            return
        try:
            with transaction.atomic():
                self.service_call()
                raise _DryRun
        except _DryRun:
            pass
        except PermissionDenied as exc:
            self.add_error(None, str(exc))
        except ValidationError as exc:
            errors = exc.error_dict if hasattr(exc, "error_dict") else {None: exc.error_list}
            for field, messages in errors.items():
                field = self.error_fields.get(field, field)
                self.add_error(field if field in self.fields else None, messages)


class HistoryInline(admin.TabularInline):
    """An append-only history under its record: shown to whoever may see the record (Urja's admin
    goes by roles, not by Django's per-model permissions), never added to, changed or deleted here."""

    extra = 0
    can_delete = False
    fields = ["changed_at", "changed_by", "field", "old_value", "new_value", "reason"]
    ordering = ["-changed_at", "-id"]

    def get_readonly_fields(self, request, obj=None):
        return self.fields

    def has_view_permission(self, request, obj=None):
        return request.user.is_active and request.user.is_staff

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
