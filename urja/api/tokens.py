from django.contrib.auth import authenticate
from ninja import Field, Router, Schema

from urja.api.auth import StaffTokenAuth
from urja.api.errors import ApiError
from urja.api.services import STAFF_TOKEN_LIFETIME, staff_token_issue, staff_token_revoke
from urja.org.auth import lockout_message

router = Router(tags=["auth"])


class TokenIn(Schema):
    username: str = Field(..., max_length=150)
    password: str = Field(..., max_length=4096)


class TokenOut(Schema):
    token: str
    expires_in: int


class RevokedOut(Schema):
    revoked: int = Field(..., description="How many tokens this call revoked.")


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
            raise ApiError(
                429,
                "too_many_attempts",
                lockout_message(request),
                headers={"Retry-After": str(request.urja_login_retry_after)},
            )
        raise ApiError(401, "bad_credentials", "Wrong username or password.")
    _, key = staff_token_issue(user=user)
    return {"token": key, "expires_in": int(STAFF_TOKEN_LIFETIME.total_seconds())}


@router.post("/auth/token/revoke", response=RevokedOut, auth=StaffTokenAuth(), summary="Revoke this token")
def token_revoke(request):
    """Revoke the bearer token sent with this request (log out of the API)."""
    token = request.staff_token
    return {"revoked": staff_token_revoke(tokens=token.user.api_tokens.filter(pk=token.pk), by=token.user)}


@router.post(
    "/auth/token/revoke-all", response=RevokedOut, auth=StaffTokenAuth(), summary="Revoke all my tokens"
)
def token_revoke_all(request):
    """Revoke every API token of the user this bearer token belongs to, this one included (a lost
    phone or laptop)."""
    user = request.staff_token.user
    return {"revoked": staff_token_revoke(tokens=user.api_tokens.all(), by=user)}


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
