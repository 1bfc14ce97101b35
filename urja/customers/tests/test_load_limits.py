"""Category load limits on the consumer record (issue 8 rule 8): LMV-6 is for loads up to 75 kW."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from urja.customers import services
from urja.customers.models import Consumer
from urja.domain import account_number as acct
from urja.testing import ConsumerFactory

pytestmark = pytest.mark.django_db


def _fields(office, **extra):
    return {
        "account_number": acct.make(3, 77),
        "name": "Gupta Engineering Works",
        "address": "Plot 7, Industrial Area",
        "village_town": "Chinhat",
        "district": "Lucknow",
        "area_type": "urban",
        "category": "LMV6",
        "sanctioned_load": Decimal("80"),
        "connection_date": "2020-01-01",
        "office": office,
        **extra,
    }


def test_opening_an_account_with_a_load_above_the_category_limit_is_refused(two_subdivisions):
    with pytest.raises(ValidationError) as err:
        services.consumer_create(**_fields(two_subdivisions["dc_a"]))
    assert err.value.message_dict["sanctioned_load"] == [
        "A load of 80 kW is outside the limits of the LMV6 category: up to 75 kW."
    ]
    assert not Consumer.objects.filter(name="Gupta Engineering Works").exists()


def test_the_message_is_in_the_users_language(two_subdivisions):
    with translation.override("hi"), pytest.raises(ValidationError) as err:
        services.consumer_create(
            **_fields(two_subdivisions["dc_a"], load_unit="BHP", sanctioned_load=Decimal("101"))
        )
    message = err.value.message_dict["sanctioned_load"][0]
    assert "LMV6" in message and "101 BHP" in message and "75 kW" in message
    assert "outside" not in message


def test_a_load_inside_the_limit_is_accepted(two_subdivisions):
    consumer = services.consumer_create(**_fields(two_subdivisions["dc_a"], sanctioned_load=Decimal("75")))
    assert consumer.category == "LMV6"


def test_changing_the_load_or_the_category_is_checked(two_subdivisions):
    consumer = ConsumerFactory(
        office=two_subdivisions["dc_a"], category="LMV1-URBAN", sanctioned_load=Decimal("90")
    )
    with pytest.raises(ValidationError, match="outside the limits of the LMV6 category"):
        services.consumer_update(consumer=consumer, category="LMV6", reason="found running a factory")
    consumer.refresh_from_db()
    assert consumer.category == "LMV1-URBAN"
    services.consumer_update(
        consumer=consumer, category="LMV6", sanctioned_load=Decimal("60"), reason="load reduced"
    )
    consumer.refresh_from_db()
    assert (consumer.category, consumer.sanctioned_load) == ("LMV6", Decimal("60.00"))
    with pytest.raises(ValidationError, match="outside the limits"):
        services.consumer_update(consumer=consumer, sanctioned_load=Decimal("76"), reason="load increase")
