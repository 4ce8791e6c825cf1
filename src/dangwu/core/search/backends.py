"""The full-text query on each database: SQLite FTS5 (embedded) and PostgreSQL (scaled).

Both read the same segmented text (space-joined jieba tokens, see ``segment.py``): an FTS5
table with the ``unicode61`` tokenizer, or a stored ``to_tsvector('simple', ...)`` column with a
GIN index; both are created by core's migration. The caller passes the permission and filter
conditions as SQL compiled from a queryset on ``core_searchdocument``, so they apply inside the
one query that matches, counts and ranks.

A search runs two queries: ``newest`` takes the newest matches the user may read, at most one
more than can be shown (``MAX_RESULTS``), which counts them and bounds the work for words that
occur in a large part of the archive; ``ranked`` then ranks only the matches from the oldest of
those on. The cost is therefore bounded by ``MAX_RESULTS``, not by the size of the archive.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.db import connection

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
_PG_ORDER = (
    f"ORDER BY ts_rank({_PG_WEIGHTS}, {TABLE}.search_vector, query) DESC, "
    f"{TABLE}.published_at DESC, {TABLE}.id DESC"
)


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
        lowest: int,
        offset: int,
        limit: int,
    ) -> list[int]:
        sql = (
            f"SELECT {TABLE}.id {_SQLITE_FROM} AND {FTS_TABLE}.rowid >= %s{_and(where)} "
            f"{_SQLITE_ORDER} LIMIT %s OFFSET %s"
        )
        with connection.cursor() as cursor:
            cursor.execute(sql, [self._match(terms), lowest, *params, limit, offset])
            return [row[0] for row in cursor.fetchall()]

    def optimize(self) -> None:
        """Merge the index's segments after a bulk rebuild (faster queries, smaller file)."""
        with connection.cursor() as cursor:
            cursor.execute(f"INSERT INTO {FTS_TABLE}({FTS_TABLE}) VALUES ('optimize')")  # noqa: S608


class PostgreSQLBackend:
    """``search_vector @@ plainto_tsquery('simple', '党员 党费')`` (an AND), ranked by ts_rank.

    ``newest`` looks at the newest ``FIRST_WINDOW`` documents first and widens the window
    eightfold until it holds enough matches: each step is a GIN bitmap scan limited to an id
    range, so its cost follows the matches in the window. Asked for the newest matches directly
    (``ORDER BY id DESC LIMIT``), the planner walks the primary key backwards testing every
    document's tsvector, which took 0.5–1 s for two words that occur together rarely in a
    million documents (BENCHMARKS.md).
    """

    FIRST_WINDOW = 50_000

    def newest(
        self, terms: Sequence[str], where: str, params: Sequence[Any], limit: int
    ) -> list[int]:
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT max(id) FROM {TABLE}")  # noqa: S608
            top = cursor.fetchone()[0] or 0
            span = self.FIRST_WINDOW
            # No ORDER BY / LIMIT here: they would invite the backward primary-key walk.
            sql = (
                f"SELECT {TABLE}.id FROM {TABLE} WHERE {TABLE}.search_vector @@ {_PG_QUERY} "  # noqa: S608
                f"AND {TABLE}.id > %s{_and(where)}"
            )
            while True:
                low = top - span
                cursor.execute(sql, [" ".join(terms), low, *params])
                ids = sorted((row[0] for row in cursor.fetchall()), reverse=True)
                if len(ids) >= limit or low <= 0:
                    return ids[:limit]
                span *= 8

    def ranked(
        self,
        terms: Sequence[str],
        where: str,
        params: Sequence[Any],
        *,
        lowest: int,
        offset: int,
        limit: int,
    ) -> list[int]:
        sql = (
            f"SELECT {TABLE}.id FROM {TABLE}, {_PG_QUERY} AS query "  # noqa: S608
            f"WHERE {TABLE}.search_vector @@ query AND {TABLE}.id >= %s{_and(where)} "
            f"{_PG_ORDER} LIMIT %s OFFSET %s"
        )
        with connection.cursor() as cursor:
            cursor.execute(sql, [" ".join(terms), lowest, *params, limit, offset])
            return [row[0] for row in cursor.fetchall()]

    def optimize(self) -> None:
        """Refresh the planner's statistics after a bulk rebuild."""
        with connection.cursor() as cursor:
            cursor.execute(f"ANALYZE {TABLE}")


def backend() -> SQLiteBackend | PostgreSQLBackend:
    """Return the backend for the default database."""
    if connection.vendor == "postgresql":
        return PostgreSQLBackend()
    if connection.vendor == "sqlite":
        return SQLiteBackend()
    raise NotImplementedError(f"search is not available on {connection.vendor}")
