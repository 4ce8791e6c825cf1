"""The full-text index stays in step with the documents, and permission holds, on both databases.

A provider of its own ("test.note", notes kept in a dict) keeps these tests independent of the
apps. On PostgreSQL the search reads the narrow side table ``core_searchdocument_tsv`` (migration
0005), written by triggers on ``core_searchdocument``; on SQLite the FTS5 table, written by
triggers too. Either way, what a search can find must be exactly the documents table.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterable, Sequence
from datetime import timedelta
from typing import Any

import pytest
from django.core.management import call_command
from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone

from dangwu.core.models import SearchDocument
from dangwu.core.search import (
    Document,
    Hit,
    SearchProvider,
    backends,
    index_objects,
    providers,
    query,
    reindex,
    search,
)

# The module, not the function of the same name that the package exports.
registry = importlib.import_module("dangwu.core.search.providers")

KIND = "test.note"
postgresql_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the side table exists on PostgreSQL only"
)


class Notes(SearchProvider):
    """Notes in a dict; a visitor may find public ones, a signed-in user every one."""

    kind = KIND

    def __init__(self) -> None:
        self.notes: dict[int, Document] = {}

    def add(self, object_id: int, title: str, text: str = "", **values: Any) -> Document:
        values.setdefault("visibility", "public")
        values.setdefault("published_at", timezone.now() - timedelta(hours=1))
        note = Document(object_id=object_id, title=title, text=text, **values)
        self.notes[object_id] = note
        return note

    def documents(self, ids: Sequence[int]) -> Iterable[Document]:
        return [self.notes[i] for i in ids if i in self.notes]

    def indexable_ids(self) -> Iterable[int]:
        return sorted(self.notes)

    def audience(self, user: Any) -> Q:
        if user is not None and getattr(user, "is_authenticated", False):
            return Q()
        return Q(visibility="public")

    def describe(self, hits: list[Hit]) -> None:
        for hit in hits:
            hit.url = f"/notes/{hit.object_id}/"


class Reader:
    is_authenticated = True


@pytest.fixture
def notes(db, monkeypatch):
    """The notes provider, alone: the apps' providers are set aside for the test."""
    provider = Notes()
    monkeypatch.setattr(registry, "_providers", {})
    registry.register_provider(provider)
    return provider


def index(notes: Notes, *ids: int) -> None:
    index_objects(KIND, list(ids) or sorted(notes.notes))


def side_rows() -> dict[int, tuple]:
    """The side table's rows by id: reader fields and the tsvector as text."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT id, kind, object_id, visibility, column_id, columns, source, published_at, "
            "search_vector::text FROM core_searchdocument_tsv"
        )
        return {row[0]: row[1:] for row in cursor.fetchall()}


def expected_rows() -> dict[int, tuple]:
    """What the side table must hold: each document's fields and its computed tsvector."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT id, kind, object_id, visibility, column_id, columns, source, published_at, "
            "(setweight(to_tsvector('simple', title_tokens), 'A') "
            "|| setweight(to_tsvector('simple', body_tokens), 'B'))::text "
            "FROM core_searchdocument"
        )
        return {row[0]: row[1:] for row in cursor.fetchall()}


def fulltext_matches(word: str) -> set[int]:
    """Document ids the full-text index itself matches for one word (no permission filter)."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT id FROM core_searchdocument_tsv "
                "WHERE search_vector @@ plainto_tsquery('simple', %s)",
                [word],
            )
        else:
            cursor.execute(
                "SELECT rowid FROM core_searchdocument_fts WHERE core_searchdocument_fts MATCH %s",
                [f'"{word}"'],
            )
        return {row[0] for row in cursor.fetchall()}


def ids_of(*object_ids: int) -> set[int]:
    return set(
        SearchDocument.objects.filter(kind=KIND, object_id__in=object_ids).values_list(
            "id", flat=True
        )
    )


def found(user: Any, words: str) -> list[int]:
    return [hit.object_id for hit in search(user=user, query=words).hits]


def test_the_index_follows_index_update_and_delete(notes):
    notes.add(1, "党费收缴通知", "请各支部按时交纳")
    notes.add(2, "学习简报", "主题党日活动")
    index(notes)
    assert fulltext_matches("党费") == ids_of(1)
    assert found(None, "党费") == [1]
    # The note changes: indexed again, the old words are gone and the new ones found.
    notes.add(1, "组织生活会通知", "民主评议")
    index(notes, 1)
    assert fulltext_matches("党费") == set()
    assert fulltext_matches("民主评议") == ids_of(1)
    assert found(None, "党费") == []
    assert found(None, "民主评议") == [1]
    # The note goes (withdrawn, deleted): its provider no longer produces it.
    del notes.notes[1]
    index(notes, 1)
    assert fulltext_matches("民主评议") == set()
    assert found(None, "民主评议") == []
    assert found(None, "主题党日") == [2]


def test_reindex_leaves_exactly_the_current_documents_in_the_index(notes):
    for n in range(5):
        notes.add(n, f"党建简报第{n}期", "三会一课")
    index(notes)
    del notes.notes[0]
    notes.add(1, "党课通知", "两学一做")
    assert reindex([KIND]) == 4
    assert fulltext_matches("三会一课") == ids_of(2, 3, 4)
    assert fulltext_matches("两学一做") == ids_of(1)
    assert sorted(found(Reader(), "三会一课")) == [2, 3, 4]


@postgresql_only
def test_the_side_table_mirrors_the_documents_through_every_kind_of_write(notes):
    notes.add(1, "党费收缴通知", "请各支部按时交纳", column_id=3, columns=[3, 5], source="x")
    notes.add(2, "学习简报", "主题党日活动", visibility="internal")
    index(notes)
    assert side_rows() == expected_rows()
    assert len(side_rows()) == 2
    # A plain UPDATE of the reader fields or of the tokens (not through the indexing code).
    SearchDocument.objects.filter(kind=KIND, object_id=1).update(
        visibility="internal", column_id=7, columns="|7|", title_tokens="党员大会"
    )
    assert side_rows() == expected_rows()
    assert fulltext_matches("党员大会") == ids_of(1)
    # An id changed in place.
    (doc,) = SearchDocument.objects.filter(kind=KIND, object_id=2)
    SearchDocument.objects.filter(pk=doc.pk).update(id=doc.pk + 1000)
    assert side_rows() == expected_rows()
    # Re-indexing and rebuilding.
    notes.add(2, "主题党日", "志愿服务")
    index(notes, 2)
    reindex([KIND])
    assert side_rows() == expected_rows()
    # A DELETE and a TRUNCATE (what flush does).
    SearchDocument.objects.filter(kind=KIND, object_id=1).delete()
    assert side_rows() == expected_rows()
    assert len(side_rows()) == 1
    with connection.cursor() as cursor:
        cursor.execute("TRUNCATE core_searchdocument")
    assert side_rows() == {}


@postgresql_only
def test_a_rolled_back_index_write_leaves_the_side_table_as_it_was(notes):
    notes.add(1, "党费收缴通知")
    index(notes)
    before = side_rows()
    notes.add(1, "组织生活会通知")
    with pytest.raises(RuntimeError), transaction.atomic():
        index(notes, 1)
        assert fulltext_matches("组织生活会") == ids_of(1)
        raise RuntimeError("rolled back")
    assert side_rows() == before
    assert fulltext_matches("党费") == ids_of(1)


@pytest.mark.parametrize("first_window", [50_000, 2])
def test_a_visitor_never_finds_an_internal_note_nor_counts_it(notes, monkeypatch, first_window):
    # More internal matches than can be listed, newer than the public ones: a visitor's count
    # and hits hold the public ones only, however the newest matches are gathered.
    monkeypatch.setattr(backends.PostgreSQLBackend, "FIRST_WINDOW", first_window)
    monkeypatch.setattr(query, "MAX_RESULTS", 5)
    for n in range(3):
        notes.add(n, f"公开通知第{n}号", "党费")
    for n in range(100, 110):
        notes.add(n, f"内部通知第{n}号", "党费", visibility="internal")
    index(notes)
    visitor = search(user=None, query="党费")
    assert (visitor.total, visitor.more) == (3, False)
    assert sorted(h.object_id for h in visitor.hits) == [0, 1, 2]
    assert search(user=None, query="内部通知").total == 0
    member = search(user=Reader(), query="党费")
    assert (member.total, member.more) == (5, True)
    assert {h.object_id for h in member.hits} == {105, 106, 107, 108, 109}


def test_ranking_puts_title_matches_first_and_pages_in_order(notes):
    for n in range(6):
        notes.add(n, f"学习简报第{n}期", "党员")
    notes.add(10, "党员大会召开", "内容")
    index(notes)
    results = search(user=None, query="党员", per_page=4)
    assert results.total == 7
    assert results.hits[0].object_id == 10
    second = search(user=None, query="党员", per_page=4, page=2)
    assert {h.object_id for h in results.hits} | {h.object_id for h in second.hits} == {
        *range(6),
        10,
    }


@postgresql_only
def test_a_condition_on_a_column_the_side_table_lacks_joins_the_documents(notes, monkeypatch):
    # No provider filters on the title today; one that did must still be obeyed.
    monkeypatch.setattr(Notes, "audience", lambda self, user: Q(title__startswith="公开"))
    notes.add(1, "公开通知", "党费")
    notes.add(2, "内部通知", "党费")
    index(notes)
    assert found(None, "党费") == [1]
    where, _ = query._where(None, query.SearchFilters(kinds=(KIND,)))
    assert backends._pg_from(where)[1] == backends.PG_SIDE_TABLE


@postgresql_only
def test_a_search_inside_a_transaction_leaves_the_planner_settings_as_they_were(notes):
    notes.add(1, "党费收缴通知")
    index(notes)
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        assert found(None, "党费") == [1]
        cursor.execute(
            "SELECT current_setting('enable_indexscan'), current_setting('enable_seqscan')"
        )
        assert cursor.fetchone() == ("on", "off")


@pytest.mark.django_db(transaction=True)
def test_flush_empties_the_index_too(notes):
    notes.add(1, "党费收缴通知")
    index(notes)
    call_command("flush", interactive=False, verbosity=0)
    assert fulltext_matches("党费") == set()
    assert set(providers()) == {KIND}


@postgresql_only
def test_words_in_most_documents_are_tested_directly_with_the_same_results(notes, monkeypatch):
    from django.test.utils import CaptureQueriesContext

    monkeypatch.setattr(query, "MAX_RESULTS", 5)
    for n in range(40):
        visibility = "internal" if n % 3 else "public"
        notes.add(n, f"通知第{n}号", "党费 党员", visibility=visibility)
    index(notes)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE core_searchdocument_tsv")

    def run(user: Any) -> tuple[int, bool, list[int], bool]:
        with CaptureQueriesContext(connection) as queries:
            results = search(user=user, query="党费 党员")
        probed = any("ts_match_vq" in q["sql"] for q in queries.captured_queries)
        return results.total, results.more, [h.object_id for h in results.hits], probed

    # Both words are in every document: the newest 10 are tested directly. They hold the
    # member's 5 (and one more), but only 4 public ones: the visitor's search goes on with
    # the index.
    monkeypatch.setattr(backends.PostgreSQLBackend, "PROBE_WINDOW", 10)
    monkeypatch.setattr(backends.PostgreSQLBackend, "PROBE_READABLE", 1.0)
    probed = {name: run(user) for name, user in (("visitor", None), ("member", Reader()))}
    assert probed["visitor"][3] and probed["member"][3]
    assert probed["visitor"][:2] == (5, True)
    assert all(n % 3 == 0 for n in probed["visitor"][2])
    assert probed["member"][:2] == (5, True)
    assert sorted(probed["member"][2]) == [35, 36, 37, 38, 39]
    monkeypatch.setattr(backends.PostgreSQLBackend, "PROBE_WINDOW", 0)
    plain = {name: run(user) for name, user in (("visitor", None), ("member", Reader()))}
    assert not plain["visitor"][3]
    assert {k: v[:3] for k, v in probed.items()} == {k: v[:3] for k, v in plain.items()}
