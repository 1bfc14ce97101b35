"""Route books are assigned by the JE or SDO of their office only, to a meter reader of their DC; the
open reading orders follow the book; orders are built once per account per period."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from urja.field.models import ReadingOrder
from urja.field.services import reading_orders_build, route_book_assign
from urja.org.choices import Role
from urja.testing import UserFactory

from .conftest import PERIOD

pytestmark = pytest.mark.django_db


def test_only_the_offices_je_or_sdo_assigns(field):
    book = field["book"]
    ee = UserFactory(username="ee", role=Role.EE, office=field["division"])
    cashier = UserFactory(username="cash", role=Role.CASHIER, office=field["sub_a"])
    for user in (field["je_b"], field["sdo_b"], ee, cashier, field["reader"]):
        with pytest.raises(PermissionDenied):
            route_book_assign(book=book, reader=field["reader2"], by=user)
    route_book_assign(book=book, reader=field["reader2"], by=field["sdo_a"])
    assert set(ReadingOrder.objects.filter(book=book).values_list("reader", flat=True)) == {
        field["reader2"].pk
    }


def test_only_a_meter_reader_of_the_dc(field):
    lineman = UserFactory(username="lm", role=Role.LINEMAN, office=field["dc_a"])
    for reader in (lineman, field["reader_b"]):
        with pytest.raises(ValidationError):
            route_book_assign(book=field["book"], reader=reader, by=field["je_a"])


def test_orders_are_built_once_per_account_and_period(field):
    assert reading_orders_build(book=field["book"], period=PERIOD, by=field["je_a"]) == 0
    assert reading_orders_build(book=field["book"], period="2026-12", by=field["je_a"]) == 3
    with pytest.raises(ValidationError):
        reading_orders_build(book=field["book"], period="2026-13", by=field["je_a"])
    with pytest.raises(PermissionDenied):
        reading_orders_build(book=field["book"], period="2027-01", by=field["je_b"])
