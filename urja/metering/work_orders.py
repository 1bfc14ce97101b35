"""A meter replacement work order, completed (at the office or synced from the field app), replaces
the meter: the old meter's final reading closes it and the new meter is installed with its initial
reading, on the day the work was done. Called inside the completion's transaction, so a refusal here
(unknown serial, a meter the office does not hold, a value that does not fit) leaves the order open."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from urja.common import clock
from urja.workflow.services import WorkOrderRefused

from .models import Meter
from .services import meter_replace

#: The result's reading registers a replacement is completed with (the field app's names).
OLD_FINAL = "old_final_kwh"
NEW_SERIAL = "new_meter_serial"
NEW_INITIAL = "new_initial_kwh"


def _decimal(value, label: str) -> Decimal:
    try:
        number = Decimal(str(value).strip())
    except InvalidOperation:
        raise WorkOrderRefused(_("%(label)s is not a number.") % {"label": label}) from None
    if not number.is_finite() or number < 0:
        raise WorkOrderRefused(_("%(label)s is not a number.") % {"label": label})
    return number


def _held_for(office, meter: Meter) -> bool:
    """The new meter is held by the order's office (or an office under it), or lies in the store of an
    office above it (a division's store serves its DCs)."""
    if meter.office_id is None:
        return False
    return office.path.startswith(meter.office.path) or meter.office.path.startswith(office.path)


def on_meter_replacement_done(order) -> None:
    values = {str(r.get("register")): r.get("value") for r in order.result.get("readings", [])}
    if order.consumer_id is None:
        raise WorkOrderRefused(_("A meter replacement names the consumer."))
    if not values.get(NEW_SERIAL) or values.get(OLD_FINAL) in (None, ""):
        raise WorkOrderRefused(
            _(
                "A meter replacement is completed with the old meter's final reading and the new meter's serial."
            )
        )
    serial = str(values[NEW_SERIAL]).strip()
    meter = Meter.objects.filter(serial=serial).select_related("office").first()
    if meter is None or not _held_for(order.office, meter):
        raise WorkOrderRefused(
            _("No meter with serial %(serial)s is held by this office or a store above it.")
            % {"serial": serial}
        )
    final = _decimal(values[OLD_FINAL], _("The old meter's final reading"))
    initial = _decimal(values.get(NEW_INITIAL) or "0", _("The new meter's initial reading"))
    done_on = clock.local_date(order.completed_at) if order.completed_at else clock.today()
    try:
        meter_replace(
            consumer=order.consumer,
            new_meter=meter,
            replaced_on=done_on,
            final_reading=final,
            initial_reading=initial,
            # The order's creation (an officer) and completion (its assignee) checked who may; the
            # meter must still be one the order's office holds.
            by=None,
        )
    except ValidationError as exc:
        raise WorkOrderRefused(" ".join(exc.messages)) from None
