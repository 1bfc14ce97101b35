"""Online payment pages at /pay/: the consumer's start page, the sandbox gateway's hosted page and the
return page the gateway redirects the browser to. (The webhook the gateway calls server to server is
`urja.payments.webhooks`.)

No login: the start page shows only the masked name and the amount due. The return page never trusts
the status in its query string; it shows what the signed webhook has settled and polls until then.
"""

from decimal import Decimal, InvalidOperation
from urllib.parse import urlencode

from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse, HttpResponseBadRequest, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from urja.billing.selectors import issued_bill
from urja.customers.selectors import consumer_for_payer
from urja.domain import account_number as acct
from urja.domain.masking import mask_name
from urja.domain.money import format_indian
from urja.payments.choices import Channel, GatewayOrderStatus
from urja.payments.dues import dues_get
from urja.payments.gateway import (
    EVENT_STATUSES,
    SUCCESS,
    SandboxGateway,
    UnknownGateway,
    gateway_default,
    gateway_order_create,
    get_gateway,
)
from urja.payments.models import GatewayOrder
from urja.payments.selectors import gateway_order
from urja.payments.services import advance_check, payment_max

ACTIONS = {"pay": SUCCESS, "fail": "failed", "cancel": "cancelled"}


class _StartError(Exception):
    pass


def _start_context(account: str, bill_number: str) -> dict:
    """The account, bill and amount due for the start page; _StartError with a message to show."""
    try:
        number = acct.normalize(account)
    except acct.InvalidAccountNumber as exc:
        raise _StartError(str(exc))
    consumer = consumer_for_payer(number)
    if consumer is None:
        raise _StartError("No account with this number. / इस नंबर का कोई खाता नहीं है।")
    dues = dues_get(consumer)
    bill = dues.latest_bill
    if bill_number:
        bill = issued_bill(consumer, bill_number.strip())
        if bill is None:
            raise _StartError("This bill is not on this account. / यह बिल इस खाते का नहीं है।")
    return {
        "consumer": consumer,
        "account": number,
        "masked_name": mask_name(consumer.name),
        "bill": bill,
        "amount_due": dues.amount_due,
        "advance": dues.advance,
    }


def _amount_chosen(data, context) -> Decimal:
    """The amount to pay: the whole amount due ("full", the default), or an amount the payer typed
    ("other": part of the dues, or more than the dues as an advance). _StartError when it cannot be
    paid online; _ConfirmAdvance when it is more than the dues and not yet confirmed."""
    due = context["amount_due"]
    if data.get("choice", "full") != "other":
        return due
    try:
        amount = Decimal(str(data.get("amount", "")).strip().replace(",", ""))
    except InvalidOperation:
        amount = Decimal("0")
    if not amount.is_finite() or amount <= 0 or amount != amount.quantize(Decimal("0.01")):
        raise _StartError(
            "Please type an amount in rupees, more than zero. / कृपया शून्य से अधिक राशि रुपये में लिखें।"
        )
    limit = payment_max(Channel.ONLINE)
    if amount > limit:
        raise _StartError(
            f"At most ₹{format_indian(limit)} can be paid online at one time. / "
            f"एक बार में अधिकतम ₹{format_indian(limit)} ऑनलाइन जमा हो सकते हैं।"
        )
    try:
        advance_check(balance=due - context["advance"], credit=amount)
    except ValidationError:
        raise _StartError(
            "This advance is more than an account may hold. / यह अग्रिम राशि खाते में रखी जा सकने वाली सीमा से अधिक है।"
        )
    if amount > due and data.get("confirm_advance") != "yes":
        raise _ConfirmAdvance(amount)
    return amount


class _ConfirmAdvance(Exception):
    pass


@require_http_methods(["GET", "POST"])
def payment_start(request):
    """GET ?account=…&bill=… shows what will be paid; POST creates the gateway order and goes there.
    The amount due is always recomputed here, never taken from the form; the payer may instead type
    another amount (part payment, or an advance, which they confirm)."""
    data = request.POST if request.method == "POST" else request.GET
    account, bill_number = data.get("account", "").strip()[:20], data.get("bill", "").strip()[:24]
    if not account:
        return render(request, "gateway/start.html", {"account": ""})
    try:
        context = _start_context(account, bill_number)
    except _StartError as exc:
        return render(request, "gateway/start.html", {"account": account, "error": str(exc)}, status=422)
    context["limit"] = payment_max(Channel.ONLINE)
    if request.method == "GET":
        return render(request, "gateway/start.html", context)
    context["choice"] = data.get("choice", "full")
    context["typed_amount"] = data.get("amount", "")[:16]
    if context["choice"] != "other" and context["amount_due"] <= 0:
        return render(request, "gateway/start.html", context)  # nothing due: no order
    try:
        amount = _amount_chosen(data, context)
    except _StartError as exc:
        context["error"] = str(exc)
        return render(request, "gateway/start.html", context, status=422)
    except _ConfirmAdvance as exc:
        context["confirm_amount"] = exc.args[0]
        context["confirm_advance_part"] = exc.args[0] - context["amount_due"]
        return render(request, "gateway/start.html", context)
    try:
        _order, hosted_url = gateway_order_create(
            consumer=context["consumer"],
            amount=amount,
            bill_number=context["bill"].bill_number if context["bill"] else "",
            return_url=reverse("gateway:return"),
            gateway=gateway_default(),
        )
    except (UnknownGateway, ValidationError):
        context["error"] = "Online payment is not available now. / ऑनलाइन भुगतान अभी उपलब्ध नहीं है।"
        return render(request, "gateway/start.html", context, status=503)
    return HttpResponseRedirect(hosted_url, status=303)


def _sandbox() -> SandboxGateway:
    try:
        gateway = get_gateway(SandboxGateway.name)
    except UnknownGateway:
        raise Http404("the sandbox gateway is switched off")
    assert isinstance(gateway, SandboxGateway)
    return gateway


@require_http_methods(["GET", "POST"])
def sandbox_page(request, order_id: str):
    """The sandbox gateway's hosted payment page. A button press settles the order once: later presses
    (back button, double click) only redirect back."""
    gateway = _sandbox()
    order = gateway_order(order_id, gateway=gateway.name)
    if order is None:
        raise Http404("no such order")
    if request.method == "GET":
        return render(
            request,
            "gateway/sandbox_page.html",
            {"order": order, "masked_name": mask_name(order.consumer.name), "is_open": _is_open(order)},
        )
    status = ACTIONS.get(request.POST.get("action", ""))
    if status is None:
        return HttpResponseBadRequest("unknown action")
    if _is_open(order):
        gateway.payer_acts(order=order, status=status)
    else:
        status = _event_status(order)
    query = urlencode({"order_id": order.order_id, "status": status})
    return HttpResponseRedirect(f"{order.return_url or reverse('gateway:return')}?{query}", status=303)


def _is_open(order: GatewayOrder) -> bool:
    return order.status == GatewayOrderStatus.CREATED


def _event_status(order: GatewayOrder) -> str:
    return {GatewayOrderStatus.PAID: SUCCESS}.get(order.status, str(order.status))


def payment_return(request):
    """Where the gateway sends the browser back. Shows the order as the webhook left it."""
    order = gateway_order(request.GET.get("order_id", ""))
    if order is None:
        raise Http404("no such order")
    claimed = request.GET.get("status", "")
    return render(
        request,
        "gateway/return.html",
        {
            "order": order,
            "masked_name": mask_name(order.consumer.name),
            "confirming": _is_open(order),
            "claimed": claimed if claimed in EVENT_STATUSES else "",
        },
    )


def receipt_pdf(request, order_id: str):
    """The receipt of a paid order, for the payer who has the order's return link (no login: the
    receipt shows only the masked name, as the return page does)."""
    from urja.payments.receipts import render_receipt_pdf

    order = gateway_order(order_id)
    if order is None or order.status != GatewayOrderStatus.PAID or order.payment is None:
        raise Http404("no such paid order")
    response = HttpResponse(render_receipt_pdf(order.payment), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{order.payment.receipt_number}.pdf"'
    return response
