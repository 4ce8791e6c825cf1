"""API of the archive: same services and policy as the pages.

Archive a finished document, correct an item (a new version; items never change), list the
catalogue, download it as Excel, and search documents (incoming and archived) with the
permission filtering of each kind.
"""

from datetime import date as Date
from datetime import datetime
from typing import Any

from django.http import HttpResponse
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from dangwu import access
from dangwu.api.pagination import Pages
from dangwu.api.schemas import MAX_ID, ErrorOut, ObjectId, ValidationErrorOut, _label, _text
from dangwu.api.security import ApiRequest
from dangwu.archive import permissions as perms
from dangwu.archive import selectors, services
from dangwu.archive.enums import Classification, Retention
from dangwu.archive.views import KINDS, XLSX
from dangwu.core.search import MAX_PAGE, SearchFilters, search
from dangwu.core.search.segment import MAX_QUERY_LENGTH

router = Router(tags=["archive"])

_ERRORS: dict[int, Any] = {
    400: ErrorOut,
    401: ErrorOut,
    403: ErrorOut,
    404: ErrorOut,
    422: ValidationErrorOut,
}


class ItemOut(Schema):
    id: int
    code: str = Field(..., description="档号")
    version: int
    fonds: str
    year: int
    retention: str
    retention_label: str
    unit: str
    item_number: int
    doc_number: str
    responsible: str
    title: str
    date: str = Field(..., description="YYYYMMDD")
    classification: str
    pages: int
    remarks: str
    source_kind: str
    source_id: int | None
    archived_at: datetime
    archived_by_name: str

    resolve_retention_label = _label("retention")

    @staticmethod
    def resolve_date(obj: Any) -> str:
        return str(obj.date_code)


class ItemDetailOut(ItemOut):
    reason: str
    previous_id: int | None
    files: list[dict[str, Any]]

    @staticmethod
    def resolve_files(obj: Any) -> list[dict[str, Any]]:
        return [
            {"id": f.id, "name": f.original_name, "content_type": f.content_type, "size": f.size}
            for f in obj.files.all()
        ]


class ArchiveIn(Schema):
    kind: str = _text(..., 40, description="The source's kind, e.g. incoming.document")
    source_id: int = Field(..., ge=1, le=MAX_ID)
    retention: Retention
    unit: str = _text("", 10, description="机构(问题)代码; the configured default when empty")
    pages: int = Field(..., ge=1, le=100000)
    remarks: str = _text("", 200)


class RearchiveIn(Schema):
    reason: str = _text(..., 2000, min_length=1)
    doc_number: str | None = _text(None, 60)
    responsible: str | None = _text(None, 100)
    title: str | None = _text(None, 200)
    date: Date | None = None
    classification: Classification | None = None
    pages: int | None = Field(None, ge=1, le=100000)
    remarks: str | None = _text(None, 200)


class CatalogueFilters(Schema):
    year: int | None = Field(None, ge=1900, le=9999)
    retention: Retention | None = None


class SearchIn(Schema):
    q: str = _text(..., MAX_QUERY_LENGTH, min_length=1)
    kind: str | None = Field(None, pattern=r"^(incoming\.document|archive\.item)$")
    page: int = Field(1, ge=1, le=MAX_PAGE)


class SearchHitOut(Schema):
    kind: str
    id: int
    title_html: str
    snippet_html: str
    url: str
    date: datetime


class SearchOut(Schema):
    query: str
    count: int
    page: int
    pages: int
    items: list[SearchHitOut]


@router.get(
    "/archive/items",
    response={200: list[ItemOut], **_ERRORS},
    summary="The archive catalogue (newest version of each item), by archival code",
)
@paginate(Pages)
def archive_item_list(request: ApiRequest, filters: Query[CatalogueFilters]) -> Any:
    access.require(request.auth, perms.VIEW)
    return selectors.catalogue(request.auth, year=filters.year, retention=filters.retention or "")


@router.get(
    "/archive/items/{item_id}",
    response={200: ItemDetailOut, **_ERRORS},
    summary="One archived item (any version) with its files",
)
def archive_item_detail(request: ApiRequest, item_id: ObjectId) -> Any:
    return selectors.item_access(user=request.auth, pk=item_id)


@router.post(
    "/archive/items",
    response={201: ItemDetailOut, **_ERRORS},
    summary="Archive a finished document as a new item (document clerks)",
)
def archive_item_create(request: ApiRequest, payload: ArchiveIn) -> Any:
    item = services.item_archive(actor=request.auth, **payload.dict())
    return Status(201, item)


@router.post(
    "/archive/items/{item_id}/rearchive",
    response={201: ItemDetailOut, **_ERRORS},
    summary="Correct an item: archive a new version with the reason (the item never changes)",
)
def archive_item_rearchive(request: ApiRequest, item_id: ObjectId, payload: RearchiveIn) -> Any:
    item = selectors.item_access(user=request.auth, pk=item_id)
    changes = payload.dict(exclude_unset=True, exclude_none=True)
    reason = changes.pop("reason")
    new = services.item_rearchive(actor=request.auth, item=item, reason=reason, **changes)
    return Status(201, new)


@router.get(
    "/archive/catalogue.xlsx",
    response={200: None, **_ERRORS},
    summary="Download the archive catalogue (归档文件目录) as Excel, per year and retention",
)
def archive_catalogue_export(request: ApiRequest, filters: Query[CatalogueFilters]) -> Any:
    content, _rows = services.catalogue_export(
        actor=request.auth, year=filters.year, retention=filters.retention or ""
    )
    response = HttpResponse(content, content_type=XLSX)
    response["Content-Disposition"] = 'attachment; filename="archive-catalogue.xlsx"'
    return response


@router.get(
    "/archive/search",
    response={200: SearchOut, **_ERRORS},
    summary="Search incoming documents and archived items I may see (ranked, highlighted)",
)
def archive_search(request: ApiRequest, params: Query[SearchIn]) -> Any:
    access.require(request.auth, perms.SEARCH)
    results = search(
        user=request.auth,
        query=params.q,
        filters=SearchFilters(kinds=(params.kind,) if params.kind else KINDS),
        page=params.page,
    )
    return {
        "query": results.query,
        "count": results.total,
        "page": results.page,
        "pages": results.num_pages,
        "items": [
            {
                "kind": hit.kind,
                "id": hit.object_id,
                "title_html": str(hit.title),
                "snippet_html": str(hit.snippet),
                "url": hit.url,
                "date": hit.published_at,
            }
            for hit in results.hits
        ],
    }
