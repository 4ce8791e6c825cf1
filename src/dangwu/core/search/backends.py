"""The full-text query on each database: SQLite FTS5 (embedded) and PostgreSQL (scaled).

Both read the same segmented text (space-joined jieba tokens, see ``segment.py``): an FTS5
table with the ``unicode61`` tokenizer on SQLite; on PostgreSQL a weighted
``to_tsvector('simple', ...)`` with a GIN index, in a narrow side table that holds only what a
search filters and ranks by. Both are created by core's migrations and written by triggers on
``core_searchdocument``, in the same transaction as the document. The caller passes the
permission and filter conditions as SQL compiled from a queryset on ``core_searchdocument``, so
they apply inside the query that matches and counts.

A search (``matches``) runs two steps: ``newest`` takes the newest matches the user may read, at
most one more than can be shown (``MAX_RESULTS``), which counts them and bounds the work for
words that occur in a large part of the archive; ``ranked`` then ranks only those. The cost is
therefore bounded by ``MAX_RESULTS``, not by the size of the archive.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from typing import Any

from django.db import connection, transaction

TABLE = '"core_searchdocument"'
FTS_TABLE = "core_searchdocument_fts"
# A word in the title counts as much as ten in the body.
TITLE_WEIGHT = 10.0


def _and(where: str) -> str:
    return f" AND ({where})" if where else ""


# The SQL below is put together from constants and the WHERE clause that Django's compiler made
# from a queryset; every value (the words, the filter values) travels as a parameter.
_SQLITE_FROM = (
    f"FROM {FTS_TABLE} CROSS JOIN {TABLE} ON {TABLE}.id = {FTS_TABLE}.rowid "
    f"WHERE {FTS_TABLE} MATCH %s"
)
_SQLITE_ORDER = (
    f"ORDER BY bm25({FTS_TABLE}, {TITLE_WEIGHT}, 1.0), {TABLE}.published_at DESC, {TABLE}.id DESC"
)
_PG_QUERY = "plainto_tsquery('simple', %s)"
# ts_rank's weights for D, C, B (body) and A (title): a title word counts as ten body words.
_PG_WEIGHTS = "'{0, 0, 0.1, 1.0}'"
# PostgreSQL's narrow side table: the id, the reader fields and the tsvector (migration 0005).
PG_SIDE_TABLE = '"core_searchdocument_tsv"'
PG_SIDE_COLUMNS = frozenset(
    {"id", "kind", "object_id", "visibility", "column_id", "columns", "source", "published_at"}
)
_COLUMN = re.compile(r'"core_searchdocument"\."(\w+)"')


# Each term's share of the documents by the planner's statistics (0 for a rarer term).
_PG_FREQUENCIES = (
    "SELECT array_agg(coalesce(s.most_common_elem_freqs[array_position("
    "s.most_common_elems::text::text[], t.term)], 0)) FROM unnest(%s::text[]) AS t(term) "
    "LEFT JOIN pg_stats s ON s.schemaname = current_schema() "
    "AND s.tablename = 'core_searchdocument_tsv' AND s.attname = 'search_vector'"
)


def _pg_from(where: str) -> tuple[str, str]:
    """Return the FROM clause for ``where`` and the side table's name in it.

    The side table stands in for the documents table under its name, so the conditions that
    Django compiled for ``core_searchdocument`` apply to it unchanged. A condition on a column
    the side table does not copy (no provider has one today) joins the documents table.
    """
    if set(_COLUMN.findall(where)) <= PG_SIDE_COLUMNS:
        return f"{PG_SIDE_TABLE} AS {TABLE}", TABLE
    return f"{PG_SIDE_TABLE} JOIN {TABLE} ON {TABLE}.id = {PG_SIDE_TABLE}.id", PG_SIDE_TABLE


class SQLiteBackend:
    """FTS5: ``MATCH '"党员" AND "党费"'``, ranked by bm25 (lower is better).

    CROSS JOIN makes the full-text match the outer loop (SQLite keeps that order): otherwise the
    planner may walk the documents by the ``kind`` index and run the match once per row.
    """

    @staticmethod
    def _match(terms: Sequence[str]) -> str:
        # Terms hold letters and digits only (segment._WORD), so quoting cannot be broken out of.
        return " AND ".join(f'"{term}"' for term in terms)

    def newest(
        self, terms: Sequence[str], where: str, params: Sequence[Any], limit: int
    ) -> list[int]:
        # FTS5 walks its doclists backwards by rowid and stops at the limit.
        sql = (
            f"SELECT {TABLE}.id {_SQLITE_FROM}{_and(where)} "
            f"ORDER BY {FTS_TABLE}.rowid DESC LIMIT %s"
        )
        with connection.cursor() as cursor:
            cursor.execute(sql, [self._match(terms), *params, limit])
            return [row[0] for row in cursor.fetchall()]

    def ranked(
        self,
        terms: Sequence[str],
        where: str,
        params: Sequence[Any],
        *,
        newest: Sequence[int],
        offset: int,
        limit: int,
    ) -> list[int]:
        # The matches from the oldest of ``newest`` on are ``newest`` (pushed into FTS5).
        sql = (
            f"SELECT {TABLE}.id {_SQLITE_FROM} AND {FTS_TABLE}.rowid >= %s{_and(where)} "
            f"{_SQLITE_ORDER} LIMIT %s OFFSET %s"
        )
        with connection.cursor() as cursor:
            cursor.execute(sql, [self._match(terms), min(newest), *params, limit, offset])
            return [row[0] for row in cursor.fetchall()]

    def matches(
        self,
        terms: Sequence[str],
        where: str,
        params: Sequence[Any],
        *,
        limit: int,
        offset: int,
        count: int,
    ) -> tuple[int, list[int]]:
        """Return how many of the newest ``limit`` readable matches there are, and the ids of
        ranks ``offset`` to ``offset + count`` among all but the last of them."""
        newest = self.newest(terms, where, params, limit)
        shown = newest[: limit - 1]
        if not shown:
            return len(newest), []
        return len(newest), self.ranked(
            terms, where, params, newest=shown, offset=offset, limit=count
        )

    def optimize(self) -> None:
        """Merge the index's segments after a bulk rebuild (faster queries, smaller file)."""
        with connection.cursor() as cursor:
            cursor.execute(f"INSERT INTO {FTS_TABLE}({FTS_TABLE}) VALUES ('optimize')")  # noqa: S608


class PostgreSQLBackend:
    """``search_vector @@ plainto_tsquery('simple', '党员 党费')`` (an AND), ranked by ts_rank.

    Both steps read the narrow side table ``core_searchdocument_tsv`` (id, reader fields,
    tsvector; migration 0005), not the wide documents table: its heap is about 130 bytes a row
    (the tsvectors live in its TOAST table), so the permission filter of the matches reads few,
    dense pages, and a tsvector is read only to rank it.

    ``newest`` looks at the newest ``FIRST_WINDOW`` documents first and widens the window (by
    the density of the matches found, at most eightfold) until it holds enough matches. Each
    step must be a GIN bitmap scan, ANDed with the primary key's id range when that pays, so
    that only matches are read from the heap. The planner prices ``@@`` like any cheap
    operator, not as the detoasting of a tsvector it is, and otherwise walks the primary key
    testing every document of the window (or of the whole table, backwards, when asked for
    ``ORDER BY id DESC LIMIT``): 0.3 to 1 s at a million documents (BENCHMARKS.md). So plain
    index scans and sequential scans are turned off for the search. ``ranked`` then ranks
    exactly the ids ``newest`` found, looked up by id.
    """

    FIRST_WINDOW = 50_000
    # Tested directly, without the GIN index, when the words' estimated share of documents
    # says the newest matches lie in these newest documents even if only this share of the
    # matches is readable (≈ 5 µs a document).
    PROBE_WINDOW = 10_000
    PROBE_READABLE = 0.5
    # Bitmap scans only: a GIN bitmap, alone or ANDed with an id range of the primary key.
    _PLANNER = {"enable_indexscan": "off", "enable_seqscan": "off"}

    def _assign(self, values: dict[str, str]) -> tuple[str, list[str]]:
        sql = ", ".join("set_config(%s, %s, true)" for _ in values)
        return sql, [v for pair in values.items() for v in pair]

    def matches(
        self,
        terms: Sequence[str],
        where: str,
        params: Sequence[Any],
        *,
        limit: int,
        offset: int,
        count: int,
    ) -> tuple[int, list[int]]:
        """Return how many of the newest ``limit`` readable matches there are, and the ids of
        ranks ``offset`` to ``offset + count`` among all but the last of them.

        The planner settings are local to the transaction (``set_config(..., true)``): inside
        a longer transaction the old values are read before and put back after, in the same
        statements as the search's own (a page's query count does not grow).
        """
        names = list(self._PLANNER)
        assign, values = self._assign(self._PLANNER)
        current = ", ".join("current_setting(%s)" for _ in names)
        outermost = not connection.in_atomic_block
        # savepoint=False: inside a transaction, no SAVEPOINT round trips.
        with transaction.atomic(savepoint=False), connection.cursor() as cursor:
            # The CTE runs first: the old values are read before they are set.
            cursor.execute(
                f"WITH old AS MATERIALIZED (SELECT {current}) "  # noqa: S608
                f"SELECT old.*, {assign}, (SELECT max(id) FROM {PG_SIDE_TABLE}), "
                f"({_PG_FREQUENCIES}) FROM old",
                [*names, *values, list(terms)],
            )
            row = cursor.fetchone()
            restore = self._assign(dict(zip(names, row[: len(names)], strict=True)))
            top, frequencies = row[-2] or 0, row[-1] or []
            newest = self._newest(
                cursor, terms, where, params, limit, top=top, share=math.prod(frequencies)
            )
            shown = newest[: limit - 1]
            ids, restored = (
                self._ranked(cursor, terms, shown, offset, count, restore=restore)
                if shown
                else ([], False)
            )
            if not outermost and not restored:
                cursor.execute(f"SELECT {restore[0]}", restore[1])
        return len(newest), ids

    def _newest(
        self,
        cursor: Any,
        terms: Sequence[str],
        where: str,
        params: Sequence[Any],
        limit: int,
        *,
        top: int,
        share: float = 0.0,
    ) -> list[int]:
        source, side = _pg_from(where)
        span = self.FIRST_WINDOW
        if share * self.PROBE_WINDOW * self.PROBE_READABLE >= limit:
            # Words in a large share of the documents (by the planner's statistics): their
            # newest matches lie among the newest few thousand documents, and testing those
            # directly is cheaper than a GIN bitmap of hundreds of thousands of matches.
            # ts_match_vq is ``@@`` as a function call: the GIN index cannot serve it.
            cursor.execute(
                f"SELECT {side}.id FROM {source} WHERE {side}.id > %s "  # noqa: S608
                f"AND ts_match_vq({side}.search_vector, {_PG_QUERY}){_and(where)} "
                f"ORDER BY {side}.id DESC LIMIT %s",
                [top - self.PROBE_WINDOW, " ".join(terms), *params, limit],
            )
            ids = [row[0] for row in cursor.fetchall()]
            if len(ids) >= limit or top <= self.PROBE_WINDOW:
                return ids
            span = max(span, int(self.PROBE_WINDOW * self._growth(len(ids), limit)) + 1)
        # No ORDER BY / LIMIT here: they would invite the backward primary-key walk.
        sql = (
            f"SELECT {side}.id FROM {source} WHERE {side}.search_vector @@ {_PG_QUERY} "  # noqa: S608
            f"AND {side}.id > %s{_and(where)}"
        )
        while True:
            low = top - span
            cursor.execute(sql, [" ".join(terms), low, *params])
            ids = sorted((row[0] for row in cursor.fetchall()), reverse=True)
            if len(ids) >= limit or low <= 0:
                return ids[:limit]
            span = int(span * self._growth(len(ids), limit)) + 1

    @staticmethod
    def _growth(found: int, limit: int) -> float:
        """Return how much to widen a window that held ``found`` of the ``limit`` matches.

        The matches seen so far give their density: the next window is made half as large
        again as that density says is needed (one more step instead of a heap visit of
        eight times the window), at most eight times as large.
        """
        if not found:
            return 8.0
        return min(8.0, max(1.5, 1.5 * limit / found))

    def _ranked(
        self,
        cursor: Any,
        terms: Sequence[str],
        newest: Sequence[int],
        offset: int,
        count: int,
        *,
        restore: tuple[str, list[str]],
    ) -> tuple[list[int], bool]:
        # ``newest`` are the readable matches to rank: found by id, without matching again. The
        # planner settings are put back by the same statement (an init plan, run once, when the
        # first row is produced: with no row, the caller puts them back itself).
        sql = (
            f"SELECT id, (SELECT 1 FROM (SELECT {restore[0]}) AS restored) "  # noqa: S608
            f"FROM {PG_SIDE_TABLE}, {_PG_QUERY} AS query WHERE id = ANY(%s) "
            f"ORDER BY ts_rank({_PG_WEIGHTS}, search_vector, query) DESC, "
            "published_at DESC, id DESC LIMIT %s OFFSET %s"
        )
        cursor.execute(sql, [*restore[1], " ".join(terms), list(newest), count, offset])
        rows = cursor.fetchall()
        return [row[0] for row in rows], bool(rows)

    def optimize(self) -> None:
        """Refresh the planner's statistics after a bulk rebuild."""
        with connection.cursor() as cursor:
            cursor.execute(f"ANALYZE {TABLE}")
            cursor.execute(f"ANALYZE {PG_SIDE_TABLE}")


def backend() -> SQLiteBackend | PostgreSQLBackend:
    """Return the backend for the default database."""
    if connection.vendor == "postgresql":
        return PostgreSQLBackend()
    if connection.vendor == "sqlite":
        return SQLiteBackend()
    raise NotImplementedError(f"search is not available on {connection.vendor}")
