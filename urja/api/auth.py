from django.utils.crypto import constant_time_compare
from ninja.security import APIKeyHeader, HttpBearer

from urja.common import clock

from .models import Partner, StaffToken, hash_key


def _password_unchanged(token: StaffToken) -> bool:
    """The user's password is the one the token was issued under (as for a console session, a key
    in SECRET_KEY_FALLBACKS still counts while the secret key is being rotated)."""
    user = token.user
    if not token.session_hash:
        return False
    if constant_time_compare(token.session_hash, user.get_session_auth_hash()):
        return True
    return any(
        constant_time_compare(token.session_hash, fallback)
        for fallback in user.get_session_auth_fallback_hash()
    )


class StaffTokenAuth(HttpBearer):
    """`Authorization: Bearer <token>` from POST /api/v1/auth/token."""

    def authenticate(self, request, token):
        row = (
            StaffToken.objects.select_related("user", "user__office")
            .filter(
                key_hash=hash_key(token),
                expires_at__gt=clock.now(),
                revoked_at__isnull=True,
                user__is_active=True,
            )
            .first()
        )
        if row is None or not _password_unchanged(row):
            return None
        request.principal = row.user
        request.staff_token = row
        return row.user


class PartnerKeyAuth(APIKeyHeader):
    """`X-API-Key: <key>` printed by `urja partner create NAME`."""

    param_name = "X-API-Key"

    def authenticate(self, request, key):
        if not key:
            return None
        partner = (
            Partner.objects.select_related("office").filter(key_hash=hash_key(key), is_active=True).first()
        )
        if partner is None:
            return None
        request.principal = partner
        return partner
