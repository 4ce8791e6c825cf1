"""The one search operation: words → ranked, highlighted hits the user may see."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

from django.core.exceptions import EmptyResultSet, FullResultSet
from django.db import connection
from django.db.models import Q
from django.utils import timezone

from dangwu.core.models import SearchDocument
from dangwu.core.search.backends import backend
from dangwu.core.search.highlight import SNIPPET_CHARS, highlight
from dangwu.core.search.providers import Hit, providers
from dangwu.core.search.segment import query_terms

PER_PAGE = 20
# Nobody reads page 51 of a search; deep offsets only cost the database.
MAX_PAGE = 50
# The newest this many matches are ranked and can be paged through; more are reported as "more".
MAX_RESULTS = MAX_PAGE * PER_PAGE


@dataclass(frozen=True)
class SearchFilters:
    """Narrow a search: by column, source kind and a date range (inclusive, local days)."""

    column: int | None = None
    source: str = ""
    date_from: date | None = None
    date_to: date | None = None
    kinds: tuple[str, ...] = ()

    def q(self) -> Q:
        q = Q()
        if self.kinds:
            q &= Q(kind__in=self.kinds)
        if self.column is not None:
            q &= Q(columns__contains=f"|{self.column}|")
        if self.source:
            q &= Q(source=self.source)
        if self.date_from is not None:
            q &= Q(published_at__gte=_day_start(self.date_from))
        if self.date_to is not None:
            q &= Q(published_at__lt=_day_start(self.date_to + timedelta(days=1)))
        return q


def _day_start(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


@dataclass
class SearchResults:
    """One page of hits, the total the user may see, and the words that were searched.

    With ``more``, there are more than ``total`` (= ``MAX_RESULTS``) matches: the newest
    ``total`` of them are ranked and shown.
    """

    query: str
    terms: list[str]
    hits: list[Hit] = field(default_factory=list)
    total: int = 0
    more: bool = False
    page: int = 1
    per_page: int = PER_PAGE

    @property
    def num_pages(self) -> int:
        return min(MAX_PAGE, -(-self.total // self.per_page))

    @property
    def first_number(self) -> int:
        """Return the position of this page's first hit among all hits (1-based)."""
        return (self.page - 1) * self.per_page + 1

    @property
    def has_previous(self) -> bool:
        return self.page > 1

    @property
    def has_next(self) -> bool:
        return self.page < self.num_pages


def _where(user: Any, filters: SearchFilters) -> tuple[str, list[Any]] | None:
    """Compile the audience and filter conditions to SQL; None when nothing can match."""
    audience = Q(pk__in=[])
    for kind, provider in providers().items():
        audience |= Q(kind=kind) & provider.audience(user)
    queryset = SearchDocument.objects.filter(audience & filters.q())
    compiler = queryset.query.get_compiler(connection=connection)
    try:
        sql, params = compiler.compile(queryset.query.where)
    except EmptyResultSet:
        return None
    except FullResultSet:
        return "", []
    return sql, list(params)


def search(
    *,
    user: Any,
    query: str,
    filters: SearchFilters | None = None,
    page: int = 1,
    per_page: int = PER_PAGE,
) -> SearchResults:
    """Search what ``user`` (or a visitor) may read; every word of ``query`` must occur.

    Permission and filters are part of the query, so the total counts only visible documents.
    The newest ``MAX_RESULTS`` matches are ranked by relevance (see ``backends``).
    """
    terms = query_terms(query)
    page = max(1, min(page, MAX_PAGE))
    results = SearchResults(query=query, terms=terms, page=page, per_page=per_page)
    where = _where(user, filters or SearchFilters()) if terms else None
    if where is None:
        return results
    found, ids = backend().matches(
        terms,
        *where,
        limit=MAX_RESULTS + 1,
        offset=(page - 1) * per_page,
        count=per_page,
    )
    results.more = found > MAX_RESULTS
    results.total = min(found, MAX_RESULTS)
    if not results.total:
        return results
    documents = SearchDocument.objects.only(
        "kind", "object_id", "title", "text", "published_at", "column_id", "source"
    ).in_bulk(ids)
    results.hits = [
        Hit(
            kind=doc.kind,
            object_id=doc.object_id,
            title=highlight(doc.title, terms),
            snippet=highlight(doc.text, terms, width=SNIPPET_CHARS),
            published_at=doc.published_at,
            column_id=doc.column_id,
            source=doc.source,
        )
        for doc in (documents[i] for i in ids)
    ]
    by_kind: dict[str, list[Hit]] = {}
    for hit in results.hits:
        by_kind.setdefault(hit.kind, []).append(hit)
    registered = providers()
    for kind, hits in by_kind.items():
        registered[kind].describe(hits)
    return results
