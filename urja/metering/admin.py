from django.contrib import admin

from urja.common.admin import ScopedAdmin
from urja.org import roles

from .models import Meter, MeterInstallation


@admin.register(Meter)
class MeterAdmin(ScopedAdmin):
    office_field = None
    edit_capability = roles.RECORD_READINGS
    list_display = ["serial", "make", "meter_type", "phase", "digits", "has_kvah"]
    list_filter = ["meter_type", "phase"]
    search_fields = ["serial", "make"]


@admin.register(MeterInstallation)
class MeterInstallationAdmin(ScopedAdmin):
    office_field = "consumer__office"
    edit_capability = roles.RECORD_READINGS
    list_display = ["meter", "consumer", "installed_on", "initial_reading", "removed_on", "final_reading"]
    search_fields = ["=meter__serial", "=consumer__account_number"]
    autocomplete_fields = ["meter", "consumer"]
    list_select_related = ["meter", "consumer"]
