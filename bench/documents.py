"""Official documents: distribution to 5,000 organizations, the dashboard of 5,000 receipts,
50 concurrent sign-offs.

    python -m bench.documents                       # SQLite (a file database), then PostgreSQL
    python -m bench.documents --backends sqlite     # SQLite only
    python -m bench.documents --organizations 5000 --runs 10 --signers 50

Each backend runs in a fresh database: SQLite in ``bench/results/data-documents-sqlite/``,
PostgreSQL in ``dangwu_bench_documents`` at 127.0.0.1:5432 (created by the run, dropped after).
The tree is the committee, 50 organ Party committees and their branches (5,000 organizations in
all), inserted in bulk (building the tree is not what is measured). Then, through the real
services as the demo clerk and leader:

1. **distribution**: a signed document to the saved group "all organizations" (5,000
   receipts), timed and its queries counted; the same to "all organ Party committees" (50
   receipts) to show that the number of queries does not depend on the recipients;
2. **dashboard**: half the receipts signed, then ``GET /documents/<id>/receipts/`` through
   ``django.test.Client`` (middleware, template, the figures over all 5,000), ``--runs`` times;
   also the Excel export once;
3. **concurrent sign-offs**: ``--signers`` documents waiting for sign-off, one thread each,
   released together by a barrier; the numbers taken must be 1..N without gap or duplicate.

Results go to ``bench/results/documents-<backend>.json``.
"""

from __future__ import annotations

import argparse
import json
import threading
import time
from typing import Any

from bench.common import (
    RESULTS_DIR,
    open_fresh_database,
    org_tree,
    run_each_backend,
    summarize,
    write_json,
)

DEFAULT_PG = "postgres://postgres@127.0.0.1:5432/dangwu_bench_documents"


def _people(root: Any) -> tuple[Any, Any]:
    from bench.common import PASSWORD
    from dangwu.access import SYSTEM, Role
    from dangwu.accounts.services import role_grant, user_create

    people = []
    for username, role in (("bench-clerk", Role.DOC_CLERK), ("bench-leader", Role.LEADER)):
        user = user_create(actor=SYSTEM, username=username, password=PASSWORD)
        role_grant(actor=SYSTEM, user=user, role=role, organization=root)
        people.append(user)
    return people[0], people[1]


def _document(clerk: Any, leader: Any, root: Any, group: Any, *, code: str, sign: bool) -> Any:
    from dangwu.documents import services

    document = services.document_create(
        actor=clerk,
        organization=root,
        doc_type="notice",
        issuer_mark="中共江城市直属机关工作委员会文件",
        code=code,
        title="关于开展党建述职评议工作的通知",
        disclosure="on_request",
        main_groups=[group],
        body="<p>各机关党委：</p><p>请认真组织，按时报送。</p>",
    )
    services.document_submit(actor=clerk, document=document)
    services.document_review(actor=clerk, document=document)
    if sign:
        services.document_sign(actor=leader, document=document)
    return document


def _distribution(clerk: Any, leader: Any, root: Any, group: Any, runs: int) -> dict[str, Any]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from dangwu.documents import services

    seconds, queries, receipts = [], set(), set()
    for _ in range(runs):
        document = _document(clerk, leader, root, group, code="江直工", sign=True)
        with CaptureQueriesContext(connection) as captured:
            start = time.perf_counter()
            made = services.document_distribute(actor=clerk, document=document)
            seconds.append(time.perf_counter() - start)
        queries.add(len(captured))
        receipts.add(made)
    return {"receipts": sorted(receipts), "queries": sorted(queries), **summarize(seconds)}


def _dashboard(clerk: Any, document: Any, runs: int) -> dict[str, Any]:
    from django.test import Client

    from dangwu.documents.enums import ReceiptStatus
    from dangwu.documents.models import Receipt

    ids = list(Receipt.objects.filter(document=document).values_list("pk", flat=True))
    Receipt.objects.filter(pk__in=ids[: len(ids) // 2]).update(
        status=ReceiptStatus.SIGNED, signed_at=document.distributed_at
    )
    client = Client()
    client.force_login(clerk)
    url = f"/documents/{document.pk}/receipts/"
    assert client.get(url).status_code == 200  # warm-up
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        response = client.get(url)
        samples.append(time.perf_counter() - start)
        assert response.status_code == 200
    start = time.perf_counter()
    export = client.get(f"/documents/{document.pk}/receipts.xlsx")
    export_s = time.perf_counter() - start
    return {
        "receipts": len(ids),
        **summarize(samples),
        "export_s": round(export_s, 3),
        "export_bytes": len(export.content),
    }


def _concurrent(clerk: Any, leader: Any, root: Any, group: Any, signers: int) -> dict[str, Any]:
    from django.db import connection

    from dangwu.documents import services
    from dangwu.documents.models import Document

    documents = [
        _document(clerk, leader, root, group, code="并发", sign=False) for _ in range(signers)
    ]
    barrier = threading.Barrier(signers)
    errors: list[str] = []

    def sign(document: Any) -> None:
        try:
            barrier.wait()
            services.document_sign(actor=leader, document=document)
        except Exception as error:  # counted and reported
            errors.append(repr(error))
        finally:
            connection.close()

    threads = [threading.Thread(target=sign, args=(d,)) for d in documents]
    start = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - start
    serials = sorted(
        Document.objects.filter(code="并发").exclude(serial=None).values_list("serial", flat=True)
    )
    return {
        "signers": signers,
        "seconds": round(elapsed, 3),
        "errors": errors[:5],
        "error_count": len(errors),
        "distinct_consecutive": serials == list(range(1, signers + 1)),
        "first_last": [serials[0], serials[-1]] if serials else [],
    }


def run_backend(args: argparse.Namespace) -> dict[str, Any]:
    """Run every measurement in this process against one fresh database."""
    # Distribution announces itself to a worker; no worker runs here, the tasks only queue.
    backend = open_fresh_database("documents", args.database_url)

    from dangwu.access import SYSTEM
    from dangwu.documents import services
    from dangwu.documents.enums import GroupRule
    from dangwu.documents.models import Document

    root = org_tree(args.organizations)
    clerk, leader = _people(root)
    everyone = services.group_create(actor=SYSTEM, name="全部党组织", rule=GroupRule.ALL)
    committees = services.group_create(
        actor=SYSTEM, name="全部机关党委", rule=GroupRule.PARTY_COMMITTEES
    )
    result: dict[str, Any] = {"backend": backend, "organizations": args.organizations}
    result["distribution_all"] = _distribution(clerk, leader, root, everyone, args.runs_distribute)
    result["distribution_committees"] = _distribution(clerk, leader, root, committees, 2)
    big = Document.objects.filter(main_groups=everyone, status="distributed").first()
    result["dashboard"] = _dashboard(clerk, big, args.runs)
    result["concurrent_sign_offs"] = _concurrent(clerk, leader, root, committees, args.signers)
    write_json(RESULTS_DIR / f"documents-{backend}.json", result)
    return result


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--backends", default="sqlite,postgres")
    parser.add_argument("--database-url", default="", help="(internal) run one backend")
    parser.add_argument("--postgres-url", default=DEFAULT_PG)
    parser.add_argument("--organizations", type=int, default=5000)
    parser.add_argument("--runs", type=int, default=10, help="dashboard requests")
    parser.add_argument("--runs-distribute", type=int, default=3)
    parser.add_argument("--signers", type=int, default=50)
    parser.add_argument("--one", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.one:
        print(json.dumps(run_backend(args), ensure_ascii=False, indent=2))
        return
    # One process per backend: Django is configured once per process.
    common = [
        f"--organizations={args.organizations}",
        f"--runs={args.runs}",
        f"--runs-distribute={args.runs_distribute}",
        f"--signers={args.signers}",
    ]
    run_each_backend(
        "bench.documents", backends=args.backends, postgres_url=args.postgres_url, options=common
    )


if __name__ == "__main__":
    main()
