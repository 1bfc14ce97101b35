"""Project-wide pytest fixtures."""

import datetime
import os

import pytest
import time_machine
from hypothesis import settings as hypothesis_settings

# Property tests draw the same examples on every run and machine (a failure is reproducible and CI is
# not red by chance); HYPOTHESIS_PROFILE=explore draws new ones, for looking harder.
hypothesis_settings.register_profile("urja", derandomize=True, print_blob=True)
hypothesis_settings.register_profile("explore", derandomize=False, max_examples=2000)
hypothesis_settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "urja"))

#: The instant every test starts at unless it sets its own (a Saturday near the end of a month, at noon
#: in IST). `URJA_TEST_NOW=2028-02-29T23:30+05:30 make test-sqlite` runs the whole suite on
#: another day; `make test-any-day` does so for the awkward ones (month end, 1 April, a leap day, a
#: year ahead). No test reads the machine's real date.
DEFAULT_TEST_NOW = "2026-11-28T12:00:00+05:30"


def test_now() -> datetime.datetime:
    value = datetime.datetime.fromisoformat(os.environ.get("URJA_TEST_NOW") or DEFAULT_TEST_NOW)
    if value.tzinfo is None:
        raise ValueError("URJA_TEST_NOW needs a UTC offset, e.g. 2027-04-01T00:30+05:30")
    return value


test_now.__test__ = False  # not a test


@pytest.fixture(autouse=True)
def travel(request):
    """Every test runs on a clock it sets: `DEFAULT_TEST_NOW` (or `URJA_TEST_NOW`), or the instant of
    its `@pytest.mark.clock("2027-04-01T00:30+05:30")` marker. The clock ticks from there. A test moves
    it with `travel.move_to(...)` or `travel.shift(datetime.timedelta(days=1))`."""
    marker = request.node.get_closest_marker("clock")
    start = datetime.datetime.fromisoformat(marker.args[0]) if marker else test_now()
    with time_machine.travel(start, tick=True) as traveller:
        yield traveller


def pytest_collection_modifyitems(config, items):
    """`postgres` tests run only when the database is PostgreSQL; CI runs the suite there too."""
    from django.conf import settings

    on_postgres = settings.DATABASES["default"]["ENGINE"].endswith("postgresql")
    skip_pg = pytest.mark.skip(
        reason="needs PostgreSQL: set DATABASE_URL=postgres://postgres@127.0.0.1:5432/urja"
    )
    for item in items:
        if "postgres" in item.keywords and not on_postgres:
            item.add_marker(skip_pg)


#: The source of the 0% FPPAS orders the suite enters for months that have no seeded order.
TEST_FPPAS_SOURCE = "test: an FPPAS order of 0% (conftest fppas_orders)"


@pytest.fixture(autouse=True)
def fppas_orders(request, travel):
    """A bill month with no FPPAS order is an error (issue 8, rule 5), so every test that uses the
    database gets an order of 0% for each month from three years before its clock to a year after that
    has no seeded order. A test of the missing-order rule says `@pytest.mark.no_fppas_orders`."""
    marker = request.node.get_closest_marker("django_db")
    names = request.fixturenames
    if request.node.get_closest_marker("no_fppas_orders") or not (
        marker or {"db", "transactional_db", "django_db_reset_sequences"} & set(names)
    ):
        return
    transactional = "transactional_db" in names or bool(marker and marker.kwargs.get("transaction"))
    request.getfixturevalue("transactional_db" if transactional else "db")
    from urja.common import clock
    from urja.domain.rules import add_months
    from urja.tariffs.models import FppasRate

    first = add_months(clock.today().replace(day=1), -36)
    months = [f"{day:%Y-%m}" for day in (add_months(first, k) for k in range(50))]
    have = set(FppasRate.objects.filter(month__in=months).values_list("month", flat=True))
    FppasRate.objects.bulk_create(
        [FppasRate(month=m, percent=0, source=TEST_FPPAS_SOURCE) for m in months if m not in have],
        ignore_conflicts=True,
    )


@pytest.fixture(autouse=True)
def message_templates(request, fppas_orders):
    """The SMS templates are data seeded by a migration; a transactional test empties every table, so
    tests after it get them again (urja/notifications/seed.py)."""
    marker = request.node.get_closest_marker("django_db")
    if not (marker or {"db", "transactional_db", "django_db_reset_sequences"} & set(request.fixturenames)):
        return
    transactional = "transactional_db" in request.fixturenames or bool(
        marker and marker.kwargs.get("transaction")
    )
    request.getfixturevalue("transactional_db" if transactional else "db")
    from urja.notifications.models import MessageTemplate
    from urja.notifications.seed import templates_seed

    if not MessageTemplate.objects.exists():
        templates_seed(MessageTemplate)


@pytest.fixture
def two_subdivisions(db):
    """Two sub-divisions of one division, each with one DC, a JE at each DC, an SDO at each
    sub-division, and a consumer in each DC."""
    from urja.org.choices import OfficeLevel, Role
    from urja.testing import ConsumerFactory, OfficeFactory, UserFactory, office_chain

    chain = office_chain("T", down_to=OfficeLevel.DIVISION)
    division = chain[OfficeLevel.DIVISION]
    result = {"division": division, "discom": chain[OfficeLevel.DISCOM]}
    for key in ("a", "b"):
        sub = OfficeFactory(
            code=f"SUB-{key.upper()}",
            name=f"Sub-division {key.upper()}",
            level=OfficeLevel.SUBDIVISION,
            parent=division,
        )
        dc = OfficeFactory(
            code=f"DC-{key.upper()}", name=f"DC {key.upper()}", level=OfficeLevel.DC, parent=sub
        )
        result[f"sub_{key}"] = sub
        result[f"dc_{key}"] = dc
        result[f"je_{key}"] = UserFactory(username=f"je_{key}", role=Role.JE, office=dc)
        result[f"sdo_{key}"] = UserFactory(username=f"sdo_{key}", role=Role.SDO, office=sub)
        result[f"consumer_{key}"] = ConsumerFactory(office=dc, name=f"Consumer of {key.upper()}")
    return result


@pytest.fixture
def tariffs(db):
    """The seeded tariff, also in transactional tests (whose flush removes migration data)."""
    from urja.tariffs.models import FppasRate, NormativeUsage, TariffVersion
    from urja.tariffs.seed import FPPAS, seed_default_tariffs, seed_normative_usage
    from urja.tariffs.seed_hv import seed_hv_tariffs

    # the seeded orders replace the 0% test orders `fppas_orders` may have entered for their months
    FppasRate.objects.filter(month__in=[m for m, _, _ in FPPAS], source=TEST_FPPAS_SOURCE).delete()
    seed_default_tariffs(TariffVersion, FppasRate)
    seed_normative_usage(NormativeUsage)
    seed_hv_tariffs(TariffVersion)


@pytest.fixture(autouse=True)
def _reset_language():
    """A request in Hindi leaves Hindi active in the thread; every test starts in English."""
    from django.utils import translation

    translation.activate("en")
    yield
    translation.activate("en")


@pytest.fixture(autouse=True)
def _clear_cache():
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


os.environ.setdefault("URJA_TESTING", "1")


# The one headless Chromium of the session, for every browser test wherever it lives (tests/browser/
# and an app's own browser tests): two Playwright instances in one process cannot coexist.
@pytest.fixture(scope="session")
def browser():
    # Playwright's sync API runs an event loop in this thread; Django's ORM then refuses to run in
    # the test body unless told that this is safe (it is: one thread, no real async code).
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    from playwright.sync_api import sync_playwright

    from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield browser
        browser.close()
