"""Security review of the tariff API: bad input is a 422 with a JSON error, never a 500."""

import pytest

from urja.api.services import staff_token_issue

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("field", ["units", "fppas"])
def test_quote_with_a_huge_number_is_422(client, two_subdivisions, field):
    client.raise_request_exception = False
    _, key = staff_token_issue(user=two_subdivisions["je_a"])
    params = {"tariff": "LMV1-URBAN", "load": "2kW", "units": "100", field: "1e999"}
    response = client.get("/api/v1/tariffs/quote", params, HTTP_AUTHORIZATION=f"Bearer {key}")
    assert response.status_code == 422
    assert response.json()["code"] == "invalid_input"
