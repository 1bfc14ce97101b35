"""Writes to meters and readings.

Each service runs in one transaction and locks the consumer row first (lock order: account › bill ›
payment, a meter row after its account), so two readers syncing the same connection cannot both compute
units from the same previous reading. The consumption rules themselves live in
:mod:`urja.domain.consumption`.
"""

import datetime
import re
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from urja.common import clock
from urja.common.inputs import date_range_message
from urja.customers.models import Consumer
from urja.domain import consumption
from urja.domain.inputs import date_in_range
from urja.org import roles
from urja.org.permissions import user_covers

from .choices import ENTERED_STATUSES, VALID_STATUSES, ReadingSource, ReadingStatus, TodUnit
from .models import Meter, MeterChange, MeterInstallation, Reading
from .selectors import meter_reachable

#: The meter master's particulars; each change to one is a MeterChange row.
MASTER_FIELDS = (
    "serial",
    "make",
    "meter_type",
    "phase",
    "digits",
    "has_kvah",
    "ct_ratio",
    "pt_ratio",
    "office",
)


def _check_can_record(by) -> None:
    if by is not None and not by.can(roles.RECORD_READINGS):
        raise PermissionDenied(_("You may not record meter readings or meter changes."))


def _check_covers_connection(by, consumer: Consumer) -> None:
    if by is not None and not user_covers(by, consumer.office):
        raise PermissionDenied(_("This connection is not in your offices."))


def _lock_consumer(consumer: Consumer) -> Consumer:
    return Consumer.objects.select_for_update().get(pk=consumer.pk)


def _installations(consumer: Consumer) -> list[MeterInstallation]:
    """The connection's meter history, oldest first (a handful of rows)."""
    return list(consumer.meter_installations.select_related("meter").order_by("installed_on", "id"))


def _installation_on(installations: list[MeterInstallation], day: datetime.date) -> MeterInstallation | None:
    """The meter in place on `day`. A meter removed on `day` has been replaced by then: its last register
    value is the installation's final reading, and a reading taken that day belongs to the new meter."""
    found = None
    for installation in installations:
        if installation.installed_on <= day and (
            installation.removed_on is None or installation.removed_on > day
        ):
            found = installation
    return found


def _latest_reading(consumer: Consumer, **filters) -> Reading | None:
    return consumer.readings.filter(**filters).order_by("-reading_date", "-id").first()


def _fits_register(value: Decimal, meter: Meter) -> bool:
    return 0 <= value < consumption.register_capacity(meter.digits)


def _register_error(value: Decimal, meter: Meter) -> str:
    return _("Meter %(serial)s has %(digits)d digits and cannot show %(value)s.") % {
        "serial": meter.serial,
        "digits": meter.digits,
        "value": value,
    }


def _validate_reading_input(
    *,
    consumer: Consumer,
    reading_date: datetime.date,
    kwh: Decimal | None,
    kvah: Decimal | None,
    max_demand: Decimal | None,
    status: str,
    source: str,
    latitude: Decimal | None,
    longitude: Decimal | None,
    installations: list[MeterInstallation],
    installation: MeterInstallation | None,
    tod_registers: dict[str, Decimal] | None = None,
    tod_unit: str = TodUnit.KWH,
) -> None:
    errors: dict[str, str] = {}
    _validate_tod(errors, tod_registers, tod_unit, status, installation)
    if status not in ENTERED_STATUSES:
        errors["status"] = (
            _("Status %(status)s is raised automatically; record the reading as OK.") % {"status": status}
            if status in ReadingStatus.values
            else _("Unknown reading status %(status)s.") % {"status": status}
        )
    if source not in ReadingSource.values:
        errors["source"] = _("Unknown reading source %(source)s.") % {"source": source}

    latest = _latest_reading(consumer)
    if not date_in_range(reading_date):
        errors["reading_date"] = date_range_message()
    elif reading_date > clock.today():
        errors["reading_date"] = _("A reading cannot be dated in the future.")
    elif latest is not None and reading_date <= latest.reading_date:
        errors["reading_date"] = _(
            "Readings are recorded in date order: this connection's latest reading is dated %(date)s."
        ) % {"date": latest.reading_date.isoformat()}

    for name, value in (("kwh", kwh), ("kvah", kvah), ("max_demand", max_demand)):
        if value is not None and value < 0:
            errors[name] = _("A register value cannot be negative.")
    if latitude is not None and not -90 <= latitude <= 90:
        errors["latitude"] = _("Latitude must be between -90 and 90.")
    if longitude is not None and not -180 <= longitude <= 180:
        errors["longitude"] = _("Longitude must be between -180 and 180.")

    if status == ReadingStatus.OK:
        if kwh is None:
            errors["kwh"] = _("A reading with status OK needs the kWh register value.")
        if installation is None and "reading_date" not in errors:
            later = [i.installed_on for i in installations if i.installed_on > reading_date]
            errors["reading_date"] = (
                _("The reading date is before the meter was installed on %(date)s.")
                % {"date": later[0].isoformat()}
                if later
                else _("No meter is installed on this connection on that date; record status NM.")
            )
        if installation is not None:
            meter = installation.meter
            if kwh is not None and kwh >= 0 and not _fits_register(kwh, meter):
                errors["kwh"] = _register_error(kwh, meter)
            if kvah is not None and not meter.has_kvah:
                errors["kvah"] = _("Meter %(serial)s has no kVAh register.") % {"serial": meter.serial}
            elif kvah is not None and kvah >= 0 and not _fits_register(kvah, meter):
                errors["kvah"] = _register_error(kvah, meter)
    elif status in ENTERED_STATUSES:
        for name, value in (("kwh", kwh), ("kvah", kvah), ("max_demand", max_demand)):
            if value is not None:
                errors[name] = _("A reading with status %(status)s carries no register values.") % {
                    "status": status
                }
        if status == ReadingStatus.IDF and installation is None and "reading_date" not in errors:
            errors["status"] = _("IDF marks an installed meter as defective, but none is installed then.")
    if errors:
        raise ValidationError(errors)


#: A TOD slot name: what the tariff's TOD rule calls the register (offpeak, normal, peak, ...).
TOD_SLOT_NAME = re.compile(r"^[a-z][a-z0-9_-]{0,19}$")
MAX_TOD_SLOTS = 8


def _validate_tod(
    errors: dict[str, str],
    registers: dict[str, Decimal] | None,
    unit: str,
    status: str,
    installation: MeterInstallation | None,
) -> None:
    if unit not in TodUnit.values:
        errors["tod_unit"] = _("Unknown TOD register unit %(unit)s.") % {"unit": unit}
    if not registers:
        return
    if status != ReadingStatus.OK:
        errors["tod_registers"] = _("A reading with status %(status)s carries no register values.") % {
            "status": status
        }
    elif len(registers) > MAX_TOD_SLOTS or not all(
        isinstance(name, str) and TOD_SLOT_NAME.match(name) for name in registers
    ):
        errors["tod_registers"] = _(
            "TOD registers are named by slot (lower-case letters, digits, - or _), at most %(count)d."
        ) % {"count": MAX_TOD_SLOTS}
    elif any(value is None or value < 0 for value in registers.values()):
        errors["tod_registers"] = _("A register value cannot be negative.")
    elif installation is not None:
        for value in registers.values():
            if not _fits_register(value, installation.meter):
                errors["tod_registers"] = _register_error(value, installation.meter)
                break


def _tod_units(
    *,
    previous: Reading | None,
    installation: MeterInstallation,
    registers: dict[str, str],
    single_meter: bool,
) -> dict[str, str]:
    """Each slot's units since the previous valid reading, when it was on the same meter and read that slot
    (like kVAh, a meter change leaves TOD units unknown)."""
    if not registers or previous is None or not single_meter or not previous.tod_registers:
        return {}
    meter = installation.meter
    units: dict[str, str] = {}
    for name, value in registers.items():
        before = previous.tod_registers.get(name)
        if before is None:
            continue
        advance = consumption.register_advance(Decimal(before), Decimal(value), meter.digits)
        if advance is not None:
            units[name] = str(consumption.round_units(advance.units * meter.multiplying_factor))
    return units


def _segments(
    *,
    installations: list[MeterInstallation],
    current: MeterInstallation,
    previous: Reading | None,
    kwh: Decimal,
) -> tuple[list[consumption.RegisterSegment], datetime.date, Decimal]:
    """Register segments from the previous valid reading (on whichever meter it was taken) to `kwh` on
    the current meter, with the date and kWh value the units are measured from. Without a usable
    previous reading the units are measured from the current meter's initial reading."""
    end_index = installations.index(current)
    start_index = None
    if previous is not None:
        for index, installation in enumerate(installations[: end_index + 1]):
            if (
                installation.meter_id == previous.meter_id
                and installation.installed_on <= previous.reading_date
                and (installation.removed_on is None or installation.removed_on >= previous.reading_date)
            ):
                start_index = index
    if previous is None or start_index is None:
        segment = consumption.RegisterSegment(
            current.initial_reading, kwh, current.meter.digits, current.meter.multiplying_factor
        )
        return [segment], current.installed_on, current.initial_reading

    segments = []
    for index in range(start_index, end_index + 1):
        installation = installations[index]
        start = previous.kwh if index == start_index else installation.initial_reading
        end = kwh if index == end_index else installation.final_reading
        if end is None:
            raise ValidationError(
                _("Meter %(serial)s was removed without a final reading; enter it before recording.")
                % {"serial": installation.meter.serial}
            )
        segments.append(
            consumption.RegisterSegment(
                start, end, installation.meter.digits, installation.meter.multiplying_factor
            )
        )
    return segments, previous.reading_date, previous.kwh


def _kvah_units(
    *, previous: Reading | None, installation: MeterInstallation, kvah: Decimal | None, single_meter: bool
) -> Decimal | None:
    """kVAh units, when the previous valid reading was on the same meter and has a kVAh value (meter
    installations keep no kVAh initial/final readings, so a meter change leaves kVAh units unknown)."""
    if kvah is None or previous is None or previous.kvah is None or not single_meter:
        return None
    meter = installation.meter
    advance = consumption.register_advance(previous.kvah, kvah, meter.digits)
    if advance is None:
        return None
    return consumption.round_units(advance.units * meter.multiplying_factor)


def _validate_export(
    *, consumer: Consumer, export_kwh: Decimal | None, status: str, installation: MeterInstallation | None
) -> None:
    """The export register (rooftop solar): read only at a connection with a solar scheme, on an OK
    reading, within the meter's digits."""
    if export_kwh is None:
        return
    if not consumer.solar_scheme:
        message = _("This connection has no rooftop solar scheme: it has no export register.")
    elif export_kwh < 0:
        message = _("A register value cannot be negative.")
    elif status != ReadingStatus.OK:
        message = _("A reading with status %(status)s carries no register values.") % {"status": status}
    elif installation is not None and not _fits_register(export_kwh, installation.meter):
        message = _register_error(export_kwh, installation.meter)
    else:
        return
    raise ValidationError({"export_kwh": message})


def _export_units(
    *,
    previous: Reading | None,
    installation: MeterInstallation,
    export_kwh: Decimal | None,
    single_meter: bool,
) -> Decimal | None:
    """Export units since the previous valid reading on the same meter that read the export register
    (unknown after a meter change or on the first export reading, as for kVAh)."""
    if export_kwh is None or previous is None or previous.export_kwh is None or not single_meter:
        return None
    meter = installation.meter
    advance = consumption.register_advance(previous.export_kwh, export_kwh, meter.digits)
    if advance is None:
        return None
    return consumption.round_units(advance.units * meter.multiplying_factor)


@transaction.atomic
def reading_record(
    *,
    consumer: Consumer,
    reading_date: datetime.date,
    kwh: Decimal | None = None,
    kvah: Decimal | None = None,
    max_demand: Decimal | None = None,
    status: str = ReadingStatus.OK,
    source: str,
    by=None,
    photo=None,
    latitude: Decimal | None = None,
    longitude: Decimal | None = None,
    remarks: str = "",
    tod_registers: dict[str, Decimal] | None = None,
    tod_unit: str = TodUnit.KWH,
    export_kwh: Decimal | None = None,
) -> Reading:
    """Record a reading and compute its units.

    The reader enters OK (with the register values), IDF, NA, NR or NM. For an OK reading the service
    computes the kWh consumed since the previous valid (OK, ADF or CDF) reading — or since the meter's
    installation — across a roll-over and any meter change, multiplying factor applied, and raises:

    * RDF when the register went backwards beyond a plausible roll-over (units left empty);
    * ADF when the register did not move (0 units, billed as OK);
    * CDF when the units exceed 800 kWh per kW of sanctioned load per month.

    A TOD meter's slot registers (``tod_registers``, by the slot names of the tariff's TOD rule, in
    ``tod_unit``) are kept with the reading, and each slot's units since the previous valid reading on
    the same meter go into ``tod_units``; ``max_demand`` is the recorded maximum demand in kVA.
    """
    _check_can_record(by)
    consumer = _lock_consumer(consumer)
    installations = _installations(consumer)
    installation = _installation_on(installations, reading_date)
    _validate_reading_input(
        consumer=consumer,
        reading_date=reading_date,
        kwh=kwh,
        kvah=kvah,
        max_demand=max_demand,
        status=status,
        source=source,
        latitude=latitude,
        longitude=longitude,
        installations=installations,
        installation=installation,
        tod_registers=tod_registers,
        tod_unit=tod_unit,
    )
    _validate_export(consumer=consumer, export_kwh=export_kwh, status=status, installation=installation)
    reading = Reading(
        consumer=consumer,
        account_number=consumer.account_number,
        meter=installation.meter if installation is not None and status != ReadingStatus.NM else None,
        reading_date=reading_date,
        kwh=kwh,
        kvah=kvah,
        max_demand=max_demand,
        status=status,
        source=source,
        latitude=latitude,
        longitude=longitude,
        recorded_by=by,
        remarks=remarks,
        tod_registers={name: str(value) for name, value in (tod_registers or {}).items()},
        tod_unit=tod_unit,
        export_kwh=export_kwh,
    )
    if photo:
        reading.photo = photo
    if status == ReadingStatus.OK:
        assert installation is not None and kwh is not None  # validated above
        _compute_units(reading, consumer=consumer, installations=installations, installation=installation)
    reading.full_clean()
    reading.save()
    return reading


def _compute_units(
    reading: Reading,
    *,
    consumer: Consumer,
    installations: list[MeterInstallation],
    installation: MeterInstallation,
) -> None:
    previous = _latest_reading(consumer, status__in=sorted(VALID_STATUSES))
    segments, since, previous_kwh = _segments(
        installations=installations, current=installation, previous=previous, kwh=reading.kwh
    )
    reading.units_since, reading.previous_kwh = since, previous_kwh
    reading.meter_changed = len(segments) > 1
    outcome = consumption.reading_outcome(
        segments,
        days=(reading.reading_date - since).days,
        sanctioned_load=consumer.sanctioned_load,
        load_unit=consumer.load_unit,
    )
    reading.status = ReadingStatus(outcome.status)
    if outcome.consumption is None:  # RDF: the units are not known
        return
    reading.units, reading.rolled_over = outcome.consumption.units, outcome.consumption.rolled_over
    reading.kvah_units = _kvah_units(
        previous=previous, installation=installation, kvah=reading.kvah, single_meter=len(segments) == 1
    )
    reading.tod_units = _tod_units(
        previous=previous,
        installation=installation,
        registers=reading.tod_registers,
        single_meter=len(segments) == 1,
    )
    reading.export_units = _export_units(
        previous=previous,
        installation=installation,
        export_kwh=reading.export_kwh,
        single_meter=len(segments) == 1,
    )


@transaction.atomic
def meter_install(
    *,
    consumer: Consumer,
    meter: Meter,
    installed_on: datetime.date,
    initial_reading: Decimal = Decimal("0"),
    by=None,
) -> MeterInstallation:
    """Install `meter` at the connection from `installed_on`, reading `initial_reading`. The meter
    comes from the user's offices, or from the store of an office above them, and is held from now
    on by the connection's office."""
    _check_can_record(by)
    consumer = _lock_consumer(consumer)
    _check_covers_connection(by, consumer)
    meter = Meter.objects.select_for_update(of=("self",)).select_related("office").get(pk=meter.pk)
    if by is not None and not _meter_available(by, meter):
        raise PermissionDenied(_("Meter %(serial)s is not held by your offices.") % {"serial": meter.serial})
    installations = _installations(consumer)
    errors: dict[str, str] = {}
    current = next((i for i in installations if i.removed_on is None), None)
    if current is not None:
        errors["meter"] = _(
            "Meter %(serial)s is installed at this connection; remove or replace it first."
        ) % {"serial": current.meter.serial}
    elsewhere = meter.installations.exclude(consumer=consumer).filter(removed_on__isnull=True).first()
    if elsewhere is not None:
        errors["meter"] = _("Meter %(serial)s is installed at another connection.") % {"serial": meter.serial}
    if installed_on > clock.today():
        errors["installed_on"] = _("A meter cannot be installed in the future.")
    else:
        last_removed = max((i.removed_on for i in installations if i.removed_on), default=None)
        latest = _latest_reading(consumer)
        if last_removed is not None and installed_on < last_removed:
            errors["installed_on"] = _("The previous meter was removed on %(date)s.") % {
                "date": last_removed.isoformat()
            }
        elif latest is not None and installed_on < latest.reading_date:
            errors["installed_on"] = _("This connection has a reading dated %(date)s.") % {
                "date": latest.reading_date.isoformat()
            }
    if not _fits_register(initial_reading, meter):
        errors["initial_reading"] = _register_error(initial_reading, meter)
    if errors:
        raise ValidationError(errors)
    installation = MeterInstallation(
        consumer=consumer, meter=meter, installed_on=installed_on, initial_reading=initial_reading
    )
    installation.full_clean()
    installation.save()
    if meter.office_id != consumer.office_id:
        _record(
            meter=meter,
            by=by,
            before={"office": meter.office},
            after={"office": consumer.office},
            reason=_("installed at %(account)s") % {"account": consumer.account_number},
        )
        meter.office = consumer.office
        meter.save(update_fields=["office", "updated_at"])
    return installation


@transaction.atomic
def meter_remove(
    *, consumer: Consumer, removed_on: datetime.date, final_reading: Decimal, by=None
) -> MeterInstallation:
    """Remove the connection's current meter on `removed_on`, with its final kWh reading. The meter
    stays with the connection's office until an officer returns it to a store."""
    _check_can_record(by)
    consumer = _lock_consumer(consumer)
    _check_covers_connection(by, consumer)
    current = next((i for i in _installations(consumer) if i.removed_on is None), None)
    if current is None:
        raise ValidationError(_("No meter is installed at this connection."))
    errors: dict[str, str] = {}
    last = _latest_reading(consumer, meter=current.meter, status__in=sorted(VALID_STATUSES))
    if removed_on > clock.today():
        errors["removed_on"] = _("A meter cannot be removed in the future.")
    elif removed_on < current.installed_on:
        errors["removed_on"] = _("The meter was installed on %(date)s.") % {
            "date": current.installed_on.isoformat()
        }
    else:
        latest = _latest_reading(consumer, meter=current.meter)
        if latest is not None and removed_on < latest.reading_date:
            errors["removed_on"] = _("The meter has a reading dated %(date)s.") % {
                "date": latest.reading_date.isoformat()
            }
    if not _fits_register(final_reading, current.meter):
        errors["final_reading"] = _register_error(final_reading, current.meter)
    else:
        baseline = last.kwh if last is not None else current.initial_reading
        if consumption.register_advance(baseline, final_reading, current.meter.digits) is None:
            errors["final_reading"] = _("The final reading is below the meter's last reading %(value)s.") % {
                "value": baseline
            }
    if errors:
        raise ValidationError(errors)
    current.removed_on, current.final_reading = removed_on, final_reading
    current.full_clean()
    current.save()
    return current


@transaction.atomic
def meter_replace(
    *,
    consumer: Consumer,
    new_meter: Meter,
    replaced_on: datetime.date,
    final_reading: Decimal,
    initial_reading: Decimal = Decimal("0"),
    by=None,
) -> MeterInstallation:
    """Remove the current meter (with its final reading) and install `new_meter` the same day."""
    meter_remove(consumer=consumer, removed_on=replaced_on, final_reading=final_reading, by=by)
    return meter_install(
        consumer=consumer, meter=new_meter, installed_on=replaced_on, initial_reading=initial_reading, by=by
    )


# --- the meter master -----------------------------------------------------------------------------------


def _check_can_manage(by) -> None:
    if by is not None and not by.can(roles.MANAGE_METERS):
        raise PermissionDenied(
            _("Only an officer may change a meter's particulars or its multiplying factor.")
        )


def _meter_available(by, meter: Meter) -> bool:
    """A meter the user reaches, or one in the store of an office above theirs (a division's store
    serves its DCs)."""
    if meter_reachable(by, meter):
        return True
    return (
        meter.office_id is not None
        and by.office_id is not None
        and by.office.path.startswith(meter.office.path)
        and not meter.installations.filter(removed_on__isnull=True).exists()
    )


def _shown(field: str, value) -> str:
    if value is None:
        return ""
    if field == "office":
        return value.code
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Decimal):
        return f"{value:.2f}"
    return str(value)


def _record(*, meter: Meter, by, before: dict, after: dict, reason: str) -> list[MeterChange]:
    rows = [
        MeterChange(
            meter=meter,
            changed_by=by,
            field=name,
            old_value=_shown(name, before[name]),
            new_value=_shown(name, after[name]),
            reason=reason,
        )
        for name in before
        if before[name] != after[name]
    ]
    MeterChange.objects.bulk_create(rows)
    return rows


@transaction.atomic
def meter_create(*, by, serial: str, office, reason: str = "", **fields) -> Meter:
    """Take a new meter into the store of `office` (one of the user's offices)."""
    _check_can_manage(by)
    unknown = set(fields) - set(MASTER_FIELDS)
    if unknown:
        raise ValueError(f"unknown meter fields {sorted(unknown)}")
    if by is not None and not user_covers(by, office):
        raise PermissionDenied(_("You may keep meters only in your own offices."))
    meter = Meter(serial=serial, office=office, **fields)
    meter.full_clean()
    meter.save()
    MeterChange.objects.create(
        meter=meter,
        changed_by=by,
        field="*",
        new_value=_("created"),
        reason=reason.strip() or _("meter taken into stock"),
    )
    return meter


@transaction.atomic
def meter_update(*, meter: Meter, by, reason: str = "", **changes) -> list[MeterChange]:
    """Change a meter's particulars; returns the history rows written (one per changed field).

    Only officers (MANAGE_METERS) change a meter, with a reason. A new multiplying factor (CT or PT
    ratio) never re-prices what is recorded: every reading keeps the units it was computed with, and
    bills keep theirs. It applies to the units of the next reading, counted from the last one, so a
    reading is taken when a CT or PT is changed; bills issued with a wrong factor are corrected by a
    bill revision. An installed meter stays with its connection's office.
    """
    unknown = set(changes) - set(MASTER_FIELDS)
    if unknown:
        raise ValueError(f"unknown meter fields {sorted(unknown)}")
    _check_can_manage(by)
    locked = Meter.objects.select_for_update(of=("self",)).select_related("office").get(pk=meter.pk)
    if by is not None and not meter_reachable(by, locked):
        raise PermissionDenied(_("You may change only the meters of your own offices."))
    before = {name: getattr(locked, name) for name in MASTER_FIELDS}
    for name, value in changes.items():
        setattr(locked, name, value)
    after = {name: getattr(locked, name) for name in MASTER_FIELDS}
    if before == after:
        return []
    if before["office"] != after["office"]:
        if by is not None and after["office"] is not None and not user_covers(by, after["office"]):
            raise PermissionDenied(_("You may keep meters only in your own offices."))
        if locked.installations.filter(removed_on__isnull=True).exists():
            raise ValidationError(
                {"office": _("An installed meter is held by its connection's office; remove it first.")}
            )
    if by is not None and not reason.strip():
        raise ValidationError({"reason": _("Say why the meter's particulars are changed.")})
    locked.full_clean()
    locked.save()
    rows = _record(meter=locked, by=by, before=before, after=after, reason=reason.strip())
    meter.refresh_from_db()
    return rows
