"""Bill runs, review of held bills, and bill revisions. Each public function is one transaction.

A run is split into partitions, one per distribution centre. A partition bills its accounts in one
transaction: it commits whole or not at all, so a crashed run is resumed by running it again, and an
account already billed for the period is skipped (the unique constraint on (account, period) makes a
second bill impossible even if two workers race)."""

from __future__ import annotations

import calendar
import datetime
import logging
import re
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from urja.customers.choices import ConsumerStatus
from urja.customers.models import Consumer
from urja.domain import engine as eng
from urja.domain.inputs import EARLIEST_DATE, LATEST_DATE, ascii_digits
from urja.domain.tariff import LoadUnit
from urja.ledger.choices import EntryType
from urja.ledger.models import LedgerEntry
from urja.ledger.services import entries_post_bulk, entry_reverse
from urja.org import roles
from urja.org.choices import OfficeLevel
from urja.org.models import Office
from urja.tariffs.selectors import fppas_schedule, tariff_book

from .choices import BillStatus, RevisionStatus, RunStatus
from .compute import apply_result, bill_number, compute_bills
from .models import Bill, BillCycle, BillGroup, BillRevision, BillRun, BillRunPartition

logger = logging.getLogger(__name__)
ZERO = Decimal("0.00")


def _require(user, capability: str) -> None:
    if user is not None and not user.can(capability):
        raise PermissionDenied(_("You may not do this."))


_CYCLE = re.compile(r"^([0-9]{4})-([0-9]{2})$")


def cycle_get_or_create(*, code: str) -> BillCycle:
    """The cycle for month `code` (YYYY-MM, digits of any script): the calendar month, issued the day
    after it ends. The month lies between 1900-01 and 2099-12 (urja.domain.inputs)."""
    match = _CYCLE.match(ascii_digits(code.strip()) if isinstance(code, str) else "")
    try:
        year, month = int(match[1]), int(match[2])  # type: ignore[index]
        start = datetime.date(year, month, 1)
    except (ValueError, TypeError):
        raise ValidationError({"cycle": _("A billing cycle is written YYYY-MM, e.g. 2026-10.")})
    if not EARLIEST_DATE.year <= year <= LATEST_DATE.year:
        raise ValidationError(
            {
                "cycle": _("A billing month lies between %(earliest)s and %(latest)s.")
                % {"earliest": f"{EARLIEST_DATE:%Y-%m}", "latest": f"{LATEST_DATE:%Y-%m}"}
            }
        )
    end = datetime.date(year, month, calendar.monthrange(year, month)[1])
    issue = end + datetime.timedelta(days=1)
    cycle, _created = BillCycle.objects.get_or_create(
        code=f"{year:04d}-{month:02d}",
        defaults={
            "period_start": start,
            "period_end": end,
            "issue_date": issue,
            "due_date": issue + datetime.timedelta(days=settings.URJA_BILLING["DUE_DAYS"]),
        },
    )
    return cycle


# --- runs -------------------------------------------------------------------------------------------


@transaction.atomic
def bill_run_create(*, cycle_code: str, office: Office | None = None, by=None) -> BillRun:
    """Create a run for a cycle over `office`'s subtree (all offices when None), one partition per
    distribution centre that has active accounts."""
    _require(by, roles.RUN_BILLING)
    if by is not None and not by.sees_everything:
        if office is None:
            office = by.office
        if by.office is None or not by.office.contains(office):
            raise PermissionDenied(_("You may only bill your own offices."))
    cycle = cycle_get_or_create(code=cycle_code)
    if cycle.period_start > timezone.localdate():
        raise ValidationError({"cycle": _("This billing month has not begun yet.")})
    run = BillRun.objects.create(cycle=cycle, office=office, started_by=by)
    dcs = Office.objects.filter(level=OfficeLevel.DC)
    if office is not None:
        dcs = dcs.filter(path__startswith=office.path)
    active = Consumer.objects.filter(status=ConsumerStatus.ACTIVE).values("office_id").distinct()
    dc_ids = list(dcs.filter(id__in=active).order_by("code").values_list("id", flat=True))
    groups = bill_groups_for(dc_ids)
    BillRunPartition.objects.bulk_create(
        [BillRunPartition(run=run, office_id=dc_id, group=groups[dc_id]) for dc_id in dc_ids]
    )
    run.partitions_total = len(dc_ids)
    run.save(update_fields=["partitions_total", "updated_at"])
    return run


def bill_groups_for(dc_ids: list[int]) -> dict[int, BillGroup]:
    """The bill group of each distribution centre, created on first use (one group per DC)."""
    existing = {g.office_id: g for g in BillGroup.objects.filter(office_id__in=dc_ids, route="")}
    for dc in Office.objects.filter(id__in=dc_ids).exclude(id__in=list(existing)):
        existing[dc.id], _created = BillGroup.objects.get_or_create(code=dc.code, defaults={"office": dc})
    return existing


def bill_run_start(*, run: BillRun, by=None) -> BillRun:
    """Queue every unfinished partition (eager without a broker: they run here and now). A staff user
    may start or resume only a run whose whole scope lies within their offices."""
    from .tasks import bill_partition_task

    if by is not None:
        _require(by, roles.RUN_BILLING)
        if not by.sees_everything and (
            by.office is None or run.office is None or not by.office.contains(run.office)
        ):
            raise PermissionDenied(_("This run covers offices outside yours."))
    BillRun.objects.filter(pk=run.pk, started_at__isnull=True).update(started_at=timezone.now())
    BillRun.objects.filter(pk=run.pk).update(status=RunStatus.RUNNING)
    pending = list(run.partitions.exclude(status=RunStatus.DONE).values_list("id", flat=True))
    for partition_id in pending:
        bill_partition_task.delay(partition_id)
    _run_finish_if_done(run.pk)
    run.refresh_from_db()
    return run


def bill_partition_execute(*, partition_id: int) -> BillRunPartition:
    """Bill one partition in one transaction. Safe to call again: a done partition does nothing, and
    accounts billed for the period by anyone are skipped."""
    try:
        with transaction.atomic():
            partition = (
                BillRunPartition.objects.select_for_update()
                .select_related("run__cycle", "office")
                .get(pk=partition_id)
            )
            if partition.status == RunStatus.DONE:
                return partition
            _bill_partition(partition)
    except Exception as exc:  # a failed partition is recorded and can be resumed; others go on
        logger.exception("bill run partition %s failed", partition_id)
        BillRunPartition.objects.filter(pk=partition_id).update(
            status=RunStatus.FAILED, error=str(exc)[:2000], finished_at=timezone.now()
        )
        partition = BillRunPartition.objects.get(pk=partition_id)
        _run_finish_if_done(partition.run_id)
        return partition
    _run_finish_if_done(partition.run_id)
    return BillRunPartition.objects.get(pk=partition_id)


def _bill_partition(partition: BillRunPartition) -> None:
    run, cycle = partition.run, partition.run.cycle
    partition.started_at = timezone.now()
    consumers = list(
        Consumer.objects.filter(
            office=partition.office, status=ConsumerStatus.ACTIVE, connection_date__lte=cycle.period_end
        ).order_by("id")
    )
    # No account locks: the partition row lock (taken by the caller) serialises re-deliveries of this
    # partition, accounts already billed for the period are skipped, and the unique constraint on
    # (account, period) stops any other writer. Payments posted meanwhile only move the arrears.
    billed = set(
        Bill.objects.filter(consumer__office=partition.office, period=cycle.code)
        .exclude(status=BillStatus.CANCELLED)
        .values_list("consumer_id", flat=True)
    )
    todo = [c for c in consumers if c.id not in billed]
    bills = compute_bills(todo, cycle, tariff_book(), fppas_schedule(cycle.period_start, cycle.period_end))
    for bill in bills:
        bill.run = run
    Bill.objects.bulk_create(bills, batch_size=2000)
    issued = [b for b in bills if b.status == BillStatus.ISSUED]
    entries_post_bulk([entry for bill in issued for entry in ledger_entries_for(bill)])
    partition.accounts = len(consumers)
    partition.skipped = len(consumers) - len(todo)
    partition.billed = len(issued)
    partition.held = len(bills) - len(issued)
    partition.status = RunStatus.DONE
    partition.error = ""
    partition.finished_at = timezone.now()
    partition.save()
    BillRun.objects.filter(pk=run.pk).update(
        accounts=F("accounts") + partition.accounts,
        billed=F("billed") + partition.billed,
        held=F("held") + partition.held,
        skipped=F("skipped") + partition.skipped,
        partitions_done=F("partitions_done") + 1,
    )


def _run_finish_if_done(run_id: int) -> None:
    run = BillRun.objects.get(pk=run_id)
    statuses = list(run.partitions.values_list("status", flat=True))
    if statuses and all(s in (RunStatus.DONE, RunStatus.FAILED) for s in statuses):
        failed = sum(1 for s in statuses if s == RunStatus.FAILED)
        BillRun.objects.filter(pk=run_id).update(
            status=RunStatus.FAILED if failed else RunStatus.DONE, failed=failed, finished_at=timezone.now()
        )
    elif not statuses:
        BillRun.objects.filter(pk=run_id).update(status=RunStatus.DONE, finished_at=timezone.now())


def bill_run(*, cycle_code: str, office: Office | None = None, by=None) -> BillRun:
    """Create and start a run (what `urja billrun` and the console's button do)."""
    run = bill_run_create(cycle_code=cycle_code, office=office, by=by)
    return bill_run_start(run=run, by=by)


# --- ledger ------------------------------------------------------------------------------------------


def ledger_entries_for(bill: Bill) -> list[LedgerEntry]:
    """The entries an issued bill posts: its charges (gross of subsidy) and the government's subsidy
    as a credit. Arrears and surcharge are already in the ledger and are not posted again."""
    gross = bill.current_charges - bill.subsidy  # subsidy is negative or zero
    common = {
        "consumer_id": bill.consumer_id,
        "entry_date": bill.issue_date,
        "period": bill.period,
        "source_type": "bill",
        "source_id": bill.pk,
    }
    entries = []
    if gross > 0:
        entries.append(
            LedgerEntry(
                entry_type=EntryType.BILL,
                amount=gross,
                due_date=bill.due_date,
                description=f"Bill {bill.bill_number}",
                **common,
            )
        )
    elif gross < 0:
        entries.append(
            LedgerEntry(
                entry_type=EntryType.ADJUSTMENT,
                amount=gross,
                description=f"Credit on bill {bill.bill_number}",
                **common,
            )
        )
    if bill.subsidy < 0:
        entries.append(
            LedgerEntry(
                entry_type=EntryType.SUBSIDY,
                amount=bill.subsidy,
                description=f"Government subsidy on bill {bill.bill_number}",
                **common,
            )
        )
    return entries


# --- review of held bills -------------------------------------------------------------------------------


def _held_bill_for_update(bill_id: int, by) -> Bill:
    from urja.org.selectors import office_q

    bill = (
        Bill.objects.select_for_update()
        .filter(office_q(by, field="consumer__office"))
        .filter(pk=bill_id)
        .first()
        if by
        else Bill.objects.select_for_update().filter(pk=bill_id).first()
    )
    if bill is None:
        from django.http import Http404

        raise Http404("no such bill")
    if bill.status != BillStatus.HELD:
        raise ValidationError(_("Only a held bill can be reviewed."))
    return bill


@transaction.atomic
def bill_approve(*, bill_id: int, by) -> Bill:
    """Issue a held bill as computed, posting it to the ledger."""
    _require(by, roles.REVIEW_BILLS)
    Consumer.objects.select_for_update().filter(bills__pk=bill_id).first()
    bill = _held_bill_for_update(bill_id, by)
    if "ERROR" in bill.hold_reason_list:
        raise ValidationError(_("This bill could not be computed; correct the reading first."))
    bill.status = BillStatus.ISSUED
    bill.reviewed_by, bill.reviewed_at = by, timezone.now()
    bill.save(update_fields=["status", "reviewed_by", "reviewed_at", "updated_at"])
    entries_post_bulk(ledger_entries_for(bill))
    return bill


@transaction.atomic
def bill_hold(*, bill_id: int, by, note: str) -> Bill:
    """Keep a bill held, with a note (e.g. "site inspection ordered")."""
    _require(by, roles.REVIEW_BILLS)
    bill = _held_bill_for_update(bill_id, by)
    bill.notes = [*bill.notes, f"{timezone.localdate().isoformat()} {by.username}: {note}"]
    bill.reviewed_by, bill.reviewed_at = by, timezone.now()
    bill.save(update_fields=["notes", "reviewed_by", "reviewed_at", "updated_at"])
    return bill


def _recompute(
    bill: Bill, *, units: Decimal | None, basis: str | None = None, revision: bool = False
) -> eng.BillResult:
    """Price `bill` again. A review correction prices the corrected units alone; a revision keeps what
    the original bill carried besides them: the provisional true-up, the meter-not-accessible penalty
    and, when the units are not corrected, the kVAh billed."""
    consumer = bill.consumer
    new_basis = eng.BillBasis(basis or (bill.basis if bill.basis != "MIN" else "MU"))
    corrected = units is not None
    return eng.compute_bill(
        eng.BillInput(
            tariffs=tariff_book(),
            category=consumer.category,
            sanctioned_load=bill.sanctioned_load,
            load_unit=LoadUnit(bill.load_unit),
            period_start=bill.period_start,
            period_end=bill.period_end,
            units=(units if corrected else bill.units) if new_basis != eng.BillBasis.UM else None,
            kvah=bill.kvah if revision and not corrected and new_basis != eng.BillBasis.UM else None,
            basis=new_basis,
            phase=consumer.phase,
            na_penalty=revision and bill.penalty > 0,
            fppas=fppas_schedule(bill.period_start, bill.period_end),
            arrears=bill.arrears,
            has_arrears=bill.arrears > 0,
            true_up_units=bill.true_up_units if revision and new_basis != eng.BillBasis.UM else ZERO,
            lpsc=bill.lpsc,
            fallback_category="LMV1-URBAN" if consumer.area_type == "urban" else "LMV1-RURAL",
        )
    )


@transaction.atomic
def bill_correct(*, bill_id: int, by, units: Decimal, reason: str, issue: bool = True) -> Bill:
    """Correct the units of a held bill (after checking the reading), recompute it, and issue it."""
    _require(by, roles.REVIEW_BILLS)
    if units is None or units < 0:
        raise ValidationError({"units": _("Enter the corrected units (zero or more).")})
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the units are corrected.")})
    Consumer.objects.select_for_update().filter(bills__pk=bill_id).first()
    bill = _held_bill_for_update(bill_id, by)
    try:
        result = _recompute(bill, units=Decimal(units), basis="MU")
    except ValueError as exc:
        raise ValidationError(str(exc))
    apply_result(bill, result, Decimal(settings.URJA_BILLING["LPSC_PERCENT_FIRST_MONTHS"]))
    bill.true_up_units = ZERO
    bill.notes = [*bill.notes, f"units corrected to {units} by {by.username}: {reason}"]
    bill.reviewed_by, bill.reviewed_at = by, timezone.now()
    if issue:
        bill.status = BillStatus.ISSUED
    bill.full_clean(exclude=["consumer", "run", "revision_of"])
    bill.save()
    if issue:
        entries_post_bulk(ledger_entries_for(bill))
    return bill


# --- revisions of issued bills ----------------------------------------------------------------------------


@transaction.atomic
def bill_revision_request(*, bill: Bill, by, reason: str, units: Decimal | None) -> BillRevision:
    """Ask to cancel an issued bill and issue a corrected one. Applied at once when the payable changes
    by no more than the configured amount; otherwise it waits for a higher role's approval."""
    _require(by, roles.REVIEW_BILLS)
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the bill is revised.")})
    Consumer.objects.select_for_update().filter(pk=bill.consumer_id).first()
    bill = Bill.objects.select_for_update().get(pk=bill.pk)
    if bill.status != BillStatus.ISSUED:
        raise ValidationError(_("Only an issued bill can be revised."))
    if BillRevision.objects.filter(bill=bill, status=RevisionStatus.PENDING).exists():
        raise ValidationError(_("A revision of this bill is already waiting for approval."))
    try:
        result = _recompute(bill, units=units, basis=None if units is None else "MU", revision=True)
    except ValueError as exc:
        raise ValidationError(str(exc))
    revision = BillRevision.objects.create(
        bill=bill,
        consumer_id=bill.consumer_id,
        reason=reason,
        new_units=units,
        new_basis=result.basis.value,
        old_payable=bill.payable,
        new_payable=result.payable,
        requested_by=by,
    )
    limit = Decimal(settings.URJA_BILLING["REVISION_APPROVAL_ABOVE"])
    if abs(revision.difference) <= limit:
        _revision_apply(revision, by)
    return revision


@transaction.atomic
def bill_revision_decide(*, revision_id: int, by, approve: bool, note: str = "") -> BillRevision:
    _require(by, roles.APPROVE_REVISIONS)
    from urja.org.selectors import office_q

    # Lock order: account › bill › revision. Take the account first (as bill_revision_request does), so
    # this never holds the revision or the bill while waiting for the account.
    consumer_id = BillRevision.objects.filter(pk=revision_id).values_list("consumer_id", flat=True).first()
    if consumer_id is not None:
        Consumer.objects.select_for_update().filter(pk=consumer_id).first()
    revision = (
        BillRevision.objects.select_for_update()
        .select_related("bill")
        .filter(office_q(by, field="consumer__office"))
        .filter(pk=revision_id)
        .first()
    )
    if revision is None:
        from django.http import Http404

        raise Http404("no such revision")
    if revision.status != RevisionStatus.PENDING:
        raise ValidationError(_("This revision has already been decided."))
    if revision.requested_by_id == by.pk:
        raise PermissionDenied(_("The officer who asked for a revision cannot approve it."))
    if by.role == revision.requested_by.role and not by.sees_everything:
        raise PermissionDenied(_("A revision of this size needs approval by a higher officer."))
    if note.strip():
        revision.reason = f"{revision.reason} | {by.username}: {note.strip()}"[:255]
    if approve:
        _revision_apply(revision, by)
    else:
        revision.status, revision.decided_by, revision.decided_at = (
            RevisionStatus.REJECTED,
            by,
            timezone.now(),
        )
        revision.save()
    return revision


def _revision_apply(revision: BillRevision, by) -> None:
    old = Bill.objects.select_for_update().get(pk=revision.bill_id)
    result = _recompute(
        old, units=revision.new_units, basis=None if revision.new_units is None else "MU", revision=True
    )
    now = timezone.now()
    old.status, old.cancelled_by, old.cancelled_at, old.cancel_reason = (
        BillStatus.CANCELLED,
        by,
        now,
        revision.reason[:255],
    )
    old.save(update_fields=["status", "cancelled_by", "cancelled_at", "cancel_reason", "updated_at"])
    for entry in LedgerEntry.objects.filter(
        source_type="bill", source_id=old.pk, reverses__isnull=True, reversed_by__isnull=True
    ):
        entry_reverse(
            entry=entry,
            by=by,
            reason=f"bill {old.bill_number} revised: {revision.reason}"[:255],
            entry_date=timezone.localdate(),
        )
    count = Bill.objects.filter(consumer_id=old.consumer_id, period=old.period).count()
    new = Bill(
        consumer_id=old.consumer_id,
        period=old.period,
        period_start=old.period_start,
        period_end=old.period_end,
        bill_number=bill_number(old.period, old.consumer.account_number, count),
        status=BillStatus.ISSUED,
        basis=result.basis.value,
        category=old.category,
        sanctioned_load=old.sanctioned_load,
        load_unit=old.load_unit,
        units=revision.new_units if revision.new_units is not None else old.units,
        reading_status=old.reading_status,
        closing_reading_id=old.closing_reading_id,
        issue_date=timezone.localdate(),
        due_date=timezone.localdate() + datetime.timedelta(days=settings.URJA_BILLING["DUE_DAYS"]),
        revision_of=old,
        notes=[f"revision of {old.bill_number}: {revision.reason}"],
        reviewed_by=by,
        reviewed_at=now,
    )
    apply_result(new, result, Decimal(settings.URJA_BILLING["LPSC_PERCENT_FIRST_MONTHS"]))
    try:
        new.save()
    except IntegrityError:
        raise ValidationError(_("The bill changed while it was being revised; try again."))
    entries_post_bulk(ledger_entries_for(new))
    revision.status, revision.decided_by, revision.decided_at, revision.new_bill = (
        RevisionStatus.APPLIED,
        by,
        now,
        new,
    )
    revision.new_payable = new.payable
    revision.save()
