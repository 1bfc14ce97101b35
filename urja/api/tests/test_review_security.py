"""Security review of the API: bad input is a 4xx with a JSON error, never a 500."""

import pytest

from urja.api.services import staff_token_issue

pytestmark = pytest.mark.django_db
HUGE = "9" * 30


def bearer(user):
    _, key = staff_token_issue(user=user)
    return {"HTTP_AUTHORIZATION": f"Bearer {key}"}


PAGINATED = [
    "/api/v1/consumers/{acct}/history",
    "/api/v1/consumers/{acct}/bills",
    "/api/v1/consumers/{acct}/readings",
    "/api/v1/feeders",
    "/api/v1/reports/unindexed-consumers/list",
]


@pytest.mark.parametrize("path", PAGINATED)
@pytest.mark.parametrize("offset", [HUGE, str(2**63)])
def test_an_out_of_range_offset_is_invalid_input_not_a_500(client, two_subdivisions, path, offset):
    client.raise_request_exception = False
    url = path.format(acct=two_subdivisions["consumer_a"].account_number)
    response = client.get(url, {"offset": offset}, **bearer(two_subdivisions["sdo_a"]))
    assert response.status_code == 422
    assert response.json()["code"] == "invalid_input"


@pytest.mark.parametrize("path", PAGINATED)
def test_an_ordinary_offset_still_pages(client, two_subdivisions, path):
    url = path.format(acct=two_subdivisions["consumer_a"].account_number)
    response = client.get(url, {"offset": "0", "limit": "10"}, **bearer(two_subdivisions["sdo_a"]))
    assert response.status_code == 200
    assert "items" in response.json()


@pytest.mark.parametrize("path", PAGINATED)
@pytest.mark.parametrize("limit", [HUGE, str(2**63), str(2**70), "1000000000", "501"])
def test_a_limit_above_the_maximum_is_invalid_input_not_a_500(client, two_subdivisions, path, limit):
    client.raise_request_exception = False
    url = path.format(acct=two_subdivisions["consumer_a"].account_number)
    response = client.get(url, {"limit": limit}, **bearer(two_subdivisions["sdo_a"]))
    assert response.status_code == 422
    assert response.json()["code"] == "invalid_input"
    assert response.json()["errors"][0]["field"] == "limit"


@pytest.mark.parametrize("path", PAGINATED)
def test_the_largest_limit_still_pages(client, two_subdivisions, path):
    url = path.format(acct=two_subdivisions["consumer_a"].account_number)
    response = client.get(url, {"limit": "500"}, **bearer(two_subdivisions["sdo_a"]))
    assert response.status_code == 200


def test_the_limits_are_in_the_openapi_schema(client):
    schema = client.get("/api/v1/openapi.json").json()
    parameters = {
        p["name"]: p["schema"]
        for p in schema["paths"]["/api/v1/feeders"]["get"]["parameters"]
        if p["name"] in ("limit", "offset")
    }
    assert parameters["limit"]["maximum"] == 500
    assert parameters["offset"]["maximum"] == 2**31 - 1


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/bills/{id}",
        "/api/v1/bills/{id}/pdf",
        "/api/v1/billing/runs/{id}",
    ],
)
@pytest.mark.parametrize("number", [2**63, 2**64, 2**70, int("9" * 40)])
def test_an_id_beyond_64_bits_in_the_url_is_not_found(client, two_subdivisions, path, number):
    client.raise_request_exception = False
    response = client.get(path.format(id=number), **bearer(two_subdivisions["sdo_a"]))
    assert response.status_code in (404, 422)
    assert response.json()["code"] in ("not_found", "invalid_input")
