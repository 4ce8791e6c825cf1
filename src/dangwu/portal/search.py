"""The portal in search: a published article (with its attachments' text) is one document.

Who finds it mirrors the ``portal.articles`` audience in ``permissions.py``: live (published and
its time has come), at a level the reader may read, restricted ones only in columns that name
the reader. Scheduled articles are indexed when published and appear when their time comes,
because the publish time is part of the filter. Withdrawn articles leave the index.
"""

from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any, cast

from django.db.models import Prefetch, Q
from django.urls import reverse
from django.utils import timezone

from dangwu import access
from dangwu.core.search import Document, Hit, SearchProvider, index_on_commit, register_provider
from dangwu.core.visibility import Visibility
from dangwu.portal import permissions as perms
from dangwu.portal.enums import ArticleStatus
from dangwu.portal.models import Article, Attachment, Column

ARTICLE = "portal.article"


class ArticleSearch(SearchProvider):
    kind = ARTICLE

    def documents(self, ids: Sequence[int]) -> Iterable[Document]:
        articles = (
            Article.objects.filter(
                pk__in=ids, status=ArticleStatus.PUBLISHED, publish_at__isnull=False
            )
            .only(
                "id",
                "title",
                "subtitle",
                "body_text",
                "visibility",
                "column_id",
                "source_kind",
                "publish_at",
            )
            .prefetch_related(
                Prefetch("attachments", Attachment.objects.only("id", "article_id", "text")),
                Prefetch("extra_columns", Column.objects.only("id")),
            )
        )
        for article in articles:
            texts = [article.body_text, *(a.text for a in article.attachments.all() if a.text)]
            yield Document(
                object_id=article.pk,
                title=article.title,
                title_extra=article.subtitle,
                text="\n".join(texts),
                visibility=article.visibility,
                column_id=article.column_id,
                columns=[article.column_id, *(c.pk for c in article.extra_columns.all())],
                source=article.source_kind,
                # Never None: the query takes only articles with a publish time.
                published_at=cast(datetime, article.publish_at),
            )

    def indexable_ids(self) -> Iterable[int]:
        return (
            Article.objects.filter(status=ArticleStatus.PUBLISHED, publish_at__isnull=False)
            .order_by("pk")
            .values_list("pk", flat=True)
            .iterator(chunk_size=2000)
        )

    def audience(self, user: Any) -> Q:
        # The same rule as perms._article_q, on the document's copies of the article's fields.
        live = Q(published_at__lte=timezone.now())
        if user is access.SYSTEM:
            return live
        return live & (
            Q(visibility__in=perms.levels_for(user))
            | Q(
                visibility=Visibility.RESTRICTED,
                column_id__in=perms.restricted_column_ids(user),
            )
        )

    def describe(self, hits: list[Hit]) -> None:
        names: dict[int | None, str] = dict(
            Column.objects.filter(pk__in={h.column_id for h in hits}).values_list("pk", "name")
        )
        for hit in hits:
            hit.url = reverse("portal:article", args=[hit.object_id])
            hit.section = names.get(hit.column_id, "")


register_provider(ArticleSearch())


def article_index_on_commit(article: Article) -> None:
    """Bring the article's search document up to date once the transaction commits."""
    index_on_commit(ARTICLE, [article.pk])
