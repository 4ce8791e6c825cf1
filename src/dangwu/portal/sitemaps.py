"""The sitemap of the public site: public columns and public articles, read as a visitor."""

from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from dangwu.core.visibility import Visibility
from dangwu.portal import selectors
from dangwu.portal.models import Article, Column


class ColumnSitemap(Sitemap):
    changefreq = "daily"
    priority = 0.6

    def items(self) -> Any:
        return selectors.columns_readable(AnonymousUser()).filter(
            visibility=Visibility.PUBLIC, link=""
        )

    def location(self, item: Column) -> str:
        return reverse("portal:column", args=[item.slug])

    def lastmod(self, item: Column) -> Any:
        return item.updated_at


class ArticleSitemap(Sitemap):
    changefreq = "monthly"
    priority = 0.5

    def items(self) -> Any:
        return (
            selectors.articles_readable(AnonymousUser())
            .filter(visibility=Visibility.PUBLIC)
            .only("id", "updated_at")
            .order_by("-id")
        )

    def location(self, item: Article) -> str:
        return reverse("portal:article", args=[item.pk])

    def lastmod(self, item: Article) -> Any:
        return item.updated_at


SITEMAPS = {"columns": ColumnSitemap, "articles": ArticleSitemap}
