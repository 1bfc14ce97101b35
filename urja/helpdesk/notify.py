"""The one place the helpdesk tells a complainant by SMS. It queues on the outbox today; when the
notifier of the SMS issue lands (`notify("complaint_update", ...)`), only this function changes."""

from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _

from urja.common import clock
from urja.notifications.services import sms_queue

from .choices import THEFT_REPORT

EVENT = "complaint_update"


def complaint_update(ticket, what: str) -> None:
    """Queue an SMS about `ticket` (filed, resolved, re-opened) to the caller's mobile, else the account's, once per
    (ticket, what, resolution round), after the transaction commits. Nothing for anonymous reports."""
    if ticket.anonymous:
        return
    # A theft report's account is the premises reported, not the reporter: never tell that account.
    own_account = ticket.consumer_id is not None and ticket.category.code != THEFT_REPORT
    mobile = ticket.caller_mobile or (ticket.consumer.mobile if own_account else "")
    if not mobile:
        return
    # The consumer's own language when the message goes to the account's mobile; Hindi otherwise.
    language = ticket.consumer.language if ticket.consumer_id and not ticket.caller_mobile else "hi"
    with translation.override(language):
        texts = {
            "filed": _("Your complaint %(number)s is registered. We will resolve it by %(due)s."),
            "resolved": _("Your complaint %(number)s is resolved. Not satisfied? Re-open it within 5 days."),
            "reopened": _("Your complaint %(number)s is re-opened."),
        }
        body = texts[what] % {
            "number": ticket.number,
            "due": f"{clock.localtime(ticket.due_at):%d-%m-%Y %H:%M}",
        }
    key = f"{EVENT}:{ticket.number}:{what}:{ticket.reopen_count}"
    transaction.on_commit(
        lambda: sms_queue(
            to=mobile,
            template=EVENT,
            body=body,
            consumer_id=ticket.consumer_id,
            dedupe_key=key,
            language=language,
        )
    )
