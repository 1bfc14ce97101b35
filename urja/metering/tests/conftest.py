import datetime

import pytest
from django.utils import timezone


@pytest.fixture
def today() -> datetime.date:
    return timezone.localdate()


@pytest.fixture
def day0(today) -> datetime.date:
    """A date far enough back for a few monthly readings before today."""
    return today - datetime.timedelta(days=200)
