"""Records of the field app: route books and their stops, the reading orders built from them for a
period, what each device sent (one row per client id: the idempotency record), and what the supervisor
must look at (conflicts, bill mismatches, photos, print attempts)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from urja.common.models import TimeStampedModel
from urja.org.models import Office

PERIOD_REGEX = r"^\d{4}-(0[1-9]|1[0-2])$"


class RouteBook(TimeStampedModel):
    """A meter reader's walk through part of one distribution centre: its stops in walk sequence, read
    within `window_days` days from the start of each month."""

    office = models.ForeignKey(
        Office, verbose_name=_("distribution centre"), on_delete=models.PROTECT, related_name="route_books"
    )
    code = models.CharField(_("code"), max_length=30, unique=True)
    name = models.CharField(_("name"), max_length=120)
    reader = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("meter reader"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="route_books",
    )
    window_days = models.PositiveSmallIntegerField(_("reading window (days)"), default=10)

    class Meta:
        ordering = ["office__code", "code"]
        verbose_name = _("route book")
        verbose_name_plural = _("route books")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(window_days__gte=1, window_days__lte=28), name="route_book_window_days"
            )
        ]

    def __str__(self) -> str:
        return self.code


class RouteStop(models.Model):
    """One consumer on a route book, in walk sequence. A consumer is on one book at most."""

    book = models.ForeignKey(RouteBook, on_delete=models.CASCADE, related_name="stops")
    consumer = models.OneToOneField(
        "customers.Consumer", verbose_name=_("consumer"), on_delete=models.PROTECT, related_name="route_stop"
    )
    seq = models.PositiveIntegerField(_("walk sequence"))

    class Meta:
        ordering = ["book_id", "seq"]
        verbose_name = _("route stop")
        verbose_name_plural = _("route stops")
        constraints = [models.UniqueConstraint(fields=["book", "seq"], name="route_stop_seq_once")]

    def __str__(self) -> str:
        return f"{self.book_id}/{self.seq}"


class OrderStatus(models.TextChoices):
    OPEN = "open", _("Not read")
    DONE = "done", _("Read")
    CONFLICT = "conflict", _("In conflict")


class ReadingOrder(TimeStampedModel):
    """The reading of one consumer for one period, owed by the book's reader: its id travels to the
    device and comes back with the reading."""

    book = models.ForeignKey(RouteBook, on_delete=models.PROTECT, related_name="orders")
    consumer = models.ForeignKey("customers.Consumer", on_delete=models.PROTECT, related_name="+")
    period = models.CharField(_("period"), max_length=7)
    seq = models.PositiveIntegerField(_("walk sequence"))
    reader = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField(
        _("status"), max_length=8, choices=OrderStatus.choices, default=OrderStatus.OPEN
    )
    reading = models.ForeignKey(
        "metering.Reading", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    bill = models.ForeignKey(
        "billing.Bill", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    photo_id = models.UUIDField(null=True, blank=True)
    gps_lat = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    gps_lon = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["book_id", "period", "seq"]
        verbose_name = _("reading order")
        verbose_name_plural = _("reading orders")
        constraints = [
            models.UniqueConstraint(fields=["consumer", "period"], name="reading_order_once_per_period"),
            models.CheckConstraint(
                condition=models.Q(period__regex=PERIOD_REGEX), name="reading_order_period"
            ),
        ]
        indexes = [models.Index(fields=["reader", "status"], name="reading_order_reader_status")]

    def __str__(self) -> str:
        return f"{self.period} {self.consumer_id}"


class OrderDownload(models.Model):
    """What a reader's device was given for an order when it last downloaded its book: the account's
    category and status then (a sync compares them with the account's now)."""

    order = models.ForeignKey(ReadingOrder, on_delete=models.CASCADE, related_name="downloads")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    downloaded_at = models.DateTimeField()
    category = models.CharField(max_length=16)
    status = models.CharField(max_length=8)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["order", "user"], name="order_download_once")]

    def __str__(self) -> str:
        return f"{self.order_id} {self.user_id}"


class SyncKind(models.TextChoices):
    READING = "reading", _("Reading")
    PAYMENT = "payment", _("Payment")
    WORK_ORDER = "work_order", _("Work order")
    PRINT = "print", _("Print")


class SyncResult(models.TextChoices):
    ACCEPTED = "accepted", _("Accepted")
    DUPLICATE = "duplicate", _("Duplicate")
    CONFLICT = "conflict", _("Conflict")
    REJECTED = "rejected", _("Rejected")


class SyncItem(models.Model):
    """One item a device sent, under its client id, with the answer given: a retry is answered from
    here and changes nothing (the unique client id makes two simultaneous uploads one)."""

    client_id = models.CharField(max_length=64, unique=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    device_id = models.CharField(max_length=64, blank=True)
    kind = models.CharField(max_length=12, choices=SyncKind.choices)
    payload = models.JSONField(default=dict)
    result = models.CharField(max_length=10, choices=SyncResult.choices)
    detail = models.TextField(blank=True)
    server = models.JSONField(default=dict, blank=True)
    received_at = models.DateTimeField()

    class Meta:
        ordering = ["-received_at", "-id"]
        verbose_name = _("synced item")
        verbose_name_plural = _("synced items")

    def __str__(self) -> str:
        return f"{self.kind} {self.client_id}"


class ConflictKind(models.TextChoices):
    READING_EXISTS = "reading_exists", _("A reading already exists for the period")
    DISCONNECTED = "disconnected", _("Consumer disconnected since download")
    CATEGORY_CHANGED = "category_changed", _("Category changed since download")
    REASSIGNED = "reassigned", _("Route book reassigned")
    PAYMENT = "payment", _("Payment not posted")
    WORK_NOT_DONE = "work_not_done", _("Work order not done")


class Conflict(models.Model):
    """Something a device sent that the server did not apply as it came: kept whole for the supervisor."""

    kind = models.CharField(_("kind"), max_length=20, choices=ConflictKind.choices)
    office = models.ForeignKey(Office, on_delete=models.PROTECT, related_name="+")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("sent by"), on_delete=models.PROTECT, related_name="+"
    )
    client_id = models.CharField(max_length=64)
    order = models.ForeignKey(ReadingOrder, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    consumer = models.ForeignKey(
        "customers.Consumer", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    payload = models.JSONField(default=dict)
    detail = models.TextField(_("detail"), blank=True)
    created_at = models.DateTimeField(_("received at"))
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    resolved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("sync conflict")
        verbose_name_plural = _("sync conflicts")

    def __str__(self) -> str:
        return f"{self.kind} {self.client_id}"


class BillMismatch(models.Model):
    """The device's bill differed from the server's: both kept as they were, with the differences."""

    office = models.ForeignKey(Office, on_delete=models.PROTECT, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    client_id = models.CharField(max_length=64)
    order = models.ForeignKey(ReadingOrder, on_delete=models.PROTECT, related_name="mismatches")
    bill = models.ForeignKey("billing.Bill", on_delete=models.PROTECT, related_name="+")
    engine_version = models.CharField(max_length=40, blank=True)
    device_bill = models.JSONField(default=dict)
    differences = models.JSONField(default=list)
    created_at = models.DateTimeField()
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    resolved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("bill mismatch")
        verbose_name_plural = _("bill mismatches")

    def __str__(self) -> str:
        return f"mismatch {self.bill_id}"


class Photo(models.Model):
    """A meter photo uploaded by a device (JPEG, at most `PHOTO_MAX_BYTES`), under the device's uuid."""

    uuid = models.UUIDField(unique=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    office = models.ForeignKey(Office, null=True, on_delete=models.PROTECT, related_name="+")
    data = models.BinaryField()
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    order = models.ForeignKey(
        ReadingOrder, null=True, blank=True, on_delete=models.SET_NULL, related_name="photos"
    )
    reading = models.ForeignKey(
        "metering.Reading", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField()

    class Meta:
        ordering = ["-uploaded_at", "-id"]
        verbose_name = _("meter photo")
        verbose_name_plural = _("meter photos")

    def __str__(self) -> str:
        return str(self.uuid)


class PrintCopy(models.TextChoices):
    ORIGINAL = "original", _("Original")
    DUPLICATE = "duplicate", _("Duplicate")


class PrintAttempt(models.Model):
    """A print the device tried (it may have been lost on a dropped link). It never marks a bill issued;
    any print after the first of the same document is a duplicate."""

    client_id = models.CharField(max_length=64, unique=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    bill_number = models.CharField(max_length=24, blank=True)
    receipt_number = models.CharField(max_length=40, blank=True)
    copy = models.CharField(max_length=10, choices=PrintCopy.choices)
    width_mm = models.PositiveSmallIntegerField()
    ok = models.BooleanField()
    at = models.DateTimeField()
    recorded_at = models.DateTimeField()

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("print attempt")
        verbose_name_plural = _("print attempts")

    def __str__(self) -> str:
        return f"{self.bill_number or self.receipt_number} {self.copy}"
