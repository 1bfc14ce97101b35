"""A JE of sub-division A must get 404 — never the data — for a consumer of sub-division B, through
every endpoint and page that takes an id."""

import pytest
from django.urls import reverse

from urja.api.services import partner_create, staff_token_issue
from urja.testing import TEST_PASSWORD

pytestmark = pytest.mark.django_db


def bearer(user):
    _, key = staff_token_issue(user=user)
    return {"HTTP_AUTHORIZATION": f"Bearer {key}"}


API_PATHS = ["/api/v1/consumers/{acct}", "/api/v1/consumers/{acct}/history"]


@pytest.mark.parametrize("path", API_PATHS)
def test_api_other_subdivision_is_404(client, two_subdivisions, path):
    je_a, other = two_subdivisions["je_a"], two_subdivisions["consumer_b"]
    response = client.get(path.format(acct=other.account_number), **bearer(je_a))
    assert response.status_code == 404
    body = response.json()
    assert body["code"] == "not_found"
    assert other.name not in response.content.decode()


@pytest.mark.parametrize("path", API_PATHS)
def test_api_own_consumer_is_visible(client, two_subdivisions, path):
    je_a, own = two_subdivisions["je_a"], two_subdivisions["consumer_a"]
    response = client.get(path.format(acct=own.account_number), **bearer(je_a))
    assert response.status_code == 200


def test_api_search_does_not_leak_other_offices(client, two_subdivisions):
    je_a, other = two_subdivisions["je_a"], two_subdivisions["consumer_b"]
    for q in (other.account_number, other.mobile, other.name, "Consumer"):
        response = client.get("/api/v1/consumers", {"q": q}, **bearer(je_a))
        assert response.status_code == 200
        assert other.account_number not in response.content.decode()


def test_sdo_sees_own_subdivision_not_the_other(client, two_subdivisions):
    sdo_a = two_subdivisions["sdo_a"]
    ok = client.get(f"/api/v1/consumers/{two_subdivisions['consumer_a'].account_number}", **bearer(sdo_a))
    assert ok.status_code == 200
    assert ok.json()["mobile_masked"].startswith("XXXXXX")
    assert two_subdivisions["consumer_a"].mobile not in ok.content.decode()
    no = client.get(f"/api/v1/consumers/{two_subdivisions['consumer_b'].account_number}", **bearer(sdo_a))
    assert no.status_code == 404


def bill_fetch(client, consumer, key):
    return client.get("/api/v1/biller/bills", {"account": consumer.account_number}, HTTP_X_API_KEY=key)


def test_partner_with_office_is_scoped(client, two_subdivisions):
    _, key = partner_create(name="Bank A", office=two_subdivisions["sub_a"])
    own = bill_fetch(client, two_subdivisions["consumer_a"], key)
    other = bill_fetch(client, two_subdivisions["consumer_b"], key)
    assert (own.status_code, other.status_code) == (200, 404)


def test_statewide_partner_sees_all(client, two_subdivisions):
    _, key = partner_create(name="BBPS")
    for c in ("consumer_a", "consumer_b"):
        assert bill_fetch(client, two_subdivisions[c], key).status_code == 200


@pytest.mark.parametrize("page", ["staff:consumer_detail"])
def test_console_other_subdivision_is_404(client, two_subdivisions, page):
    client.login(username="je_a", password=TEST_PASSWORD)
    other = two_subdivisions["consumer_b"]
    response = client.get(reverse(page, args=[other.account_number]))
    assert response.status_code == 404
    assert other.name not in response.content.decode()
    own = client.get(reverse(page, args=[two_subdivisions["consumer_a"].account_number]))
    assert own.status_code == 200


def test_console_search_is_scoped(client, two_subdivisions):
    client.login(username="je_a", password=TEST_PASSWORD)
    other = two_subdivisions["consumer_b"]
    response = client.get(reverse("staff:home"), {"q": other.account_number})
    assert response.status_code == 200
    assert other.name not in response.content.decode()
    response = client.get(
        reverse("staff:home"), {"q": two_subdivisions["consumer_a"].account_number}, follow=True
    )
    assert two_subdivisions["consumer_a"].name in response.content.decode()


def test_admin_other_subdivision_is_hidden(client, two_subdivisions):
    client.login(username="je_a", password=TEST_PASSWORD)
    other = two_subdivisions["consumer_b"]
    change_url = reverse("admin:customers_consumer_change", args=[other.pk])
    response = client.get(change_url)
    # Django admin redirects to the index with a message for an object outside the queryset.
    assert response.status_code in (302, 404)
    assert other.name not in response.content.decode()
    listing = client.get(reverse("admin:customers_consumer_changelist"))
    assert listing.status_code == 200
    assert other.account_number not in listing.content.decode()
    assert two_subdivisions["consumer_a"].account_number in listing.content.decode()
    history = client.get(reverse("admin:customers_consumerchange_changelist"))
    assert other.account_number not in history.content.decode()
