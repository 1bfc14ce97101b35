"""Login throttling: after LOGIN_FAILURE_LIMIT failed attempts for a username, or from one client
address, further attempts are refused for LOGIN_LOCKOUT_SECONDS, whatever the password. Applies to the
staff console, the admin and the API token endpoint alike, because they all authenticate through here."""

import hashlib
import logging

from django.conf import settings
from django.contrib.auth.backends import ModelBackend
from django.core.cache import cache

logger = logging.getLogger(__name__)


def _key(kind: str, value: str) -> str:
    return "login-fail:" + kind + ":" + hashlib.sha256(value.lower().encode()).hexdigest()[:32]


def client_ip(request) -> str:
    if request is None:
        return ""
    return request.META.get("REMOTE_ADDR", "")


def is_locked_out(username: str, ip: str) -> bool:
    limit = settings.LOGIN_FAILURE_LIMIT
    keys = [_key("user", username or "")] + ([_key("ip", ip)] if ip else [])
    counts = cache.get_many(keys)
    # An address gets more room than a single username: an office shares one public address.
    return counts.get(keys[0], 0) >= limit or (ip and counts.get(keys[-1], 0) >= limit * 4)


def record_failure(username: str, ip: str) -> None:
    for key in [_key("user", username or "")] + ([_key("ip", ip)] if ip else []):
        if not cache.add(key, 1, settings.LOGIN_LOCKOUT_SECONDS):
            try:
                cache.incr(key)
            except ValueError:
                cache.set(key, 1, settings.LOGIN_LOCKOUT_SECONDS)


def reset_failures(username: str) -> None:
    cache.delete(_key("user", username or ""))


class ThrottledModelBackend(ModelBackend):
    def authenticate(self, request, username=None, password=None, **kwargs):
        ip = client_ip(request)
        if is_locked_out(username or "", ip):
            logger.warning("login refused: too many failures (user=%s)", (username or "")[:3] + "***")
            if request is not None:
                request.urja_login_locked = True
            return None
        user = super().authenticate(request, username=username, password=password, **kwargs)
        if user is None:
            record_failure(username or "", ip)
        else:
            reset_failures(username or "")
        return user
