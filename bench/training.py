"""Training plans at city scale: completion over 5,000 organizations and 100,000 members, the
我的待办 provider per person, and the overdue reminders.

    python -m bench.training                          # SQLite (a file database)
    python -m bench.training --backends sqlite,postgres
    python -m bench.training --organizations 5000 --members 100000 --runs 5

Each backend runs in a fresh database: SQLite in ``bench/results/data-training-sqlite/``,
PostgreSQL in ``dangwu_bench_training`` at 127.0.0.1:5432 (created by the run, dropped after).
The tree (the committee, 50 organ Party committees, their branches), the members with accounts,
one SECRETARY grant per organization and the completion records (half the people finished the
course's 3 lessons, 40% passed the exam) are inserted in bulk: building them is not measured.
The course, the exam and the plan (every organization under the committee, plus every
secretary) go through the real services. Then:

1. **completion**: ``selectors.plan_completion`` as the school administrator of the committee
   (all 100,000 people) and as the secretary of one organ Party committee (its subtree),
   ``--runs`` times each, with the queries counted; the plan page through the test client and
   its Excel export once;
2. **我的待办**: ``training.hooks.todos(user)`` for ``--people`` people picked at random, time and
   queries per person;
3. **reminders**: the plan made overdue, ``reminders_send`` once (one notification per person
   owing something, one insert), then again (nothing: the interval has not passed).

Results go to ``bench/results/training-<backend>.json``.
"""

from __future__ import annotations

import argparse
import json
import random
import time
from datetime import date, timedelta
from typing import Any

from bench.common import (
    RESULTS_DIR,
    open_fresh_database,
    org_tree,
    run_each_backend,
    summarize,
    write_json,
)

DEFAULT_PG = "postgres://postgres@127.0.0.1:5432/dangwu_bench_training"
COMMITTEES = 50


def _members(members: int, rng: random.Random) -> list[int]:
    """Insert ``members`` people with accounts, spread over the organizations; return user ids."""
    from django.contrib.auth.hashers import make_password

    from dangwu.access import Role
    from dangwu.accounts.models import RoleAssignment, User
    from dangwu.orgs.models import Member, Organization

    organizations = list(Organization.objects.values_list("pk", flat=True).order_by("path"))
    password = make_password(None)
    User.objects.bulk_create(
        (User(username=f"p{n:06d}", password=password) for n in range(members)),
        batch_size=5000,
    )
    users = list(User.objects.filter(username__startswith="p").values_list("pk", flat=True))
    Member.objects.bulk_create(
        (
            Member(
                organization_id=organizations[n % len(organizations)],
                user_id=user_id,
                name=f"党员{n:06d}",
                gender="1",
                birth_date=date(1970, 1 + n % 12, 1 + n % 28),
                id_number="",
                id_number_index=f"bench{n:08d}",
                id_number_masked="",
                joined_on=date(2000, 7, 1),
            )
            for n, user_id in enumerate(users)
        ),
        batch_size=5000,
    )
    # Everyone is a member of their organization; one secretary per organization (its first).
    rows = list(Member.objects.order_by("-id").values_list("organization_id", "user_id"))
    firsts = dict(rows)
    RoleAssignment.objects.bulk_create(
        (
            RoleAssignment(user_id=user_id, role=Role.MEMBER, organization_id=org_id)
            for org_id, user_id in rows
        ),
        batch_size=5000,
    )
    RoleAssignment.objects.bulk_create(
        (
            RoleAssignment(user_id=user_id, role=Role.SECRETARY, organization_id=org_id)
            for org_id, user_id in firsts.items()
        ),
        batch_size=5000,
    )
    rng.shuffle(users)
    return users


def _course_and_exam(root: Any, admin: Any) -> tuple[Any, Any]:
    from decimal import Decimal

    from dangwu.exams.models import Exam
    from dangwu.school import services as school

    course = school.course_create(
        actor=admin, title="计算机基础：党务工作者入门", category="computer", organization=root
    )
    for n in range(3):
        school.lesson_create(
            actor=admin,
            course=course,
            title=f"第{n + 1}课",
            kind="text",
            hours=Decimal("1.0"),
            required_minutes=10,
            body="<p>正文</p>",
        )
    school.course_publish(actor=admin, course=course)
    # The exam's paper is not what is measured: the row as the exams app would leave it.
    exam = Exam.objects.create(
        title="计算机基础测验", organization=root, audience=root, status="published"
    )
    return course, exam


def _completion_records(users: list[int], course: Any, exam: Any) -> dict[str, int]:
    from django.utils import timezone

    from dangwu.exams.models import Attempt
    from dangwu.school.models import LessonProgress

    now = timezone.now()
    lessons = list(course.lessons.all())
    finished = users[: len(users) // 2]
    LessonProgress.objects.bulk_create(
        (
            LessonProgress(user_id=u, lesson=lesson, seconds=600, completed_at=now, hours=1)
            for u in finished
            for lesson in lessons
        ),
        batch_size=5000,
    )
    passed = users[len(users) // 10 : len(users) // 10 + len(users) * 4 // 10]
    Attempt.objects.bulk_create(
        (
            Attempt(
                exam=exam,
                user_id=u,
                status="submitted",
                started_at=now,
                deadline=now,
                submitted_at=now,
                total_points=5,
                score=5,
                percent=100,
                passed=True,
            )
            for u in passed
        ),
        batch_size=5000,
    )
    return {"finished_course": len(finished), "passed_exam": len(passed)}


def _measure(fn: Any, runs: int) -> dict[str, Any]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    samples, queries = [], set()
    result = None
    for _ in range(runs):
        with CaptureQueriesContext(connection) as captured:
            start = time.perf_counter()
            result = fn()
            samples.append(time.perf_counter() - start)
        queries.add(len(captured))
    return {"queries": sorted(queries), **summarize(samples), "result": result}


def run_backend(args: argparse.Namespace) -> dict[str, Any]:
    backend = open_fresh_database("training", args.database_url)
    from django.conf import settings

    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}

    from django.test import Client
    from django.utils import timezone

    from bench.common import PASSWORD
    from dangwu.access import SYSTEM, Role
    from dangwu.accounts.models import User
    from dangwu.accounts.services import role_grant, user_create
    from dangwu.orgs.models import Organization
    from dangwu.training import hooks, reminders, selectors, services
    from dangwu.training.models import TrainingPlan

    rng = random.Random(2026)
    result: dict[str, Any] = {"backend": backend}
    start = time.perf_counter()
    root = org_tree(args.organizations, branches=args.organizations - 1 - COMMITTEES)
    users = _members(args.members, rng)
    admin = user_create(actor=SYSTEM, username="bench-school", password=PASSWORD)
    role_grant(actor=SYSTEM, user=admin, role=Role.SCHOOL_ADMIN, organization=root)
    course, exam = _course_and_exam(root, admin)
    result["records"] = _completion_records(users, course, exam)
    today = timezone.localdate()
    plan = services.plan_create(
        actor=admin,
        title="2026年党务干部计算机技能培训",
        organization=root,
        starts_on=today,
        due_on=today + timedelta(days=30),
        courses=[course],
        exams=[exam],
        target_organizations=[root],
        target_roles=[Role.SECRETARY],
    )
    plan = services.plan_publish(actor=admin, plan=plan)
    result["setup_s"] = round(time.perf_counter() - start, 1)
    result["organizations"] = Organization.objects.count()
    result["members"] = len(users)

    admin = User.objects.get(pk=admin.pk)
    selectors.plan_completion(plan, user=admin)  # warm-up, grants cached
    whole = _measure(lambda: selectors.plan_completion(plan, user=admin), args.runs)
    completion = whole.pop("result")
    whole.update(assigned=completion.assigned, completed=completion.completed)
    result["completion_whole"] = whole

    committee = Organization.objects.get(code="C07")
    secretary = User.objects.get(
        role_assignments__role=Role.SECRETARY, role_assignments__organization=committee
    )
    selectors.plan_completion(plan, user=secretary)
    scoped = _measure(lambda: selectors.plan_completion(plan, user=secretary), args.runs)
    completion = scoped.pop("result")
    scoped.update(assigned=completion.assigned, completed=completion.completed)
    result["completion_one_committee"] = scoped

    client = Client()
    client.force_login(admin)
    url = f"/training/plans/{plan.pk}/"
    assert client.get(url).status_code == 200
    page = _measure(lambda: client.get(url).status_code, args.runs)
    page.pop("result")
    result["plan_page"] = page
    start = time.perf_counter()
    export = client.get(f"{url}completion.xlsx")
    result["export"] = {
        "seconds": round(time.perf_counter() - start, 2),
        "bytes": len(export.content),
    }

    sample = [User.objects.get(pk=pk) for pk in rng.sample(users, args.people)]
    todo_samples, todo_queries = [], set()
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for user in sample:
        with CaptureQueriesContext(connection) as captured:
            start = time.perf_counter()
            hooks.todos(user)
            todo_samples.append(time.perf_counter() - start)
        todo_queries.add(len(captured))
    result["todos_per_person"] = {"queries": sorted(todo_queries), **summarize(todo_samples)}

    TrainingPlan.objects.filter(pk=plan.pk).update(
        starts_on=today - timedelta(days=40), due_on=today - timedelta(days=1)
    )
    first = _measure(lambda: reminders.reminders_send(), 1)
    second = _measure(lambda: reminders.reminders_send(), 1)
    result["reminders_first"] = first
    result["reminders_again"] = second
    write_json(RESULTS_DIR / f"training-{backend}.json", result)
    return result


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--backends", default="sqlite")
    parser.add_argument("--database-url", default="", help="(internal) run one backend")
    parser.add_argument("--postgres-url", default=DEFAULT_PG)
    parser.add_argument("--organizations", type=int, default=5000)
    parser.add_argument("--members", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--people", type=int, default=200, help="我的待办 sample")
    parser.add_argument("--one", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.one:
        print(json.dumps(run_backend(args), ensure_ascii=False, indent=2, default=str))
        return
    common = [
        f"--organizations={args.organizations}",
        f"--members={args.members}",
        f"--runs={args.runs}",
        f"--people={args.people}",
    ]
    run_each_backend(
        "bench.training", backends=args.backends, postgres_url=args.postgres_url, options=common
    )


if __name__ == "__main__":
    main()
