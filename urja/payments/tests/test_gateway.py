import datetime
import hashlib
import hmac
import json
import threading
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command

from urja.common import clock
from urja.ledger import services as ledger
from urja.ledger.choices import EntryType
from urja.ledger.models import LedgerEntry
from urja.ledger.selectors import balance
from urja.payments.choices import GatewayOrderStatus
from urja.payments.gateway import SandboxGateway, gateway_order_create
from urja.payments.models import GatewayOrder, Payment, WebhookEvent

D = Decimal
WEBHOOK = "/pay/webhooks/sandbox/"
pytestmark = pytest.mark.urls("urja.payments.tests.urls")


@pytest.fixture(autouse=True)
def sandbox_on(settings):
    settings.URJA_PAYMENTS = {**settings.URJA_PAYMENTS, "SANDBOX_GATEWAY_ENABLED": True}


@pytest.fixture
def owing(two_subdivisions):
    """Ravi Kumar owes ₹1200.50 for July 2026."""
    consumer = two_subdivisions["consumer_a"]
    consumer.name = "Ravi Kumar"
    consumer.save(update_fields=["name"])
    ledger.entry_post(
        consumer=consumer,
        entry_type=EntryType.BILL,
        amount=D("1200.50"),
        entry_date=datetime.date(2026, 8, 1),
        due_date=datetime.date(2026, 8, 15),
        period="2026-07",
        description="bill 2026-07",
    )
    return consumer


@pytest.fixture
def order(owing):
    order, _url = gateway_order_create(
        consumer=owing, amount=D("1200.50"), bill_number="B-1", return_url="/pay/return/", gateway="sandbox"
    )
    return order


def sign(body: bytes, secret: str = "sandbox-webhook-secret-not-for-production") -> str:
    return hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def success_body(order, amount=None, payment_id="sbx_pay_abc") -> bytes:
    event = {
        "event_id": f"evt_{order.order_id}_success",
        "order_id": order.order_id,
        "status": "success",
        "gateway_payment_id": payment_id,
        "amount": amount or f"{order.amount:.2f}",
        "paid_at": clock.now().isoformat(),
    }
    return json.dumps(event).encode()


def deliver(client, body: bytes, signature: str | None):
    headers = {"HTTP_X_URJA_SIGNATURE": signature} if signature is not None else {}
    return client.post(WEBHOOK, body, content_type="application/json", **headers)


def payments_posted():
    return Payment.objects.count(), LedgerEntry.objects.filter(entry_type=EntryType.PAYMENT).count()


@pytest.mark.django_db
class TestSandboxFlow:
    def test_pay_through_the_hosted_page(self, client, owing, settings):
        # Given the consumer opens the pay link from the portal
        start = client.get("/pay/start/", {"account": owing.account_number})
        assert start.status_code == 200
        page = start.content.decode()
        assert "R*** K****" in page and "₹1,200.50" in page and "Ravi" not in page
        assert not GatewayOrder.objects.exists()
        # When they proceed, an order is created and they land on the gateway's hosted page
        proceed = client.post("/pay/start/", {"account": owing.account_number, "amount": "1.00"})
        assert proceed.status_code == 303
        order = GatewayOrder.objects.get()
        assert order.amount == D("1200.50") and order.status == GatewayOrderStatus.CREATED
        assert proceed["Location"] == f"/pay/sandbox/{order.order_id}/"
        hosted = client.get(proceed["Location"])
        assert hosted.status_code == 200
        assert "₹1200.50" in hosted.content.decode() and 'value="pay"' in hosted.content.decode()
        # And press Pay: the browser goes back to the return URL, the webhook posts the payment
        paid = client.post(proceed["Location"], {"action": "pay"})
        assert paid.status_code == 303
        assert (
            paid["Location"].startswith("/pay/return/?") and f"order_id={order.order_id}" in paid["Location"]
        )
        assert "status=success" in paid["Location"]
        landed = client.get(paid["Location"])
        assert landed.status_code == 200
        order.refresh_from_db()
        payment = Payment.objects.get()
        assert order.status == GatewayOrderStatus.PAID and order.payment == payment
        assert (
            "Payment received" in landed.content.decode()
            and payment.receipt_number in landed.content.decode()
        )
        assert (payment.channel, payment.source, payment.amount) == (
            "online",
            "gateway:sandbox",
            D("1200.50"),
        )
        assert payment.reference == order.gateway_payment_id
        assert payments_posted() == (1, 1)
        assert balance(owing.pk) == 0
        event = WebhookEvent.objects.get()
        assert event.signature_valid and event.outcome.startswith("posted receipt")
        # Pressing Pay again (back button) posts nothing more
        assert client.post(proceed["Location"], {"action": "pay"}).status_code == 303
        assert payments_posted() == (1, 1)

    def test_start_for_a_bill(self, client, owing):
        # A bill number that is not this account's is refused, and nothing is ordered
        response = client.get("/pay/start/", {"account": owing.account_number, "bill": "NOPE"})
        assert response.status_code == 422 and not GatewayOrder.objects.exists()

    def test_start_with_a_mistyped_account(self, client, owing):
        typo = owing.account_number[:-1] + str((int(owing.account_number[-1]) + 1) % 10)
        response = client.post("/pay/start/", {"account": typo})
        assert response.status_code == 422 and "check digit" in response.content.decode()
        assert not GatewayOrder.objects.exists()

    def test_nothing_due_creates_no_order(self, client, two_subdivisions):
        consumer = two_subdivisions["consumer_b"]
        response = client.post("/pay/start/", {"account": consumer.account_number})
        assert response.status_code == 200 and "Nothing is due" in response.content.decode()
        assert not GatewayOrder.objects.exists()

    def test_redirect_alone_is_not_trusted(self, client, order):
        # A forged or early redirect claiming success shows "being confirmed" and posts nothing
        response = client.get("/pay/return/", {"order_id": order.order_id, "status": "success"})
        page = response.content.decode()
        assert response.status_code == 200 and "being confirmed" in page and 'http-equiv="refresh"' in page
        assert payments_posted() == (0, 0)

    @pytest.mark.parametrize(("action", "status"), [("fail", "failed"), ("cancel", "cancelled")])
    def test_fail_and_cancel_post_nothing(self, client, order, action, status):
        response = client.post(f"/pay/sandbox/{order.order_id}/", {"action": action})
        assert response.status_code == 303 and f"status={status}" in response["Location"]
        order.refresh_from_db()
        assert order.status == status and order.payment is None
        assert payments_posted() == (0, 0)
        assert client.get(response["Location"]).content.decode().count("Nothing was charged") == 1
        # The order is closed: a later Pay on the same page does not post
        client.post(f"/pay/sandbox/{order.order_id}/", {"action": "pay"})
        assert payments_posted() == (0, 0)

    def test_unknown_action_is_400(self, client, order):
        assert client.post(f"/pay/sandbox/{order.order_id}/", {"action": "steal"}).status_code == 400

    def test_sandbox_switched_off_is_404(self, client, order, settings):
        settings.URJA_PAYMENTS = {**settings.URJA_PAYMENTS, "SANDBOX_GATEWAY_ENABLED": False}
        assert client.get(f"/pay/sandbox/{order.order_id}/").status_code == 404
        body = success_body(order)
        assert deliver(client, body, sign(body)).status_code == 404
        assert payments_posted() == (0, 0)


@pytest.mark.django_db
class TestWebhook:
    def test_delivered_three_times_posts_once(self, client, order, owing):
        body = success_body(order)
        responses = [deliver(client, body, sign(body)) for _ in range(3)]
        assert [r.status_code for r in responses] == [200, 200, 200]
        assert responses[0].json()["outcome"].startswith("posted receipt")
        assert all(r.json()["outcome"].startswith("duplicate") for r in responses[1:])
        assert payments_posted() == (1, 1)
        assert balance(owing.pk) == 0
        assert WebhookEvent.objects.filter(signature_valid=True).count() == 3

    def test_tampered_body_posts_nothing_and_is_logged(self, client, order):
        body = success_body(order)
        signature = sign(body)
        tampered = body.replace(b'"1200.50"', b'"1.00"')
        assert tampered != body
        response = deliver(client, tampered, signature)
        assert response.status_code == 400
        assert payments_posted() == (0, 0)
        order.refresh_from_db()
        assert order.status == GatewayOrderStatus.CREATED
        event = WebhookEvent.objects.get()
        assert not event.signature_valid and event.payload == tampered.decode()
        assert "signature" in event.outcome

    @pytest.mark.parametrize("signature", [None, "", "deadbeef", sign(b"something else"), "WRONG" * 13])
    def test_missing_or_wrong_signature_posts_nothing(self, client, order, signature):
        body = success_body(order)
        assert deliver(client, body, signature).status_code == 400
        assert payments_posted() == (0, 0)
        assert WebhookEvent.objects.get().signature_valid is False

    def test_signed_with_another_secret_posts_nothing(self, client, order):
        body = success_body(order)
        assert deliver(client, body, sign(body, secret="guessed")).status_code == 400
        assert payments_posted() == (0, 0)

    def test_amount_mismatch_refused(self, client, order):
        body = success_body(order, amount="1.00")
        response = deliver(client, body, sign(body))
        assert response.status_code == 400 and "amount" in response.json()["outcome"]
        assert payments_posted() == (0, 0)
        event = WebhookEvent.objects.get()
        assert event.signature_valid and event.outcome.startswith("refused: amount")

    @pytest.mark.parametrize(
        "event",
        [
            {
                "status": "success",
                "order_id": "nope",
                "amount": "1.00",
                "paid_at": "2026-11-28T10:00:00+05:30",
            },
            {"status": "refunded"},
            {"status": "success", "amount": "1200.50"},
            [1, 2, 3],
        ],
    )
    def test_signed_but_unusable_events_post_nothing(self, client, order, event):
        body = json.dumps(event).encode()
        assert deliver(client, body, sign(body)).status_code in (400, 404)
        assert payments_posted() == (0, 0)
        assert WebhookEvent.objects.get().signature_valid

    def test_signed_non_json_is_400(self, client, order):
        body = b"not json"
        assert deliver(client, body, sign(body)).status_code == 400

    def test_failure_after_success_does_not_unpay(self, client, order):
        gateway = SandboxGateway()
        gateway.payer_acts(order=order, status="success")
        result = gateway.payer_acts(order=order, status="failed")
        order.refresh_from_db()
        assert order.status == GatewayOrderStatus.PAID and result.outcome.startswith("ignored")
        assert payments_posted() == (1, 1)

    def test_success_after_failure_posts(self, client, order):
        # A payer whose first attempt failed and whose retry went through has paid: the money counts.
        gateway = SandboxGateway()
        gateway.payer_acts(order=order, status="failed")
        gateway.payer_acts(order=order, status="success")
        order.refresh_from_db()
        assert order.status == GatewayOrderStatus.PAID and payments_posted() == (1, 1)

    def test_get_is_not_allowed(self, client):
        assert client.get(WEBHOOK).status_code == 405

    def test_unknown_gateway_is_404(self, client):
        assert client.post("/pay/webhooks/paypal/", b"{}", content_type="application/json").status_code == 404


@pytest.mark.django_db
class TestReplayCommand:
    def test_replay_resends_and_posts_nothing_more(self, client, order, capsys):
        client.post(f"/pay/sandbox/{order.order_id}/", {"action": "pay"})
        call_command("gateway", "replay", order.order_id)
        assert "duplicate" in capsys.readouterr().out
        assert payments_posted() == (1, 1)
        assert WebhookEvent.objects.count() == 2

    def test_replay_after_a_lost_delivery_posts(self, client, order):
        # The first delivery is logged but failed (say, the database was briefly down); replay posts it.
        body = SandboxGateway().event_body(order, "success")
        WebhookEvent.objects.create(
            gateway="sandbox",
            signature_valid=True,
            event_id=f"evt_{order.order_id}_success",
            payload=body.decode(),
            outcome="error: see the server log",
        )
        call_command("gateway", "replay", order.order_id)
        assert payments_posted() == (1, 1)

    def test_replay_needs_an_outcome(self, order):
        with pytest.raises(CommandError, match="nothing to replay"):
            call_command("gateway", "replay", order.order_id)
        with pytest.raises(CommandError, match="No gateway order"):
            call_command("gateway", "replay", "sbx_ord_missing")


# --- PostgreSQL: concurrent deliveries over real HTTP ------------------------------------------------


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_webhook_delivered_concurrently_three_times_posts_once(live_server, order, owing):
    body = SandboxGateway().event_body(order, "success")
    barrier = threading.Barrier(3)

    def send(_i):
        request = urllib.request.Request(
            f"{live_server.url}{WEBHOOK}",
            data=body,
            headers={"Content-Type": "application/json", "X-Urja-Signature": sign(body)},
            method="POST",
        )
        barrier.wait(timeout=30)
        try:
            with urllib.request.urlopen(request, timeout=60) as response:
                return response.status, json.loads(response.read())["outcome"]
        except urllib.error.HTTPError as exc:
            return exc.code, exc.read().decode()

    with ThreadPoolExecutor(3) as pool:
        results = list(pool.map(send, range(3)))
    assert [status for status, _ in results] == [200, 200, 200], results
    assert sorted(outcome.split()[0] for _, outcome in results) == ["duplicate:", "duplicate:", "posted"]
    assert payments_posted() == (1, 1)
    assert balance(owing.pk) == 0
    order.refresh_from_db()
    assert order.status == GatewayOrderStatus.PAID


@pytest.mark.django_db
class TestQuickPayAmounts:
    def test_part_payment(self, client, owing):
        proceed = client.post(
            "/pay/start/", {"account": owing.account_number, "choice": "other", "amount": "500"}
        )
        assert proceed.status_code == 303
        assert GatewayOrder.objects.get().amount == D("500.00")

    @pytest.mark.parametrize("amount", ["0", "-5", "abc", "1.005", "NaN", "Infinity", "99999999"])
    def test_bad_amounts_are_refused(self, client, owing, amount):
        response = client.post(
            "/pay/start/", {"account": owing.account_number, "choice": "other", "amount": amount}
        )
        assert response.status_code == 422 and not GatewayOrder.objects.exists()

    def test_advance_asks_for_confirmation(self, client, owing):
        ask = client.post(
            "/pay/start/", {"account": owing.account_number, "choice": "other", "amount": "1500"}
        )
        assert ask.status_code == 200 and 'data-testid="confirm-advance"' in ask.content.decode()
        assert "₹299.50" in ask.content.decode() and not GatewayOrder.objects.exists()
        confirmed = client.post(
            "/pay/start/",
            {"account": owing.account_number, "choice": "other", "amount": "1500", "confirm_advance": "yes"},
        )
        assert confirmed.status_code == 303 and GatewayOrder.objects.get().amount == D("1500.00")

    def test_advance_when_nothing_is_due(self, client, two_subdivisions):
        consumer = two_subdivisions["consumer_b"]
        data = {
            "account": consumer.account_number,
            "choice": "other",
            "amount": "300",
            "confirm_advance": "yes",
        }
        assert client.post("/pay/start/", data).status_code == 303

    def test_receipt_pdf_after_payment(self, client, order):
        assert client.get(f"/pay/receipt/{order.order_id}.pdf").status_code == 404
        body = success_body(order)
        deliver(client, body, sign(body))
        order.refresh_from_db()
        assert order.status == GatewayOrderStatus.PAID
        page = client.get("/pay/return/", {"order_id": order.order_id}).content.decode()
        assert f"/pay/receipt/{order.order_id}.pdf" in page
        pdf = client.get(f"/pay/receipt/{order.order_id}.pdf")
        assert pdf.status_code == 200 and pdf.content[:4] == b"%PDF"
        from urja.notifications.models import OutboundMessage

        assert OutboundMessage.objects.filter(template="payment_received", to=order.consumer.mobile).exists()
