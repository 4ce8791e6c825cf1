"""What the portal's API takes and returns: columns, articles and their editorial workflow.

Bodies are the sanitized HTML the services stored; titles and other fields are plain text that
clients must escape like any other string.
"""

from datetime import date, datetime
from typing import Any

from ninja import Field, Schema
from pydantic import model_validator

from dangwu.api.schemas import MAX_ID, _label, _text
from dangwu.core.visibility import Visibility
from dangwu.portal.attachments import download_url
from dangwu.portal.enums import ArticleStatus, SourceKind
from dangwu.portal.models import Article, Attachment, Column

# Enough for any real article; the services check the real limits with Chinese messages.
MAX_BODY = 1_000_000
MAX_EXTRA_COLUMNS = 20
SUMMARY_LENGTH = 140


def _id(default: Any, description: str) -> Any:
    return Field(default, ge=1, le=MAX_ID, description=description)


class ColumnOut(Schema):
    id: int
    slug: str
    name: str
    parent_id: int | None
    description: str
    visibility: str
    visibility_label: str
    order: int
    link: str = Field(..., description="An entry point elsewhere in the platform, not articles")

    resolve_visibility_label = _label("visibility")


class ColumnRefOut(Schema):
    id: int
    name: str


class AttachmentOut(Schema):
    name: str = Field(..., description="The original file name")
    content_type: str = Field(..., description="As checked by content")
    size: int
    url: str = Field(..., description="Download address on this site, for the same readers")

    @staticmethod
    def resolve_name(obj: Attachment) -> str:
        return obj.original_name

    @staticmethod
    def resolve_url(obj: Attachment) -> str:
        return download_url(obj)


class ArticleFilters(Schema):
    column: int | None = _id(None, "In this column (as its primary or an extra column)")
    source_kind: SourceKind | None = None
    published_from: date | None = Field(None, description="Published on or after (Beijing time)")
    published_to: date | None = Field(None, description="Published on or before (Beijing time)")
    pinned: bool | None = None

    @model_validator(mode="after")
    def _range_in_order(self) -> "ArticleFilters":
        if self.published_from and self.published_to and self.published_from > self.published_to:
            raise ValueError("published_from is after published_to")
        return self


class _ArticleBase(Schema):
    id: int
    title: str
    subtitle: str
    source_kind: str
    source_kind_label: str
    source_name: str
    author: str
    organization_id: int
    organization_name: str
    column_id: int
    column_name: str
    visibility: str
    visibility_label: str
    publish_at: datetime | None
    pinned: bool

    resolve_source_kind_label = _label("source_kind")

    @staticmethod
    def resolve_organization_name(obj: Article) -> str:
        return obj.organization.name

    @staticmethod
    def resolve_column_name(obj: Article) -> str:
        return obj.column.name

    resolve_visibility_label = _label("visibility")


class ArticleOut(_ArticleBase):
    summary: str = Field(..., description="The beginning of the body as plain text")

    @staticmethod
    def resolve_summary(obj: Article) -> str:
        return obj.body_text[:SUMMARY_LENGTH]


class ArticleDetailOut(_ArticleBase):
    body: str = Field(..., description="Sanitized HTML")
    extra_columns: list[ColumnRefOut] = Field(..., description="Those the caller may read")
    attachments: list[AttachmentOut]

    @staticmethod
    def resolve_attachments(obj: Article) -> list[Attachment]:
        return list(obj.attachments.all())

    @staticmethod
    def resolve_extra_columns(obj: Article) -> list[Column]:
        # Prefetched by the operation, filtered to the columns the caller may read.
        return obj.readable_extra_columns  # type: ignore[attr-defined]


class EditableArticleOut(_ArticleBase):
    status: str
    status_label: str
    review_comment: str
    created_at: datetime
    updated_at: datetime

    resolve_status_label = _label("status")


class EditableArticleDetailOut(EditableArticleOut):
    body: str = Field(..., description="Sanitized HTML")
    extra_columns: list[ColumnRefOut]
    attachments: list[AttachmentOut]

    @staticmethod
    def resolve_extra_columns(obj: Article) -> list[Column]:
        return list(obj.extra_columns.all())

    @staticmethod
    def resolve_attachments(obj: Article) -> list[Attachment]:
        return list(obj.attachments.all())


class EditableArticleFilters(Schema):
    status: ArticleStatus | None = None
    column: int | None = _id(None, "Primary column")


class ArticleIn(Schema):
    organization: int = _id(..., "The contributing organization (one the caller writes for)")
    column: int = _id(..., "The primary column")
    extra_columns: list[int] = Field(
        [], max_length=MAX_EXTRA_COLUMNS, description="Further columns to show it in"
    )
    title: str = _text(..., 1000, description="Plain text")
    subtitle: str = _text("", 200)
    source_kind: SourceKind = SourceKind.COMMITTEE
    source_name: str = _text("", 100)
    author: str = _text("", 60)
    visibility: Visibility | None = Field(None, description="Default: the column's")
    pinned: bool = False
    body: str = _text("", MAX_BODY, description="HTML; sanitized when stored")
    secret_level: str = _text(
        "", 20, description="密级, if the content carries one: 秘密, 机密 and 绝密 are refused"
    )


class ArticlePatch(Schema):
    """Only the fields sent are changed; ``null`` is refused (send "" to clear a text)."""

    column: int | None = _id(None, "The primary column")
    extra_columns: list[int] | None = Field(None, max_length=MAX_EXTRA_COLUMNS)
    title: str | None = _text(None, 1000)
    subtitle: str | None = _text(None, 200)
    source_kind: SourceKind | None = None
    source_name: str | None = _text(None, 100)
    author: str | None = _text(None, 60)
    visibility: Visibility | None = None
    pinned: bool | None = None
    body: str | None = _text(None, MAX_BODY)
    secret_level: str | None = _text(None, 20)

    @model_validator(mode="after")
    def _no_nulls(self) -> "ArticlePatch":
        # "Not sent" means unchanged; a null would reach the database as an empty value.
        if nulls := sorted(f for f in self.model_fields_set if getattr(self, f) is None):
            raise ValueError(f"null is not accepted: {', '.join(nulls)}")
        return self


class ReturnIn(Schema):
    comment: str = _text(..., 2000, description="What the author should change")


class PublishIn(Schema):
    publish_at: datetime | None = Field(
        None, description="Later: scheduled; default now; without a zone: Beijing time"
    )


class WithdrawIn(Schema):
    comment: str = _text("", 2000)


class RevisionOut(Schema):
    id: int
    action: str
    action_label: str
    title: str
    changed_fields: list[str]
    comment: str
    changed_by_name: str
    changed_at: datetime

    resolve_action_label = _label("action")


class VisitsOut(Schema):
    views: int = Field(..., description="Page views, on this site and the public one")
    visitors: int = Field(..., description="Unique visitors, added up day by day")
