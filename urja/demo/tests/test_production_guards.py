"""Commands that make demo data (fake consumers, staff with a published password, payments with no money
behind them) refuse to run under production settings."""

import os
import subprocess
import sys

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command

from urja.customers.models import Consumer
from urja.org.models import User

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("command", "options"),
    [("seed", {"consumers": 5}), ("seed", {"consumers": 0, "reset": True}), ("demo", {})],
)
def test_demo_data_commands_refuse_production(settings, command, options):
    settings.URJA_PRODUCTION = True
    with pytest.raises(CommandError, match="production"):
        call_command(command, verbosity=0, **options)
    assert not Consumer.objects.exists() and not User.objects.exists()


def test_seed_refuses_under_the_real_production_settings(tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "KYC_HASH_KEY", "DEBUG"}}
    env.update(
        DJANGO_SETTINGS_MODULE="urja.settings.production",
        SECRET_KEY="q3V9xk2LmT8pZr4Wn7Yb1Hc6Jd0Fs5Ga-Ue_Ri2Oy9Kw3Mv8QtEh",
        ALLOWED_HOSTS="billing.example.org",
        URJA_SANDBOX_GATEWAY_ENABLED="false",
        URJA_VAR_DIR=str(tmp_path),
    )
    result = subprocess.run(
        [sys.executable, "-m", "django", "seed", "--consumers", "5"],
        env=env,
        capture_output=True,
        text=True,
        cwd=settings.BASE_DIR,
    )
    assert result.returncode != 0 and "production" in result.stderr, result.stderr
    assert not (tmp_path / "urja.sqlite3").exists()
