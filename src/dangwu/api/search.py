"""Full-text search (全文检索) over what the caller may read; visitors search public content."""

from datetime import date, datetime
from typing import Any

from ninja import Field, Query, Router, Schema
from pydantic import model_validator

from dangwu.api.schemas import MAX_ID, NO_NUL, ErrorOut, ValidationErrorOut
from dangwu.api.security import OPEN_TO_VISITORS, READERS, ReaderRequest
from dangwu.core.search import MAX_PAGE, MAX_RESULTS, SearchFilters, search
from dangwu.core.search.segment import MAX_QUERY_LENGTH
from dangwu.portal.enums import SourceKind
from dangwu.portal.search import ARTICLE

router = Router(tags=["search"])


class SearchIn(Schema):
    q: str = Field(
        ...,
        min_length=1,
        max_length=MAX_QUERY_LENGTH,
        pattern=NO_NUL,
        description="Words to find; every word must occur (e.g. 党员 党费)",
    )
    column: int | None = Field(None, ge=1, le=MAX_ID, description="In this column")
    source_kind: SourceKind | None = None
    published_from: date | None = Field(None, description="Published on or after (Beijing time)")
    published_to: date | None = Field(None, description="Published on or before (Beijing time)")
    page: int = Field(1, ge=1, le=MAX_PAGE)

    @model_validator(mode="after")
    def _range_in_order(self) -> "SearchIn":
        if self.published_from and self.published_to and self.published_from > self.published_to:
            raise ValueError("published_from is after published_to")
        return self


class SearchHitOut(Schema):
    kind: str
    id: int = Field(..., description="The id of the found object (an article)")
    title_html: str = Field(..., description="HTML: the title escaped, matches in <mark>")
    snippet_html: str = Field(..., description="HTML: a passage escaped, matches in <mark>")
    url: str
    column_id: int | None
    column_name: str
    source_kind: str
    published_at: datetime


class SearchOut(Schema):
    query: str
    terms: list[str] = Field(..., description="The words searched for, as segmented")
    count: int = Field(
        ...,
        description="How many results the caller may see, in all; at most "
        f"{MAX_RESULTS} (then `more` is true and the newest {MAX_RESULTS} are ranked)",
    )
    more: bool = Field(..., description=f"There are more than {MAX_RESULTS} results")
    page: int
    pages: int
    items: list[SearchHitOut]


@router.get(
    "/search",
    auth=READERS,
    openapi_extra=OPEN_TO_VISITORS,
    response={200: SearchOut, 401: ErrorOut, 422: ValidationErrorOut},
    summary="Search articles (ranked, with highlighted passages)",
)
def search_articles(request: ReaderRequest, params: Query[SearchIn]) -> Any:
    results = search(
        user=request.auth,
        query=params.q,
        filters=SearchFilters(
            column=params.column,
            source=params.source_kind or "",
            date_from=params.published_from,
            date_to=params.published_to,
            kinds=(ARTICLE,),
        ),
        page=params.page,
    )
    return {
        "query": results.query,
        "terms": results.terms,
        "count": results.total,
        "more": results.more,
        "page": results.page,
        "pages": results.num_pages,
        "items": [
            {
                "kind": hit.kind,
                "id": hit.object_id,
                "title_html": str(hit.title),
                "snippet_html": str(hit.snippet),
                "url": hit.url,
                "column_id": hit.column_id,
                "column_name": hit.section,
                "source_kind": hit.source,
                "published_at": hit.published_at,
            }
            for hit in results.hits
        ],
    }
