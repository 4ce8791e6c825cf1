"""Member records, scoped and masked exactly as the member pages are.

Lists and details carry only the stored masked ID and phone numbers; the full values come only
from the audited reveal, for the roles that may see them.
"""

from typing import Any

from django.http import HttpResponse
from ninja import Body, Query, Router
from ninja.pagination import paginate

from dangwu import access
from dangwu.api.pagination import Pages
from dangwu.api.schemas import (
    ErrorOut,
    MemberDetailOut,
    MemberFilters,
    MemberOut,
    ObjectId,
    RevealIn,
    RevealOut,
    ValidationErrorOut,
)
from dangwu.api.security import ApiRequest
from dangwu.orgs import permissions as perms
from dangwu.orgs import selectors, services

router = Router(tags=["members"])


@router.get(
    "/members",
    response={
        200: list[MemberOut],
        401: ErrorOut,
        403: ErrorOut,
        404: ErrorOut,
        422: ValidationErrorOut,
    },
    summary="List the members I may see (name search, organization subtree, status)",
)
@paginate(Pages)
def member_list(request: ApiRequest, filters: Query[MemberFilters]) -> Any:
    user = request.auth
    access.require(user, perms.MEMBER_VIEW)
    org = (
        selectors.organization_access(user=user, pk=filters.organization)
        if filters.organization is not None
        else None
    )
    return selectors.member_list(
        user=user, query=filters.q, organization=org, status=filters.status or ""
    )


@router.get(
    "/members/{member_id}",
    response={200: MemberDetailOut, 401: ErrorOut, 404: ErrorOut, 422: ValidationErrorOut},
    summary="One member record (masked)",
)
def member_detail(request: ApiRequest, member_id: ObjectId) -> Any:
    """A record the caller may not see is answered exactly like one that does not exist."""
    return selectors.member_access(user=request.auth, pk=member_id)


@router.post(
    "/members/{member_id}/reveal",
    response={
        200: RevealOut,
        400: ErrorOut,
        401: ErrorOut,
        403: ErrorOut,
        404: ErrorOut,
        422: ValidationErrorOut,
    },
    summary="Show the full ID and phone numbers once (recorded in the audit trail)",
)
def member_reveal(
    request: ApiRequest,
    response: HttpResponse,
    member_id: ObjectId,
    payload: RevealIn | None = Body(None),  # noqa: B008  (how django-ninja declares a body)
) -> Any:
    member = selectors.member_access(user=request.auth, pk=member_id, personal=True)
    revealed = services.member_reveal(
        actor=request.auth, member=member, reason=payload.reason if payload else ""
    )
    response["Cache-Control"] = "no-store"
    return revealed
