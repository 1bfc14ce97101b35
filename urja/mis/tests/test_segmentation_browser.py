"""The segmentation page on a 360 px phone: nothing overflows sideways, the chart and matrix draw, and a
class's list opens from its card."""

from pathlib import Path

import pytest
from django.test import override_settings

from tests.browser.test_accessibility import FAILING, axe_violations
from urja.mis.tests.test_segmentation import JUNE, build_area
from urja.testing import TEST_PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = Path(__file__).resolve().parents[3] / "build" / "screenshots" / "segmentation"


@override_settings(URJA_SEGMENTATION={"MIN_GROUP": 5})
@pytest.mark.parametrize("language", ["en", "hi"])
def test_the_page_fits_a_phone_and_opens_a_list(browser, live_server, two_subdivisions, language):
    build_area(two_subdivisions)
    sdo = two_subdivisions["sdo_a"]
    sdo.preferred_language = language
    sdo.save()
    context = browser.new_context(viewport={"width": 360, "height": 740}, locale="en-IN")
    page = context.new_page()
    page.goto(f"{live_server.url}/staff/login/")
    page.fill("#id_username", sdo.username)
    page.fill("#id_password", TEST_PASSWORD)
    page.click("button[type=submit]:has-text('Log in')")
    page.wait_for_load_state()
    page.goto(f"{live_server.url}/staff/segments/?period={JUNE}")
    assert page.locator("[data-testid=share-chart] rect").count() >= 3
    assert page.locator("[data-testid=movement-chart] rect").count() == 9
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
    serious = [v["id"] for v in axe_violations(page) if v["impact"] in FAILING]
    assert serious == []
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"report-{language}.png"), full_page=True)
    page.click("[data-testid=list-high]")
    assert page.locator("[data-testid=member-row]").count() == 2
    assert [v["id"] for v in axe_violations(page) if v["impact"] in FAILING] == []
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
    page.screenshot(path=str(SHOTS / f"list-{language}.png"), full_page=True)
    context.close()
