"""The staff console on a 360 x 640 phone: a short header, the role's jobs one tap away at the bottom,
no sideways scrolling on the consumer list and the counter pages, touch targets of at least 44 px,
and only the subset WOFF2 fonts downloaded."""

import pytest

from urja.payments.models import Payment
from urja.payments.tests.counter_fixtures import bill, counter_desk
from urja.testing import TEST_PASSWORD, ConsumerFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WIDTH, HEIGHT = 360, 640


@pytest.fixture
def phone(browser):
    context = browser.new_context(
        viewport={"width": WIDTH, "height": HEIGHT}, locale="hi-IN", device_scale_factor=2
    )
    page = context.new_page()
    fonts = []
    page.on("request", lambda r: fonts.append(r.url) if r.resource_type == "font" else None)
    page.fonts = fonts
    yield page
    context.close()


def _login(page, live_server, username):
    page.goto(f"{live_server.url}/staff/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", TEST_PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_load_state("networkidle")


def _no_sideways_scroll(page):
    # measured as laid out in the web font: on a machine with no Devanagari font of its own (CI's) the
    # header's "हिन्दी" is drawn as wider boxes until the font arrives, and the check was flaky
    page.wait_for_load_state("load")
    page.evaluate("document.fonts.ready.then(() => document.fonts.size)")
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 0, f"{page.url} scrolls sideways by {overflow}px"


def _small_targets(page):
    """Visible links, buttons, summaries and inputs in the header, the job bar and the page smaller
    than 44 x 44 px (links inside running text are exempt, as WCAG 2.5.8 allows)."""
    return page.evaluate(
        """() => [...document.querySelectorAll('header a, header button, nav a, nav summary, main button, main .button, main input:not([type=hidden]), main select, main summary, main td a, main li > a:only-child')]
        .filter(e => e.offsetParent !== null || getComputedStyle(e).position === 'fixed')
        .map(e => [e, e.getBoundingClientRect()])
        .filter(([e, r]) => r.width > 0 && (r.height < 43.5 || r.width < 43.5))
        .filter(([e, r]) => !(e.tagName === 'INPUT' && ['radio', 'checkbox'].includes(e.type) && e.closest('label')))
        .filter(([e, r]) => !(e.tagName === 'A' && e.closest('td') && r.height >= 24))
        .map(([e, r]) => `${e.tagName} "${(e.textContent || e.name || '').trim().slice(0, 30)}" ${Math.round(r.width)}x${Math.round(r.height)}`)"""
    )


def test_cashier_on_a_phone(phone, live_server, two_subdivisions):
    desk = counter_desk(two_subdivisions)
    consumer = desk["consumer_a"]
    bill(consumer, "1234.50")
    for n in range(8):
        ConsumerFactory(
            office=desk["dc_a"], name=f"Ramesh Kumar Srivastava {n}", village_town="Rampur Mathura Khurd"
        )
    _login(phone, live_server, "cashier_a")

    # lands on the counters, the header is short, the jobs are one tap away at the bottom
    assert phone.url.endswith("/staff/payments/")
    header = phone.locator("[data-testid=header]").bounding_box()
    assert header["height"] <= 0.15 * HEIGHT, header
    bar = phone.locator("ul.job-bar").bounding_box()
    assert bar["y"] + bar["height"] == pytest.approx(HEIGHT, abs=1) and bar["height"] <= 80
    assert phone.locator("[data-testid=nav-counters]").is_visible()
    assert phone.locator("[data-testid=nav-consumers]").is_visible()
    assert _small_targets(phone) == []
    _no_sideways_scroll(phone)

    # the counter page, with a payment taken
    phone.click(f'main a[href="/staff/payments/counters/{desk["counter_a"].id}/"] >> nth=0')
    phone.click("form[action$='/open/'] button[type=submit]")
    phone.fill("#id_account", consumer.account_number)
    phone.click("form.lookup button[type=submit]")
    phone.wait_for_selector("[data-testid=payment-form]")
    _no_sideways_scroll(phone)
    assert _small_targets(phone) == []
    # the UPI reference is asked for UPI only
    assert not phone.is_visible("[data-reference]")
    phone.check("input[name=mode][value=upi_counter]")
    assert phone.is_visible("[data-reference]")
    phone.check("input[name=mode][value=cash]")
    # more than the dues: asked to confirm the advance, then the receipt in one step
    phone.fill("[data-testid=payment-form] input[name=amount]", "1500")
    phone.click("[data-testid=payment-form] button[type=submit]")
    phone.wait_for_selector("[data-testid=advance-confirm]")
    assert not Payment.objects.exists()
    _no_sideways_scroll(phone)
    phone.check("[data-testid=advance-confirm] input[type=checkbox]")
    phone.click("[data-testid=payment-form] button[type=submit]")
    phone.wait_for_selector("[data-testid=receipt-number]")
    assert Payment.objects.get().amount == 1500
    _no_sideways_scroll(phone)

    # the consumer list: cards, not a table wider than the screen
    phone.click("[data-testid=nav-consumers]")
    phone.fill("#id_q", "Ramesh Rampur")
    phone.press("#id_q", "Enter")
    phone.wait_for_selector("[data-testid=result-count]")
    _no_sideways_scroll(phone)
    assert _small_targets(phone) == []
    label = phone.evaluate(
        "getComputedStyle(document.querySelector('[data-testid=results] td'), '::before').content"
    )
    assert label.strip('"') in ("खाता संख्या", "Account number")

    # "More" opens the rest of the jobs above the bar, each reachable
    phone.click("[data-testid=nav-more]")
    assert (
        phone.locator("[data-testid=nav-quote]").is_visible()
        or phone.locator("[data-testid=nav-unindexed]").is_visible()
    )

    # visible focus
    phone.focus("[data-testid=nav-consumers]")
    phone.keyboard.press("Tab")
    outline = phone.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline != "none"

    # only the subset fonts, never the TTFs
    assert phone.fonts, "a Hindi page loads the Devanagari web font"
    assert all(url.endswith(".woff2") for url in phone.fonts), phone.fonts
