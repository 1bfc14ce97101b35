from ninja import Router, Schema
from ninja.pagination import paginate

from urja.api.auth import StaffTokenAuth
from urja.api.pagination import LimitOffset
from urja.customers.schemas import ConsumerListOut

from . import selectors

router = Router(tags=["network"], auth=StaffTokenAuth())


class FeederOut(Schema):
    code: str
    name: str
    feeder_type: str
    substation_code: str
    office_code: str

    @staticmethod
    def resolve_substation_code(obj) -> str:
        return obj.substation.code

    @staticmethod
    def resolve_office_code(obj) -> str:
        return obj.office.code


class UnindexedSummaryOut(Schema):
    office_code: str
    office_name: str
    count: int


@router.get("/feeders", response=list[FeederOut])
@paginate(LimitOffset)
def feeder_list(request):
    return selectors.feeders_for(request.principal)


@router.get(
    "/reports/unindexed-consumers", response=list[UnindexedSummaryOut], summary="Unindexed consumers per DC"
)
def unindexed_report(request):
    return [
        {"office_code": r["office__code"], "office_name": r["office__name"], "count": r["count"]}
        for r in selectors.unindexed_summary(principal=request.principal)
    ]


@router.get("/reports/unindexed-consumers/list", response=list[ConsumerListOut])
@paginate(LimitOffset)
def unindexed_list(request):
    return selectors.unindexed_consumers(principal=request.principal)
