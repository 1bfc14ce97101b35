"""Bills, statements, ageing and bill runs over the API. Staff tokens only; everything is limited to
the caller's office subtree (another office's bill or consumer is a 404)."""

from datetime import date

from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from urja.api.auth import StaffTokenAuth
from urja.api.errors import ApiError
from urja.api.fields import InputDate
from urja.api.pagination import LimitOffset
from urja.common import clock
from urja.customers.selectors import consumer_get
from urja.domain.money import format_money
from urja.ledger import selectors as ledger_selectors
from urja.org import roles
from urja.org.selectors import offices_for_user

from . import runs, selectors

router = Router(tags=["billing"], auth=StaffTokenAuth())

TOTALS = (
    "energy_charge", "fixed_charge", "min_charge_topup", "true_up", "electricity_duty", "fppas", "rebate",
    "subsidy", "penalty", "lpsc", "arrears", "current_charges", "round_off", "payable", "payable_after_due",
    "solar_credit", "late_rebate",
)  # fmt: skip


class BillSummaryOut(Schema):
    id: int
    bill_number: str
    period: str
    status: str
    basis: str
    units: str | None
    payable: str
    issue_date: date
    due_date: date

    @staticmethod
    def resolve_units(bill) -> str | None:
        return None if bill.units is None else format_money(bill.units)

    @staticmethod
    def resolve_payable(bill) -> str:
        return format_money(bill.payable)


class BillLineOut(Schema):
    head: str
    description: str
    amount: str
    quantity: str | None = None
    rate: str | None = None
    unit: str | None = None


class BillOut(Schema):
    id: int
    bill_number: str
    account_number: str
    period: str
    period_start: date
    period_end: date
    status: str
    hold_reasons: list[str]
    basis: str
    category: str
    sanctioned_load: str
    load_unit: str
    units: str | None
    kvah: str | None
    export_units: str | None = None
    banked_units: str | None = None
    reading_status: str
    issue_date: date
    due_date: date
    lines: list[BillLineOut]
    totals: dict[str, str]
    notes: list[str]
    revision_of: str | None
    run_id: int | None


def bill_as_dict(bill) -> dict:
    return {
        "id": bill.id,
        "bill_number": bill.bill_number,
        "account_number": bill.consumer.account_number,
        "period": bill.period,
        "period_start": bill.period_start,
        "period_end": bill.period_end,
        "status": bill.status,
        "hold_reasons": bill.hold_reason_list,
        "basis": bill.basis,
        "category": bill.category,
        "sanctioned_load": format_money(bill.sanctioned_load),
        "load_unit": bill.load_unit,
        "units": None if bill.units is None else format_money(bill.units),
        "kvah": None if bill.kvah is None else format_money(bill.kvah),
        "export_units": None if bill.export_units is None else format_money(bill.export_units),
        "banked_units": None if bill.banked_units is None else format_money(bill.banked_units),
        "reading_status": bill.reading_status,
        "issue_date": bill.issue_date,
        "due_date": bill.due_date,
        "lines": bill.lines,
        "totals": {name: format_money(getattr(bill, name)) for name in TOTALS},
        "notes": [str(note) for note in bill.notes],
        "revision_of": bill.revision_of.bill_number if bill.revision_of_id else None,
        "run_id": bill.run_id,
    }


class StatementParams(Schema):
    date_from: InputDate | None = Field(None, alias="from")
    date_to: InputDate | None = Field(None, alias="to")


class StatementLineOut(Schema):
    date: date
    type: str
    description: str
    period: str
    debit: str
    credit: str
    balance: str


class StatementOut(Schema):
    account_number: str
    date_from: date = Field(..., alias="from")
    date_to: date = Field(..., alias="to")
    opening_balance: str
    total_debits: str
    total_credits: str
    closing_balance: str
    lines: list[StatementLineOut]


class AgeingOut(Schema):
    account_number: str
    as_of: date
    buckets: dict[str, str]
    outstanding: str
    advance: str
    older_than_two_years: str
    stale_dues: bool


class RunIn(Schema):
    cycle: str = Field(..., description="Billing month, YYYY-MM", max_length=7)
    office_code: str | None = Field(None, description="Office to bill (its subtree); default your office")


class PartitionOut(Schema):
    office_code: str
    status: str
    accounts: int
    billed: int
    held: int
    skipped: int
    error: str


class RunOut(Schema):
    id: int
    cycle: str
    office_code: str | None
    status: str
    accounts: int
    billed: int
    held: int
    held_percent: str
    skipped: int
    failed: int
    partitions_done: int
    partitions_total: int
    progress_percent: int
    started_at: str | None
    finished_at: str | None
    stale: bool = Field(
        ..., description="Unfinished with no progress for a while: stopped, and resumable from the console."
    )
    partitions: list[PartitionOut]


def run_as_dict(run, principal=None) -> dict:
    return {
        "id": run.pk,
        "cycle": run.cycle_id and run.cycle.code,
        "office_code": run.office.code if run.office_id else None,
        "status": run.status,
        "accounts": run.accounts,
        "billed": run.billed,
        "held": run.held,
        "held_percent": format_money(run.held_percent),
        "skipped": run.skipped,
        "failed": run.failed,
        "partitions_done": run.partitions_done,
        "partitions_total": run.partitions_total,
        "progress_percent": run.progress_percent,
        "started_at": run.started_at.isoformat() if run.started_at else None,
        "finished_at": run.finished_at.isoformat() if run.finished_at else None,
        "stale": selectors.run_stale_since(run) is not None,
        "partitions": [
            {
                "office_code": p.office.code,
                "status": p.status,
                "accounts": p.accounts,
                "billed": p.billed,
                "held": p.held,
                "skipped": p.skipped,
                "error": p.error,
            }
            for p in selectors.run_partitions(run, principal)
        ],
    }


@router.get("/consumers/{account_number}/bills", response=list[BillSummaryOut], summary="A consumer's bills")
@paginate(LimitOffset)
def consumer_bills(request, account_number: str):
    """Latest first, cancelled bills included (a revision cancels a bill and issues another)."""
    consumer = consumer_get(principal=request.principal, account_number=account_number)
    return consumer.bills.order_by("-period", "-id")


@router.get("/bills/{bill_id}", response=BillOut, summary="Bill with line items and totals")
def bill_detail(request, bill_id: int):
    return bill_as_dict(selectors.bill_get(request.principal, bill_id))


@router.get(
    "/bills/{bill_id}/pdf",
    summary="Bill PDF (Hindi and English)",
    openapi_extra={"responses": {200: {"content": {"application/pdf": {}}}}},
)
def bill_pdf(request, bill_id: int):
    bill = selectors.bill_get(request.principal, bill_id)
    try:
        from urja.billing.pdf import render_bill_pdf
    except ImportError:
        raise ApiError(503, "unavailable", "Bill PDFs are not available on this server yet.")
    response = HttpResponse(render_bill_pdf(bill), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="bill-{bill.bill_number}.pdf"'
    return response


@router.get(
    "/consumers/{account_number}/statement",
    response=StatementOut,
    by_alias=True,
    summary="Ledger statement with running balance",
)
def consumer_statement(request, account_number: str, params: Query[StatementParams]):
    """Opening balance, the entries between `from` and `to` (default: the last twelve months) with the
    balance after each, and the closing balance. Amounts are strings; a debit raises the balance."""
    consumer = consumer_get(principal=request.principal, account_number=account_number)
    date_to = params.date_to or clock.today()
    date_from = params.date_from or selectors.last_twelve_months(date_to)[0]
    if date_from > date_to:
        raise ValidationError({"from": "The start date must not be after the end date."})
    statement = ledger_selectors.statement(consumer.id, date_from, date_to)
    return {"account_number": consumer.account_number, **selectors.statement_as_dict(statement)}


@router.get("/consumers/{account_number}/ageing", response=AgeingOut, summary="Arrears ageing")
def consumer_ageing(request, account_number: str):
    """Unpaid dues by days overdue (0-30, 31-90, 91-180, 181-365, >365); dues older than two years are
    flagged (`stale_dues`)."""
    consumer = consumer_get(principal=request.principal, account_number=account_number)
    ageing = ledger_selectors.ageing(consumer.id, clock.today())
    return {
        "account_number": consumer.account_number,
        "as_of": ageing.as_of,
        "buckets": {name: format_money(amount) for name, amount in ageing.buckets.items()},
        "outstanding": format_money(ageing.outstanding),
        "advance": format_money(ageing.advance),
        "older_than_two_years": format_money(ageing.older_than_two_years),
        "stale_dues": ageing.has_stale_dues,
    }


@router.post("/billing/runs", response={201: RunOut}, summary="Start a bill run")
def run_start(request, payload: RunIn):
    """Bill every active account of the office (default: the caller's) for the month. Needs the
    right to run billing. Without a task broker the run finishes before the response."""
    user = request.principal
    if not user.can(roles.RUN_BILLING):
        raise ApiError(403, "forbidden", "You may not run billing.")
    office = None
    if payload.office_code:
        office = offices_for_user(user).filter(code=payload.office_code).first()
        if office is None:
            raise Http404("no such office")
    run = runs.bill_run(cycle_code=payload.cycle, office=office, by=user)
    return Status(201, run_as_dict(selectors.run_get(user, run.pk), user))


@router.get("/billing/runs/{run_id}", response=RunOut, summary="Bill run progress and counts")
def run_detail(request, run_id: int):
    return run_as_dict(selectors.run_get(request.principal, run_id), request.principal)
