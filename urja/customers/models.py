from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Value
from django.db.models.functions import Concat, Lower, Replace
from django.utils.translation import gettext_lazy as _

from urja.common.models import TimeStampedModel
from urja.domain import names
from urja.domain.masking import mask_email
from urja.domain.mobile import mask
from urja.network.models import DistributionTransformer
from urja.org.models import Office

from .choices import (
    UNMETERED_CATEGORIES,
    AreaType,
    ConsumerStatus,
    KycDocument,
    LoadUnit,
    Phase,
    SolarScheme,
    SupplyVoltage,
    TariffCategory,
)
from .validators import validate_account_number, validate_mobile, validate_pincode


def search_key(field: str, steps) -> models.Func:
    """The database's `urja.domain.names.name_key` of a column, with a space in front (a search word
    matches at the start of a word): lower-cased (Latin), then the spelling steps. Stored on the
    consumer (`name_key`, `name_hi_key`, `village_key`) so that a search compares short stored keys —
    served by trigram indexes on PostgreSQL — instead of computing them for every row it looks at."""
    expression = Lower(F(field)) if steps is names.LATIN_STEPS else F(field)
    for old, new in steps:
        expression = Replace(expression, Value(old), Value(new))
    return Concat(Value(" "), expression, output_field=models.CharField())


def _key_field(field: str, steps, label):
    return models.GeneratedField(
        expression=search_key(field, steps),
        output_field=models.CharField(max_length=121),
        db_persist=True,
        verbose_name=label,
    )


class ConsumerQuerySet(models.QuerySet):
    def for_user(self, user) -> "ConsumerQuerySet":
        from urja.org.selectors import office_q

        return self.filter(office_q(user))

    def active(self) -> "ConsumerQuerySet":
        return self.filter(status=ConsumerStatus.ACTIVE)

    def unindexed(self) -> "ConsumerQuerySet":
        return self.filter(dt__isnull=True)


class Consumer(TimeStampedModel):
    """A consumer account: one connection at one premises, billed under one account number."""

    account_number = models.CharField(
        _("account number"), max_length=10, unique=True, validators=[validate_account_number]
    )
    name = models.CharField(_("name"), max_length=120)
    name_hi = models.CharField(_("name (Hindi)"), max_length=120, blank=True)
    father_husband_name = models.CharField(_("father's / husband's name"), max_length=120, blank=True)
    address = models.CharField(_("address"), max_length=255)
    village_town = models.CharField(_("village / town"), max_length=80)
    # Search keys, kept by the database (customers.selectors.consumer_find; trigram-indexed on PostgreSQL).
    name_key = _key_field("name", names.LATIN_STEPS, _("name search key"))
    name_hi_key = _key_field("name_hi", names.DEVANAGARI_STEPS, _("Hindi name search key"))
    village_key = _key_field("village_town", names.LATIN_STEPS, _("village search key"))
    district = models.CharField(_("district"), max_length=60)
    pincode = models.CharField(_("PIN code"), max_length=6, blank=True, validators=[validate_pincode])
    area_type = models.CharField(_("rural / urban"), max_length=5, choices=AreaType.choices)
    mobile = models.CharField(
        _("mobile"), max_length=10, blank=True, validators=[validate_mobile], db_index=True
    )
    email = models.EmailField(_("email"), blank=True)
    # The address the consumer proved with a code sent to it (urja/customers/otp.py): the e-mail is
    # proved while it equals this, so an address typed at the office is not proved until the consumer
    # proves it. Bills go by e-mail only to a proved address.
    verified_email = models.EmailField(_("proved e-mail"), blank=True, default="")
    ebill = models.BooleanField(_("bills by e-mail"), default=False)
    # The language the consumer reads: the bill's lines and amounts in words, the portal, SMS.
    language = models.CharField(
        _("language"), max_length=5, default="hi", choices=[("hi", "हिन्दी"), ("en", "English")]
    )
    # Optional messages (due-date reminders, offers): the consumer may refuse them; essential ones
    # (bills, receipts, notices, OTPs) always go. Passed to notify() as optional_allowed.
    optional_messages = models.BooleanField(_("optional messages"), default=True)
    category = models.CharField(_("tariff category"), max_length=16, choices=TariffCategory.choices)
    sanctioned_load = models.DecimalField(
        _("sanctioned load"),
        max_digits=9,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0.01")), MaxValueValidator(Decimal("10000"))],
    )
    load_unit = models.CharField(_("load unit"), max_length=3, choices=LoadUnit.choices, default=LoadUnit.KW)
    phase = models.PositiveSmallIntegerField(_("phase"), choices=Phase.choices, default=Phase.SINGLE)
    supply_voltage = models.CharField(
        _("supply voltage"), max_length=5, choices=SupplyVoltage.choices, default=SupplyVoltage.LT_230V
    )
    connection_date = models.DateField(_("connection date"))
    status = models.CharField(
        _("status"), max_length=8, choices=ConsumerStatus.choices, default=ConsumerStatus.ACTIVE
    )
    security_deposit = models.DecimalField(
        _("security deposit held"), max_digits=12, decimal_places=2, default=Decimal("0.00")
    )
    kyc_document = models.CharField(_("KYC document"), max_length=8, choices=KycDocument.choices, blank=True)
    # Only the masked number is kept, plus a keyed hash so a duplicate document can still be found.
    kyc_number_masked = models.CharField(_("KYC number (masked)"), max_length=24, blank=True)
    kyc_number_hash = models.CharField(max_length=64, blank=True, db_index=True, editable=False)
    latitude = models.DecimalField(_("latitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(_("longitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    dt = models.ForeignKey(
        DistributionTransformer,
        verbose_name=_("distribution transformer"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="consumers",
    )
    office = models.ForeignKey(
        Office, verbose_name=_("distribution centre"), on_delete=models.PROTECT, related_name="consumers"
    )
    # After a cheque bounce the account pays in cash (or cash-like) only until this date.
    cash_only_until = models.DateField(_("cash payments only until"), null=True, blank=True)
    # Rooftop solar: how the export is billed (net or gross metering) and the plant's capacity.
    solar_scheme = models.CharField(
        _("rooftop solar scheme"), max_length=5, choices=SolarScheme.choices, blank=True, default=""
    )
    solar_capacity_kw = models.DecimalField(
        _("solar plant capacity (kWp)"),
        max_digits=9,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0.01"))],
    )
    # Exemption from electricity duty (e.g. by a government order): the share remitted, 100 = exempt.
    duty_exempt_percent = models.DecimalField(
        _("electricity duty exemption (%)"),
        max_digits=5,
        decimal_places=2,
        default=Decimal("0.00"),
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("100"))],
    )
    duty_exemption_order = models.CharField(_("duty exemption order"), max_length=120, blank=True, default="")

    objects = ConsumerQuerySet.as_manager()

    class Meta:
        ordering = ["account_number"]
        verbose_name = _("consumer")
        verbose_name_plural = _("consumers")
        indexes = [
            models.Index(fields=["office", "status"], name="consumer_office_status"),
            models.Index(fields=["name"], name="consumer_name"),
            # An office's consumers read from the index alone (PostgreSQL; SQLite ignores INCLUDE): the
            # command centre joins a month's bills and credits, and counts connections, by office.
            models.Index(
                fields=["office"], include=["id", "dt", "status", "category"], name="consumer_office_cover"
            ),
        ]
        constraints = [
            models.CheckConstraint(condition=models.Q(sanctioned_load__gt=0), name="consumer_load_positive"),
            models.CheckConstraint(
                condition=models.Q(security_deposit__gte=0), name="consumer_deposit_non_negative"
            ),
            # A solar scheme names the plant's capacity; no capacity without a scheme.
            models.CheckConstraint(
                condition=(models.Q(solar_scheme="") & models.Q(solar_capacity_kw__isnull=True))
                | (
                    ~models.Q(solar_scheme="")
                    & models.Q(solar_capacity_kw__isnull=False, solar_capacity_kw__gt=0)
                ),
                name="consumer_solar_scheme_capacity",
                violation_error_message=_(
                    "A rooftop solar scheme needs the plant's capacity, and only then."
                ),
            ),
            # An exemption from duty is granted by an order, which the account names.
            models.CheckConstraint(
                condition=models.Q(duty_exempt_percent=0)
                | (
                    models.Q(duty_exempt_percent__gt=0, duty_exempt_percent__lte=100)
                    & ~models.Q(duty_exemption_order="")
                ),
                name="consumer_duty_exemption_order",
                violation_error_message=_("A duty exemption needs the order that grants it."),
            ),
            # Numbers are stored in ASCII digits only (urja.domain.inputs): a number typed in
            # Devanagari digits can never become a second account, even through a bulk write.
            models.CheckConstraint(
                condition=models.Q(account_number__regex=r"^[1-5][0-9]{9}$"),
                name="consumer_account_number_ascii",
            ),
            models.CheckConstraint(
                condition=models.Q(mobile="") | models.Q(mobile__regex=r"^[6-9][0-9]{9}$"),
                name="consumer_mobile_ascii",
            ),
            models.CheckConstraint(
                condition=models.Q(pincode="") | models.Q(pincode__regex=r"^[1-9][0-9]{5}$"),
                name="consumer_pincode_ascii",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.account_number} {self.name}"

    @property
    def is_metered(self) -> bool:
        return self.category not in UNMETERED_CATEGORIES

    @property
    def mobile_masked(self) -> str:
        return mask(self.mobile)

    @property
    def email_masked(self) -> str:
        return mask_email(self.email)

    @property
    def email_verified(self) -> bool:
        return bool(self.email) and self.email.lower() == self.verified_email.lower()

    @property
    def ebill_address(self) -> str:
        """Where this account's bills go by e-mail: the proved address if it chose e-bills, else ""."""
        return self.email if self.ebill and self.email_verified else ""

    @property
    def load_display(self) -> str:
        return f"{self.sanctioned_load.normalize():f} {self.load_unit}"


class ConsumerChange(models.Model):
    """History of a consumer record: one row per changed field. Append-only."""

    class Source(models.TextChoices):
        CONSOLE = "console", _("Staff console")
        ADMIN = "admin", _("Admin")
        API = "api", _("API")
        IMPORT = "import", _("Legacy import")
        SYSTEM = "system", _("System")
        PORTAL = "portal", _("Consumer portal")

    consumer = models.ForeignKey(Consumer, on_delete=models.CASCADE, related_name="changes")
    changed_at = models.DateTimeField(_("changed at"), auto_now_add=True)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    source = models.CharField(max_length=8, choices=Source.choices)
    field = models.CharField(_("field"), max_length=40)
    old_value = models.TextField(_("old value"), blank=True)
    new_value = models.TextField(_("new value"), blank=True)
    reason = models.CharField(_("reason"), max_length=255, blank=True)

    class Meta:
        ordering = ["-changed_at", "-id"]
        verbose_name = _("consumer change")
        verbose_name_plural = _("consumer history")

    def __str__(self) -> str:
        return f"{self.consumer_id} {self.field} @ {self.changed_at:%Y-%m-%d %H:%M}"


# --- connection changes (branch `changes`) ---------------------------------------------------------
class ConnectionChange(models.Model):
    """A change of a connection's billing particulars (load change, category change) with the date it
    takes effect. Each row records the particulars before and after, so billing can price a period that
    spans the date on both (``urja.billing.compute.bill_input`` splits it by days). Append-only."""

    class Kind(models.TextChoices):
        LOAD = "load", _("Load change")
        CATEGORY = "category", _("Category change")

    consumer = models.ForeignKey(Consumer, on_delete=models.PROTECT, related_name="connection_changes")
    kind = models.CharField(_("kind"), max_length=8, choices=Kind.choices)
    effective_from = models.DateField(_("effective from"))
    old_category = models.CharField(_("old category"), max_length=20)
    old_sanctioned_load = models.DecimalField(_("old sanctioned load"), max_digits=10, decimal_places=3)
    old_load_unit = models.CharField(_("old load unit"), max_length=3)
    new_category = models.CharField(_("new category"), max_length=20)
    new_sanctioned_load = models.DecimalField(_("new sanctioned load"), max_digits=10, decimal_places=3)
    new_load_unit = models.CharField(_("new load unit"), max_length=3)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    reason = models.CharField(_("reason"), max_length=255, blank=True)
    source = models.CharField(max_length=8, choices=ConsumerChange.Source.choices)
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        ordering = ["effective_from", "id"]
        verbose_name = _("connection change")
        verbose_name_plural = _("connection changes")

    def __str__(self) -> str:
        return f"{self.consumer_id} {self.kind} from {self.effective_from:%Y-%m-%d}"


# --- end connection changes ------------------------------------------------------------------------


# --- portal one-time passwords (branch `portal-core`) ----------------------------------------------
class OneTimePassword(models.Model):
    """A one-time password sent by SMS to prove a mobile (portal login, applying, changing the
    registered mobile), or by e-mail to prove a new address of one account (`email`, `consumer`).
    Only a salted hash of the code is stored. See urja/customers/otp.py."""

    class Purpose(models.TextChoices):
        LOGIN = "login", _("Log in")
        APPLY = "apply", _("Apply for a connection")
        MOBILE_CHANGE = "mobile_change", _("Change mobile")
        EMAIL_CHANGE = "email_change", _("Change e-mail")

    mobile = models.CharField(_("mobile"), max_length=10, blank=True, db_index=True)
    email = models.EmailField(_("email"), blank=True, default="", db_index=True)
    # The account an e-mail code was asked for: it proves the address for that account only.
    consumer = models.ForeignKey(Consumer, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    purpose = models.CharField(_("purpose"), max_length=16, choices=Purpose.choices)
    code_hash = models.CharField(max_length=64)
    address_hash = models.CharField(max_length=64, blank=True, db_index=True)
    created_at = models.DateTimeField(_("created at"))
    expires_at = models.DateTimeField(_("expires at"))
    attempts = models.PositiveSmallIntegerField(_("wrong tries"), default=0)
    used_at = models.DateTimeField(_("used at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("one-time password")
        verbose_name_plural = _("one-time passwords")
        indexes = [models.Index(fields=["mobile", "purpose", "created_at"], name="otp_mobile_purpose_idx")]

    def __str__(self) -> str:
        to = mask_email(self.email) if self.email else mask(self.mobile)
        return f"{to} {self.purpose} @ {self.created_at:%Y-%m-%d %H:%M}"


class OtpVerifyFailure(models.Model):
    """One wrong code typed, by client address (hashed): the per-address limit on guessing."""

    address_hash = models.CharField(max_length=64, db_index=True)
    at = models.DateTimeField()

    class Meta:
        ordering = ["-at"]

    def __str__(self) -> str:
        return f"wrong OTP @ {self.at:%Y-%m-%d %H:%M}"
