"""A bill run through a real broker: partitions are queued to RabbitMQ (or Redis) and billed by a
Celery worker, as in production. Runs on PostgreSQL when a broker is reachable; CI requires both."""

import datetime
import os
import time
from decimal import Decimal

import pytest

from urja.billing import runs
from urja.billing.models import Bill
from urja.metering.services import reading_record

from .conftest import metered_consumer

BROKER = os.environ.get("URJA_TEST_BROKER", "amqp://guest:guest@127.0.0.1:5672//")


def _broker_reachable(url: str) -> bool:
    from kombu import Connection

    try:
        with Connection(url, connect_timeout=3) as conn:
            conn.ensure_connection(max_retries=1)
        return True
    except Exception:  # noqa: BLE001
        return False


@pytest.fixture
def real_broker():
    if not _broker_reachable(BROKER):
        if os.environ.get("URJA_REQUIRE_BROKER"):
            pytest.fail(f"a broker is required but not reachable at {BROKER}")
        pytest.skip(f"no broker at {BROKER}")
    from celery.contrib.testing.worker import start_worker

    from urja.celery_app import app

    saved = {key: app.conf[key] for key in ("task_always_eager", "broker_url", "result_backend")}
    app.conf.update(task_always_eager=False, broker_url=BROKER, result_backend=None)
    # Producers made earlier in this process (eager tests) point at the in-memory broker: drop them.
    app._pool = None
    app.amqp._producer_pool = None
    app.control.purge()  # nothing left over from an earlier run
    try:
        with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=30):
            yield app
    finally:
        app.conf.update(saved)
        app._pool = None
        app.amqp._producer_pool = None


@pytest.mark.postgres
@pytest.mark.broker
@pytest.mark.django_db(transaction=True)
def test_bill_run_through_a_real_broker(two_subdivisions, tariffs, real_broker):
    office = two_subdivisions["dc_a"]
    a = metered_consumer(office, serial="BRK1")
    reading_record(consumer=a, reading_date=datetime.date(2026, 7, 31), kwh=Decimal(850), source="manual")
    run = runs.bill_run(cycle_code="2026-07")
    deadline = time.monotonic() + 60
    while run.status in ("pending", "running") and time.monotonic() < deadline:
        time.sleep(0.5)
        run.refresh_from_db()
    assert run.status == "done", run.status
    assert run.partitions_done == run.partitions_total == 2
    assert Bill.objects.get(consumer=a).payable == Decimal("1727.00")
    assert Bill.objects.filter(period="2026-07").count() == 3  # a and both fixture consumers
