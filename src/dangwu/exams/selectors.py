"""Reads of the question bank, exams, attempts and statistics, scoped by the access policy."""

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from typing import Any

from django.db.models import Count, Max, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from dangwu import access
from dangwu.core.errors import NotFound
from dangwu.exams import permissions as perms
from dangwu.exams.enums import (
    CHOICE_KINDS,
    OPTION_LETTERS,
    AttemptStatus,
    ExamStatus,
)
from dangwu.exams.models import Answer, Attempt, Exam, Question
from dangwu.exams.services import ancestor_paths
from dangwu.orgs.models import Organization

FINISHED = (AttemptStatus.SUBMITTED, AttemptStatus.EXPIRED)
# Score bands of the distribution: (lowest percent, highest percent) of each.
BANDS = ((0, 59), (60, 69), (70, 79), (80, 89), (90, 100))
MISSED_SHOWN = 10


# ---------------------------------------------------------------------------------- bank


def questions_visible(user: Any) -> QuerySet[Question]:
    """Return the questions of the banks the user keeps."""
    return access.visible(
        user, perms.BANK_MANAGE, Question.objects.all(), "organization__path"
    ).select_related("organization")


def question_list(
    *,
    user: Any,
    kind: str = "",
    tag: str = "",
    difficulty: str = "",
    text: str = "",
    active: bool | None = True,
) -> QuerySet[Question]:
    """Return the user's questions filtered as the bank page asks, newest first."""
    questions = questions_visible(user)
    if kind:
        questions = questions.filter(kind=kind)
    if tag:
        questions = questions.filter(tags__contains=f",{tag.strip()},")
    if difficulty:
        questions = questions.filter(difficulty=difficulty)
    if text:
        questions = questions.filter(stem__icontains=text.strip())
    if active is not None:
        questions = questions.filter(active=active)
    return questions.order_by("-id")


def question_access(*, user: Any, pk: int) -> Question:
    """Fetch a question of a bank the user keeps, or the same NotFound as a missing one."""
    question = questions_visible(user).filter(pk=pk).first()
    if question is None:
        raise NotFound(_("This question does not exist, or you may not see it."))
    return question


def bank_tags(user: Any) -> list[str]:
    """Return the tags used in the user's banks, sorted (for the filter's suggestions)."""
    found: set[str] = set()
    for text in questions_visible(user).values_list("tags", flat=True).distinct()[:2000]:
        found.update(t for t in text.split(",") if t)
    return sorted(found)


# ---------------------------------------------------------------------------------- exams


def exams_managed(user: Any) -> QuerySet[Exam]:
    """Return the exams the user sets (any state), newest first."""
    return (
        access.visible(user, perms.EXAM_MANAGE, Exam.objects.all(), "organization__path")
        .select_related("organization", "audience")
        .order_by("-id")
    )


def exam_manage_access(*, user: Any, pk: int) -> Exam:
    """Fetch an exam the user sets, or the same NotFound as a missing one."""
    exam = exams_managed(user).filter(pk=pk).first()
    if exam is None:
        raise NotFound(_("This exam does not exist, or you may not see it."))
    return exam


def _audience_q(user: Any) -> Q:
    paths = {p for own in access.paths_of(user) for p in ancestor_paths(own)}
    return Q(audience__path__in=sorted(paths))


def exams_open_to(user: Any) -> QuerySet[Exam]:
    """Return the published or closed exams whose audience includes the user."""
    if not access.can(user, perms.EXAM_TAKE):
        return Exam.objects.none()
    return (
        Exam.objects.filter(_audience_q(user), status__in=[ExamStatus.PUBLISHED, ExamStatus.CLOSED])
        .select_related("audience", "organization")
        .order_by("-id")
    )


def exam_for_taking(*, user: Any, pk: int) -> Exam:
    """Fetch an exam open to the user, or the same NotFound as a missing one."""
    exam = exams_open_to(user).filter(pk=pk).first()
    if exam is None:
        raise NotFound(_("This exam does not exist, or it is not open to you."))
    return exam


def attempt_access(*, user: Any, pk: int) -> Attempt:
    """Fetch the user's own attempt, or one of an exam they set; else the same NotFound."""
    attempt = (
        Attempt.objects.select_related("exam__audience", "exam__organization", "user")
        .filter(pk=pk)
        .first()
    )
    if attempt is not None and (
        attempt.user_id == getattr(user, "pk", None)
        or access.can(user, perms.EXAM_MANAGE, attempt.exam)
    ):
        return attempt
    raise NotFound(_("This exam attempt does not exist, or it is not yours."))


def my_attempts(*, user: Any, exam: Exam) -> list[Attempt]:
    return list(
        Attempt.objects.filter(exam=exam, user_id=user.pk)
        .select_related("certificate")
        .order_by("number")
    )


def exam_is_over(exam: Exam, now: datetime | None = None) -> bool:
    """Return True when the exam is closed: answers and explanations may then be shown."""
    now = now or timezone.now()
    return exam.status == ExamStatus.CLOSED or bool(exam.closes_at and exam.closes_at <= now)


def exams_passed(*, user_ids: Iterable[int], exam_ids: Iterable[int]) -> set[tuple[int, int]]:
    """Return the (user id, exam id) pairs with a passed attempt (one query)."""
    rows = (
        Attempt.objects.filter(user_id__in=list(user_ids), exam_id__in=list(exam_ids), passed=True)
        .values_list("user_id", "exam_id")
        .distinct()
    )
    return {(u, e) for u, e in rows}


@dataclass
class Standing:
    """Where a person stands with one exam."""

    exam: Exam
    used: int = 0
    passed: bool = False
    in_progress: int | None = None  # the attempt id

    @property
    def left(self) -> int:
        return max(0, self.exam.attempts_allowed - self.used)


def standings(*, user: Any, exams: list[Exam]) -> list[Standing]:
    """Return the person's standing with each exam (one query for all of them)."""
    rows = (
        Attempt.objects.filter(user_id=user.pk, exam_id__in=[e.pk for e in exams])
        .values("exam_id")
        .annotate(
            used=Count("id"),
            passed=Count("id", filter=Q(passed=True)),
            open_id=Max("id", filter=Q(status=AttemptStatus.IN_PROGRESS)),
        )
    )
    by_exam = {r["exam_id"]: r for r in rows}
    result = []
    for exam in exams:
        row = by_exam.get(exam.pk)
        result.append(
            Standing(
                exam=exam,
                used=row["used"] if row else 0,
                passed=bool(row and row["passed"]),
                in_progress=row["open_id"] if row else None,
            )
        )
    return result


# ---------------------------------------------------------------------------------- paper


@dataclass
class OptionView:
    key: str  # the option's letter in the bank ("C"): what is stored
    letter: str  # the letter shown on this paper ("A")
    text: str


@dataclass
class PaperItem:
    number: int
    question: Question
    points: int
    options: list[OptionView]
    response: str = ""
    correct: bool | None = None
    saved_at: datetime | None = None

    @property
    def chosen(self) -> set[str]:
        return set(self.response)

    @property
    def answer_letters(self) -> str:
        """The correct answer as the letters shown on this paper."""
        shown = {o.key: o.letter for o in self.options}
        return "".join(sorted(shown.get(k, k) for k in self.question.answer))

    @property
    def response_letters(self) -> str:
        shown = {o.key: o.letter for o in self.options}
        return "".join(sorted(shown.get(k, k) for k in self.response))


def attempt_paper(attempt: Attempt) -> list[PaperItem]:
    """Return the attempt's questions in order, with the options as drawn (two queries)."""
    questions = {q.pk: q for q in Question.objects.filter(pk__in=attempt.question_ids)}
    answers = {a.question_id: a for a in Answer.objects.filter(attempt=attempt)}
    items = []
    for number, entry in enumerate(attempt.paper, start=1):
        question = questions[int(entry["q"])]
        options = []
        if question.kind in CHOICE_KINDS:
            for position, index in enumerate(entry.get("order") or range(len(question.options))):
                options.append(
                    OptionView(
                        key=OPTION_LETTERS[index],
                        letter=OPTION_LETTERS[position],
                        text=question.options[index],
                    )
                )
        answer = answers.get(question.pk)
        items.append(
            PaperItem(
                number=number,
                question=question,
                points=int(entry["points"]),
                options=options,
                response=answer.response if answer else "",
                correct=answer.correct if answer else None,
                saved_at=answer.saved_at if answer else None,
            )
        )
    return items


def seconds_left(attempt: Attempt, now: datetime | None = None) -> int:
    """Return the whole seconds until the attempt's deadline (0 when past), by the server."""
    now = now or timezone.now()
    return max(0, int((attempt.deadline - now).total_seconds()))


# ---------------------------------------------------------------------------------- statistics


def stats_exams(user: Any) -> QuerySet[Exam]:
    """Return the exams whose statistics the user may see: any that reaches their subtree."""
    paths = access.scope_paths(user, perms.STATS_VIEW)
    if user is not access.SYSTEM and not paths:
        return Exam.objects.none()
    q = Q() if user is access.SYSTEM else Q(pk__in=[])
    for path in paths:
        q |= Q(audience__path__startswith=path) | Q(audience__path__in=ancestor_paths(path))
    return (
        Exam.objects.filter(q)
        .exclude(status=ExamStatus.DRAFT)
        .select_related("audience")
        .order_by("-id")
    )


def stats_exam_access(*, user: Any, pk: int) -> Exam:
    exam = stats_exams(user).filter(pk=pk).first()
    if exam is None:
        raise NotFound(_("This exam does not exist, or you may not see it."))
    return exam


@dataclass
class OrgRow:
    organization: Organization
    takers: int = 0
    passed: int = 0
    score_sum: int = 0

    @property
    def pass_rate(self) -> int | None:
        return round(self.passed * 100 / self.takers) if self.takers else None

    @property
    def average(self) -> int | None:
        return round(self.score_sum / self.takers) if self.takers else None


@dataclass
class MissedRow:
    question_id: int
    stem: str
    kind: str
    answered: int
    wrong: int

    @property
    def wrong_rate(self) -> int:
        return round(self.wrong * 100 / self.answered) if self.answered else 0


@dataclass
class ExamStatistics:
    exam: Exam
    takers: int = 0
    passed: int = 0
    attempts: int = 0
    waiting: int = 0  # attempts in progress
    average: int | None = None
    bands: list[tuple[str, int]] = field(default_factory=list)
    organizations: list[OrgRow] = field(default_factory=list)
    missed: list[MissedRow] = field(default_factory=list)

    @property
    def pass_rate(self) -> int | None:
        return round(self.passed * 100 / self.takers) if self.takers else None


def _scope_q(user: Any) -> Q:
    return access.scope_q(user, perms.STATS_VIEW, "organization__path")


def exam_statistics(*, user: Any, exam: Exam) -> ExamStatistics:
    """Return the figures of ``exam`` over the attempts of the user's subtree (four queries).

    A person counts once: by their best finished attempt (passed if any attempt passed).
    Organizations are the ones just below the user's subtree root (or the root's children).
    """
    attempts = Attempt.objects.filter(_scope_q(user), exam=exam)
    stats = ExamStatistics(exam=exam)
    per_person = list(
        attempts.filter(status__in=FINISHED)
        .values("user_id")
        .annotate(
            best=Max("percent"),
            ok=Count("id", filter=Q(passed=True)),
            path=Max("organization__path"),
            n=Count("id"),
        )
    )
    stats.waiting = attempts.filter(status=AttemptStatus.IN_PROGRESS).count()
    stats.takers = len(per_person)
    stats.passed = sum(1 for p in per_person if p["ok"])
    stats.attempts = sum(p["n"] for p in per_person)
    if per_person:
        stats.average = round(sum(p["best"] or 0 for p in per_person) / len(per_person))
    stats.bands = [
        (f"{low}–{high}", sum(1 for p in per_person if low <= (p["best"] or 0) <= high))
        for low, high in BANDS
    ]
    stats.organizations = _by_organization(user, exam, per_person)
    missed = (
        Answer.objects.filter(attempt__in=attempts.filter(status__in=FINISHED).values("pk"))
        .values("question_id", "question__stem", "question__kind")
        .annotate(answered=Count("id"), wrong=Count("id", filter=Q(correct=False)))
        .filter(wrong__gt=0)
        .order_by("-wrong", "question_id")[:MISSED_SHOWN]
    )
    stats.missed = [
        MissedRow(
            question_id=m["question_id"],
            stem=m["question__stem"],
            kind=m["question__kind"],
            answered=m["answered"],
            wrong=m["wrong"],
        )
        for m in missed
    ]
    return stats


def _by_organization(user: Any, exam: Exam, per_person: list[dict[str, Any]]) -> list[OrgRow]:
    paths = access.scope_paths(user, perms.STATS_VIEW)
    if user is access.SYSTEM or not paths:
        roots = list(Organization.objects.filter(parent=None).only("path", "depth"))
        paths = [o.path for o in roots]
    q = Q(pk__in=[])
    for path in paths:
        depth = path.count("/") - 2  # "/GW/" is depth 0
        # The organizations just below, and the root itself for people placed directly in it.
        q |= Q(path__startswith=path, depth=depth + 1) | Q(path=path)
    groups = list(
        Organization.objects.filter(q)
        .only("id", "code", "name", "short_name", "path", "depth")
        .order_by("path")
    )
    rows = {o.path: OrgRow(organization=o) for o in groups}
    # Deepest first, so that a person counts for the organization below the root.
    matching = sorted(rows.items(), key=lambda item: -item[1].organization.depth)
    for person in per_person:
        path = person["path"] or ""
        for group_path, row in matching:
            if path.startswith(group_path):
                row.takers += 1
                row.passed += 1 if person["ok"] else 0
                row.score_sum += person["best"] or 0
                break
    return [row for row in rows.values() if row.takers] + [
        row for row in rows.values() if not row.takers
    ]


def score_as_text(value: Decimal | None) -> str:
    """Return a score without a trailing ".0" (92, 92.5)."""
    if value is None:
        return "—"
    return f"{value.normalize():f}"
