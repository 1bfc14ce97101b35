import datetime

import pytest
from django.db import transaction

from urja.notifications.choices import Event, Status
from urja.notifications.models import OutboundMessage
from urja.notifications.sending import outbox_drain
from urja.notifications.services import UnknownEvent, notify

PAYMENT = {"amount": "250.00", "account": "1234567890", "date": "28-11-2026", "receipt": "R-0001"}
REMINDER = {"amount": "250.00", "account": "1234567890", "due_date": "05-12-2026"}


@pytest.mark.django_db
class TestNotify:
    def test_essential_message_is_rendered_from_its_template_and_sent_after_commit(
        self, fake_provider, django_capture_on_commit_callbacks
    ):
        with django_capture_on_commit_callbacks(execute=True):
            message = notify(
                Event.PAYMENT_RECEIVED,
                to="9876543210",
                language="en",
                variables=PAYMENT,
                optional_allowed=False,
            )
            assert message.status == Status.QUEUED and fake_provider.sent == []
        message.refresh_from_db()
        assert (
            message.body
            == "Urja: Rs 250.00 received for a/c 1234567890 on 28-11-2026. Receipt R-0001. Thank you."
        )
        assert (
            message.status == Status.SENT
            and message.sender == "URJAEB"
            and message.provider_ref == f"P-{message.pk}"
        )
        assert fake_provider.sent == [(f"urja-{message.pk}", "9876543210", message.body)]

    def test_hindi_is_the_default(self, fake_provider):
        message = notify(Event.PAYMENT_RECEIVED, to="9876543210", variables=PAYMENT)
        assert message.language == "hi" and "प्राप्त" in message.body

    def test_optional_message_obeys_the_consumers_choice(self, fake_provider):
        assert notify(Event.DUE_REMINDER, to="9876543210", variables=REMINDER, optional_allowed=False) is None
        assert (
            notify(Event.DUE_REMINDER, to="9876543210", variables=REMINDER, optional_allowed=True) is not None
        )
        assert OutboundMessage.objects.count() == 1

    @pytest.mark.parametrize(
        "variables",
        [
            {**PAYMENT, "receipt": "R" * 31},  # too long
            {k: v for k, v in PAYMENT.items() if k != "receipt"},  # missing
            {**PAYMENT, "name": "Ravi"},  # extra
        ],
    )
    def test_a_message_that_does_not_render_exactly_is_refused(self, fake_provider, variables):
        assert notify(Event.PAYMENT_RECEIVED, to="9876543210", variables=variables) is None
        assert not OutboundMessage.objects.exists() and fake_provider.sent == []

    def test_no_recipient_no_message_and_unknown_event_is_an_error(self, fake_provider):
        assert notify(Event.PAYMENT_RECEIVED, to="", variables=PAYMENT) is None
        with pytest.raises(UnknownEvent):
            notify("birthday", to="9876543210", variables={})

    def test_dedupe_key_queues_once(self, fake_provider):
        first = notify(Event.PAYMENT_RECEIVED, to="9876543210", variables=PAYMENT, dedupe_key="payment:1")
        again = notify(Event.PAYMENT_RECEIVED, to="9876543210", variables=PAYMENT, dedupe_key="payment:1")
        assert first.pk == again.pk and OutboundMessage.objects.count() == 1

    def test_by_set_a_key_seen_before_is_queued_once(self, fake_provider):
        """notify_bulk (a bill run's SMS): over 900 keys (SQLite's statement limit), half seen before."""
        from urja.notifications.services import Outgoing, notify_bulk

        def batch(numbers):
            return [
                Outgoing(to="9876543210", language="en", variables=PAYMENT, dedupe_key=f"payment:{n}")
                for n in numbers
            ]

        assert notify_bulk(Event.PAYMENT_RECEIVED, batch(range(0, 1000, 2))) == 500
        assert notify_bulk(Event.PAYMENT_RECEIVED, batch(range(1000))) == 500
        keys = list(OutboundMessage.objects.values_list("dedupe_key", flat=True))
        assert len(keys) == len(set(keys)) == 1000

    def test_email_goes_through_djangos_mail(self, mailoutbox, django_capture_on_commit_callbacks):
        with django_capture_on_commit_callbacks(execute=True):
            message = notify(
                Event.PAYMENT_RECEIVED,
                to="ravi@example.com",
                language="en",
                variables=PAYMENT,
                channel="email",
            )
        message.refresh_from_db()
        assert message.status == Status.SENT and len(mailoutbox) == 1
        assert mailoutbox[0].to == ["ravi@example.com"] and "R-0001" in mailoutbox[0].body
        assert message.to_masked == "r***@example.com"


@pytest.mark.django_db
@pytest.mark.clock("2026-11-28T21:30:00+05:30")
def test_promotional_message_is_held_until_ten_in_the_morning(
    fake_provider, travel, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        message = notify(Event.DUE_REMINDER, to="9876543210", variables=REMINDER)
        essential = notify(Event.PAYMENT_RECEIVED, to="9876543210", variables=PAYMENT)
    message.refresh_from_db()
    essential.refresh_from_db()
    assert essential.status == Status.SENT  # essential messages go at any hour
    assert message.status == Status.QUEUED
    assert message.not_before == datetime.datetime.fromisoformat("2026-11-29T10:00:00+05:30")
    travel.move_to(datetime.datetime.fromisoformat("2026-11-29T09:59:00+05:30"))
    outbox_drain()
    assert len(fake_provider.sent) == 1
    travel.move_to(datetime.datetime.fromisoformat("2026-11-29T10:00:30+05:30"))
    outbox_drain()
    message.refresh_from_db()
    assert message.status == Status.SENT and len(fake_provider.sent) == 2


@pytest.mark.django_db
@pytest.mark.clock("2026-11-28T20:59:00+05:30")
def test_promotional_message_drained_after_the_window_closed_waits_again(fake_provider, travel):
    message = notify(Event.DUE_REMINDER, to="9876543210", variables=REMINDER)  # queued inside the window
    OutboundMessage.objects.filter(pk=message.pk).update(status=Status.QUEUED)
    travel.move_to(datetime.datetime.fromisoformat("2026-11-28T21:05:00+05:30"))
    assert outbox_drain().get("held") == 1
    message.refresh_from_db()
    assert message.status == Status.QUEUED and message.attempts == 0 and fake_provider.sent == []


class Boom(Exception):
    pass


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("commit", [True, False])
def test_an_outbox_row_exists_if_and_only_if_its_transaction_committed(fake_provider, commit):
    try:
        with transaction.atomic():
            notify(Event.PAYMENT_RECEIVED, to="9876543210", variables=PAYMENT)
            if not commit:
                raise Boom
    except Boom:
        pass
    assert OutboundMessage.objects.count() == (1 if commit else 0)
    assert len(fake_provider.sent) == (1 if commit else 0)  # sent by the after-commit task, or never
    if commit:
        assert OutboundMessage.objects.get().status == Status.SENT


@pytest.mark.django_db(transaction=True)
def test_without_dispatch_on_commit_a_message_waits_for_the_sweep(fake_provider, settings):
    """`urja demo` writes its history's SMS without sending each at once: they stay queued, and the
    sweep (`urja notifications send`, the beat task) sends them, once."""
    from urja.notifications.sending import outbox_drain

    settings.URJA_NOTIFICATIONS = {**settings.URJA_NOTIFICATIONS, "DISPATCH_ON_COMMIT": False}
    with transaction.atomic():
        notify(Event.PAYMENT_RECEIVED, to="9876543210", variables=PAYMENT)
    assert OutboundMessage.objects.get().status == Status.QUEUED and fake_provider.sent == []
    outbox_drain()
    outbox_drain()
    assert OutboundMessage.objects.get().status == Status.SENT and len(fake_provider.sent) == 1
