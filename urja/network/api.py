from ninja import Router, Schema
from ninja.pagination import paginate

from urja.api.auth import StaffTokenAuth
from urja.api.pagination import LimitOffset

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


@router.get("/feeders", response=list[FeederOut])
@paginate(LimitOffset)
def feeder_list(request):
    return selectors.feeders_for(request.principal)
