"""Reads of disconnection notices, office-scoped (NotFound outside the caller's offices)."""

from django.db.models import QuerySet

from urja.common import clock
from urja.common.errors import NotFound
from urja.org.selectors import scope_for_user

from .models import DisconnectionNotice, NoticeStatus


def notices_for(user) -> QuerySet[DisconnectionNotice]:
    return scope_for_user(
        DisconnectionNotice.objects.select_related("consumer", "office", "work_order"), user
    )


def notice_get(*, principal, notice_id: int) -> DisconnectionNotice:
    notice = notices_for(principal).filter(pk=notice_id).first()
    if notice is None:
        raise NotFound("no such notice")
    return notice


def notices_due_for_order(user) -> QuerySet[DisconnectionNotice]:
    """Served notices whose notice period is over (an order may be issued)."""
    return notices_for(user).filter(status=NoticeStatus.SERVED, action_from__lte=clock.today())


def notices_ordered(user) -> QuerySet[DisconnectionNotice]:
    return notices_for(user).filter(status=NoticeStatus.ORDERED)
