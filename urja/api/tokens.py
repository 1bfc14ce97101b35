from django.contrib.auth import authenticate
from ninja import Router, Schema

from urja.api.auth import StaffTokenAuth
from urja.api.errors import ApiError
from urja.api.services import STAFF_TOKEN_LIFETIME, staff_token_issue

router = Router(tags=["auth"])


class TokenIn(Schema):
    username: str
    password: str


class TokenOut(Schema):
    token: str
    expires_in: int


class MeOut(Schema):
    username: str
    full_name: str
    role: str
    office_code: str | None
    office_name: str | None


@router.post("/auth/token", response=TokenOut, auth=None, summary="Get a staff API token")
def token_create(request, payload: TokenIn):
    """Exchange a staff username and password for a bearer token (12 hours). Failed attempts are
    throttled like the console login."""
    user = authenticate(request, username=payload.username, password=payload.password)
    if user is None:
        if getattr(request, "urja_login_locked", False):
            raise ApiError(429, "too_many_attempts", "Too many failed attempts; try again later.")
        raise ApiError(401, "bad_credentials", "Wrong username or password.")
    _, key = staff_token_issue(user=user)
    return {"token": key, "expires_in": int(STAFF_TOKEN_LIFETIME.total_seconds())}


@router.get("/auth/me", response=MeOut, auth=StaffTokenAuth())
def me(request):
    user = request.principal
    return {
        "username": user.username,
        "full_name": user.get_full_name(),
        "role": user.role,
        "office_code": user.office.code if user.office_id else None,
        "office_name": user.office.name if user.office_id else None,
    }
