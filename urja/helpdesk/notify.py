"""The one place the helpdesk tells a complainant by SMS: `notify("complaint_update", ...)` from the
ticket's transaction (the message commits with the ticket and goes out once, after commit)."""

from django.utils import translation
from django.utils.translation import pgettext

from urja.common import clock
from urja.notifications.choices import Event
from urja.notifications.services import notify

from .choices import THEFT_REPORT

EVENT = Event.COMPLAINT_UPDATE


def complaint_update(ticket, what: str) -> None:
    """Queue an SMS about `ticket` (filed, resolved, re-opened) to the caller's mobile, else the account's, once per
    (ticket, what, resolution round). Nothing for anonymous reports."""
    if ticket.anonymous:
        return
    # A theft report's account is the premises reported, not the reporter: never tell that account.
    own_account = ticket.consumer_id is not None and ticket.category.code != THEFT_REPORT
    mobile = ticket.caller_mobile or (ticket.consumer.mobile if own_account else "")
    if not mobile:
        return
    # The consumer's own language when the message goes to the account's mobile; Hindi otherwise.
    to_account = ticket.consumer_id and not ticket.caller_mobile
    language = ticket.consumer.language if to_account else "hi"
    with translation.override(language):
        status = {
            "filed": pgettext("complaint status in an SMS", "registered"),
            "resolved": pgettext("complaint status in an SMS", "resolved"),
            "reopened": pgettext("complaint status in an SMS", "re-opened"),
        }[what]
    notify(
        EVENT,
        to=mobile,
        language=language,
        variables={
            "number": ticket.number,
            "status": status,
            "due": f"{clock.localtime(ticket.due_at):%d-%m-%Y %H:%M}",
        },
        consumer_id=ticket.consumer_id,
        dedupe_key=f"{EVENT}:{ticket.number}:{what}:{ticket.reopen_count}",
        optional_allowed=ticket.consumer.optional_messages if to_account else True,
    )
