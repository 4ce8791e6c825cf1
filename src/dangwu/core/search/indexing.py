"""Keep the index in step with the content: after a commit, and in bulk for a rebuild."""

from __future__ import annotations

import multiprocessing
from collections.abc import Callable, Iterable, Iterator, Sequence
from itertools import islice
from typing import Any

from django.db import transaction
from django.utils import timezone

from dangwu.core.models import SearchDocument
from dangwu.core.search.backends import backend
from dangwu.core.search.providers import Document, provider_for, providers
from dangwu.core.search.segment import index_tokens, tokenizer

# Enough for a long report with its attachments; PostgreSQL refuses a tsvector over 1 MB.
MAX_TEXT_CHARS = 200_000
BATCH_SIZE = 500


def _tokens(pair: tuple[str, str]) -> tuple[str, str]:
    title, text = pair
    return index_tokens(title), index_tokens(text)


def _row(kind: str, doc: Document, tokens: tuple[str, str]) -> SearchDocument:
    return SearchDocument(
        kind=kind,
        object_id=doc.object_id,
        title=doc.title[:300],
        text=doc.text[:MAX_TEXT_CHARS],
        visibility=doc.visibility,
        column_id=doc.column_id,
        columns="".join(f"|{c}" for c in doc.columns) + "|" if doc.columns else "",
        source=doc.source,
        published_at=doc.published_at,
        title_tokens=tokens[0],
        body_tokens=tokens[1],
    )


def index_objects(kind: str, ids: Sequence[int], *, pool: Any = None) -> int:
    """Index (or drop from the index) the objects ``ids`` of ``kind``; return documents written.

    Objects the provider no longer produces a document for (withdrawn, deleted) are removed.
    With a process ``pool``, the segmenting (the slow part) runs in its workers.
    """
    docs = list(provider_for(kind).documents(ids))
    texts = [(f"{d.title} {d.title_extra}", d.text[:MAX_TEXT_CHARS]) for d in docs]
    tokens = pool.map(_tokens, texts, chunksize=50) if pool else [_tokens(t) for t in texts]
    rows = [_row(kind, doc, pair) for doc, pair in zip(docs, tokens, strict=True)]
    with transaction.atomic():
        SearchDocument.objects.filter(kind=kind, object_id__in=ids).delete()
        SearchDocument.objects.bulk_create(rows, batch_size=BATCH_SIZE)
    return len(rows)


def index_on_commit(kind: str, ids: Sequence[int]) -> None:
    """Index the objects once the current transaction commits (nothing if it rolls back)."""
    ids = list(ids)
    transaction.on_commit(lambda: index_objects(kind, ids))


def _batches(ids: Iterable[int], size: int) -> Iterator[list[int]]:
    it = iter(ids)
    while batch := list(islice(it, size)):
        yield batch


def reindex(
    kinds: Sequence[str] | None = None,
    *,
    batch_size: int = BATCH_SIZE,
    workers: int = 1,
    progress: Callable[[str, int], None] | None = None,
) -> int:
    """Rebuild the index for ``kinds`` (default: all); return the number of documents.

    Batch by batch, so searches keep working meanwhile; documents left from before the rebuild
    (their object is gone or no longer searchable) are removed at the end. ``workers`` > 1
    segments in that many forked processes (they share the loaded dictionary).
    """
    started = timezone.now()
    total = 0
    tokenizer()  # loaded before forking, so the workers inherit it
    pool = multiprocessing.get_context("fork").Pool(workers) if workers > 1 else None
    try:
        for kind in kinds or sorted(providers()):
            provider = provider_for(kind)
            for batch in _batches(provider.indexable_ids(), batch_size):
                total += index_objects(kind, batch, pool=pool)
                if progress is not None:
                    progress(kind, total)
            SearchDocument.objects.filter(kind=kind, indexed_at__lt=started).delete()
    finally:
        if pool is not None:
            pool.close()
            pool.join()
    backend().optimize()
    return total
