"""Test helpers: a client signed in to the portal as if its OTP had been verified."""

from django.test import Client

from urja.portal import session as portal_session


def portal_client(client: Client, *consumers, mobile: str | None = None) -> Client:
    mobile = mobile or consumers[0].mobile
    s = client.session
    s[portal_session.SESSION_MOBILE] = mobile
    s[portal_session.SESSION_ACCOUNTS] = sorted(c.pk for c in consumers)
    s[portal_session.SESSION_CURRENT] = consumers[0].pk
    s.save()
    return client


def applicant_client(client: Client, mobile: str) -> Client:
    s = client.session
    s[portal_session.SESSION_APPLICANT] = mobile
    s.save()
    return client
