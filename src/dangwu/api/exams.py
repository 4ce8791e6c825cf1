"""API of exams and the question bank: the same services, policy and refusals as the pages.

A member lists the exams open to them, starts (or resumes) an attempt, saves each answer as they
go, hands in and reads the result; the correct answers come with the result only after the exam
closes. The school administrator exports and imports the question bank as .xlsx bodies; the
statistics follow the caller's subtree. An exam outside the caller's audience, or someone
else's attempt, is answered as missing (404).
"""

from datetime import datetime
from typing import Any

from django.core.exceptions import RequestDataTooBig
from django.http import HttpResponse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status

from dangwu import access
from dangwu.api.schemas import MAX_ID, NO_NUL, ErrorOut, ObjectId, ValidationErrorOut
from dangwu.api.security import ApiRequest
from dangwu.core.errors import NotFound, ValidationFailed
from dangwu.exams import permissions as perms
from dangwu.exams import selectors, services, workbooks
from dangwu.exams.enums import AttemptStatus, Difficulty, ExamStatus, PaperMode, QuestionKind
from dangwu.exams.models import Attempt, Exam
from dangwu.orgs.imports.tables import ImportRejected, size_problem
from dangwu.orgs.models import Organization
from dangwu.school.models import Course

router = Router(tags=["exams"])

_ERRORS: dict[int, Any] = {
    400: ErrorOut,
    401: ErrorOut,
    403: ErrorOut,
    404: ErrorOut,
    422: ValidationErrorOut,
}
XLSX_BODY = {
    "requestBody": {
        "required": True,
        "content": {workbooks.XLSX: {"schema": {"type": "string", "format": "binary"}}},
        "description": "The workbook itself (the columns of the template), not JSON",
    }
}


# ---------------------------------------------------------------------------------- schemas


class ExamOut(Schema):
    id: int
    title: str
    description: str
    status: ExamStatus
    mode: PaperMode
    time_limit_minutes: int
    attempts_allowed: int
    pass_mark: int = Field(..., description="Percentage of the full marks needed to pass")
    opens_at: datetime | None
    closes_at: datetime | None
    attempts_used: int
    passed: bool
    attempt_in_progress: int | None = Field(..., description="Id of the attempt in progress")


class AttemptOut(Schema):
    id: int
    exam_id: int
    number: int
    status: AttemptStatus
    started_at: datetime
    deadline: datetime = Field(..., description="Answers are accepted until then (+30 s grace)")
    seconds_left: int
    submitted_at: datetime | None
    score: float | None
    total_points: int
    percent: int | None
    passed: bool | None
    certificate_number: str | None


class OptionOut(Schema):
    key: str = Field(..., description="What to send as the response (the bank's letter)")
    letter: str = Field(..., description="The letter shown for it on this paper")
    text: str


class PaperItemOut(Schema):
    number: int
    question_id: int
    kind: QuestionKind
    stem: str
    points: int
    options: list[OptionOut]
    response: str = Field(..., description="The saved response, empty when none")
    saved_at: datetime | None


class PaperOut(AttemptOut):
    questions: list[PaperItemOut]


class ReviewItemOut(PaperItemOut):
    correct: bool | None
    answer: str
    explanation: str


class ResultOut(AttemptOut):
    review: list[ReviewItemOut] = Field(
        ..., description="The answers with the correct ones, only after the exam closes"
    )


class PaperQuestionIn(Schema):
    question_id: int = Field(..., ge=1, le=MAX_ID)
    points: int = Field(1, ge=1, le=100)


class RuleIn(Schema):
    kind: QuestionKind
    count: int = Field(..., ge=1, le=200, description="Questions drawn per attempt")
    points: int = Field(1, ge=1, le=100, description="Points of each")
    tag: str = Field("", max_length=30, pattern=NO_NUL)
    difficulty: Difficulty | None = None


class ExamPatch(Schema):
    """Only the fields sent change. A published exam: only title, description, a later
    closes_at; a draft: everything (``questions`` or ``rules`` replace the paper)."""

    title: str | None = Field(None, max_length=200, pattern=NO_NUL)
    description: str | None = Field(None, max_length=2000, pattern=NO_NUL)
    audience_id: int | None = Field(None, ge=1, le=MAX_ID, description="Who takes it")
    course_id: int | None = Field(None, ge=1, le=MAX_ID, description="null: no course")
    time_limit_minutes: int | None = Field(None, ge=1, le=600)
    attempts_allowed: int | None = Field(None, ge=1, le=20)
    pass_mark: int | None = Field(None, ge=0, le=100, description="% of the full marks")
    shuffle_options: bool | None = None
    opens_at: datetime | None = Field(None, description="null: open at once (Beijing time)")
    closes_at: datetime | None = Field(None, description="null: open until closed by hand")
    questions: list[PaperQuestionIn] | None = Field(
        None, max_length=200, description="A fixed paper, in order (send rules: null)"
    )
    rules: list[RuleIn] | None = Field(
        None, max_length=20, description="Rules drawing from the bank (send questions: null)"
    )


class RuleOut(Schema):
    kind: QuestionKind
    count: int
    points: int
    tag: str
    difficulty: str


class PaperQuestionOut(Schema):
    question_id: int
    points: int


class ExamSettingsOut(Schema):
    id: int
    title: str
    description: str
    status: ExamStatus
    mode: PaperMode
    organization_id: int | None
    audience_id: int | None
    course_id: int | None
    time_limit_minutes: int
    attempts_allowed: int
    pass_mark: int
    shuffle_options: bool
    opens_at: datetime | None
    closes_at: datetime | None
    questions: list[PaperQuestionOut]
    rules: list[RuleOut]


class AnswerIn(Schema):
    response: str = Field(
        ...,
        max_length=200,
        pattern=NO_NUL,
        description='Choice: the option keys ("A", "AC"); true/false: "T" or "F"; fill-in: text',
    )


class AnswerOut(Schema):
    question_id: int
    response: str
    saved_at: datetime
    seconds_left: int


class ImportOut(Schema):
    created: int
    unchanged: int


class BandOut(Schema):
    band: str
    people: int


class OrganizationFiguresOut(Schema):
    organization_id: int
    name: str
    takers: int
    passed: int
    pass_rate: int | None
    average: int | None


class MissedOut(Schema):
    question_id: int
    stem: str
    answered: int
    wrong: int


class StatisticsOut(Schema):
    exam_id: int
    takers: int
    passed: int
    pass_rate: int | None
    average: int | None
    attempts: int
    in_progress: int
    bands: list[BandOut]
    organizations: list[OrganizationFiguresOut]
    missed: list[MissedOut]


# ---------------------------------------------------------------------------------- helpers


def _exam_out(standing: selectors.Standing) -> dict[str, Any]:
    exam = standing.exam
    return {
        **{f: getattr(exam, f) for f in ("id", "title", "description", "status", "mode")},
        **{
            f: getattr(exam, f)
            for f in ("time_limit_minutes", "attempts_allowed", "pass_mark", "opens_at")
        },
        "closes_at": exam.closes_at,
        "attempts_used": standing.used,
        "passed": standing.passed,
        "attempt_in_progress": standing.in_progress,
    }


def _attempt_out(attempt: Attempt) -> dict[str, Any]:
    certificate = getattr(attempt, "certificate", None) if attempt.passed else None
    return {
        "id": attempt.pk,
        "exam_id": attempt.exam_id,
        "number": attempt.number,
        "status": attempt.status,
        "started_at": attempt.started_at,
        "deadline": attempt.deadline,
        "seconds_left": selectors.seconds_left(attempt)
        if attempt.status == AttemptStatus.IN_PROGRESS
        else 0,
        "submitted_at": attempt.submitted_at,
        "score": float(attempt.score) if attempt.score is not None else None,
        "total_points": attempt.total_points,
        "percent": attempt.percent,
        "passed": attempt.passed,
        "certificate_number": certificate.number if certificate else None,
    }


def _item_out(item: selectors.PaperItem, review: bool = False) -> dict[str, Any]:
    out: dict[str, Any] = {
        "number": item.number,
        "question_id": item.question.pk,
        "kind": item.question.kind,
        "stem": item.question.stem,
        "points": item.points,
        "options": [{"key": o.key, "letter": o.letter, "text": o.text} for o in item.options],
        "response": item.response,
        "saved_at": item.saved_at,
    }
    if review:
        out.update(
            correct=item.correct,
            answer=item.question.answer,
            explanation=item.question.explanation,
        )
    return out


def _own_attempt(request: ApiRequest, attempt_id: int) -> Attempt:
    attempt = selectors.attempt_access(user=request.auth, pk=attempt_id)
    if attempt.user_id != request.auth.pk:
        raise NotFound(_("This exam attempt does not exist, or it is not yours."))
    return attempt


# ---------------------------------------------------------------------------------- taking


@router.get(
    "/exams",
    response={200: list[ExamOut], **_ERRORS},
    summary="The exams open to me (published or closed), newest first, with where I stand",
)
def exam_list(request: ApiRequest) -> Any:
    access.require(request.auth, perms.EXAM_TAKE)
    exams = list(selectors.exams_open_to(request.auth)[:200])
    return [_exam_out(s) for s in selectors.standings(user=request.auth, exams=exams)]


@router.get(
    "/exams/{exam_id}",
    response={200: ExamOut, **_ERRORS},
    summary="One exam open to me (404 when it is not open to me)",
)
def exam_detail(request: ApiRequest, exam_id: ObjectId) -> Any:
    access.require(request.auth, perms.EXAM_TAKE)
    exam = selectors.exam_for_taking(user=request.auth, pk=exam_id)
    return _exam_out(selectors.standings(user=request.auth, exams=[exam])[0])


@router.post(
    "/exams/{exam_id}/attempts",
    response={200: PaperOut, 201: PaperOut, **_ERRORS},
    summary="Start an attempt (201), or get back the one in progress (200) with its answers",
)
def exam_attempt_start(request: ApiRequest, exam_id: ObjectId) -> Any:
    """Refused with 400 (the reason in Chinese): before the exam opens, after it closes, after
    passing, beyond the attempts allowed. 404 when the exam is not open to the caller."""
    exam = selectors.exam_for_taking(user=request.auth, pk=exam_id)
    before = set(Attempt.objects.filter(exam=exam, user=request.auth).values_list("pk", flat=True))
    attempt = services.attempt_start(actor=request.auth, exam=exam)
    paper = {
        **_attempt_out(attempt),
        "questions": [_item_out(i) for i in selectors.attempt_paper(attempt)],
    }
    return Status(200 if attempt.pk in before else 201, paper)


@router.get(
    "/attempts/{attempt_id}",
    response={200: PaperOut, **_ERRORS},
    summary="My attempt: its paper as drawn, my saved answers and the seconds left",
)
def attempt_detail(request: ApiRequest, attempt_id: ObjectId) -> Any:
    attempt = _own_attempt(request, attempt_id)
    if attempt.status == AttemptStatus.IN_PROGRESS:
        services.attempts_close_expired(exam=attempt.exam, user=request.auth)
        attempt.refresh_from_db()
    return {
        **_attempt_out(attempt),
        "questions": [_item_out(i) for i in selectors.attempt_paper(attempt)],
    }


@router.put(
    "/attempts/{attempt_id}/answers/{question_id}",
    response={200: AnswerOut, **_ERRORS},
    summary="Save my answer to one question of my attempt in progress (replaces any before)",
)
def attempt_answer_save(
    request: ApiRequest, attempt_id: ObjectId, question_id: ObjectId, payload: AnswerIn
) -> Any:
    """Refused with 400, nothing saved: a question not in the paper, a response its options do
    not allow, an attempt handed in, or after the deadline (+30 s; the attempt is then graded
    with the answers saved in time)."""
    attempt = _own_attempt(request, attempt_id)
    answer = services.answer_save(
        actor=request.auth, attempt=attempt, question_id=question_id, response=payload.response
    )
    return {
        "question_id": question_id,
        "response": answer.response,
        "saved_at": answer.saved_at,
        "seconds_left": selectors.seconds_left(attempt),
    }


@router.post(
    "/attempts/{attempt_id}/submit",
    response={200: AttemptOut, **_ERRORS},
    summary="Hand in my attempt: it is graded at once (handing in twice returns the result)",
)
def attempt_submit(request: ApiRequest, attempt_id: ObjectId) -> Any:
    """Refused with 400 after the deadline (+30 s): the attempt is graded with the answers
    saved in time and the result is then at ``/attempts/{id}/result``."""
    attempt = _own_attempt(request, attempt_id)
    return _attempt_out(services.attempt_submit(actor=request.auth, attempt=attempt))


@router.get(
    "/attempts/{attempt_id}/result",
    response={200: ResultOut, **_ERRORS},
    summary="The score of my attempt; with the correct answers once the exam has closed",
)
def attempt_result(request: ApiRequest, attempt_id: ObjectId) -> Any:
    attempt = _own_attempt(request, attempt_id)
    if attempt.status == AttemptStatus.IN_PROGRESS:
        services.attempts_close_expired(exam=attempt.exam, user=request.auth)
        attempt.refresh_from_db()
        if attempt.status == AttemptStatus.IN_PROGRESS:
            raise ValidationFailed(_("This attempt has not been handed in yet."))
    over = selectors.exam_is_over(attempt.exam, timezone.now())
    review = [_item_out(i, review=True) for i in selectors.attempt_paper(attempt)] if over else []
    return {**_attempt_out(attempt), "review": review}


# ---------------------------------------------------------------------------------- setting


NULLABLE = frozenset({"course_id", "opens_at", "closes_at", "questions", "rules"})


def _patch_values(request: ApiRequest, payload: ExamPatch) -> dict[str, Any]:
    """Turn the fields sent into ``exam_update`` arguments (ids to objects, null kept only
    where it means "none")."""
    sent = payload.dict(exclude_unset=True)
    values = {k: v for k, v in sent.items() if v is not None or k in NULLABLE}
    if (audience_id := values.pop("audience_id", None)) is not None:
        audience = Organization.objects.filter(pk=audience_id).first()
        if audience is None:
            raise ValidationFailed(
                _("Choose an organization that exists."),
                errors=[("audience_id", _("Choose an organization that exists."))],
            )
        values["audience"] = audience
    if "course_id" in values:
        course_id = values.pop("course_id")
        values["course"] = Course.objects.filter(pk=course_id).first() if course_id else None
        if course_id and values["course"] is None:
            message = _("This course does not exist, or you may not see it.")
            raise ValidationFailed(message, errors=[("course_id", message)])
    for name in ("opens_at", "closes_at"):
        if values.get(name) is not None and timezone.is_naive(values[name]):
            values[name] = timezone.make_aware(values[name])  # Beijing time, as on the pages
    if values.get("questions") is not None:
        wanted = [(item["question_id"], item.get("points", 1)) for item in values["questions"]]
        found = selectors.questions_visible(request.auth).in_bulk([q for q, _p in wanted])
        if len(found) != len({q for q, _p in wanted}):
            message = _("Some chosen questions are not in your question bank.")
            raise ValidationFailed(message, errors=[("questions", message)])
        values["questions"] = [(found[q], p) for q, p in wanted]
    if values.get("rules") is not None:
        values["rules"] = [{**r, "difficulty": r.get("difficulty") or ""} for r in values["rules"]]
    return values


def _settings_out(exam: Exam) -> dict[str, Any]:
    return {
        **{
            f: getattr(exam, f)
            for f in ("id", "title", "description", "status", "mode", "organization_id")
        },
        **{
            f: getattr(exam, f)
            for f in ("audience_id", "course_id", "time_limit_minutes", "attempts_allowed")
        },
        **{f: getattr(exam, f) for f in ("pass_mark", "shuffle_options", "opens_at", "closes_at")},
        "questions": [
            {"question_id": eq.question_id, "points": eq.points} for eq in exam.paper.all()
        ],
        "rules": [
            {
                "kind": r.kind,
                "count": r.count,
                "points": r.points,
                "tag": r.tag,
                "difficulty": r.difficulty,
            }
            for r in exam.rules.all()
        ],
    }


@router.patch(
    "/exams/{exam_id}",
    response={200: ExamSettingsOut, **_ERRORS},
    summary="Change an exam I set (only the fields sent): a draft fully, a published one a little",
)
def exam_update(request: ApiRequest, exam_id: ObjectId, payload: ExamPatch) -> Any:
    """A draft changes in everything, checked as when it was set (rules the bank cannot satisfy
    are refused). A published exam changes only its title, description and a later closes_at;
    anything else is refused with 400 and the reason in Chinese, nothing saved. A closed exam
    does not change (400). 404 when the exam is not one the caller sets."""
    exam = selectors.exam_manage_access(user=request.auth, pk=exam_id)
    updated = services.exam_update(actor=request.auth, exam=exam, **_patch_values(request, payload))
    return _settings_out(updated)


# ---------------------------------------------------------------------------------- bank


@router.get(
    "/question-bank/export.xlsx",
    response={200: None, **_ERRORS},
    summary="Download my question bank as Excel, in the columns of the import template",
    openapi_extra={"responses": {200: {"content": {workbooks.XLSX: {}}}}},
)
def question_bank_export(request: ApiRequest) -> HttpResponse:
    access.require(request.auth, perms.BANK_MANAGE)
    questions = selectors.question_list(user=request.auth, active=None).order_by("id")
    data = workbooks.questions_export(actor=request.auth, questions=questions)
    response = HttpResponse(data, content_type=workbooks.XLSX)
    name = f"题库-{timezone.localdate():%Y%m%d}.xlsx"
    response["Content-Disposition"] = content_disposition_header(True, name) or ""
    return response


@router.post(
    "/question-bank/import",
    response={201: ImportOut, **_ERRORS},
    summary="Import questions from an .xlsx body: every row checked first, all or nothing",
    openapi_extra=XLSX_BODY,
)
def question_bank_import(request: ApiRequest) -> Any:
    """Refused with 400 when any row is bad: ``errors`` lists each problem with its row and
    column (in Chinese); nothing is imported then. Questions already in the bank are kept."""
    access.require(request.auth, perms.BANK_MANAGE)
    try:
        data = request.body
    except RequestDataTooBig:
        raise ValidationFailed(size_problem(10**12) or "") from None
    try:
        result = workbooks.questions_import(actor=request.auth, data=data, filename="api.xlsx")
    except ImportRejected as rejected:
        raise ValidationFailed(
            rejected.message, errors=[(p.column, str(p)) for p in rejected.problems]
        ) from None
    return Status(201, {"created": result.created, "unchanged": result.unchanged})


# ---------------------------------------------------------------------------------- statistics


@router.get(
    "/exams/{exam_id}/statistics",
    response={200: StatisticsOut, **_ERRORS},
    summary="Pass rate, score bands, organizations and most missed questions (my subtree)",
)
def exam_statistics(request: ApiRequest, exam_id: ObjectId) -> Any:
    access.require(request.auth, perms.STATS_VIEW)
    exam: Exam = selectors.stats_exam_access(user=request.auth, pk=exam_id)
    stats = selectors.exam_statistics(user=request.auth, exam=exam)
    return {
        "exam_id": exam.pk,
        "takers": stats.takers,
        "passed": stats.passed,
        "pass_rate": stats.pass_rate,
        "average": stats.average,
        "attempts": stats.attempts,
        "in_progress": stats.waiting,
        "bands": [{"band": b, "people": n} for b, n in stats.bands],
        "organizations": [
            {
                "organization_id": r.organization.pk,
                "name": r.organization.name,
                "takers": r.takers,
                "passed": r.passed,
                "pass_rate": r.pass_rate,
                "average": r.average,
            }
            for r in stats.organizations
        ],
        "missed": [
            {"question_id": m.question_id, "stem": m.stem, "answered": m.answered, "wrong": m.wrong}
            for m in stats.missed
        ],
    }
