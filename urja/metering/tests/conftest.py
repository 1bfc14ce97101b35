import datetime

import pytest

from urja.common import clock


@pytest.fixture
def today() -> datetime.date:
    return clock.today()


@pytest.fixture
def day0(today) -> datetime.date:
    """A date far enough back for a few monthly readings before today."""
    return today - datetime.timedelta(days=200)
