"""The portal: columns and articles for readers, and the editorial workflow for writers.

Readers, visitors without an account included, see exactly what the pages show them: live
articles at a level their audience allows. Writers reach only the articles of the
organizations they write for; one they may not reach is answered like one that does not exist.
Every change goes through ``dangwu.portal.services`` (sanitizing, the classification guard,
revisions, audit).
"""

from datetime import date, datetime, time, timedelta
from typing import Any

from django.db.models import Prefetch, prefetch_related_objects
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Body, Query, Router, Status
from ninja.pagination import paginate

from dangwu import access
from dangwu.analytics import selectors as visits
from dangwu.api.pagination import Pages
from dangwu.api.portal_schemas import (
    ArticleDetailOut,
    ArticleFilters,
    ArticleIn,
    ArticleOut,
    ArticlePatch,
    ColumnOut,
    EditableArticleDetailOut,
    EditableArticleFilters,
    EditableArticleOut,
    PublishIn,
    ReturnIn,
    RevisionOut,
    VisitsOut,
    WithdrawIn,
)
from dangwu.api.schemas import ErrorOut, ObjectId, ValidationErrorOut
from dangwu.api.security import OPEN_TO_VISITORS, READERS, ApiRequest, ReaderRequest
from dangwu.core.errors import NotFound, ValidationFailed
from dangwu.orgs.models import Organization
from dangwu.portal import permissions as perms
from dangwu.portal import selectors, services
from dangwu.portal.models import ArticleRevision, Column

router = Router(tags=["portal"])

_READ_ERRORS: dict[int, Any] = {401: ErrorOut, 404: ErrorOut, 422: ValidationErrorOut}
_ERRORS: dict[int, Any] = {
    400: ErrorOut,
    401: ErrorOut,
    403: ErrorOut,
    404: ErrorOut,
    422: ValidationErrorOut,
}


# ---------------------------------------------------------------------------------- readers


@router.get(
    "/portal/columns",
    auth=READERS,
    openapi_extra=OPEN_TO_VISITORS,
    response={200: list[ColumnOut], **_READ_ERRORS},
    summary="List the columns I may read (visitors: the public ones), in their order",
)
@paginate(Pages)
def column_list(request: ReaderRequest) -> Any:
    return selectors.columns_readable(request.auth).order_by("order", "id")


@router.get(
    "/portal/columns/{column_id}",
    auth=READERS,
    openapi_extra=OPEN_TO_VISITORS,
    response={200: ColumnOut, **_READ_ERRORS},
    summary="One column",
)
def column_detail(request: ReaderRequest, column_id: ObjectId) -> Any:
    return _column_readable(request.auth, column_id)


@router.get(
    "/portal/articles",
    auth=READERS,
    openapi_extra=OPEN_TO_VISITORS,
    response={200: list[ArticleOut], **_READ_ERRORS},
    summary="List the published articles I may read, newest first (column, source, dates)",
)
@paginate(Pages)
def article_list(request: ReaderRequest, filters: Query[ArticleFilters]) -> Any:
    user = request.auth
    column = _column_readable(user, filters.column) if filters.column is not None else None
    articles = selectors.articles_readable(user, column=column, with_summary=True)
    if filters.source_kind:
        articles = articles.filter(source_kind=filters.source_kind)
    if filters.pinned is not None:
        articles = articles.filter(pinned=filters.pinned)
    if filters.published_from is not None:
        articles = articles.filter(publish_at__gte=_day_start(filters.published_from))
    if filters.published_to is not None:
        next_day = filters.published_to + timedelta(days=1)
        articles = articles.filter(publish_at__lt=_day_start(next_day))
    # The id breaks ties, so pages never overlap or skip.
    return articles.order_by("-publish_at", "-id")


@router.get(
    "/portal/articles/{article_id}",
    auth=READERS,
    openapi_extra=OPEN_TO_VISITORS,
    response={200: ArticleDetailOut, **_READ_ERRORS},
    summary="One published article with its sanitized body",
)
def article_detail(request: ReaderRequest, article_id: ObjectId) -> Any:
    """An article the caller may not read (or not yet: scheduled) is answered as missing."""
    user = request.auth
    article = selectors.article_read(user=user, pk=article_id)
    # Its other columns may be narrower than the article: name only those the reader may see.
    readable = Prefetch(
        "extra_columns",
        queryset=selectors.columns_readable(user).order_by("order", "id"),
        to_attr="readable_extra_columns",
    )
    prefetch_related_objects([article], readable, "attachments")
    return article


# ---------------------------------------------------------------------------------- writers


@router.get(
    "/portal/my/articles",
    response={200: list[EditableArticleOut], **_ERRORS},
    summary="List the articles I may edit, in any state, last changed first",
)
@paginate(Pages)
def my_article_list(request: ApiRequest, filters: Query[EditableArticleFilters]) -> Any:
    access.require(request.auth, perms.ARTICLE_WRITE)
    articles = selectors.articles_editable(request.auth).defer("body", "body_text")
    if filters.status:
        articles = articles.filter(status=filters.status)
    if filters.column is not None:
        articles = articles.filter(column_id=filters.column)
    return articles.order_by("-updated_at", "-id")


@router.get(
    "/portal/my/articles/{article_id}",
    response={200: EditableArticleDetailOut, **_ERRORS},
    summary="One article I may edit, in any state",
)
def my_article_detail(request: ApiRequest, article_id: ObjectId) -> Any:
    return selectors.article_edit_access(user=request.auth, pk=article_id)


@router.post(
    "/portal/articles",
    response={201: EditableArticleDetailOut, **_ERRORS},
    summary="Write a draft for an organization I write for",
)
def article_create(request: ApiRequest, payload: ArticleIn) -> Any:
    """Refused with 400 and nothing saved: unknown column, a classification mark, bad values."""
    user = request.auth
    access.require(user, perms.ARTICLE_WRITE)
    values = payload.dict(exclude={"organization", "column", "extra_columns"})
    article = services.article_create(
        actor=user,
        organization=_organization(payload.organization),
        column=_column(payload.column),
        extra_columns=_columns(payload.extra_columns),
        **values,
    )
    return Status(201, article)


@router.patch(
    "/portal/articles/{article_id}",
    response={200: EditableArticleDetailOut, **_ERRORS},
    summary="Change a draft, returned or withdrawn article (only the fields sent)",
)
def article_update(request: ApiRequest, article_id: ObjectId, payload: ArticlePatch) -> Any:
    user = request.auth
    article = selectors.article_edit_access(user=user, pk=article_id)
    values = payload.dict(exclude_unset=True)
    extra_ids = values.pop("extra_columns", None)
    if "column" in values:
        values["column"] = _column(values["column"])
    return services.article_update(
        actor=user,
        article=article,
        extra_columns=_columns(extra_ids) if extra_ids is not None else None,
        **values,
    )


@router.post(
    "/portal/articles/{article_id}/submit",
    response={200: EditableArticleDetailOut, **_ERRORS},
    summary="Send a draft (or a returned or withdrawn article) for review",
)
def article_submit(request: ApiRequest, article_id: ObjectId) -> Any:
    article = selectors.article_edit_access(user=request.auth, pk=article_id)
    return services.article_submit(actor=request.auth, article=article)


@router.post(
    "/portal/articles/{article_id}/return",
    response={200: EditableArticleDetailOut, **_ERRORS},
    summary="Return a submitted article to its author with a comment (reviewers)",
)
def article_return(request: ApiRequest, article_id: ObjectId, payload: ReturnIn) -> Any:
    article = selectors.article_edit_access(user=request.auth, pk=article_id)
    return services.article_return(actor=request.auth, article=article, comment=payload.comment)


@router.post(
    "/portal/articles/{article_id}/publish",
    response={200: EditableArticleDetailOut, **_ERRORS},
    summary="Publish a submitted or withdrawn article now or at a set time (reviewers)",
)
def article_publish(
    request: ApiRequest,
    article_id: ObjectId,
    payload: PublishIn | None = Body(None),  # noqa: B008  (how django-ninja declares a body)
) -> Any:
    article = selectors.article_edit_access(user=request.auth, pk=article_id)
    publish_at = payload.publish_at if payload else None
    if publish_at is not None and timezone.is_naive(publish_at):
        # A time without a zone is Beijing time, as on the pages.
        publish_at = timezone.make_aware(publish_at)
    return services.article_publish(actor=request.auth, article=article, publish_at=publish_at)


@router.post(
    "/portal/articles/{article_id}/withdraw",
    response={200: EditableArticleDetailOut, **_ERRORS},
    summary="Take a published or scheduled article off the site (reviewers)",
)
def article_withdraw(
    request: ApiRequest,
    article_id: ObjectId,
    payload: WithdrawIn | None = Body(None),  # noqa: B008
) -> Any:
    article = selectors.article_edit_access(user=request.auth, pk=article_id)
    return services.article_withdraw(
        actor=request.auth, article=article, comment=payload.comment if payload else ""
    )


@router.get(
    "/portal/articles/{article_id}/revisions",
    response={200: list[RevisionOut], **_ERRORS},
    summary="Who changed what in an article I may edit, newest first",
)
@paginate(Pages)
def article_revisions(request: ApiRequest, article_id: ObjectId) -> Any:
    article = selectors.article_edit_access(user=request.auth, pk=article_id)
    return ArticleRevision.objects.filter(article=article).order_by("-id")


@router.get(
    "/portal/articles/{article_id}/visits",
    response={200: VisitsOut, **_ERRORS},
    summary="Page views and unique visitors of an article I may edit",
)
def article_visits(request: ApiRequest, article_id: ObjectId) -> Any:
    article = selectors.article_edit_access(user=request.auth, pk=article_id)
    totals = visits.article_visits(user=request.auth, article=article)
    if totals is None:  # the analytics policy is the judge; answer as for any unreachable one
        raise NotFound(_("This article does not exist, or you may not see it."))
    return totals


# ---------------------------------------------------------------------------------- helpers


def _day_start(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def _column_readable(user: Any, pk: int) -> Column:
    column = selectors.columns_readable(user).filter(pk=pk).first()
    if column is None:
        raise NotFound(_("This column does not exist, or you may not see it."))
    return column


def _refused(field: str, message: str) -> ValidationFailed:
    return ValidationFailed(message, errors=[(field, message)])


def _organization(pk: int) -> Organization:
    # Whether the caller may write for it is the service's decision (403 if not).
    organization = Organization.objects.filter(pk=pk).first()
    if organization is None:
        raise _refused("organization", _("There is no such organization."))
    return organization


def _column(pk: int) -> Column:
    column = Column.objects.filter(pk=pk).first()
    if column is None:
        raise _refused("column", _("There is no such column."))
    return column


def _columns(pks: list[int]) -> list[Column]:
    found = list(Column.objects.filter(pk__in=pks))
    if len(found) != len(set(pks)):
        raise _refused("extra_columns", _("There is no such column."))
    return found
