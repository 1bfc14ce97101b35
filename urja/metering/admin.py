from decimal import Decimal, InvalidOperation

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from urja.customers.models import Consumer
from urja.org import roles
from urja.org.admin_base import HistoryInline, ReadOnlyAdmin, ScopedAdmin, ServiceCheckedForm
from urja.org.selectors import office_q

from . import services
from .choices import ENTERED_STATUSES, ReadingStatus, TodUnit
from .models import Meter, MeterChange, MeterInstallation, Reading
from .selectors import meters_q


class MeterChangeInline(HistoryInline):
    model = MeterChange


class MeterAdminForm(ServiceCheckedForm):
    """Checked with `meter_create` / `meter_update` (a dry run: their refusals show on the form);
    `MeterAdmin.save_model` then makes the change for real."""

    error_fields = {"reason": "change_reason"}

    change_reason = forms.CharField(
        label=_("Reason for the change"),
        max_length=255,
        required=False,
        help_text=_(
            "Kept in the meter's history. A new multiplying factor applies from the next reading; "
            "units already recorded and billed keep theirs."
        ),
    )

    class Meta:
        model = Meter
        fields = list(services.MASTER_FIELDS)

    def service_call(self):
        data = self.cleaned_data
        reason = (data.get("change_reason") or "").strip()
        fields = {name: data[name] for name in services.MASTER_FIELDS if name in data}
        if self.instance.pk is None:
            return services.meter_create(by=self.request_user, reason=reason, **fields)
        changed = {name: value for name, value in fields.items() if name in self.changed_data}
        return services.meter_update(
            meter=Meter.objects.get(pk=self.instance.pk), by=self.request_user, reason=reason, **changed
        )


@admin.register(Meter)
class MeterAdmin(ScopedAdmin):
    """The meter master, for the meters of the user's offices (`selectors.meters_for`). Officers
    (MANAGE_METERS) change it, through `meter_create` / `meter_update`, with a reason kept in the
    meter's history; everyone else only looks."""

    office_field = None  # scoped by `meters_q`: the office holding it, or the connection it is fitted at
    statewide = False
    edit_capability = roles.MANAGE_METERS
    form = MeterAdminForm
    list_display = [
        "serial",
        "make",
        "meter_type",
        "phase",
        "digits",
        "has_kvah",
        "multiplying_factor",
        "office",
    ]
    list_filter = ["meter_type", "phase"]
    search_fields = ["serial", "make"]
    list_select_related = ["office"]
    autocomplete_fields = ["office"]
    inlines = [MeterChangeInline]

    def get_queryset(self, request):
        return super().get_queryset(request).filter(meters_q(request.user))

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        form.request_user = request.user  # get_form builds a new class per request
        return form

    def has_delete_permission(self, request, obj=None):
        return False  # a meter keeps its history; one entered by mistake is corrected, not deleted

    def save_model(self, request, obj, form, change):
        result = form.service_call()
        if not change:
            obj.pk = result.pk
        obj.refresh_from_db()


@admin.register(MeterInstallation)
class MeterInstallationAdmin(ReadOnlyAdmin):
    """Read-only: installing, removing and replacing meters goes through the metering services (which
    check the dates and register values and record who did it); editing an installation here could
    silently change units already billed."""

    office_field = "consumer__office"
    edit_capability = roles.RECORD_READINGS

    list_display = ["meter", "consumer", "installed_on", "initial_reading", "removed_on", "final_reading"]
    search_fields = ["=meter__serial", "=consumer__account_number"]
    autocomplete_fields = ["meter", "consumer"]
    list_select_related = ["meter", "consumer"]


READING_ENTRY_FIELDS = [
    "consumer",
    "reading_date",
    "status",
    "kwh",
    "kvah",
    "max_demand",
    "source",
    "photo",
    "latitude",
    "longitude",
    "remarks",
    "tod_registers",
    "tod_unit",
    "export_kwh",
]


class ReadingAdminForm(ServiceCheckedForm):
    """Checked with `reading_record` (a dry run: its errors show on the form); `ReadingAdmin.save_model`
    then records the reading for real."""

    validate_instance = False  # the service computes the units, status and meter

    class Meta:
        model = Reading
        fields = READING_ENTRY_FIELDS

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "status" in self.fields:
            self.fields["status"].choices = [c for c in ReadingStatus.choices if c[0] in ENTERED_STATUSES]
        if "tod_unit" in self.fields:  # only a TOD meter's reading has TOD registers
            self.fields["tod_unit"].required = False

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        return {
            "consumer": data["consumer"],
            "reading_date": data["reading_date"],
            "kwh": data.get("kwh"),
            "kvah": data.get("kvah"),
            "max_demand": data.get("max_demand"),
            "status": data["status"],
            "source": data["source"],
            "by": self.request_user,
            "latitude": data.get("latitude"),
            "longitude": data.get("longitude"),
            "remarks": data.get("remarks", ""),
            "tod_registers": data.get("tod_registers") or None,
            "tod_unit": data.get("tod_unit") or TodUnit.KWH,
            "export_kwh": data.get("export_kwh"),
        }

    def clean_tod_registers(self):
        """The registers as {slot: Decimal}; JSON numbers or numeric strings are accepted."""
        value = self.cleaned_data.get("tod_registers") or {}
        if not isinstance(value, dict):
            raise ValidationError(_("Give the TOD registers as an object of slot names and values."))
        try:
            return {str(name): Decimal(str(reading)) for name, reading in value.items()}
        except (InvalidOperation, ValueError):
            raise ValidationError(_("Every TOD register value must be a number.")) from None

    def service_call(self):
        return services.reading_record(**self.service_kwargs())


@admin.register(Reading)
class ReadingAdmin(ScopedAdmin):
    """Readings are entered through `reading_record`, so that units are computed and RDF, ADF and CDF
    raised exactly as for readings from the field; a saved reading is read-only here."""

    office_field = "consumer__office"
    edit_capability = roles.RECORD_READINGS
    form = ReadingAdminForm
    list_display = ["account_number", "meter", "reading_date", "kwh", "status", "units", "source"]
    list_filter = ["status", "source", "meter_changed", "rolled_over"]
    search_fields = ["=account_number", "=meter__serial"]
    date_hierarchy = "reading_date"
    autocomplete_fields = ["consumer"]
    list_select_related = ["meter"]
    add_fields = READING_ENTRY_FIELDS
    computed_fields = [
        "account_number",
        "meter",
        "units",
        "kvah_units",
        "tod_units",
        "export_units",
        "units_since",
        "previous_kwh",
        "rolled_over",
        "meter_changed",
        "recorded_by",
        "created_at",
    ]

    def get_fields(self, request, obj=None):
        return self.add_fields if obj is None else self.add_fields + self.computed_fields

    def get_readonly_fields(self, request, obj=None):
        return [] if obj is None else self.add_fields + self.computed_fields

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "consumer":  # only consumers of the user's offices can be chosen
            kwargs["queryset"] = Consumer.objects.filter(office_q(request.user))
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        form.request_user = request.user  # get_form builds a new class per request
        return form

    def save_model(self, request, obj, form, change):
        if change:
            return  # a saved reading is not edited; a correction is a new reading
        reading = services.reading_record(
            **form.service_kwargs(), photo=form.cleaned_data.get("photo") or None
        )
        for field in Reading._meta.concrete_fields:
            setattr(obj, field.attname, getattr(reading, field.attname))


@admin.register(MeterChange)
class MeterChangeAdmin(ReadOnlyAdmin):
    """The meter history, read-only, for the meters the user reaches."""

    office_field = None
    list_display = ["changed_at", "meter", "field", "old_value", "new_value", "changed_by", "reason"]
    list_filter = ["field"]
    search_fields = ["=meter__serial"]
    list_select_related = ["meter", "changed_by"]

    def get_queryset(self, request):
        return super().get_queryset(request).filter(meter__in=Meter.objects.filter(meters_q(request.user)))
