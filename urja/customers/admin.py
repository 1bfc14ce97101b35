from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from urja.common.admin import ScopedAdmin
from urja.domain import account_number as acct
from urja.domain import mobile as mob
from urja.domain.inputs import ascii_digits
from urja.org import roles

from . import services
from .models import Consumer, ConsumerChange


class ConsumerChangeInline(admin.TabularInline):
    model = ConsumerChange
    extra = 0
    can_delete = False
    fields = ["changed_at", "changed_by", "source", "field", "old_value", "new_value", "reason"]
    readonly_fields = fields
    ordering = ["-changed_at", "-id"]

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class ConsumerAdminForm(forms.ModelForm):
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

    def clean(self):
        cleaned = super().clean()
        if self.instance.pk and self.has_changed() and not (cleaned.get("change_reason") or "").strip():
            self.add_error("change_reason", _("Say why the consumer's record is changed."))
        return cleaned


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
    readonly_fields = ["masked_mobile", "kyc_number_masked", "created_at", "updated_at"]
    exclude = ["kyc_number_hash"]
    inlines = [ConsumerChangeInline]
    list_select_related = ["office"]

    @admin.display(description="mobile")
    def masked_mobile(self, obj):
        return obj.mobile_masked

    def get_fields(self, request, obj=None):
        # The full mobile only to users who may edit it; everyone else sees it masked.
        hidden = "masked_mobile" if self._can_edit(request) else "mobile"
        return [name for name in super().get_fields(request, obj) if name != hidden]

    def save_model(self, request, obj, form, change):
        # Go through the service so every change lands in the consumer's history.
        data = {
            name: form.cleaned_data[name]
            for name in form.changed_data
            if name in form.cleaned_data and name != "change_reason"
        }
        if change:
            fresh = Consumer.objects.get(pk=obj.pk)
            services.consumer_update(
                consumer=fresh,
                by=request.user,
                source=ConsumerChange.Source.ADMIN,
                reason=form.cleaned_data.get("change_reason", "").strip() or "admin edit",
                **data,
            )
            obj.refresh_from_db()
        else:
            fields = {
                f.name: getattr(obj, f.name)
                for f in Consumer._meta.concrete_fields
                if f.name not in {"id", "created_at", "updated_at"}
            }
            created = services.consumer_create(by=request.user, source=ConsumerChange.Source.ADMIN, **fields)
            obj.pk = created.pk


@admin.register(ConsumerChange)
class ConsumerChangeAdmin(ScopedAdmin):
    office_field = "consumer__office"
    list_display = ["changed_at", "consumer", "field", "old_value", "new_value", "changed_by", "source"]
    list_filter = ["source", "field"]
    search_fields = ["=consumer__account_number"]
    list_select_related = ["consumer", "changed_by"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
