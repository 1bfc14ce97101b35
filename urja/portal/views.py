"""Online payment pages at /pay/: the consumer's start page, the sandbox gateway's hosted page and the
return page the gateway redirects the browser to. (The webhook the gateway calls server to server is
`urja.payments.webhooks`.)

No login: the start page shows only the masked name and the amount due. The return page never trusts
the status in its query string; it shows what the signed webhook has settled and polls until then.
"""

from urllib.parse import urlencode

from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponseBadRequest, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from urja.billing.selectors import issued_bill
from urja.customers.selectors import consumer_for_payer
from urja.domain import account_number as acct
from urja.domain.masking import mask_name
from urja.payments.choices import GatewayOrderStatus
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


@require_http_methods(["GET", "POST"])
def payment_start(request):
    """GET ?account=…&bill=… shows what will be paid; POST creates the gateway order and goes there.
    The amount is always recomputed here, never taken from the form."""
    data = request.POST if request.method == "POST" else request.GET
    account, bill_number = data.get("account", "").strip()[:20], data.get("bill", "").strip()[:24]
    if not account:
        return render(request, "gateway/start.html", {"account": ""})
    try:
        context = _start_context(account, bill_number)
    except _StartError as exc:
        return render(request, "gateway/start.html", {"account": account, "error": str(exc)}, status=422)
    if request.method == "GET" or context["amount_due"] <= 0:
        return render(request, "gateway/start.html", context)
    try:
        _order, hosted_url = gateway_order_create(
            consumer=context["consumer"],
            amount=context["amount_due"],
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
