"""Search benchmark: N generated Chinese articles, index build time and size, query latency.

    python -m bench.search                                # 100,000 articles, SQLite
    python -m bench.search --articles 1000000 --body-words 40 --workers 2
    python -m bench.search --database-url postgres://postgres@127.0.0.1:5432/dangwu_search

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


def _prepare(args) -> dict:
    from django.core.management import call_command

    from dangwu.access import SYSTEM
    from dangwu.core.search.segment import tokenizer
    from dangwu.core.visibility import Visibility
    from dangwu.orgs.enums import OrgKind
    from dangwu.orgs.services import organization_create
    from dangwu.portal.enums import ArticleStatus, SourceKind
    from dangwu.portal.models import Article
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
        cursor.execute(
            "SELECT pg_total_relation_size('core_searchdocument'), "
            "pg_relation_size('core_searchdocument_vector')"
        )
        total, gin = cursor.fetchone()
        return {"documents_total_mb": round(total / mb, 1), "gin_index_mb": round(gin / mb, 1)}


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


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=100_000)
    parser.add_argument("--body-words", type=int, default=100, help="at most; at least half")
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--workers", type=int, default=2, help="segmenting processes")
    parser.add_argument("--database-url", default="", help="PostgreSQL (default: SQLite)")
    parser.add_argument(
        "--reuse", action="store_true", help="query the last run's data and index again"
    )
    args = parser.parse_args(argv)
    backend = "postgres" if args.database_url else "sqlite"
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

        call_command("migrate", verbosity=0)  # tables added since the data set was built
        built = read_json(built_file)
        member = User.objects.get(username="bench-member")
    else:
        if args.database_url:
            from django.core.management import call_command

            call_command("flush", interactive=False, verbosity=0)
        built = _prepare(args)
        print(f"generated {args.articles} articles in {built['generate_s']} s", flush=True)

        def progress(kind: str, done: int) -> None:
            if done % 50_000 < 500:
                print(f"  indexed {done}", flush=True)

        build_s, built["indexed"] = timed(lambda: reindex(workers=args.workers, progress=progress))
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
