import datetime
from decimal import Decimal

import pytest

from urja.demo.billing import DEMO_FPPAS_SOURCE, demo_fppas_orders
from urja.tariffs.models import FppasRate

pytestmark = pytest.mark.django_db


@pytest.mark.no_fppas_orders
def test_the_demo_enters_marked_zero_orders_only_for_bill_months_without_one():
    cycles = [datetime.date(2025, 11, 1), datetime.date(2025, 12, 1), datetime.date(2026, 1, 1)]

    assert demo_fppas_orders(cycles) == ["2026-02"]  # bills of Nov/Dec are raised in Dec (5.56%)/Jan (-2.33%)
    assert FppasRate.objects.get(month="2026-02").percent == 0
    assert FppasRate.objects.get(month="2026-02").source == DEMO_FPPAS_SOURCE
    assert FppasRate.objects.get(month="2026-01").percent == Decimal("-2.33")
    assert demo_fppas_orders(cycles) == []
