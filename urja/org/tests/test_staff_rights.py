"""Nobody widens their own rights: a system administrator of a discom cannot tick superuser on
themselves, clear or change their office, or make someone who sees more than they do. Superuser and
office changes need a superuser; every change to a user's rights is kept in an append-only history."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from urja.org import services
from urja.org.choices import Role
from urja.org.models import StaffUserChange, User
from urja.testing import UserFactory, form_fields

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(two_subdivisions):
    """A discom system administrator, a sub-division system administrator, a superuser and a JE."""
    return {
        **two_subdivisions,
        "admin": UserFactory(username="sysadm", role=Role.SYSTEM_ADMIN, office=two_subdivisions["discom"]),
        "sub_admin": UserFactory(username="subadm", role=Role.SYSTEM_ADMIN, office=two_subdivisions["sub_a"]),
        "root": UserFactory(username="root", role=Role.SYSTEM_ADMIN, office=None, is_superuser=True),
    }


def change_page(client, user):
    return client.get(reverse("admin:org_user_change", args=[user.pk]))


def post_change(client, user, **changes):
    """Post the user's change form as served, with `changes` applied (None removes a field, as an
    unticked checkbox or a crafted request would)."""
    page = change_page(client, user)
    assert page.status_code == 200
    data = form_fields(page.content.decode(), form_id="user_form")
    for name, value in changes.items():
        if value is None:
            data.pop(name, None)
        else:
            data[name] = value
    if "rights_reason" not in changes:  # a reason is given, so only the rule under test can refuse
        data["rights_reason"] = "test"
    return client.post(reverse("admin:org_user_change", args=[user.pk]), data)


# --- one's own rights ------------------------------------------------------------------------------------


def test_admin_cannot_tick_superuser_on_themselves(client, people):
    admin = people["admin"]
    client.force_login(admin)
    post_change(client, admin, is_superuser="on")
    admin.refresh_from_db()
    assert not admin.is_superuser and not admin.sees_everything
    assert not StaffUserChange.objects.exists()


def test_admin_cannot_clear_or_change_their_own_office(client, people):
    admin = people["admin"]
    client.force_login(admin)
    post_change(client, admin, office="")
    post_change(client, admin, office=str(people["sub_a"].pk))
    admin.refresh_from_db()
    assert admin.office == people["discom"] and not admin.sees_everything


def test_admin_cannot_change_their_own_role_or_access(client, people):
    sub_admin = people["sub_admin"]
    client.force_login(sub_admin)
    post_change(client, sub_admin, role=Role.EE, is_staff=None, is_active=None)
    sub_admin.refresh_from_db()
    assert (sub_admin.role, sub_admin.is_staff, sub_admin.is_active) == (Role.SYSTEM_ADMIN, True, True)


def test_own_name_and_language_can_still_be_changed(client, people):
    admin = people["admin"]
    client.force_login(admin)
    response = post_change(client, admin, first_name="Sita", preferred_language="hi")
    assert response.status_code == 302
    admin.refresh_from_db()
    assert (admin.first_name, admin.preferred_language) == ("Sita", "hi")


def test_the_service_refuses_own_rights_changes_whoever_asks(people):
    for actor in (people["admin"], people["root"]):
        other_office = people["dc_a"] if actor.office is None else None
        for change in (
            {"is_superuser": not actor.is_superuser},
            {"office": other_office},
            {"role": Role.JE},
            {"is_active": False},
            {"is_staff": False},
        ):
            with pytest.raises(PermissionDenied):
                services.staff_user_update(user=actor, by=actor, reason="mine", **change)
    people["admin"].refresh_from_db()
    assert not people["admin"].is_superuser and people["admin"].office == people["discom"]


# --- other users' rights ---------------------------------------------------------------------------------


def test_admin_cannot_grant_superuser(client, people):
    je = people["je_a"]
    client.force_login(people["admin"])
    post_change(client, je, is_superuser="on")
    je.refresh_from_db()
    assert not je.is_superuser
    with pytest.raises(PermissionDenied):
        services.staff_user_update(user=je, by=people["admin"], reason="promote", is_superuser=True)


def test_office_changes_need_a_superuser(client, people):
    je = people["je_a"]
    client.force_login(people["admin"])
    post_change(client, je, office=str(people["dc_b"].pk))
    post_change(client, je, office="")
    je.refresh_from_db()
    assert je.office == people["dc_a"]
    for office in (people["dc_b"], None):
        with pytest.raises(PermissionDenied):
            services.staff_user_update(user=je, by=people["admin"], reason="transfer", office=office)


def test_a_superuser_moves_a_user_and_it_is_recorded(client, people):
    je = people["je_a"]
    client.force_login(people["root"])
    response = post_change(client, je, office=str(people["dc_b"].pk), rights_reason="transfer order 12/2026")
    assert response.status_code == 302
    je.refresh_from_db()
    assert je.office == people["dc_b"]
    row = StaffUserChange.objects.get(user=je)
    assert (row.field, row.old_value, row.new_value, row.changed_by, row.reason) == (
        "office",
        "DC-A",
        "DC-B",
        people["root"],
        "transfer order 12/2026",
    )
    page = change_page(client, je).content.decode()
    assert "transfer order 12/2026" in page


def test_a_rights_change_needs_a_reason(client, people):
    je = people["je_a"]
    client.force_login(people["admin"])
    response = post_change(client, je, role=Role.SDO, rights_reason="")
    assert response.status_code == 200
    je.refresh_from_db()
    assert je.role == Role.JE and not StaffUserChange.objects.exists()
    with pytest.raises(ValidationError):
        services.staff_user_update(user=je, by=people["admin"], reason=" ", role=Role.SDO)


def test_admin_changes_a_role_within_their_subtree_and_it_is_recorded(client, people):
    je = people["je_a"]
    client.force_login(people["admin"])
    response = post_change(client, je, role=Role.SDO, is_active=None, rights_reason="promotion")
    assert response.status_code == 302
    je.refresh_from_db()
    assert je.role == Role.SDO and not je.is_active
    rows = {r.field: r for r in StaffUserChange.objects.filter(user=je)}
    assert set(rows) == {"role", "is_active"}
    assert (rows["role"].old_value, rows["role"].new_value) == ("je", "sdo")
    assert rows["is_active"].changed_by == people["admin"] and rows["is_active"].reason == "promotion"


def test_a_user_who_sees_more_cannot_be_changed_or_have_their_password_reset(client, people):
    # A superuser who happens to sit in the administrator's subtree; and a peer above them.
    boss = UserFactory(username="boss", role=Role.SYSTEM_ADMIN, office=people["sub_a"], is_superuser=True)
    client.force_login(people["sub_admin"])
    post_change(client, boss, first_name="Hacked", is_active=None)
    boss.refresh_from_db()
    assert boss.first_name != "Hacked" and boss.is_active
    url = reverse("admin:auth_user_password_change", args=[boss.pk])
    response = client.post(url, {"password1": "new-pass-1234x", "password2": "new-pass-1234x"})
    assert response.status_code in (403, 302)
    boss.refresh_from_db()
    assert boss.check_password("correct-horse-battery")
    with pytest.raises(PermissionDenied):
        services.staff_user_update(user=boss, by=people["sub_admin"], reason="x", is_active=False)
    # A user outside the administrator's subtree is not even found.
    assert change_page(client, people["je_b"]).status_code == 302
    with pytest.raises(PermissionDenied):
        services.staff_user_update(user=people["je_b"], by=people["sub_admin"], reason="x", role=Role.SDO)


def test_no_django_groups_or_permissions_through_the_admin(client, people):
    from django.contrib.auth.models import Permission

    je = people["je_a"]
    client.force_login(people["admin"])
    any_permission = Permission.objects.first()
    post_change(client, je, user_permissions=str(any_permission.pk))
    assert not je.user_permissions.exists()


def test_users_are_not_deleted_but_deactivated(client, people):
    je = people["je_a"]
    client.force_login(people["admin"])
    response = client.post(reverse("admin:org_user_delete", args=[je.pk]), {"post": "yes"})
    assert response.status_code == 403
    assert User.objects.filter(pk=je.pk).exists()


# --- creating users --------------------------------------------------------------------------------------


def add_user(client, **fields):
    data = {
        "username": "new_user",
        "usable_password": "true",
        "password1": "a-long-pass-4567",
        "password2": "a-long-pass-4567",
        "role": Role.JE,
        "rights_reason": "joined",
    }
    data.update({k: v for k, v in fields.items() if v is not None})
    return client.post(reverse("admin:org_user_add"), data)


def test_admin_creates_a_user_in_their_subtree_and_it_is_recorded(client, people):
    client.force_login(people["admin"])
    response = add_user(client, office=str(people["dc_a"].pk))
    assert response.status_code == 302, response.content.decode()[:3000]
    user = User.objects.get(username="new_user")
    assert (user.role, user.office, user.is_superuser, user.is_staff) == (
        Role.JE,
        people["dc_a"],
        False,
        True,
    )
    assert user.check_password("a-long-pass-4567")
    rows = {r.field: r.new_value for r in StaffUserChange.objects.filter(user=user)}
    assert rows["role"] == "je" and rows["office"] == "DC-A"
    assert StaffUserChange.objects.filter(user=user, changed_by=people["admin"]).exists()


def test_admin_cannot_create_a_user_who_sees_more_than_they_do(client, people):
    client.force_login(people["sub_admin"])
    for office in ("", str(people["discom"].pk), str(people["dc_b"].pk)):
        add_user(client, role=Role.SYSTEM_ADMIN, office=office, is_superuser="on")
    assert not User.objects.filter(username="new_user").exists()
    for office in (None, people["discom"], people["dc_b"]):
        with pytest.raises(PermissionDenied):
            services.staff_user_create(
                by=people["sub_admin"], username="x1", password=None, role=Role.SYSTEM_ADMIN, office=office
            )
    with pytest.raises(PermissionDenied):
        services.staff_user_create(
            by=people["sub_admin"],
            username="x2",
            password=None,
            role=Role.JE,
            office=people["dc_a"],
            is_superuser=True,
        )
    assert not User.objects.filter(username__in=["x1", "x2"]).exists()


def test_a_superuser_may_create_a_statewide_administrator(people):
    user = services.staff_user_create(
        by=people["root"], username="state", password=None, role=Role.SYSTEM_ADMIN, office=None
    )
    assert user.sees_everything and not user.has_usable_password()


# --- the history -----------------------------------------------------------------------------------------


def test_the_history_is_append_only_and_read_only_in_the_admin(client, people):
    services.staff_user_update(user=people["je_a"], by=people["admin"], reason="promotion", role=Role.SDO)
    row = StaffUserChange.objects.get()
    row.new_value = "system_admin"
    with pytest.raises(Exception):
        row.save()
    with pytest.raises(Exception):
        row.delete()
    with pytest.raises(Exception):
        StaffUserChange.objects.update(new_value="x")
    assert StaffUserChange.objects.get().new_value == "sdo"
    client.force_login(people["root"])
    assert client.get(reverse("admin:org_staffuserchange_changelist")).status_code == 200
    assert client.get(reverse("admin:org_staffuserchange_add")).status_code == 403
    assert (
        client.post(reverse("admin:org_staffuserchange_delete", args=[row.pk]), {"post": "yes"}).status_code
        == 403
    )


def test_the_history_list_is_office_scoped(client, people):
    services.staff_user_update(user=people["je_b"], by=people["root"], reason="moved", role=Role.SDO)
    client.force_login(people["sub_admin"])
    page = client.get(reverse("admin:org_staffuserchange_changelist")).content.decode()
    assert "je_b" not in page
