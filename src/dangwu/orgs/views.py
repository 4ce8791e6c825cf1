from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import render
from django.views.decorators.http import require_POST

from dangwu import access
from dangwu.orgs import permissions as perms
from dangwu.orgs import selectors, services
from dangwu.orgs.enums import MemberStatus

MEMBERS_PER_PAGE = 30


def tree_events(nodes):
    """Flatten a tree into ("open", node) / ("close", None) events for nested-list markup."""
    for node in nodes:
        yield "open", node
        if node.children:
            yield from tree_events(node.children)
            yield "close", None


@login_required
def organization_tree(request):
    access.require(request.user, perms.ORG_VIEW)
    roots = selectors.organization_tree(user=request.user)
    return render(request, "orgs/tree.html", {"events": list(tree_events(roots))})


@login_required
def organization_detail(request, pk: int):
    access.require(request.user, perms.ORG_VIEW)
    org = selectors.organization_access(user=request.user, pk=pk)
    roots = selectors.organization_tree(user=request.user, root=org)
    node = roots[0] if roots else None
    return render(
        request,
        "orgs/organization_detail.html",
        {
            "org": org,
            "node": node,
            "ancestors": selectors.organization_ancestors(org),
            "may_view_members": access.can(request.user, perms.MEMBER_VIEW, org),
        },
    )


@login_required
def member_list(request):
    access.require(request.user, perms.MEMBER_VIEW)
    org_id = request.GET.get("org", "").strip()
    org = (
        selectors.organization_access(user=request.user, pk=int(org_id))
        if org_id.isdigit()
        else None
    )
    query = request.GET.get("q", "")[:40]
    status = request.GET.get("status", "")
    if status not in MemberStatus.values:
        status = ""
    members = selectors.member_list(user=request.user, query=query, organization=org, status=status)
    page = Paginator(members, MEMBERS_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "orgs/member_list.html",
        {
            "page": page,
            "query": query,
            "org": org,
            "status": status,
            "statuses": MemberStatus.choices,
        },
    )


@login_required
def member_detail(request, pk: int):
    member = selectors.member_access(user=request.user, pk=pk)
    return render(
        request,
        "orgs/member_detail.html",
        {"member": member, "may_reveal": access.can(request.user, perms.MEMBER_REVEAL, member)},
    )


@login_required
@require_POST
def member_reveal(request, pk: int):
    """Show the full ID number and phone once, after an audited, explicit request."""
    member = selectors.member_access(user=request.user, pk=pk, personal=True)
    revealed = services.member_reveal(
        actor=request.user, member=member, reason=request.POST.get("reason", "")[:200]
    )
    response = render(
        request,
        "orgs/member_detail.html",
        {"member": member, "revealed": revealed, "may_reveal": True},
    )
    response["Cache-Control"] = "no-store"
    return response
