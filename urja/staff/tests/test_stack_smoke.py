"""The production stack (gunicorn, a billing worker, a side-effect worker and beat on RabbitMQ, against
PostgreSQL under the app role, production settings) starts and passes its smoke tests:
scripts/stack.sh, as an operator runs it. On PostgreSQL with a broker (CI has both)."""

import os
import shutil
import socket
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]


def _broker_up() -> bool:
    try:
        socket.create_connection(("127.0.0.1", 5672), timeout=2).close()
        return True
    except OSError:
        return False


@pytest.mark.postgres
@pytest.mark.broker
def test_the_production_stack_starts_and_passes_its_smoke_tests(tmp_path):
    if not _broker_up() or shutil.which("psql") is None:
        if os.environ.get("URJA_REQUIRE_BROKER"):
            pytest.fail("the stack smoke test needs RabbitMQ on 127.0.0.1:5672 and psql")
        pytest.skip("no broker or no psql here")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_URL", "URJA_TEST"))}
    env["STACK_DB"] = "urja_stack_test"
    env["STACK_PORT"] = "8078"
    env["STACK_DIR"] = str(tmp_path / "stack")
    done = subprocess.run(
        ["bash", str(ROOT / "scripts" / "stack.sh")],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert done.returncode == 0, done.stdout[-4000:] + done.stderr[-2000:]
    assert "all smoke tests passed" in done.stdout
    for check in (
        "partner-bill-fetch",
        "billing-worker-took-it",
        "no-second-bill",
        "app-cannot-rewrite-ledger",
    ):
        assert f"ok    {check}" in done.stdout
