"""Trust (self) billing: an eligible consumer submits their own meter reading with a photo of the meter
display (shared/DOMAIN.md). The rules, tunable with ``settings.URJA_SELF_READING`` (a dict):

* Eligible: an active account of the domestic (LMV-1) or non-domestic (LMV-2) category, a billable
  load of at most ``MAX_LOAD_KW`` kW, a meter installed, and no dues past their due date.
* When: within ``WINDOW_DAYS`` days either side of the reading day of the account's bill group (the
  distribution centre's ``BillGroup.reading_day``; ``DEFAULT_READING_DAY`` before its first bill run).
* Questioned before it is accepted (the consumer confirms the value, or corrects it):
  - a value below the last valid reading (the meter does not run backwards; metering then records it
    as RDF unless it is a roll-over);
  - an implausibly high one: units since the last valid reading above ``HIGH_FACTOR`` x the average
    daily units of the last ``HISTORY_READINGS`` valid readings (each measured over at most
    ``MAX_INTERVAL_DAYS``) x the days since the last reading. With no such history there is no average
    and only metering's own CDF rule applies.
* Recorded through ``metering.services.reading_record`` with source "self" (the consumer), the photo
  kept with the reading. The month's bill is made from it by the bill run of the cycle, within
  ``BILL_WITHIN_HOURS`` hours of the reading day; a later official reading verifies it.
"""

from __future__ import annotations

import calendar
import datetime
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from urja.common import clock
from urja.common.uploads import IMAGE_KINDS, check_upload
from urja.customers.choices import ConsumerStatus
from urja.customers.models import Consumer
from urja.domain.rules import billable_load
from urja.domain.tariff import LoadUnit
from urja.ledger.selectors import open_dues
from urja.metering.choices import VALID_STATUSES, ReadingSource
from urja.metering.models import Reading
from urja.metering.services import reading_record

from .models import BillGroup

DEFAULTS = {
    "MAX_LOAD_KW": "9",
    "CATEGORY_PREFIXES": ("LMV1", "LMV2"),
    "WINDOW_DAYS": 3,
    "DEFAULT_READING_DAY": 1,
    "HIGH_FACTOR": "3",
    "HISTORY_READINGS": 6,
    "MAX_INTERVAL_DAYS": 93,
    "PHOTO_MAX_BYTES": 1024 * 1024,
    "BILL_WITHIN_HOURS": 48,
}
#: What the portal records as the reading's source: the consumer's own reading.
SOURCE = ReadingSource.SELF


def conf(name: str):
    return {**DEFAULTS, **getattr(settings, "URJA_SELF_READING", {})}[name]


@dataclass
class Eligibility:
    eligible: bool
    reasons: list[str] = field(default_factory=list)
    reading_day: int = 1
    window_start: datetime.date | None = None
    window_end: datetime.date | None = None
    in_window: bool = False
    last: Reading | None = None


@dataclass(frozen=True)
class Question:
    code: str  # "below_last" or "too_high"
    message: str


class ReadingQuestioned(Exception):
    """The value needs the consumer's confirmation before it is recorded."""

    def __init__(self, questions: list[Question]):
        super().__init__("; ".join(q.message for q in questions))
        self.questions = questions


def _plain(value: Decimal) -> str:
    """A register value or load as people write it: 750, 7.5, never 7.5E+2."""
    return f"{Decimal(value).normalize():f}"


def reading_day_for(consumer: Consumer) -> int:
    group = BillGroup.objects.filter(office_id=consumer.office_id).order_by("code").first()
    return group.reading_day if group is not None else int(conf("DEFAULT_READING_DAY"))


def _on_day(year: int, month: int, day: int) -> datetime.date:
    return datetime.date(year, month, min(day, calendar.monthrange(year, month)[1]))


def reading_window(reading_day: int, today: datetime.date) -> tuple[datetime.date, datetime.date]:
    """The window (first, last day) around the reading day that holds `today`, else the next one."""
    width = datetime.timedelta(days=int(conf("WINDOW_DAYS")))
    candidates = []
    for offset in (-1, 0, 1, 2):
        month_index = today.year * 12 + today.month - 1 + offset
        candidates.append(_on_day(month_index // 12, month_index % 12 + 1, reading_day))
    for day in candidates:
        if today <= day + width:
            return day - width, day + width
    raise AssertionError("unreachable: a later month's reading day is always ahead")


def _last_valid(consumer: Consumer) -> Reading | None:
    return (
        consumer.readings.filter(status__in=sorted(VALID_STATUSES), kwh__isnull=False)
        .order_by("-reading_date", "-id")
        .first()
    )


def self_reading_eligibility(consumer: Consumer) -> Eligibility:
    """May `consumer` submit a reading today, and if not, why not (each reason a sentence)."""
    today = clock.today()
    reasons: list[str] = []
    if consumer.status != ConsumerStatus.ACTIVE:
        reasons.append(_("Only an active connection can submit its own reading."))
    if not str(consumer.category).startswith(tuple(conf("CATEGORY_PREFIXES"))):
        reasons.append(
            _("Self reading is open to domestic and non-domestic (LMV-1, LMV-2) connections only.")
        )
    max_kw = Decimal(str(conf("MAX_LOAD_KW")))
    try:
        load_kw = billable_load(Decimal(consumer.sanctioned_load), LoadUnit(consumer.load_unit), LoadUnit.KW)
    except ValueError:
        load_kw = max_kw + 1
    if load_kw > max_kw:
        reasons.append(
            _("Self reading is open to connections of up to %(max)s kW; yours is %(load)s %(unit)s.")
            % {"max": max_kw, "load": _plain(consumer.sanctioned_load), "unit": consumer.load_unit}
        )
    dues, _balance = open_dues(consumer.pk)
    overdue = sum((d.amount for d in dues if d.due_on < today), Decimal(0))
    if overdue > 0:
        reasons.append(
            _("Self reading is open only to accounts with no overdue dues; Rs %(amount)s is overdue.")
            % {"amount": overdue}
        )
    if not consumer.meter_installations.filter(installed_on__lte=today, removed_on__isnull=True).exists():
        reasons.append(_("No meter is installed on this connection."))
    day = reading_day_for(consumer)
    start, end = reading_window(day, today)
    in_window = start <= today <= end
    last = _last_valid(consumer)
    if not reasons and not in_window:
        reasons.append(
            _("Readings are taken from %(start)s to %(end)s, around your reading day.")
            % {"start": f"{start:%d-%m-%Y}", "end": f"{end:%d-%m-%Y}"}
        )
    latest = consumer.readings.order_by("-reading_date", "-id").first()
    if not reasons and latest is not None and latest.reading_date >= today:
        reasons.append(_("A reading has already been recorded today; submit again on another day."))
    return Eligibility(
        eligible=not reasons, reasons=reasons, reading_day=day, window_start=start, window_end=end,
        in_window=in_window, last=last,
    )  # fmt: skip


def average_daily_units(consumer: Consumer) -> Decimal | None:
    """Average units per day over the last HISTORY_READINGS valid readings with units, each measured
    over at most MAX_INTERVAL_DAYS (a first reading years after installation, or one after a long gap,
    says little about present use); None: no such history."""
    longest = int(conf("MAX_INTERVAL_DAYS"))
    recent = (
        consumer.readings.filter(
            status__in=sorted(VALID_STATUSES), units__isnull=False, units_since__isnull=False
        )
        .order_by("-reading_date", "-id")
        .values_list("units", "reading_date", "units_since")[: 4 * int(conf("HISTORY_READINGS"))]
    )
    rows = [row for row in recent if 0 < (row[1] - row[2]).days <= longest][: int(conf("HISTORY_READINGS"))]
    days = sum((reading_date - since).days for _units, reading_date, since in rows)
    if not rows or days <= 0:
        return None
    return (sum((units for units, _d, _s in rows), Decimal(0)) / days).quantize(
        Decimal("0.001"), rounding=ROUND_HALF_UP
    )


def self_reading_questions(
    consumer: Consumer, kwh: Decimal, *, last: Reading | None = None
) -> list[Question]:
    """What to ask the consumer about `kwh` before accepting it (nothing: it looks right)."""
    last = last if last is not None else _last_valid(consumer)
    if last is None:
        return []
    if kwh < last.kwh:
        return [
            Question(
                "below_last",
                _("%(value)s is below the last reading, %(last)s on %(date)s. The meter does not run backwards: "
                  "check the display.")
                % {"value": _plain(kwh), "last": _plain(last.kwh), "date": f"{last.reading_date:%d-%m-%Y}"},
            )
        ]  # fmt: skip
    average = average_daily_units(consumer)
    days = (clock.today() - last.reading_date).days
    if average is None or average <= 0 or days <= 0:
        return []
    expected = average * days
    limit = (Decimal(str(conf("HIGH_FACTOR"))) * expected).quantize(Decimal("1"), rounding=ROUND_HALF_UP)
    units = kwh - last.kwh
    if units > limit:
        return [
            Question(
                "too_high",
                _("%(value)s means %(units)s units in %(days)s days, more than %(factor)s times your usual "
                  "use (about %(expected)s units). Check the display.")
                % {"value": _plain(kwh), "units": _plain(units), "days": days, "factor": conf("HIGH_FACTOR"),
                   "expected": expected.quantize(Decimal("1"), rounding=ROUND_HALF_UP)},
            )
        ]  # fmt: skip
    return []


def reading_submit_by_consumer(
    *, consumer: Consumer, kwh: Decimal, photo, confirmed: bool = False
) -> Reading:
    """Record the consumer's own reading with its photo (source "self", dated today).

    Refused (ValidationError, nothing saved) when the account is not eligible now, the value is not a
    number a meter shows, or the photo is not a JPEG/PNG within PHOTO_MAX_BYTES; ReadingQuestioned when
    the value needs confirming and `confirmed` is not set."""
    eligibility = self_reading_eligibility(consumer)
    if not eligibility.eligible:
        raise ValidationError(eligibility.reasons)
    if kwh is None or kwh < 0 or kwh != kwh.quantize(Decimal("0.01")):
        raise ValidationError({"kwh": _("Type the reading shown on the meter display.")})
    check_upload(photo, kinds=IMAGE_KINDS, max_bytes=int(conf("PHOTO_MAX_BYTES")), field="photo")
    questions = self_reading_questions(consumer, kwh, last=eligibility.last)
    if questions and not confirmed:
        raise ReadingQuestioned(questions)
    remarks = _("Self reading from the consumer portal")
    if questions:
        remarks += (
            " ("
            + _("confirmed by the consumer: %(codes)s") % {"codes": ", ".join(q.code for q in questions)}
            + ")"
        )
    with transaction.atomic():
        return reading_record(
            consumer=consumer, reading_date=clock.today(), kwh=kwh, source=SOURCE, by=None, photo=photo,
            remarks=remarks,
        )  # fmt: skip


def bill_follows_message(eligibility: Eligibility) -> str:
    return _(
        "Your bill for this reading is made within %(hours)s hours of your reading day (%(day)s of the month) "
        "and sent by SMS. A meter reader's later reading verifies it."
    ) % {"hours": conf("BILL_WITHIN_HOURS"), "day": eligibility.reading_day}
