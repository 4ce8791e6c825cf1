import re
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_POST

from dangwu import access
from dangwu.orgs import imports, selectors, services
from dangwu.orgs import permissions as perms
from dangwu.orgs.enums import MemberStatus
from dangwu.orgs.forms import ImportForm

MEMBERS_PER_PAGE = 30
ID_INDEX_PATTERN = re.compile(r"[0-9a-f]{64}")
# Beyond this the page lists only the first problems: fixing those usually fixes the rest.
PROBLEMS_SHOWN = 1000
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def tree_events(nodes):
    """Flatten a tree into ("open", node) / ("close", None) events for nested-list markup."""
    for node in nodes:
        yield "open", node
        if node.children:
            yield from tree_events(node.children)
            yield "close", None


# The tree page shows the committee, its organizations and their branches; deeper levels are
# one click away on each organization's page (5,000 organizations would be a 900 KB page).
TREE_PAGE_DEPTH = 2


@login_required
def organization_tree(request):
    access.require(request.user, perms.ORG_VIEW)
    roots = selectors.organization_tree(user=request.user, depth=TREE_PAGE_DEPTH)
    return render(request, "orgs/tree.html", {"events": list(tree_events(roots))})


@login_required
def organization_detail(request, pk: int):
    access.require(request.user, perms.ORG_VIEW)
    org = selectors.organization_access(user=request.user, pk=pk)
    roots = selectors.organization_tree(user=request.user, root=org, depth=1)
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


def _search_querystring(data) -> str:
    """Turn the posted search form into list parameters; an ID number becomes its index.

    The search form is posted so that a full ID number never appears in a URL, the browser
    history or the server's access log.
    """
    params = {k: data.get(k, "").strip() for k in ("org", "status") if data.get(k, "").strip()}
    query = data.get("q", "")[:40].replace("\x00", "").strip()
    if selectors.looks_like_id_number(query):
        params["idx"] = selectors.id_search_index(query)
    elif query:
        params["q"] = query
    return urlencode(params)


def _member_filters(request) -> dict:
    """Read the member list's filters (q, org, status) as the list page and export share them.

    Anything malformed is dropped rather than passed on: PostgreSQL refuses NUL characters
    and integers beyond 64 bits, and the lookup index is always 64 hexadecimal digits.
    """
    org_id = request.GET.get("org", "").strip()
    org = (
        selectors.organization_access(user=request.user, pk=int(org_id))
        if org_id.isascii() and org_id.isdigit() and len(org_id) <= 18
        else None
    )
    status = request.GET.get("status", "")
    id_index = request.GET.get("idx", "")
    return {
        "query": request.GET.get("q", "")[:40].replace("\x00", "").strip(),
        "id_index": id_index if ID_INDEX_PATTERN.fullmatch(id_index) else "",
        "organization": org,
        "status": status if status in MemberStatus.values else "",
    }


@login_required
def member_list(request):
    access.require(request.user, perms.MEMBER_VIEW)
    if request.method == "POST":
        return redirect(f"{request.path}?{_search_querystring(request.POST)}")
    filters = _member_filters(request)
    members = selectors.member_list(user=request.user, **filters)
    page = Paginator(members, MEMBERS_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "orgs/member_list.html",
        {
            "page": page,
            "query": filters["query"],
            "by_id_number": bool(filters["id_index"]),
            "org": filters["organization"],
            "status": filters["status"],
            "statuses": MemberStatus.choices,
        },
    )


@login_required
def member_export(request):
    """Download the member list as filtered on the list page (.xlsx, audited)."""
    access.require(request.user, perms.MEMBER_EXPORT)
    content = imports.members_export(actor=request.user, **_member_filters(request))
    filename = f"党员名册-{timezone.localdate():%Y%m%d}.xlsx"
    return _xlsx_response(content, filename)


def _xlsx_response(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=XLSX)
    # The stubs allow None, which only comes back when not as an attachment.
    response["Content-Disposition"] = content_disposition_header(True, filename)  # type: ignore[assignment]
    response["Cache-Control"] = "no-store"
    return response


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


def _require_import(user) -> None:
    if not access.can(user, perms.ORG_MANAGE):
        access.require(user, perms.MEMBER_MANAGE)


@login_required
def import_page(request):
    """Upload a member or organization list; check every row, then import all or nothing."""
    _require_import(request.user)
    if request.method != "POST":
        kind = request.GET.get("kind")
        form = ImportForm(initial={"kind": kind} if kind in imports.TEMPLATE_KINDS else None)
        return render(request, "orgs/import.html", {"form": form})
    form = ImportForm(request.POST, request.FILES)
    context: dict = {"form": form}
    if not form.is_valid():
        return render(request, "orgs/import.html", context, status=400)
    kind = form.cleaned_data["kind"]
    access.require(
        request.user, perms.ORG_MANAGE if kind == "organizations" else perms.MEMBER_MANAGE
    )
    upload = form.cleaned_data["file"]
    run = imports.organizations_import if kind == "organizations" else imports.members_import
    try:
        context["result"] = run(actor=request.user, data=upload.read(), filename=upload.name)
    except imports.ImportRejected as rejected:
        context["file_problems"] = [p for p in rejected.problems if p.row == 0]
        row_problems = [p for p in rejected.problems if p.row > 0]
        context["problems"] = row_problems[:PROBLEMS_SHOWN]
        context["problem_count"] = len(row_problems)
        context["bad_rows"] = len({p.row for p in row_problems})
        return render(request, "orgs/import.html", context, status=400)
    context["kind"] = kind
    # A fresh form: the next upload starts from the same kind.
    context["form"] = ImportForm(initial={"kind": kind})
    return render(request, "orgs/import.html", context)


@login_required
def import_template(request, kind: str):
    """Download the import template of ``kind`` (headers, an example row and a help sheet)."""
    _require_import(request.user)
    if kind not in imports.TEMPLATE_KINDS:
        raise Http404
    names = {"organizations": "党组织导入模板.xlsx", "members": "党员导入模板.xlsx"}
    return _xlsx_response(imports.template_workbook(kind), names[kind])
