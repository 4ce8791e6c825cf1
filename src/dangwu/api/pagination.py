"""Limit/offset pages with bounds, so no request can ask for everything or overflow the database."""

from ninja import Field, Schema
from ninja.pagination import LimitOffsetPagination

PER_PAGE = 50
MAX_PER_PAGE = 200
MAX_OFFSET = 10**9


class Pages(LimitOffsetPagination):
    """``?limit=&offset=``; the answer is ``{"items": [...], "count": total}``."""

    class Input(Schema):
        limit: int = Field(PER_PAGE, ge=1, le=MAX_PER_PAGE)
        offset: int = Field(0, ge=0, le=MAX_OFFSET)

    def __init__(self, **kwargs: object) -> None:
        super().__init__(max_limit=MAX_PER_PAGE, **kwargs)
