"""Work orders over the API, for the field app: the orders assigned to the caller, and completing
one with an `Idempotency-Key` so a retried completion (a lost reply on a patchy network) changes
nothing and answers as the first one did."""

import datetime
from decimal import Decimal
from typing import Annotated

from django.core.exceptions import PermissionDenied
from ninja import Header, Router, Schema
from ninja.pagination import paginate
from pydantic import Field

from urja.api.auth import StaffTokenAuth
from urja.api.errors import ApiError
from urja.api.pagination import LimitOffset
from urja.org import roles

from . import selectors, services

router = Router(tags=["work orders"], auth=StaffTokenAuth())


class ReadingIn(Schema):
    # "register" on the wire (a Schema attribute of that name would shadow pydantic's own).
    register_name: str = Field(default="kwh", min_length=1, max_length=20, alias="register")
    value: Annotated[Decimal, Field(ge=0, max_digits=12, decimal_places=2)]
    meter: str = Field(default="", max_length=40)


class GpsIn(Schema):
    lat: Annotated[Decimal, Field(ge=-90, le=90, max_digits=9, decimal_places=6)]
    lon: Annotated[Decimal, Field(ge=-180, le=180, max_digits=9, decimal_places=6)]


class CompleteIn(Schema):
    readings: list[ReadingIn] = Field(default_factory=list, max_length=10)
    photos: list[Annotated[str, Field(max_length=300)]] = Field(default_factory=list, max_length=10)
    gps: GpsIn | None = None
    remarks: str = Field(default="", max_length=2000)


class WorkOrderOut(Schema):
    id: int
    reference: str
    kind: str
    kind_display: str
    status: str
    office: str
    account_number: str | None
    item_reference: str | None
    assigned_to: str | None
    due_at: datetime.datetime | None
    reason: str
    result: dict
    completed_at: datetime.datetime | None
    completed_by: str | None

    @staticmethod
    def resolve_kind_display(obj) -> str:
        return str(obj.get_kind_display())

    @staticmethod
    def resolve_office(obj) -> str:
        return obj.office.code

    @staticmethod
    def resolve_account_number(obj) -> str | None:
        return obj.consumer.account_number if obj.consumer_id else None

    @staticmethod
    def resolve_item_reference(obj) -> str | None:
        return obj.item.reference if obj.item_id else None

    @staticmethod
    def resolve_assigned_to(obj) -> str | None:
        return obj.assigned_to.username if obj.assigned_to_id else None

    @staticmethod
    def resolve_completed_by(obj) -> str | None:
        return obj.completed_by.username if obj.completed_by_id else None


def _require_field_work(user) -> None:
    if not user.can(roles.WORK_ORDERS):
        raise PermissionDenied("Your role does not take work orders.")


@router.get("/work-orders/assigned", response=list[WorkOrderOut], summary="Work orders assigned to me")
@paginate(LimitOffset)
def work_orders_assigned(request):
    """The caller's open work orders (assigned, not yet done), soonest due first."""
    _require_field_work(request.principal)
    return selectors.assigned_work_orders(request.principal).select_related("completed_by", "assigned_to")


@router.get("/work-orders/{reference}", response=WorkOrderOut, summary="One work order")
def work_order_get(request, reference: Annotated[str, Field(max_length=24)]):
    _require_field_work(request.principal)
    return _order(request.principal, reference)


def _order(user, reference: str):
    order = selectors.work_orders_for(user).filter(reference=reference).first()
    if order is None:
        from urja.common.errors import NotFound

        raise NotFound("No such work order")
    return order


@router.post(
    "/work-orders/{reference}/complete",
    response={200: WorkOrderOut},
    summary="Complete a work order (idempotent by Idempotency-Key)",
)
def work_order_complete(
    request,
    reference: Annotated[str, Field(max_length=24)],
    payload: CompleteIn,
    idempotency_key: Annotated[str, Header(alias="Idempotency-Key", min_length=8, max_length=80)],
):
    """Record the job done with its readings, photos, GPS and remarks. Send a fresh
    `Idempotency-Key` (e.g. a UUID made on the phone) with each job and the same key with every retry
    of it: a retry returns the same answer and changes nothing. Another key for a job already done
    is refused (409 `refused`). Only the one the order is assigned to, or an officer of its office,
    completes it (403)."""
    user = request.principal
    _require_field_work(user)
    order = _order(user, reference)
    if order.assigned_to_id != user.pk and not user.can(roles.ASSIGN_WORK_ORDERS):
        raise PermissionDenied("This work order is not assigned to you.")
    result = {
        "readings": [
            {"register": r.register_name, "value": str(r.value), **({"meter": r.meter} if r.meter else {})}
            for r in payload.readings
        ],
        "photos": payload.photos,
        "remarks": payload.remarks,
    }
    if payload.gps is not None:
        result["gps"] = {"lat": float(payload.gps.lat), "lon": float(payload.gps.lon)}
    try:
        return services.work_order_complete(order, by=user, key=idempotency_key, result=result)
    except services.WorkOrderRefused as exc:
        raise ApiError(409, "refused", exc.message) from None
