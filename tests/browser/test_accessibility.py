"""Accessibility of the key pages, checked by axe-core in real Chromium: the portal (home, quick pay,
login, OTP, My account, complaint form, new-connection application) and the staff console (login,
the landing page, search, a consumer, a bill, the counter), in English and Hindi, at 360 px and at a
desktop width. Any violation of a WCAG 2 A/AA rule with impact "serious" or "critical" fails the test;
each is printed with its rule, the element and the rule's help.

axe-core is vendored in tests/browser/vendor/ (scripts/vendor_js.sh, from package-lock.json)."""

from __future__ import annotations

import importlib
import json
import subprocess
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings

from urja.helpdesk.models import Category, TheftRate
from urja.helpdesk.seed import seed_helpdesk
from urja.payments.tests.counter_fixtures import counter_desk
from urja.portal import session as portal_session
from urja.portal.account_views import SESSION_PENDING
from urja.portal.tests.test_account_pages import make_bill
from urja.testing import TEST_PASSWORD, ConsumerFactory

from .test_portal_requests import screenshot, sign_in

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.clock("2026-11-30T12:00+05:30"),
]
AXE_SOURCE = (Path(__file__).parent / "vendor" / "axe.min.js").read_text() + "\n;undefined"
WCAG_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
FAILING = {"serious", "critical"}
WIDTHS = {"phone": {"width": 360, "height": 640}, "desktop": {"width": 1280, "height": 800}}
SEED_CHARGES = importlib.import_module("urja.connections.migrations.0003_seed_connection_charges")


def axe_violations(page) -> list[dict]:
    """axe's violations of the WCAG A/AA rules on the page as it is now."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        # evaluated through the DevTools protocol: the page's Content-Security-Policy stays as it is
        page.evaluate(AXE_SOURCE)
    result = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})",
        WCAG_AA,
    )
    return result["violations"]


# Marks every element whose own text has Devanagari letters; returns how many.
MARK_DEVANAGARI = """() => {
  let n = 0;
  for (const el of document.querySelectorAll('body *')) {
    const own = [...el.childNodes].filter(c => c.nodeType === 3).map(c => c.data).join('');
    if (/[\u0900-\u097f]/.test(own) && el.getClientRects().length) { el.dataset.a11yDeva = ''; n++; }
  }
  return n;
}"""


def undrawn_devanagari(page) -> list[str]:
    """Elements whose Devanagari the browser draws with a font that has none (boxes for letters): a font
    stack that puts `system-ui` first lets the platform claim the script before the web font does. The
    fonts are those Chromium itself used for the text (DevTools' CSS.getPlatformFontsForNode)."""
    page.evaluate("document.fonts.ready.then(() => true)")
    if not page.evaluate(MARK_DEVANAGARI):
        return []
    cdp = page.context.new_cdp_session(page)
    try:
        cdp.send("DOM.enable")
        cdp.send("CSS.enable")
        root = cdp.send("DOM.getDocument", {"depth": 0})["root"]["nodeId"]
        nodes = cdp.send("DOM.querySelectorAll", {"nodeId": root, "selector": "[data-a11y-deva]"})["nodeIds"]
        bad = []
        for node in nodes[:150]:
            fonts = cdp.send("CSS.getPlatformFontsForNode", {"nodeId": node})["fonts"]
            if fonts and not any("Devanagari" in font["familyName"] for font in fonts):  # [] = not drawn
                html = cdp.send("DOM.getOuterHTML", {"nodeId": node})["outerHTML"]
                used = ", ".join(font["postScriptName"] for font in fonts)
                bad.append(f"{html[:120]} (drawn with {used})")
        return bad
    finally:
        cdp.detach()


def describe(where: str, violation: dict) -> list[str]:
    lines = [f"{where}: {violation['id']} ({violation['impact']}) {violation['help']}"]
    for node in violation["nodes"][:5]:
        summary = (node.get("failureSummary") or "").replace("\n", " ")
        lines.append(f"    {json.dumps(node['target'])}  {summary[:200]}")
    return lines


class Checker:
    """Opens pages and collects the serious or critical violations of each (printed at the end)."""

    def __init__(self, page, base_url, label, tmp_path):
        self.page, self.base_url, self.label, self.tmp_path = page, base_url, label, tmp_path
        self.problems: list[str] = []
        self.checked: list[str] = []

    def visit(self, path: str, status: int = 200) -> None:
        response = self.page.goto(f"{self.base_url}{path.split(' ')[0]}")
        assert response is not None and response.status == status, (path, response and response.status)
        self.check(path)

    def check(self, name: str) -> None:
        self.page.wait_for_load_state("load")
        self.page.evaluate("document.fonts.ready.then(() => true)")
        self.checked.append(name)
        violations = axe_violations(self.page)
        print(f"[{self.label}] {name}: {len(violations)} WCAG A/AA violations")
        for violation in violations:
            line = describe(f"[{self.label}] {name}", violation)
            print("\n".join(line))
            if violation["impact"] in FAILING:
                self.problems.extend(line)
        for element in undrawn_devanagari(self.page):
            line = f"[{self.label}] {name}: Devanagari without a Devanagari font: {element}"
            print(line)
            self.problems.append(line)
        screenshot(self.page, self.tmp_path, f"a11y-{self.label}{name.replace('/', '-').rstrip('-')}")


def test_the_check_finds_what_it_must(page):
    """The checker itself: a page with a nameless button, an unlabelled input, grey-on-white text and
    no lang fails it (so a clean result on the real pages means something)."""
    page.set_content(
        "<html><head><title>t</title></head><body><main><button></button><input type=text>"
        "<p style='color:#aaa;background:#fff'>faint</p></main></body></html>"
    )
    found = {v["id"]: v["impact"] for v in axe_violations(page)}
    assert {"button-name", "label", "color-contrast", "html-has-lang"} <= found.keys(), found
    assert {found[rule] for rule in ("button-name", "color-contrast")} <= FAILING


def test_the_font_check_sees_boxes_for_letters(page):
    """Devanagari in a font stack the platform claims first is reported (on a machine with no
    Devanagari font of its own, as CI's: elsewhere the platform draws it and there is nothing to see)."""
    if subprocess.run(["fc-list", ":lang=hi"], capture_output=True, text=True).stdout.strip():
        pytest.skip("this machine has a Devanagari system font")
    page.set_content("<html lang=hi><body><p style='font-family: system-ui'>बिजली बिल</p></body></html>")
    assert len(undrawn_devanagari(page)) == 1


@pytest.fixture
def portal_world(two_subdivisions):
    seed_helpdesk(Category, TheftRate)
    SEED_CHARGES.seed(apps, None)  # a transactional test's flush removed the seeded rates
    desk = counter_desk(two_subdivisions)
    consumer = ConsumerFactory(office=two_subdivisions["dc_a"], mobile="9876512345", name="Ravi Kumar")
    desk["consumer"] = consumer
    desk["bill"] = make_bill(consumer, "2026-10", "1450.00")
    return desk


def staff_login(page, base_url, username):
    page.goto(f"{base_url}/staff/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", TEST_PASSWORD)
    page.click("form:has(#id_password) button[type=submit]")
    page.wait_for_load_state("load")


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("language", ["en", "hi"])
def test_key_pages_have_no_serious_accessibility_violations(
    browser, live_server, portal_world, tmp_path, language, width
):
    context = browser.new_context(viewport=WIDTHS[width], locale="en-IN")
    language_cookie = {"name": settings.LANGUAGE_COOKIE_NAME, "value": language, "url": live_server.url}
    page = context.new_page()
    check = Checker(page, live_server.url, f"{language}-{width}", tmp_path)
    consumer, world = portal_world["consumer"], portal_world

    # the portal, signed out: the first visit asks for a language
    context.clear_cookies()
    check.visit("/ (first visit)")
    context.add_cookies([language_cookie])
    check.visit("/")
    check.visit("/pay/start/?account=1234567890", status=422)  # a wrong check digit: the error
    page.fill("#account", consumer.account_number)
    page.click("main button[type=submit]")
    check.check("/pay/start/?account")  # the amount page
    check.visit("/login/")
    page.fill("#identifier", "12")
    page.click("[data-testid=send-code]")
    check.check("/login/ (error)")
    sign_in(page, live_server, **{SESSION_PENDING: {"mobile": consumer.mobile, "purpose": "login",
                                                    "next": "/account/", "hint": "XXXXXX2345"}})  # fmt: skip
    check.visit("/login/code/")
    page.fill("#code", "000000")
    page.click("[data-testid=verify]")
    check.check("/login/code/ (wrong code)")
    # the portal, signed in (a consumer, who is also an applicant)
    sign_in(page, live_server, **{portal_session.SESSION_MOBILE: consumer.mobile,
                                  portal_session.SESSION_ACCOUNTS: [consumer.pk],
                                  portal_session.SESSION_CURRENT: consumer.pk,
                                  portal_session.SESSION_APPLICANT: consumer.mobile})  # fmt: skip
    check.visit("/account/")
    check.visit("/complaints/new/")
    check.visit("/apply/")
    # the staff console: an SDO lands on the office's inbox
    context.clear_cookies()
    context.add_cookies([language_cookie])
    check.visit("/staff/login/")
    page.fill("#id_username", "sdo_a")
    page.fill("#id_password", "not-the-password")
    page.click("form:has(#id_password) button[type=submit]")
    check.check("/staff/login/ (wrong password)")
    staff_login(page, live_server.url, "sdo_a")
    check.check("/staff/work/ (where an SDO lands)")
    check.visit("/staff/?q=Ravi")
    check.visit(f"/staff/consumers/{consumer.account_number}/")
    check.visit(f"/staff/billing/bills/{world['bill'].pk}/")
    # the counter: a cashier opens the day's cash book and finds an account
    context.clear_cookies()
    context.add_cookies([language_cookie])
    staff_login(page, live_server.url, "cashier_a")
    check.visit(f"/staff/payments/counters/{world['counter_a'].id}/")
    page.click("form[action$='/open/'] button[type=submit]")
    page.wait_for_load_state("load")
    page.fill("#id_account", consumer.account_number)
    page.click("form:has(#id_account) button[type=submit]")
    page.wait_for_selector("[data-testid=payment-form]")
    check.check("/staff/payments/books/ (take payment)")
    context.close()

    print(f"[{check.label}] checked {len(check.checked)} pages: {', '.join(check.checked)}")
    assert check.problems == [], "serious or critical accessibility violations:\n" + "\n".join(check.problems)
