"""Spot billing: one account billed for one period now, at the door, by the same compute path as a
bill run (`compute.compute_bills` over a one-account list, posted to the ledger as a partition posts),
and the engine input a device needs to compute the same bill offline.

One bill per account per period: an account already billed for the period (by a run or an earlier spot
bill) gets that bill back, and the database's unique constraint stops a second writer."""

from __future__ import annotations

import dataclasses
import datetime
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from urja.common import clock
from urja.customers.models import Consumer
from urja.domain import engine as eng
from urja.ledger.services import entries_post_bulk
from urja.org import roles
from urja.org.permissions import user_covers
from urja.tariffs.selectors import fppas_for_bill_date, tariff_book

from .choices import BillStatus
from .compute import (
    ZERO,
    _banked,
    _dues,
    _history,
    bill_input,
    changes_after,
    compute_bills,
    ledger_digests_for,
    ledger_entries_for,
)
from .models import Bill, BillCycle
from .notices import bills_issued_notify
from .runs import cycle_get_or_create

#: The engine input's fields that depend on the reading: the device fills them in.
READING_FIELDS = ("units", "kvah", "md_kva")


@dataclasses.dataclass(frozen=True)
class SpotBill:
    bill: Bill
    created: bool


def spot_cycle(period: str, issue_date: datetime.date) -> BillCycle:
    """The period's cycle as a spot bill sees it: issued on `issue_date` (the day of the reading), due
    `DUE_DAYS` later. Not saved: the cycle row itself keeps the run's dates."""
    cycle = cycle_get_or_create(code=period)
    return BillCycle(
        code=cycle.code,
        period_start=cycle.period_start,
        period_end=cycle.period_end,
        issue_date=issue_date,
        due_date=issue_date + datetime.timedelta(days=settings.URJA_BILLING["DUE_DAYS"]),
    )


def _existing(consumer_id: int, period: str) -> Bill | None:
    return (
        Bill.objects.filter(consumer_id=consumer_id, period=period)
        .exclude(status=BillStatus.CANCELLED)
        .first()
    )


def spot_bill(
    *, consumer: Consumer, period: str, by=None, issue_date: datetime.date | None = None
) -> SpotBill:
    """Bill `consumer` for `period` now (issued today unless `issue_date`), or return the bill it already
    has for the period. `by`: the meter reader (records readings) or a billing officer of its office."""
    if by is not None:
        if not (by.can(roles.RECORD_READINGS) or by.can(roles.RUN_BILLING)):
            raise PermissionDenied(_("You may not bill this account."))
        if not user_covers(by, consumer.office):
            raise PermissionDenied(_("This connection is not in your offices."))
    cycle = spot_cycle(period, issue_date or clock.today())
    try:
        with transaction.atomic():
            locked = Consumer.objects.select_for_update().get(pk=consumer.pk)
            existing = _existing(locked.pk, period)
            if existing is not None:
                return SpotBill(existing, False)
            [bill] = compute_bills([locked], cycle, tariff_book(), fppas_for_bill_date(cycle.issue_date))
            bill.save()
            if bill.status == BillStatus.ISSUED:
                entries_post_bulk(ledger_entries_for(bill))
                bills_issued_notify([bill], {locked.pk: locked})
            return SpotBill(bill, True)
    except IntegrityError:
        existing = _existing(consumer.pk, period)
        if existing is None:
            raise
        return SpotBill(existing, False)


def device_bill_inputs(
    consumers: Sequence[Consumer], period: str, issue_date: datetime.date | None = None
) -> dict[int, dict[str, Any]]:
    """For each consumer, the engine's input (the golden vectors' `input` format) for its bill of
    `period` issued on `issue_date`, without the tariffs (sent once) and without the reading-dependent
    fields (`READING_FIELDS`), built by `compute.bill_input` from the same history and dues a spot bill
    uses. The device adds the units it reads and bills on the basis MU (an actual reading)."""
    if not consumers:
        return {}
    cycle = spot_cycle(period, issue_date or clock.today())
    ids = [c.pk for c in consumers]
    history = _history(ids, cycle)
    dues = _dues(ids, ledger_digests_for(ids, history, cycle))
    banked = _banked(list(consumers), cycle)
    changes = changes_after(cycle.period_start, ids)
    fppas = fppas_for_bill_date(cycle.issue_date)
    result = {}
    for consumer in consumers:
        arrears, lpsc = dues[consumer.pk]
        built = bill_input(
            consumer,
            tariffs=[],
            period_start=cycle.period_start,
            period_end=cycle.period_end,
            sanctioned_load=consumer.sanctioned_load,
            load_unit=consumer.load_unit,
            units=None,
            kvah=None,
            basis=eng.BillBasis.MU.value,
            na_penalty=False,
            fppas=ZERO if fppas is None else fppas,
            arrears=arrears,
            true_up_units=ZERO,
            lpsc=lpsc,
            fppas_month=f"{cycle.issue_date:%Y-%m}",
            banked_units=banked.get(consumer.pk, ZERO),
            issue_date=cycle.issue_date,
            connection_changes=changes.get(consumer.pk, []),
        ).to_dict()
        built.pop("tariffs")
        for name in READING_FIELDS:
            built.pop(name, None)
        # Keys the vectors never carry: `metered` when it follows the basis, `phase` (no rule uses it).
        if built.get("metered") is None:
            built.pop("metered", None)
        built.pop("phase", None)
        result[consumer.pk] = built
    return result


def tariffs_for_device() -> list[dict[str, Any]]:
    """Every tariff version in the vectors' `input.tariffs` format (`TariffVersion.to_dict`)."""
    return [version.to_dict() for version in tariff_book()]


_COMPARED = (
    "category", "basis", "energy_charge", "fixed_charge", "electricity_duty", "fppas", "rebate",
    "subsidy", "penalty", "lpsc", "arrears", "round_off", "payable",
)  # fmt: skip


def _money(value: Any) -> str:
    try:
        return f"{Decimal(str(value)):.2f}"
    except (ArithmeticError, ValueError, TypeError):
        return str(value)


def bill_differences(bill: Bill, device: Any) -> list[dict[str, Any]]:
    """How the device's bill (`computeBill` output) differs from `bill`, line by line and total by
    total: [] when they agree. Each difference names the line (its position) or the field."""
    if not isinstance(device, dict):
        return [{"field": "bill", "server": "present", "device": "missing or not an object"}]
    differences: list[dict[str, Any]] = []
    server_lines = [
        {"head": line.get("head"), "description": line.get("description"), "amount": line.get("amount")}
        for line in bill.lines
    ]
    device_lines = device.get("lines") if isinstance(device.get("lines"), list) else []
    for index in range(max(len(server_lines), len(device_lines))):
        ours = server_lines[index] if index < len(server_lines) else None
        theirs = device_lines[index] if index < len(device_lines) else None
        if isinstance(theirs, dict):
            theirs = {key: theirs.get(key) for key in ("head", "description", "amount")}
        if ours != theirs:
            differences.append({"line": index + 1, "server": ours, "device": theirs})
    for name in _COMPARED:
        ours_value = getattr(bill, name)
        ours_text = ours_value if name in ("category", "basis") else _money(ours_value)
        theirs_value = device.get(name)
        theirs_text = theirs_value if name in ("category", "basis") else _money(theirs_value)
        if ours_text != theirs_text:
            differences.append({"field": name, "server": ours_text, "device": theirs_value})
    return differences
