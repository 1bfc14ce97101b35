"""The command centre in Chromium: a discom's management clicks down from the discom to a DT and back,
on a desktop, on a 360 px phone and on a wall screen; the figures and the breadcrumb follow."""

import pytest

from urja.mis.tests.test_dashboard import build_division
from urja.org.choices import Role
from urja.testing import TEST_PASSWORD, UserFactory

from .test_accessibility import FAILING, axe_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def login(page, live_server, username):
    page.goto(f"{live_server.url}/staff/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", TEST_PASSWORD)
    page.click("button[type=submit]:has-text('Log in')")


def fits(page):
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")


def atc(page):
    return page.inner_text("[data-testid=kpi-atc] [data-value]")


def current(page):
    return page.inner_text("[data-testid=crumb-current]")


def serious(page):
    return [
        (v["id"], [n["target"] for n in v["nodes"]][:3])
        for v in axe_violations(page)
        if v["impact"] in FAILING
    ]


def go(page, selector):
    """Follow a link and wait until the new page's script has drawn its chart."""
    with page.expect_navigation():
        page.click(selector)
    page.wait_for_selector("[data-testid=trend-chart] canvas")


def drill_down(page, shots, tag):
    assert current(page) == "EA-DIS" and atc(page) == "68.89%"
    for code in ("EA-ZON", "EA-CIR", "EA-DIV"):
        go(page, f"[data-testid=children] [data-testid=drill-{code}]")
        assert current(page) == code
    assert atc(page) == "68.89%"
    assert page.locator("[data-testid=league-row]").count() == 2
    assert page.locator("[data-testid=heat-row]").count() == 2
    page.screenshot(path=shots / f"{tag}-division.png", full_page=True)
    go(page, "[data-testid=children] [data-testid=drill-EA-SUB]")
    assert current(page) == "EA-SUB" and atc(page) == "64.00%"
    go(page, "[data-testid=children] [data-testid=drill-FA]")
    assert current(page) == "FA" and atc(page) == "64.00%"
    assert page.locator("[data-testid=children-row]").evaluate_all(
        "rows => rows.map(r => r.dataset.code)"
    ) == [
        "A2",
        "A1",
    ]
    go(page, "[data-testid=children] [data-testid=drill-A1]")
    assert current(page) == "A1" and atc(page) == "55.00%"
    crumbs = page.locator("[data-testid=breadcrumb] a").all_inner_texts()
    assert crumbs == ["EA-DIS", "EA-ZON", "EA-CIR", "EA-DIV", "EA-SUB", "FA"]
    assert page.inner_text("[data-testid=kpi-complaints_open] [data-value]") == "—"
    page.screenshot(path=shots / f"{tag}-dt.png", full_page=True)
    go(page, "[data-testid=crumb-EA-DIV]")
    assert current(page) == "EA-DIV" and atc(page) == "68.89%"


def test_drill_down_from_discom_to_dt(browser, live_server, shots):
    division = build_division()
    UserFactory(username="md", role=Role.MANAGEMENT, office=division["discom"])
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-IN")
    page = context.new_page()
    errors = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    try:
        login(page, live_server, "md")
        assert page.url.endswith("/staff/ucc/")  # management lands on the command centre
        page.goto(f"{live_server.url}/staff/ucc/?period=2025-07")
        page.wait_for_selector("[data-testid=trend-chart] canvas")  # uPlot drew the trend
        assert serious(page) == []
        drill_down(page, shots, "desktop")
        assert errors == []
        assert serious(page) == []
        # Auto-refresh: the figures come again from the JSON endpoint and "Updated at" is rewritten.
        with page.expect_response(lambda r: "/staff/ucc/data.json" in r.url and r.status == 200):
            page.evaluate(
                "document.querySelector('[data-testid=ucc]').dispatchEvent(new Event('ucc:refresh'))"
            )
        page.wait_for_function(
            "document.querySelector('[data-testid=kpi-atc] [data-value]').textContent === '68.89%'"
        )
        assert page.inner_text("[data-testid=updated-at]").startswith("Updated at")
        # Outside the user's discom: 404.
        response = page.goto(f"{live_server.url}/staff/ucc/?office=NOWHERE")
        assert response.status == 404
    finally:
        context.close()


def test_drill_down_on_a_phone_and_a_wall_screen(browser, live_server, shots):
    division = build_division()
    UserFactory(username="md", role=Role.MANAGEMENT, office=division["discom"])
    phone = browser.new_context(viewport={"width": 360, "height": 740}, locale="en-IN")
    page = phone.new_page()
    try:
        login(page, live_server, "md")
        page.goto(f"{live_server.url}/staff/ucc/?period=2025-07")
        assert fits(page)
        drill_down(page, shots, "phone")
        wide = page.evaluate(
            "[...document.querySelectorAll('body *')].filter(e => e.getBoundingClientRect().right > innerWidth + 1)"
            ".map(e => e.tagName + '.' + e.className + ' ' + e.getBoundingClientRect().right).slice(0, 8)"
        )
        assert fits(page), wide
        height = page.evaluate(
            "document.querySelector('[data-testid=drill-EA-SUB]').getBoundingClientRect().height"
        )
        assert height >= 44
        with page.expect_navigation():
            page.click("button:has-text('हिन्दी')")
        assert "कमांड सेंटर" in page.content()
        assert fits(page)
        assert serious(page) == []
        page.screenshot(path=shots / "phone-hindi.png", full_page=True)
    finally:
        phone.close()
    wall = browser.new_context(viewport={"width": 1920, "height": 1080}, locale="en-IN")
    page = wall.new_page()
    try:
        login(page, live_server, "md")
        page.goto(f"{live_server.url}/staff/ucc/?period=2025-07&wall=1")
        size = page.evaluate(
            "parseFloat(getComputedStyle(document.querySelector('[data-testid=kpi-atc] [data-value]')).fontSize)"
        )
        assert size >= 40
        go(page, "[data-testid=children] [data-testid=drill-EA-ZON]")
        assert "wall=1" in page.url  # the drill-down keeps the wall mode
        page.screenshot(path=shots / "wall.png")
    finally:
        wall.close()
