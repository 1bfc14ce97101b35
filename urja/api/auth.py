from ninja.security import APIKeyHeader, HttpBearer

from urja.common import clock

from .models import Partner, StaffToken, hash_key


class StaffTokenAuth(HttpBearer):
    """`Authorization: Bearer <token>` from POST /api/v1/auth/token."""

    def authenticate(self, request, token):
        row = (
            StaffToken.objects.select_related("user", "user__office")
            .filter(key_hash=hash_key(token), expires_at__gt=clock.now(), user__is_active=True)
            .first()
        )
        if row is None:
            return None
        request.principal = row.user
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
