"""Online payment gateways: the adapter interface, the built-in sandbox gateway, and the two writes every
gateway shares — creating an order and receiving a webhook.

The flow is a real gateway's: order → hosted payment page → the browser is redirected back → the gateway
calls our webhook server to server, signed with HMAC-SHA256. Only the signed webhook posts money: the
browser redirect can be forged, dropped or replayed, so the return page merely shows what the webhook
has settled. Every delivery is logged as a WebhookEvent; an unsigned, tampered or inconsistent one
changes nothing else. Posting goes through payment_post with the gateway's payment id as the
reference, so a webhook delivered three times, or three times at once, posts once.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import re
import secrets
from abc import ABC, abstractmethod
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from urja.common import clock
from urja.customers.models import Consumer
from urja.domain.money import round_paisa

from .choices import Channel, GatewayOrderStatus
from .models import GatewayOrder, Payment, WebhookEvent
from .services import PaymentConflict, payment_max, payment_post

logger = logging.getLogger(__name__)

SUCCESS, FAILED, CANCELLED = "success", "failed", "cancelled"
EVENT_STATUSES = (SUCCESS, FAILED, CANCELLED)
_ORDER_STATUS = {FAILED: GatewayOrderStatus.FAILED, CANCELLED: GatewayOrderStatus.CANCELLED}
_AMOUNT = re.compile(r"^\d{1,12}(\.\d{1,2})?$")


class UnknownGateway(LookupError):
    """No gateway of that name is configured (or the sandbox is switched off)."""


class InvalidSignature(Exception):
    """The webhook is unsigned or its signature does not match its body."""


class InvalidEvent(Exception):
    """The webhook is signed but its content is not a usable event."""


@dataclass(frozen=True)
class GatewayEvent:
    event_id: str
    order_id: str
    status: str  # success, failed or cancelled
    gateway_payment_id: str
    amount: Decimal
    paid_at: datetime | None


@dataclass(frozen=True)
class WebhookResult:
    http_status: int
    outcome: str
    payment: Payment | None = None


class PaymentGateway(ABC):
    """What Urja needs from a payment gateway. A real gateway's adapter subclasses this and is added to
    GATEWAYS; the webhook URL is /pay/webhooks/<name>/."""

    name: str

    @classmethod
    def enabled(cls) -> bool:
        return True

    @abstractmethod
    def create_order(
        self, *, consumer: Consumer, amount: Decimal, bill_number: str, return_url: str
    ) -> tuple[GatewayOrder, str]:
        """Register an order with the gateway; return it and the URL of the gateway's payment page."""

    @abstractmethod
    def verify_webhook(self, body: bytes, headers: Mapping[str, str]) -> dict:
        """Check the signature over the raw body and decode it; raise InvalidSignature if it fails."""

    @abstractmethod
    def parse_event(self, event: dict) -> GatewayEvent:
        """The order, outcome, gateway payment id and amount of a verified event; InvalidEvent if unusable."""


def _header(headers: Mapping[str, str], name: str) -> str:
    wanted = name.lower()
    for key, value in headers.items():
        if key.lower() == wanted:
            return value or ""
    return ""


class SandboxGateway(PaymentGateway):
    """A gateway that lives inside Urja for demos and tests. Its hosted page (/pay/sandbox/<order_id>/)
    has Pay, Fail and Cancel buttons; pressing one redirects the browser back and delivers a signed
    webhook in-process, exactly as a real gateway would call us. Never enable it in production: it posts
    payments without money changing hands."""

    name = "sandbox"
    signature_header = "X-Urja-Signature"

    @classmethod
    def enabled(cls) -> bool:
        return bool(settings.URJA_PAYMENTS.get("SANDBOX_GATEWAY_ENABLED", settings.DEBUG))

    @property
    def secret(self) -> bytes:
        return settings.URJA_PAYMENTS["SANDBOX_GATEWAY_SECRET"].encode()

    def sign(self, body: bytes) -> str:
        return hmac.new(self.secret, body, hashlib.sha256).hexdigest()

    # --- the adapter ---------------------------------------------------------------------------------

    def create_order(
        self, *, consumer: Consumer, amount: Decimal, bill_number: str, return_url: str
    ) -> tuple[GatewayOrder, str]:
        order = GatewayOrder(
            gateway=self.name,
            order_id=f"sbx_ord_{secrets.token_hex(12)}",
            consumer=consumer,
            amount=amount,
            bill_number=bill_number,
            return_url=return_url,
        )
        order.full_clean()
        order.save()
        return order, self.hosted_url(order)

    def hosted_url(self, order: GatewayOrder) -> str:
        return reverse("gateway:sandbox_page", args=[order.order_id])

    def verify_webhook(self, body: bytes, headers: Mapping[str, str]) -> dict:
        given = _header(headers, self.signature_header).strip().lower()
        if not given:
            raise InvalidSignature("no signature")
        if not hmac.compare_digest(self.sign(body).encode(), given.encode()):
            raise InvalidSignature("signature does not match the body")
        try:
            event = json.loads(body)
        except ValueError:
            raise InvalidEvent("the body is not JSON")
        if not isinstance(event, dict):
            raise InvalidEvent("the body is not a JSON object")
        return event

    def parse_event(self, event: dict) -> GatewayEvent:
        status = event.get("status")
        if status not in EVENT_STATUSES:
            raise InvalidEvent(f"unknown status {str(status)[:20]!r}")
        order_id = str(event.get("order_id") or "")
        if not order_id:
            raise InvalidEvent("no order_id")
        amount_text = str(event.get("amount", ""))
        if not _AMOUNT.match(amount_text):
            raise InvalidEvent("amount is not a sum of rupees")
        paid_at = None
        if event.get("paid_at"):
            paid_at = parse_datetime(str(event["paid_at"]))
            if paid_at is None or timezone.is_naive(paid_at):
                raise InvalidEvent("paid_at is not a date and time with a time zone")
        if status == SUCCESS and paid_at is None:
            raise InvalidEvent("a successful payment needs paid_at")
        try:
            amount = Decimal(amount_text)
        except InvalidOperation:
            raise InvalidEvent("amount is not a sum of rupees")
        return GatewayEvent(
            event_id=str(event.get("event_id") or "")[:80],
            order_id=order_id[:40],
            status=status,
            gateway_payment_id=str(event.get("gateway_payment_id") or "")[:60],
            amount=amount,
            paid_at=paid_at,
        )

    # --- the gateway's side: what its hosted page and its ops console do -------------------------------

    def payment_id_for(self, order: GatewayOrder) -> str:
        """One gateway payment id per order, so a double-pressed Pay is the same payment, not two."""
        digest = hmac.new(self.secret, order.order_id.encode(), hashlib.sha256).hexdigest()
        return f"sbx_pay_{digest[:20]}"

    def event_body(self, order: GatewayOrder, status: str, paid_at: datetime | None = None) -> bytes:
        event = {
            "event_id": f"evt_{order.order_id}_{status}",
            "order_id": order.order_id,
            "status": status,
            "gateway_payment_id": self.payment_id_for(order),
            "amount": f"{order.amount:.2f}",
            "paid_at": (paid_at or clock.now()).isoformat() if status == SUCCESS else None,
        }
        return json.dumps(event, separators=(",", ":")).encode()

    def deliver(self, body: bytes) -> WebhookResult:
        """Call our own webhook with a signed body (a real gateway POSTs it to /pay/webhooks/<name>/)."""
        return webhook_receive(
            gateway_name=self.name, body=body, headers={self.signature_header: self.sign(body)}
        )

    def payer_acts(self, *, order: GatewayOrder, status: str) -> WebhookResult:
        """The payer pressed Pay (success), Fail or Cancel on the hosted page."""
        if status not in EVENT_STATUSES:
            raise ValueError(status)
        return self.deliver(self.event_body(order, status))

    def replay(self, *, order: GatewayOrder) -> WebhookResult:
        """Send an order's webhook again (ops: a delivery was lost or failed): the last signed delivery
        as it was, or, if none was logged, one rebuilt from the order's outcome."""
        last = (
            WebhookEvent.objects.filter(
                gateway=self.name, signature_valid=True, event_id__startswith=f"evt_{order.order_id}_"
            )
            .order_by("-received_at", "-id")
            .first()
        )
        if last is not None:
            return self.deliver(last.payload.encode())
        if order.status == GatewayOrderStatus.PAID:
            return self.deliver(self.event_body(order, SUCCESS, paid_at=order.payment.paid_at))
        if order.status in (GatewayOrderStatus.FAILED, GatewayOrderStatus.CANCELLED):
            status = FAILED if order.status == GatewayOrderStatus.FAILED else CANCELLED
            return self.deliver(self.event_body(order, status))
        raise ValueError("nothing to replay: the payer has not finished on the payment page")


GATEWAYS: dict[str, type[PaymentGateway]] = {SandboxGateway.name: SandboxGateway}


def get_gateway(name: str) -> PaymentGateway:
    cls = GATEWAYS.get(name)
    if cls is None or not cls.enabled():
        raise UnknownGateway(name)
    return cls()


def gateway_default() -> str:
    return settings.URJA_PAYMENTS.get("ONLINE_GATEWAY", SandboxGateway.name)


# --- the writes --------------------------------------------------------------------------------------


def gateway_order_create(
    *, consumer: Consumer, amount: Decimal, bill_number: str = "", return_url: str = "", gateway: str
) -> tuple[GatewayOrder, str]:
    """Create an order with `gateway` for `amount`; returns the order and the hosted page's URL."""
    amount = round_paisa(Decimal(amount))
    if amount <= 0:
        raise ValidationError({"amount": "The amount must be more than zero."})
    if amount > payment_max(Channel.ONLINE):
        # Checked before the payer pays: the webhook's posting would refuse it after the money moved.
        raise ValidationError({"amount": "The amount is more than one online payment may be."})
    with transaction.atomic():
        return get_gateway(gateway).create_order(
            consumer=consumer, amount=amount, bill_number=bill_number, return_url=return_url
        )


def webhook_receive(*, gateway_name: str, body: bytes, headers: Mapping[str, str]) -> WebhookResult:
    """Handle one webhook delivery and log it, whatever its fate. Returns the HTTP status to answer
    (2xx tells the gateway to stop retrying) and the outcome written to the log."""
    gateway = get_gateway(gateway_name)
    signature_valid, event_id = False, ""
    try:
        event = gateway.verify_webhook(body, headers)
        signature_valid = True
        parsed = gateway.parse_event(event)
        event_id = parsed.event_id
        result = _event_apply(gateway, parsed)
    except InvalidSignature as exc:
        result = WebhookResult(400, f"refused: {exc}")
    except InvalidEvent as exc:
        signature_valid = True  # raised only for a body whose signature matched
        result = WebhookResult(400, f"refused: {exc}")
    except ValidationError as exc:
        result = WebhookResult(400, f"refused: {'; '.join(exc.messages)}")
    except Exception:
        logger.exception("webhook from %s failed", gateway_name)
        result = WebhookResult(500, "error: see the server log")
    WebhookEvent.objects.create(
        gateway=gateway_name,
        signature_valid=signature_valid,
        event_id=event_id,
        payload=body.decode("utf-8", errors="replace"),
        outcome=result.outcome[:120],
    )
    if not signature_valid:
        logger.warning("webhook from %s refused: %s", gateway_name, result.outcome)
    return result


def _event_apply(gateway: PaymentGateway, event: GatewayEvent) -> WebhookResult:
    order = GatewayOrder.objects.filter(gateway=gateway.name, order_id=event.order_id).first()
    if order is None:
        return WebhookResult(404, f"refused: no order {event.order_id}")
    if event.amount != order.amount:
        return WebhookResult(400, f"refused: amount {event.amount} is not the order's {order.amount}")
    if event.status == SUCCESS:
        return _order_paid(gateway, order, event)
    return _order_unpaid(order, event)


def _order_paid(gateway: PaymentGateway, order: GatewayOrder, event: GatewayEvent) -> WebhookResult:
    reference = event.gateway_payment_id or order.order_id
    with transaction.atomic():
        # Lock order: account › payment (the order row stands with the payment).
        consumer = Consumer.objects.select_for_update().get(pk=order.consumer_id)
        order = GatewayOrder.objects.select_for_update().get(pk=order.pk)
        try:
            result = payment_post(
                consumer=consumer,
                amount=order.amount,
                channel=Channel.ONLINE,
                source=f"gateway:{gateway.name}",
                reference=reference,
                paid_at=event.paid_at,
            )
        except PaymentConflict as exc:
            return WebhookResult(
                409, f"refused: reference {reference} is receipt {exc.existing.receipt_number}"
            )
        payment = result.payment
        if order.payment_id is None:
            order.payment, order.status = payment, GatewayOrderStatus.PAID
            order.gateway_payment_id = event.gateway_payment_id
            order.save(update_fields=["payment", "status", "gateway_payment_id", "updated_at"])
        elif order.payment_id != payment.pk:
            # The payer paid one order twice: the money is real, so it is posted (as an advance if
            # nothing is due) and flagged here for a refund decision.
            return WebhookResult(
                200, f"posted receipt {payment.receipt_number}: SECOND payment of a paid order", payment
            )
    if result.created:
        return WebhookResult(200, f"posted receipt {payment.receipt_number}", payment)
    return WebhookResult(200, f"duplicate: receipt {payment.receipt_number} already posted", payment)


def _order_unpaid(order: GatewayOrder, event: GatewayEvent) -> WebhookResult:
    status = _ORDER_STATUS[event.status]
    with transaction.atomic():
        order = GatewayOrder.objects.select_for_update().get(pk=order.pk)
        if order.status == GatewayOrderStatus.PAID:
            return WebhookResult(200, f"ignored: order already paid ({event.status} arrived late)")
        if order.status == status:
            return WebhookResult(200, f"duplicate: order already {status}")
        order.status, order.gateway_payment_id = status, event.gateway_payment_id
        order.save(update_fields=["status", "gateway_payment_id", "updated_at"])
    return WebhookResult(200, f"order {status}: nothing posted")
