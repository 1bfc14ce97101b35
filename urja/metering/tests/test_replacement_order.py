"""A lineman's meter replacement work order, completed, replaces the meter with the old meter's final
and the new meter's initial readings; a replacement that cannot be done leaves the order open."""

from decimal import Decimal

import pytest

from urja.metering.models import MeterInstallation
from urja.org.choices import Role
from urja.testing import ConsumerFactory, UserFactory
from urja.workflow.choices import WorkOrderKind, WorkOrderStatus
from urja.workflow.models import WorkOrder
from urja.workflow.services import WorkOrderRefused, work_order_assign, work_order_complete, work_order_create

from .factories import days, install, make_meter

pytestmark = pytest.mark.django_db


@pytest.fixture
def job(day0, travel):
    consumer = ConsumerFactory(sanctioned_load=Decimal("2"))
    old = make_meter(office=consumer.office)
    install(consumer, old, day0, initial="100")
    spare = make_meter(office=consumer.office)
    je = UserFactory(role=Role.JE, office=consumer.office)
    lineman = UserFactory(role=Role.LINEMAN, office=consumer.office)
    order = work_order_create(
        kind=WorkOrderKind.METER_REPLACEMENT, office=consumer.office, consumer=consumer, reason="burnt", by=je
    )
    work_order_assign(order, to=lineman, by=je)
    travel.shift(days(40))
    return {"consumer": consumer, "old": old, "spare": spare, "order": order, "lineman": lineman}


def readings(**values):
    return {"readings": [{"register": k, "value": v} for k, v in values.items()], "remarks": "replaced"}


def test_completing_the_order_replaces_the_meter(job):
    result = readings(old_final_kwh="1234.5", new_meter_serial=job["spare"].serial, new_initial_kwh="2")
    work_order_complete(job["order"], by=job["lineman"], key="k-1", result=result)
    installations = MeterInstallation.objects.filter(consumer=job["consumer"]).order_by("installed_on", "id")
    old, new = list(installations)
    assert (old.meter, old.final_reading, old.removed_on is not None) == (job["old"], Decimal("1234.5"), True)
    assert (new.meter, new.initial_reading, new.removed_on) == (job["spare"], Decimal("2"), None)
    assert new.installed_on == old.removed_on
    assert WorkOrder.objects.get(pk=job["order"].pk).status == WorkOrderStatus.DONE


@pytest.mark.parametrize(
    "result",
    [
        readings(new_meter_serial="NOPE-1", old_final_kwh="10"),
        readings(old_final_kwh="10"),
        readings(new_meter_serial="SPARE", old_final_kwh="ten"),
        readings(new_meter_serial="SPARE"),
        readings(new_meter_serial="ELSEWHERE", old_final_kwh="10"),
    ],
)
def test_a_replacement_that_cannot_be_done_leaves_everything_as_it_was(job, result):
    for r in result["readings"]:
        if r["value"] == "SPARE":
            r["value"] = job["spare"].serial
        if r["value"] == "ELSEWHERE":  # a spare meter held by another office
            r["value"] = make_meter(office=ConsumerFactory().office).serial
    with pytest.raises(WorkOrderRefused):
        work_order_complete(job["order"], by=job["lineman"], key="k-2", result=result)
    assert MeterInstallation.objects.filter(consumer=job["consumer"]).count() == 1
    assert WorkOrder.objects.get(pk=job["order"].pk).status != WorkOrderStatus.DONE
