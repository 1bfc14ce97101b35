"""Reads of consumer records. Every function takes the principal (staff user or partner) and limits
what it returns to that principal's office subtree."""

from django.db.models import Count, Q, QuerySet

from urja.common.errors import NotFound
from urja.domain import account_number as acct
from urja.domain import mobile as mob
from urja.domain.inputs import ascii_digits, is_ascii_digits
from urja.org.selectors import office_q

from .models import Consumer

SEARCH_LIMIT = 50


def consumers_for(principal) -> QuerySet[Consumer]:
    return Consumer.objects.filter(office_q(principal)).select_related("office", "dt", "dt__feeder")


def consumer_get(*, principal, account_number: str) -> Consumer:
    """The consumer with this account number if the principal may see it; otherwise 404 (never 403,
    so that an account number outside one's office cannot be probed)."""
    try:
        number = acct.normalize(account_number)
    except acct.InvalidAccountNumber:
        raise NotFound("no such consumer")
    consumer = consumers_for(principal).filter(account_number=number).first()
    if consumer is None:
        raise NotFound("no such consumer")
    return consumer


def consumer_for_payer(account_number: str) -> Consumer | None:
    """The consumer a payer names by account number on the public pay page, whatever its office (the
    page shows only the masked name and the amount due); None when there is none."""
    return Consumer.objects.filter(account_number=account_number).first()


def consumer_search(*, principal, query: str, limit: int = SEARCH_LIMIT) -> QuerySet[Consumer]:
    """Search by account number, mobile, meter serial or name, within the principal's offices."""
    query = (query or "").strip()[:80]
    base = consumers_for(principal)
    if not query:
        return base.none()
    # Numbers (account, mobile, meter serial) are stored in ASCII; one typed in Devanagari digits is
    # the same number. Names are searched as typed.
    number = ascii_digits(query)
    meter_match = Q(
        meter_installations__meter__serial__iexact=number, meter_installations__removed_on__isnull=True
    )
    compact = number.replace(" ", "").replace("-", "")
    if is_ascii_digits(compact.lstrip("+")):
        digits = compact.lstrip("+")
        if len(digits) == acct.LENGTH and acct.is_valid(digits) and digits[0] in "12345":
            return base.filter(account_number=digits)[:limit]
        try:
            return base.filter(mobile=mob.normalize(compact))[:limit]
        except mob.InvalidMobile:
            return base.filter(Q(account_number__startswith=digits) | meter_match).distinct()[:limit]
    return base.filter(meter_match | Q(name__icontains=query) | Q(name_hi__icontains=query)).distinct()[
        :limit
    ]


def current_meter(consumer: Consumer):
    installation = (
        consumer.meter_installations.filter(removed_on__isnull=True).select_related("meter").first()
    )
    return installation.meter if installation else None


def unindexed_consumers(*, principal) -> QuerySet[Consumer]:
    """Consumers not yet linked to a distribution transformer (and so to a feeder): energy audit
    cannot count them until they are indexed."""
    return Consumer.objects.filter(office_q(principal), dt__isnull=True).select_related("office")


def unindexed_summary(*, principal) -> list[dict]:
    """Unindexed consumers per distribution centre, largest first."""
    rows = (
        unindexed_consumers(principal=principal)
        .values("office__code", "office__name")
        .annotate(count=Count("id"))
        .order_by("-count", "office__code")
    )
    return list(rows)


def category_on(consumer: Consumer, day) -> str:
    """The consumer's tariff category on ``day`` (a date), from its history: the old value of the first
    category change made after that day, else the current category. A revision of an old bill prices
    with it, not with today's category."""
    change = (
        consumer.changes.filter(field="category", changed_at__date__gt=day)
        .order_by("changed_at", "id")
        .first()
    )
    return change.old_value if change is not None else consumer.category
