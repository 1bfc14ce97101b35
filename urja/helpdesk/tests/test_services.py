import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from urja.common import clock
from urja.helpdesk import services as hd
from urja.helpdesk.choices import Channel, EscalationLevel, EventKind, TicketStatus
from urja.helpdesk.models import Ticket, TicketEvent
from urja.helpdesk.selectors import timeline
from urja.notifications.models import OutboundMessage


def file(s, **kw):
    args = {
        "category": s["cat"]["no_supply"],
        "description": "No light since morning",
        "channel": Channel.PHONE,
        "by": s["agent"],
        "consumer": s["indexed"],
    }
    args.update(kw)
    return hd.ticket_file(**args)


@pytest.mark.clock("2026-11-28T12:00+05:30")
def test_phone_ticket_gets_number_routes_to_dt_office_and_sms(helpdesk, django_capture_on_commit_callbacks):
    s = helpdesk
    with django_capture_on_commit_callbacks(execute=True):
        t = file(s)
    # the consumer's account sits at the sub-division; its DT at DC-A answers
    assert t.office == s["dc_a"]
    assert t.number == f"HD261128{t.pk:06d}"
    assert t.due_at == t.filed_at + datetime.timedelta(hours=12)
    sms = OutboundMessage.objects.get(template="complaint_update")
    assert sms.to == "9876543210" and t.number in sms.body
    assert list(t.events.values_list("kind", flat=True)) == [EventKind.FILED]


def test_unindexed_consumer_routes_to_its_office(helpdesk):
    t = file(helpdesk, consumer=helpdesk["consumer_b"], by=helpdesk["agent"])
    assert t.office == helpdesk["dc_b"]


def test_non_consumer_routes_to_the_office_chosen_and_needs_one(helpdesk):
    s = helpdesk
    t = file(s, consumer=None, office=s["dc_b"], caller_name="Ramesh", caller_mobile="9123456789")
    assert t.office == s["dc_b"]
    with pytest.raises(ValidationError):
        file(s, consumer=None, office=None)


def test_portal_ticket_from_the_signed_in_consumer(helpdesk):
    t = hd.ticket_file(
        category=helpdesk["cat"]["voltage"],
        description="Low voltage",
        channel=Channel.PORTAL,
        consumer=helpdesk["indexed"],
    )
    assert t.channel == Channel.PORTAL and t.filed_by is None and t.office == helpdesk["dc_a"]


def test_roles_and_offices_refused(helpdesk):
    s = helpdesk
    with pytest.raises(PermissionDenied):
        file(s, by=s["cashier"])
    with pytest.raises(PermissionDenied):  # an agent of sub-division B for a DC-A consumer
        file(s, by=s["agent_b"])
    assert not Ticket.objects.exists()


def test_notes_are_internal_and_hidden_from_the_consumer(helpdesk):
    s = helpdesk
    t = file(s)
    hd.ticket_note(ticket=t, by=s["je_a"], text="Fuse at DT blown, lineman sent")
    assert [e.kind for e in timeline(t, for_consumer=False)] == [EventKind.FILED, EventKind.NOTE]
    assert [e.kind for e in timeline(t, for_consumer=True)] == [EventKind.FILED]
    with pytest.raises(PermissionDenied):
        hd.ticket_note(ticket=t, by=s["je_b"], text="not mine")


def test_resolve_with_photo_rate_once(helpdesk, django_capture_on_commit_callbacks):
    from django.core.files.uploadedfile import SimpleUploadedFile

    s = helpdesk
    t = file(s)
    with django_capture_on_commit_callbacks(execute=True):
        t = hd.ticket_resolve(
            ticket=t,
            by=s["je_a"],
            resolution="Fuse replaced",
            photo=SimpleUploadedFile("fix.jpg", b"\xff\xd8jpeg"),
        )
    assert t.status == TicketStatus.RESOLVED and t.resolution_photo.name.endswith(".jpg")
    assert OutboundMessage.objects.filter(dedupe_key=f"complaint_update:{t.number}:resolved:0").exists()
    with pytest.raises(ValidationError):
        hd.ticket_resolve(ticket=t, by=s["je_a"], resolution="again")
    with pytest.raises(ValidationError):
        hd.ticket_rate(ticket=t, rating=6)
    hd.ticket_rate(ticket=t, rating=4)
    assert Ticket.objects.get(pk=t.pk).rating == 4
    with pytest.raises(ValidationError):
        hd.ticket_rate(ticket=t, rating=5)


def test_open_ticket_cannot_be_rated_or_reopened(helpdesk):
    t = file(helpdesk)
    with pytest.raises(ValidationError):
        hd.ticket_rate(ticket=t, rating=3)
    with pytest.raises(ValidationError):
        hd.ticket_reopen(ticket=t, reason="x")


@pytest.mark.clock("2026-12-01T10:00+05:30")
def test_reopen_at_the_boundary_of_five_days(helpdesk, travel):
    s = helpdesk
    t = hd.ticket_resolve(ticket=file(s), by=s["je_a"], resolution="Fuse replaced")
    travel.move_to("2026-12-06T10:00+05:30")  # exactly 5 days later: still allowed
    t = hd.ticket_reopen(ticket=t, reason="Light went again")
    assert t.status == TicketStatus.OPEN and t.reopen_count == 1
    assert abs(t.due_at - (clock.now() + datetime.timedelta(hours=12))) < datetime.timedelta(seconds=5)
    t = hd.ticket_resolve(ticket=t, by=s["je_a"], resolution="Cable replaced")
    travel.move_to("2026-12-11T10:00:01+05:30")  # 5 days and a second after
    with pytest.raises(ValidationError) as exc:
        hd.ticket_reopen(ticket=t, reason="Again")
    assert "within 5 days" in " ".join(exc.value.messages)
    assert Ticket.objects.get(pk=t.pk).status == TicketStatus.RESOLVED


@pytest.mark.clock("2026-11-30T20:00+05:30")
def test_escalation_ladder_je_sdo_ee_se(helpdesk, travel, settings):
    settings.URJA_HELPDESK = {"LADDER": [("sdo", 24, "hours"), ("ee", 48, "hours"), ("se", 72, "hours")]}
    s = helpdesk
    t = file(s)  # due 2026-12-01 08:00
    travel.move_to("2026-12-01T07:59+05:30")
    assert hd.tickets_escalate_overdue() == 0
    travel.move_to("2026-12-01T08:01+05:30")
    assert hd.tickets_escalate_overdue() == 1
    assert Ticket.objects.get(pk=t.pk).level == EscalationLevel.SDO
    assert hd.tickets_escalate_overdue() == 0  # the SDO has 24 hours of their own
    travel.move_to("2026-12-02T08:02+05:30")
    hd.tickets_escalate_overdue()
    assert Ticket.objects.get(pk=t.pk).level == EscalationLevel.EE
    travel.move_to("2026-12-05T00:00+05:30")
    hd.tickets_escalate_overdue()
    travel.move_to("2026-12-09T00:00+05:30")
    hd.tickets_escalate_overdue()
    assert Ticket.objects.get(pk=t.pk).level == EscalationLevel.SE  # the top: no further
    assert TicketEvent.objects.filter(ticket=t, kind=EventKind.ESCALATED).count() == 3


def test_resolved_ticket_does_not_escalate(helpdesk, travel):
    s = helpdesk
    t = hd.ticket_resolve(ticket=file(s), by=s["je_a"], resolution="done")
    travel.shift(datetime.timedelta(days=3))
    assert hd.tickets_escalate_overdue() == 0
    assert Ticket.objects.get(pk=t.pk).level == EscalationLevel.JE


def test_anonymous_only_for_theft(helpdesk):
    with pytest.raises(ValidationError):
        file(helpdesk, anonymous=True)


def test_anonymous_theft_report_stores_no_personal_data(helpdesk, django_capture_on_commit_callbacks):
    s = helpdesk
    with django_capture_on_commit_callbacks(execute=True):
        t = file(
            s,
            category=s["cat"]["theft_report"],
            consumer=None,
            office=s["dc_a"],
            anonymous=True,
            caller_name="Suresh",
            caller_mobile="9012345678",
            address="Hook on the pole behind the temple",
        )
    row = Ticket.objects.filter(pk=t.pk).values().get()
    assert row["caller_name"] == "" and row["caller_mobile"] == ""
    assert "Suresh" not in str(row) and "9012345678" not in str(row)
    assert not OutboundMessage.objects.exists()


@pytest.mark.clock("2026-12-04T09:00+05:30")  # a Friday
def test_default_ladder_is_the_engines_in_working_days(helpdesk, travel):
    s = helpdesk
    t = file(s)  # due Friday 21:00
    travel.move_to("2026-12-04T21:30+05:30")
    hd.tickets_escalate_overdue()
    t.refresh_from_db()
    # the engine's SDO rung: 2 working days; Sunday is the weekly off, so the end of Monday
    assert (t.level, t.escalated_to_role) == (EscalationLevel.SDO, "sdo")
    assert clock.localtime(t.level_due_at).isoformat() == "2026-12-07T23:59:59+05:30"


def test_sms_in_the_consumers_language(helpdesk, django_capture_on_commit_callbacks):
    s = helpdesk
    s["indexed"].language = "en"
    s["indexed"].save()
    with django_capture_on_commit_callbacks(execute=True):
        t = file(s)
    sms = OutboundMessage.objects.get()
    assert sms.language == "en" and sms.body.startswith(f"Urja: your complaint {t.number} is registered.")


def test_theft_report_never_tells_the_premises_reported(helpdesk, django_capture_on_commit_callbacks):
    s = helpdesk
    with django_capture_on_commit_callbacks(execute=True):
        file(s, category=s["cat"]["theft_report"], consumer=s["indexed"], caller_name="Mohan")
    assert not OutboundMessage.objects.filter(to=s["indexed"].mobile).exists()
    with django_capture_on_commit_callbacks(execute=True):
        file(s, category=s["cat"]["theft_report"], consumer=s["indexed"], caller_mobile="9123456780")
    assert list(OutboundMessage.objects.values_list("to", flat=True)) == ["9123456780"]


@pytest.mark.clock("2026-11-30T20:00+05:30")
def test_escalation_task_and_command(helpdesk, travel, settings):
    from io import StringIO

    from django.core.management import call_command

    from urja.helpdesk.tasks import escalate_overdue

    assert "urja.helpdesk.escalate_overdue" in {e["task"] for e in settings.CELERY_BEAT_SCHEDULE.values()}
    file(helpdesk)
    file(helpdesk)
    travel.move_to("2026-12-01T08:01+05:30")
    assert escalate_overdue.delay().get() == 2
    out = StringIO()
    call_command("helpdesk", "escalate", stdout=out)
    assert "Tickets escalated: 0" in out.getvalue()


def test_a_bad_mobile_is_refused(helpdesk):
    with pytest.raises(ValidationError):
        file(helpdesk, consumer=None, office=helpdesk["dc_a"], caller_mobile="12345")
    assert not Ticket.objects.exists()
