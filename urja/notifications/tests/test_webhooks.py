import json

import pytest

from urja.common import clock
from urja.notifications.choices import Status
from urja.notifications.models import OutboundMessage
from urja.notifications.webhooks import signature

SECRET = "test-dlr-secret"
URL = "/notifications/delivery/"


@pytest.fixture
def secret(settings):
    settings.URJA_NOTIFICATIONS = {**settings.URJA_NOTIFICATIONS, "WEBHOOK_SECRET": SECRET}


@pytest.fixture
def sent(db):
    return OutboundMessage.objects.create(to="9876543210", template="otp", body="x", status=Status.SENT)


def post(client, payload, *, key=SECRET, timestamp=None, sign=None):
    body = json.dumps(payload).encode()
    timestamp = str(int(clock.now().timestamp())) if timestamp is None else timestamp
    return client.post(
        URL,
        body,
        content_type="application/json",
        HTTP_X_URJA_TIMESTAMP=timestamp,
        HTTP_X_URJA_SIGNATURE=sign or signature(key, timestamp, body),
    )


def test_signed_report_marks_delivered(client, secret, sent):
    response = post(client, {"reports": [{"client_ref": sent.client_ref, "status": "delivered"}]})
    assert response.status_code == 200 and response.json()["updated"] == 1
    sent.refresh_from_db()
    assert sent.status == Status.DELIVERED and sent.delivered_at is not None


def test_failed_report_and_delivered_is_final(client, secret, sent):
    post(client, {"client_ref": sent.client_ref, "status": "delivered"})
    post(client, {"client_ref": sent.client_ref, "status": "failed", "error": "DND"})
    sent.refresh_from_db()
    assert sent.status == Status.DELIVERED


@pytest.mark.parametrize(
    "kwargs",
    [
        {"key": "wrong-secret"},
        {"sign": "sha256=" + "0" * 64},
        {"timestamp": "1000000000"},  # far outside the replay window
        {"timestamp": "१७"},  # not ASCII digits
    ],
)
def test_bad_or_stale_signature_is_403_and_changes_nothing(client, secret, sent, kwargs):
    response = post(client, {"client_ref": sent.client_ref, "status": "failed"}, **kwargs)
    assert response.status_code == 403
    sent.refresh_from_db()
    assert sent.status == Status.SENT and sent.last_error == ""


def test_without_a_secret_every_report_is_refused(client, sent):
    assert post(client, {"client_ref": sent.client_ref, "status": "delivered"}, key="").status_code == 403
    sent.refresh_from_db()
    assert sent.status == Status.SENT


def test_a_replayed_report_is_refused(client, secret, sent):
    timestamp = str(int(clock.now().timestamp()))
    assert (
        post(client, {"client_ref": sent.client_ref, "status": "failed"}, timestamp=timestamp).status_code
        == 200
    )
    OutboundMessage.objects.filter(pk=sent.pk).update(status=Status.SENT)
    assert (
        post(client, {"client_ref": sent.client_ref, "status": "failed"}, timestamp=timestamp).status_code
        == 409
    )
    sent.refresh_from_db()
    assert sent.status == Status.SENT


def test_malformed_body_is_400(client, secret, sent):
    assert post(client, {"nothing": 1}).status_code == 400
