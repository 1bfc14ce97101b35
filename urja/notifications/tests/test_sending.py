"""A message goes out once, even when the sender is killed (docs/decisions/0032-exactly-once-messages.md)."""

import datetime

import pytest
from django.core.management import call_command

from urja.notifications import sending
from urja.notifications.choices import Event, Status
from urja.notifications.models import OutboundMessage
from urja.notifications.providers import NotSent
from urja.notifications.sending import message_send, outbox_drain
from urja.notifications.services import message_requeue, notify

pytestmark = pytest.mark.django_db
PAYMENT = {"amount": "250.00", "account": "1234567890", "date": "28-11-2026", "receipt": "R-0001"}
LEASE = datetime.timedelta(seconds=601)


class Killed(BaseException):
    """What SIGKILL looks like from inside: nothing after this line of the sender runs."""


def queued(**kwargs):
    return notify(Event.PAYMENT_RECEIVED, to="9876543210", variables=PAYMENT, **kwargs)


def kill_after_provider_call(monkeypatch):
    def killed(*args, **kwargs):
        raise Killed

    monkeypatch.setattr(sending, "mark_sent", killed)


class TestKilledSender:
    def test_killed_between_provider_and_status_update_is_not_sent_again(
        self, fake_provider, monkeypatch, travel
    ):
        message = queued()
        kill_after_provider_call(monkeypatch)
        with pytest.raises(Killed):
            message_send(message.pk)
        monkeypatch.undo()  # the sender restarts with its code intact
        message.refresh_from_db()
        assert message.status == Status.SENDING and len(fake_provider.sent) == 1

        outbox_drain()  # restarted at once: the row is still within its lease, nobody touches it
        travel.shift(LEASE)
        counts = outbox_drain()  # after the lease: the provider is asked, not sent to
        message.refresh_from_db()
        assert counts["confirmed"] == 1 and message.status == Status.SENT
        assert len(fake_provider.sent) == 1
        travel.shift(LEASE)
        outbox_drain()
        assert len(fake_provider.sent) == 1

    def test_when_the_provider_cannot_tell_the_outcome_is_unknown_and_nothing_is_resent(
        self, fake_provider, monkeypatch, travel
    ):
        fake_provider.lookup_mode = "blind"
        message = queued()
        kill_after_provider_call(monkeypatch)
        with pytest.raises(Killed):
            message_send(message.pk)
        monkeypatch.undo()
        for _ in range(3):
            travel.shift(LEASE)
            outbox_drain()
            assert message_send(message.pk).status == "not_due"
        message.refresh_from_db()
        assert message.status == Status.UNKNOWN and len(fake_provider.sent) == 1
        # A person who checked with the provider may send it again; only then does it go a second time.
        assert message_requeue(message=message)
        outbox_drain()
        assert len(fake_provider.sent) == 2

    def test_killed_before_the_provider_got_it_is_sent_once_after_the_lease(
        self, fake_provider, monkeypatch, travel
    ):
        message = queued()
        monkeypatch.setattr(fake_provider, "send", lambda self, m: (_ for _ in ()).throw(Killed()))
        with pytest.raises(Killed):
            message_send(message.pk)
        monkeypatch.undo()
        travel.shift(LEASE)
        counts = outbox_drain()
        message.refresh_from_db()
        assert counts["requeued"] == 1 and message.status == Status.SENT and len(fake_provider.sent) == 1

    def test_a_claimed_row_cannot_be_claimed_again(self, fake_provider):
        message = queued()
        assert message_send(message.pk).status == "sent"
        assert message_send(message.pk).status == "not_due"
        assert outbox_drain() == {"confirmed": 0, "requeued": 0, "unknown": 0}
        assert len(fake_provider.sent) == 1

    def test_a_delivery_report_settles_an_unknown_row(self, fake_provider, monkeypatch, travel):
        from urja.notifications.services import delivery_record

        fake_provider.lookup_mode = "blind"
        message = queued()
        kill_after_provider_call(monkeypatch)
        with pytest.raises(Killed):
            message_send(message.pk)
        monkeypatch.undo()
        travel.shift(LEASE)
        outbox_drain()
        assert delivery_record(client_ref=message.client_ref, delivered=True)
        message.refresh_from_db()
        assert message.status == Status.DELIVERED


class TestRetries:
    def test_transient_failure_backs_off_exponentially_then_sends(self, fake_provider, travel):
        fake_provider.fail_next = [NotSent("busy", retry=True), NotSent("busy", retry=True)]
        message = queued()
        first = message_send(message.pk)
        assert first.status == "retry" and first.retry_in == 30
        assert message_send(message.pk).status == "not_due"  # held until its backoff is over
        travel.shift(datetime.timedelta(seconds=31))
        second = message_send(message.pk)
        assert second.status == "retry" and second.retry_in == 60
        travel.shift(datetime.timedelta(seconds=61))
        assert outbox_drain()["sent"] == 1
        message.refresh_from_db()
        assert message.status == Status.SENT and message.attempts == 3 and len(fake_provider.sent) == 1

    def test_permanent_refusal_fails_at_once(self, fake_provider):
        fake_provider.fail_next = [NotSent("invalid number", retry=False)]
        message = queued()
        assert message_send(message.pk).status == "failed"
        message.refresh_from_db()
        assert message.status == Status.FAILED and "invalid number" in message.last_error

    def test_gives_up_after_max_attempts(self, fake_provider, travel, settings):
        settings.URJA_NOTIFICATIONS = {**settings.URJA_NOTIFICATIONS, "MAX_ATTEMPTS": 2}
        fake_provider.fail_next = [NotSent("busy", retry=True)] * 3
        message = queued()
        assert message_send(message.pk).status == "retry"
        travel.shift(datetime.timedelta(hours=2))
        assert message_send(message.pk).status == "failed"


def test_command_drains_a_backlog_left_by_the_old_queue(fake_provider, capsys):
    # Rows the old sms_queue() left: no template fields, just a body.
    OutboundMessage.objects.bulk_create(
        OutboundMessage(to=f"98765432{i:02d}", template="payment_received", body=f"old {i}")
        for i in range(25)
    )
    call_command("notifications", "send")
    assert "sent 25" in capsys.readouterr().out
    assert OutboundMessage.objects.filter(status=Status.SENT).count() == 25 and len(fake_provider.sent) == 25
    call_command("notifications", "send")
    assert len(fake_provider.sent) == 25


def test_console_provider_logs_a_masked_number(caplog):
    message = queued()
    with caplog.at_level("INFO", logger="urja.notifications"):
        assert message_send(message.pk).status == "sent"
    assert "XXXXXX3210" in caplog.text and "9876543210" not in caplog.text


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_ten_concurrent_senders_send_a_message_once(fake_provider):
    from urja.testing import run_concurrently

    message = OutboundMessage.objects.create(to="9876543210", template="otp", body="x")
    results = run_concurrently(10, lambda i: message_send(message.pk).status if i % 2 else outbox_drain())
    assert all(not isinstance(r, Exception) for r in results), results
    assert len(fake_provider.sent) == 1
    message.refresh_from_db()
    assert message.status == Status.SENT and message.attempts == 1
