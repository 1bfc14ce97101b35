"""Who may act, and where: every "may this user do this here" check in Urja comes from this module.

* Capabilities (what a role may do) are in `roles`; `require` and `capability_required` check them.
* Office scope (where a user may act): `user_covers(user, office)` — the user's office subtree, or
  everything for a user who sees everything. Reads are scoped with `selectors.office_q`.
* Rank (who may approve whom): `outranks(checker, maker)`.
"""

from __future__ import annotations

from functools import wraps
from typing import TYPE_CHECKING

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from .choices import Role

if TYPE_CHECKING:
    from .models import Office

#: Who outranks whom when a second officer must approve (higher number is higher). A system
#: administrator (and a superuser) outranks everyone.
ROLE_RANK = {Role.JE: 1, Role.SDO: 2, Role.EE: 3, Role.SE: 4, Role.MANAGEMENT: 5}


def require(user, capability: str, message: str | None = None) -> None:
    """PermissionDenied unless `user` has `capability` (a service called by the system passes None)."""
    if user is not None and not user.can(capability):
        raise PermissionDenied(message or _("You may not do this."))


def user_covers(user, office: Office | None) -> bool:
    """Whether `office` (None: every office) lies within what `user` may act on."""
    if user.sees_everything:
        return True
    return office is not None and user.office_id is not None and user.office.contains(office)


def is_top(user) -> bool:
    return user.is_superuser or user.role == Role.SYSTEM_ADMIN


def outranks(checker, maker) -> bool:
    """May `checker` approve what `maker` asked for?"""
    if is_top(checker):
        return True
    return ROLE_RANK.get(checker.role, 0) > ROLE_RANK.get(maker.role, 0)


def capability_required(*capabilities: str):
    """View decorator: log in first; then 403 unless the user has at least one of `capabilities`."""

    def decorator(view):
        @wraps(view)
        @login_required
        def wrapped(request, *args, **kwargs):
            if not any(request.user.can(capability) for capability in capabilities):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapped

    return decorator
