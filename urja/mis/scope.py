"""Which office a report covers: the one asked for, if it lies in the user's subtree; else the user's
own (or, for a state-wide user, every discom). Every report and export resolves its office here."""

from __future__ import annotations

from urja.common.errors import NotFound
from urja.org.models import Office
from urja.org.permissions import user_covers


def report_office(user, code: str | None) -> Office | None:
    """The office named by `code` within the user's subtree (NotFound outside it, so an office the user
    may not see looks exactly like one that does not exist). Without a code: the user's office; None for
    a state-wide user with no office (every office)."""
    if code:
        office = Office.objects.filter(code=code.strip()).first()
        if office is None or not user_covers(user, office):
            raise NotFound(code)
        return office
    if user.sees_everything:
        return user.office if user.office_id else None
    if user.office_id is None:
        raise NotFound("office")
    return user.office


def path_prefix(office: Office | None) -> str:
    """The office-path prefix of rows a report counts ("" for every office)."""
    return office.path if office is not None else ""
