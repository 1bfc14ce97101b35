from datetime import timedelta

from django.db import transaction
from django.db.models import QuerySet

from urja.common import clock
from urja.org.models import Office

from .models import Partner, StaffToken, hash_key, new_key

STAFF_TOKEN_LIFETIME = timedelta(hours=12)


@transaction.atomic
def partner_create(*, name: str, office: Office | None = None) -> tuple[Partner, str]:
    """Create a partner and return it with its API key; the key is shown once and never stored."""
    key = new_key("urjapk")
    partner = Partner(name=name, key_prefix=key[:12], key_hash=hash_key(key), office=office)
    partner.full_clean()
    partner.save()
    return partner, key


@transaction.atomic
def partner_rotate_key(*, partner: Partner) -> str:
    key = new_key("urjapk")
    partner.key_prefix, partner.key_hash = key[:12], hash_key(key)
    partner.save(update_fields=["key_prefix", "key_hash", "updated_at"])
    return key


def staff_token_issue(*, user) -> tuple[StaffToken, str]:
    """Issue a token; it ends when the user's password changes (see StaffToken)."""
    key = new_key("urjast")
    token = StaffToken.objects.create(
        user=user,
        key_hash=hash_key(key),
        session_hash=user.get_session_auth_hash(),
        expires_at=clock.now() + STAFF_TOKEN_LIFETIME,
    )
    return token, key


@transaction.atomic
def staff_token_revoke(*, tokens: QuerySet[StaffToken], by) -> int:
    """Revoke the tokens not yet revoked, recording who did it and when; returns how many."""
    return tokens.filter(revoked_at__isnull=True).update(
        revoked_at=clock.now(), revoked_by=by, updated_at=clock.now()
    )
