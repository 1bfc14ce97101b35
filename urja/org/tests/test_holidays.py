import datetime as dt

import pytest

from urja.org.choices import OfficeLevel
from urja.org.models import Holiday
from urja.org.selectors import holiday_dates
from urja.testing import office_chain

pytestmark = pytest.mark.django_db


def test_state_and_local_holidays_reach_the_offices_under_them():
    chain = office_chain("HL")
    other = office_chain("HX", parent=chain[OfficeLevel.CIRCLE])
    Holiday.objects.create(date=dt.date(2026, 10, 20), name="Dussehra")
    Holiday.objects.create(date=dt.date(2026, 11, 5), name="Local fair", office=chain[OfficeLevel.DIVISION])
    dc = chain[OfficeLevel.DC]
    october, november_end = dt.date(2026, 10, 1), dt.date(2026, 11, 30)
    assert holiday_dates(october, november_end, dc) == {dt.date(2026, 10, 20), dt.date(2026, 11, 5)}
    assert holiday_dates(october, november_end) == {dt.date(2026, 10, 20)}
    assert holiday_dates(dt.date(2026, 10, 21), dt.date(2026, 11, 4), dc) == frozenset()
    assert holiday_dates(october, november_end, other[OfficeLevel.DC]) == {dt.date(2026, 10, 20)}
