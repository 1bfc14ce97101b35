from decimal import Decimal

from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from urja.domain import account_number as acct
from urja.domain import mobile as mob
from urja.domain.inputs import ascii_digits
from urja.org import roles
from urja.org.admin_base import HistoryInline, ReadOnlyAdmin, ScopedAdmin, ServiceCheckedForm

from . import services
from .models import Consumer, ConsumerChange


class ConsumerChangeInline(HistoryInline):
    model = ConsumerChange
    fields = ["changed_at", "changed_by", "source", "field", "old_value", "new_value", "reason"]


class ConsumerAdminForm(ServiceCheckedForm):
    """Checked with `consumer_create` / `consumer_update` (a dry run: their refusals show on the form);
    `ConsumerAdmin.save_model` then makes the change for real."""

    change_reason = forms.CharField(
        label=_("Reason for the change"),
        max_length=255,
        required=False,
        help_text=_("Kept in the consumer's history."),
    )

    class Meta:
        model = Consumer
        exclude = ["kyc_number_hash"]  # noqa: DJ006 - the admin passes its own field list

    # Numbers typed in Devanagari (or any script's) digits are taken as ASCII before the model's
    # validation and uniqueness check, so they find an existing account instead of making a second.
    def clean_account_number(self):
        try:
            return acct.normalize(self.cleaned_data["account_number"])
        except acct.InvalidAccountNumber as exc:
            raise forms.ValidationError(_(str(exc)), code="invalid_account_number")

    def clean_mobile(self):
        value = (self.cleaned_data.get("mobile") or "").strip()
        if not value:
            return ""
        try:
            return mob.normalize(value)
        except mob.InvalidMobile as exc:
            raise forms.ValidationError(_(str(exc)), code="invalid_mobile")

    def clean_pincode(self):
        return ascii_digits(self.cleaned_data.get("pincode") or "").strip()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "duty_exempt_percent" in self.fields:  # left empty: no exemption
            self.fields["duty_exempt_percent"].required = False

    def clean_duty_exempt_percent(self):
        value = self.cleaned_data.get("duty_exempt_percent")
        return Decimal("0.00") if value is None else value

    def clean(self):
        cleaned = super().clean()
        if self.instance.pk and self.has_changed() and not (cleaned.get("change_reason") or "").strip():
            self.add_error("change_reason", _("Say why the consumer's record is changed."))
        return cleaned

    def service_call(self):
        data = self.cleaned_data
        model_fields = {f.name for f in Consumer._meta.concrete_fields}
        if self.instance.pk is None:
            fields = {name: value for name, value in data.items() if name in model_fields}
            return services.consumer_create(
                by=self.request_user, source=ConsumerChange.Source.ADMIN, **fields
            )
        changes = {name: data[name] for name in self.changed_data if name in data and name in model_fields}
        return services.consumer_update(
            consumer=Consumer.objects.get(pk=self.instance.pk),
            by=self.request_user,
            source=ConsumerChange.Source.ADMIN,
            reason=(data.get("change_reason") or "").strip() or "admin edit",
            **changes,
        )


@admin.register(Consumer)
class ConsumerAdmin(ScopedAdmin):
    form = ConsumerAdminForm
    edit_capability = roles.EDIT_CONSUMERS
    list_display = [
        "account_number",
        "name",
        "village_town",
        "district",
        "category",
        "load_display",
        "masked_mobile",
        "status",
        "office",
    ]
    list_filter = ["status", "category", "area_type", "phase"]
    search_fields = ["=account_number", "name", "=mobile"]
    autocomplete_fields = ["office", "dt"]
    # The proved e-mail is the consumer's proof (a code typed back), never an officer's entry.
    readonly_fields = ["masked_mobile", "kyc_number_masked", "verified_email", "created_at", "updated_at"]
    exclude = ["kyc_number_hash"]
    inlines = [ConsumerChangeInline]
    list_select_related = ["office"]

    def lookup_allowed(self, lookup, value, request=None):
        # A masked value is not to be read back digit by digit through the changelist's filters
        # (?mobile__startswith=98…); the search box still finds a consumer by the whole number.
        if lookup.split("__")[0] in {"mobile", "kyc_number_masked", "kyc_number_hash"}:
            return False
        return super().lookup_allowed(lookup, value, request)

    @admin.display(description="mobile")
    def masked_mobile(self, obj):
        return obj.mobile_masked

    def get_fields(self, request, obj=None):
        # The full mobile only to users who may edit it; everyone else sees it masked.
        hidden = "masked_mobile" if self._can_edit(request) else "mobile"
        return [name for name in super().get_fields(request, obj) if name != hidden]

    def get_readonly_fields(self, request, obj=None):
        readonly = list(super().get_readonly_fields(request, obj))
        if obj is not None:
            readonly += list(services.FIXED_FIELDS)
        if not request.user.can(roles.EDIT_CONNECTIONS):
            # What the connection is billed on is an officer's; a JE corrects contact particulars.
            editable = {*services.CONTACT_FIELDS, "change_reason", *readonly}
            readonly += [name for name in self._field_names() if name not in editable]
        return readonly

    def _field_names(self) -> list[str]:
        return [
            f.name
            for f in Consumer._meta.concrete_fields
            if f.editable and f.name not in {"id", *self.exclude}
        ]

    def has_add_permission(self, request):
        return super().has_add_permission(request) and request.user.can(roles.EDIT_CONNECTIONS)

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        form.request_user = request.user  # get_form builds a new class per request
        return form

    def save_model(self, request, obj, form, change):
        # Through the service, so every change lands in the consumer's history.
        result = form.service_call()
        if not change:
            obj.pk = result.pk
        obj.refresh_from_db()


@admin.register(ConsumerChange)
class ConsumerChangeAdmin(ReadOnlyAdmin):
    office_field = "consumer__office"
    list_display = ["changed_at", "consumer", "field", "old_value", "new_value", "changed_by", "source"]
    list_filter = ["source", "field"]
    search_fields = ["=consumer__account_number"]
    list_select_related = ["consumer", "changed_by"]
