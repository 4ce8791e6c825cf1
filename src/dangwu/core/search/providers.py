"""What apps plug into search: a provider per kind of searchable thing.

A provider says which documents its objects produce (none for a draft), and who may find them:
its audience rule turned into a filter on :class:`~dangwu.core.models.SearchDocument` fields, so
the permission check runs inside the search query and a hidden document never even counts.
Apps register their provider in a ``search.py`` module, imported at start-up like ``hooks.py``.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.db.models import Q
from django.utils.safestring import SafeString


@dataclass(frozen=True)
class Document:
    """What a provider says about one object: its text and the fields readers are filtered by."""

    object_id: int
    title: str
    text: str
    visibility: str
    published_at: datetime
    column_id: int | None = None
    columns: Sequence[int] = ()
    source: str = ""
    # Weighted like the title (a subtitle, a document number) but not shown as the title.
    title_extra: str = ""


@dataclass
class Hit:
    """One search result: highlighted title and snippet (safe HTML: escaped, <mark> only)."""

    kind: str
    object_id: int
    title: SafeString
    snippet: SafeString
    published_at: datetime
    column_id: int | None
    source: str
    url: str = ""
    section: str = ""  # where it lives (the column's name), filled by the provider
    extra: dict[str, Any] = field(default_factory=dict)


class SearchProvider:
    """Base class of a provider; subclass, set ``kind`` and implement the methods."""

    kind: str = ""

    def documents(self, ids: Sequence[int]) -> Iterable[Document]:
        """Return the documents of the objects ``ids`` that belong in the index."""
        raise NotImplementedError

    def indexable_ids(self) -> Iterable[int]:
        """Return the ids of every object that belongs in the index (for a rebuild)."""
        raise NotImplementedError

    def audience(self, user: Any) -> Q:
        """Return the filter on SearchDocument rows of this kind that ``user`` may find."""
        raise NotImplementedError

    def describe(self, hits: list[Hit]) -> None:
        """Fill each hit's ``url`` and ``section`` (a fixed number of queries for the page)."""
        raise NotImplementedError


_providers: dict[str, SearchProvider] = {}


def register_provider(provider: SearchProvider) -> SearchProvider:
    """Register ``provider`` for its kind (again: replace it, as module reloads do)."""
    if not provider.kind:
        raise ValueError("a search provider needs a kind")
    _providers[provider.kind] = provider
    return provider


def providers() -> dict[str, SearchProvider]:
    """Return the registered providers by kind."""
    return dict(_providers)


def provider_for(kind: str) -> SearchProvider:
    """Return the provider of ``kind``; a KeyError names an unknown kind."""
    try:
        return _providers[kind]
    except KeyError:
        raise KeyError(f"no search provider for {kind!r}") from None
