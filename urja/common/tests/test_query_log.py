"""Long jobs keep no SQL log (issue 13: under the `urja` command's DEBUG settings a bill run kept every
bulk INSERT of its last 9,000 statements: 408 MB at 200,000 consumers)."""

import pytest
from django.db import connection

from urja import manage
from urja.common import db as common_db
from urja.customers.models import Consumer


@pytest.mark.django_db
def test_discarded_logs_keep_nothing_and_come_back(settings):
    settings.DEBUG = True
    restore = common_db.discard_query_logs()
    try:
        for _ in range(5):
            Consumer.objects.count()
        assert len(connection.queries_log) == 0
    finally:
        restore()
    Consumer.objects.count()
    assert len(connection.queries_log) >= 1  # DEBUG logs again once restored


@pytest.mark.parametrize(("command", "discarded"), [("billrun", True), ("seed", True), ("runserver", False)])
def test_the_urja_command_discards_them_for_every_job_but_the_dev_server(monkeypatch, command, discarded):
    calls = []
    monkeypatch.setattr(common_db, "discard_query_logs", lambda: calls.append("discard"))
    monkeypatch.setattr(
        "django.core.management.execute_from_command_line", lambda argv: calls.append(argv[1])
    )
    manage.main(["urja", command])
    assert calls == (["discard", command] if discarded else [command])
