from django.contrib import admin

from urja.org import roles
from urja.org.admin_base import ScopedAdmin

from .models import DistributionTransformer, Feeder, Substation


class NetworkAdmin(ScopedAdmin):
    edit_capability = roles.MANAGE_NETWORK
    search_fields = ["code", "name"]
    autocomplete_fields = ["office"]


@admin.register(Substation)
class SubstationAdmin(NetworkAdmin):
    list_display = ["code", "name", "office", "capacity_mva"]
    list_filter = ["office__parent"]


@admin.register(Feeder)
class FeederAdmin(NetworkAdmin):
    list_display = ["code", "name", "substation", "office", "feeder_type"]
    list_filter = ["feeder_type"]
    autocomplete_fields = ["office", "substation"]


@admin.register(DistributionTransformer)
class DistributionTransformerAdmin(NetworkAdmin):
    list_display = ["code", "name", "feeder", "office", "capacity_kva"]
    autocomplete_fields = ["office", "feeder"]
