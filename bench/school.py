"""Online Party school: the cost of the lesson page's heartbeat (study-time reports).

    python -m bench.school                          # SQLite (a file database), then PostgreSQL
    python -m bench.school --backends sqlite        # SQLite only
    python -m bench.school --people 1000 --rounds 3 --http 300

Each backend runs in a fresh database (SQLite in ``bench/results/data-school-sqlite/``,
PostgreSQL in ``dangwu_bench_school`` at 127.0.0.1:5432, created by the run and dropped after).
``--people`` members (inserted in bulk, with their member role) each study the same lesson.
The platform's clock is moved by hand a minute at a time, so the rounds run as fast as the
machine allows while every report is a real, accepted one (60 seconds claimed, 60 elapsed):

1. **service**: ``--rounds`` rounds of one report per person through
   ``school.services.progress_report``; per report: time (median / p95), SQL queries and writes
   (INSERT / UPDATE / DELETE statements), and the whole round's time for all people;
2. **HTTP**: ``--http`` people report once more through ``POST /api/v1/school/lessons/{id}/
   progress`` with ``django.test.Client`` (middleware, authentication, JSON), with a personal
   token (``Authorization: Bearer``) and with the browser's session, counting every write the
   request makes (the school's own and the platform's: token last use, session).

Results go to ``bench/results/school-<backend>.json``.
"""

from __future__ import annotations

import argparse
import json
import time
from datetime import timedelta
from typing import Any

from bench.common import (
    PASSWORD,
    RESULTS_DIR,
    open_fresh_database,
    run_each_backend,
    summarize,
    write_json,
)

DEFAULT_PG = "postgres://postgres@127.0.0.1:5432/dangwu_bench_school"
WRITES = ("INSERT", "UPDATE", "DELETE")


class Clock:
    """The platform's clock (``django.utils.timezone.now``), moved by hand."""

    def __init__(self) -> None:
        from django.utils import timezone

        self.now = timezone.now()
        timezone.now = lambda: self.now  # type: ignore[assignment]  # the benchmark's own clock

    def advance(self, seconds: float) -> None:
        self.now += timedelta(seconds=seconds)


def _setup(people: int) -> tuple[Any, list[Any]]:
    from decimal import Decimal

    from dangwu.access import SYSTEM, Role
    from dangwu.accounts.models import RoleAssignment, User
    from dangwu.accounts.services import role_grant, user_create
    from dangwu.orgs.enums import OrgKind
    from dangwu.orgs.services import organization_create
    from dangwu.school import services

    root = organization_create(
        actor=SYSTEM, code="GW", name="江城市直机关工委", kind=OrgKind.COMMITTEE, parent=None
    )
    admin = user_create(actor=SYSTEM, username="bench-schooladmin", password=PASSWORD)
    role_grant(actor=SYSTEM, user=admin, role=Role.SCHOOL_ADMIN, organization=root)
    User.objects.bulk_create(
        User(username=f"bench-member-{n:05d}", display_name=f"党员{n}") for n in range(people)
    )
    learners = list(User.objects.filter(username__startswith="bench-member-").order_by("id"))
    RoleAssignment.objects.bulk_create(
        RoleAssignment(user=u, role=Role.MEMBER, organization=root) for u in learners
    )
    course = services.course_create(
        actor=admin, title="党章学习", category="charter", organization=root
    )
    lesson = services.lesson_create(
        actor=admin,
        course=course,
        title="总纲",
        kind="text",
        hours=Decimal("1.0"),
        required_minutes=600,  # long enough that no round completes it
        body="<p>党章是党的根本大法。</p>",
    )
    services.course_publish(actor=admin, course=course)
    return lesson, learners


def _service_rounds(lesson: Any, learners: list[Any], rounds: int, clock: Clock) -> dict:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from dangwu import access
    from dangwu.school import services

    tokens = {u.pk: services.beat_token(user=u, lesson=lesson) for u in learners}
    for user in learners:
        access.grants_of(user)  # loaded once per request by authentication, as in real use
    samples: list[float] = []
    queries: list[int] = []
    writes: list[int] = []
    rounds_seconds: list[float] = []
    for _round in range(rounds):
        clock.advance(60)
        round_start = time.perf_counter()
        for user in learners:
            connection.queries_log.clear()  # a full log (9,000 entries) would hide new ones
            with CaptureQueriesContext(connection) as captured:
                start = time.perf_counter()
                services.progress_report(
                    actor=user, lesson=lesson, seconds=60, token=tokens[user.pk]
                )
                samples.append(time.perf_counter() - start)
            queries.append(len(captured))
            writes.append(sum(1 for q in captured if q["sql"].lstrip().startswith(WRITES)))
        rounds_seconds.append(time.perf_counter() - round_start)
    steady = writes[len(learners) :] or writes  # the first round inserts each person's row
    return {
        "reports": len(samples),
        "per_report": summarize(samples),
        "queries_per_report_first_round_max": max(queries[: len(learners)]),
        "queries_per_report_later_max": max(queries[len(learners) :] or queries),
        "writes_per_report_later": sorted(set(steady)),
        "writes_per_report_first_round": sorted(set(writes[: len(learners)])),
        "round_seconds_for_all_people": [round(s, 3) for s in rounds_seconds],
        "reports_per_second": round(len(learners) / min(rounds_seconds), 1),
    }


def _statement(sql: str) -> str:
    """Return "UPDATE table" / "INSERT table" / "DELETE table" of a write statement."""
    words = sql.replace('"', "").split()
    table = words[2] if words[0] in ("INSERT", "DELETE") else words[1]
    return f"{words[0]} {table}"


def _http(lesson: Any, learners: list[Any], sample: int, clock: Clock) -> dict:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from dangwu.accounts.services import token_issue
    from dangwu.school import services

    url = f"/api/v1/school/lessons/{lesson.pk}/progress"
    result: dict[str, Any] = {"sample": sample}
    for mode in ("token", "session"):
        people = learners[:sample]
        clients = []
        for user in people:
            client = Client(enforce_csrf_checks=False)
            headers: dict[str, str] = {}
            if mode == "token":
                _token, secret = token_issue(actor=user, name="bench")
                headers = {"Authorization": f"Bearer {secret}"}
            else:
                client.force_login(user)
            clients.append((client, headers, services.beat_token(user=user, lesson=lesson)))
        clock.advance(60)
        samples: list[float] = []
        queries: list[int] = []
        writes: list[list[str]] = []
        for client, headers, token in clients:
            connection.queries_log.clear()
            with CaptureQueriesContext(connection) as captured:
                start = time.perf_counter()
                response = client.post(
                    url,
                    {"token": token, "seconds": 60},
                    content_type="application/json",
                    headers=headers,
                )
                samples.append(time.perf_counter() - start)
            assert response.status_code == 200, response.content
            queries.append(len(captured))
            writes.append([_statement(q["sql"]) for q in captured if q["sql"].startswith(WRITES)])
        tables = sorted({w for each in writes for w in each})
        result[mode] = {
            "per_request": summarize(samples),
            "queries_max": max(queries),
            "writes_per_request": sorted({len(w) for w in writes}),
            "write_statements": tables,
        }
    return result


def run_backend(args: argparse.Namespace) -> dict[str, Any]:
    backend = open_fresh_database("school", args.database_url)
    from django.conf import settings

    settings.DEBUG = False
    lesson, learners = _setup(args.people)
    clock = Clock()
    result: dict[str, Any] = {"backend": backend, "people": args.people, "rounds": args.rounds}
    result["service"] = _service_rounds(lesson, learners, args.rounds, clock)
    result["http"] = _http(lesson, learners, min(args.http, args.people), clock)
    write_json(RESULTS_DIR / f"school-{backend}.json", result)
    return result


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--backends", default="sqlite,postgres")
    parser.add_argument("--database-url", default="", help="(internal) run one backend")
    parser.add_argument("--postgres-url", default=DEFAULT_PG)
    parser.add_argument("--people", type=int, default=1000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--http", type=int, default=300, help="people reporting over HTTP")
    parser.add_argument("--one", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.one:
        print(json.dumps(run_backend(args), ensure_ascii=False, indent=2))
        return
    common = [
        f"--people={args.people}",
        f"--rounds={args.rounds}",
        f"--http={args.http}",
    ]
    run_each_backend(
        "bench.school", backends=args.backends, postgres_url=args.postgres_url, options=common
    )


if __name__ == "__main__":
    main()
