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
