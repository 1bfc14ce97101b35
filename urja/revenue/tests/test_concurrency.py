"""Races on PostgreSQL: two officers raising the same consumer at once, or one POST sent twice at once,
make one case and one work order."""

import pytest

from urja.revenue import services
from urja.revenue.models import InspectionCase
from urja.testing import run_concurrently
from urja.workflow.models import WorkOrder

from .conftest import PERIOD, steady

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
    pytest.mark.clock("2026-11-15T10:00:00+05:30"),
]


@pytest.mark.parametrize("same_key", [True, False])
def test_concurrent_raises_make_one_case(two_subdivisions, same_key):
    s = two_subdivisions
    suspect = steady(s["dc_a"], history=200, now=0)
    users = [s["je_a"], s["sdo_a"]]

    def raise_(i):
        key = "same" if same_key else f"key-{i}"
        return services.case_raise(consumer=suspect, period=PERIOD, by=users[i], key=key)

    results = run_concurrently(2, raise_)
    assert InspectionCase.objects.count() == 1, results
    assert WorkOrder.objects.count() == 1
    cases = [r for r in results if isinstance(r, InspectionCase)]
    assert cases, results
    if same_key:
        assert len(cases) == 2 and cases[0].pk == cases[1].pk
