"""Login throttling for the staff console, the admin and the API token endpoint alike: they all
authenticate through ThrottledModelBackend. The reasoning is in docs/decisions/0005-login-throttling.md.

Counters live in the database (LoginThrottle), so every web process and every machine shares them and no
cache server is needed. Before a password is checked, the attempt is reserved: under a row lock, each
counter that applies is checked against its limit and incremented. An attempt that would pass a limit is
refused without its password being checked, so thirty parallel guesses check no more passwords than the
limit allows. A correct password gives its reservation back.

Three counters apply to an attempt, each for one window of LOGIN_LOCKOUT_SECONDS:
- the username at this client address (LOGIN_FAILURE_LIMIT): an attacker's guesses lock out the
  attacker's address for that username, not the user at their own;
- the client address (LOGIN_ADDRESS_FAILURE_LIMIT, larger: an office shares one public address): one
  address trying many usernames;
- the username from anywhere (LOGIN_ACCOUNT_FAILURE_LIMIT, much larger): many addresses guessing one
  password. Past it, only addresses the user logged in from within LOGIN_KNOWN_ADDRESS_DAYS may try.
"""

import dataclasses
import datetime
import ipaddress
import logging
import math
import unicodedata

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.db import transaction
from django.db.models import F, Q
from django.utils.crypto import salted_hmac
from django.utils.translation import ngettext

from urja.common import clock
from urja.common.db import delete_unheld

from .choices import ThrottleScope
from .models import LoginThrottle

logger = logging.getLogger(__name__)

Address = ipaddress.IPv4Address | ipaddress.IPv6Address


# Client addresses.


def _parse_address(value: str) -> Address | None:
    try:
        return ipaddress.ip_address(value.strip())
    except ValueError:
        return None


def _trusted(address: Address) -> bool:
    for entry in settings.LOGIN_TRUSTED_PROXIES:
        try:
            if address in ipaddress.ip_network(entry, strict=False):
                return True
        except ValueError:
            continue
    return False


def client_address(request) -> str:
    """The address a request came from, as a throttling key. REMOTE_ADDR, unless that is one of
    LOGIN_TRUSTED_PROXIES: then the right-most address in X-Forwarded-For that is not one (what our own
    proxy saw; addresses further left are whatever the client wrote). An IPv6 address counts as its /64
    network, which one subscriber usually holds whole and can walk through freely."""
    if request is None:
        return ""
    remote_addr = request.META.get("REMOTE_ADDR", "")
    address = _parse_address(remote_addr)
    if address is None:
        return remote_addr[:64]
    if _trusted(address):
        for hop in reversed(request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")):
            forwarded = _parse_address(hop)
            if forwarded is None:
                break
            address = forwarded
            if not _trusted(forwarded):
                break
    if isinstance(address, ipaddress.IPv6Address):
        if address.ipv4_mapped is not None:
            return str(address.ipv4_mapped)
        return str(ipaddress.ip_network(f"{address}/64", strict=False))
    return str(address)


# Counters.


def _key(*parts: str) -> str:
    # Keyed, so the table does not give away which usernames and addresses tried (a plain hash of an
    # IPv4 address is reversed by trying all four billion).
    value = "\x1f".join(parts).encode("utf-8", "surrogatepass").decode("utf-8", "replace")
    return salted_hmac("urja.org.auth.LoginThrottle", value, algorithm="sha256").hexdigest()


def _normal_username(username: str) -> str:
    """One count for every spelling that could be the same account (case, compatibility forms)."""
    return unicodedata.normalize("NFKC", username).casefold()


@dataclasses.dataclass(frozen=True)
class LoginAttempt:
    allowed: bool
    #: Seconds until a refused attempt can succeed; 0 when allowed.
    retry_after: int = 0
    reserved_at: datetime.datetime | None = None
    counter_ids: tuple[int, ...] = ()
    pair_id: int | None = None


def _locked_counter(scope: str, key_hash: str, now: datetime.datetime) -> LoginThrottle | None:
    LoginThrottle.objects.bulk_create(
        [LoginThrottle(scope=scope, key_hash=key_hash, window_started_at=now)], ignore_conflicts=True
    )
    return LoginThrottle.objects.select_for_update().filter(scope=scope, key_hash=key_hash).first()


def _seconds_left(row: LoginThrottle, now: datetime.datetime) -> int:
    end = row.window_started_at + datetime.timedelta(seconds=settings.LOGIN_LOCKOUT_SECONDS)
    return max(1, math.ceil((end - now).total_seconds()))


def login_attempt_reserve(*, username: str, address: str) -> LoginAttempt:
    """Reserve one password check for `username` from `address`, or refuse it. Commits at once (its own
    transaction), before the password is checked."""
    name = _normal_username(username)
    counters = (
        (ThrottleScope.ADDRESS, _key("address", address), settings.LOGIN_ADDRESS_FAILURE_LIMIT),
        (ThrottleScope.ACCOUNT_AT_ADDRESS, _key("pair", name, address), settings.LOGIN_FAILURE_LIMIT),
        (ThrottleScope.ACCOUNT, _key("account", name), settings.LOGIN_ACCOUNT_FAILURE_LIMIT),
    )
    for _retry in range(3):
        attempt = _reserve(counters)
        if attempt is not None:
            return attempt
    # A counter was purged between being created and locked, three times over: refuse rather than
    # check a password uncounted.
    return LoginAttempt(allowed=False, retry_after=1)


@transaction.atomic
def _reserve(counters) -> LoginAttempt | None:
    now = clock.now()
    window_start = now - datetime.timedelta(seconds=settings.LOGIN_LOCKOUT_SECONDS)
    known_since = now - datetime.timedelta(days=settings.LOGIN_KNOWN_ADDRESS_DAYS)
    rows, blocking = [], []
    # Every attempt locks its rows in one order (address, pair, account), so two attempts never wait
    # for each other in a circle. The address comes first and alone: an address already over its limit
    # is refused before it can make the table grow with made-up usernames.
    for scope, key_hash, limit in counters:
        row = _locked_counter(scope, key_hash, now)
        if row is None:
            return None  # purged under us: start again
        if row.window_started_at <= window_start:
            row.attempts, row.window_started_at = 0, now
        rows.append(row)
        over = row.attempts >= limit
        if scope == ThrottleScope.ADDRESS and over:
            return LoginAttempt(allowed=False, retry_after=_seconds_left(row, now))
        if scope == ThrottleScope.ACCOUNT and over:
            # Many addresses guessing one password: the user's own usual addresses may still try.
            pair_row = rows[1]
            over = pair_row.last_success_at is None or pair_row.last_success_at <= known_since
        if over:
            blocking.append(row)
    if blocking:
        return LoginAttempt(allowed=False, retry_after=max(_seconds_left(row, now) for row in blocking))
    for row in rows:
        row.attempts += 1
        row.save(update_fields=["attempts", "window_started_at", "updated_at"])
    address_row, pair_row, account_row = rows
    return LoginAttempt(
        allowed=True, reserved_at=now, counter_ids=(address_row.pk, account_row.pk), pair_id=pair_row.pk
    )


def login_attempt_succeeded(*, attempt: LoginAttempt) -> None:
    """The password was right: clear the count of this username at this address (and remember the
    address as one the user logs in from), and give back the reservation on the other two counters, so
    that the good logins of a busy office do not add up to a lockout."""
    now = clock.now()
    address_id, account_id = attempt.counter_ids

    def give_back(pk: int) -> None:
        LoginThrottle.objects.filter(
            pk=pk, attempts__gt=0, window_started_at__lte=attempt.reserved_at
        ).update(attempts=F("attempts") - 1, updated_at=now)

    with transaction.atomic():
        # In the order every reservation locks them (address, pair, account): a success and a
        # reservation of the same rows never wait for each other in a circle.
        give_back(address_id)
        LoginThrottle.objects.filter(pk=attempt.pair_id).update(
            attempts=0, last_success_at=now, updated_at=now
        )
        give_back(account_id)
    # Counters of past windows, except the addresses users log in from; only those no attempt holds
    # (a purge that waited for them deadlocked with parallel attempts in CI).
    delete_unheld(
        LoginThrottle.objects.filter(
            Q(last_success_at__isnull=True)
            | Q(last_success_at__lt=now - datetime.timedelta(days=settings.LOGIN_KNOWN_ADDRESS_DAYS)),
            window_started_at__lt=now - datetime.timedelta(seconds=settings.LOGIN_LOCKOUT_SECONDS),
        )
    )


def _usable(value: str) -> bool:
    """False for a NUL character or a lone surrogate (JSON can carry both)."""
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return "\x00" not in value


class ThrottledModelBackend(ModelBackend):
    def authenticate(self, request, username=None, password=None, **kwargs):
        if username is None:
            username = kwargs.get(get_user_model().USERNAME_FIELD)
        if username is None or password is None:
            return None
        attempt = login_attempt_reserve(username=str(username), address=client_address(request))
        if not attempt.allowed:
            logger.warning("login refused: too many failures (user=%s)", str(username)[:3] + "***")
            if request is not None:
                request.urja_login_locked = True
                request.urja_login_retry_after = attempt.retry_after
            return None
        if not _usable(str(username)) or not _usable(str(password)):
            # No account has such a name or password, and PostgreSQL (or the hasher) would refuse the
            # value with an error: a failed attempt like any other.
            return None
        user = super().authenticate(request, username=username, password=password, **kwargs)
        if user is not None:
            login_attempt_succeeded(attempt=attempt)
        return user


def lockout_message(request) -> str:
    """What to tell someone the throttle refused, in the language of the request."""
    seconds = getattr(request, "urja_login_retry_after", None) or settings.LOGIN_LOCKOUT_SECONDS
    minutes = max(1, math.ceil(seconds / 60))
    return ngettext(
        "Too many failed attempts. Please wait %(minutes)s minute and try again.",
        "Too many failed attempts. Please wait %(minutes)s minutes and try again.",
        minutes,
    ) % {"minutes": minutes}
