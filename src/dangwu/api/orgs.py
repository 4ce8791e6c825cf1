"""The organization tree: list with filters, one organization, and a subtree with counts."""

from typing import Any

from django.db.models import Q
from ninja import Query, Router
from ninja.pagination import paginate

from dangwu import access
from dangwu.api.pagination import Pages
from dangwu.api.schemas import (
    ErrorOut,
    ObjectId,
    OrganizationDetailOut,
    OrganizationFilters,
    OrganizationOut,
    TreeNodeOut,
    ValidationErrorOut,
)
from dangwu.api.security import ApiRequest
from dangwu.orgs import permissions as perms
from dangwu.orgs import selectors
from dangwu.orgs.selectors import TreeNode

router = Router(tags=["organizations"])

_ERRORS: dict[int, Any] = {
    401: ErrorOut,
    403: ErrorOut,
    404: ErrorOut,
    422: ValidationErrorOut,
}


@router.get(
    "/organizations",
    response={200: list[OrganizationOut], **_ERRORS},
    summary="List organizations (filters; ordered by their place in the tree)",
)
@paginate(Pages)
def organization_list(request: ApiRequest, filters: Query[OrganizationFilters]) -> Any:
    user = request.auth
    access.require(user, perms.ORG_VIEW)
    orgs = selectors.organizations_visible(user)
    if filters.under is not None:
        root = selectors.organization_access(user=user, pk=filters.under)
        orgs = orgs.filter(path__startswith=root.path)
    if filters.parent is not None:
        orgs = orgs.filter(parent_id=filters.parent)
    if filters.kind:
        orgs = orgs.filter(kind=filters.kind)
    if filters.network_access:
        orgs = orgs.filter(network_access=filters.network_access)
    query = filters.q.strip()
    if query:
        # icontains: SQLite's LIKE ignores ASCII case, PostgreSQL's does not; answer the same.
        orgs = orgs.filter(Q(name__icontains=query) | Q(short_name__icontains=query))
    # The path is unique, so pages never overlap or skip.
    return orgs.order_by("path")


@router.get(
    "/organizations/{org_id}",
    response={200: OrganizationDetailOut, **_ERRORS},
    summary="One organization",
)
def organization_detail(request: ApiRequest, org_id: ObjectId) -> Any:
    access.require(request.auth, perms.ORG_VIEW)
    return selectors.organization_access(user=request.auth, pk=org_id)


@router.get(
    "/organizations/{org_id}/subtree",
    response={200: TreeNodeOut, **_ERRORS},
    summary="The organization and everything under it, nested, with member counts",
)
def organization_subtree(request: ApiRequest, org_id: ObjectId) -> Any:
    """Counts are null where the caller may not see the members of that organization."""
    access.require(request.auth, perms.ORG_VIEW)
    org = selectors.organization_access(user=request.auth, pk=org_id)
    roots = selectors.organization_tree(user=request.auth, root=org)
    return _node_out(roots[0])


def _node_out(node: TreeNode) -> dict[str, Any]:
    org = node.org
    return {
        "id": org.pk,
        "code": org.code,
        "name": org.name,
        "short_name": org.short_name,
        "kind": org.kind,
        "kind_label": org.get_kind_display(),
        "network_access": org.network_access,
        "network_access_label": org.get_network_access_display(),
        "member_count": node.member_count,
        "subtree_member_count": node.subtree_member_count,
        "children": [_node_out(child) for child in node.children],
    }
