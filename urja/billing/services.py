"""Review of held bills (approve, correct, keep on hold) and revisions of issued bills (cancel and
rebill, with maker-checker above the configured limit). Each public function is one transaction.
Bill runs are in `runs` and `partitions`."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from urja.common import clock
from urja.common.errors import NotFound
from urja.customers.models import Consumer
from urja.customers.selectors import category_on
from urja.domain import engine as eng
from urja.domain.determinants import Hold
from urja.ledger.models import LedgerEntry
from urja.ledger.selectors import ledger_rows
from urja.ledger.services import entries_post_bulk, entry_reverse
from urja.org import roles
from urja.org.permissions import outranks, require
from urja.tariffs.selectors import bill_month, fppas_for_bill_date, fppas_missing_message, tariff_book

from .choices import BillStatus, RevisionStatus
from .compute import apply_result, banked_before, bill_input, bill_number, ledger_entries_for, period_demand
from .models import Bill, BillRevision
from .notices import bills_issued_notify, ebills_queue

ZERO = Decimal("0.00")


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
        raise NotFound("no such bill")
    if bill.status != BillStatus.HELD:
        raise ValidationError(_("Only a held bill can be reviewed."))
    return bill


@transaction.atomic
def bill_approve(*, bill_id: int, by) -> Bill:
    """Issue a held bill as computed, posting it to the ledger."""
    require(by, roles.REVIEW_BILLS)
    Consumer.objects.select_for_update().filter(bills__pk=bill_id).first()
    bill = _held_bill_for_update(bill_id, by)
    if "ERROR" in bill.hold_reason_list:
        raise ValidationError(_("This bill could not be computed; correct the reading first."))
    if Hold.FPPAS_MISSING in bill.hold_reason_list:
        raise ValidationError(
            _(
                "This bill was priced without FPPAS: no order was entered for bills of %(month)s. Enter "
                "the order, then correct the bill so it is priced again."
            )
            % {"month": bill_month(bill.issue_date)}
        )
    bill.status = BillStatus.ISSUED
    bill.reviewed_by, bill.reviewed_at = by, clock.now()
    bill.save(update_fields=["status", "reviewed_by", "reviewed_at", "updated_at"])
    entries_post_bulk(ledger_entries_for(bill))
    bills_issued_notify([bill], {bill.consumer_id: bill.consumer})
    return bill


@transaction.atomic
def bill_hold(*, bill_id: int, by, note: str) -> Bill:
    """Keep a bill held, with a note (e.g. "site inspection ordered")."""
    require(by, roles.REVIEW_BILLS)
    bill = _held_bill_for_update(bill_id, by)
    bill.notes = [*bill.notes, f"{clock.today().isoformat()} {by.username}: {note}"]
    bill.reviewed_by, bill.reviewed_at = by, clock.now()
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
    # FPPAS is that of the bill's issue month (a revision keeps the month of the bill it replaces).
    fppas = fppas_for_bill_date(bill.issue_date)
    if fppas is None:
        raise ValueError(fppas_missing_message(bill_month(bill.issue_date)))
    md_kva, tod_registers = period_demand(consumer.pk, bill.period_start, bill.period_end, new_basis.value)
    return eng.compute_bill(
        bill_input(
            consumer,
            tariffs=tariff_book(),
            period_start=bill.period_start,
            period_end=bill.period_end,
            sanctioned_load=bill.sanctioned_load,
            load_unit=bill.load_unit,
            units=(units if corrected else bill.units) if new_basis != eng.BillBasis.UM else None,
            kvah=bill.kvah if revision and not corrected and new_basis != eng.BillBasis.UM else None,
            basis=new_basis.value,
            na_penalty=revision and bill.penalty > 0,
            fppas=fppas,
            arrears=bill.arrears,
            true_up_units=bill.true_up_units if revision and new_basis != eng.BillBasis.UM else ZERO,
            true_up_periods=tuple(eng.TrueUpPeriod.from_dict(p) for p in bill.true_up_periods)
            if revision and new_basis != eng.BillBasis.UM
            else (),
            lpsc=bill.lpsc,
            fppas_month=bill_month(bill.issue_date),
            md_kva=md_kva,
            tod_registers=tod_registers,
            export_units=bill.export_units,
            banked_units=banked_before(bill),
            issue_date=bill.issue_date,
            category=category_on(consumer, bill.period_end),
        )
    )


@transaction.atomic
def bill_correct(*, bill_id: int, by, units: Decimal, reason: str, issue: bool = True) -> Bill:
    """Correct the units of a held bill (after checking the reading), recompute it, and issue it."""
    require(by, roles.REVIEW_BILLS)
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
    apply_result(bill, result, ledger=ledger_rows([bill.consumer_id], bill.issue_date)[bill.consumer_id])
    bill.true_up_units = ZERO
    bill.true_up_periods = []
    bill.notes = [*bill.notes, f"units corrected to {units} by {by.username}: {reason}"]
    bill.reviewed_by, bill.reviewed_at = by, clock.now()
    if issue:
        bill.status = BillStatus.ISSUED
    bill.full_clean(exclude=["consumer", "run", "revision_of"])
    bill.save()
    if issue:
        entries_post_bulk(ledger_entries_for(bill))
        bills_issued_notify([bill], {bill.consumer_id: bill.consumer})
    return bill


# --- revisions of issued bills ----------------------------------------------------------------------------


@transaction.atomic
def bill_revision_request(*, bill: Bill, by, reason: str, units: Decimal | None) -> BillRevision:
    """Ask to cancel an issued bill and issue a corrected one. Applied at once when the payable changes
    by no more than the configured amount; otherwise it waits for a higher role's approval."""
    require(by, roles.REVIEW_BILLS)
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
        cumulative_difference=result.payable - _limit_baseline(bill),
        requested_by=by,
    )
    limit = Decimal(settings.URJA_BILLING["REVISION_APPROVAL_ABOVE"])
    if abs(revision.difference) <= limit and abs(revision.cumulative_difference) <= limit:
        _revision_apply(revision, by)
    return revision


def _limit_baseline(bill: Bill) -> Decimal:
    """The payable the period's revision limit counts from: walking back the revisions of `bill`, the
    last bill a second officer approved, or else the bill as first issued. Revisions an officer applied
    on their own add up, so a large change cannot be made in small steps."""
    while bill.revision_of_id is not None:
        made_by = (
            BillRevision.objects.filter(new_bill=bill).values_list("requested_by_id", "decided_by_id").first()
        )
        if made_by is not None and made_by[1] is not None and made_by[0] != made_by[1]:
            return bill.payable
        bill = Bill.objects.only("payable", "revision_of_id").get(pk=bill.revision_of_id)
    return bill.payable


@transaction.atomic
def bill_revision_decide(*, revision_id: int, by, approve: bool, note: str = "") -> BillRevision:
    require(by, roles.APPROVE_REVISIONS)
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
        raise NotFound("no such revision")
    if revision.status != RevisionStatus.PENDING:
        raise ValidationError(_("This revision has already been decided."))
    if revision.requested_by_id == by.pk:
        raise PermissionDenied(_("The officer who asked for a revision cannot approve it."))
    if not outranks(by, revision.requested_by):
        raise PermissionDenied(_("A revision of this size needs approval by a higher officer."))
    if note.strip():
        revision.reason = f"{revision.reason} | {by.username}: {note.strip()}"[:255]
    if approve:
        _revision_apply(revision, by)
    else:
        revision.status, revision.decided_by, revision.decided_at = (
            RevisionStatus.REJECTED,
            by,
            clock.now(),
        )
        revision.save()
    return revision


def _revision_apply(revision: BillRevision, by) -> None:
    old = Bill.objects.select_for_update().get(pk=revision.bill_id)
    result = _recompute(
        old, units=revision.new_units, basis=None if revision.new_units is None else "MU", revision=True
    )
    now = clock.now()
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
            entry_date=clock.today(),
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
        true_up_units=old.true_up_units if result.true_up else ZERO,
        true_up_periods=old.true_up_periods if result.true_up else [],
        reading_status=old.reading_status,
        closing_reading_id=old.closing_reading_id,
        issue_date=clock.today(),
        due_date=clock.today() + datetime.timedelta(days=settings.URJA_BILLING["DUE_DAYS"]),
        revision_of=old,
        notes=[f"revision of {old.bill_number}: {revision.reason}"],
        reviewed_by=by,
        reviewed_at=now,
    )
    # the old bill's entries are reversed by now (they cancel), so these are the dues the revision adds to
    apply_result(new, result, ledger=ledger_rows([old.consumer_id], new.issue_date)[old.consumer_id])
    try:
        new.save()
    except IntegrityError:
        raise ValidationError(_("The bill changed while it was being revised; try again."))
    entries_post_bulk(ledger_entries_for(new))
    # The revised bill is a new bill: it goes by e-mail as well to a consumer who takes e-bills.
    ebills_queue([new], {old.consumer_id: old.consumer})
    revision.status, revision.decided_by, revision.decided_at, revision.new_bill = (
        RevisionStatus.APPLIED,
        by,
        now,
        new,
    )
    revision.new_payable = new.payable
    revision.save()
