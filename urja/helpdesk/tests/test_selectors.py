import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from urja.common.errors import NotFound
from urja.helpdesk import selectors
from urja.helpdesk import services as hd
from urja.helpdesk.choices import Channel


def file(s, consumer=None, code="no_supply"):
    return hd.ticket_file(
        category=s["cat"][code],
        description="No light",
        channel=Channel.PHONE,
        by=s["agent"],
        consumer=consumer or s["indexed"],
    )


@pytest.mark.clock("2026-12-01T09:00+05:30")
def test_report_counts_and_hours_to_resolve(helpdesk, travel):
    s = helpdesk
    tickets = [file(s) for _ in range(4)]
    for t, hours in zip(tickets[:3], (2, 4, 9), strict=True):
        travel.move_to(f"2026-12-01T{9 + hours:02d}:00+05:30")
        hd.ticket_resolve(ticket=t, by=s["je_a"], resolution="done")
    file(s, consumer=s["consumer_b"], code="voltage")
    travel.move_to("2026-12-01T22:00+05:30")  # the fourth no-supply ticket is past its 12 hours
    rows = selectors.ticket_report(
        user=s["agent"], start=datetime.date(2026, 12, 1), end=datetime.date(2026, 12, 1)
    )
    a, b = rows
    assert (a["office"], a["category"], a["filed"], a["pending"], a["resolved"], a["overdue"]) == (
        "DC-A",
        "no_supply",
        4,
        1,
        3,
        1,
    )
    assert (a["median_hours"], a["mean_hours"]) == (Decimal("4.0"), Decimal("5.0"))
    assert (b["office"], b["filed"], b["overdue"], b["median_hours"]) == ("DC-B", 1, 0, None)
    # office-scoped: sub-division B's SDO sees only its own
    assert [
        r["office"]
        for r in selectors.ticket_report(
            user=s["sdo_b"], start=datetime.date(2026, 12, 1), end=datetime.date(2026, 12, 1)
        )
    ] == ["DC-B"]
    # the dates are local (IST) days: nothing filed on 30 November
    assert (
        selectors.ticket_report(
            user=s["agent"], start=datetime.date(2026, 11, 30), end=datetime.date(2026, 11, 30)
        )
        == []
    )


def test_ticket_get_is_office_scoped_and_consumer_view_hides_notes(helpdesk):
    s = helpdesk
    t = file(s)
    hd.ticket_note(ticket=t, by=s["je_a"], text="internal")
    with pytest.raises(NotFound):
        selectors.ticket_get(principal=s["je_b"], number=t.number)
    assert selectors.ticket_get(principal=s["sdo_a"], number=t.number) == t
    mine = selectors.ticket_for_consumer(consumer=s["indexed"], number=t.number)
    assert [e.kind for e in selectors.timeline(mine, for_consumer=True)] == ["filed"]
    with pytest.raises(NotFound):
        selectors.ticket_for_consumer(consumer=s["consumer_b"], number=t.number)


def test_portal_anonymous_theft_report_needs_only_an_office(helpdesk):
    s = helpdesk
    t = hd.ticket_file(
        category=s["cat"]["theft_report"],
        description="Hook on the pole",
        channel=Channel.PORTAL,
        office=s["dc_b"],
        anonymous=True,
        caller_mobile="9012345678",
    )
    assert t.office == s["dc_b"] and t.caller_mobile == "" and t.filed_by is None
    # any other portal complaint comes from the signed-in consumer
    with pytest.raises(ValidationError):
        hd.ticket_file(category=s["cat"]["other"], description="x", channel=Channel.PORTAL, office=s["dc_b"])


def test_anonymous_report_naming_premises_is_not_in_that_accounts_list(helpdesk):
    s = helpdesk
    t = hd.ticket_file(
        category=s["cat"]["theft_report"],
        description="Meter bypassed",
        channel=Channel.PORTAL,
        consumer=s["indexed"],
        anonymous=True,
    )
    named = file(s, code="theft_report")  # by an agent, not anonymous
    assert t not in selectors.tickets_of_consumer(s["indexed"])
    assert named not in selectors.tickets_of_consumer(s["indexed"])
    assert file(s) in selectors.tickets_of_consumer(s["indexed"])
