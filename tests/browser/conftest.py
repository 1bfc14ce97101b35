"""Browser tests: Debian's Chromium driven by Playwright against Django's live server."""

import os
import shutil
from pathlib import Path

import pytest

CHROMIUM = os.environ.get("URJA_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]


def pytest_collection_modifyitems(config, items):
    if not (os.path.exists(CHROMIUM) or shutil.which("chromium")):
        if os.environ.get("CI"):
            return  # in CI a missing browser must fail loudly, not skip
        skip = pytest.mark.skip(reason=f"Chromium not found at {CHROMIUM} (apt-get install chromium)")
        for item in items:
            if "browser" in item.keywords:
                item.add_marker(skip)


@pytest.fixture
def page(browser, tmp_path):
    context = browser.new_context(viewport={"width": 400, "height": 800}, locale="en-IN")
    page = context.new_page()
    yield page
    context.close()


#: Screenshots of key pages saved by the browser tests, kept after the run for a person to look at
#: (git-ignored; URJA_SCREENSHOTS_DIR moves them).
SCREENSHOTS = Path(
    os.environ.get("URJA_SCREENSHOTS_DIR") or Path(__file__).resolve().parents[2] / "build" / "screenshots"
)


@pytest.fixture
def shots(request):
    """This test's screenshot folder: build/screenshots/<module>/<test>/."""
    folder = (
        SCREENSHOTS / request.node.module.__name__.rsplit(".", 1)[-1] / request.node.name.replace("/", "_")
    )
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def font_loaded(page, family: str, timeout_ms: int = 10_000) -> bool:
    """Whether the page loads the web font `family` within `timeout_ms`. `document.fonts.ready` alone
    is not enough: it can resolve before the browser has even started fetching a face the text needs
    (the CI saw that one run in three on a busy machine), so wait for the face itself to be loaded."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    try:
        page.wait_for_function(
            "family => [...document.fonts].some(f => f.family.replaceAll('\"', '') === family"
            " && f.status === 'loaded')",
            arg=family,
            timeout=timeout_ms,
        )
    except PlaywrightTimeout:
        return False
    return True
