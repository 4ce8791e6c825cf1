"""Changing an exam: a draft in everything (checked as when it was set), a published exam only in
what cannot hurt those who started it, a closed exam not at all. Every refusal saves nothing."""

from datetime import timedelta

import pytest
from django.utils import timezone

from dangwu.audit.models import AuditRecord
from dangwu.core.errors import DomainError, Forbidden, ValidationFailed
from dangwu.exams import services
from dangwu.exams.enums import ExamStatus, PaperMode
from dangwu.exams.models import Attempt, Exam
from dangwu.exams.tests.factories import bank, fixed_exam
from dangwu.school.tests.factories import course as make_course

pytestmark = pytest.mark.django_db


def _fields(error: ValidationFailed) -> set[str]:
    return {field for field, _message in error.errors}


def _admin(world):
    return world.user("schooladmin")


# ---------------------------------------------------------------------------------- drafts


def test_a_draft_changes_in_everything_and_the_change_is_audited(world):
    questions = bank(world, n=2)
    exam = fixed_exam(world, questions[:4], publish=False)
    course = make_course(world)
    opens = timezone.now() + timedelta(days=1)
    services.exam_update(
        actor=_admin(world),
        exam=exam,
        title="  党史知识测试 ",
        description="第一章至第三章",
        audience=world.orgs["branch1"],
        course=course,
        time_limit_minutes=45,
        attempts_allowed=3,
        pass_mark=80,
        shuffle_options=True,
        opens_at=opens,
        closes_at=opens + timedelta(days=7),
        questions=None,
        rules=[{"kind": "single", "count": 2, "points": 50, "tag": "党章"}],
    )
    exam.refresh_from_db()
    assert exam.title == "党史知识测试" and exam.description == "第一章至第三章"
    assert exam.audience == world.orgs["branch1"] and exam.course == course
    assert (exam.time_limit_minutes, exam.attempts_allowed, exam.pass_mark) == (45, 3, 80)
    assert exam.shuffle_options and exam.opens_at == opens
    assert exam.mode == PaperMode.RULES and exam.paper.count() == 0
    assert [(r.kind, r.count, r.points) for r in exam.rules.all()] == [("single", 2, 50)]
    record = AuditRecord.objects.get(action="exams.exam_changed")
    assert "title" in record.details["fields"] and "paper" in record.details["fields"]


def test_a_drafts_rules_can_become_a_fixed_paper_again(world):
    questions = bank(world, n=1)
    exam = fixed_exam(world, questions, publish=False)
    services.exam_update(
        actor=_admin(world), exam=exam, questions=None, rules=[{"kind": "fill", "count": 1}]
    )
    services.exam_update(
        actor=_admin(world), exam=exam, questions=questions[:2], rules=None, points=50
    )
    exam.refresh_from_db()
    assert exam.mode == PaperMode.FIXED and exam.rules.count() == 0
    assert [(eq.question_id, eq.points) for eq in exam.paper.all()] == [
        (questions[0].pk, 50),
        (questions[1].pk, 50),
    ]


def test_rules_the_bank_cannot_satisfy_are_refused_and_nothing_changes(world):
    exam = fixed_exam(world, publish=False)
    with pytest.raises(ValidationFailed) as refused:
        services.exam_update(
            actor=_admin(world),
            exam=exam,
            title="新标题",
            questions=None,
            rules=[{"kind": "single", "count": 30, "tag": "党章"}],
        )
    assert _fields(refused.value) == {"rules"}
    exam.refresh_from_db()
    assert exam.title == "党章知识测试" and exam.mode == PaperMode.FIXED
    assert exam.paper.count() == 4 and exam.rules.count() == 0


def test_a_draft_needs_exactly_one_of_a_paper_or_rules(world):
    questions = bank(world, n=1)
    exam = fixed_exam(world, questions, publish=False)
    for values in (
        {"questions": [], "rules": None},
        {"questions": questions[:1], "rules": [{"kind": "single", "count": 1}]},
    ):
        with pytest.raises(ValidationFailed) as refused:
            services.exam_update(actor=_admin(world), exam=exam, **values)
        assert _fields(refused.value) == {"questions"}
    assert exam.paper.count() == 4


def test_a_retired_question_cannot_go_into_a_drafts_paper(world):
    questions = bank(world, n=1)
    exam = fixed_exam(world, questions[:2], publish=False)
    services.question_set_active(actor=_admin(world), question=questions[3], active=False)
    with pytest.raises(ValidationFailed) as refused:
        services.exam_update(actor=_admin(world), exam=exam, questions=questions, rules=None)
    assert _fields(refused.value) == {"questions"}
    assert exam.paper.count() == 2


@pytest.mark.parametrize(
    ("values", "field"),
    [
        ({"title": "   "}, "title"),
        ({"title": "长" * 201}, "title"),
        ({"time_limit_minutes": 0}, "time_limit_minutes"),
        ({"time_limit_minutes": 601}, "time_limit_minutes"),
        ({"attempts_allowed": 21}, "attempts_allowed"),
        ({"pass_mark": 101}, "pass_mark"),
    ],
)
def test_bad_settings_of_a_draft_are_refused_like_when_it_was_set(world, values, field):
    exam = fixed_exam(world, publish=False)
    with pytest.raises(ValidationFailed) as refused:
        services.exam_update(actor=_admin(world), exam=exam, **values)
    assert _fields(refused.value) == {field}
    assert Exam.objects.get(pk=exam.pk).title == "党章知识测试"


def test_a_draft_must_close_after_it_opens(world):
    opens = timezone.now() + timedelta(days=2)
    exam = fixed_exam(world, publish=False, opens_at=opens)
    with pytest.raises(ValidationFailed) as refused:
        services.exam_update(actor=_admin(world), exam=exam, closes_at=opens - timedelta(hours=1))
    assert _fields(refused.value) == {"closes_at"}


def test_only_the_school_administrator_changes_an_exam(world):
    exam = fixed_exam(world, publish=False)
    for persona in ("secretary", "member", "leader"):
        with pytest.raises(Forbidden):
            services.exam_update(actor=world.user(persona), exam=exam, title="改")
    assert Exam.objects.get(pk=exam.pk).title == "党章知识测试"


# ---------------------------------------------------------------------------------- published


def test_a_published_exam_changes_its_title_description_and_a_later_closing_time(world):
    closes = timezone.now() + timedelta(hours=2)
    exam = fixed_exam(world, closes_at=closes)
    later = closes + timedelta(days=1)
    services.exam_update(
        actor=_admin(world),
        exam=exam,
        title="党章知识测试（补考）",
        description="延长一天",
        closes_at=later,
        # Settings sent as they are do not count as changes.
        time_limit_minutes=exam.time_limit_minutes,
        audience=exam.audience,
    )
    exam.refresh_from_db()
    assert (exam.title, exam.description, exam.closes_at) == (
        "党章知识测试（补考）",
        "延长一天",
        later,
    )
    assert exam.status == ExamStatus.PUBLISHED


def test_a_later_closing_time_gives_attempts_cut_short_the_time_now_due(world):
    now = timezone.now()
    exam = fixed_exam(world, closes_at=now + timedelta(minutes=10))
    attempt = services.attempt_start(actor=world.user("member"), exam=exam, now=now)
    assert attempt.deadline == exam.closes_at
    services.exam_update(actor=_admin(world), exam=exam, closes_at=now + timedelta(days=1))
    attempt.refresh_from_db()
    assert attempt.deadline == now + timedelta(minutes=exam.time_limit_minutes)


def test_a_published_exam_may_lose_its_closing_time(world):
    exam = fixed_exam(world, closes_at=timezone.now() + timedelta(hours=1))
    services.exam_update(actor=_admin(world), exam=exam, closes_at=None)
    assert Exam.objects.get(pk=exam.pk).closes_at is None


@pytest.mark.parametrize(
    ("name", "value", "field"),
    [
        ("time_limit_minutes", 5, "time_limit_minutes"),
        ("attempts_allowed", 5, "attempts_allowed"),
        ("pass_mark", 90, "pass_mark"),
        ("shuffle_options", True, "shuffle_options"),
        ("opens_at", "tomorrow", "opens_at"),
        ("audience", "branch1", "audience"),
        ("course", "a course", "course"),
        ("questions", "two", "questions"),
        ("rules", "a rule", "questions"),
    ],
)
def test_a_published_exam_refuses_every_other_change_with_the_reason(world, name, value, field):
    exam = fixed_exam(world)
    value = {
        "tomorrow": timezone.now() + timedelta(days=1),
        "branch1": world.orgs["branch1"],
        "a course": make_course(world) if value == "a course" else None,
        "two": list(Exam.objects.get(pk=exam.pk).paper.all())[:2],
        "a rule": [{"kind": "single", "count": 1}],
    }.get(value, value)
    if name == "questions":
        value = [eq.question for eq in value]
    with pytest.raises(ValidationFailed) as refused:
        services.exam_update(actor=_admin(world), exam=exam, title="新标题", **{name: value})
    assert _fields(refused.value) == {field}
    exam.refresh_from_db()
    assert exam.title == "党章知识测试" and exam.paper.count() == 4


def test_a_published_exam_cannot_close_earlier_or_gain_a_closing_time(world):
    closes = timezone.now() + timedelta(days=1)
    dated = fixed_exam(world, closes_at=closes)
    with pytest.raises(ValidationFailed) as earlier:
        services.exam_update(actor=_admin(world), exam=dated, closes_at=closes - timedelta(hours=1))
    assert _fields(earlier.value) == {"closes_at"}
    open_ended = fixed_exam(world, bank(world, tag="党史", n=1))
    with pytest.raises(ValidationFailed) as gained:
        services.exam_update(actor=_admin(world), exam=open_ended, closes_at=closes)
    assert _fields(gained.value) == {"closes_at"}
    assert Exam.objects.get(pk=dated.pk).closes_at == closes
    assert Exam.objects.get(pk=open_ended.pk).closes_at is None


def test_a_closed_exam_does_not_change(world):
    exam = fixed_exam(world)
    services.exam_close(actor=_admin(world), exam=exam)
    with pytest.raises(DomainError) as refused:
        services.exam_update(actor=_admin(world), exam=exam, title="新标题")
    assert refused.value.message == services.closed_exam_message()
    assert Exam.objects.get(pk=exam.pk).title == "党章知识测试"
    assert not Attempt.objects.exists()
