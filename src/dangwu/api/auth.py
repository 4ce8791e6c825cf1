"""Personal API tokens and who the caller is."""

from typing import Any

from axes.helpers import get_lockout_response
from django.contrib.auth import authenticate
from django.contrib.auth.signals import user_logged_in
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Router, Status

from dangwu import access
from dangwu.accounts import permissions as account_perms
from dangwu.accounts import services
from dangwu.accounts.models import ApiToken
from dangwu.api.schemas import (
    ErrorOut,
    MeOut,
    ObjectId,
    TokenIn,
    TokenIssuedOut,
    TokenOut,
    ValidationErrorOut,
)
from dangwu.api.security import ApiRequest
from dangwu.orgs.models import Member

router = Router(tags=["auth"])


@router.post(
    "/auth/token",
    auth=None,
    response={
        201: TokenIssuedOut,
        400: ErrorOut,
        401: ErrorOut,
        422: ValidationErrorOut,
        429: ErrorOut,
    },
    summary="Issue a personal API token for a user name and password",
)
def token_issue(request: HttpRequest, payload: TokenIn) -> Any:
    """Return a new token; five wrong passwords lock the account like the sign-in page does."""
    # Through django.contrib.auth so django-axes counts failures and refuses locked accounts.
    user = authenticate(request=request, username=payload.username, password=payload.password)
    if getattr(request, "axes_locked_out", False):
        return get_lockout_response(request, None, getattr(request, "axes_credentials", None))
    if user is None:
        return Status(401, {"detail": _("The user name or password is not correct.")})
    # A verified password is a sign-in: axes clears the failure count, last_login moves and the
    # audit trail records it, exactly as for the sign-in page.
    user_logged_in.send(sender=user.__class__, request=request, user=user)
    token, secret = services.token_issue(actor=user, name=payload.name)
    return Status(201, {"token": secret, "id": token.pk, "name": token.name})


@router.get(
    "/auth/tokens",
    response={200: list[TokenOut], 401: ErrorOut},
    summary="List my active API tokens (never their secrets)",
)
def token_list(request: ApiRequest) -> Any:
    access.require(request.auth, account_perms.PROFILE)
    return ApiToken.objects.filter(user=request.auth, revoked_at__isnull=True).order_by(
        "-created_at", "-id"
    )


@router.delete(
    "/auth/tokens/{token_id}",
    response={204: None, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ValidationErrorOut},
    summary="Revoke one of my API tokens (the security administrator: anyone's)",
)
def token_revoke(request: ApiRequest, token_id: ObjectId) -> Any:
    services.token_revoke(actor=request.auth, token_id=token_id)
    return Status(204, None)


@router.get("/me", response={200: MeOut, 401: ErrorOut}, summary="Who I am and the roles I hold")
def me(request: ApiRequest) -> Any:
    user = request.auth
    access.require(user, account_perms.PROFILE)
    return {
        "username": user.get_username(),
        "display_name": user.display_name,
        "care_mode": user.care_mode,
        "roles": user.role_assignments.select_related("organization").order_by(
            "organization__path", "role"
        ),
        "member_id": Member.objects.filter(user=user)
        .order_by()
        .values_list("id", flat=True)
        .first(),
    }
