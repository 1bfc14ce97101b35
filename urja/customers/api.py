from ninja import Query, Router, Schema
from ninja.pagination import paginate

from urja.api.auth import StaffTokenAuth
from urja.api.pagination import LimitOffset

from . import selectors
from .models import ConsumerChange
from .schemas import ConsumerChangeOut, ConsumerDetailOut, ConsumerListOut

# Staff only: a consumer's record is personal data (names, address, GPS, contacts). Partners reach the
# biller API (payments.api) and see there only what a payer needs.
router = Router(tags=["consumers"], auth=StaffTokenAuth())


class SearchParams(Schema):
    q: str


@router.get("/consumers", response=list[ConsumerListOut], summary="Search consumers")
def consumer_search(request, params: Query[SearchParams]):
    """Search by account number, mobile number, meter serial or name. Results are limited to the
    caller's office subtree and to 50 rows."""
    return list(selectors.consumer_search(principal=request.principal, query=params.q))


@router.get("/consumers/{account_number}", response=ConsumerDetailOut, summary="Consumer detail")
def consumer_detail(request, account_number: str):
    return selectors.consumer_get(principal=request.principal, account_number=account_number)


@router.get(
    "/consumers/{account_number}/history", response=list[ConsumerChangeOut], summary="Consumer change history"
)
@paginate(LimitOffset)
def consumer_history(request, account_number: str):
    consumer = selectors.consumer_get(principal=request.principal, account_number=account_number)
    return ConsumerChange.objects.filter(consumer=consumer).select_related("changed_by")


# Consumers not yet indexed to a transformer (energy audit cannot count them until they are).


class UnindexedSummaryOut(Schema):
    office_code: str
    office_name: str
    count: int


@router.get(
    "/reports/unindexed-consumers",
    response=list[UnindexedSummaryOut],
    summary="Unindexed consumers per DC",
    auth=StaffTokenAuth(),
)
def unindexed_report(request):
    return [
        {"office_code": r["office__code"], "office_name": r["office__name"], "count": r["count"]}
        for r in selectors.unindexed_summary(principal=request.principal)
    ]


@router.get("/reports/unindexed-consumers/list", response=list[ConsumerListOut], auth=StaffTokenAuth())
@paginate(LimitOffset)
def unindexed_list(request):
    return selectors.unindexed_consumers(principal=request.principal)
