"""The whole portal in Hindi at 360 px: every page a consumer or applicant reaches opens in Hindi
(lang="hi", a Devanagari heading), nothing scrolls sideways, and no English label is left on it."""

import re

import pytest
from django.conf import settings

from urja.helpdesk.models import Category, TheftRate
from urja.helpdesk.seed import seed_helpdesk
from urja.portal import session as portal_session
from urja.portal.tests.test_account_pages import make_bill
from urja.testing import ConsumerFactory

from .test_portal_requests import phone, screenshot, sign_in  # noqa: F401  (fixture)

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.clock("2026-11-30T12:00+05:30"),
]
DEVANAGARI = re.compile(r"[\u0900-\u097F]")
# English words that would show a label left untranslated (checked as whole words in the page text).
ENGLISH = re.compile(
    r"\b(Submit|Account|Amount|Mobile|Language|Login|Complaint|Reading|Bill|Pay|Date|Status)\b"
)

PAGES = ["/", "/login/", "/login/apply/", "/pay/start/", "/theft/", "/track/"]
SIGNED_IN = ["/account/", "/account/profile/", "/reading/", "/complaints/", "/complaints/new/", "/requests/"]


def test_every_portal_page_in_hindi_at_360(phone, live_server, two_subdivisions, tmp_path):  # noqa: F811
    seed_helpdesk(Category, TheftRate)
    consumer = ConsumerFactory(office=two_subdivisions["dc_a"], mobile="9876512345", language="hi")
    make_bill(consumer)
    phone.context.add_cookies(
        [{"name": settings.LANGUAGE_COOKIE_NAME, "value": "hi", "url": live_server.url}]
    )
    problems = []

    def check(path):
        phone.goto(f"{live_server.url}{path}")
        if phone.evaluate("document.documentElement.lang") != "hi":
            problems.append((path, "lang"))
        heading = phone.inner_text("h1") if phone.locator("h1").count() else ""
        if not DEVANAGARI.search(heading):
            problems.append((path, f"heading {heading!r}"))
        if phone.evaluate("document.documentElement.scrollWidth") > 360:
            problems.append((path, "scrolls sideways"))
        main = phone.inner_text("main") if phone.locator("main").count() else phone.inner_text("body")
        # the online payment pages print English and Hindi side by side, by design
        left = [] if path.startswith("/pay/") else sorted(set(ENGLISH.findall(main)))
        if left:
            problems.append((path, f"English left: {left}"))
        screenshot(phone, tmp_path, "hi" + path.replace("/", "-").rstrip("-"))

    for path in PAGES:
        check(path)
    sign_in(phone, live_server, **{portal_session.SESSION_MOBILE: consumer.mobile,
                                   portal_session.SESSION_ACCOUNTS: [consumer.pk],
                                   portal_session.SESSION_CURRENT: consumer.pk,
                                   portal_session.SESSION_APPLICANT: consumer.mobile})  # fmt: skip
    phone.context.add_cookies(
        [{"name": settings.LANGUAGE_COOKIE_NAME, "value": "hi", "url": live_server.url}]
    )
    for path in [*SIGNED_IN, "/apply/"]:
        check(path)
    assert problems == [], "\n".join(map(str, problems))
