"""Reads for organization and member pages, already scoped by the access policy.

Every function here costs a fixed number of queries whatever the size or depth of the tree.
"""

from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, QuerySet
from django.utils.translation import gettext as _

from dangwu import access
from dangwu.core import crypto
from dangwu.core.errors import NotFound
from dangwu.core.personal import normalize_id_number
from dangwu.orgs import permissions as perms
from dangwu.orgs.models import Member, Organization

# Personal values stay encrypted in lists: pages show the stored masked forms.
_LIST_DEFERRED = ("id_number", "phone")


@dataclass
class TreeNode:
    org: Organization
    children: list["TreeNode"] = field(default_factory=list)
    child_count: int = 0  # all children, including those below the depth shown
    member_count: int | None = None
    subtree_member_count: int | None = None


def organizations_visible(user: Any) -> QuerySet[Organization]:
    """Return the organizations the user may see."""
    return access.visible(user, perms.ORG_VIEW, Organization.objects.all())


def organization_access(*, user: Any, pk: int) -> Organization:
    """Fetch one organization the user may see, or raise the same NotFound as a missing one."""
    org = organizations_visible(user).select_related("parent", "secretary").filter(pk=pk).first()
    if org is None:
        raise NotFound(_("This organization does not exist, or you may not see it."))
    return org


def organization_ancestors(org: Organization) -> list[Organization]:
    """Return the chain from the root down to ``org``'s parent, in one query."""
    codes = [c for c in org.path.strip("/").split("/")[:-1] if c]
    return list(
        Organization.objects.filter(code__in=codes).only("id", "name", "path").order_by("path")
    )


def organization_tree(
    *, user: Any, root: Organization | None = None, depth: int | None = None
) -> list[TreeNode]:
    """Return the visible tree (or the subtree under ``root``) with member counts.

        ``depth`` limits the levels returned below the top (0 = the top only); member counts and
        ``child_count`` still cover the whole subtree. Three queries whatever the tree's size
    (four when the user's own member record must be located for the member scope):
        the (id, parent, path) of every organization, the member counts grouped by organization,
        and the full rows of the organizations returned.
    """
    orgs = organizations_visible(user)
    if root is not None:
        orgs = orgs.filter(path__startswith=root.path)
    skeleton = list(orgs.order_by("path").values_list("id", "parent_id", "path", "depth"))
    if not skeleton:
        return []
    counts = _member_counts(user, root)
    # Counts appear only where the user may see the members (not from their own record).
    scopes = access.scope_paths(user, perms.MEMBER_VIEW)
    in_scope = {pk: any(path.startswith(p) for p in scopes) for pk, _p, path, _d in skeleton}
    subtree_counts: dict[int, int] = {}
    child_counts: dict[int, int] = {}
    # Paths sort parents before children, so walking them backwards rolls counts up.
    for pk, parent_id, _path, _depth in reversed(skeleton):
        if in_scope[pk]:
            subtree_counts[pk] = subtree_counts.get(pk, 0) + counts.get(pk, 0)
        if parent_id is not None:
            child_counts[parent_id] = child_counts.get(parent_id, 0) + 1
            # Scopes are whole subtrees: a parent in scope has all its children in scope.
            if in_scope.get(parent_id):
                subtree_counts[parent_id] = subtree_counts.get(parent_id, 0) + subtree_counts[pk]
    top_depth = skeleton[0][3]
    shown = orgs.order_by("path").only(
        "id",
        "code",
        "name",
        "short_name",
        "kind",
        "parent_id",
        "path",
        "depth",
        "network_access",
    )
    if depth is not None:
        shown = shown.filter(depth__lte=top_depth + depth)
    nodes: dict[int, TreeNode] = {}
    roots: list[TreeNode] = []
    for org in shown:
        node = TreeNode(
            org,
            child_count=child_counts.get(org.pk, 0),
            member_count=counts.get(org.pk, 0) if in_scope.get(org.pk) else None,
            subtree_member_count=subtree_counts.get(org.pk),
        )
        nodes[org.pk] = node
        parent = nodes.get(org.parent_id) if org.parent_id is not None else None
        (parent.children if parent else roots).append(node)
    return roots


def _member_counts(user: Any, root: Organization | None) -> dict[int, int]:
    members = access.visible(user, perms.MEMBER_VIEW, Member.objects.all(), "organization__path")
    if root is not None:
        members = members.filter(organization__path__startswith=root.path)
    return dict(
        members.values("organization_id")
        .annotate(n=Count("id"))
        .values_list("organization_id", "n")
    )


def members_visible(user: Any) -> QuerySet[Member]:
    """Return the member records the user may see (personal values deferred)."""
    return access.visible(
        user, perms.MEMBER_VIEW, Member.objects.all(), "organization__path"
    ).defer(*_LIST_DEFERRED)


def looks_like_id_number(text: str) -> bool:
    """Return True when a search text is an ID number rather than a name."""
    text = text.strip()
    return len(text) == 18 and text[:17].isdigit()


def id_search_index(id_number: str) -> str:
    """Return the lookup index under which an ID number is searched."""
    return crypto.blind_index(normalize_id_number(id_number))


def member_list(
    *,
    user: Any,
    query: str = "",
    id_index: str = "",
    organization: Organization | None = None,
    status: str = "",
) -> QuerySet[Member]:
    """Return the visible members matching a name (or exact ID number) search and filters.

    ``id_index`` is the blind index of an ID number (see :func:`id_search_index`), which lets
    pages search by ID number without the number ever appearing in a URL.
    """
    members = members_visible(user).select_related("organization")
    if organization is not None:
        members = members.filter(organization__path__startswith=organization.path)
    if status:
        members = members.filter(status=status)
    query = query.strip()
    if looks_like_id_number(query):
        id_index, query = id_search_index(query), ""
    if id_index:
        members = members.filter(id_number_index=id_index)
    if query:
        members = members.filter(name__icontains=query)
    return members.order_by("organization__path", "name", "id")


def member_access(*, user: Any, pk: int, personal: bool = False) -> Member:
    """Fetch one visible member, or raise the same NotFound as a missing one.

    ``personal=True`` also loads the encrypted values (for the audited reveal).
    """
    members = access.visible(user, perms.MEMBER_VIEW, Member.objects.all(), "organization__path")
    if not personal:
        members = members.defer(*_LIST_DEFERRED)
    member = members.select_related("organization", "user").filter(pk=pk).first()
    if member is None:
        raise NotFound(_("This member record does not exist, or you may not see it."))
    return member
