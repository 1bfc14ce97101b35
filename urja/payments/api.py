"""Payments API: the BBPS-style biller API for banks, BBPS agents and payment apps.

Partners authenticate with X-API-Key. A partner with an office sees only that office's accounts; any
other account is a 404, exactly like an unknown one. Every payment a partner posts is unique by the
partner's own transaction reference, so a retry can never post twice.
"""

import re
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Literal

from ninja import Field, Query, Router, Schema, Status
from pydantic import AwareDatetime, field_validator

from urja.api.auth import PartnerKeyAuth
from urja.api.errors import ApiError
from urja.common import clock
from urja.customers.selectors import consumer_get
from urja.domain import account_number as acct
from urja.domain.masking import mask_name
from urja.domain.money import format_money

from .choices import Channel
from .dues import dues_get
from .models import Payment
from .services import PaymentConflict, payment_max, payment_post

router = Router(tags=["payments"])
partner_auth = PartnerKeyAuth()

# Digits of any script are read as ASCII by Decimal(); the most a payment may be is configured
# (URJA_PAYMENTS["PAYMENT_MAX"]) and checked here and again by payment_post.
AMOUNT_TEXT = re.compile(r"^\d+(\.\d{1,2})?$")
REFERENCE_PATTERN = r"^[A-Za-z0-9._:/-]{1,64}$"


class ErrorOut(Schema):
    code: str
    message: str


class FieldErrorOut(Schema):
    field: str
    message: str


class InvalidOut(ErrorOut):
    errors: list[FieldErrorOut] = []


class ConflictOut(ErrorOut):
    receipt_number: str = Field(..., description="The receipt already issued for this reference.")


class BillerBillOut(Schema):
    account: str
    name: str = Field(..., description='Masked: first letter of each word, e.g. "R*** K****".')
    bill_number: str | None = Field(..., description="Latest issued bill; null if the account has none.")
    bill_date: date | None = Field(..., description="Issue date of the latest bill.")
    due_date: date | None = Field(..., description="Due date of the latest bill.")
    bill_amount: str | None = Field(..., description="Payable printed on the latest bill (for reference).")
    amount_payable: str = Field(
        ...,
        description="What the consumer owes now: the ledger balance, never negative. Collect this amount.",
    )
    advance: str = Field(..., description="Advance held against future bills (when nothing is due).")
    status: Literal["due", "overdue", "no_dues"]


class PaymentIn(Schema):
    account: str = Field(..., max_length=20, description="10-digit account number.", examples=["1900000011"])
    amount: Decimal = Field(
        ...,
        description='Rupees, more than zero, at most 2 decimals; a string ("1727.50") is preferred.',
        examples=["1727.50"],
    )
    reference: str = Field(
        ...,
        pattern=REFERENCE_PATTERN,
        description="Your unique transaction id (UTR, BBPS txn ref): letters, digits and . _ : / - only.",
        examples=["BBPS26112800001"],
    )
    channel: str = Field(
        ..., min_length=1, max_length=20, description='How the consumer paid: "BBPS", "UPI", "NETBANKING"…'
    )
    paid_at: AwareDatetime = Field(
        ...,
        description="When the consumer paid, ISO 8601 with time zone.",
        examples=["2026-11-28T10:15:00+05:30"],
    )

    @field_validator("amount", mode="before")
    @classmethod
    def _exact_amount(cls, value):
        # JSON numbers arrive as floats; their shortest repr is what the partner wrote (1727.5 → "1727.5").
        if isinstance(value, bool) or not isinstance(value, str | int | float):
            raise ValueError("amount must be a number of rupees")
        text = value.strip() if isinstance(value, str) else repr(value)
        if not AMOUNT_TEXT.match(text):
            raise ValueError("amount must be rupees with at most 2 decimals, e.g. 1727.50")
        try:
            amount = Decimal(text)
        except InvalidOperation:
            raise ValueError("amount must be rupees with at most 2 decimals, e.g. 1727.50")
        if amount <= 0:
            raise ValueError("amount must be more than zero")
        if amount > payment_max(Channel.PARTNER):
            raise ValueError(f"amount is more than one payment may be ({payment_max(Channel.PARTNER):.2f})")
        return amount


class AllocationOut(Schema):
    period: str = Field(..., description='Billing month the money went to (YYYY-MM; "" for opening arrears).')
    kind: str = Field(..., description="surcharge or principal (surcharge is settled first).")
    amount: str


class ReceiptOut(Schema):
    receipt_number: str
    account: str
    amount: str
    reference: str
    channel: str = Field(..., description="The channel the partner sent.")
    paid_at: datetime
    posted_at: datetime
    allocation: list[AllocationOut] = Field(..., description="Oldest dues first; surcharge before principal.")
    advance: str = Field(..., description="Part of the amount held as advance against future bills.")
    status: str = Field(..., description="posted, or later bounced / cancelled.")


def receipt_as_dict(payment: Payment) -> dict:
    return {
        "receipt_number": payment.receipt_number,
        "account": payment.account_number,
        "amount": format_money(payment.amount),
        "reference": payment.reference,
        "channel": payment.instrument_bank,
        "paid_at": clock.localtime(payment.paid_at),
        "posted_at": clock.localtime(payment.posted_at),
        "allocation": payment.allocation,
        "advance": format_money(payment.advance),
        "status": payment.status,
    }


def _source(partner) -> str:
    return f"partner:{partner.pk}"


def _consumer(request, account: str):
    """The partner's consumer, 422 for a mistyped number, 404 for unknown or outside its office."""
    try:
        number = acct.normalize(account)
    except acct.InvalidAccountNumber as exc:
        raise ApiError(422, "invalid_account", str(exc), errors=[{"field": "account", "message": str(exc)}])
    return consumer_get(principal=request.principal, account_number=number)


ERRORS = {401: ErrorOut, 404: ErrorOut, 422: InvalidOut}


class BillQuery(Schema):
    account: str = Field(..., max_length=20, description="10-digit account number.")


@router.get(
    "/biller/bills",
    auth=partner_auth,
    response={200: BillerBillOut, **ERRORS},
    summary="Fetch the amount due (bill fetch)",
    description=(
        "The masked name, latest issued bill and the amount to collect. `amount_payable` is the account's "
        "ledger balance now (never negative): it includes arrears and late payment surcharge and credits "
        "payments made since the bill, so it can differ from `bill_amount`, the payable printed on the "
        "latest bill. An account in advance has `amount_payable` 0.00 and status `no_dues`. "
        "A mistyped account number (check digit) is 422; an unknown account, or one outside the partner's "
        "office, is 404."
    ),
)
def biller_bill_fetch(request, params: Query[BillQuery]):
    consumer = _consumer(request, params.account)
    dues = dues_get(consumer)
    bill = dues.latest_bill
    return {
        "account": consumer.account_number,
        "name": mask_name(consumer.name),
        "bill_number": bill.bill_number if bill else None,
        "bill_date": bill.issue_date if bill else None,
        "due_date": bill.due_date if bill else None,
        "bill_amount": format_money(bill.payable) if bill else None,
        "amount_payable": format_money(dues.amount_due),
        "advance": format_money(dues.advance),
        "status": dues.status,
    }


@router.post(
    "/biller/payments",
    auth=partner_auth,
    response={200: ReceiptOut, 201: ReceiptOut, 409: ConflictOut, **ERRORS},
    summary="Post a payment (exactly once per reference)",
    description=(
        "Posts the payment to the account and returns the receipt with its allocation (oldest dues "
        "first, surcharge before principal; any excess is held as advance). **Idempotent by "
        "`reference`**: 201 when posted now; the same reference with the same account and amount "
        "returns the same receipt with 200 and posts nothing (safe to retry after a timeout); the same "
        "reference with another account or amount is refused with 409 `reference_conflict` and the "
        'original receipt number. `amount` is exact: a string such as "1727.50" (or a JSON number) '
        "with at most 2 decimals, more than zero and at most the configured maximum of one payment "
        "(₹1,00,00,000.00 by default); a payment that would leave more than the configured advance "
        "(₹10,00,000.00 by default) on the account is refused with 422, saying how much can be taken. "
        "`paid_at` must carry a time zone and may not be in the future, more than `PAID_AT_MAX_AGE_DAYS` "
        "(90 by default) days ago by the Indian date, or before the account's connection date: 422 with "
        "the field `paid_at` and the reason. A retry of a payment already posted still returns its "
        "receipt. References are unique per partner."
    ),
)
def biller_payment_post(request, payload: PaymentIn):
    partner = request.principal
    consumer = _consumer(request, payload.account)
    try:
        result = payment_post(
            consumer=consumer,
            amount=payload.amount,
            channel=Channel.PARTNER,
            source=_source(partner),
            reference=payload.reference,
            partner=partner,
            paid_at=payload.paid_at,
            instrument_bank=payload.channel.strip().upper(),
        )
    except PaymentConflict as exc:
        raise ApiError(
            409,
            "reference_conflict",
            "This reference was already used for another account or amount.",
            receipt_number=exc.existing.receipt_number,
        )
    return Status(201 if result.created else 200, receipt_as_dict(result.payment))


@router.get(
    "/biller/payments/{reference}",
    auth=partner_auth,
    response={200: ReceiptOut, 401: ErrorOut, 404: ErrorOut},
    summary="A payment's receipt by your reference",
    description="The receipt of a payment this partner posted with `reference`; 404 for any other.",
)
def biller_payment_get(request, reference: str):
    payment = Payment.objects.filter(source=_source(request.principal), reference=reference[:64]).first()
    if payment is None:
        raise ApiError(404, "not_found", "No payment with this reference.")
    return receipt_as_dict(payment)
