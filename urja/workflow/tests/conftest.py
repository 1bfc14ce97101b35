import pytest

from urja.org.choices import OfficeLevel, Role
from urja.testing import OfficeFactory, UserFactory, office_chain
from urja.workflow import registry
from urja.workflow.choices import WorkOrderKind

from .definitions import TEST_PROCESS


@pytest.fixture
def calls():
    return []


@pytest.fixture
def process(calls):
    """TEST_PROCESS registered: entering "inspection" creates a site-inspection order; its completion
    takes "inspected"."""
    from urja.workflow import services

    def on_enter(item, event):
        calls.append((item.state, event.action))
        if item.state == "inspection":
            services.work_order_create(
                WorkOrderKind.SITE_INSPECTION, office=item.office, reason="Inspect the premises", by=event.by,
                item=item,
            )  # fmt: skip

    def on_order_done(order):
        return "inspected" if order.item.state == "inspection" else None

    registry.register(TEST_PROCESS, on_enter=on_enter, on_order_done=on_order_done)
    yield TEST_PROCESS
    registry.unregister(TEST_PROCESS.code)


@pytest.fixture
def org(db):
    """Circle › division › sub-division › DC, a second DC elsewhere, and the ladder's officers."""
    chain = office_chain("WF")
    other = office_chain("WX", parent=chain[OfficeLevel.SUBDIVISION], down_to=OfficeLevel.DC)
    dc, other_dc = chain[OfficeLevel.DC], other[OfficeLevel.DC]
    people = {
        "je": UserFactory(username="wf_je", role=Role.JE, office=dc),
        "other_je": UserFactory(username="wf_other_je", role=Role.JE, office=other_dc),
        "lineman": UserFactory(username="wf_lineman", role=Role.LINEMAN, office=dc),
        "other_lineman": UserFactory(username="wf_other_lineman", role=Role.LINEMAN, office=other_dc),
        "cashier": UserFactory(
            username="wf_cashier", role=Role.CASHIER, office=chain[OfficeLevel.SUBDIVISION]
        ),
        "sdo": UserFactory(username="wf_sdo", role=Role.SDO, office=chain[OfficeLevel.SUBDIVISION]),
        "ee": UserFactory(username="wf_ee", role=Role.EE, office=chain[OfficeLevel.DIVISION]),
        "se": UserFactory(username="wf_se", role=Role.SE, office=chain[OfficeLevel.CIRCLE]),
    }
    return {"dc": dc, "other_dc": other_dc, **chain, **people, "elsewhere": OfficeFactory(code="WZ-DIS")}
