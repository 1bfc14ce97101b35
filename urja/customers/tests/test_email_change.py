"""A consumer's e-mail address is proved by a code sent to it before it is kept; bills by e-mail need a
proved address (issue 10, "Profile")."""

import datetime
import logging
import re

import pytest
from django.core.exceptions import ValidationError

from urja.customers import otp
from urja.customers.models import ConsumerChange, OneTimePassword
from urja.customers.services import consumer_ebill_set, consumer_update
from urja.notifications.models import OutboundMessage
from urja.testing import ConsumerFactory

pytestmark = [pytest.mark.django_db, pytest.mark.clock("2026-11-28T12:00+05:30")]
NEW = "ravi.kumar@example.com"


def sent_code(to=NEW) -> str:
    body = OutboundMessage.objects.filter(to=to, template="email_otp").order_by("-id").first().body
    return re.search(r"\b(\d{6})\b", body).group(1)


@pytest.fixture
def consumer():
    return ConsumerFactory(mobile="9876501234", email="old.address@example.org", language="en")


def send(consumer, email=NEW, address="10.0.0.1"):
    return otp.email_otp_send(consumer=consumer, email=email, address=address, language=consumer.language)


def verify(consumer, code, email=NEW, address="10.0.0.1"):
    return otp.email_otp_verify(consumer=consumer, email=email, code=code, address=address)


class TestCode:
    def test_the_code_goes_by_email_and_only_its_hash_is_kept(self, consumer, mailoutbox,
                                                              django_capture_on_commit_callbacks):  # fmt: skip
        with django_capture_on_commit_callbacks(execute=True):
            row = send(consumer)
        message = OutboundMessage.objects.get(template="email_otp")
        assert (message.channel, message.to, message.consumer_id) == ("email", NEW, consumer.pk)
        code = sent_code()
        assert code not in row.code_hash and row.email == NEW and row.mobile == ""
        assert row.expires_at - row.created_at == datetime.timedelta(minutes=5)
        assert len(mailoutbox) == 1 and mailoutbox[0].to == [NEW] and code in mailoutbox[0].body
        assert verify(consumer, code)

    def test_wrong_expired_and_reused_codes_fail(self, consumer, travel):
        send(consumer)
        code = sent_code()
        wrong = f"{(int(code) + 1) % 1_000_000:06d}"
        assert not verify(consumer, wrong)
        assert verify(consumer, code)
        assert not verify(consumer, code)  # used up
        send(consumer, address="10.0.0.2")
        later = sent_code()
        travel.shift(datetime.timedelta(minutes=5, seconds=1))
        assert not verify(consumer, later)  # expired

    def test_a_code_proves_the_address_for_this_account_only(self, consumer):
        other = ConsumerFactory(mobile="9123400000")
        send(consumer)
        assert not verify(other, sent_code())
        assert verify(consumer, sent_code())

    def test_a_mobile_login_code_does_not_prove_an_address(self, consumer):
        otp.otp_send(mobile=consumer.mobile, purpose="login", address="a", language="en")
        body = OutboundMessage.objects.get(template="otp").body
        code = re.search(r"\b(\d{6})\b", body).group(1)
        assert not verify(consumer, code)

    def test_sends_are_limited_per_address_like_the_mobile_code(self, consumer):
        for _ in range(otp.OTP_SEND_LIMIT_MOBILE):
            send(consumer)
        with pytest.raises(otp.OtpRefused, match="Too many codes"):
            send(consumer)
        assert OneTimePassword.objects.filter(email=NEW).count() == otp.OTP_SEND_LIMIT_MOBILE

    def test_sends_are_limited_per_client_address(self, consumer):
        for i in range(otp.OTP_SEND_LIMIT_ADDRESS):
            send(consumer, email=f"someone{i}@example.com", address="10.9.9.9")
        with pytest.raises(otp.OtpRefused):
            send(consumer, email="one.more@example.com", address="10.9.9.9")

    def test_wrong_codes_are_limited_per_client_address(self, consumer):
        send(consumer)
        for _ in range(otp.OTP_VERIFY_LIMIT_ADDRESS):
            verify(consumer, "000000x", address="10.8.8.8")
        with pytest.raises(otp.OtpRefused):
            verify(consumer, sent_code(), address="10.8.8.8")

    @pytest.mark.parametrize("raw", ["", "not-an-address", "a@b", "x" * 250 + "@example.com"])
    def test_an_invalid_address_is_refused(self, raw):
        with pytest.raises(ValueError):
            otp.email_normalize(raw)

    def test_the_domain_is_lower_cased(self):
        assert otp.email_normalize("  Ravi.Kumar@EXAMPLE.com ") == "Ravi.Kumar@example.com"

    def test_the_code_is_in_the_consumers_language(self, consumer):
        consumer.language = "hi"
        send(consumer)
        message = OutboundMessage.objects.get(template="email_otp")
        assert message.language == "hi" and "ईमेल" in message.body


class TestChange:
    def test_the_change_is_kept_masked_in_the_history_and_the_old_address_is_told(
        self, consumer, mailoutbox, django_capture_on_commit_callbacks, caplog
    ):
        caplog.set_level(logging.DEBUG)
        with django_capture_on_commit_callbacks(execute=True):
            otp.email_change(consumer=consumer, new_email=NEW)
        consumer.refresh_from_db()
        assert consumer.email == NEW and consumer.email_verified
        change = consumer.changes.get(field="email")
        assert (change.source, change.old_value, change.new_value) == (
            ConsumerChange.Source.PORTAL, "o***@example.org", "r***@example.com",
        )  # fmt: skip
        assert NEW not in str(list(consumer.changes.values_list("old_value", "new_value")))
        told = OutboundMessage.objects.get(template="email_changed")
        assert told.to == "old.address@example.org" and told.channel == "email"
        assert NEW not in told.body and consumer.account_number in told.body
        assert [m.to for m in mailoutbox] == [["old.address@example.org"]]
        assert NEW not in caplog.text

    def test_no_old_address_nobody_to_tell(self, consumer):
        consumer_update(consumer=consumer, email="")
        otp.email_change(consumer=consumer, new_email=NEW)
        assert not OutboundMessage.objects.filter(template="email_changed").exists()

    def test_an_address_typed_at_the_office_is_not_proved(self, consumer):
        otp.email_change(consumer=consumer, new_email=NEW)
        consumer_update(consumer=consumer, email="typed.by.staff@example.com")
        consumer.refresh_from_db()
        assert not consumer.email_verified and consumer.ebill_address == ""


class TestEbill:
    def test_opt_in_is_refused_without_a_proved_address(self, consumer):
        with pytest.raises(ValidationError, match="e-mail"):
            consumer_ebill_set(consumer=consumer, on=True)
        consumer.refresh_from_db()
        assert consumer.ebill is False

    def test_opt_in_and_out_with_a_proved_address(self, consumer):
        otp.email_change(consumer=consumer, new_email=NEW)
        consumer_ebill_set(consumer=consumer, on=True)
        consumer.refresh_from_db()
        assert consumer.ebill and consumer.ebill_address == NEW
        change = consumer.changes.get(field="ebill")
        assert (change.source, change.new_value) == ("portal", "True")
        consumer_ebill_set(consumer=consumer, on=False)
        consumer.refresh_from_db()
        assert not consumer.ebill and consumer.ebill_address == ""


def test_a_mobile_change_is_kept_masked_in_the_history(consumer):
    otp.mobile_change(consumer=consumer, new_mobile="9000054321")
    change = consumer.changes.get(field="mobile")
    assert (change.source, change.old_value, change.new_value) == ("portal", "XXXXXX1234", "XXXXXX4321")


def test_an_officer_cannot_mark_an_address_proved_in_the_admin(client, consumer):
    from urja.testing import UserFactory

    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    html = client.get(f"/admin/customers/consumer/{consumer.pk}/change/").content.decode()
    assert 'name="email"' in html and 'name="verified_email"' not in html
