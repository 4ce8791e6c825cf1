"""Writes of attempts: start (the paper drawn and kept), save answers, hand in, grade.

An attempt is drawn when it starts (the questions and each question's option order are kept on
it), answers are saved one by one as the person goes, and grading happens once: when the person
submits, when the time runs out (lazily, the next time anything looks at the attempt, and by the
periodic job ``exams.close_expired``), or when the exam is closed. Nothing saved after the
deadline (plus a short grace for the network) is accepted, so nothing is counted that did not
happen in time.
"""

import random
from collections.abc import Mapping
from datetime import datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dangwu import access
from dangwu.audit.services import audit_record
from dangwu.core.errors import DomainError, NotFound
from dangwu.exams import grading
from dangwu.exams import permissions as perms
from dangwu.exams.enums import CHOICE_KINDS, AttemptStatus, ExamStatus, PaperMode
from dangwu.exams.models import Answer, Attempt, Certificate, Exam, Question
from dangwu.exams.services.common import GRACE, exam_owner, problem
from dangwu.exams.services.papers import bank_for, rule_pool
from dangwu.orgs.models import Organization


def in_audience(user: Any, exam: Exam) -> bool:
    """Return True when ``user`` belongs to an organization in the exam's audience subtree."""
    if exam.audience is None:
        return False
    return any(path.startswith(exam.audience.path) for path in access.paths_of(user))


def _person_organization(user: Any) -> Organization | None:
    member = getattr(user, "member", None)
    if member is not None:
        organization: Organization = member.organization
        return organization
    grant = next(iter(access.grants_of(user)), None)
    return Organization.objects.filter(path=grant.path).first() if grant else None


def _draw(exam: Exam, rng: random.Random) -> list[dict[str, Any]]:
    """Return the paper of a new attempt: questions in order, each with its option order."""
    if exam.mode == PaperMode.FIXED:
        items = [
            (eq.question, eq.points)
            for eq in exam.paper.select_related("question").filter(question__active=True)
        ]
    else:
        bank = bank_for(exam_owner(exam))
        items = []
        taken: set[int] = set()
        for rule in exam.rules.all():
            pool = list(rule_pool(bank, rule).exclude(pk__in=taken).only("id", "kind", "options"))
            if len(pool) < rule.count:
                raise DomainError(
                    _(
                        "The question bank no longer has enough questions for this exam. "
                        "Please tell the school administrator."
                    )
                )
            for question in rng.sample(pool, rule.count):
                taken.add(question.pk)
                items.append((question, rule.points))
    if not items:
        raise DomainError(
            _("This exam has no questions left. Please tell the school administrator.")
        )
    paper = []
    for question, item_points in items:
        order = list(range(len(question.options)))
        if exam.shuffle_options and question.kind in CHOICE_KINDS:
            rng.shuffle(order)
        paper.append({"q": question.pk, "points": item_points, "order": order})
    return paper


def attempts_left(exam: Exam, used: int) -> int:
    return max(0, exam.attempts_allowed - used)


def attempt_start(*, actor: Any, exam: Exam, now: datetime | None = None) -> Attempt:
    """Start an attempt, or return the one in progress (the same paper, the answers kept).

    Refused: outside the exam's dates, beyond the attempts allowed, after passing; an exam
    outside the person's audience is answered as missing.
    """
    now = now or timezone.now()
    access.require(actor, perms.EXAM_TAKE)
    if exam.status == ExamStatus.DRAFT or not in_audience(actor, exam):
        raise NotFound(_("This exam does not exist, or it is not open to you."))
    attempts_close_expired(exam=exam, user=actor, now=now)
    with transaction.atomic():
        mine = list(Attempt.objects.filter(exam=exam, user=actor).order_by("number"))
        current = next((a for a in mine if a.status == AttemptStatus.IN_PROGRESS), None)
        if current is not None:
            return current
        if exam.status == ExamStatus.CLOSED:
            raise DomainError(_("This exam is closed."))
        if exam.opens_at and now < exam.opens_at:
            raise DomainError(
                _("This exam opens at %(when)s. Please come back then.")
                % {"when": timezone.localtime(exam.opens_at).strftime("%Y-%m-%d %H:%M")}
            )
        if exam.closes_at and now >= exam.closes_at:
            raise DomainError(_("This exam closed at %(when)s.") % {"when": _local(exam.closes_at)})
        if any(a.passed for a in mine):
            raise DomainError(_("You have passed this exam already."))
        if len(mine) >= exam.attempts_allowed:
            raise DomainError(
                _("You have used all %(n)d attempts allowed for this exam.")
                % {"n": exam.attempts_allowed}
            )
        # A seeded draw is not a secret: it only has to differ between attempts.
        paper = _draw(exam, random.Random())  # noqa: S311
        deadline = now + timedelta(minutes=exam.time_limit_minutes)
        if exam.closes_at:
            deadline = min(deadline, exam.closes_at)
        total = sum(int(item["points"]) for item in paper)
        try:
            with transaction.atomic():
                attempt = Attempt.objects.create(
                    exam=exam,
                    user=actor,
                    organization=_person_organization(actor),
                    number=len(mine) + 1,
                    started_at=now,
                    deadline=deadline,
                    paper=paper,
                    total_points=total,
                )
        except IntegrityError:
            # The same person started twice at the same moment (two tabs): keep the first.
            return Attempt.objects.get(exam=exam, user=actor, number=len(mine) + 1)
        audit_record(
            actor=actor,
            action="exams.attempt_started",
            target=exam,
            details={"attempt": attempt.pk},
        )
    return attempt


def _local(value: datetime) -> str:
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M")


def _own(actor: Any, attempt: Attempt) -> None:
    if getattr(actor, "pk", None) is None or attempt.user_id != actor.pk:
        raise NotFound(_("This exam attempt does not exist, or it is not yours."))


def _too_late(attempt: Attempt) -> DomainError:
    return DomainError(
        _(
            "The time for this exam ran out at %(when)s, so this was not accepted. Your answers "
            "saved before then have been graded."
        )
        % {"when": timezone.localtime(attempt.deadline).strftime("%H:%M:%S")}
    )


def _finished() -> DomainError:
    return DomainError(_("This attempt has been handed in already; answers can no longer change."))


def answer_save(
    *, actor: Any, attempt: Attempt, question_id: int, response: str, now: datetime | None = None
) -> Answer:
    """Save the response to one question of the actor's attempt in progress (replacing any).

    Refused: a question not in the paper, a response no option allows, an attempt handed in,
    and anything after the deadline (plus the grace) — then the attempt is graded as it stood.
    """
    return answers_save(actor=actor, attempt=attempt, responses={question_id: response}, now=now)[0]


def answers_save(
    *,
    actor: Any,
    attempt: Attempt,
    responses: Mapping[int, str],
    now: datetime | None = None,
) -> list[Answer]:
    """Save several responses at once (the page's "save" button); all or none are saved."""
    now = now or timezone.now()
    _own(actor, attempt)
    if attempt.status == AttemptStatus.IN_PROGRESS and now > attempt.deadline + GRACE:
        grade_attempt(attempt, status=AttemptStatus.EXPIRED, at=now)
        raise _too_late(attempt)
    if attempt.status != AttemptStatus.IN_PROGRESS:
        raise _finished()
    paper = set(attempt.question_ids)
    if any(q not in paper for q in responses):
        raise problem("question", _("This question is not part of your exam paper."))
    questions = {
        q.pk: q
        for q in Question.objects.filter(pk__in=list(responses)).only("id", "kind", "options")
    }
    cleaned: dict[int, str] = {}
    for question_id, response in responses.items():
        question = questions[question_id]
        value = grading.normalize_response(question.kind, len(question.options), response)
        if value is None:
            raise problem(
                "response",
                _("This answer does not fit the question; choose among its options."),
            )
        cleaned[question_id] = value
    with transaction.atomic():
        # Re-read under the write lock: a submission or the deadline job may have just graded it.
        locked = Attempt.objects.select_for_update().only("id", "status").get(pk=attempt.pk)
        if locked.status != AttemptStatus.IN_PROGRESS:
            raise _finished()
        existing = {
            a.question_id: a
            for a in Answer.objects.filter(attempt=attempt, question_id__in=list(cleaned))
        }
        saved: list[Answer] = []
        for question_id, value in cleaned.items():
            answer = existing.get(question_id)
            if answer is None:
                answer = Answer(
                    attempt=attempt, question_id=question_id, response=value, saved_at=now
                )
                saved.append(answer)
            else:
                answer.response, answer.saved_at = value, now
        Answer.objects.bulk_create(saved)
        if existing:
            Answer.objects.bulk_update(list(existing.values()), ["response", "saved_at"])
    return [*saved, *existing.values()]


def attempt_submit(*, actor: Any, attempt: Attempt, now: datetime | None = None) -> Attempt:
    """Hand in the actor's attempt and grade it; handing in twice returns the first result.

    After the deadline (plus the grace) the hand-in is refused with the reason, and the attempt
    is graded with the answers saved in time.
    """
    now = now or timezone.now()
    _own(actor, attempt)
    if attempt.status != AttemptStatus.IN_PROGRESS:
        return attempt
    if now > attempt.deadline + GRACE:
        grade_attempt(attempt, status=AttemptStatus.EXPIRED, at=now)
        raise _too_late(attempt)
    return grade_attempt(attempt, status=AttemptStatus.SUBMITTED, at=now, actor=actor)


def attempts_close_expired(
    *, exam: Exam | None = None, user: Any = None, now: datetime | None = None
) -> int:
    """Grade every attempt whose time ran out (plus the grace) with its saved answers."""
    now = now or timezone.now()
    expired = Attempt.objects.filter(
        status=AttemptStatus.IN_PROGRESS, deadline__lt=now - GRACE
    ).select_related("exam")
    if exam is not None:
        expired = expired.filter(exam=exam)
    if user is not None:
        expired = expired.filter(user=user)
    graded = 0
    for attempt in expired[:1000]:
        graded_now = grade_attempt(attempt, status=AttemptStatus.EXPIRED, at=now)
        if graded_now.status == AttemptStatus.EXPIRED:
            graded += 1
    return graded


def close_expired_job() -> None:
    """The periodic job: grade attempts whose time ran out while nobody looked."""
    attempts_close_expired()


def certificate_number(attempt: Attempt, issued_at: datetime) -> str:
    """Return e.g. "DW2026-0003-0000042": the year, the exam and the attempt."""
    return f"DW{timezone.localtime(issued_at).year}-{attempt.exam_id:04d}-{attempt.pk:07d}"


@transaction.atomic
def grade_attempt(attempt: Attempt, *, status: str, at: datetime, actor: Any = None) -> Attempt:
    """Grade ``attempt`` once with the answers it has; a second call returns it unchanged."""
    locked = (
        Attempt.objects.select_for_update().select_related("exam").filter(pk=attempt.pk).first()
    )
    if locked is None or locked.status != AttemptStatus.IN_PROGRESS:
        if locked is not None:
            attempt.refresh_from_db()
        return attempt
    attempt = locked
    ids = attempt.question_ids
    questions = {q.pk: q for q in Question.objects.filter(pk__in=ids).only("id", "kind", "answer")}
    answers = {a.question_id: a for a in Answer.objects.filter(attempt=attempt)}
    score = Decimal(0)
    missing: list[Answer] = []
    for item in attempt.paper:
        question = questions[int(item["q"])]
        answer = answers.get(question.pk)
        if answer is None:
            answer = Answer(attempt=attempt, question=question, response="", saved_at=at)
            missing.append(answer)
        answer.correct = grading.is_correct(question.kind, question.answer, answer.response)
        answer.points = Decimal(int(item["points"])) if answer.correct else Decimal(0)
        score += answer.points
    if answers:
        Answer.objects.bulk_update(list(answers.values()), ["correct", "points"])
    Answer.objects.bulk_create(missing)
    total = attempt.total_points or 1
    percent = int((score * 100 / total).quantize(Decimal(1), rounding=ROUND_HALF_UP))
    attempt.status = status
    attempt.submitted_at = min(at, attempt.deadline + GRACE)
    attempt.score = score
    attempt.percent = percent
    attempt.passed = score * 100 >= attempt.exam.pass_mark * total
    attempt.save(update_fields=["status", "submitted_at", "score", "percent", "passed"])
    if attempt.passed:
        Certificate.objects.create(
            attempt=attempt, number=certificate_number(attempt, at), issued_at=at
        )
    audit_record(
        actor=actor if actor is not None else access.SYSTEM,
        action="exams.attempt_submitted"
        if status == AttemptStatus.SUBMITTED
        else "exams.attempt_expired",
        target=attempt.exam,
        details={"attempt": attempt.pk, "score": str(score), "passed": attempt.passed},
    )
    return attempt
