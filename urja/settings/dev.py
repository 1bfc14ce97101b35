"""Local development and the embedded demo (SQLite, eager tasks)."""

from .base import *  # noqa: F403
from .base import URJA_PAYMENTS, env, env_bool

DEBUG = True
# A dev key is fine here: dev settings are never used in production (production.py refuses to start without one).
SECRET_KEY = env("SECRET_KEY") or "dev-only-insecure-key-change-me"  # noqa: S105
KYC_HASH_KEY = env("KYC_HASH_KEY") or SECRET_KEY
ALLOWED_HOSTS = ["127.0.0.1", "localhost", "[::1]", "testserver"]
# E-mails are written to the console (and shown on /demo/outbox/), never sent.
EMAIL_BACKEND = env("EMAIL_BACKEND") or "django.core.mail.backends.console.EmailBackend"

# The demo takes online payments through the built-in sandbox gateway.
URJA_PAYMENTS = {**URJA_PAYMENTS, "SANDBOX_GATEWAY_ENABLED": env_bool("URJA_SANDBOX_GATEWAY_ENABLED", True)}
