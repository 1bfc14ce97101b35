import pytest

from urja.helpdesk.models import Category, TheftRate
from urja.helpdesk.seed import seed_helpdesk
from urja.org.choices import OfficeLevel, Role
from urja.testing import ConsumerFactory, TransformerFactory, UserFactory


@pytest.fixture
def helpdesk(two_subdivisions):
    """two_subdivisions plus the seeded categories, a helpdesk agent at the division, an EE, and a
    consumer in DC-A indexed to a DT of DC-A."""
    seed_helpdesk(Category, TheftRate)
    s = dict(two_subdivisions)
    s["agent"] = UserFactory(username="agent", role=Role.HELPDESK, office=s["division"])
    s["agent_b"] = UserFactory(username="agent_b", role=Role.HELPDESK, office=s["sub_b"])
    s["ee"] = UserFactory(username="ee", role=Role.EE, office=s["division"])
    s["cashier"] = UserFactory(username="cashier", role=Role.CASHIER, office=s["division"])
    s["dt_a"] = TransformerFactory(office=s["dc_a"])
    s["indexed"] = ConsumerFactory(office=s["sub_a"], dt=s["dt_a"], mobile="9876543210")
    s["cat"] = {c.code: c for c in Category.objects.all()}
    assert s["division"].level == OfficeLevel.DIVISION
    return s
