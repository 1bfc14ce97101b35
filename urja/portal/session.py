"""Who the portal's visitor is: the accounts a one-time password proved, the account being looked at,
and the mobile a new-connection applicant proved. Every portal page reads these through this module.

The session holds consumer ids only after an OTP sent to the account's registered mobile was verified
(`portal_login`); the ids are re-checked against that mobile on every request, so a mobile changed by
the office ends the old holder's access. An applicant with no account proves a mobile the same way
(`applicant_verified`) and may then apply and track their own applications only.
"""

from __future__ import annotations

from functools import wraps
from urllib.parse import urlencode

from django.http import HttpResponseRedirect
from django.urls import reverse

from urja.customers.models import Consumer

SESSION_MOBILE = "portal_mobile"  # the mobile the OTP was sent to and verified
SESSION_ACCOUNTS = "portal_accounts"  # consumer ids proved by that OTP
SESSION_CURRENT = "portal_current"  # the consumer id being looked at
SESSION_APPLICANT = "portal_applicant_mobile"  # a mobile proved for applying without an account


def portal_login(request, *, mobile: str, consumer_ids: list[int]) -> None:
    """After a verified OTP: a fresh session key (no fixation), the accounts, the first one current."""
    request.session.cycle_key()
    request.session[SESSION_MOBILE] = mobile
    request.session[SESSION_ACCOUNTS] = sorted(set(consumer_ids))
    request.session[SESSION_CURRENT] = sorted(set(consumer_ids))[0]


def portal_logout(request) -> None:
    for key in (SESSION_MOBILE, SESSION_ACCOUNTS, SESSION_CURRENT, SESSION_APPLICANT):
        request.session.pop(key, None)
    request.session.cycle_key()


def portal_accounts(request):
    """The accounts this visitor proved, still registered to the proved mobile."""
    ids = request.session.get(SESSION_ACCOUNTS) or []
    mobile = request.session.get(SESSION_MOBILE)
    if not ids or not mobile:
        return Consumer.objects.none()
    return Consumer.objects.filter(pk__in=ids, mobile=mobile).order_by("account_number")


def current_consumer(request) -> Consumer | None:
    accounts = portal_accounts(request)
    current = request.session.get(SESSION_CURRENT)
    return accounts.filter(pk=current).first() or accounts.first()


def account_switch(request, consumer_id: int) -> bool:
    """Look at another of the proved accounts; False (and nothing changes) for any other id."""
    if not portal_accounts(request).filter(pk=consumer_id).exists():
        return False
    request.session[SESSION_CURRENT] = consumer_id
    return True


def applicant_verified(request, mobile: str) -> None:
    request.session.cycle_key()
    request.session[SESSION_APPLICANT] = mobile


def applicant_mobile(request) -> str | None:
    return request.session.get(SESSION_APPLICANT) or request.session.get(SESSION_MOBILE)


def _to_login(request, url_name: str):
    return HttpResponseRedirect(f"{reverse(url_name)}?{urlencode({'next': request.get_full_path()})}")


def consumer_required(view):
    """The view runs with request.consumer set to the current proved account; else to the login page."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        consumer = current_consumer(request)
        if consumer is None:
            return _to_login(request, "portal:login")
        request.consumer = consumer
        return view(request, *args, **kwargs)

    return wrapped


def applicant_required(view):
    """The view runs with request.applicant_mobile set; else to the applicant's OTP page."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        mobile = applicant_mobile(request)
        if not mobile:
            return _to_login(request, "portal:applicant_login")
        request.applicant_mobile = mobile
        return view(request, *args, **kwargs)

    return wrapped
