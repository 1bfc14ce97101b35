import json

from django import forms
from django.contrib import admin
from django.utils.html import format_html_join

from urja.org.admin_base import ScopedAdmin

from .models import FppasRate, NormativeUsage, TariffVersion


class TariffVersionForm(forms.ModelForm):
    schedule = forms.JSONField(
        widget=forms.Textarea(attrs={"rows": 24, "cols": 90, "style": "font-family: monospace"})
    )

    class Meta:
        model = TariffVersion
        fields = ["category", "label", "effective_from", "effective_to", "schedule", "source"]


@admin.register(TariffVersion)
class TariffVersionAdmin(ScopedAdmin):
    """A new tariff order: "Save as new" on the current version, change the effective date and the
    numbers. The engine splits bills whose period spans the change."""

    office_field = None
    form = TariffVersionForm
    save_as = True
    list_display = ["category", "label", "effective_from", "effective_to", "fixed_and_slabs"]
    list_filter = ["category", "label"]
    readonly_fields = ["rendered", "created_by", "created_at", "updated_at"]

    @admin.display(description="fixed charge and slabs")
    def fixed_and_slabs(self, obj):
        parts = []
        for band in obj.schedule.get("bands", []):
            upto = f"≤{band['upto_load']} " if band.get("upto_load") else ""
            slabs = ", ".join(f"{s['upto'] or '∞'}@{s['rate']}" for s in band.get("slabs", []))
            parts.append(f"{upto}Rs {band['fixed_rate']}/{obj.schedule.get('load_unit')} {slabs or 'flat'}")
        return "; ".join(parts)

    @admin.display(description="schedule as read by the engine")
    def rendered(self, obj):
        if not obj.pk:
            return "-"
        data = obj.to_domain().to_dict()
        return format_html_join(
            "", "<div><b>{}</b>: {}</div>", ((k, json.dumps(v, ensure_ascii=False)) for k, v in data.items())
        )

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)


@admin.register(FppasRate)
class FppasRateAdmin(ScopedAdmin):
    office_field = None
    list_display = ["month", "percent", "source"]
    search_fields = ["month"]


@admin.register(NormativeUsage)
class NormativeUsageAdmin(ScopedAdmin):
    """Normative units for assessing defective or missing meters, per category and load band."""

    office_field = None
    list_display = ["category", "upto_load", "units_per_load", "uncertain", "source"]
    list_filter = ["category", "uncertain"]
