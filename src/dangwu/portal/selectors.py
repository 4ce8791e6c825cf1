"""Reads for the portal, filtered by the articles' audience or the writer's scope."""

from typing import Any

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from dangwu import access
from dangwu.core.errors import NotFound
from dangwu.portal import permissions as perms
from dangwu.portal.models import Article, Column

# What a list of titles shows. Reading only these keeps SQLite from following each row's
# overflow pages (the body) to reach the columns stored after it: 6.6 → 2.8 ms per column list.
LIST_FIELDS = ("id", "title", "pinned", "publish_at")


def columns_readable(user: Any) -> QuerySet[Column]:
    """Return the columns the user (or a visitor) may read, in order."""
    return access.readable(user, perms.COLUMNS, Column.objects.all())


def articles_readable(
    user: Any, column: Column | None = None, *, with_summary: bool = False
) -> QuerySet[Article]:
    """Return the live articles the user may read, newest first (pinned ones on top).

    Only ``LIST_FIELDS`` are loaded; ``with_summary`` loads every field but the HTML body,
    with the column and organization (feeds, API summaries).
    """
    articles = access.readable(user, perms.ARTICLES, Article.objects.all())
    if column is not None:
        # A subquery rather than a join on extra_columns: the join needs DISTINCT over whole
        # rows and keeps the database off the (column, status, publish_at) index (BENCHMARKS.md).
        also_here = Article.extra_columns.through.objects.filter(column=column)
        articles = articles.filter(Q(column=column) | Q(pk__in=also_here.values("article_id")))
    if with_summary:
        return articles.select_related("column", "organization").defer("body")
    return articles.only(*LIST_FIELDS)


def article_read(*, user: Any, pk: int) -> Article:
    """Fetch one live article the user may read, or the same NotFound as a missing one."""
    article = (
        access.readable(user, perms.ARTICLES, Article.objects.all())
        .select_related("column", "organization")
        .filter(pk=pk)
        .first()
    )
    if article is None:
        raise NotFound(_("This article does not exist, or you may not see it."))
    return article


def articles_editable(user: Any) -> QuerySet[Article]:
    """Return every article (any state) of the organizations the user writes for."""
    return access.visible(
        user, perms.ARTICLE_WRITE, Article.objects.all(), "organization__path"
    ).select_related("column", "organization")


def article_edit_access(*, user: Any, pk: int) -> Article:
    """Fetch an article the user may write for, or the same NotFound as a missing one."""
    article = articles_editable(user).filter(pk=pk).first()
    if article is None:
        raise NotFound(_("This article does not exist, or you may not see it."))
    return article


def articles_to_review(user: Any) -> QuerySet[Article]:
    """Return the submitted articles waiting for this reviewer, the longest waiting first."""
    from dangwu.portal.enums import ArticleStatus

    return (
        access.visible(
            user,
            perms.ARTICLE_REVIEW,
            Article.objects.filter(status=ArticleStatus.SUBMITTED),
            "organization__path",
        )
        .select_related("column", "organization")
        .order_by("updated_at", "id")
    )
