"""API of the library: the classics reading room (经典名著), with the same services and policy as
the pages.

Every business user reads the books, keeps a reading position, reports reading time and keeps
bookmarks with notes; positions, time and bookmarks are the caller's own and nobody else's. A
chapter's answer carries a ``token``: reading reports for that chapter send it back, and the
server credits no more time than has passed since the chapter was fetched or since the previous
credited report.
"""

from datetime import datetime
from typing import Any

from django.http import FileResponse
from django.utils import timezone
from django.utils.http import content_disposition_header
from ninja import Field, File, Query, Router, Schema, Status
from ninja.files import UploadedFile
from ninja.pagination import paginate

from dangwu import access
from dangwu.api.pagination import Pages
from dangwu.api.schemas import MAX_ID, NO_NUL, ErrorOut, ObjectId, ValidationErrorOut
from dangwu.api.security import ApiRequest
from dangwu.core.errors import ValidationFailed
from dangwu.core.files import file_response
from dangwu.core.search import SearchFilters, search
from dangwu.library import files_selectors, files_services, selectors, services
from dangwu.library import permissions as perms
from dangwu.library.enums import BookCategory

router = Router(tags=["library"])

_ERRORS: dict[int, Any] = {
    400: ErrorOut,
    401: ErrorOut,
    403: ErrorOut,
    404: ErrorOut,
    422: ValidationErrorOut,
}
MAX_PARAGRAPH = 1_000_000
MAX_NUMBER = 1_000_000


# ---------------------------------------------------------------------------------- schemas


class BookOut(Schema):
    id: int
    title: str
    author: str
    category: str
    category_label: str
    chapter_count: int
    description: str

    @staticmethod
    def resolve_category_label(obj: Any) -> str:
        return str(obj.get_category_display())


class ChapterEntryOut(Schema):
    number: int
    title: str
    paragraph_count: int


class PositionOut(Schema):
    book_id: int
    chapter: int = Field(..., description="The chapter's number in the book")
    chapter_title: str
    paragraph: int = Field(..., description="Index of the paragraph at the top, from 0")
    updated_at: datetime

    @staticmethod
    def resolve_chapter(obj: Any) -> int:
        return int(obj.chapter.number)

    @staticmethod
    def resolve_chapter_title(obj: Any) -> str:
        return str(obj.chapter.title)


class BookDetailOut(BookOut):
    chapters: list[ChapterEntryOut]
    position: PositionOut | None = Field(None, description="Where I stopped in this book")

    @staticmethod
    def resolve_chapters(obj: Any) -> list[Any]:
        return list(obj.contents)

    @staticmethod
    def resolve_position(obj: Any) -> Any:
        return obj.my_position


class ChapterOut(Schema):
    book_id: int
    number: int
    title: str
    paragraphs: list[str] = Field(..., description="Sanitized HTML of each paragraph, in order")
    previous: int | None = Field(None, description="The previous chapter's number")
    next: int | None = Field(None, description="The next chapter's number")
    token: str = Field(..., description="Send it back with the reading reports of this chapter")


class ProgressOut(Schema):
    today_seconds: int
    year_seconds: int
    positions: list[PositionOut]


class ReportIn(Schema):
    book_id: int = Field(..., ge=1, le=MAX_ID)
    chapter: int = Field(..., ge=1, le=MAX_NUMBER, description="The chapter's number")
    token: str = Field(..., min_length=1, max_length=500, pattern=NO_NUL)
    seconds: int = Field(
        0, ge=0, le=86400, description="Active reading seconds since the previous report"
    )
    paragraph: int | None = Field(
        None, ge=0, le=MAX_PARAGRAPH, description="Paragraph at the top of the screen, from 0"
    )


class ReportOut(Schema):
    credited: int = Field(..., description="Seconds counted from this report")
    position_saved: bool
    today_seconds: int


class BookmarkOut(Schema):
    id: int
    book_id: int
    book_title: str
    chapter: int
    chapter_title: str
    paragraph: int
    excerpt: str
    note: str
    created_at: datetime

    @staticmethod
    def resolve_book_title(obj: Any) -> str:
        return str(obj.book.title)

    @staticmethod
    def resolve_chapter(obj: Any) -> int:
        return int(obj.chapter.number)

    @staticmethod
    def resolve_chapter_title(obj: Any) -> str:
        return str(obj.chapter.title)


class BookmarkIn(Schema):
    book_id: int = Field(..., ge=1, le=MAX_ID)
    chapter: int = Field(..., ge=1, le=MAX_NUMBER, description="The chapter's number")
    paragraph: int = Field(..., ge=0, le=MAX_PARAGRAPH, description="Paragraph index, from 0")
    note: str = Field("", max_length=services.MAX_NOTE, pattern=NO_NUL)


class BookFilters(Schema):
    category: BookCategory | None = None
    q: str = Field("", max_length=100, pattern=NO_NUL, description="Words of the title or author")


class BookmarkFilters(Schema):
    book_id: int | None = Field(None, ge=1, le=MAX_ID)


# ---------------------------------------------------------------------------------- books


@router.get(
    "/library/books",
    response={200: list[BookOut], **_ERRORS},
    summary="List the books of the classics reading room, by category and title",
)
@paginate(Pages)
def classics_book_list(request: ApiRequest, filters: Query[BookFilters]) -> Any:
    return selectors.books_catalogue(
        user=request.auth, category=filters.category or "", query=filters.q
    )


@router.get(
    "/library/books/{book_id}",
    response={200: BookDetailOut, **_ERRORS},
    summary="One book with its table of contents and where I stopped",
)
def classics_book_detail(request: ApiRequest, book_id: ObjectId) -> Any:
    book = selectors.book_access(user=request.auth, pk=book_id)
    book.contents = selectors.book_contents(book)  # type: ignore[attr-defined]  # for the schema
    book.my_position = selectors.position_in(user=request.auth, book=book)  # type: ignore[attr-defined]
    return book


@router.get(
    "/library/books/{book_id}/chapters/{number}",
    response={200: ChapterOut, **_ERRORS},
    summary="The text of one chapter, with a token for reading reports",
)
def classics_chapter_detail(request: ApiRequest, book_id: ObjectId, number: ObjectId) -> Any:
    chapter = selectors.chapter_access(user=request.auth, book_id=book_id, number=number)
    numbers = [c.number for c in selectors.book_contents(chapter.book)]
    return {
        "book_id": chapter.book_id,
        "number": chapter.number,
        "title": chapter.title,
        "paragraphs": chapter.blocks,
        "previous": max((n for n in numbers if n < chapter.number), default=None),
        "next": min((n for n in numbers if n > chapter.number), default=None),
        "token": services.beat_token(user=request.auth, chapter=chapter),
    }


# ---------------------------------------------------------------------------------- progress


@router.get(
    "/library/progress",
    response={200: ProgressOut, **_ERRORS},
    summary="My reading time today and this year, and where I stopped in the books I read last",
)
def classics_progress_detail(request: ApiRequest) -> Any:
    access.require(request.auth, perms.CLASSICS_READ)
    totals = selectors.reading_totals(user=request.auth, today=timezone.localdate())
    return {
        "today_seconds": totals.today,
        "year_seconds": totals.year,
        "positions": selectors.positions_recent(user=request.auth, limit=20),
    }


@router.post(
    "/library/progress",
    response={200: ReportOut, **_ERRORS},
    summary="Report my position in a chapter and the active reading time since the last report",
)
def classics_progress_report(request: ApiRequest, payload: ReportIn) -> Any:
    """Refused with 400, nothing kept: an invalid or expired token, more seconds than have
    passed since the previous credited report (audited), a paragraph outside the chapter. A
    report less than a minute after the previous credited one keeps the position only."""
    chapter = selectors.chapter_access(
        user=request.auth, book_id=payload.book_id, number=payload.chapter
    )
    result = services.reading_report(
        actor=request.auth,
        chapter=chapter,
        token=payload.token,
        seconds=payload.seconds,
        paragraph=payload.paragraph,
    )
    return {
        "credited": result.credited,
        "position_saved": result.position_saved,
        "today_seconds": result.today_seconds,
    }


# ---------------------------------------------------------------------------------- bookmarks


@router.get(
    "/library/bookmarks",
    response={200: list[BookmarkOut], **_ERRORS},
    summary="My bookmarks and notes, newest first (all books, or one)",
)
@paginate(Pages)
def classics_bookmark_list(request: ApiRequest, filters: Query[BookmarkFilters]) -> Any:
    access.require(request.auth, perms.CLASSICS_READ)
    book = None
    if filters.book_id is not None:
        book = selectors.book_access(user=request.auth, pk=filters.book_id)
    return selectors.bookmarks_of(user=request.auth, book=book)


@router.post(
    "/library/bookmarks",
    response={201: BookmarkOut, **_ERRORS},
    summary="Mark a paragraph of a chapter, with an optional note only I see",
)
def classics_bookmark_create(request: ApiRequest, payload: BookmarkIn) -> Any:
    """Refused with 400, nothing saved: a paragraph outside the chapter, a classified mark."""
    chapter = selectors.chapter_access(
        user=request.auth, book_id=payload.book_id, number=payload.chapter
    )
    bookmark = services.bookmark_create(
        actor=request.auth, chapter=chapter, paragraph=payload.paragraph, note=payload.note
    )
    return Status(201, selectors.bookmarks_of(user=request.auth).get(pk=bookmark.pk))


@router.delete(
    "/library/bookmarks/{bookmark_id}",
    response={204: None, **_ERRORS},
    summary="Delete one of my bookmarks (anyone else's is answered as missing)",
)
def classics_bookmark_delete(request: ApiRequest, bookmark_id: ObjectId) -> Any:
    bookmark = selectors.bookmark_access(user=request.auth, pk=bookmark_id)
    services.bookmark_delete(actor=request.auth, bookmark=bookmark)
    return Status(204, None)


# ------------------------------------------------------------------ the file library (资料交换)
#
# Folders the caller may see (committee folders shared with their organization, their
# organization's own, exchange folders), the files in one, upload (multipart, one or more files
# in ``files``; a file with a name already in the folder becomes its new version), download (the
# newest version or ``?version=N``, under the original name, counted) and full-text search. A
# folder or file the caller may not see is answered as missing (404).


class FolderOut(Schema):
    id: int
    name: str
    kind: str = Field(..., description="committee, organization or exchange")
    kind_label: str
    organization_id: int = Field(..., description="The owner: the root, or the organization")
    organization_name: str
    parent_id: int | None
    description: str

    @staticmethod
    def resolve_kind_label(obj: Any) -> str:
        return str(obj.get_kind_display())

    @staticmethod
    def resolve_organization_name(obj: Any) -> str:
        return str(obj.organization.name)


class FileOut(Schema):
    id: int
    folder_id: int
    name: str
    version: int = Field(..., description="The newest version's number")
    version_count: int
    size: int = Field(..., description="The newest version's size in bytes")
    content_type: str
    uploaded_by: str = Field(..., description="Who uploaded the newest version")
    uploaded_at: datetime
    download_count: int = Field(..., description="Downloads of all versions")

    @staticmethod
    def resolve_version(obj: Any) -> int:
        return int(obj.current.number) if obj.current else 0

    @staticmethod
    def resolve_content_type(obj: Any) -> str:
        return str(obj.current.content_type) if obj.current else ""

    @staticmethod
    def resolve_uploaded_by(obj: Any) -> str:
        user = obj.current.uploaded_by if obj.current else None
        return str(user) if user else ""

    @staticmethod
    def resolve_uploaded_at(obj: Any) -> datetime:
        return obj.current.uploaded_at if obj.current else obj.updated_at


class UploadedOut(Schema):
    file_id: int
    name: str
    version: int
    size: int
    sha256: str


class UploadRefusedOut(Schema):
    name: str
    detail: str


class UploadOut(Schema):
    uploaded: list[UploadedOut]
    refused: list[UploadRefusedOut] = Field(
        ..., description="Files refused (type, size, classification mark, quota, name)"
    )


class FileHitOut(Schema):
    file_id: int
    title: str = Field(..., description="The file name, matches marked with <mark>")
    snippet: str
    folder: str
    url: str


class FileSearchOut(Schema):
    total: int
    page: int
    hits: list[FileHitOut]


class FileSearchFilters(Schema):
    q: str = Field(..., min_length=1, max_length=100, pattern=NO_NUL)
    page: int = Field(1, ge=1, le=50)


class DownloadFilters(Schema):
    version: int | None = Field(None, ge=1, le=MAX_NUMBER)


@router.get(
    "/library/folders",
    response={200: list[FolderOut], **_ERRORS},
    summary="List the shared folders I may see (top-level and subfolders)",
)
@paginate(Pages)
def files_folder_list(request: ApiRequest) -> Any:
    access.require(request.auth, perms.FILES_USE)
    return (
        files_selectors.folders_visible(user=request.auth)
        .select_related("organization")
        .order_by("kind", "organization__path", "parent_id", "name", "id")
    )


@router.get(
    "/library/folders/{folder_id}/files",
    response={200: list[FileOut], **_ERRORS},
    summary="List the files in a folder (not deleted), by name",
)
@paginate(Pages)
def files_file_list(request: ApiRequest, folder_id: ObjectId) -> Any:
    folder = files_selectors.folder_access(user=request.auth, pk=folder_id)
    return files_selectors.files_in(folder)


@router.post(
    "/library/folders/{folder_id}/files",
    response={
        201: UploadOut,
        400: UploadOut,
        401: ErrorOut,
        403: ErrorOut,
        404: ErrorOut,
        422: ValidationErrorOut,
    },
    summary="Upload files into a folder (multipart/form-data, field ``files``, one or more)",
    description=(
        "Each file is checked on its own (type by content, size, the classification guard, the "
        "organization's quota, path tricks in the name). 201 when every file was stored, 400 "
        "when any was refused (the others are stored; ``refused`` says why). A request without "
        "files stores nothing (201, two empty lists)."
    ),
)
def files_upload(
    request: ApiRequest,
    folder_id: ObjectId,
    files: list[UploadedFile] = File(None),  # noqa: B008  (ninja's way to declare it)
) -> Any:
    folder = files_selectors.folder_access(user=request.auth, pk=folder_id)
    access.require(request.auth, perms.FOLDER_UPLOAD, folder)
    uploaded: list[dict[str, Any]] = []
    refused: list[dict[str, str]] = []
    for item in files or []:
        name = item.name or ""
        try:
            version = files_services.file_upload(actor=request.auth, folder=folder, upload=item)
        except ValidationFailed as error:
            refused.append({"name": name, "detail": error.message})
        else:
            uploaded.append(
                {
                    "file_id": version.file_id,
                    "name": version.original_name,
                    "version": version.number,
                    "size": version.size,
                    "sha256": version.sha256,
                }
            )
    return Status(400 if refused else 201, {"uploaded": uploaded, "refused": refused})


@router.get(
    "/library/files/{file_id}/download",
    response={200: None, **_ERRORS},
    summary="Download a file (the newest version, or ``version``) under its original name",
    openapi_extra={"responses": {200: {"content": {"application/octet-stream": {}}}}},
)
def files_download(
    request: ApiRequest, file_id: ObjectId, filters: Query[DownloadFilters]
) -> FileResponse:
    version = files_selectors.version_access(
        user=request.auth, file_id=file_id, number=filters.version
    )
    files_services.file_downloaded(version=version)
    response = file_response(
        version.blob, content_type=version.content_type, name=version.original_name
    )
    response["Content-Disposition"] = (
        content_disposition_header(True, version.original_name) or "attachment"
    )
    return response


@router.get(
    "/library/files/search",
    response={200: FileSearchOut, **_ERRORS},
    summary="Find files by words of their names and contents (only folders I may see)",
)
def files_search(request: ApiRequest, filters: Query[FileSearchFilters]) -> Any:
    access.require(request.auth, perms.FILES_USE)
    results = search(
        user=request.auth,
        query=filters.q,
        filters=SearchFilters(kinds=(files_services.SEARCH_KIND,)),
        page=filters.page,
    )
    return {
        "total": results.total,
        "page": results.page,
        "hits": [
            {
                "file_id": hit.object_id,
                "title": str(hit.title),
                "snippet": str(hit.snippet),
                "folder": hit.section,
                "url": hit.url,
            }
            for hit in results.hits
        ],
    }
