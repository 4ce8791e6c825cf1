"""Pages of the archive: catalogue (and its export), one item with its versions, archiving a
finished document, correcting an item, and the documents' full-text search."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from dangwu import access
from dangwu.archive import permissions as perms
from dangwu.archive import selectors, services
from dangwu.archive.forms import ArchiveForm, CatalogueFilterForm, RearchiveForm, SearchForm
from dangwu.archive.models import ArchiveItem
from dangwu.archive.providers import archive_provider
from dangwu.core.errors import DomainError, Forbidden, NotFound, ValidationFailed
from dangwu.core.files import file_response
from dangwu.core.forms import apply_problems
from dangwu.core.search import SearchFilters, search
from dangwu.incoming.services import SEARCH_KIND as INCOMING

PER_PAGE = 50
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
KINDS = (INCOMING, services.SEARCH_KIND)


def _filters(request: HttpRequest) -> tuple[CatalogueFilterForm, int | None, str]:
    form = CatalogueFilterForm(request.GET or None, years=selectors.catalogue_years(request.user))
    if form.is_valid():
        return form, form.cleaned_data["year"], form.cleaned_data["retention"]
    return form, None, ""


@login_required
@require_safe
def catalogue(request: HttpRequest) -> HttpResponse:
    """归档文件目录: the newest version of every item, by 档号; filters by year and retention."""
    access.require(request.user, perms.VIEW)
    form, year, retention = _filters(request)
    items = selectors.catalogue(request.user, year=year, retention=retention)
    page = Paginator(items, PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "archive/catalogue.html",
        {"page": page, "filters": form, "first": page.start_index()},
    )


@login_required
@require_safe
def catalogue_export(request: HttpRequest) -> HttpResponse:
    """The catalogue as .xlsx, for the same year and retention filters."""
    _form, year, retention = _filters(request)
    content, _rows = services.catalogue_export(actor=request.user, year=year, retention=retention)
    response = HttpResponse(content, content_type=XLSX)
    name = f"archive-catalogue-{year or 'all'}{'-' + retention if retention else ''}.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def _item_context(request: HttpRequest, item: ArchiveItem, form: Any = None) -> dict[str, Any]:
    versions = list(selectors.item_versions(item))
    is_newest = versions[0].pk == item.pk
    provider = archive_provider(item.source_kind)
    return {
        "item": item,
        "files": list(item.files.defer("text")),
        "versions": versions,
        "is_newest": is_newest,
        "newest": versions[0],
        "source_url": provider.url(item.source_id) if provider and item.source_id else "",
        "may_correct": is_newest and access.can(request.user, perms.MANAGE, item),
        "form": form or RearchiveForm(initial={f: getattr(item, f) for f in services.CORRECTABLE}),
    }


@login_required
@require_safe
def item_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One archived item: catalogue fields, files, every version with its reason."""
    item = selectors.item_access(user=request.user, pk=pk)
    return render(request, "archive/item.html", _item_context(request, item))


@login_required
@require_POST
def item_rearchive(request: HttpRequest, pk: int) -> HttpResponse:
    """Correct an item: a new version with the reason (the item itself never changes)."""
    item = selectors.item_access(user=request.user, pk=pk)
    access.require(request.user, perms.MANAGE, item)
    form = RearchiveForm(request.POST)
    if form.is_valid():
        values = form.service_values()
        try:
            new = services.item_rearchive(
                actor=request.user, item=item, reason=values.pop("reason"), **values
            )
        except (Forbidden, NotFound):
            raise
        except ValidationFailed as error:
            apply_problems(form, error, "reason")
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("The corrected version is archived."))
            return redirect("archive:item", pk=new.pk)
    return render(request, "archive/item.html", _item_context(request, item, form), status=400)


def _source(request: HttpRequest, kind: str, source_id: int) -> dict[str, Any]:
    provider = archive_provider(kind)
    if provider is None:
        raise NotFound(_("This document does not exist, or you may not see it."))
    obj = provider.fetch(request.user, source_id)
    return {"record": provider.record(obj), "source_url": provider.url(source_id)}


@login_required
def item_create(request: HttpRequest) -> HttpResponse:
    """归档: archive a finished document; its catalogue fields come from the document."""
    access.require(request.user, perms.MANAGE)
    data = request.POST if request.method == "POST" else None
    initial = {"kind": request.GET.get("kind", ""), "source": request.GET.get("source")}
    form = ArchiveForm(data, initial=initial)
    kind = (data or request.GET).get("kind", "")
    try:
        source_id = int((data or request.GET).get("source", ""))
    except ValueError:
        raise NotFound(_("This document does not exist, or you may not see it.")) from None
    context = {"form": form, **_source(request, kind, source_id)}
    if data is None:
        return render(request, "archive/create.html", context)
    if form.is_valid():
        values = form.cleaned_data
        try:
            item = services.item_archive(
                actor=request.user,
                kind=values["kind"],
                source_id=values["source"],
                retention=values["retention"],
                unit=values["unit"],
                pages=values["pages"],
                remarks=values["remarks"],
            )
        except (Forbidden, NotFound):
            raise
        except ValidationFailed as error:
            apply_problems(form, error, "remarks")
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(
                request, _("The document is archived as %(code)s.") % {"code": item.code}
            )
            return redirect("archive:item", pk=item.pk)
    return render(request, "archive/create.html", context, status=400)


@login_required
@require_safe
def file_download(request: HttpRequest, pk: int) -> FileResponse:
    stored = selectors.file_access(user=request.user, pk=pk)
    return file_response(stored.file, content_type=stored.content_type, name=stored.original_name)


@login_required
@require_safe
def document_search(request: HttpRequest) -> HttpResponse:
    """全文检索 over incoming documents and archived items: each found only by its readers."""
    access.require(request.user, perms.SEARCH)
    form = SearchForm(request.GET or None)
    results = None
    if form.is_bound and form.is_valid() and form.cleaned_data["q"].strip():
        kind = form.cleaned_data["kind"]
        results = search(
            user=request.user,
            query=form.cleaned_data["q"],
            filters=SearchFilters(kinds=(kind,) if kind else KINDS),
            page=form.cleaned_data["page"] or 1,
        )
    return render(request, "archive/search.html", {"form": form, "results": results})
