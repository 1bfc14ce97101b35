import pytest

from .fakes import FakeProvider


@pytest.fixture
def fake_provider(settings):
    FakeProvider.reset()
    settings.URJA_NOTIFICATIONS = {
        **settings.URJA_NOTIFICATIONS,
        "SMS_PROVIDER": "urja.notifications.tests.fakes.FakeProvider",
    }
    yield FakeProvider
    FakeProvider.reset()
