"""Search benchmark: N generated Chinese articles, index build time and size, query latency.

    python -m bench.search                                # 100,000 articles, SQLite
    python -m bench.search --articles 1000000 --body-words 40 --workers 2
    python -m bench.search --database-url postgres://postgres@127.0.0.1:5432/dangwu_search
    python -m bench.search --articles 1000000 --copy \
        --database-url postgres://postgres@127.0.0.1:5432/dangwu_bench_search

With ``--copy`` (PostgreSQL only) the index rows are composed from a pool of phrases that is
segmented once, and loaded with ``COPY``: minutes instead of the half hour that segmenting a
million articles one by one takes. The queries are the same and go through the same code.

Articles are made of words drawn (weighted by frequency) from jieba's own dictionary, plus one
domain term (党费, 三会一课, ...) in 30% of them; half are public, 40% internal, 10% restricted.
They are inserted in bulk (generation is not what is measured); the index is then built through
the real code path, ``dangwu.core.search.reindex``. Queries are two words through
``dangwu.core.search.search`` (count, rank, fetch, highlight: what the page does), as a member
(public, internal and one restricted column) and as a visitor (public only). Results are written
to bench/results/search-<backend>-<n>.json.
"""

from __future__ import annotations

import argparse
import itertools
import random
import sys
import time
from datetime import timedelta
from pathlib import Path
from typing import Any

from bench.common import (
    PASSWORD,
    RESULTS_DIR,
    percentile,
    read_json,
    setup_django,
    timed,
    write_json,
)

DOMAIN_TERMS = [
    "党费", "三会一课", "主题党日", "组织生活会", "两学一做", "党小组", "入党申请书", "学习强国",
    "民主评议", "党支部", "机关工委", "党建", "党课", "预备党员", "发展对象",
]  # fmt: skip


def _words(tok) -> tuple[list[str], list[int]]:
    pairs = [
        (w, f)
        for w, f in tok.FREQ.items()
        if f >= 200 and 2 <= len(w) <= 4 and all("\u4e00" <= c <= "\u9fff" for c in w)
    ]
    return [w for w, _ in pairs], [f for _, f in pairs]


def _sentence(rng: random.Random, words, cumulative, n: int) -> str:
    # Cumulative weights computed once: with plain weights choices() re-sums 20,000 each call.
    return "".join(rng.choices(words, cum_weights=cumulative, k=n))


def _columns() -> tuple[Any, Any, Any, Any]:
    """Create the organizations and the public, internal and restricted columns."""
    from django.core.management import call_command

    from dangwu.access import SYSTEM
    from dangwu.core.visibility import Visibility
    from dangwu.orgs.enums import OrgKind
    from dangwu.orgs.services import organization_create
    from dangwu.portal.services import column_create

    call_command("migrate", verbosity=0)
    root = organization_create(
        actor=SYSTEM, code="GW", name="市直机关工委", kind=OrgKind.COMMITTEE, parent=None
    )
    other = organization_create(
        actor=SYSTEM, code="B01", name="第二机关党委", kind=OrgKind.PARTY_COMMITTEE, parent=root
    )
    public = column_create(actor=SYSTEM, slug="news", name="要闻要论", visibility=Visibility.PUBLIC)
    internal = column_create(
        actor=SYSTEM, slug="notices", name="工委通知通告", visibility=Visibility.INTERNAL
    )
    restricted = column_create(
        actor=SYSTEM,
        slug="discipline",
        name="纪检监察信息",
        visibility=Visibility.RESTRICTED,
        restricted_organizations=[other],
    )
    return root, public, internal, restricted


def _prepare(args) -> dict:
    from dangwu.core.search.segment import tokenizer
    from dangwu.core.visibility import Visibility
    from dangwu.portal.enums import ArticleStatus, SourceKind
    from dangwu.portal.models import Article

    root, public, internal, restricted = _columns()
    words, weights = _words(tokenizer())
    cumulative = list(itertools.accumulate(weights))
    rng = random.Random(20261126)
    now = __import__("django.utils.timezone", fromlist=["now"]).now()
    sources = list(SourceKind.values)
    batch: list[Article] = []
    start = time.perf_counter()
    for i in range(args.articles):
        roll = rng.random()
        column, visibility = (
            (public, Visibility.PUBLIC)
            if roll < 0.5
            else (internal, Visibility.INTERNAL)
            if roll < 0.9
            else (restricted, Visibility.RESTRICTED)
        )
        body = _sentence(rng, words, cumulative, rng.randint(args.body_words // 2, args.body_words))
        if rng.random() < 0.3:
            cut = rng.randint(0, len(body))
            body = body[:cut] + rng.choice(DOMAIN_TERMS) + body[cut:]
        batch.append(
            Article(
                title=_sentence(rng, words, cumulative, rng.randint(3, 6)),
                body=f"<p>{body}</p>",
                body_text=body,
                organization=root,
                column=column,
                visibility=visibility,
                source_kind=sources[i % len(sources)],
                status=ArticleStatus.PUBLISHED,
                publish_at=now - timedelta(minutes=rng.randint(1, 3 * 365 * 24 * 60)),
            )
        )
        if len(batch) == 5000:
            Article.objects.bulk_create(batch)
            batch = []
    Article.objects.bulk_create(batch)
    return {"generate_s": round(time.perf_counter() - start, 1)}


def _phrases(rng: random.Random, words, cumulative, count: int, low: int, high: int) -> list:
    """Return ``count`` (text, tokens) phrases of ``low``–``high`` words, each segmented once."""
    from dangwu.core.search.segment import index_tokens

    out = []
    for _ in range(count):
        text = _sentence(rng, words, cumulative, rng.randint(low, high))
        out.append((text, index_tokens(text)))
    return out


def _prepare_copy(args) -> dict:
    """Load the index rows with COPY, composed from phrases segmented once (PostgreSQL).

    A body is a run of phrases joined by "，": jieba segments each run of Chinese characters on
    its own, so the body's tokens are the phrases' tokens joined (checked below on a sample
    against the real segmenter). Only the index rows are written (what a search reads); the
    articles themselves are not, nothing in the search path reads them.
    """
    from django.db import connection
    from django.utils import timezone

    from dangwu.core.search.segment import index_tokens, tokenizer
    from dangwu.core.visibility import Visibility
    from dangwu.portal.enums import SourceKind
    from dangwu.portal.search import ARTICLE

    if connection.vendor != "postgresql":
        raise SystemExit("--copy loads PostgreSQL only (give --database-url)")
    _root, public, internal, restricted = _columns()
    rng = random.Random(20261126)
    start = time.perf_counter()
    words, weights = _words(tokenizer())
    cumulative = list(itertools.accumulate(weights))
    # The body words of an article: half to all of --body-words, in phrases of 3-8 words.
    bodies = _phrases(rng, words, cumulative, args.pool, 3, 8)
    titles = _phrases(rng, words, cumulative, args.pool // 2, 3, 6)
    terms = [(t, index_tokens(t)) for t in DOMAIN_TERMS]
    segment_s = time.perf_counter() - start
    print(f"segmented {len(bodies) + len(titles)} phrases in {segment_s:.1f} s", flush=True)
    now = timezone.now()
    sources = list(SourceKind.values)
    fields = (
        "kind, object_id, title, text, visibility, column_id, columns, source, published_at, "
        "title_tokens, body_tokens, indexed_at"
    )
    with connection.cursor() as cursor:
        # The full-text (GIN) indexes are built once after the load, not row by row.
        cursor.execute(
            "SELECT indexname, indexdef FROM pg_indexes WHERE tablename LIKE "
            "'core_searchdocument%%' AND indexdef LIKE '%%USING gin%%'"
        )
        gin = cursor.fetchall()
        for name, _ in gin:
            cursor.execute(f'DROP INDEX "{name}"')
    start = time.perf_counter()
    checked = 0
    raw = connection.connection
    with (
        raw.cursor() as cursor,
        cursor.copy(f"COPY core_searchdocument ({fields}) FROM STDIN") as copy,
    ):
        for i in range(1, args.articles + 1):
            roll = rng.random()
            column, visibility = (
                (public, Visibility.PUBLIC)
                if roll < 0.5
                else (internal, Visibility.INTERNAL)
                if roll < 0.9
                else (restricted, Visibility.RESTRICTED)
            )
            goal = rng.randint(args.body_words // 2, args.body_words)
            parts = []
            while goal > 0:
                phrase = rng.choice(bodies)
                parts.append(phrase)
                goal -= 5.5  # a phrase's mean number of words
            if rng.random() < 0.3:
                parts.insert(rng.randint(0, len(parts)), rng.choice(terms))
            title, title_tokens = rng.choice(titles)
            text = "，".join(p[0] for p in parts) + "。"
            body_tokens = " ".join(p[1] for p in parts)
            if i % 5000 == 1:  # the composed tokens are what the indexing code would store
                assert index_tokens(text) == body_tokens, text
                assert index_tokens(f"{title} ") == title_tokens, title
                checked += 1
            copy.write_row(
                (
                    ARTICLE,
                    i,
                    title,
                    text,
                    visibility,
                    column.pk,
                    f"|{column.pk}|",
                    sources[i % len(sources)],
                    now - timedelta(minutes=rng.randint(1, 3 * 365 * 24 * 60)),
                    title_tokens,
                    body_tokens,
                    now,
                )
            )
            if i % 100_000 == 0:
                print(f"  copied {i}", flush=True)
    copy_s = time.perf_counter() - start
    print(f"copied {args.articles} rows in {copy_s:.1f} s", flush=True)
    start = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute("SET maintenance_work_mem = '512MB'")
        for _, definition in gin:
            cursor.execute(definition)
    gin_s = time.perf_counter() - start
    print(f"built the GIN index in {gin_s:.1f} s", flush=True)
    start = time.perf_counter()
    with connection.cursor() as cursor:
        # What one does after a bulk load: set the hint bits and the visibility map once, or the
        # first searches write every page they read; and the planner's statistics.
        for table in ("core_searchdocument", "core_searchdocument_tsv"):
            cursor.execute(f"VACUUM (ANALYZE) {table}")
    vacuum_s = time.perf_counter() - start
    print(f"vacuumed in {vacuum_s:.1f} s", flush=True)
    return {
        "load": "copy",
        "vacuum_s": round(vacuum_s, 1),
        "pool_phrases": len(bodies) + len(titles),
        "segment_pool_s": round(segment_s, 1),
        "copy_s": round(copy_s, 1),
        "gin_build_s": round(gin_s, 1),
        "index_build_s": round(copy_s + gin_s, 1),
        "samples_checked_against_segmenter": checked,
        "indexed": args.articles,
        "generate_s": 0,
    }


def _size(vendor: str) -> dict[str, float]:
    from django.db import connection

    mb = 1024 * 1024
    with connection.cursor() as cursor:
        if vendor == "sqlite":
            cursor.execute(
                "SELECT name, SUM(pgsize) FROM dbstat WHERE name LIKE 'core_searchdocument%' "
                "GROUP BY name"
            )
            sizes = dict(cursor.fetchall())
            fts = sum(v for k, v in sizes.items() if k.startswith("core_searchdocument_fts"))
            return {
                "documents_mb": round(sizes.get("core_searchdocument", 0) / mb, 1),
                "fulltext_index_mb": round(fts / mb, 1),
                "database_file_mb": round(
                    Path(connection.settings_dict["NAME"]).stat().st_size / mb, 1
                ),
            }
        # Every table and index of the search (the documents, the full-text side table, the
        # GIN index): tables with their TOAST, indexes on their own.
        cursor.execute(
            "SELECT c.relname, c.relkind, CASE c.relkind WHEN 'r' THEN "
            "pg_table_size(c.oid) ELSE pg_relation_size(c.oid) END FROM pg_class c "
            "WHERE c.relname LIKE 'core_searchdocument%%' AND c.relkind IN ('r', 'i') "
            "ORDER BY c.relname"
        )
        return {
            f"{name}_{'table' if kind == 'r' else 'index'}_mb": round(size / mb, 1)
            for name, kind, size in cursor.fetchall()
        }


def _queries(n: int) -> list[str]:
    """Two-word queries: a common word plus a domain term or another dictionary word."""
    from dangwu.core.search.segment import tokenizer

    rng = random.Random(7)
    words, weights = _words(tokenizer())
    # Draw from the 2,000 most frequent words: rare pairs would be flatteringly fast.
    top = sorted(zip(words, weights, strict=True), key=lambda p: -p[1])[:2000]
    common = [w for w, _ in top]
    out = []
    for i in range(n):
        second = rng.choice(DOMAIN_TERMS) if i % 2 else rng.choice(common)
        out.append(f"{rng.choice(common)} {second}")
    return out


def _create_database(url: str) -> None:
    """Create the PostgreSQL database of ``url`` if it does not exist (drop it after use)."""
    from urllib.parse import urlsplit, urlunsplit

    import psycopg

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    with psycopg.connect(urlunsplit(parts._replace(path="/postgres")), autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=100_000)
    parser.add_argument("--body-words", type=int, default=100, help="at most; at least half")
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--workers", type=int, default=2, help="segmenting processes")
    parser.add_argument("--database-url", default="", help="PostgreSQL (default: SQLite)")
    parser.add_argument(
        "--copy",
        action="store_true",
        help="PostgreSQL: COPY index rows composed from a pool of phrases segmented once",
    )
    parser.add_argument("--pool", type=int, default=200_000, help="phrases for --copy")
    parser.add_argument(
        "--reuse", action="store_true", help="query the last run's data and index again"
    )
    args = parser.parse_args(argv)
    backend = "postgres" if args.database_url else "sqlite"
    if args.database_url and not args.reuse:
        _create_database(args.database_url)
    data_dir = RESULTS_DIR / f"data-search-{backend}"
    if not args.database_url and not args.reuse:
        for path in data_dir.glob("dangwu.sqlite3*"):
            path.unlink()
    setup_django(data_dir=data_dir, database_url=args.database_url)

    from django.contrib.auth.models import AnonymousUser
    from django.db import connection

    from dangwu.access import SYSTEM, Role
    from dangwu.accounts.models import User
    from dangwu.accounts.services import role_grant, user_create
    from dangwu.core.search import reindex, search
    from dangwu.orgs.models import Organization

    built_file = data_dir / "built.json"
    if args.reuse:
        from django.core.management import call_command

        # The search's own tables added since the data set was built (other apps' migrations
        # are none of this benchmark's business and may be mid-change in a working tree).
        call_command("migrate", "core", verbosity=0)
        built = read_json(built_file)
        member = User.objects.get(username="bench-member")
    else:
        if args.database_url:
            from django.core.management import call_command

            call_command("flush", interactive=False, verbosity=0)
        if args.copy:
            built = _prepare_copy(args)
        else:
            built = _prepare(args)
            print(f"generated {args.articles} articles in {built['generate_s']} s", flush=True)

            def progress(kind: str, done: int) -> None:
                if done % 50_000 < 500:
                    print(f"  indexed {done}", flush=True)

            build_s, built["indexed"] = timed(
                lambda: reindex(workers=args.workers, progress=progress)
            )
            built["index_build_s"] = round(build_s, 1)
            print(f"indexed {built['indexed']} in {build_s:.1f} s", flush=True)
        built["sizes"] = _size(connection.vendor)
        member = user_create(actor=SYSTEM, username="bench-member", password=PASSWORD)
        restricted_org = Organization.objects.get(code="B01")
        role_grant(actor=SYSTEM, user=member, role=Role.MEMBER, organization=restricted_org)
        write_json(built_file, built)
    readers = {"member": member, "visitor": AnonymousUser()}
    queries = _queries(args.queries)
    for query in queries[:5]:  # warm the caches, as a running server would have them
        search(user=member, query=query)
    latency: dict[str, dict] = {}
    for name, user in readers.items():
        samples, hits, more = [], [], 0
        for query in queries:
            seconds, results = timed(lambda u=user, q=query: search(user=u, query=q))
            samples.append(seconds)
            hits.append(results.total)
            more += results.more
        latency[name] = {
            "p50_ms": round(percentile(samples, 0.5) * 1000, 1),
            "p95_ms": round(percentile(samples, 0.95) * 1000, 1),
            "max_ms": round(max(samples) * 1000, 1),
            "median_hits": int(percentile(hits, 0.5)),
            "max_hits": max(hits),
            "queries_with_more_than_shown": more,
        }
        print(f"{name}: {latency[name]}", flush=True)
    payload = {
        "backend": backend,
        "articles": args.articles,
        "body_words": args.body_words,
        "workers": args.workers,
        **built,
        "queries": len(queries),
        "example_queries": queries[:6],
        "latency": latency,
    }
    write_json(RESULTS_DIR / f"search-{backend}-{args.articles}.json", payload)
    print(payload, file=sys.stderr)


if __name__ == "__main__":
    main()
