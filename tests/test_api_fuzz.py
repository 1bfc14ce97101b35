"""Property-based API check (schemathesis): whatever a client sends to the documented endpoints, the
answer is never a server error. Runs every operation of the OpenAPI schema with generated
parameters, authenticated as a staff user and as a partner."""

import pytest
import schemathesis
from hypothesis import HealthCheck, settings

from urja.wsgi_test import application

schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application)


@pytest.fixture(autouse=True)
def _keep_test_connection():
    """Called in-process, the WSGI app would close the database connection at the end of each request
    (and with it the test's transaction); Django's own test client switches that off the same way."""
    from django.core import signals
    from django.db import close_old_connections

    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.fixture
def auth_headers(two_subdivisions):
    from urja.api.services import partner_create, staff_token_issue

    _, staff = staff_token_issue(user=two_subdivisions["sdo_a"])
    _, partner = partner_create(name="Fuzz Bank")
    return {"Authorization": f"Bearer {staff}", "X-API-Key": partner}


@pytest.mark.django_db
@schema.parametrize()
@settings(max_examples=12, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True)
def test_endpoints_never_fail_with_a_server_error(case, auth_headers):
    response = case.call(headers=auth_headers)
    assert response.status_code < 500, (
        f"{case.method} {case.formatted_path} -> {response.status_code}: {response.text[:300]}"
    )
