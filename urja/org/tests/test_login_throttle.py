"""Login throttling: counters shared by every process (in the database), an attempt reserved before its
password is checked, and a lockout that slows the attacker's address instead of locking the user out."""

import datetime
import threading
import zoneinfo

import pytest
import time_machine
from django.conf import settings
from django.contrib.auth import authenticate
from django.core.cache import cache
from django.test import Client, RequestFactory
from django.urls import reverse

from urja.org.models import User
from urja.testing import TEST_PASSWORD, UserFactory, run_concurrently

pytestmark = pytest.mark.django_db

ATTACKER = "203.0.113.9"
OFFICE = "198.51.100.7"
NOON = datetime.datetime(2026, 11, 20, 12, 0, tzinfo=zoneinfo.ZoneInfo("Asia/Kolkata"))


def token(client, username, password, address=ATTACKER, **extra):
    return client.post(
        "/api/v1/auth/token",
        {"username": username, "password": password},
        content_type="application/json",
        REMOTE_ADDR=address,
        **extra,
    )


def fail(client, username, address=ATTACKER, times=None):
    for _ in range(settings.LOGIN_FAILURE_LIMIT if times is None else times):
        r = token(client, username, "wrong-password", address)
        assert r.status_code == 401, r.content


def test_failures_from_one_address_do_not_lock_the_user_out_at_their_own(client):
    UserFactory(username="victim")
    fail(client, "victim", ATTACKER)
    # The attacker's address is refused even with the right password…
    assert token(client, "victim", TEST_PASSWORD, ATTACKER).status_code == 429
    # …but the user, at their own office, logs in.
    assert token(client, "victim", TEST_PASSWORD, OFFICE).status_code == 200


def test_counters_live_in_the_database_not_in_a_process_cache(client):
    UserFactory(username="victim")
    fail(client, "victim")
    cache.clear()  # another process (or a restarted one) has an empty cache
    assert token(client, "victim", TEST_PASSWORD).status_code == 429


def test_the_lockout_ends_when_the_window_does(client):
    UserFactory(username="victim")
    with time_machine.travel(NOON, tick=False) as clock:
        fail(client, "victim")
        assert token(client, "victim", TEST_PASSWORD).status_code == 429
        clock.shift(datetime.timedelta(seconds=settings.LOGIN_LOCKOUT_SECONDS - 5))
        r = token(client, "victim", TEST_PASSWORD)
        assert r.status_code == 429
        assert 1 <= int(r.headers["Retry-After"]) <= 5
        clock.shift(datetime.timedelta(seconds=6))
        assert token(client, "victim", TEST_PASSWORD).status_code == 200


def test_a_successful_login_clears_that_pairs_counter(client):
    UserFactory(username="forgetful")
    fail(client, "forgetful", OFFICE, times=settings.LOGIN_FAILURE_LIMIT - 1)
    assert token(client, "forgetful", TEST_PASSWORD, OFFICE).status_code == 200
    # A fresh allowance: as many wrong passwords again before the lockout.
    fail(client, "forgetful", OFFICE)
    assert token(client, "forgetful", TEST_PASSWORD, OFFICE).status_code == 429


def test_one_address_trying_many_usernames_is_stopped(client):
    limit = settings.LOGIN_ADDRESS_FAILURE_LIMIT
    for n in range(limit):
        assert token(client, f"guess{n}", "wrong-password").status_code == 401
    UserFactory(username="target")
    assert token(client, "target", TEST_PASSWORD).status_code == 429
    # The address is the attacker's; the user logs in from elsewhere.
    assert token(client, "target", TEST_PASSWORD, OFFICE).status_code == 200


def test_a_busy_office_address_is_not_locked_by_good_logins(client):
    """Everyone at a sub-division office shares one public address: successful logins do not count."""
    for n in range(settings.LOGIN_ADDRESS_FAILURE_LIMIT + 5):
        UserFactory(username=f"clerk{n}")
        assert token(client, f"clerk{n}", TEST_PASSWORD, OFFICE).status_code == 200


def test_a_distributed_attack_on_one_user_spares_their_known_address(client, settings):
    """Many addresses, each under its own limit, guessing one password: past the account's (much
    higher) limit only addresses the user has logged in from recently may still try."""
    settings.LOGIN_ACCOUNT_FAILURE_LIMIT = 3 * settings.LOGIN_FAILURE_LIMIT
    UserFactory(username="director")
    assert token(client, "director", TEST_PASSWORD, OFFICE).status_code == 200
    for bot in range(3):
        fail(client, "director", f"192.0.2.{bot + 1}")
    # A fresh address with the right password is refused: it could be the next bot…
    assert token(client, "director", TEST_PASSWORD, "192.0.2.99").status_code == 429
    # …while the user's own office still gets in.
    assert token(client, "director", TEST_PASSWORD, OFFICE).status_code == 200


def test_ipv6_addresses_of_one_network_count_together(client):
    UserFactory(username="victim")
    for n in range(settings.LOGIN_FAILURE_LIMIT):
        assert token(client, "victim", "wrong-password", f"2001:db8:1:2::{n + 1:x}").status_code == 401
    # Another address of the same /64 is the same attacker.
    assert token(client, "victim", TEST_PASSWORD, "2001:db8:1:2::ffff").status_code == 429
    assert token(client, "victim", TEST_PASSWORD, "2001:db8:9:9::1").status_code == 200


def test_forwarded_for_is_believed_only_from_a_trusted_proxy(client, settings):
    UserFactory(username="victim")
    settings.LOGIN_TRUSTED_PROXIES = ["10.0.0.5"]
    # Through the proxy: the client's address is the one the proxy saw.
    for _ in range(settings.LOGIN_FAILURE_LIMIT):
        r = token(client, "victim", "wrong", "10.0.0.5", HTTP_X_FORWARDED_FOR=f"1.2.3.4, {ATTACKER}")
        assert r.status_code == 401
    assert (
        token(client, "victim", TEST_PASSWORD, "10.0.0.5", HTTP_X_FORWARDED_FOR=ATTACKER).status_code == 429
    )
    assert token(client, "victim", TEST_PASSWORD, "10.0.0.5", HTTP_X_FORWARDED_FOR=OFFICE).status_code == 200
    # Not through the proxy: a forged header changes nothing.
    for n in range(settings.LOGIN_FAILURE_LIMIT):
        r = token(client, "victim", "wrong", "192.0.2.50", HTTP_X_FORWARDED_FOR=f"192.0.2.{100 + n}")
        assert r.status_code == 401
    r = token(client, "victim", TEST_PASSWORD, "192.0.2.50", HTTP_X_FORWARDED_FOR="192.0.2.200")
    assert r.status_code == 429


def test_the_username_is_not_case_sensitive_for_the_count(client):
    UserFactory(username="victim")
    for name in ("victim", "VICTIM", "Victim", "vIctim", "victiM"):
        assert token(client, name, "wrong").status_code == 401
    assert token(client, "victim", TEST_PASSWORD).status_code == 429


def test_authenticate_without_a_request_is_throttled_too():
    UserFactory(username="victim")
    for _ in range(settings.LOGIN_FAILURE_LIMIT):
        assert authenticate(username="victim", password="wrong") is None
    assert authenticate(username="victim", password=TEST_PASSWORD) is None
    assert authenticate(
        RequestFactory().post("/", REMOTE_ADDR=OFFICE), username="victim", password=TEST_PASSWORD
    )


def test_locked_out_api_message_is_in_the_users_language(client):
    UserFactory(username="victim")
    fail(client, "victim")
    r = token(client, "victim", TEST_PASSWORD, HTTP_ACCEPT_LANGUAGE="hi")
    assert r.status_code == 429 and r.json()["code"] == "too_many_attempts"
    assert "बहुत अधिक" in r.json()["message"]


# The console and the admin go through the same throttle.


def console_login(client, username, password, address=ATTACKER):
    return client.post(
        reverse("staff:login"), {"username": username, "password": password}, REMOTE_ADDR=address
    )


def test_console_lockout_is_per_address(client):
    UserFactory(username="victim")
    for _ in range(settings.LOGIN_FAILURE_LIMIT):
        console_login(client, "victim", "wrong")
        assert "_auth_user_id" not in client.session
    page = console_login(client, "victim", TEST_PASSWORD).content.decode()
    assert "Too many failed attempts" in page and "15 minutes" in page
    assert "_auth_user_id" not in client.session
    response = console_login(client, "victim", TEST_PASSWORD, OFFICE)
    assert response.status_code == 302 and "_auth_user_id" in client.session


def test_console_lockout_message_is_in_hindi(client):
    UserFactory(username="victim")
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "hi"
    for _ in range(settings.LOGIN_FAILURE_LIMIT):
        console_login(client, "victim", "wrong")
    page = console_login(client, "victim", TEST_PASSWORD).content.decode()
    assert "बहुत अधिक असफल प्रयास" in page and "15 मिनट" in page


def test_console_and_api_share_one_count(client):
    UserFactory(username="victim")
    fail(client, "victim", times=settings.LOGIN_FAILURE_LIMIT - 1)
    console_login(client, "victim", "wrong")
    assert token(client, "victim", TEST_PASSWORD).status_code == 429


def test_admin_login_is_throttled_with_the_lockout_message(client):
    UserFactory(username="boss", is_staff=True, is_superuser=True)
    url = reverse("admin:login")
    for _ in range(settings.LOGIN_FAILURE_LIMIT):
        client.post(url, {"username": "boss", "password": "wrong"}, REMOTE_ADDR=ATTACKER)
    page = client.post(url, {"username": "boss", "password": TEST_PASSWORD}, REMOTE_ADDR=ATTACKER)
    assert "Too many failed attempts" in page.content.decode()
    assert "_auth_user_id" not in client.session
    ok = client.post(url, {"username": "boss", "password": TEST_PASSWORD}, REMOTE_ADDR=OFFICE)
    assert ok.status_code == 302 and "_auth_user_id" in client.session


def test_console_login_rotates_the_session_key(client):
    """A session id planted before login (session fixation) is not the one that gets logged in."""
    UserFactory(username="clerk")
    client.get(reverse("staff:login"))
    session = client.session
    session["planted"] = True
    session.save()
    before = session.session_key
    console_login(client, "clerk", TEST_PASSWORD, OFFICE)
    assert client.session.session_key != before and "_auth_user_id" in client.session


# Races: thirty wrong passwords at once may check no more passwords than the limit allows.


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_parallel_wrong_passwords_check_at_most_the_limit(monkeypatch):
    UserFactory(username="victim")
    checked = []
    lock = threading.Lock()
    real_check = User.check_password

    def counting_check(self, raw_password):
        with lock:
            checked.append(raw_password)
        return real_check(self, raw_password)

    monkeypatch.setattr(User, "check_password", counting_check)

    def attempt(i):
        return token(Client(), "victim", f"guess-{i}").status_code

    statuses = run_concurrently(30, attempt)
    assert sorted(set(statuses)) == [401, 429], statuses
    assert statuses.count(401) == settings.LOGIN_FAILURE_LIMIT
    assert len(checked) == settings.LOGIN_FAILURE_LIMIT
    assert token(Client(), "victim", TEST_PASSWORD).status_code == 429
    assert token(Client(), "victim", TEST_PASSWORD, OFFICE).status_code == 200


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_parallel_guesses_from_many_addresses_respect_the_account_limit(settings):
    settings.LOGIN_ACCOUNT_FAILURE_LIMIT = 12
    UserFactory(username="victim")

    def attempt(i):
        request = RequestFactory().post("/", REMOTE_ADDR=f"192.0.2.{i + 1}")
        authenticate(request, username="victim", password="wrong")
        return getattr(request, "urja_login_locked", False)

    locked = run_concurrently(30, attempt)
    assert locked.count(False) == 12


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_parallel_logins_and_failures_neither_deadlock_nor_fail():
    """Good logins purge old counters while other attempts lock theirs: no deadlock, no error."""
    for n in range(8):
        UserFactory(username=f"clerk{n}")
    with time_machine.travel(NOON - datetime.timedelta(hours=2), tick=False):
        for n in range(8):
            token(Client(), f"clerk{n}", "wrong", f"192.0.2.{n + 1}")
            token(Client(), f"clerk{n}", "wrong", OFFICE)

    def attempt(i):
        n = i % 8
        if i < 8:
            return token(Client(), f"clerk{n}", TEST_PASSWORD, OFFICE).status_code
        return token(Client(), f"clerk{n}", "wrong", f"192.0.2.{n + 1}").status_code

    with time_machine.travel(NOON, tick=True):
        statuses = run_concurrently(24, attempt)
    assert statuses[:8] == [200] * 8, statuses
    assert set(statuses[8:]) == {401}, statuses


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_good_login_purges_only_the_stale_counters_nobody_holds():
    """The purge after a good login must not wait for a row another attempt has locked: waiting, while
    holding the rows it has already deleted, is how it deadlocked with parallel attempts (CI)."""
    from django.db import connection, connections, transaction

    from urja.org.models import LoginThrottle, ThrottleScope

    UserFactory(username="clerk")
    old = NOON - datetime.timedelta(hours=2)
    held, free = LoginThrottle.objects.bulk_create(
        [
            LoginThrottle(scope=ThrottleScope.ADDRESS, key_hash="held", window_started_at=old),
            LoginThrottle(scope=ThrottleScope.ADDRESS, key_hash="free", window_started_at=old),
        ]
    )
    locked, release = threading.Event(), threading.Event()

    def hold():
        try:
            with transaction.atomic():
                LoginThrottle.objects.select_for_update().get(pk=held.pk)
                locked.set()
                release.wait(30)
        finally:
            connections.close_all()

    holder = threading.Thread(target=hold)
    holder.start()
    try:
        assert locked.wait(30)
        with connection.cursor() as cursor:
            cursor.execute("SET lock_timeout = '3s'")  # a purge that waits fails instead of hanging
        with time_machine.travel(NOON, tick=False):
            assert token(Client(), "clerk", TEST_PASSWORD, OFFICE).status_code == 200
    finally:
        release.set()
        holder.join()
        with connection.cursor() as cursor:
            cursor.execute("RESET lock_timeout")
    remaining = set(LoginThrottle.objects.values_list("key_hash", flat=True))
    assert "held" in remaining and "free" not in remaining
