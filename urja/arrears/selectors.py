"""Reads of adjustments and one-time settlement schemes, limited to the principal's offices."""

from __future__ import annotations

import datetime

from django.db.models import QuerySet

from urja.common.errors import NotFound
from urja.org.selectors import office_q

from .choices import AdjustmentStatus
from .models import Adjustment, OtsRegistration, OtsScheme


def adjustments_for(principal) -> QuerySet[Adjustment]:
    return Adjustment.objects.filter(office_q(principal, field="consumer__office")).select_related("consumer")


def adjustment_get(principal, adjustment_id: int) -> Adjustment:
    adjustment = adjustments_for(principal).filter(pk=adjustment_id).first()
    if adjustment is None:
        raise NotFound("no such adjustment")
    return adjustment


def adjustments_awaiting_from(user) -> QuerySet[Adjustment]:
    """The adjustments `user` made that wait for a checker, oldest first."""
    return adjustments_for(user).filter(made_by=user, status=AdjustmentStatus.PENDING).order_by("created_at")


def ots_schemes() -> QuerySet[OtsScheme]:
    return OtsScheme.objects.all()


def ots_schemes_open(on: datetime.date) -> QuerySet[OtsScheme]:
    """Schemes a consumer may register in on `on`."""
    return OtsScheme.objects.filter(registration_opens__lte=on, registration_closes__gte=on)


def ots_scheme_get(scheme_id) -> OtsScheme | None:
    return OtsScheme.objects.filter(pk=scheme_id).first()


def ots_registrations_for(principal) -> QuerySet[OtsRegistration]:
    return OtsRegistration.objects.filter(office_q(principal, field="consumer__office")).select_related(
        "scheme", "consumer"
    )


def ots_registration_get(principal, registration_id: int) -> OtsRegistration:
    registration = ots_registrations_for(principal).filter(pk=registration_id).first()
    if registration is None:
        raise NotFound("no such registration")
    return registration
