"""Demo new connections (`urja demo`): three applications at the demo JE's DC — one waiting for
document verification, one with its demand note issued and awaiting payment, one energised — each
taken through the real services, so accounts, ledgers and work orders are the real thing."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.core.files.base import ContentFile
from django.db import transaction

from urja.common import clock
from urja.connections import new_connection as nc
from urja.connections.models import NewConnectionApplication
from urja.metering.models import Meter
from urja.network.models import DistributionTransformer
from urja.workflow import services as wf

APPLICANTS = (
    ("Kamla Devi", "Shiv Kumar", "9415000101", "LMV1-URBAN", "2", "municipal"),
    ("Rakesh Yadav", "Ram Naresh", "9415000102", "LMV2-URBAN", "4", "municipal"),
    ("Sunita Verma", "Anil Verma", "9415000103", "LMV1-RURAL", "1", "rural"),
)


def _apply(je, row) -> NewConnectionApplication:
    name, relative, mobile, category, load, area = row
    app = nc.apply(
        by=je, office=je.office, applicant_name=name, father_husband_name=relative, address="Demo Colony",
        village_town="Mohanlalganj", district="Lucknow", mobile=mobile, category=category, load=Decimal(load),
        area_class=area, dt=DistributionTransformer.objects.filter(office=je.office).order_by("code").first(),
        preferred_dates=[clock.today() + datetime.timedelta(days=2)],
    )  # fmt: skip
    for kind in ("id_proof", "address_proof"):
        upload = ContentFile(b"%PDF-1.4 demo", name=f"{kind}.pdf")
        nc.document_add(app, kind=kind, upload=upload, by=je)
    return app


def _to_payment(app, je, sdo) -> None:
    nc.verify(app, by=je)
    order = app.item.work_orders.get(kind="site_inspection")
    wf.work_order_complete(order, by=je, key=f"demo-{order.reference}", result={"remarks": "Feasible"})
    app.item.refresh_from_db()
    wf.transition(app.item, "issue_demand", by=sdo)
    app.refresh_from_db()


@transaction.atomic
def seed_new_connections(je, sdo, cashier=None) -> list[NewConnectionApplication]:
    """The three demo applications (none if any application exists)."""
    if NewConnectionApplication.objects.exists():
        return []
    waiting, unpaid, done = (_apply(je, row) for row in APPLICANTS)
    _to_payment(unpaid, je, sdo)
    _to_payment(done, je, sdo)
    nc.pay(done, amount=done.demand_total, channel="cash", source="counter", reference=f"DEMO-{done.item.reference}",
           by=cashier)  # fmt: skip
    serial = f"DEMO-NC-{done.pk}"
    Meter.objects.get_or_create(serial=serial, defaults={"digits": 6, "office": je.office})
    order = done.item.work_orders.get(kind="meter_installation")
    wf.work_order_complete(
        order, by=je, key=f"demo-{order.reference}",
        result={"meter": serial, "initial_reading": "0", "installed_on": clock.today().isoformat()},
    )  # fmt: skip
    return [waiting, unpaid, done]


def demo_new_connections(command) -> None:
    from urja.org.models import User

    je = User.objects.filter(username="je").select_related("office").first()
    sdo = User.objects.filter(username="sdo").first()
    if je is None or sdo is None or je.office is None:
        return
    made = seed_new_connections(je, sdo, User.objects.filter(username="cashier").first())
    if made:
        command.stdout.write(f"New connections: {len(made)} demo applications at {je.office.code}.")
