"""Pages of the file library (资料交换): home, folder, file, upload, download, preview, search.

Views fetch through ``files_selectors`` and change things only through ``files_services``.
"""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import FileResponse, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from dangwu import access
from dangwu.core.errors import DomainError, NotFound, ValidationFailed
from dangwu.core.files import file_response
from dangwu.core.forms import show_refusal
from dangwu.core.search import SearchFilters, search
from dangwu.library import files_selectors as selectors
from dangwu.library import files_services as services
from dangwu.library import permissions as perms
from dangwu.library.enums import FolderKind
from dangwu.library.forms import (
    FolderAudienceForm,
    FolderForm,
    FolderRenameForm,
    LibrarySearchForm,
    LibraryUploadForm,
    QuotaFilterForm,
    QuotaForm,
    TopFolderForm,
)
from dangwu.library.models import FileVersion, Folder
from dangwu.orgs.models import Organization

FILES_PER_PAGE = 100
QUOTAS_PER_PAGE = 50


def _root() -> Organization | None:
    return Organization.objects.filter(parent__isnull=True).order_by("path").first()


def _top_folder_choices(user: Any) -> tuple[list[tuple[str, str]], Any]:
    """The kinds of top-level folder ``user`` may create, and the organizations offered."""
    root = _root()
    kinds: list[tuple[str, str]] = []
    committee = root is not None and access.can(user, perms.COMMITTEE_FOLDER_CREATE, root)
    if committee:
        kinds += [
            (FolderKind.COMMITTEE.value, str(FolderKind.COMMITTEE.label)),
            (FolderKind.EXCHANGE.value, str(FolderKind.EXCHANGE.label)),
        ]
    manager_paths = sorted(
        {g.path for g in access.grants_of(user) if g.role in perms.MANAGER_ROLES}
    )
    own = [p for p in manager_paths if p.count("/") > 2]
    if own:
        kinds.append((FolderKind.ORGANIZATION.value, str(FolderKind.ORGANIZATION.label)))
    if committee:
        organizations = Organization.objects.filter(parent__isnull=False, depth__lte=1)
    else:
        organizations = Organization.objects.filter(path__in=own)
    return kinds, organizations


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """资料交换: the folders I may see, grouped: committee, my organization's, exchange."""
    access.require(request.user, perms.FILES_USE)
    kinds, _organizations = _top_folder_choices(request.user)
    return render(
        request,
        "library/files/home.html",
        {
            "home": selectors.library_home(user=request.user),
            "may_create": bool(kinds),
            "may_set_quotas": access.can(request.user, perms.COMMITTEE_FOLDER_CREATE, _root()),
            "search_form": LibrarySearchForm(),
        },
    )


@login_required
def folder_create(request: HttpRequest) -> HttpResponse:
    """A new top-level folder (committee, exchange or one's organization's)."""
    access.require(request.user, perms.FILES_USE)
    kinds, organizations = _top_folder_choices(request.user)
    if not kinds:
        access.require(request.user, perms.COMMITTEE_FOLDER_CREATE, _root())
    form = TopFolderForm(request.POST or None, kinds=kinds, organizations=organizations)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            data = form.cleaned_data
            try:
                folder = services.folder_create(
                    actor=request.user,
                    name=data["name"],
                    kind=data["kind"],
                    organization=data["organization"],
                    audience_all=data["audience_all"],
                    audience=list(data["audience"]),
                    description=data["description"],
                )
            except DomainError as error:
                show_refusal(form, error, "name")
            else:
                messages.success(request, _("The folder “%(name)s” is created.") % {"name": folder})
                return redirect("library:files_folder", folder.pk)
    return render(request, "library/files/folder_create.html", {"form": form}, status=status)


def _folder_page(
    request: HttpRequest,
    folder: Folder,
    *,
    upload_form: LibraryUploadForm | None = None,
    folder_form: FolderForm | None = None,
    refused: list[tuple[str, str]] | None = None,
    status: int = 200,
) -> HttpResponse:
    files = Paginator(selectors.files_in(folder), FILES_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "library/files/folder.html",
        {
            "folder": folder,
            "trail": selectors.folder_trail(folder),
            "children": selectors.subfolders(folder),
            "page": files,
            "may": selectors.may(request.user, folder),
            "upload_form": upload_form or LibraryUploadForm(),
            "folder_form": folder_form or FolderForm(),
            "refused": refused or [],
            "max_bytes": services.max_file_bytes(),
        },
        status=status,
    )


@login_required
def folder(request: HttpRequest, pk: int) -> HttpResponse:
    """A folder: its subfolders and files; upload and new-subfolder forms for who may."""
    found = selectors.folder_access(user=request.user, pk=pk)
    return _folder_page(request, found)


def _wants_json(request: HttpRequest) -> bool:
    return "application/json" in request.headers.get("Accept", "")


@login_required
@require_POST
def upload(request: HttpRequest, pk: int) -> HttpResponse:
    """Upload one or more files. Without JavaScript: the whole form, one result page. With it:
    one request per file (for a progress bar each), answered in JSON."""
    found = selectors.folder_access(user=request.user, pk=pk)
    access.require(request.user, perms.FOLDER_UPLOAD, found)
    form = LibraryUploadForm(request.POST, request.FILES)
    if not form.is_valid():
        if _wants_json(request):
            return JsonResponse({"error": _("Choose at least one file.")}, status=400)
        return _folder_page(request, found, upload_form=form, status=400)
    stored: list[FileVersion] = []
    refused: list[tuple[str, str]] = []
    for item in form.cleaned_data["files"]:
        name = item.name
        try:
            stored.append(services.file_upload(actor=request.user, folder=found, upload=item))
        except ValidationFailed as error:
            refused.append((name, error.message))
    if _wants_json(request):
        if refused:
            return JsonResponse({"name": refused[0][0], "error": refused[0][1]}, status=400)
        version = stored[0]
        return JsonResponse(
            {
                "name": version.original_name,
                "version": version.number,
                "url": reverse("library:files_file", args=[version.file_id]),
                "message": _("“%(name)s” is uploaded (version %(n)s).")
                % {"name": version.original_name, "n": version.number},
            },
            status=201,
        )
    if stored:
        messages.success(
            request,
            _("Uploaded: %(names)s.")
            % {"names": "、".join(f"{v.original_name}（v{v.number}）" for v in stored)},
        )
    if refused:
        return _folder_page(request, found, refused=refused, status=400)
    return redirect("library:files_folder", found.pk)


@login_required
@require_POST
def subfolder_create(request: HttpRequest, pk: int) -> HttpResponse:
    found = selectors.folder_access(user=request.user, pk=pk)
    access.require(request.user, perms.FOLDER_MANAGE, found)
    form = FolderForm(request.POST)
    if form.is_valid():
        try:
            child = services.folder_create(
                actor=request.user,
                name=form.cleaned_data["name"],
                parent=found,
                description=form.cleaned_data["description"],
            )
        except DomainError as error:
            show_refusal(form, error, "name")
        else:
            messages.success(request, _("The folder “%(name)s” is created.") % {"name": child})
            return redirect("library:files_folder", child.pk)
    return _folder_page(request, found, folder_form=form, status=400)


def _number(request: HttpRequest) -> int | None:
    raw = request.GET.get("v", "")
    if not raw:
        return None
    if not raw.isdigit() or len(raw) > 9:
        raise NotFound(_("This folder or file does not exist or is not available to you."))
    return int(raw)


@login_required
def file(request: HttpRequest, pk: int) -> HttpResponse:
    """A file: its versions (who uploaded each, when, downloads), preview and download."""
    found = selectors.file_access(user=request.user, pk=pk)
    may_delete = found.created_by_id == request.user.pk or access.can(
        request.user, perms.FOLDER_MANAGE, found.folder
    )
    return render(
        request,
        "library/files/file.html",
        {
            "file": found,
            "folder": found.folder,
            "trail": [*selectors.folder_trail(found.folder), found.folder],
            "versions": selectors.versions_of(found),
            "may_delete": may_delete,
        },
    )


@login_required
def download(request: HttpRequest, pk: int) -> FileResponse:
    """Download a version (the newest without ``?v=``) under its original name; counted."""
    version = selectors.version_access(user=request.user, file_id=pk, number=_number(request))
    services.file_downloaded(version=version)
    response = file_response(
        version.blob, content_type=version.content_type, name=version.original_name
    )
    disposition = content_disposition_header(True, version.original_name)
    if disposition is not None:
        response["Content-Disposition"] = disposition
    return response


@login_required
def preview(request: HttpRequest, pk: int) -> FileResponse:
    """Show a PDF or a picture in the browser itself (inline), served by the platform."""
    version = selectors.version_access(user=request.user, file_id=pk, number=_number(request))
    if not version.previewable:
        raise NotFound(_("This file cannot be shown in the browser; please download it."))
    response = file_response(
        version.blob, content_type=version.content_type, name=version.original_name
    )
    disposition = content_disposition_header(False, version.original_name)
    if disposition is not None:
        response["Content-Disposition"] = disposition
    if version.kind == "pdf":
        # The browser's own PDF viewer does not run in a sandboxed document.
        response["Content-Security-Policy"] = "default-src 'none'"
    return response


@login_required
@require_POST
def delete(request: HttpRequest, pk: int) -> HttpResponse:
    found = selectors.file_access(user=request.user, pk=pk)
    services.file_delete(actor=request.user, file=found)
    messages.success(request, _("The file “%(name)s” is deleted.") % {"name": found.name})
    return redirect("library:files_folder", found.folder_id)


@login_required
def search_page(request: HttpRequest) -> HttpResponse:
    """Find files by words in their names and contents (Chinese full-text search)."""
    access.require(request.user, perms.FILES_USE)
    form = LibrarySearchForm(request.GET or None)
    results = None
    if form.is_valid() and form.cleaned_data["q"]:
        page = request.GET.get("page", "1")
        results = search(
            user=request.user,
            query=form.cleaned_data["q"],
            filters=SearchFilters(kinds=(services.SEARCH_KIND,)),
            page=int(page) if page.isdigit() and len(page) < 5 else 1,
        )
    return render(request, "library/files/search.html", {"form": form, "results": results})


# ------------------------------------------------------------------ change and delete folders


def _changeable(request: HttpRequest, pk: int) -> Folder:
    found = selectors.folder_access(user=request.user, pk=pk)
    access.require(request.user, perms.FOLDER_CHANGE, found)
    return found


def _folder_edit_page(
    request: HttpRequest,
    found: Folder,
    *,
    form: FolderRenameForm | None = None,
    delete_refusal: str = "",
    status: int = 200,
) -> HttpResponse:
    return render(
        request,
        "library/files/folder_edit.html",
        {
            "folder": found,
            "trail": [*selectors.folder_trail(found), found],
            "form": form or FolderRenameForm(initial={"name": found.name}),
            "has_audience": found.kind == FolderKind.COMMITTEE and found.parent_id is None,
            "delete_refusal": delete_refusal,
        },
        status=status,
    )


@login_required
def folder_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Rename a folder; links to its audience (committee folders) and its deletion."""
    found = _changeable(request, pk)
    if request.method != "POST":
        return _folder_edit_page(request, found)
    form = FolderRenameForm(request.POST)
    if form.is_valid():
        try:
            services.folder_rename(actor=request.user, folder=found, name=form.cleaned_data["name"])
        except DomainError as error:
            show_refusal(form, error, "name")
        else:
            messages.success(request, _("The folder is renamed “%(name)s”.") % {"name": found})
            return redirect("library:files_folder", found.pk)
    return _folder_edit_page(request, found, form=form, status=400)


@login_required
@require_POST
def folder_delete(request: HttpRequest, pk: int) -> HttpResponse:
    """Delete an empty folder (and its empty subfolders)."""
    found = _changeable(request, pk)
    try:
        services.folder_delete(actor=request.user, folder=found)
    except ValidationFailed as error:
        return _folder_edit_page(request, found, delete_refusal=error.message, status=400)
    messages.success(request, _("The folder “%(name)s” is deleted.") % {"name": found.name})
    if found.parent_id is not None:
        return redirect("library:files_folder", found.parent_id)
    return redirect("library:files_home")


@login_required
def folder_audience(request: HttpRequest, pk: int) -> HttpResponse:
    """Who sees a top-level committee folder: every organization or the chosen ones."""
    found = _changeable(request, pk)
    if found.kind != FolderKind.COMMITTEE or found.parent_id is not None:
        raise NotFound(_("Only a top-level committee folder has its own audience."))
    form = FolderAudienceForm(
        request.POST or None,
        initial={"audience_all": found.audience_all, "audience": list(found.audience.all())},
    )
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                services.folder_audience_set(
                    actor=request.user,
                    folder=found,
                    audience_all=form.cleaned_data["audience_all"],
                    audience=list(form.cleaned_data["audience"]),
                )
            except DomainError as error:
                show_refusal(form, error, "audience")
            else:
                messages.success(request, _("Who sees the folder is changed."))
                return redirect("library:files_folder", found.pk)
    return render(
        request,
        "library/files/folder_audience.html",
        {"folder": found, "trail": [*selectors.folder_trail(found), found], "form": form},
        status=status,
    )


# ---------------------------------------------------------------------------------- quotas


@login_required
def quotas(request: HttpRequest) -> HttpResponse:
    """Storage of every organization: used, quota, share used (50 a page, filter by name)."""
    access.require(request.user, perms.COMMITTEE_FOLDER_CREATE, _root())
    form = QuotaFilterForm(request.GET or None)
    name = form.cleaned_data["q"] if form.is_valid() else ""
    page = Paginator(selectors.organizations_with_usage(name=name), QUOTAS_PER_PAGE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "library/files/quotas.html",
        {
            "form": form,
            "page": page,
            "rows": selectors.quota_rows(page.object_list),
            "default_quota": services.default_quota_bytes(),
        },
    )


@login_required
def quota_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Set one organization's quota in MB or GB (empty: the default)."""
    access.require(request.user, perms.COMMITTEE_FOLDER_CREATE, _root())
    row = selectors.quota_row(pk=pk)
    initial: dict[str, Any] = {"unit": "GB"}
    if row.own:
        if row.quota % (1024**3) == 0:
            initial = {"amount": row.quota // 1024**3, "unit": "GB"}
        else:
            initial = {"amount": round(row.quota / 1024**2, 2), "unit": "MB"}
    form = QuotaForm(request.POST or None, initial=initial)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                services.quota_set(
                    actor=request.user,
                    organization=row.organization,
                    quota_bytes=form.quota_bytes(),
                )
            except DomainError as error:
                show_refusal(form, error, "amount")
            else:
                messages.success(
                    request,
                    _("The quota of %(organization)s is set.")
                    % {"organization": row.organization.name},
                )
                return redirect("library:files_quotas")
    return render(
        request,
        "library/files/quota_edit.html",
        {"row": row, "form": form, "default_quota": services.default_quota_bytes()},
        status=status,
    )
