"""An account number (or mobile, PIN code) typed in Devanagari, Arabic-Indic or full-width digits is
the same number as in ASCII digits: stored in ASCII, found by every search, and never a second
consumer. Digit-like characters (², ①) are refused with a clear error, never a 500."""

import datetime
import zoneinfo
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from urja.api.services import staff_token_issue
from urja.customers import services
from urja.customers.models import Consumer
from urja.testing import next_account_number

pytestmark = pytest.mark.django_db

DEVANAGARI = str.maketrans("0123456789", "०१२३४५६७८९")
FULL_WIDTH = str.maketrans("0123456789", "０１２３４５６７８９")
ARABIC_INDIC = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")
SCRIPTS = [DEVANAGARI, FULL_WIDTH, ARABIC_INDIC]


def fields(office, **changes):
    data = {
        "account_number": next_account_number(),
        "name": "Sita Devi",
        "address": "House 4",
        "village_town": "Aliganj",
        "district": "Lucknow",
        "area_type": "urban",
        "category": "LMV1-URBAN",
        "sanctioned_load": "2.00",
        "load_unit": "kW",
        "phase": 1,
        "supply_voltage": "230V",
        "connection_date": datetime.date(2015, 4, 1),
        "status": "active",
        "security_deposit": "0.00",
        "office": office,
    }
    data.update(changes)
    return data


@pytest.mark.parametrize("script", SCRIPTS)
def test_service_stores_a_number_typed_in_another_script_in_ascii(two_subdivisions, script):
    number = next_account_number()
    consumer = services.consumer_create(
        **fields(
            two_subdivisions["dc_a"],
            account_number=number.translate(script),
            mobile="9876543210".translate(script),
            pincode="226024".translate(script),
        )
    )
    consumer.refresh_from_db()
    assert (consumer.account_number, consumer.mobile, consumer.pincode) == (number, "9876543210", "226024")


@pytest.mark.parametrize("script", SCRIPTS)
def test_service_refuses_a_second_consumer_whose_number_differs_only_in_script(two_subdivisions, script):
    existing = two_subdivisions["consumer_a"]
    with pytest.raises(ValidationError) as caught:
        services.consumer_create(
            **fields(two_subdivisions["dc_a"], account_number=existing.account_number.translate(script))
        )
    assert "account_number" in caught.value.message_dict
    assert Consumer.objects.filter(office=two_subdivisions["dc_a"]).count() == 1


@pytest.mark.parametrize("raw", ["19000000²8", "①900000018", "1900000018\x00"])
def test_service_refuses_digit_like_characters(two_subdivisions, raw):
    with pytest.raises(ValidationError) as caught:
        services.consumer_create(**fields(two_subdivisions["dc_a"], account_number=raw))
    assert "account_number" in caught.value.message_dict


@pytest.mark.parametrize(
    ("field", "value"),
    [("account_number", "१९०००००००१"), ("mobile", "९८७६५४३२१०"), ("pincode", "२२६०२४")],
)
def test_the_database_holds_ascii_digits_only(two_subdivisions, field, value):
    """Even a write that skips validation (a bulk path) cannot store another script's digits."""
    consumer = two_subdivisions["consumer_a"]
    with pytest.raises(IntegrityError), transaction.atomic():
        Consumer.objects.filter(pk=consumer.pk).update(**{field: value})


def _admin_add_data(office, **changes):
    data = fields(office, **changes)
    data["office"] = office.pk
    data["connection_date"] = data["connection_date"].isoformat()
    for name in ("mobile", "email", "pincode", "change_reason"):
        data.setdefault(name, "")
    data.setdefault("language", "hi")
    return {
        **data,
        "changes-TOTAL_FORMS": "0",
        "changes-INITIAL_FORMS": "0",
        "changes-MIN_NUM_FORMS": "0",
        "changes-MAX_NUM_FORMS": "1000",
    }


@pytest.mark.parametrize("script", SCRIPTS)
def test_admin_refuses_a_second_consumer_whose_number_differs_only_in_script(
    client, two_subdivisions, script
):
    existing = two_subdivisions["consumer_a"]
    client.force_login(two_subdivisions["sdo_a"])  # opening an account is an officer's act
    response = client.post(
        reverse("admin:customers_consumer_add"),
        _admin_add_data(two_subdivisions["dc_a"], account_number=existing.account_number.translate(script)),
    )
    assert response.status_code == 200  # the form again, with the error
    assert "account_number" in response.context["adminform"].form.errors
    assert Consumer.objects.filter(office=two_subdivisions["dc_a"]).count() == 1


def test_admin_stores_a_new_number_typed_in_devanagari_in_ascii(client, two_subdivisions):
    number = next_account_number()
    client.force_login(two_subdivisions["sdo_a"])  # opening an account is an officer's act
    response = client.post(
        reverse("admin:customers_consumer_add"),
        _admin_add_data(
            two_subdivisions["dc_a"],
            account_number=number.translate(DEVANAGARI),
            mobile="९८७६५४३२१०",
            pincode="२२६०२४",
        ),
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    consumer = Consumer.objects.get(account_number=number)
    assert (consumer.mobile, consumer.pincode) == ("9876543210", "226024")


def test_admin_search_finds_a_number_typed_in_devanagari(client, two_subdivisions):
    consumer = two_subdivisions["consumer_a"]
    client.force_login(two_subdivisions["sdo_a"])
    response = client.get(
        reverse("admin:customers_consumer_changelist"), {"q": consumer.account_number.translate(DEVANAGARI)}
    )
    assert response.status_code == 200
    assert list(response.context["cl"].result_list) == [consumer]


def bearer(user):
    _, key = staff_token_issue(user=user)
    return {"HTTP_AUTHORIZATION": f"Bearer {key}"}


@pytest.mark.parametrize("script", SCRIPTS)
def test_api_finds_the_consumer_by_a_number_typed_in_another_script(client, two_subdivisions, script):
    consumer = two_subdivisions["consumer_a"]
    headers = bearer(two_subdivisions["sdo_a"])
    typed = consumer.account_number.translate(script)
    detail = client.get(f"/api/v1/consumers/{typed}", **headers)
    assert detail.status_code == 200 and detail.json()["account_number"] == consumer.account_number
    search = client.get("/api/v1/consumers", {"q": typed}, **headers)
    assert [row["account_number"] for row in search.json()] == [consumer.account_number]
    by_mobile = client.get("/api/v1/consumers", {"q": consumer.mobile.translate(script)}, **headers)
    assert [row["account_number"] for row in by_mobile.json()] == [consumer.account_number]


@pytest.mark.parametrize("query", ["190000001²", "1900000018²", "²" * 10, "9876543²10", "①", "१²"])
def test_search_with_digit_like_characters_is_an_empty_result_not_a_500(client, two_subdivisions, query):
    client.raise_request_exception = False
    api = client.get("/api/v1/consumers", {"q": query}, **bearer(two_subdivisions["sdo_a"]))
    assert api.status_code == 200 and api.json() == []
    client.force_login(two_subdivisions["sdo_a"])
    console = client.get(reverse("staff:home"), {"q": query})
    assert console.status_code == 200 and console.context["results"] == []


def test_console_search_finds_a_number_typed_in_devanagari(client, two_subdivisions):
    consumer = two_subdivisions["consumer_a"]
    client.force_login(two_subdivisions["sdo_a"])
    response = client.get(reverse("staff:home"), {"q": consumer.account_number.translate(DEVANAGARI)})
    # an exact account number opens the consumer
    assert response.status_code == 302
    assert response["Location"] == reverse("staff:consumer_detail", args=[consumer.account_number])
    page = client.get(reverse("staff:consumer_detail", args=[consumer.account_number.translate(DEVANAGARI)]))
    assert page.status_code == 200 and page.context["consumer"] == consumer


def test_console_edit_stores_mobile_and_pin_code_in_ascii(client, two_subdivisions):
    consumer = two_subdivisions["consumer_a"]
    client.force_login(two_subdivisions["je_a"])
    response = client.post(
        reverse("staff:consumer_edit", args=[consumer.account_number]),
        {
            "address": consumer.address,
            "village_town": consumer.village_town,
            "mobile": "९१२३४५६७८०",
            "pincode": "२२६०२४",
            "reason": "field visit",
        },
    )
    assert response.status_code == 302
    consumer.refresh_from_db()
    assert (consumer.mobile, consumer.pincode) == ("9123456780", "226024")


@pytest.fixture
def counter(two_subdivisions, client):
    from urja.payments import cashbooks as cash
    from urja.payments.tests.counter_fixtures import counter_desk

    with time_machine.travel(
        datetime.datetime(2026, 11, 20, 10, 0, tzinfo=zoneinfo.ZoneInfo("Asia/Kolkata")), tick=True
    ):
        desk = counter_desk(two_subdivisions)
        desk["book"] = cash.cash_book_open(counter=desk["counter_a"], cashier=desk["cashier_a"])
        client.force_login(desk["cashier_a"])
        yield desk


def test_counter_looks_up_and_takes_an_account_typed_in_devanagari(client, counter):
    from urja.payments.models import Payment

    consumer = counter["consumer_a"]
    typed = consumer.account_number.translate(DEVANAGARI)
    page = client.get(reverse("payments:counter", args=[counter["counter_a"].pk]), {"account": typed})
    assert page.status_code == 200 and page.context["overview"] is not None
    response = client.post(
        reverse("payments:payment_take", args=[counter["book"].pk]),
        {
            "account": typed,
            "amount": "५००",
            "confirm_advance": "on",  # the account owes nothing
            "mode": "cheque",
            "token": "tok-devanagari-01",
            "instrument_number": "१२३४५६",
            "instrument_bank": "SBI",
            "instrument_date": "2026-11-01",
        },
    )
    assert response.status_code == 302
    payment = Payment.objects.get()
    assert (payment.account_number, payment.amount, payment.instrument_number) == (
        consumer.account_number,
        Decimal("500.00"),
        "123456",
    )


@pytest.mark.parametrize("number", ["²²²²²²", "12345²"])
def test_counter_refuses_a_cheque_number_of_digit_like_characters(client, counter, number):
    from urja.payments.models import Payment

    response = client.post(
        reverse("payments:payment_take", args=[counter["book"].pk]),
        {
            "account": counter["consumer_a"].account_number,
            "amount": "500",
            "confirm_advance": "on",  # the account owes nothing
            "mode": "cheque",
            "token": "tok-superscript-1",
            "instrument_number": number,
            "instrument_bank": "SBI",
            "instrument_date": "2026-11-01",
        },
    )
    assert response.status_code == 400 and "instrument_number" in response.context["form"].errors
    assert not Payment.objects.exists()
