"""Production settings. Refuses to start with an insecure configuration."""

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import ALLOWED_HOSTS, DEBUG, SECRET_KEY, URJA_PAYMENTS, env, env_bool

URJA_PRODUCTION = True
STORAGES = PRODUCTION_STORAGES  # noqa: F405  compressed, cache-busted static files

# Secrets that appear in this repository (development and test settings, examples): public, so never a
# production secret, however long.
PUBLISHED_KEYS = frozenset(
    {
        "dev-only-insecure-key-change-me",
        "test-only-key",
        "test-only-kyc-key",
        "sandbox-webhook-secret-not-for-production",
        "urja-demo-2026",
    }
)


def _secret_problem(value: str) -> str | None:
    """Why a secret key is unfit for production (the rules of Django's own security check), or None."""
    if not value:
        return "is not set"
    if value in PUBLISHED_KEYS:
        return "is a default published in Urja's repository"
    if value.startswith("django-insecure-"):
        return "is a development key (it starts with django-insecure-)"
    if len(value) < 50:
        return "is shorter than 50 characters"
    if len(set(value)) < 5:
        return "has fewer than 5 distinct characters"
    return None


_HOW = 'Generate one with: python -c "import secrets; print(secrets.token_urlsafe(50))"'
if problem := _secret_problem(SECRET_KEY):
    raise ImproperlyConfigured(f"SECRET_KEY {problem}; production needs a long random key. {_HOW}")
if env("KYC_HASH_KEY") and (problem := _secret_problem(env("KYC_HASH_KEY"))):
    raise ImproperlyConfigured(f"KYC_HASH_KEY {problem}; set a long random key or leave it unset. {_HOW}")
if DEBUG:
    raise ImproperlyConfigured("DEBUG must be off in production.")
if not ALLOWED_HOSTS or any(
    host in {"*", ""} or host.startswith(".") and len(host) < 3 for host in ALLOWED_HOSTS
):
    raise ImproperlyConfigured("ALLOWED_HOSTS must list the site's host names (no '*') in production.")
if URJA_PAYMENTS["SANDBOX_GATEWAY_ENABLED"]:
    # The sandbox gateway posts real ledger payments with no money moving.
    raise ImproperlyConfigured("URJA_SANDBOX_GATEWAY_ENABLED must be off in production.")

SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
# A load balancer probes the web nodes over plain HTTP on the private network.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = 31536000
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
