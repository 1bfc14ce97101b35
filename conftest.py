"""Project-wide pytest fixtures."""

import os

import pytest


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


@pytest.fixture
def two_subdivisions(db):
    """Two sub-divisions of one division, each with one DC, a JE at each DC, an SDO at each
    sub-division, and a consumer in each DC."""
    from urja.common.testing import ConsumerFactory, OfficeFactory, UserFactory, office_chain
    from urja.org.choices import OfficeLevel, Role

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
    from urja.tariffs.models import FppasRate, TariffVersion
    from urja.tariffs.seed import seed_default_tariffs

    seed_default_tariffs(TariffVersion, FppasRate)


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
