"""The portal's reading pages in the visitors' page cache (``dangwu.core.pagecache``).

Every saved or deleted column, article, attachment or organization (whose name articles show)
raises the portal's content version in the same transaction, whichever code path made the change:
services, the exchange import, the admin. Scheduled articles fall due by themselves, so a cached
page lasts at most until the next one does.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any, TypeVar

from django.db.models.signals import m2m_changed, post_delete, post_save
from django.utils import timezone

from dangwu.core import pagecache
from dangwu.orgs.models import Organization
from dangwu.portal import permissions as perms
from dangwu.portal.enums import ArticleStatus
from dangwu.portal.models import Article, Attachment, Column

CONTENT = "portal"
T = TypeVar("T")


def next_scheduled_publish() -> datetime | None:
    """Return when the next scheduled article falls due (None: none is scheduled)."""
    return (
        Article.objects.filter(status=ArticleStatus.PUBLISHED, publish_at__gt=timezone.now())
        .order_by("publish_at")
        .values_list("publish_at", flat=True)
        .first()
    )


visitor_page = pagecache.visitor_page(CONTENT, until=next_scheduled_publish)


def audience_key(user: Any) -> str:
    """Return what decides which columns and articles ``user`` reads: levels, restricted columns.

    Everybody with the same key sees the same lists (all members of the internal site, say).
    """
    restricted = ",".join(map(str, sorted(perms.restricted_column_ids(user))))
    return f"{','.join(perms.levels_for(user))}|{restricted}"


def for_audience(user: Any, part: str, build: Callable[[], T]) -> T:
    """Return ``build()`` for ``user``'s audience, computed once per audience and change."""
    return pagecache.remember(
        CONTENT, f"{part}:{audience_key(user)}", build, until=next_scheduled_publish
    )


def _changed(**kwargs: Any) -> None:
    pagecache.changed(CONTENT)


def connect() -> None:
    """Raise the portal's content version on every change of what its pages show."""
    for model in (Column, Article, Attachment, Organization):
        post_save.connect(_changed, sender=model, dispatch_uid=f"portal-pages-{model.__name__}")
        post_delete.connect(_changed, sender=model, dispatch_uid=f"portal-gone-{model.__name__}")
    for through in (Article.extra_columns.through, Column.restricted_organizations.through):
        m2m_changed.connect(_changed, sender=through, dispatch_uid=f"portal-m2m-{through.__name__}")
