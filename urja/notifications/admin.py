"""Templates are data, edited here; the outbox is read-only, numbers masked. A message whose outcome is
unknown may be sent again only by a person who checked with the provider that it never arrived."""

import re

from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from urja.org.admin_base import ReadOnlyAdmin, ScopedAdmin

from .choices import Status
from .models import MessageTemplate, OutboundMessage
from .services import message_requeue


@admin.register(MessageTemplate)
class MessageTemplateAdmin(ScopedAdmin):
    office_field = None
    list_display = ["event", "language", "category", "sender", "dlt_template_id", "is_active"]
    list_filter = ["event", "language", "category", "is_active"]
    search_fields = ["event", "dlt_template_id", "body"]


@admin.register(OutboundMessage)
class OutboundMessageAdmin(ReadOnlyAdmin):
    office_field = None
    list_display = ["id", "template", "to_masked", "channel", "status", "attempts", "created_at", "sent_at"]
    list_filter = ["status", "channel", "template", "category"]
    fields = [
        "template",
        "to_masked",
        "channel",
        "language",
        "category",
        "body_shown",
        "status",
        "attempts",
        "not_before",
        "claimed_at",
        "sent_at",
        "delivered_at",
        "provider",
        "provider_ref",
        "last_error",
        "sender",
        "dlt_template_id",
        "entity_id",
        "consumer_id",
        "dedupe_key",
        "attachment",
        "created_at",
    ]
    readonly_fields = fields
    actions = ["requeue_unknown"]

    @admin.display(description=_("to"))
    def to_masked(self, obj):
        return obj.to_masked

    @admin.display(description=_("message"))
    def body_shown(self, obj):
        # A one-time password is the consumer's key to their account: no staff member reads it.
        if obj.template in ("otp", "email_otp"):
            return re.sub(r"[0-9०-९]", "•", obj.body)
        return obj.body

    def get_actions(self, request):
        # Read-only for everyone but a user who sees every office.
        actions = super().get_actions(request)
        if not request.user.sees_everything:
            actions.pop("requeue_unknown", None)
        return actions

    @admin.action(description=_("Send again (checked with the provider: it never arrived)"))
    def requeue_unknown(self, request, queryset):
        done = sum(message_requeue(message=m) for m in queryset.filter(status=Status.UNKNOWN))
        self.message_user(
            request,
            ngettext("%d message queued again.", "%d messages queued again.", done) % done,
            messages.SUCCESS,
        )
