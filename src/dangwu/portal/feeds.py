"""RSS 2.0 feeds, one per public column: always read as a visitor, whoever asks."""

from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.contrib.syndication.views import Feed
from django.http import Http404, HttpRequest
from django.urls import reverse
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from dangwu.core.visibility import Visibility
from dangwu.portal import selectors
from dangwu.portal.models import Article, Column

FEED_ITEMS = 20
SUMMARY_CHARACTERS = 200


class ColumnFeed(Feed):
    """The latest public articles of one public column."""

    def get_object(self, request: HttpRequest, slug: str) -> Column:
        # A feed is public by nature: a signed-in reader's feed would leak once shared.
        column = (
            selectors.columns_readable(AnonymousUser())
            .filter(slug=slug, visibility=Visibility.PUBLIC, link="")
            .first()
        )
        if column is None:
            raise Http404
        return column

    def title(self, obj: Column) -> str:
        return obj.name

    def link(self, obj: Column) -> str:
        return reverse("portal:column", args=[obj.slug])

    def description(self, obj: Column) -> str:
        return obj.description or _("The latest articles in %(column)s.") % {"column": obj.name}

    def items(self, obj: Column) -> list[Article]:
        return list(
            selectors.articles_readable(AnonymousUser(), obj, with_summary=True)[:FEED_ITEMS]
        )

    def item_title(self, item: Article) -> str:
        return item.title

    def item_description(self, item: Article) -> str:
        return Truncator(item.body_text).chars(SUMMARY_CHARACTERS)

    def item_link(self, item: Article) -> str:
        return reverse("portal:article", args=[item.pk])

    def item_guid(self, item: Article) -> str:
        return f"urn:uuid:{item.uuid}"

    item_guid_is_permalink = False

    def item_pubdate(self, item: Article) -> Any:
        return item.publish_at

    def item_author_name(self, item: Article) -> str:
        return item.author or item.source_name
