"""Writes of exams: set (a draft), change, publish and close.

A draft can change in everything. Once published, people may have started it: only what cannot
hurt them may change (the title, the description, a later closing time). A closed exam's results
stand, so it does not change at all.
"""

from collections.abc import Mapping, Sequence
from datetime import datetime, timedelta
from enum import Enum
from typing import Any, Final

from django.db import transaction
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from dangwu import access
from dangwu.audit.services import audit_record
from dangwu.core.errors import DomainError
from dangwu.exams import permissions as perms
from dangwu.exams.enums import AttemptStatus, ExamStatus, PaperMode
from dangwu.exams.models import Attempt, Exam, ExamQuestion, ExamRule, Question
from dangwu.exams.services.attempts import grade_attempt
from dangwu.exams.services.common import (
    ATTEMPTS_MAX,
    RULES_MAX,
    TIME_LIMIT_MAX,
    exam_owner,
    refuse,
    user_or_none,
)
from dangwu.exams.services.papers import RuleSpec, paper_problems, rule_specs, rules_problems
from dangwu.orgs.models import Organization
from dangwu.school import permissions as school_perms

Paper = list[tuple[Question, int]]
PaperInput = Sequence[Question | tuple[Question, int]]
RulesInput = Sequence[RuleSpec | Mapping[str, Any]]


class Keep(Enum):
    """The value of an ``exam_update`` argument that is not given: the field stays as it is."""

    KEEP = "keep"


KEEP: Final = Keep.KEEP

# What may change once an exam is published: nothing that changes the paper, the time or the
# grading of people who have started it.
_CHECKED = ("title", "time_limit_minutes", "attempts_allowed", "pass_mark", "opens_at", "closes_at")
OPEN_FIELDS = frozenset({"title", "description", "closes_at"})
LOCKED_LABELS: dict[str, Promise] = {
    "organization": gettext_lazy("the organization that sets it"),
    "audience": gettext_lazy("who takes it"),
    "course": gettext_lazy("its course"),
    "time_limit_minutes": gettext_lazy("the time limit"),
    "attempts_allowed": gettext_lazy("the attempts allowed"),
    "pass_mark": gettext_lazy("the pass mark"),
    "shuffle_options": gettext_lazy("the order of the options"),
    "opens_at": gettext_lazy("the opening time"),
    "questions": gettext_lazy("the questions of the paper"),
}


def _exam_problems(
    *,
    title: str,
    time_limit_minutes: int,
    attempts_allowed: int,
    pass_mark: int,
    opens_at: datetime | None,
    closes_at: datetime | None,
) -> list[tuple[str, str]]:
    problems: list[tuple[str, str]] = []
    if not title:
        problems.append(("title", _("Give the exam a title.")))
    elif len(title) > 200:
        problems.append(("title", _("The title is longer than 200 characters.")))
    if not 1 <= time_limit_minutes <= TIME_LIMIT_MAX:
        problems.append(
            (
                "time_limit_minutes",
                _("The time limit is 1 to %(n)d minutes.") % {"n": TIME_LIMIT_MAX},
            )
        )
    if not 1 <= attempts_allowed <= ATTEMPTS_MAX:
        problems.append(("attempts_allowed", _("Allow 1 to %(n)d attempts.") % {"n": ATTEMPTS_MAX}))
    if not 0 <= pass_mark <= 100:
        problems.append(("pass_mark", _("The pass mark is a percentage from 0 to 100.")))
    if opens_at and closes_at and closes_at <= opens_at:
        problems.append(("closes_at", _("The exam must close after it opens.")))
    return problems


def closed_exam_message() -> str:
    return _("This exam is closed, so it can no longer change: its results stand as given.")


def _paper_of(questions: PaperInput | None, points: int) -> Paper:
    return [item if isinstance(item, tuple) else (item, points) for item in (questions or [])]


def _composition_problems(
    organization: Organization, paper: Paper, specs: list[RuleSpec]
) -> list[tuple[str, str]]:
    """Return why ``paper`` or ``specs`` (exactly one of them) cannot make the exam's paper."""
    if bool(specs) == bool(paper):
        return [("questions", _("Choose the questions of the paper, or give rules to draw them."))]
    if paper:
        return paper_problems(organization, paper)
    if len(specs) > RULES_MAX:
        return [("rules", _("At most %(n)d rules.") % {"n": RULES_MAX})]
    return rules_problems(organization, specs)


def _write_composition(exam: Exam, paper: Paper, specs: list[RuleSpec]) -> None:
    ExamQuestion.objects.bulk_create(
        ExamQuestion(exam=exam, question=q, order=i, points=p) for i, (q, p) in enumerate(paper)
    )
    ExamRule.objects.bulk_create(
        ExamRule(
            exam=exam,
            order=i,
            kind=r.kind,
            tag=r.tag,
            difficulty=r.difficulty,
            count=r.count,
            points=r.points,
        )
        for i, r in enumerate(specs)
    )


def _require_course(actor: Any, course: Any) -> None:
    """An exam may belong only to a course the actor runs (or to none)."""
    if course is not None:
        access.require(actor, school_perms.MANAGE, course)


@transaction.atomic
def exam_create(
    *,
    actor: Any,
    title: str,
    organization: Organization,
    course: Any = None,
    time_limit_minutes: int,
    attempts_allowed: int,
    pass_mark: int,
    questions: PaperInput | None = None,
    rules: RulesInput | None = None,
    opens_at: datetime | None = None,
    closes_at: datetime | None = None,
    description: str = "",
    audience: Organization | None = None,
    shuffle_options: bool = False,
    points: int = 1,
) -> Exam:
    """Set an exam (a draft): a fixed paper of ``questions`` (``points`` each unless a
    ``(question, points)`` pair says otherwise) or ``rules`` drawing from the bank per attempt.

    ``pass_mark`` is a percentage of the full marks. ``audience`` (default ``organization``) is
    the subtree whose people may take it. Refused, nothing saved, when the bank cannot satisfy
    the rules.
    """
    access.require(actor, perms.EXAM_MANAGE, organization)
    audience = audience or organization
    access.require(actor, perms.EXAM_MANAGE, audience)
    _require_course(actor, course)
    title = (title or "").strip()
    problems = _exam_problems(
        title=title,
        time_limit_minutes=time_limit_minutes,
        attempts_allowed=attempts_allowed,
        pass_mark=pass_mark,
        opens_at=opens_at,
        closes_at=closes_at,
    )
    specs = rule_specs(rules or [])
    paper = _paper_of(questions, points)
    problems += _composition_problems(organization, paper, specs)
    if problems:
        raise refuse(problems)
    exam = Exam.objects.create(
        title=title,
        description=(description or "").strip(),
        organization=organization,
        audience=audience,
        course=course,
        mode=PaperMode.FIXED if paper else PaperMode.RULES,
        time_limit_minutes=time_limit_minutes,
        attempts_allowed=attempts_allowed,
        pass_mark=pass_mark,
        shuffle_options=shuffle_options,
        opens_at=opens_at,
        closes_at=closes_at,
        created_by=user_or_none(actor),
    )
    _write_composition(exam, paper, specs)
    audit_record(actor=actor, action="exams.exam_created", target=exam)
    return exam


def _composition_of(exam: Exam) -> tuple[list[tuple[int, int]], list[tuple[Any, ...]]]:
    """Return what an exam's paper is made of, to compare with a new one."""
    paper = [(eq.question_id, eq.points) for eq in exam.paper.all()]
    rules = [(r.kind, r.count, r.points, r.tag, r.difficulty) for r in exam.rules.all()]
    return paper, rules


def _signature(paper: Paper, specs: list[RuleSpec]) -> tuple[list[tuple[int, int]], list[Any]]:
    return (
        [(q.pk, p) for q, p in paper],
        [(r.kind, r.count, r.points, r.tag, r.difficulty) for r in specs],
    )


def _closing_problems(
    old: datetime | None, new: datetime | None, *, now: datetime
) -> list[tuple[str, str]]:
    """A published exam may close later (or never), not earlier: people plan by its date."""
    if new is None:
        return []
    if old is None:
        return [
            (
                "closes_at",
                _(
                    "This exam is already open to its people with no closing time; a closing "
                    "time would shorten it. When it should end, close it by hand."
                ),
            )
        ]
    if new < old:
        return [
            (
                "closes_at",
                _(
                    "This exam is already open to its people, so it can only close later, not "
                    "before %(when)s."
                )
                % {"when": timezone.localtime(old).strftime("%Y-%m-%d %H:%M")},
            )
        ]
    if new <= now:
        return [("closes_at", _("The new closing time has already passed."))]
    return []


def _extend_deadlines(exam: Exam, old: datetime | None, new: datetime | None) -> None:
    """Give attempts in progress that were cut short by the old closing time the time now due."""
    if old is None:
        return
    changed = []
    limit = timedelta(minutes=exam.time_limit_minutes)
    for attempt in Attempt.objects.filter(
        exam=exam, status=AttemptStatus.IN_PROGRESS, deadline__gte=old
    ).only("id", "started_at", "deadline"):
        due = attempt.started_at + limit
        deadline = min(due, new) if new is not None else due
        if deadline > attempt.deadline:
            attempt.deadline = deadline
            changed.append(attempt)
    Attempt.objects.bulk_update(changed, ["deadline"])


@transaction.atomic
def exam_update(
    *,
    actor: Any,
    exam: Exam,
    title: str | Keep = KEEP,
    description: str | Keep = KEEP,
    organization: Organization | Keep = KEEP,
    audience: Organization | Keep = KEEP,
    course: Any = KEEP,
    time_limit_minutes: int | Keep = KEEP,
    attempts_allowed: int | Keep = KEEP,
    pass_mark: int | Keep = KEEP,
    shuffle_options: bool | Keep = KEEP,
    opens_at: datetime | Keep | None = KEEP,
    closes_at: datetime | Keep | None = KEEP,
    questions: PaperInput | Keep | None = KEEP,
    rules: RulesInput | Keep | None = KEEP,
    points: int = 1,
    now: datetime | None = None,
) -> Exam:
    """Change an exam; arguments not given (``KEEP``) stay as they are.

    A draft changes in everything, checked as when it was set: giving ``questions`` or
    ``rules`` replaces the paper (exactly one of them, as in ``exam_create``). A published
    exam changes only its title, its description and a later closing time (attempts in progress
    that the old closing time cut short get the time now due); anything else is refused, with
    the reason, and nothing is saved. A closed exam does not change.
    """
    access.require(actor, perms.EXAM_MANAGE, exam)
    now = now or timezone.now()
    exam = Exam.objects.select_for_update().get(pk=exam.pk)
    if exam.status == ExamStatus.CLOSED:
        raise DomainError(closed_exam_message())
    given: dict[str, Any] = {
        name: value
        for name, value in (
            ("title", title),
            ("description", description),
            ("organization", organization),
            ("audience", audience),
            ("course", course),
            ("time_limit_minutes", time_limit_minutes),
            ("attempts_allowed", attempts_allowed),
            ("pass_mark", pass_mark),
            ("shuffle_options", shuffle_options),
            ("opens_at", opens_at),
            ("closes_at", closes_at),
        )
        if not isinstance(value, Keep)
    }
    for name in ("title", "description"):
        if name in given:
            given[name] = (given[name] or "").strip()
    for name in ("organization", "audience", "course"):
        if name in given:
            given[f"{name}_id"] = given.pop(name).pk if given[name] is not None else None
    changed = [name for name, value in given.items() if getattr(exam, name) != value]
    paper_given = not isinstance(questions, Keep) or not isinstance(rules, Keep)
    paper = _paper_of(None if isinstance(questions, Keep) else questions, points)
    specs = rule_specs([] if isinstance(rules, Keep) else rules or [])
    paper_changed = paper_given and _signature(paper, specs) != _composition_of(exam)

    if exam.status == ExamStatus.PUBLISHED:
        names = [n.removesuffix("_id") for n in changed]
        locked = [n for n in names if n not in OPEN_FIELDS]
        if paper_changed:
            locked.append("questions")
        problems = [
            (
                name,
                _(
                    "This exam is already published and people may have started it, so "
                    "%(what)s can no longer change. Only the title, the description and a later "
                    "closing time can; for anything else, close this exam and set a new one."
                )
                % {"what": LOCKED_LABELS[name]},
            )
            for name in locked
        ]
        if "closes_at" in changed:
            problems += _closing_problems(exam.closes_at, given["closes_at"], now=now)
        if problems:
            raise refuse(problems)

    final = {name: given.get(name, getattr(exam, name)) for name in _CHECKED}
    for new in (organization, audience):
        if isinstance(new, Organization):
            access.require(actor, perms.EXAM_MANAGE, new)
    if "course_id" in changed:
        _require_course(actor, course)
    problems = _exam_problems(
        title=final["title"],
        time_limit_minutes=final["time_limit_minutes"],
        attempts_allowed=final["attempts_allowed"],
        pass_mark=final["pass_mark"],
        opens_at=final["opens_at"],
        closes_at=final["closes_at"],
    )
    owner = organization if isinstance(organization, Organization) else exam_owner(exam)
    if paper_changed:
        problems += _composition_problems(owner, paper, specs)
    elif "organization_id" in changed:
        # The paper stays, but it must come from the new organization's bank.
        kept = [(eq.question, eq.points) for eq in exam.paper.select_related("question")]
        kept_rules = [
            RuleSpec(r.kind, r.count, r.points, r.tag, r.difficulty) for r in exam.rules.all()
        ]
        problems += _composition_problems(owner, kept, kept_rules)
    if problems:
        raise refuse(problems)

    old_closes_at = exam.closes_at
    for name in changed:
        setattr(exam, name, given[name])
    fields = list(changed)
    if paper_changed:
        exam.paper.all().delete()
        exam.rules.all().delete()
        _write_composition(exam, paper, specs)
        exam.mode = PaperMode.FIXED if paper else PaperMode.RULES
        fields.append("mode")
    if fields:
        exam.save(update_fields=fields)
    if exam.status == ExamStatus.PUBLISHED and "closes_at" in changed:
        _extend_deadlines(exam, old_closes_at, exam.closes_at)
    audit_record(
        actor=actor,
        action="exams.exam_changed",
        target=exam,
        details={"fields": [n.removesuffix("_id") for n in changed] + ["paper"] * paper_changed},
    )
    return exam


@transaction.atomic
def exam_publish(*, actor: Any, exam: Exam) -> Exam:
    """Open a draft exam to its audience (checked again against today's bank)."""
    access.require(actor, perms.EXAM_MANAGE, exam)
    if exam.status != ExamStatus.DRAFT:
        raise DomainError(_("Only a draft exam can be published."))
    owner = exam_owner(exam)
    if exam.mode == PaperMode.RULES:
        problems = rules_problems(owner, list(exam.rules.all()))
    else:
        items = [(eq.question, eq.points) for eq in exam.paper.select_related("question")]
        problems = paper_problems(owner, items) if items else []
        if not items:
            problems = [("questions", _("The paper has no questions."))]
    if problems:
        raise refuse(problems)
    exam.status = ExamStatus.PUBLISHED
    exam.published_at = timezone.now()
    exam.save(update_fields=["status", "published_at"])
    audit_record(actor=actor, action="exams.exam_published", target=exam)
    return exam


def exam_close(*, actor: Any, exam: Exam) -> Exam:
    """Close a published exam: no new attempts; those in progress are graded as they stand."""
    with transaction.atomic():
        access.require(actor, perms.EXAM_MANAGE, exam)
        if exam.status != ExamStatus.PUBLISHED:
            raise DomainError(_("Only a published exam can be closed."))
        exam.status = ExamStatus.CLOSED
        exam.save(update_fields=["status"])
        audit_record(actor=actor, action="exams.exam_closed", target=exam)
    now = timezone.now()
    for attempt in Attempt.objects.filter(exam=exam, status=AttemptStatus.IN_PROGRESS):
        grade_attempt(attempt, status=AttemptStatus.EXPIRED, at=now)
    return exam
