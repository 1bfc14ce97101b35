"""Issue 10, Profile: change the e-mail address with a code sent to it, and choose bills by e-mail."""

import re

import pytest

from urja.customers.models import OneTimePassword
from urja.notifications.models import OutboundMessage
from urja.portal.testing import portal_client
from urja.testing import ConsumerFactory

pytestmark = [pytest.mark.django_db, pytest.mark.clock("2026-11-28T12:00+05:30")]
MOBILE = "9876501234"
NEW = "ravi.kumar@example.com"


def sent_code(to=NEW) -> str:
    body = OutboundMessage.objects.filter(to=to, template="email_otp").order_by("-id").first().body
    return re.search(r"\b(\d{6})\b", body).group(1)


@pytest.fixture
def consumer():
    return ConsumerFactory(mobile=MOBILE, email="old.address@example.org", language="en")


@pytest.fixture
def signed_in(client, consumer):
    portal_client(client, consumer)
    client.get("/?lang=en")
    return client


def ask(client, email=NEW, **extra):
    return client.post("/account/profile/", {"action": "email", "email": email}, **extra)


class TestEmailChange:
    def test_the_address_is_kept_only_after_its_code_is_typed(self, signed_in, consumer):
        sent = ask(signed_in)
        assert sent.status_code == 302 and sent["Location"] == "/account/profile/email/"
        message = OutboundMessage.objects.get(template="email_otp")
        assert (message.channel, message.to, message.consumer_id) == ("email", NEW, consumer.pk)
        page = signed_in.get("/account/profile/email/").content.decode()
        assert "r***@example.com" in page and NEW not in page and "e-mail" in page
        consumer.refresh_from_db()
        assert consumer.email == "old.address@example.org"  # not before the code
        wrong = f"{(int(sent_code()) + 1) % 1_000_000:06d}"
        refused = signed_in.post("/account/profile/email/", {"code": wrong})
        assert refused.status_code == 422
        consumer.refresh_from_db()
        assert consumer.email == "old.address@example.org"
        done = signed_in.post("/account/profile/email/", {"code": sent_code()})
        assert done.status_code == 302 and done["Location"] == "/account/profile/?saved=1"
        consumer.refresh_from_db()
        assert consumer.email == NEW and consumer.email_verified
        change = consumer.changes.get(field="email")
        assert (change.source, change.old_value, change.new_value) == (
            "portal",
            "o***@example.org",
            "r***@example.com",
        )
        assert OutboundMessage.objects.get(template="email_changed").to == "old.address@example.org"
        profile = signed_in.get("/account/profile/").content.decode()
        assert "r***@example.com" in profile and 'data-testid="email-proved"' in profile

    def test_a_used_code_does_not_work_again(self, signed_in, consumer):
        ask(signed_in)
        code = sent_code()
        assert signed_in.post("/account/profile/email/", {"code": code}).status_code == 302
        assert signed_in.post("/account/profile/email/", {"code": code}).status_code == 302  # nothing pending
        assert consumer.changes.filter(field="email").count() == 1

    def test_an_invalid_address_is_refused_with_a_message(self, signed_in):
        refused = ask(signed_in, email="not an address")
        assert refused.status_code == 422 and "valid e-mail address" in refused.content.decode()
        assert not OutboundMessage.objects.filter(template="email_otp").exists()

    def test_sends_are_limited(self, signed_in):
        for _ in range(3):
            assert ask(signed_in).status_code == 302
        refused = ask(signed_in)
        assert refused.status_code == 429 and "15 minutes" in refused.content.decode()
        assert OneTimePassword.objects.filter(email=NEW).count() == 3

    def test_another_consumers_session_cannot_change_this_ones_address(self, client, consumer, monkeypatch):
        from django.test import Client

        codes = iter([111111, 222222])
        monkeypatch.setattr("urja.customers.otp.secrets.randbelow", lambda n: next(codes))
        portal_client(client, consumer)
        ask(client)  # this consumer's code: 111111
        other = ConsumerFactory(mobile="9123400000", email="")
        intruder = portal_client(Client(), other)
        # Nothing pending in the intruder's session: the code proves nothing there.
        assert intruder.post("/account/profile/email/", {"code": "111111"}).status_code == 302
        # The intruder asks for a code to the same address (222222): this consumer's code still fails.
        ask(intruder)
        assert intruder.post("/account/profile/email/", {"code": "111111"}).status_code == 422
        consumer.refresh_from_db()
        other.refresh_from_db()
        assert consumer.email == "old.address@example.org" and other.email == ""
        assert not consumer.changes.exists() and not other.changes.exists()

    def test_a_code_asked_for_one_account_does_not_change_another_of_the_same_mobile(self, client, consumer):
        second = ConsumerFactory(mobile=MOBILE, email="")
        portal_client(client, consumer, second)
        ask(client)
        client.post("/account/switch/", {"consumer": second.pk})
        assert client.post("/account/profile/email/", {"code": sent_code()}).status_code == 404
        consumer.refresh_from_db()
        second.refresh_from_db()
        assert consumer.email == "old.address@example.org" and second.email == ""

    def test_not_signed_in_goes_to_the_login(self, client):
        assert client.post("/account/profile/email/", {"code": "123456"})["Location"].startswith("/login/")


class TestEbill:
    def test_opting_in_without_a_proved_address_is_refused_with_a_clear_message(self, signed_in, consumer):
        refused = signed_in.post("/account/profile/", {"action": "ebill", "ebill": "on"})
        assert refused.status_code == 422
        html = refused.content.decode()
        assert "confirm it with the code" in html and 'role="alert"' in html
        consumer.refresh_from_db()
        assert consumer.ebill is False

    def test_opt_in_and_out_with_a_proved_address(self, signed_in, consumer):
        ask(signed_in)
        signed_in.post("/account/profile/email/", {"code": sent_code()})
        assert signed_in.post("/account/profile/", {"action": "ebill", "ebill": "on"}).status_code == 302
        consumer.refresh_from_db()
        assert consumer.ebill and consumer.changes.get(field="ebill").source == "portal"
        assert 'id="ebill" name="ebill" checked' in signed_in.get("/account/profile/").content.decode()
        assert signed_in.post("/account/profile/", {"action": "ebill"}).status_code == 302
        consumer.refresh_from_db()
        assert not consumer.ebill


def test_the_profile_and_the_code_email_in_hindi(client, consumer):
    consumer.language = "hi"
    consumer.save()
    portal_client(client, consumer)
    client.get("/?lang=hi")
    page = client.get("/account/profile/").content.decode()
    assert "ईमेल से बिल" in page and "ईमेल पता बदलें" in page
    ask(client)
    message = OutboundMessage.objects.get(template="email_otp")
    assert message.language == "hi" and message.body.startswith("उर्जा: ईमेल बदलाव के लिए")
    refused = client.post("/account/profile/", {"action": "ebill", "ebill": "on"})
    assert refused.status_code == 422 and "पुष्टि" in refused.content.decode()
