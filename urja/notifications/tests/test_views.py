import pytest

from urja.notifications.models import OutboundMessage
from urja.testing import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def message():
    return OutboundMessage.objects.create(to="9876543210", template="otp", body="उर्जा: 482913 OTP")


def test_demo_outbox_is_not_reachable_without_debug(client, message):
    assert client.get("/demo/outbox/").status_code == 404


def test_demo_outbox_shows_messages_with_debug(client, message, settings):
    settings.DEBUG = True
    response = client.get("/demo/outbox/", {"to": "9876543210"})
    html = response.content.decode()
    assert response.status_code == 200 and "482913" in html
    assert "<td>XXXXXX3210</td>" in html and "<td>9876543210</td>" not in html
    assert "482913" not in client.get("/demo/outbox/", {"to": "9000000000"}).content.decode()


def test_admin_outbox_masks_numbers(client, message):
    admin = UserFactory(is_superuser=True, is_staff=True)
    client.force_login(admin)
    html = client.get("/admin/notifications/outboundmessage/").content.decode()
    assert "XXXXXX3210" in html and "9876543210" not in html
    detail = client.get(f"/admin/notifications/outboundmessage/{message.pk}/change/").content.decode()
    assert "XXXXXX3210" in detail and "9876543210" not in detail
    # Not even a system administrator reads a consumer's one-time password.
    assert "482913" not in detail and "••••••" in detail


def test_demo_outbox_shows_emails_with_their_subject_and_attachment(client, message, settings):
    settings.DEBUG = True
    email = OutboundMessage.objects.create(
        channel="email", to="ravi.kumar@example.com", template="ebill", language="en",
        body="Urja: the electricity bill of a/c 1900000018 for 07-2026 is attached.", attachment="bill:7",
    )  # fmt: skip
    html = client.get("/demo/outbox/").content.decode()
    assert "r***@example.com" in html and "ravi.kumar@example.com" not in html
    assert "Urja: Your electricity bill" in html and 'data-testid="attachment"' in html
    assert 'data-testid="channel-email"' in html and 'data-testid="channel-sms"' in html
    only = client.get("/demo/outbox/", {"to": "Ravi.Kumar@example.com"}).content.decode()
    assert email.body in only and "482913" not in only
