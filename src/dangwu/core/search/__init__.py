"""Chinese full-text search (全文检索) over everything apps register a provider for.

Apps describe their searchable things with a :class:`SearchProvider` (registered in their
``search.py``), schedule index updates with :func:`index_on_commit` from their services, and
read with :func:`search`. ``dangwu search_reindex`` rebuilds the index.
"""

from dangwu.core.search.indexing import index_objects, index_on_commit, reindex
from dangwu.core.search.providers import (
    Document,
    Hit,
    SearchProvider,
    provider_for,
    providers,
    register_provider,
)
from dangwu.core.search.query import (
    MAX_PAGE,
    MAX_RESULTS,
    PER_PAGE,
    SearchFilters,
    SearchResults,
    search,
)

__all__ = [
    "MAX_PAGE",
    "MAX_RESULTS",
    "PER_PAGE",
    "Document",
    "Hit",
    "SearchFilters",
    "SearchProvider",
    "SearchResults",
    "index_objects",
    "index_on_commit",
    "provider_for",
    "providers",
    "register_provider",
    "reindex",
    "search",
]
