import pytest

from urja.customers.choices import ConsumerStatus
from urja.demo.connections import seed_new_connections

pytestmark = pytest.mark.django_db


def test_demo_applications_at_three_stages(two_subdivisions):
    je, sdo = two_subdivisions["je_a"], two_subdivisions["sdo_a"]
    waiting, unpaid, done = seed_new_connections(je, sdo)
    for app in (waiting, unpaid, done):
        app.item.refresh_from_db()
    assert [a.item.state for a in (waiting, unpaid, done)] == ["applied", "payment", "energised"]
    assert unpaid.consumer.status == ConsumerStatus.PENDING
    done.consumer.refresh_from_db()
    assert done.consumer.status == ConsumerStatus.ACTIVE
    assert seed_new_connections(je, sdo) == []  # once
