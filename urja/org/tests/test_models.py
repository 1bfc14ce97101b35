import pytest
from django.core.exceptions import ValidationError

from urja.org.choices import OfficeLevel, Role
from urja.org.models import Office
from urja.org.selectors import offices_for_user
from urja.testing import OfficeFactory, office_chain

pytestmark = pytest.mark.django_db


def test_path_and_subtree():
    chain = office_chain("X")
    dc = chain[OfficeLevel.DC]
    assert dc.path == "X-DIS/X-ZON/X-CIR/X-DIV/X-SUB/X-DC/"
    assert set(Office.objects.subtree(chain[OfficeLevel.DIVISION])) == {
        chain[OfficeLevel.DIVISION],
        chain[OfficeLevel.SUBDIVISION],
        dc,
    }
    assert chain[OfficeLevel.ZONE].contains(dc) and not dc.contains(chain[OfficeLevel.ZONE])


def test_level_must_follow_parent():
    discom = OfficeFactory(code="D1", level=OfficeLevel.DISCOM)
    bad = Office(code="BAD", name="Bad", level=OfficeLevel.DC, parent=discom)
    with pytest.raises(ValidationError):
        bad.full_clean()


def test_offices_for_user(two_subdivisions):
    from urja.testing import UserFactory

    je_a = two_subdivisions["je_a"]
    assert list(offices_for_user(je_a)) == [two_subdivisions["dc_a"]]
    admin = UserFactory(username="root", role=Role.SYSTEM_ADMIN, office=None)
    assert offices_for_user(admin).count() == Office.objects.count()
    nobody = UserFactory(username="lost", role=Role.JE, office=None)
    assert offices_for_user(nobody).count() == 0


def test_capabilities():
    from urja.org import roles
    from urja.testing import UserFactory

    auditor = UserFactory(username="aud", role=Role.AUDITOR)
    cashier = UserFactory(username="cash", role=Role.CASHIER)
    assert auditor.can(roles.VIEW_CONSUMERS) and not auditor.can(roles.EDIT_CONSUMERS)
    assert auditor.is_read_only
    assert cashier.can(roles.TAKE_PAYMENTS) and not cashier.can(roles.APPROVE_ADJUSTMENTS)


def test_local_name_follows_the_language():
    from django.utils import translation

    office = OfficeFactory(code="LN1", name="Distribution Centre Malihabad", name_hi="वितरण केंद्र मलिहाबाद")
    assert office.local_name == "Distribution Centre Malihabad"
    with translation.override("hi"):
        assert office.local_name == "वितरण केंद्र मलिहाबाद"
    plain = OfficeFactory(code="LN2", name="Only English")
    with translation.override("hi"):
        assert plain.local_name == "Only English"
