"""Reads of consumer records. Every function takes the principal (staff user or partner) and limits
what it returns to that principal's office subtree."""

from dataclasses import dataclass

from django.db.models import Case, Count, F, IntegerField, Lookup, Q, QuerySet, Value, When

from urja.common.errors import NotFound
from urja.domain import account_number as acct
from urja.domain import mobile as mob
from urja.domain import names
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


@dataclass(frozen=True)
class ConsumerSearch:
    """What a search found: the first `limit` consumers (best first), how many matched in all, and
    whether the search was one exact account number (the console then opens that consumer)."""

    consumers: list[Consumer]
    count: int
    exact_account: bool = False


class _Like(Lookup):
    """``lhs LIKE rhs``: the patterns of `urja.domain.names.near_patterns` (``_`` is one letter)."""

    lookup_name = "like"

    def as_sql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        rhs, rhs_params = self.process_rhs(compiler, connection)
        return f"{lhs} LIKE {rhs}", [*lhs_params, *rhs_params]


#: The stored keys a word is matched against: names in Latin letters and the Hindi name.
_LATIN_KEYS = {"name": "name_key", "village": "village_key"}
_DEVANAGARI_KEYS = {"name": "name_hi_key", "village": None}


def _word_q(word: str, where: tuple[str, ...]) -> Q | None:
    """One word of a search: four digits are the end of a mobile number, other digits the start of an
    account number or a whole mobile; letters are matched, spelling-tolerant, at the start of a word
    of the name or the village (`where`) in the word's script."""
    digits = ascii_digits(word)
    if is_ascii_digits(digits):
        if len(digits) == 4:
            return Q(mobile__endswith=digits)
        if len(digits) == 10:
            return Q(mobile=digits) | Q(account_number=digits)
        return Q(account_number__startswith=digits)
    keys = _DEVANAGARI_KEYS if names.is_devanagari(word) else _LATIN_KEYS
    condition = Q(village_town__icontains=word) if "village" in where else None
    for key in names.search_words(word):
        for pattern in names.near_patterns(key):
            for part in where:
                if keys[part] is None:
                    continue
                like = Q(_Like(F(keys[part]), Value(pattern)))
                condition = like if condition is None else condition | like
    return condition


#: At most this many consumers found by one meter serial (a serial is one meter; a few are reused).
METER_MATCHES = 20


def _search(base: QuerySet[Consumer], query: str) -> tuple[QuerySet[Consumer], bool]:
    """The consumers of `base` a search finds (not yet ordered or cut) and whether it was one exact
    account number."""
    # Numbers (account, mobile, meter serial) are stored in ASCII; one typed in Devanagari digits is
    # the same number.
    number = ascii_digits(query)
    # The consumers whose current meter has this serial, looked up first (an index on UPPER(serial)):
    # as ids, the match is one more indexed branch of the search's OR; as a subquery inside the OR it
    # made PostgreSQL scan every consumer (94 s for a state-wide user at 1,000,000; issue 13).
    meter_ids = list(
        Consumer.objects.filter(
            meter_installations__meter__serial__iexact=number, meter_installations__removed_on__isnull=True
        ).values_list("id", flat=True)[:METER_MATCHES]
    )
    meter_match = Q(id__in=meter_ids)
    compact = number.replace(" ", "").replace("-", "")
    if is_ascii_digits(compact.lstrip("+")):
        digits = compact.lstrip("+")
        if len(digits) == acct.LENGTH and acct.is_valid(digits) and digits[0] in "12345":
            return base.filter(account_number=digits), True
        if len(digits) == 4:  # the last four digits of a mobile number (or a short meter serial)
            return base.filter(Q(mobile__endswith=digits) | meter_match), False
        try:
            return base.filter(mobile=mob.normalize(compact)), False
        except mob.InvalidMobile:
            return base.filter(Q(account_number__startswith=digits) | meter_match), False
    # Words: a name (English or Hindi) and a village in any order, or "name, village" with a comma;
    # every word must match.
    keyed = base
    if "," in query:
        name_part, village_part = query.split(",", 1)
        parts = [(w, ("name",)) for w in name_part.split()]
        parts += [(w, ("village",)) for w in village_part.replace(",", " ").split()]
    else:
        parts = [(w, ("name", "village")) for w in query.split()]
    words = Q()
    for word, fields in parts:
        condition = _word_q(word, fields)
        if condition is not None:
            words &= condition
    if not words:  # nothing but punctuation: a plain match on the name
        return keyed.filter(meter_match | Q(name__icontains=query) | Q(name_hi__icontains=query)), False
    return keyed.filter(meter_match | words), False


def consumer_find(*, principal, query: str, limit: int = SEARCH_LIMIT) -> ConsumerSearch:
    """Search the principal's consumers: by account number (exact: `exact_account`), mobile (whole or
    its last four digits), meter serial, or name and village tolerating small spelling errors —
    names spelt as typed first. Three queries whatever the office's size: the meter serial, the page
    and the count (each an index lookup on PostgreSQL: trigram indexes on the stored search keys)."""
    query = (query or "").strip()[:80]
    base = consumers_for(principal)
    if not query:
        return ConsumerSearch([], 0)
    found, exact = _search(base, query)
    as_typed = Q(name__icontains=query) | Q(name_hi__icontains=query)
    ranked = found.annotate(
        as_typed=Case(When(as_typed, then=Value(0)), default=Value(1), output_field=IntegerField())
    ).order_by("as_typed", "name", "account_number")
    return ConsumerSearch(list(ranked[:limit]), found.count(), exact)


def consumer_search(*, principal, query: str, limit: int = SEARCH_LIMIT) -> QuerySet[Consumer]:
    """Search by account number, mobile, meter serial or name (see `consumer_find`), within the
    principal's offices."""
    query = (query or "").strip()[:80]
    base = consumers_for(principal)
    if not query:
        return base.none()
    found, _exact = _search(base, query)
    return found.order_by("name", "account_number")[:limit]


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
