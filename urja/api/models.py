import hashlib
import secrets

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from urja.common.models import TimeStampedModel
from urja.org.models import Office


def hash_key(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def new_key(prefix: str) -> str:
    return f"{prefix}_{secrets.token_urlsafe(32)}"


class Partner(TimeStampedModel):
    """An integration partner (bank, BBPS agent, payment app, gateway). Authenticates with an API key
    sent as X-API-Key; only the key's SHA-256 is stored. A partner with an office sees only that
    office's subtree; without one it sees every consumer (a state-wide biller)."""

    name = models.CharField(_("name"), max_length=80, unique=True)
    key_prefix = models.CharField(max_length=16, editable=False)
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    office = models.ForeignKey(Office, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    is_active = models.BooleanField(_("active"), default=True)
    last_used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("integration partner")
        verbose_name_plural = _("integration partners")

    def __str__(self) -> str:
        return self.name

    is_authenticated = True
    is_superuser = False
    role = "partner"

    @property
    def sees_everything(self) -> bool:
        return self.office_id is None


class StaffToken(TimeStampedModel):
    """An API token issued to a staff user by POST /api/v1/auth/token. Only its SHA-256 is stored.

    It works until it expires, is revoked (by its user or an administrator), the user is deactivated,
    or the user's password changes: `session_hash` is the user's session authentication hash when the
    token was issued, the same fingerprint of the password that ends the user's console sessions."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens")
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    session_hash = models.CharField(max_length=128, blank=True, editable=False)
    expires_at = models.DateTimeField()
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("revoked by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        ordering = ["-created_at", "id"]
        verbose_name = _("staff API token")
        verbose_name_plural = _("staff API tokens")

    def __str__(self) -> str:
        return f"token of {self.user_id} until {self.expires_at:%Y-%m-%d}"
