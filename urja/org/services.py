"""Writes to staff users. A user's rights — role, office, active, staff and superuser status — change
only here: every change is checked against what the person making it may grant and kept, with who,
when and why, in the append-only StaffUserChange history.

The rules, whoever calls (the admin, a command, a later console page):

* nobody changes their own rights (another administrator does);
* an administrator manages only users who see no more than they do — within their office subtree,
  with a role whose capabilities they hold themselves, never a superuser;
* superuser status, an office change, and a user without an office (who sees every office) need a
  superuser.

A service called by the system (the seed, a migration) passes ``by=None`` and is not checked.
"""

from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from . import roles
from .models import Office, StaffUserChange, User
from .permissions import user_covers

#: The fields that make up a user's rights; each change to one is a StaffUserChange row.
RIGHTS = ("role", "office", "is_active", "is_staff", "is_superuser")
#: The rest of a staff user's record that an administrator keeps up to date.
PROFILE = ("username", "first_name", "last_name", "email", "mobile", "preferred_language")


def _capabilities(role: str) -> frozenset[str]:
    return roles.CAPABILITIES.get(role, frozenset())


def sees_no_more(by: User, *, role: str, office: Office | None) -> bool:
    """Whether a user with `role` at `office` would see and do no more than `by`."""
    if by.is_superuser:
        return True
    return office is not None and user_covers(by, office) and _capabilities(role) <= _capabilities(by.role)


def is_administrator(by: User) -> bool:
    return by.is_active and not by.is_read_only and by.can(roles.ADMINISTER)


def may_manage(by: User, user: User) -> bool:
    """Whether `by` may change `user`'s record at all (particulars, password, rights)."""
    if not is_administrator(by):
        return False
    if by.is_superuser:
        return True
    return not user.is_superuser and sees_no_more(by, role=user.role, office=user.office)


def _value(field: str, value: Any) -> str:
    if field == "office":
        return value.code if value is not None else ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def staff_user_rights_check(*, by: User | None, user: User | None, rights: dict[str, Any]) -> None:
    """PermissionDenied unless `by` may give `user` (None: a new user) the rights in `rights` (the
    rights after the change, by field name). Called by the services, and by forms to show the reason
    before anything is saved."""
    if by is None:
        return
    if not is_administrator(by):
        raise PermissionDenied(_("You may not change staff users."))
    if user is None:
        after = {"role": "", "office": None, "is_superuser": False, **rights}
        if by.is_superuser:
            return
        if after["is_superuser"]:
            raise PermissionDenied(_("Only a superuser may make a superuser."))
        if after["office"] is None:
            raise PermissionDenied(
                _("Only a superuser may create a user without an office (who sees every office).")
            )
        if not sees_no_more(by, role=after["role"], office=after["office"]):
            raise PermissionDenied(
                _("You may create users only in your own offices, with rights you hold yourself.")
            )
        return
    if not may_manage(by, user):
        raise PermissionDenied(_("You may not change this user: they see more than you do."))
    changed = {name for name, value in rights.items() if getattr(user, name) != value}
    if not changed:
        return
    if user.pk == by.pk:
        raise PermissionDenied(
            _("Your own role, office and access are changed by another administrator, not by you.")
        )
    if by.is_superuser:
        return
    if "is_superuser" in changed:
        raise PermissionDenied(_("Only a superuser may grant or remove superuser status."))
    if "office" in changed:
        raise PermissionDenied(_("Only a superuser may move a user to another office."))
    if "role" in changed and not sees_no_more(by, role=rights["role"], office=user.office):
        raise PermissionDenied(_("You may not give a role with rights you do not hold yourself."))


def _record(*, user: User, by: User | None, before: dict[str, Any], reason: str) -> list[StaffUserChange]:
    rows = [
        StaffUserChange(
            user=user,
            changed_by=by,
            field=name,
            old_value=_value(name, before[name]) if name in before else "",
            new_value=_value(name, getattr(user, name)),
            reason=reason,
        )
        for name in RIGHTS
        if name not in before or before[name] != getattr(user, name)
    ]
    StaffUserChange.objects.bulk_create(rows)
    return rows


@transaction.atomic
def staff_user_create(
    *,
    by: User | None,
    username: str,
    password: str | None,
    role: str,
    office: Office | None,
    is_staff: bool = True,
    is_active: bool = True,
    is_superuser: bool = False,
    reason: str = "",
    **profile: Any,
) -> User:
    """Create a staff user (`password` None: no usable password yet). Its rights go to the history."""
    rights = {
        "role": role,
        "office": office,
        "is_staff": is_staff,
        "is_active": is_active,
        "is_superuser": is_superuser,
    }
    staff_user_rights_check(by=by, user=None, rights=rights)
    unknown = set(profile) - set(PROFILE)
    if unknown:
        raise ValueError(f"unknown staff user fields {sorted(unknown)}")
    user = User(username=username, **rights, **profile)
    if password:
        user.set_password(password)
    else:
        user.set_unusable_password()
    user.full_clean()
    user.save()
    _record(user=user, by=by, before={}, reason=reason.strip() or _("account created"))
    return user


@transaction.atomic
def staff_user_update(
    *, user: User, by: User | None, reason: str = "", **changes: Any
) -> list[StaffUserChange]:
    """Change a staff user's particulars and rights; returns the history rows written (one per
    changed right). A change of rights needs a reason."""
    unknown = set(changes) - set(RIGHTS) - set(PROFILE)
    if unknown:
        raise ValueError(f"unknown staff user fields {sorted(unknown)}")
    locked = User.objects.select_for_update(of=("self",)).select_related("office").get(pk=user.pk)
    rights = {name: changes[name] for name in RIGHTS if name in changes}
    staff_user_rights_check(by=by, user=locked, rights=rights)  # also refuses particulars of a user above
    before = {name: getattr(locked, name) for name in RIGHTS}
    for name, value in changes.items():
        setattr(locked, name, value)
    changed = [name for name in RIGHTS if before[name] != getattr(locked, name)]
    if changed and by is not None and not reason.strip():
        raise ValidationError({"reason": _("Say why this user's rights are changed.")})
    locked.full_clean()
    locked.save()
    rows = _record(user=locked, by=by, before=before, reason=reason.strip())
    user.refresh_from_db()
    return rows


def staff_language_set(*, user: User, language: str) -> None:
    """Remember the language a staff user chose, for the console at their next login."""
    if language not in dict(settings.LANGUAGES):
        raise ValidationError({"language": _("Unknown language.")})
    User.objects.filter(pk=user.pk).update(preferred_language=language)
