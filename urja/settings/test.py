"""Test settings: SQLite by default; DATABASE_URL=postgres://... runs the same suite on PostgreSQL."""

from .base import *  # noqa: F403
from .base import DATABASES, env

DEBUG = False
SECRET_KEY = "test-only-key"  # noqa: S105
KYC_HASH_KEY = "test-only-kyc-key"
ALLOWED_HOSTS = ["testserver", "127.0.0.1", "localhost"]
PASSWORD_HASHERS = [
    # Argon2 stays the hasher under test, with cheap parameters so the suite is fast.
    "urja.org.hashers.FastArgon2PasswordHasher",
]
CELERY_TASK_ALWAYS_EAGER = True
CELERY_BROKER_URL = "memory://"
URJA_BILLING = {**URJA_BILLING, "LOCAL_RUNS": "inline"}  # noqa: F405
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3" and not env("DATABASE_URL"):
    DATABASES["default"]["NAME"] = ":memory:"
    DATABASES["default"]["OPTIONS"] = {}
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "urja-test"}}
