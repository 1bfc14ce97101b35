import datetime
import re

import pytest

from urja.customers import otp
from urja.customers.models import ConsumerChange, OneTimePassword
from urja.notifications.models import OutboundMessage
from urja.testing import ConsumerFactory

pytestmark = [pytest.mark.django_db, pytest.mark.clock("2026-11-28T12:00+05:30")]
MOBILE = "9876501234"


def sent_code(mobile=MOBILE) -> str:
    body = OutboundMessage.objects.filter(to=mobile, template="otp").order_by("-id").first().body
    return re.search(r"\b(\d{6})\b", body).group(1)


def send(mobile=MOBILE, purpose="login", address="10.0.0.1"):
    return otp.otp_send(mobile=mobile, purpose=purpose, address=address, language="en")


def test_code_is_sent_by_sms_and_only_its_hash_is_stored():
    row = send()
    code = sent_code()
    assert code not in row.code_hash and len(row.code_hash) == 64
    assert row.expires_at - row.created_at == datetime.timedelta(minutes=5)
    assert otp.otp_verify(mobile=MOBILE, purpose="login", code=code, address="10.0.0.1")


def test_single_use():
    send()
    code = sent_code()
    assert otp.otp_verify(mobile=MOBILE, purpose="login", code=code, address="a")
    assert not otp.otp_verify(mobile=MOBILE, purpose="login", code=code, address="a")


def test_expires_after_five_minutes(travel):
    send()
    code = sent_code()
    travel.shift(datetime.timedelta(minutes=5, seconds=1))
    assert not otp.otp_verify(mobile=MOBILE, purpose="login", code=code, address="a")


def test_code_for_one_purpose_does_not_work_for_another():
    send(purpose="apply")
    assert not otp.otp_verify(mobile=MOBILE, purpose="login", code=sent_code(), address="a")


def test_five_wrong_tries_kill_the_code():
    send()
    code = sent_code()
    wrong = f"{(int(code) + 1) % 1_000_000:06d}"
    for _ in range(5):
        assert not otp.otp_verify(mobile=MOBILE, purpose="login", code=wrong, address="a")
    assert OneTimePassword.objects.get().attempts == 5
    assert not otp.otp_verify(mobile=MOBILE, purpose="login", code=code, address="a")


def test_a_new_code_replaces_the_old_one():
    send()
    first = sent_code()
    send()
    second = sent_code()
    if first != second:
        assert not otp.otp_verify(mobile=MOBILE, purpose="login", code=first, address="a")
    assert otp.otp_verify(mobile=MOBILE, purpose="login", code=second, address="a")


def test_three_sends_per_mobile_in_fifteen_minutes(travel):
    for _ in range(3):
        send()
    with pytest.raises(otp.OtpRefused, match="15 minutes"):
        send(address="10.9.9.9")
    travel.shift(datetime.timedelta(minutes=16))
    send()


def test_ten_sends_per_address_in_an_hour():
    for i in range(10):
        send(mobile=f"98765000{i:02d}")
    with pytest.raises(otp.OtpRefused, match="an hour"):
        send(mobile="9876500099")
    send(mobile="9876500099", address="10.0.0.2")


def test_wrong_codes_per_address_are_limited(monkeypatch):
    monkeypatch.setattr(otp, "OTP_VERIFY_LIMIT_ADDRESS", 3)
    send()
    code = sent_code()
    wrong = f"{(int(code) + 1) % 1_000_000:06d}"
    for _ in range(3):
        otp.otp_verify(mobile=MOBILE, purpose="login", code=wrong, address="bad")
    with pytest.raises(otp.OtpRefused):
        otp.otp_verify(mobile=MOBILE, purpose="login", code=code, address="bad")
    assert otp.otp_verify(mobile=MOBILE, purpose="login", code=code, address="good")


def test_wrong_codes_older_than_an_hour_are_purged(travel):
    from urja.customers.models import OtpVerifyFailure

    send()
    wrong = f"{(int(sent_code()) + 1) % 1_000_000:06d}"
    otp.otp_verify(mobile=MOBILE, purpose="login", code=wrong, address="x")
    travel.shift(datetime.timedelta(minutes=61))
    otp.otp_verify(mobile=MOBILE, purpose="login", code=wrong, address="y")
    assert OtpVerifyFailure.objects.count() == 1


def test_login_mobile_for_account_number_mobile_and_unknowns():
    consumer = ConsumerFactory(mobile=MOBILE)
    assert otp.login_mobile_for(consumer.account_number) == ("account", MOBILE)
    assert otp.login_mobile_for(MOBILE) == ("mobile", MOBILE)
    assert otp.login_mobile_for("9876509999") == ("mobile", "")
    bad = consumer.account_number[:-1] + str((int(consumer.account_number[-1]) + 1) % 10)
    with pytest.raises(ValueError):
        otp.login_mobile_for(bad)


def test_mobile_change_is_kept_masked_in_history():
    consumer = ConsumerFactory(mobile=MOBILE)
    otp.mobile_change(consumer=consumer, new_mobile="9123456789")
    consumer.refresh_from_db()
    assert consumer.mobile == "9123456789"
    change = ConsumerChange.objects.get(consumer=consumer)
    assert (change.field, change.old_value, change.new_value, change.source) == (
        "mobile", "XXXXXX1234", "XXXXXX6789", "portal",
    )  # fmt: skip
