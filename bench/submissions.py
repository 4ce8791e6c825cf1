"""Submissions: the editors' inbox and the ranking with 5,000 organizations and 500,000 items.

    python -m bench.submissions                       # SQLite (a file database), then PostgreSQL
    python -m bench.submissions --backends sqlite     # SQLite only
    python -m bench.submissions --organizations 5000 --items 500000 --runs 10
    python -m bench.submissions --backends sqlite --reuse   # measure again, no generation

Each backend runs in a fresh database: SQLite in ``bench/results/data-submissions-sqlite/``,
PostgreSQL in ``dangwu_bench_submissions`` at 127.0.0.1:5432 (created by the run, dropped
after). The tree (the committee, 50 organ Party committees, their branches: 5,000 in all) and
the items (spread over five years, so a year holds about 100,000; 70 % adopted, 10 % returned,
8 % declined, the rest waiting) are inserted in bulk — generating them is not what is measured.
Then, through ``django.test.Client`` as an editor of the committee (middleware, selectors,
templates), each ``--runs`` times after a warm-up:

1. ``GET /submissions/inbox/`` (waiting items, newest first), and with every state;
2. ``GET /submissions/inbox/?organization=…`` (one organ Party committee's subtree);
3. ``GET /submissions/ranking/`` (this year: the 50 committees, each counting its subtree);
4. the ranking over all five years, and its Excel export once.

Results go to ``bench/results/submissions-<backend>.json``.
"""

from __future__ import annotations

import argparse
import json
import time
import uuid
from datetime import timedelta
from typing import Any

from bench.common import (
    RESULTS_DIR,
    open_fresh_database,
    org_tree,
    run_each_backend,
    summarize,
    write_json,
)

DEFAULT_PG = "postgres://postgres@127.0.0.1:5432/dangwu_bench_submissions"


def _items(total: int) -> None:
    import random

    from django.utils import timezone

    from dangwu.orgs.models import Organization
    from dangwu.submissions.models import Submission

    rng = random.Random(5)
    org_ids = list(Organization.objects.filter(depth__gte=1).values_list("id", flat=True))
    now = timezone.now()
    statuses = ["adopted"] * 70 + ["returned"] * 10 + ["declined"] * 8 + ["submitted"] * 12
    kinds = ["news", "practice", "suggestion", "theory", "other"]
    batch: list[Any] = []
    for n in range(total):
        status = rng.choice(statuses)
        when = now - timedelta(minutes=rng.randint(0, 5 * 365 * 24 * 60))
        batch.append(
            Submission(
                uuid=uuid.uuid4(),
                organization_id=rng.choice(org_ids),
                submitter_name="书记",
                title=f"基层党组织工作动态第{n}篇",
                kind=rng.choice(kinds),
                body="<p>正文。</p>",
                body_text="正文。",
                status=status,
                submitted_at=when,
                decided_at=when if status != "submitted" else None,
                points=rng.choice([1, 2, 2, 5]) if status == "adopted" else 0,
                placement="public" if status == "adopted" else "",
                created_at=when,
                updated_at=when,
            )
        )
        if len(batch) == 10_000:
            Submission.objects.bulk_create(batch)
            batch = []
    Submission.objects.bulk_create(batch)


def _editor(root: Any) -> Any:
    from bench.common import PASSWORD
    from dangwu.access import SYSTEM, Role
    from dangwu.accounts.services import role_grant, user_create

    user = user_create(actor=SYSTEM, username="bench-editor", password=PASSWORD)
    role_grant(actor=SYSTEM, user=user, role=Role.EDITOR, organization=root)
    return user


def _measure(client: Any, url: str, runs: int) -> dict[str, Any]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    assert client.get(url).status_code == 200, url  # warm-up
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        response = client.get(url)
        samples.append(time.perf_counter() - start)
        assert response.status_code == 200, url
    with CaptureQueriesContext(connection) as queries:
        client.get(url)
    return {"url": url, **summarize(samples), "queries": len(queries)}


def run_backend(args: argparse.Namespace) -> dict[str, Any]:
    backend = open_fresh_database("submissions", args.database_url, reuse=args.reuse)
    from django.db import connection
    from django.test import Client

    from dangwu.accounts.models import User
    from dangwu.orgs.models import Organization

    started = time.perf_counter()
    if args.reuse:
        root = Organization.objects.get(parent__isnull=True)
        editor = User.objects.get(username="bench-editor")
    else:
        root = org_tree(args.organizations)
        _items(args.items)
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        editor = _editor(root)
    generated = time.perf_counter() - started
    client = Client()
    client.force_login(editor)
    committee = Organization.objects.filter(depth=1).order_by("code").first()
    assert committee is not None
    result: dict[str, Any] = {
        "backend": backend,
        "organizations": args.organizations,
        "items": args.items,
        "generate_s": round(generated, 1),
        "inbox_waiting": _measure(client, "/submissions/inbox/", args.runs),
        "inbox_all_states": _measure(client, "/submissions/inbox/?status=", args.runs),
        "inbox_one_committee": _measure(
            client, f"/submissions/inbox/?status=&organization={committee.pk}", args.runs
        ),
        "ranking_this_year": _measure(client, "/submissions/ranking/", args.runs),
        "ranking_five_years": _measure(
            client, "/submissions/ranking/?date_from=2000-01-01&date_to=2100-12-31", args.runs
        ),
    }
    start = time.perf_counter()
    export = client.get("/submissions/ranking.xlsx")
    result["ranking_export_s"] = round(time.perf_counter() - start, 3)
    result["ranking_export_bytes"] = len(export.content)
    write_json(RESULTS_DIR / f"submissions-{backend}.json", result)
    return result


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--backends", default="sqlite,postgres")
    parser.add_argument("--database-url", default="", help="(internal) run one backend")
    parser.add_argument("--postgres-url", default=DEFAULT_PG)
    parser.add_argument("--organizations", type=int, default=5000)
    parser.add_argument("--items", type=int, default=500_000)
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--reuse", action="store_true", help="measure the last run's data again")
    parser.add_argument("--one", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.one:
        print(json.dumps(run_backend(args), ensure_ascii=False, indent=2))
        return
    common = [
        f"--organizations={args.organizations}",
        f"--items={args.items}",
        f"--runs={args.runs}",
        *(["--reuse"] if args.reuse else []),
    ]
    run_each_backend(
        "bench.submissions", backends=args.backends, postgres_url=args.postgres_url, options=common
    )


if __name__ == "__main__":
    main()
