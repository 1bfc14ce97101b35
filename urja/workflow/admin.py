"""Items and work orders change only through the engine's services: the admin shows them, scoped."""

from django.contrib import admin

from urja.org.admin_base import ReadOnlyAdmin

from .models import WorkEvent, WorkItem, WorkOrder


class WorkEventInline(admin.TabularInline):
    model = WorkEvent
    extra = 0
    can_delete = False
    fields = ["at", "kind", "action", "from_state", "to_state", "by", "reason"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(WorkItem)
class WorkItemAdmin(ReadOnlyAdmin):
    list_display = [
        "reference",
        "definition_code",
        "state",
        "office",
        "due_at",
        "escalation_level",
        "outcome",
    ]
    list_filter = ["definition_code", "state", "outcome"]
    search_fields = ["reference"]
    inlines = [WorkEventInline]


@admin.register(WorkOrder)
class WorkOrderAdmin(ReadOnlyAdmin):
    list_display = ["reference", "kind", "status", "office", "assigned_to", "due_at"]
    list_filter = ["kind", "status"]
    search_fields = ["reference"]
