import datetime
import uuid
from decimal import Decimal

import pytest

from urja.billing.tests.conftest import metered_consumer
from urja.field import services
from urja.org.choices import Role
from urja.testing import TEST_PASSWORD, UserFactory

PERIOD = "2026-11"
HISTORY = [(datetime.date(2026, 9, 30), 0), (datetime.date(2026, 10, 31), 600)]


@pytest.fixture
def field(two_subdivisions):
    """DC A with a meter reader holding one route book of three metered consumers (orders for
    2026-11), a second reader in DC A, and a reader with a book in DC B."""
    org = two_subdivisions
    dc_a, dc_b = org["dc_a"], org["dc_b"]
    reader = UserFactory(username="mr_a", role=Role.METER_READER, office=dc_a)
    reader2 = UserFactory(username="mr_a2", role=Role.METER_READER, office=dc_a)
    reader_b = UserFactory(username="mr_b", role=Role.METER_READER, office=dc_b)
    consumers = [metered_consumer(dc_a, serial=f"FA{i}", history=HISTORY) for i in range(3)]
    for i, c in enumerate(consumers):
        c.latitude, c.longitude = Decimal("26.800000") + Decimal(i) / 1000, Decimal("80.900000")
        c.save(update_fields=["latitude", "longitude"])
    book = services.route_book_create(office=dc_a, code="RB-A-1", name="Ward 1", by=org["je_a"])
    services.route_stops_set(book=book, consumers=consumers, by=org["je_a"])
    services.route_book_assign(book=book, reader=reader, by=org["je_a"])
    services.reading_orders_build(book=book, period=PERIOD, by=org["je_a"])
    b_consumer = metered_consumer(dc_b, serial="FB0", history=HISTORY)
    book_b = services.route_book_create(office=dc_b, code="RB-B-1", name="Ward B", by=org["je_b"])
    services.route_stops_set(book=book_b, consumers=[b_consumer], by=org["je_b"])
    services.route_book_assign(book=book_b, reader=reader_b, by=org["je_b"])
    services.reading_orders_build(book=book_b, period=PERIOD, by=org["je_b"])
    return {
        **org,
        "reader": reader,
        "reader2": reader2,
        "reader_b": reader_b,
        "consumers": consumers,
        "book": book,
        "book_b": book_b,
        "b_consumer": b_consumer,
    }


def login(client, user):
    assert client.login(username=user.username, password=TEST_PASSWORD)
    return client


def item(kind, payload, client_id=None):
    return {"client_id": client_id or str(uuid.uuid4()), "kind": kind, "payload": payload}
