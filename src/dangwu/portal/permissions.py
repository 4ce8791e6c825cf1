"""Who may write, review and read portal content."""

from typing import Any

from django.db.models import Q

from dangwu import access
from dangwu.access import Role
from dangwu.core.visibility import Visibility

ARTICLE_WRITE = "portal.article_write"
ARTICLE_REVIEW = "portal.article_review"
COLUMN_MANAGE = "portal.column_manage"
ARTICLES = "portal.articles"  # the audience of published articles
COLUMNS = "portal.columns"

# Roles that may publish in a column whose publisher_roles is left empty.
DEFAULT_PUBLISHERS = (Role.EDITOR, Role.REVIEWER)

access.register(
    ARTICLE_WRITE,
    roles={Role.EDITOR, Role.REVIEWER, Role.SECRETARY, Role.ORG_CLERK},
    description="Write and submit articles for one's organization (editors: for everyone)",
)
access.register(
    ARTICLE_REVIEW,
    roles={Role.EDITOR, Role.REVIEWER},
    description="Review, publish, return and withdraw articles in one's subtree",
)
access.register(
    COLUMN_MANAGE,
    roles={Role.EDITOR},
    scoped=False,
    description="Create and arrange the portal's columns",
)


def restricted_column_ids(user: Any) -> list[int]:
    """Return the restricted columns the user may read (columns are few: one small query)."""
    from dangwu.portal.models import Column

    if not getattr(user, "is_authenticated", False):
        return []
    cached: list[int] | None = getattr(user, "_dangwu_restricted_columns", None)
    if cached is not None:
        return cached
    paths = access.paths_of(user)
    roles = {g.role for g in access.grants_of(user)}
    readable = []
    columns = Column.objects.filter(visibility=Visibility.RESTRICTED).prefetch_related(
        "restricted_organizations"
    )
    for column in columns:
        org_paths = [o.path for o in column.restricted_organizations.all()]
        if roles & set(column.restricted_roles) or any(
            p.startswith(o) for p in paths for o in org_paths
        ):
            readable.append(column.pk)
    user._dangwu_restricted_columns = readable
    return readable


def levels_for(user: Any) -> list[str]:
    """Return the visibility levels the user reads without a named audience."""
    if user is access.SYSTEM or getattr(user, "is_authenticated", False):
        return [Visibility.PUBLIC, Visibility.INTERNAL]
    return [Visibility.PUBLIC]


def _column_q(user: Any) -> Q:
    if user is access.SYSTEM:
        return Q()
    return Q(visibility__in=levels_for(user)) | Q(pk__in=restricted_column_ids(user))


def _column_allows(user: Any, column: Any) -> bool:
    if user is access.SYSTEM or column.visibility in levels_for(user):
        return True
    return column.pk in restricted_column_ids(user)


def _article_q(user: Any) -> Q:
    """Published articles whose time has come, at a level the user may read."""
    from django.utils import timezone

    from dangwu.portal.enums import ArticleStatus

    live = Q(status=ArticleStatus.PUBLISHED, publish_at__lte=timezone.now())
    if user is access.SYSTEM:
        return live
    return live & (
        Q(visibility__in=levels_for(user))
        | Q(visibility=Visibility.RESTRICTED, column_id__in=restricted_column_ids(user))
    )


def _article_allows(user: Any, article: Any) -> bool:
    if not article.is_live:
        return False
    if user is access.SYSTEM or article.visibility in levels_for(user):
        return True
    return article.column_id in restricted_column_ids(user)


access.register_audience(COLUMNS, q=_column_q, allows=_column_allows)
access.register_audience(ARTICLES, q=_article_q, allows=_article_allows)


def may_publish_in(user: Any, column: Any) -> bool:
    """Return True if the user holds a role that may publish in ``column``."""
    if user is access.SYSTEM:
        return True
    allowed = set(column.publisher_roles or DEFAULT_PUBLISHERS)
    return access.has_role(user, *allowed) and access.can(user, ARTICLE_REVIEW)
