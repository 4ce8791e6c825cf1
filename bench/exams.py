"""Exams: 500 members hand in the same exam within one minute, on the embedded default.

    python -m bench.exams                          # 500 members, one minute, 50 clients
    python -m bench.exams --members 500 --seconds 60 --clients 50
    python -m bench.exams --database-url postgres://postgres@127.0.0.1:5432/dangwu_bench_exams

The embedded default: a SQLite file database in ``bench/results/data-exams/`` (made afresh),
served by the real server (``dangwu serve``: gunicorn with its 2 workers, the task worker and the
periodic scheduler). Built in process, not measured: the committee and one branch with
``--members`` members (users, member role, personal API tokens), a bank of 40 questions and the
published exam "党章知识测试" drawing 20 of them per attempt (option order shuffled). Each member's
attempt is started through the service and 20 answers saved (a realistic mix of right and wrong),
as if they had worked through the paper.

Measured: every member's ``POST /api/v1/attempts/<id>/submit`` (with the member's own token), the
hand-ins spread evenly over ``--seconds`` in a random order and sent by ``--clients`` concurrent
client threads (an open loop: a slow answer does not delay the next hand-in), latency per request
from the clients' side. Then a burst: the same number of hand-ins of a second exam sent all at
once by the same clients (the worst case, everyone pressing 交卷 in the same second).

Checked after each phase, in the database: every attempt graded (status submitted, a score, the
answers marked), none lost or graded twice, each score equal to what grading the saved answers
gives, a certificate for each pass. Results go to ``bench/results/exams-sqlite.json``.

With ``--database-url`` the same runs on PostgreSQL: the database named in the URL is dropped and
made afresh, the server uses it, and it is dropped again at the end (``--keep`` keeps it).
Results then go to ``bench/results/exams-postgres.json``. The load average (1, 5, 15 minutes) is
recorded before and after each phase: the machine is shared.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import signal
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from typing import Any

from bench.common import (
    BENCH_DIR,
    PASSWORD,
    RESULTS_DIR,
    free_port,
    fresh_postgres,
    percentile,
    setup_django,
    write_json,
)

DATA_DIR = RESULTS_DIR / "data-exams"
TARGET_P99_MS = 500


def build(*, members: int, seed: int) -> dict[str, Any]:
    """Make the tree, the members with tokens, the bank, two exams and every attempt."""
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from dangwu.access import SYSTEM, Role
    from dangwu.accounts.models import ApiToken, RoleAssignment, User
    from dangwu.accounts.services import role_grant, user_create
    from dangwu.core import crypto
    from dangwu.exams import selectors, services
    from dangwu.exams.demo import QUESTIONS
    from dangwu.exams.models import Answer
    from dangwu.orgs.enums import OrgKind
    from dangwu.orgs.services import organization_create

    rng = random.Random(seed)
    root = organization_create(
        actor=SYSTEM, code="GW", name="江城市直机关工委", kind=OrgKind.COMMITTEE, parent=None
    )
    branch = organization_create(
        actor=SYSTEM, code="A0101", name="第一支部", kind=OrgKind.BRANCH, parent=root
    )
    admin = user_create(actor=SYSTEM, username="bench-school", password=PASSWORD)
    role_grant(actor=SYSTEM, user=admin, role=Role.SCHOOL_ADMIN, organization=root)
    # Members in bulk (argon2 for 500 passwords is not what is measured; they use tokens).
    User.objects.bulk_create(
        User(username=f"bench-m{i:04d}", display_name=f"党员{i}", password="!")  # noqa: S106  (unusable)
        for i in range(members)
    )
    people = list(User.objects.filter(username__startswith="bench-m").order_by("username"))
    RoleAssignment.objects.bulk_create(
        RoleAssignment(user=u, role=Role.MEMBER, organization=branch) for u in people
    )
    secrets: dict[int, str] = {}
    tokens = []
    for user in people:
        secret = f"dw_bench{user.pk:06d}{rng.getrandbits(64):016x}"
        secrets[user.pk] = secret
        tokens.append(
            ApiToken(
                user=user, name="bench", digest=crypto.token_digest(secret), prefix=secret[:10]
            )
        )
    ApiToken.objects.bulk_create(tokens)
    for kind, tag, difficulty, stem, options, answer, explanation in QUESTIONS:
        services.question_create(
            actor=admin,
            kind=kind,
            tags=[tag],
            difficulty=difficulty,
            stem=stem,
            options=options,
            answer=answer,
            explanation=explanation,
            organization=root,
        )
    rules = [
        services.RuleSpec(kind="single", count=10, points=5),
        services.RuleSpec(kind="multiple", count=3, points=10),
        services.RuleSpec(kind="true_false", count=5, points=2),
        services.RuleSpec(kind="fill", count=2, points=5),
    ]
    exams = []
    for title in ("党章知识测试", "党章知识测试（集中交卷）"):
        exam = services.exam_create(
            actor=admin,
            title=title,
            organization=root,
            time_limit_minutes=60,
            attempts_allowed=1,
            pass_mark=60,
            shuffle_options=True,
            rules=rules,
        )
        services.exam_publish(actor=admin, exam=exam)
        exams.append(exam)
    attempts: dict[int, list[tuple[int, int]]] = {}
    for exam in exams:
        pairs = []
        for user in people:
            attempt = services.attempt_start(actor=user, exam=exam)
            saved = []
            right = rng.uniform(0.4, 1.0)
            for item in selectors.attempt_paper(attempt):
                question = item.question
                response = question.answer.split("|")[0]
                if rng.random() > right:
                    response = {"T": "F", "F": "T"}.get(response, "B" if response != "B" else "A")
                saved.append(
                    Answer(
                        attempt=attempt,
                        question=question,
                        response=response,
                        saved_at=attempt.started_at,
                    )
                )
            Answer.objects.bulk_create(saved)
            pairs.append((user.pk, attempt.pk))
        attempts[exam.pk] = pairs
    return {
        "secrets": secrets,
        "attempts": attempts,
        "exams": [e.pk for e in exams],
    }


def _load() -> list[float]:
    return [round(x, 2) for x in os.getloadavg()]


def _serve(port: int, database_url: str = "") -> subprocess.Popen:
    env = {
        **os.environ,
        "DANGWU_DATA_DIR": str(DATA_DIR),
        "DANGWU_DEBUG": "0",
        "PYTHONPATH": os.pathsep.join([str(BENCH_DIR.parent / "src"), str(BENCH_DIR.parent)]),
    }
    env.pop("DATABASE_URL", None)
    if database_url:
        env["DATABASE_URL"] = database_url
    command = [sys.executable, "-m", "dangwu.cli", "serve", "--port", str(port)]
    log = (DATA_DIR / "server.log").open("wb")
    return subprocess.Popen(  # noqa: S603  (our own server)
        command, env=env, cwd=BENCH_DIR.parent, stdout=log, stderr=subprocess.STDOUT
    )


def _wait_ready(base: str) -> None:
    for _ in range(300):
        try:
            with urllib.request.urlopen(f"{base}/healthz", timeout=5):  # noqa: S310  (loopback)
                return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"the server at {base} did not start")


def _submit(base: str, attempt_id: int, secret: str) -> tuple[int, float, bytes]:
    request = urllib.request.Request(  # noqa: S310  (loopback)
        f"{base}/api/v1/attempts/{attempt_id}/submit",
        data=b"",
        method="POST",
        headers={"Authorization": f"Bearer {secret}", "Content-Type": "application/json"},
    )
    start = time.perf_counter()
    try:
        with urllib.request.urlopen(request, timeout=60) as response:  # noqa: S310
            body = response.read()
            status = response.status
    except urllib.error.HTTPError as error:
        body, status = error.read(), error.code
    except OSError as error:
        body, status = str(error).encode(), 0
    return status, (time.perf_counter() - start) * 1000, body


def _phase(
    base: str,
    pairs: list[tuple[int, int]],
    secrets: dict[int, str],
    *,
    seconds: float,
    clients: int,
    seed: int,
) -> dict[str, Any]:
    """Hand in every attempt: spread over ``seconds`` (0: all at once) by ``clients`` threads."""
    order = list(pairs)
    random.Random(seed).shuffle(order)
    step = seconds / len(order) if seconds else 0.0
    jobs = [(i * step, user_id, attempt_id) for i, (user_id, attempt_id) in enumerate(order)]
    lock = threading.Lock()
    results: list[tuple[int, float, int]] = []
    failures: list[str] = []
    start = time.perf_counter() + 0.5

    def client() -> None:
        while True:
            with lock:
                if not jobs:
                    return
                at, user_id, attempt_id = jobs.pop(0)
            delay = start + at - time.perf_counter()
            if delay > 0:
                time.sleep(delay)
            status, ms, body = _submit(base, attempt_id, secrets[user_id])
            with lock:
                results.append((status, ms, attempt_id))
                if status != 200:
                    failures.append(f"{attempt_id}: {status} {body[:200]!r}")

    threads = [threading.Thread(target=client) for _ in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - start
    latencies = [ms for status, ms, _a in results if status == 200]
    return {
        "hand_ins": len(results),
        "ok": len(latencies),
        "failures": failures[:20],
        "failed": len(failures),
        "wall_s": round(elapsed, 1),
        "p50_ms": round(percentile(latencies, 0.50), 1) if latencies else None,
        "p95_ms": round(percentile(latencies, 0.95), 1) if latencies else None,
        "p99_ms": round(percentile(latencies, 0.99), 1) if latencies else None,
        "max_ms": round(max(latencies), 1) if latencies else None,
    }


def verify(exam_id: int, expected: int) -> dict[str, Any]:
    """Check in the database: every attempt graded once, scores as the answers give."""
    from decimal import Decimal

    from django.db.models import Count, Q, Sum

    from dangwu.audit.models import AuditRecord
    from dangwu.exams import grading
    from dangwu.exams.models import Answer, Attempt, Certificate, Question

    attempts = Attempt.objects.filter(exam_id=exam_id)
    graded = attempts.filter(status="submitted", score__isnull=False).count()
    questions = {q.pk: q for q in Question.objects.all()}
    wrong_scores = 0
    sums = dict(
        Answer.objects.filter(attempt__exam_id=exam_id)
        .values("attempt_id")
        .annotate(total=Sum("points"))
        .values_list("attempt_id", "total")
    )
    unmarked = Answer.objects.filter(attempt__exam_id=exam_id, correct__isnull=True).count()
    for attempt in attempts.prefetch_related("answers"):
        points = {int(i["q"]): int(i["points"]) for i in attempt.paper}
        expected_score = sum(
            (
                Decimal(points[a.question_id])
                for a in attempt.answers.all()
                if grading.is_correct(
                    questions[a.question_id].kind, questions[a.question_id].answer, a.response
                )
            ),
            Decimal(0),
        )
        if attempt.score != expected_score or sums.get(attempt.pk) != expected_score:
            wrong_scores += 1
    passed = attempts.filter(passed=True).count()
    certificates = Certificate.objects.filter(attempt__exam_id=exam_id).count()
    audited = AuditRecord.objects.filter(
        action="exams.attempt_submitted", target_id=str(exam_id)
    ).count()
    per_attempt = attempts.aggregate(
        n=Count("id"), open=Count("id", filter=Q(status="in_progress"))
    )
    return {
        "attempts": per_attempt["n"],
        "graded": graded,
        "still_open": per_attempt["open"],
        "lost": expected - graded,
        "wrong_scores": wrong_scores,
        "unmarked_answers": unmarked,
        "passed": passed,
        "certificates": certificates,
        "audit_records": audited,
        "ok": graded == expected
        and wrong_scores == 0
        and unmarked == 0
        and certificates == passed
        and audited == expected,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--members", type=int, default=500)
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--database-url", default="", help="PostgreSQL (default: SQLite)")
    parser.add_argument("--keep", action="store_true", help="keep the PostgreSQL database")
    args = parser.parse_args(argv)
    global DATA_DIR
    backend = "postgres" if args.database_url else "sqlite"
    if args.database_url:
        DATA_DIR = RESULTS_DIR / "data-exams-postgres"
        fresh_postgres(args.database_url, force=True)

    shutil.rmtree(DATA_DIR, ignore_errors=True)
    DATA_DIR.mkdir(parents=True)
    setup_django(data_dir=DATA_DIR, database_url=args.database_url)
    try:
        return _run(args, backend)
    finally:
        if args.database_url and not args.keep:
            from django.db import connections

            connections.close_all()
            fresh_postgres(args.database_url, create=False, force=True)


def _run(args: argparse.Namespace, backend: str) -> int:
    started = time.perf_counter()
    built = build(members=args.members, seed=args.seed)
    print(
        f"built {args.members} members and their attempts in {time.perf_counter() - started:.0f} s"
    )

    from django.db import connections

    connections.close_all()
    port = free_port()
    server = _serve(port, args.database_url)
    load: dict[str, list[float]] = {"before": _load()}
    base = f"http://127.0.0.1:{port}"
    try:
        _wait_ready(base)
        for _ in range(4):  # warm both workers: imports, templates, connections
            urllib.request.urlopen(f"{base}/healthz", timeout=10).read()  # noqa: S310
        spread_exam, burst_exam = built["exams"]
        spread = _phase(
            base,
            built["attempts"][spread_exam],
            built["secrets"],
            seconds=args.seconds,
            clients=args.clients,
            seed=args.seed,
        )
        load["after_spread"] = _load()
        print(f"spread over {args.seconds:.0f} s: {spread} load {load}", flush=True)
        burst = _phase(
            base,
            built["attempts"][burst_exam],
            built["secrets"],
            seconds=0,
            clients=args.clients,
            seed=args.seed + 1,
        )
        load["after_burst"] = _load()
        print(f"burst: {burst} load {load}", flush=True)
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=60)
    checks = {
        "spread": verify(spread_exam, args.members),
        "burst": verify(burst_exam, args.members),
    }
    print(json.dumps(checks, ensure_ascii=False, indent=1))
    result = {
        "backend": backend,
        "load_average": load,
        "server": "dangwu serve (gunicorn, 2 sync workers, task worker, scheduler)",
        "members": args.members,
        "seconds": args.seconds,
        "clients": args.clients,
        "spread": spread,
        "burst": burst,
        "checks": checks,
        "target_p99_ms": TARGET_P99_MS,
        "target_met": bool(spread["p99_ms"] is not None and spread["p99_ms"] < TARGET_P99_MS)
        and all(c["ok"] for c in checks.values()),
    }
    write_json(RESULTS_DIR / f"exams-{backend}.json", result)
    print(f"target met: {result['target_met']}")
    return 0 if result["target_met"] else 1


if __name__ == "__main__":
    sys.exit(main())
