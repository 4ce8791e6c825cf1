"""Reads of the training app: typing texts and history, plans, obligations and completion.

Who owes a plan (its *audience*), while the plan is in progress:

* every person whose member record (``orgs.Member`` linked to the account, not left or deceased)
  sits in a targeted organization's subtree;
* every person holding a targeted role on an organization in the plan's subtree;
* every named person.

A person has done a course when every lesson of it is completed (school) and an exam when one
attempt passed (exams). Completion is computed in a fixed number of queries whatever the number
of people: the audience in two queries, what they have done in two aggregate queries per kind.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from dangwu import access
from dangwu.accounts.models import RoleAssignment, User
from dangwu.core.errors import NotFound
from dangwu.orgs.enums import MemberStatus
from dangwu.orgs.models import Member, Organization
from dangwu.training import permissions as perms
from dangwu.training.enums import PlanStatus, TargetKind
from dangwu.training.models import PlanItem, PlanTarget, TrainingPlan, TypingSession, TypingText

# Member records that still owe training.
ALIVE = (MemberStatus.ACTIVE, MemberStatus.TRANSFERRING)
# Up to this many people, what they have done is asked of school and exams by their ids
# (courses_completed / exams_passed); beyond it, of every record of the plan's courses and exams
# at once, kept in memory only for the people concerned (no list of 100,000 ids in one query).
BY_IDS_UP_TO = 2000


# ------------------------------------------------------------------------------ typing practice


def typing_texts() -> QuerySet[TypingText]:
    """Return the passages in use, easiest first."""
    return TypingText.objects.filter(active=True).order_by("level", "id")


def typing_text_access(*, pk: int) -> TypingText:
    """Fetch a passage in use, or NotFound."""
    text = typing_texts().filter(pk=pk).first()
    if text is None:
        raise NotFound(_("This text does not exist, or it is no longer used."))
    return text


def typing_history(user: Any) -> QuerySet[TypingSession]:
    """Return the person's own typing results, newest first (the typed text left out)."""
    return (
        TypingSession.objects.filter(user_id=user.pk)
        .select_related("text")
        .defer("typed", "text__body")
        .order_by("-created_at", "-id")
    )


@dataclass(frozen=True)
class TypingSummary:
    count: int
    minutes: int
    best_speed: Any
    last_speed: Any
    last_accuracy: Any


def typing_summary(user: Any) -> TypingSummary:
    """Return how many exercises, the minutes typed, the best and the last results (2 queries)."""
    from django.db.models import Max, Sum

    totals = TypingSession.objects.filter(user_id=user.pk).aggregate(
        n=Count("id"), s=Sum("seconds"), best=Max("chars_per_minute")
    )
    last = (
        TypingSession.objects.filter(user_id=user.pk)
        .order_by("-created_at", "-id")
        .only("chars_per_minute", "accuracy")
        .first()
    )
    return TypingSummary(
        count=totals["n"],
        minutes=(totals["s"] or 0) // 60,
        best_speed=totals["best"],
        last_speed=last.chars_per_minute if last else None,
        last_accuracy=last.accuracy if last else None,
    )


def typing_progress(user: Any, last: int = 30) -> list[TypingSession]:
    """Return the person's last ``last`` results, oldest first (for the progress chart)."""
    rows = list(typing_history(user)[:last])
    rows.reverse()
    return rows


# ------------------------------------------------------------------------------ plans


def plans_visible(user: Any) -> QuerySet[TrainingPlan]:
    """Return the plans the user plans or follows: drafts only for their planners."""
    managed = access.scope_q(user, perms.PLAN_MANAGE, "organization__path")
    followed = access.scope_q(user, perms.PLAN_VIEW, "organization__path") & ~Q(
        status=PlanStatus.DRAFT
    )
    return TrainingPlan.objects.filter(managed | followed).select_related("organization")


def plan_access(*, user: Any, pk: int) -> TrainingPlan:
    """Fetch a plan the user plans or follows, or the same NotFound as a missing one."""
    plan = plans_visible(user).filter(pk=pk).first()
    if plan is None:
        raise NotFound(_("This training plan does not exist, or you may not see it."))
    return plan


def plan_items(plan: TrainingPlan) -> list[PlanItem]:
    """Return the plan's courses and exams in order (one query)."""
    return list(
        plan.items.select_related("course", "exam").only(
            "id", "order", "plan_id", "course__id", "course__title", "exam__id", "exam__title"
        )
    )


def plan_targets(plan: TrainingPlan) -> list[PlanTarget]:
    """Return who the plan targets (one query)."""
    return list(plan.targets.select_related("organization", "user"))


def usernames(targets: Iterable[PlanTarget]) -> list[str]:
    return [t.user.username for t in targets if t.kind == TargetKind.PERSON and t.user]


def users_by_username(names: Iterable[str]) -> tuple[list[User], list[str]]:
    """Return the users named (one query) and the names not found, in the order given."""
    wanted = list(dict.fromkeys(n.strip() for n in names if n.strip()))
    found = {u.username: u for u in User.objects.filter(username__in=wanted)}
    return [found[n] for n in wanted if n in found], [n for n in wanted if n not in found]


# ------------------------------------------------------------------------------ obligations


@dataclass(frozen=True)
class Obligation:
    """One course or exam a person owes under one plan."""

    plan_id: int
    plan_title: str
    due_on: date
    kind: str  # "course" or "exam"
    object_id: int
    title: str
    done: bool
    overdue: bool


def _owed_targets_q(user: Any, member_path: str | None) -> Q:
    q = Q(kind=TargetKind.PERSON, user_id=user.pk)
    if member_path:
        q |= Q(kind=TargetKind.ORGANIZATION, organization__path__in=perms.ancestors(member_path))
    for grant in access.grants_of(user):
        if grant.role in access.SEPARATED_ADMINS:
            continue
        above = perms.ancestors(grant.path)
        q |= Q(kind=TargetKind.ROLE, role=grant.role, organization__path__in=above)
    return q


def obligations_for(user: Any, *, include_done: bool = True) -> list[Obligation]:
    """Return what the person owes under the plans in progress, soonest due first.

    Queries: the member record, the grants (cached per request), the plan items, and what
    school and exams say is done (courses_completed, exams_passed).
    """
    if not getattr(user, "is_authenticated", False) or not user.is_active or not user.pk:
        return []
    member_path = (
        Member.objects.filter(user_id=user.pk, status__in=ALIVE)
        .values_list("organization__path", flat=True)
        .first()
    )
    plan_ids = PlanTarget.objects.filter(
        _owed_targets_q(user, member_path), plan__status=PlanStatus.ACTIVE
    ).values("plan_id")
    items = list(
        PlanItem.objects.filter(plan_id__in=plan_ids)
        .select_related("plan", "course", "exam")
        .only(
            "id",
            "order",
            "plan__id",
            "plan__title",
            "plan__due_on",
            "course__id",
            "course__title",
            "exam__id",
            "exam__title",
        )
        .order_by("plan__due_on", "plan_id", "order", "id")
    )
    if not items:
        return []
    done = _done_by_ids(
        [user.pk],
        [i.course_id for i in items if i.course_id],
        [i.exam_id for i in items if i.exam_id],
    )
    today = timezone.localdate()
    result = []
    for item in items:
        key = ("course", item.course_id) if item.course_id else ("exam", item.exam_id)
        finished = (user.pk, *key) in done
        if finished and not include_done:
            continue
        target = item.course if item.course_id else item.exam
        result.append(
            Obligation(
                plan_id=item.plan.pk,
                plan_title=item.plan.title,
                due_on=item.plan.due_on,
                kind=key[0],
                object_id=int(key[1] or 0),
                title=str(target.title) if target else "",
                done=finished,
                overdue=not finished and item.plan.due_on < today,
            )
        )
    return result


def plans_owed(user: Any) -> list[tuple[TrainingPlan, list[Obligation]]]:
    """Return the plans in progress the person owes, each with its items and whether done."""
    obligations = obligations_for(user)
    plans = {
        p.pk: p
        for p in TrainingPlan.objects.filter(
            pk__in={o.plan_id for o in obligations}
        ).select_related("organization")
    }
    grouped: dict[int, list[Obligation]] = defaultdict(list)
    for obligation in obligations:
        grouped[obligation.plan_id].append(obligation)
    return [(plans[pk], grouped[pk]) for pk in grouped if pk in plans]


# ------------------------------------------------------------------------------ what is done


Done = set[tuple[int, str, int]]  # (user id, "course" | "exam", object id)


def _done_by_ids(user_ids: list[int], course_ids: list[int], exam_ids: list[int]) -> Done:
    """Ask school and exams, through their contract selectors, what these people have done."""
    done: Done = set()
    if course_ids:
        from dangwu.school.selectors import courses_completed

        done |= {
            (u, "course", c) for u, c in courses_completed(user_ids=user_ids, course_ids=course_ids)
        }
    if exam_ids:
        from dangwu.exams.selectors import exams_passed

        done |= {(u, "exam", e) for u, e in exams_passed(user_ids=user_ids, exam_ids=exam_ids)}
    return done


def _done_by_items(people: set[int], course_ids: list[int], exam_ids: list[int]) -> Done:
    """What ``people`` have done, read per course and exam with aggregates (no id list sent)."""
    from dangwu.exams.models import Attempt
    from dangwu.school.models import Lesson, LessonProgress

    done: Done = set()
    if course_ids:
        lessons = dict(
            Lesson.objects.filter(course_id__in=course_ids)
            .values_list("course_id")
            .annotate(n=Count("id"))
            .values_list("course_id", "n")
        )
        rows = (
            LessonProgress.objects.filter(
                lesson__course_id__in=course_ids, completed_at__isnull=False
            )
            .values_list("user_id", "lesson__course_id")
            .annotate(n=Count("lesson_id", distinct=True))
            .values_list("user_id", "lesson__course_id", "n")
        )
        done |= {
            (u, "course", c)
            for u, c, n in rows.iterator(chunk_size=5000)
            if u in people and n >= lessons.get(c, 0) > 0
        }
    if exam_ids:
        passed = (
            Attempt.objects.filter(exam_id__in=exam_ids, passed=True)
            .values_list("user_id", "exam_id")
            .distinct()
        )
        done |= {(u, "exam", e) for u, e in passed.iterator(chunk_size=5000) if u in people}
    return done


def done_for(people: Iterable[int], course_ids: list[int], exam_ids: list[int]) -> Done:
    """Return what ``people`` have done of these courses and exams, in a fixed number of queries."""
    ids = list(dict.fromkeys(people))
    if len(ids) <= BY_IDS_UP_TO:
        return _done_by_ids(ids, course_ids, exam_ids) if ids else set()
    return _done_by_items(set(ids), course_ids, exam_ids)


# ------------------------------------------------------------------------------ completion


@dataclass
class Person:
    user_id: int
    name: str
    organization_id: int | None
    done: int = 0
    complete: bool = False
    organization_name: str = ""
    missing: list[str] = field(default_factory=list)


@dataclass
class OrgRow:
    organization_id: int
    name: str
    path: str
    depth: int
    assigned: int = 0
    completed: int = 0
    # Including every organization under it.
    assigned_all: int = 0
    completed_all: int = 0

    @property
    def percent(self) -> int | None:
        return round(self.completed * 100 / self.assigned) if self.assigned else None

    @property
    def percent_all(self) -> int | None:
        return round(self.completed_all * 100 / self.assigned_all) if self.assigned_all else None


@dataclass
class ItemRow:
    item: PlanItem
    title: str
    kind: str
    done: int = 0

    def percent(self, assigned: int) -> int | None:
        return round(self.done * 100 / assigned) if assigned else None


@dataclass
class Completion:
    plan: TrainingPlan
    assigned: int
    completed: int
    items: list[ItemRow]
    organizations: list[OrgRow]
    people: list[Person]

    @property
    def percent(self) -> int | None:
        return round(self.completed * 100 / self.assigned) if self.assigned else None


def _member_filter(targets: list[PlanTarget]) -> tuple[Q, Any, list[int]]:
    """Return (filter of the member records concerned, role holders subquery, named ids)."""
    org_q = Q(pk__in=[])
    for target in targets:
        if target.kind == TargetKind.ORGANIZATION and target.organization:
            org_q |= Q(organization__path__startswith=target.organization.path)
    role_q = Q(pk__in=[])
    for target in targets:
        if target.kind == TargetKind.ROLE and target.organization:
            role_q |= Q(role=target.role, organization__path__startswith=target.organization.path)
    role_holders = RoleAssignment.objects.filter(role_q).values("user_id")
    named = [t.user_id for t in targets if t.kind == TargetKind.PERSON and t.user_id]
    members = (org_q & Q(status__in=ALIVE)) | Q(user_id__in=role_holders) | Q(user_id__in=named)
    return members, role_holders, named


def plan_audience(
    plan: TrainingPlan, targets: list[PlanTarget], paths: list[str] | None = None
) -> dict[int, Person]:
    """Return who owes ``plan`` (by user id), limited to the subtrees ``paths`` when given.

    A person is counted in the organization of their member record; a targeted person without
    one (e.g. a role holder with no record) in the plan's organization. Two queries.
    """
    members_q, role_holders, named = _member_filter(targets)
    # A viewer whose subtree holds the whole plan sees everyone; others only their subtrees
    # (and not the people without a record, counted in the plan's organization above them).
    whole = paths is None or any(plan.scope_path.startswith(p) for p in paths)
    if not whole:
        scope = Q(pk__in=[])
        for path in paths or []:
            scope |= Q(organization__path__startswith=path)
        members_q &= scope
    people: dict[int, Person] = {}
    rows = (
        Member.objects.filter(members_q, user__isnull=False, user__is_active=True)
        .values_list("user_id", "name", "organization_id")
        .order_by()
    )
    for user_id, name, organization_id in rows.iterator(chunk_size=5000):
        people.setdefault(user_id, Person(user_id, name, organization_id))
    if whole:
        bare = (
            User.objects.filter(Q(pk__in=role_holders) | Q(pk__in=named))
            .filter(is_active=True, member__isnull=True)
            .exclude(role_assignments__role__in=access.SEPARATED_ADMINS)
            .values_list("pk", "display_name", "username")
        )
        for pk, display_name, username in bare:
            people.setdefault(pk, Person(pk, display_name or username, plan.organization_id))
    return people


def _viewer_paths(user: Any, plan: TrainingPlan) -> list[str] | None:
    if user is access.SYSTEM:
        return None
    paths = access.scope_paths(user, perms.PLAN_VIEW) + access.scope_paths(user, perms.PLAN_MANAGE)
    return sorted(set(paths))


def plan_progress(
    plan: TrainingPlan, paths: list[str] | None
) -> tuple[dict[int, Person], list[ItemRow]]:
    """Return who owes the plan (within ``paths``) with what each has done, and per-item counts."""
    items = plan_items(plan)
    targets = plan_targets(plan)
    people = plan_audience(plan, targets, paths)
    course_ids = [i.course_id for i in items if i.course_id]
    exam_ids = [i.exam_id for i in items if i.exam_id]
    done = done_for(people, course_ids, exam_ids)
    item_rows = []
    for item in items:
        target = item.course if item.course_id else item.exam
        item_rows.append(
            ItemRow(
                item=item,
                title=str(target.title) if target else "",
                kind="course" if item.course_id else "exam",
            )
        )
    keys = [(row.kind, row.item.course_id or row.item.exam_id) for row in item_rows]
    total = len(keys)
    for person in people.values():
        for row, (kind, object_id) in zip(item_rows, keys, strict=True):
            if (person.user_id, kind, object_id) in done:
                person.done += 1
                row.done += 1
            else:
                person.missing.append(row.title)
        person.complete = total > 0 and person.done == total
    return people, item_rows


def plan_completion(plan: TrainingPlan, *, user: Any) -> Completion:
    """Return the plan's completion as ``user`` may see it: overall, per item, organization, person.

    Only the people of the user's subtrees are counted. A fixed number of queries: items,
    targets, the audience (2), what they have done (school and exams, 1-2 each), organizations.
    """
    paths = _viewer_paths(user, plan)
    people, item_rows = plan_progress(plan, paths)
    org_rows = _organization_rows(plan, people, paths)
    names = {row.organization_id: row.name for row in org_rows}
    paths_of = {row.organization_id: row.path for row in org_rows}
    for person in people.values():
        person.organization_name = names.get(person.organization_id or 0, "")
    ordered = sorted(
        people.values(),
        key=lambda p: (paths_of.get(p.organization_id or 0, "~"), p.name, p.user_id),
    )
    return Completion(
        plan=plan,
        assigned=len(ordered),
        completed=sum(1 for p in ordered if p.complete),
        items=item_rows,
        organizations=[row for row in org_rows if row.assigned_all],
        people=ordered,
    )


def _organization_rows(
    plan: TrainingPlan, people: dict[int, Person], paths: list[str] | None
) -> list[OrgRow]:
    """Per organization: its own people and, rolled up, those of every organization under it."""
    counts: dict[int, list[int]] = defaultdict(lambda: [0, 0])
    for person in people.values():
        if person.organization_id is not None:
            counts[person.organization_id][0] += 1
            counts[person.organization_id][1] += int(person.complete)
    if not counts:
        return []
    # Every organization the people sit in lies under one of these roots: one query by path
    # prefix instead of a list of (up to thousands of) ids.
    roots_q = Q(pk__in=[])
    for root in ["/"] if paths is None else paths:
        roots_q |= Q(path__startswith=root)
    rows = {
        path: OrgRow(pk, name, path, depth)
        for pk, name, path, depth in Organization.objects.filter(roots_q)
        .values_list("pk", "name", "path", "depth")
        .order_by("path")
    }
    by_id = {row.organization_id: row for row in rows.values()}
    for organization_id, (assigned, completed) in counts.items():
        own = by_id.get(organization_id)
        if own is None:
            continue
        own.assigned, own.completed = assigned, completed
        for ancestor in perms.ancestors(own.path):
            row = rows.get(ancestor)
            if row is not None:
                row.assigned_all += assigned
                row.completed_all += completed
    return list(rows.values())


def my_plan_completion(plan: TrainingPlan, *, user: Any) -> list[Obligation]:
    """Return the person's own items of one plan."""
    return [o for o in obligations_for(user) if o.plan_id == plan.pk]
