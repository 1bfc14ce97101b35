"""/healthz: the verdict for anyone, the detail only for a monitor's token or a superuser."""

import pytest
from django.db import connection

from urja.testing import UserFactory

pytestmark = pytest.mark.django_db


def test_anyone_gets_the_verdict_and_nothing_more(client, settings):
    settings.URJA_HEALTH_TOKEN = "monitor-token-0123456789"
    response = client.get("/healthz")
    assert response.status_code == 200 and response.json() == {"status": "ok"}
    wrong = client.get("/healthz", headers={"X-Urja-Health-Token": "monitor-token-012345678X"})
    assert wrong.json() == {"status": "ok"}
    assert client.post("/healthz").status_code == 405


def test_a_monitor_with_the_token_or_a_superuser_gets_the_detail(client, settings):
    settings.URJA_HEALTH_TOKEN = "monitor-token-0123456789"
    detail = client.get("/healthz", headers={"X-Urja-Health-Token": "monitor-token-0123456789"}).json()
    assert detail["database"] == "ok" and detail["outbox_queued"] == 0 and detail["bill_runs"] == []
    assert detail["broker"] == {"status": "none: tasks run in-process"}
    settings.URJA_HEALTH_TOKEN = ""
    assert client.get("/healthz", headers={"X-Urja-Health-Token": ""}).json() == {"status": "ok"}
    staff = UserFactory(username="plain_staff")
    client.force_login(staff)
    assert client.get("/healthz").json() == {"status": "ok"}
    admin = UserFactory(username="root_admin", is_superuser=True, is_staff=True)
    client.force_login(admin)
    assert "bill_runs" in client.get("/healthz").json()


def test_a_database_that_does_not_answer_is_a_503(client, monkeypatch):
    def down():
        raise OSError("connection refused")

    monkeypatch.setattr(connection, "cursor", down)
    response = client.get("/healthz")
    assert response.status_code == 503 and response.json() == {"status": "down"}
