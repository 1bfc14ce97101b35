import pytest

from urja.field.demo import demo_route_books
from urja.field.models import ReadingOrder, RouteBook
from urja.org.choices import Role
from urja.staff.navigation import landing_url
from urja.testing import ConsumerFactory, UserFactory

# A reader reads inside the period (2026-11): a bill served 60 days or more late carries the late-bill
# rebate, and the demo's orders are for the current month, so these tests set their day.
pytestmark = [pytest.mark.django_db, pytest.mark.clock("2026-11-28T12:00:00+05:30")]


def test_demo_readers_get_route_books_over_their_dc(two_subdivisions):
    dc = two_subdivisions["dc_a"]
    reader = UserFactory(username="meter_reader", role=Role.METER_READER, office=dc)
    for _ in range(4):
        ConsumerFactory(office=dc)
    ConsumerFactory(office=dc, category="LMV1-RURAL-UM", area_type="rural")  # unmetered: not read
    assert demo_route_books() == 1
    book = RouteBook.objects.get()
    assert book.reader == reader and book.office == dc
    assert book.stops.count() == 5  # the fixture's consumer_a and four more
    assert ReadingOrder.objects.filter(book=book, period="2026-11", reader=reader).count() == 5
    assert demo_route_books() == 0  # idempotent


def test_a_meter_reader_lands_in_the_field_app(two_subdivisions):
    reader = UserFactory(username="mr", role=Role.METER_READER, office=two_subdivisions["dc_a"])
    assert landing_url(reader) == "/field/"
    assert landing_url(two_subdivisions["je_a"]) != "/field/"
