from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.utils.translation import gettext_lazy as _

from urja.common.models import AppendOnlyModel, TimeStampedModel

from . import roles
from .choices import LEVEL_ORDER, OfficeLevel, Role, ThrottleScope


class OfficeQuerySet(models.QuerySet):
    def subtree(self, office: "Office") -> "OfficeQuerySet":
        return self.filter(path__startswith=office.path)


class Office(TimeStampedModel):
    """A node of the commercial hierarchy: discom › zone › circle › division › sub-division › DC.

    ``path`` is the chain of codes from the discom down ("MVVNL/LKZ/…/"), kept so that "this office and
    everything under it" is one indexed prefix match instead of a recursive query.
    """

    code = models.CharField(_("code"), max_length=20, unique=True)
    name = models.CharField(_("name"), max_length=120)
    name_hi = models.CharField(_("name (Hindi)"), max_length=120, blank=True)
    level = models.CharField(_("level"), max_length=12, choices=OfficeLevel.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent office"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    path = models.CharField(max_length=255, editable=False, db_index=True)

    objects = OfficeQuerySet.as_manager()

    class Meta:
        ordering = ["path"]
        verbose_name = _("office")
        verbose_name_plural = _("offices")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(level=OfficeLevel.DISCOM, parent__isnull=True)
                | (~models.Q(level=OfficeLevel.DISCOM) & models.Q(parent__isnull=False)),
                name="office_only_discom_is_root",
            )
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    def clean(self) -> None:
        from django.core.exceptions import ValidationError

        if self.parent is not None:
            expected = LEVEL_ORDER.index(self.parent.level) + 1
            if expected >= len(LEVEL_ORDER) or LEVEL_ORDER[expected] != self.level:
                raise ValidationError(
                    {
                        "level": _("This level cannot sit under a %(level)s.")
                        % {"level": self.parent.get_level_display()}
                    }
                )
        elif self.level != OfficeLevel.DISCOM:
            raise ValidationError({"parent": _("Only a discom has no parent office.")})

    def save(self, *args, **kwargs) -> None:
        self.path = (self.parent.path if self.parent_id else "") + f"{self.code}/"
        super().save(*args, **kwargs)

    @property
    def local_name(self) -> str:
        """The name in the language of the page: Hindi where one is recorded and Hindi is active."""
        from django.utils.translation import get_language

        if self.name_hi and (get_language() or "").startswith("hi"):
            return self.name_hi
        return self.name

    @property
    def discom_code(self) -> str:
        return self.path.split("/", 1)[0]

    def contains(self, other: "Office | None") -> bool:
        return other is not None and other.path.startswith(self.path)


class StaffUserManager(UserManager):
    pass


class User(AbstractUser):
    """A staff user. Belongs to one office and sees only that office's subtree; a superuser or a system
    administrator without an office sees everything."""

    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.HELPDESK)
    office = models.ForeignKey(
        Office,
        verbose_name=_("office"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="staff",
    )
    mobile = models.CharField(_("mobile"), max_length=10, blank=True)
    preferred_language = models.CharField(
        _("language"), max_length=5, default="hi", choices=[("en", "English"), ("hi", "हिन्दी")]
    )
    updated_at = models.DateTimeField(auto_now=True)

    objects = StaffUserManager()

    class Meta:
        ordering = ["username"]
        verbose_name = _("staff user")
        verbose_name_plural = _("staff users")

    def __str__(self) -> str:
        return self.username

    @property
    def sees_everything(self) -> bool:
        return self.is_superuser or (self.role == Role.SYSTEM_ADMIN and self.office_id is None)

    def can(self, capability: str) -> bool:
        if self.is_superuser:
            return True
        return self.is_active and roles.has_capability(self.role, capability)

    @property
    def is_read_only(self) -> bool:
        return self.role == Role.AUDITOR and not self.is_superuser


class LoginThrottle(TimeStampedModel):
    """A counter of password checks within a time window, for one client address, one username at one
    address, or one username from anywhere. Kept in the database so that every web process and every
    machine shares it (a per-process cache would give each process its own allowance); the username and
    address are stored only as a hash. See urja/org/auth.py."""

    scope = models.CharField(max_length=16, choices=ThrottleScope.choices)
    key_hash = models.CharField(max_length=64)
    attempts = models.PositiveIntegerField(default=0)
    window_started_at = models.DateTimeField()
    #: For a username at one address: when it last logged in from there (a known address).
    last_success_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["scope", "key_hash"]
        verbose_name = _("login throttle")
        verbose_name_plural = _("login throttles")
        constraints = [
            models.UniqueConstraint(fields=["scope", "key_hash"], name="login_throttle_unique_key")
        ]
        indexes = [models.Index(fields=["window_started_at"], name="login_throttle_window_idx")]

    def __str__(self) -> str:
        return f"{self.scope} {self.key_hash[:12]}: {self.attempts}"


class StaffUserChange(AppendOnlyModel):
    """History of a staff user's rights: one row per changed right (role, office, active, staff,
    superuser), with who changed it, when and why. Written only by `services.staff_user_create` and
    `staff_user_update`; append-only."""

    class Field(models.TextChoices):
        ROLE = "role", _("role")
        OFFICE = "office", _("office")
        IS_ACTIVE = "is_active", _("active")
        IS_STAFF = "is_staff", _("staff status")
        IS_SUPERUSER = "is_superuser", _("superuser status")

    user = models.ForeignKey(
        User, verbose_name=_("staff user"), on_delete=models.CASCADE, related_name="rights_changes"
    )
    changed_at = models.DateTimeField(_("changed at"), auto_now_add=True)
    changed_by = models.ForeignKey(
        User,
        verbose_name=_("changed by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    field = models.CharField(_("right"), max_length=12, choices=Field.choices)
    old_value = models.CharField(_("old value"), max_length=40, blank=True)
    new_value = models.CharField(_("new value"), max_length=40, blank=True)
    reason = models.CharField(_("reason"), max_length=255)

    class Meta:
        ordering = ["-changed_at", "-id"]
        verbose_name = _("staff rights change")
        verbose_name_plural = _("staff rights history")
        indexes = [models.Index(fields=["user", "changed_at"], name="staffchange_user_at")]

    def __str__(self) -> str:
        return f"{self.user_id} {self.field} @ {self.changed_at:%Y-%m-%d %H:%M}"


class Holiday(TimeStampedModel):
    """A day on which offices are closed: SLA clocks counted in working days skip it, and no
    disconnection is carried out on it. With no office it holds for the whole state; with an office,
    for that office and everything under it (a local holiday declared by a district)."""

    date = models.DateField(_("date"), db_index=True)
    name = models.CharField(_("name"), max_length=120)
    name_hi = models.CharField(_("name (Hindi)"), max_length=120, blank=True)
    office = models.ForeignKey(
        Office,
        verbose_name=_("office"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="holidays",
        help_text=_("Leave empty for a holiday of the whole state."),
    )

    class Meta:
        ordering = ["date"]
        verbose_name = _("holiday")
        verbose_name_plural = _("holidays")
        constraints = [
            models.UniqueConstraint(fields=["date", "office"], name="holiday_once_per_office"),
            models.UniqueConstraint(
                fields=["date"], condition=models.Q(office__isnull=True), name="holiday_once_statewide"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.date:%d-%m-%Y} {self.name}"
