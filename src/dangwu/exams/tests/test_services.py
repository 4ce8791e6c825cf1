"""The bank, exams and attempts: every refusal, the grading rules, draws and time limits."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from dangwu.audit.models import AuditRecord
from dangwu.core.errors import DomainError, Forbidden, NotFound, ValidationFailed
from dangwu.exams import selectors, services
from dangwu.exams.enums import AttemptStatus, ExamStatus, QuestionKind
from dangwu.exams.models import Answer, Attempt, Certificate, Exam, Question
from dangwu.exams.tests.factories import bank, correct_response, fixed_exam

pytestmark = pytest.mark.django_db


def _single(world, **extra):
    values = {
        "kind": QuestionKind.SINGLE,
        "stem": "党的最高理想是什么？",
        "options": ["共产主义", "小康"],
        "answer": "A",
        **extra,
    }
    return services.question_create(actor=world.user("schooladmin"), **values)


def _answer_all(attempt, member, right=True):
    for item in selectors.attempt_paper(attempt):
        response = correct_response(item.question) if right else ""
        if not right and item.question.kind == QuestionKind.TRUE_FALSE:
            response = "F" if item.question.answer == "T" else "T"
        services.answer_save(
            actor=member, attempt=attempt, question_id=item.question.pk, response=response
        )


# ---------------------------------------------------------------------------------- bank


def test_a_question_keeps_its_answer_in_canonical_form(world):
    question = _single(world, kind=QuestionKind.MULTIPLE, options=["甲", "乙", "丙"], answer="c, a")
    assert question.answer == "AC"
    tf = _single(world, kind=QuestionKind.TRUE_FALSE, options=[], answer="对")
    assert tf.answer == "T"
    fill = _single(world, kind=QuestionKind.FILL, options=[], answer=" 服务 | 服务人民 ")
    assert fill.answer == "服务|服务人民"


@pytest.mark.parametrize(
    ("extra", "field"),
    [
        ({"stem": ""}, "stem"),
        ({"options": ["只有一个"]}, "options"),
        ({"answer": "C"}, "answer"),
        ({"answer": "AB"}, "answer"),
        ({"kind": QuestionKind.MULTIPLE, "answer": "A"}, "answer"),
        ({"kind": QuestionKind.TRUE_FALSE, "answer": "也许"}, "answer"),
        ({"kind": QuestionKind.FILL, "answer": " | "}, "answer"),
        ({"difficulty": "extreme"}, "difficulty"),
        ({"kind": "essay"}, "kind"),
    ],
)
def test_a_bad_question_is_refused_and_nothing_saved(world, extra, field):
    with pytest.raises(ValidationFailed) as refused:
        _single(world, **extra)
    assert field in [f for f, _m in refused.value.errors]
    assert Question.objects.count() == 0


def test_only_the_school_administrator_keeps_the_bank(world):
    with pytest.raises(Forbidden):
        services.question_create(
            actor=world.user("secretary"),
            kind=QuestionKind.TRUE_FALSE,
            stem="题",
            options=[],
            answer="T",
            organization=world.orgs["org1"],
        )
    with pytest.raises(Forbidden):
        services.question_create(
            actor=world.user("member"), kind="true_false", stem="题", options=[], answer="T"
        )
    assert Question.objects.count() == 0


def test_an_answered_question_keeps_its_key_but_its_wording_may_change(world):
    questions = bank(world, n=1)
    exam = fixed_exam(world, questions)
    member = world.user("member")
    attempt = services.attempt_start(actor=member, exam=exam)
    _answer_all(attempt, member)
    single = questions[0]
    with pytest.raises(ValidationFailed):
        services.question_update(
            actor=world.user("schooladmin"),
            question=single,
            kind=single.kind,
            stem=single.stem,
            options=single.options,
            answer="B",
        )
    changed = services.question_update(
        actor=world.user("schooladmin"),
        question=single,
        kind=single.kind,
        stem="改过的题干",
        options=single.options,
        answer="A",
        tags="党章，党史",
    )
    assert changed.stem == "改过的题干" and changed.tag_list == ["党章", "党史"]


def test_a_retired_question_is_not_drawn(world):
    questions = bank(world, n=2)
    singles = [q for q in questions if q.kind == QuestionKind.SINGLE]
    services.question_set_active(actor=world.user("schooladmin"), question=singles[0], active=False)
    with pytest.raises(ValidationFailed) as refused:
        services.exam_create(
            actor=world.user("schooladmin"),
            title="抽题",
            organization=world.orgs["root"],
            time_limit_minutes=10,
            attempts_allowed=1,
            pass_mark=60,
            rules=[services.RuleSpec(kind=QuestionKind.SINGLE, count=2, tag="党章")],
        )
    assert "1" in refused.value.message


# ---------------------------------------------------------------------------------- exams


def test_rules_the_bank_cannot_satisfy_are_refused_with_what_is_missing(world):
    bank(world, n=2)
    with pytest.raises(ValidationFailed) as refused:
        services.exam_create(
            actor=world.user("schooladmin"),
            title="党章知识测试",
            organization=world.orgs["root"],
            time_limit_minutes=30,
            attempts_allowed=1,
            pass_mark=60,
            rules=[{"kind": "single", "count": 10, "tag": "党章", "difficulty": "medium"}],
        )
    message = refused.value.message
    assert "10" in message and "2" in message and "党章" in message
    assert Exam.objects.count() == 0


def test_overlapping_rules_of_one_kind_must_fit_together(world):
    bank(world, n=3)
    with pytest.raises(ValidationFailed):
        services.exam_create(
            actor=world.user("schooladmin"),
            title="重叠",
            organization=world.orgs["root"],
            time_limit_minutes=30,
            attempts_allowed=1,
            pass_mark=60,
            rules=[
                services.RuleSpec(kind="single", count=2, tag="党章"),
                services.RuleSpec(kind="single", count=2),
            ],
        )


@pytest.mark.parametrize(
    ("extra", "field"),
    [
        ({"title": ""}, "title"),
        ({"time_limit_minutes": 0}, "time_limit_minutes"),
        ({"attempts_allowed": 0}, "attempts_allowed"),
        ({"pass_mark": 101}, "pass_mark"),
        (
            {"opens_at": timezone.now(), "closes_at": timezone.now() - timedelta(hours=1)},
            "closes_at",
        ),
    ],
)
def test_bad_exam_settings_are_refused(world, extra, field):
    questions = bank(world, n=1)
    with pytest.raises(ValidationFailed) as refused:
        fixed_exam(world, questions, publish=False, **extra)
    assert field in [f for f, _m in refused.value.errors]
    assert Exam.objects.count() == 0


def test_a_paper_needs_questions_or_rules_but_not_both(world):
    questions = bank(world, n=1)
    values = {
        "actor": world.user("schooladmin"),
        "title": "t",
        "organization": world.orgs["root"],
        "time_limit_minutes": 5,
        "attempts_allowed": 1,
        "pass_mark": 60,
    }
    with pytest.raises(ValidationFailed):
        services.exam_create(**values)
    with pytest.raises(ValidationFailed):
        services.exam_create(
            **values, questions=questions, rules=[services.RuleSpec(kind="single", count=1)]
        )


def test_a_secretary_cannot_set_an_exam(world):
    questions = bank(world, n=1)
    with pytest.raises(Forbidden):
        services.exam_create(
            actor=world.user("secretary"),
            title="t",
            organization=world.orgs["org1"],
            time_limit_minutes=5,
            attempts_allowed=1,
            pass_mark=60,
            questions=questions,
        )


def test_a_draft_exam_is_not_open_and_a_published_one_cannot_be_published_again(world):
    exam = fixed_exam(world, publish=False)
    with pytest.raises(NotFound):
        services.attempt_start(actor=world.user("member"), exam=exam)
    services.exam_publish(actor=world.user("schooladmin"), exam=exam)
    with pytest.raises(DomainError):
        services.exam_publish(actor=world.user("schooladmin"), exam=exam)


# ---------------------------------------------------------------------------------- attempts


def test_a_member_passes_and_gets_a_certificate(world):
    exam = fixed_exam(world)
    member = world.user("member")
    attempt = services.attempt_start(actor=member, exam=exam)
    _answer_all(attempt, member)
    graded = services.attempt_submit(actor=member, attempt=attempt)
    assert graded.status == AttemptStatus.SUBMITTED
    assert graded.score == Decimal(100) and graded.percent == 100 and graded.passed
    assert graded.certificate.number.startswith("DW")
    assert selectors.exams_passed(user_ids=[member.pk], exam_ids=[exam.pk]) == {
        (member.pk, exam.pk)
    }
    assert AuditRecord.objects.filter(action="exams.attempt_submitted").count() == 1


def test_a_blank_paper_fails_and_every_question_is_recorded_as_missed(world):
    exam = fixed_exam(world)
    member = world.user("member")
    attempt = services.attempt_start(actor=member, exam=exam)
    graded = services.attempt_submit(actor=member, attempt=attempt)
    assert graded.score == 0 and graded.passed is False
    assert Answer.objects.filter(attempt=attempt, correct=False).count() == 4
    assert not Certificate.objects.exists()


def test_multiple_choice_is_all_or_nothing_and_fill_in_ignores_case_and_spaces(world):
    admin = world.user("schooladmin")
    multiple = services.question_create(
        actor=admin, kind="multiple", stem="多选", options=["a", "b", "c"], answer="AB"
    )
    fill = services.question_create(
        actor=admin, kind="fill", stem="填空", options=[], answer="Internet Explorer|IE"
    )
    exam = fixed_exam(world, [multiple, fill])
    member = world.user("member")
    attempt = services.attempt_start(actor=member, exam=exam)
    services.answer_save(actor=member, attempt=attempt, question_id=multiple.pk, response="A")
    services.answer_save(
        actor=member, attempt=attempt, question_id=fill.pk, response=" internet  explorer "
    )
    graded = services.attempt_submit(actor=member, attempt=attempt)
    answers = {a.question_id: a for a in graded.answers.all()}
    assert answers[multiple.pk].correct is False and answers[multiple.pk].points == 0
    assert answers[fill.pk].correct is True and answers[fill.pk].points == 25
    assert graded.score == 25 and graded.percent == 50


def test_a_second_start_resumes_the_same_attempt_with_its_answers(world):
    exam = fixed_exam(world)
    member = world.user("member")
    first = services.attempt_start(actor=member, exam=exam)
    question = selectors.attempt_paper(first)[0].question
    services.answer_save(actor=member, attempt=first, question_id=question.pk, response="A")
    again = services.attempt_start(actor=member, exam=exam)
    assert again.pk == first.pk
    assert selectors.attempt_paper(again)[0].response == "A"
    assert Attempt.objects.count() == 1


def test_shuffled_options_keep_their_order_when_the_attempt_is_reopened(world):
    admin = world.user("schooladmin")
    questions = [
        services.question_create(
            actor=admin,
            kind="single",
            stem=f"题{i}",
            options=["甲", "乙", "丙", "丁", "戊", "己", "庚", "辛"],
            answer="A",
        )
        for i in range(6)
    ]
    exam = fixed_exam(world, questions, shuffle_options=True)
    member = world.user("member")
    attempt = services.attempt_start(actor=member, exam=exam)
    shown = [[o.key for o in item.options] for item in selectors.attempt_paper(attempt)]
    assert any(keys != sorted(keys) for keys in shown)  # 6 × 8! orders: never all unshuffled
    reopened = Attempt.objects.get(pk=attempt.pk)
    assert [[o.key for o in i.options] for i in selectors.attempt_paper(reopened)] == shown
    # The stored response is the bank's letter, whatever letter the paper shows for it.
    first = selectors.attempt_paper(attempt)[0]
    right = next(o for o in first.options if o.key == "A")
    services.answer_save(
        actor=member, attempt=attempt, question_id=first.question.pk, response=right.key
    )
    assert selectors.attempt_paper(attempt)[0].answer_letters == right.letter


def test_rules_draw_the_asked_questions_and_each_attempt_keeps_its_own_draw(world):
    bank(world, tag="党章", n=4)
    bank(world, tag="党史", n=4)
    exam = services.exam_create(
        actor=world.user("schooladmin"),
        title="抽题考试",
        organization=world.orgs["root"],
        time_limit_minutes=20,
        attempts_allowed=3,
        pass_mark=100,
        rules=[
            services.RuleSpec(kind="single", count=3, tag="党章", difficulty="medium", points=2),
            services.RuleSpec(kind="true_false", count=2, points=5),
        ],
    )
    services.exam_publish(actor=world.user("schooladmin"), exam=exam)
    member = world.user("member")
    attempt = services.attempt_start(actor=member, exam=exam)
    paper = selectors.attempt_paper(attempt)
    kinds = [i.question.kind for i in paper]
    assert kinds == ["single"] * 3 + ["true_false"] * 2
    assert all("党章" in i.question.tag_list for i in paper[:3])
    assert len({i.question.pk for i in paper}) == 5
    assert attempt.total_points == 16


def test_attempts_beyond_the_number_allowed_are_refused(world):
    exam = fixed_exam(world, attempts_allowed=1)
    member = world.user("member")
    services.attempt_submit(actor=member, attempt=services.attempt_start(actor=member, exam=exam))
    with pytest.raises(DomainError) as refused:
        services.attempt_start(actor=member, exam=exam)
    assert "1" in refused.value.message
    assert Attempt.objects.count() == 1


def test_after_passing_no_new_attempt_starts(world):
    exam = fixed_exam(world, attempts_allowed=3)
    member = world.user("member")
    attempt = services.attempt_start(actor=member, exam=exam)
    _answer_all(attempt, member)
    services.attempt_submit(actor=member, attempt=attempt)
    with pytest.raises(DomainError):
        services.attempt_start(actor=member, exam=exam)


def test_an_exam_is_refused_before_it_opens_and_after_it_closes(world):
    now = timezone.now()
    later = fixed_exam(world, opens_at=now + timedelta(hours=1))
    with pytest.raises(DomainError):
        services.attempt_start(actor=world.user("member"), exam=later)
    over = fixed_exam(
        world, bank(world, n=1), opens_at=now - timedelta(days=2), closes_at=now - timedelta(days=1)
    )
    with pytest.raises(DomainError):
        services.attempt_start(actor=world.user("member"), exam=over)
    assert Attempt.objects.count() == 0


def test_people_outside_the_audience_are_answered_as_if_the_exam_did_not_exist(world):
    exam = fixed_exam(world, audience=world.orgs["branch1"])
    with pytest.raises(NotFound):
        services.attempt_start(actor=world.user("other_secretary"), exam=exam)
    with pytest.raises(NotFound):
        selectors.exam_for_taking(user=world.user("other_secretary"), pk=exam.pk)
    assert services.attempt_start(actor=world.user("member"), exam=exam).pk


def test_the_three_administrators_take_no_exams(world):
    exam = fixed_exam(world)
    with pytest.raises(Forbidden):
        services.attempt_start(actor=world.user("auditor"), exam=exam)


def test_answering_a_question_not_in_the_paper_is_refused_and_nothing_saved(world):
    exam = fixed_exam(world)
    stranger = _single(world, stem="不在试卷里的题")
    member = world.user("member")
    attempt = services.attempt_start(actor=member, exam=exam)
    with pytest.raises(ValidationFailed):
        services.answer_save(actor=member, attempt=attempt, question_id=stranger.pk, response="A")
    assert not Answer.objects.exists()


def test_an_answer_no_option_allows_is_refused(world):
    exam = fixed_exam(world)
    member = world.user("member")
    attempt = services.attempt_start(actor=member, exam=exam)
    single = selectors.attempt_paper(attempt)[0].question
    for bad in ("E", "AB", "x" * 500):
        with pytest.raises(ValidationFailed):
            services.answer_save(actor=member, attempt=attempt, question_id=single.pk, response=bad)
    assert not Answer.objects.exists()


def test_someone_else_cannot_answer_or_submit_my_attempt(world):
    exam = fixed_exam(world)
    attempt = services.attempt_start(actor=world.user("member"), exam=exam)
    other = world.user("secretary")
    question_id = attempt.question_ids[0]
    with pytest.raises(NotFound):
        services.answer_save(actor=other, attempt=attempt, question_id=question_id, response="A")
    with pytest.raises(NotFound):
        services.attempt_submit(actor=other, attempt=attempt)
    attempt.refresh_from_db()
    assert attempt.status == AttemptStatus.IN_PROGRESS


def test_submitting_after_the_time_limit_is_refused_and_the_saved_answers_are_graded(world):
    exam = fixed_exam(world, time_limit_minutes=10)
    member = world.user("member")
    start = timezone.now()
    attempt = services.attempt_start(actor=member, exam=exam, now=start)
    paper = selectors.attempt_paper(attempt)
    in_time = start + timedelta(minutes=9)
    services.answer_save(
        actor=member,
        attempt=attempt,
        question_id=paper[0].question.pk,
        response=correct_response(paper[0].question),
        now=in_time,
    )
    late = start + timedelta(minutes=11)
    with pytest.raises(DomainError) as refused:
        services.answer_save(
            actor=member,
            attempt=attempt,
            question_id=paper[1].question.pk,
            response=correct_response(paper[1].question),
            now=late,
        )
    assert "ran out" in refused.value.message or refused.value.message
    attempt.refresh_from_db()
    assert attempt.status == AttemptStatus.EXPIRED
    assert attempt.score == 25  # only the answer saved in time
    assert services.attempt_submit(actor=member, attempt=attempt).score == 25


def test_a_submission_within_the_grace_is_accepted_and_one_after_it_refused(world):
    exam = fixed_exam(world, time_limit_minutes=10, attempts_allowed=2)
    member = world.user("member")
    start = timezone.now()
    attempt = services.attempt_start(actor=member, exam=exam, now=start)
    graded = services.attempt_submit(
        actor=member, attempt=attempt, now=start + timedelta(minutes=10, seconds=20)
    )
    assert graded.status == AttemptStatus.SUBMITTED
    second = services.attempt_start(actor=member, exam=exam, now=start + timedelta(minutes=11))
    with pytest.raises(DomainError):
        services.attempt_submit(
            actor=member, attempt=second, now=start + timedelta(minutes=21, seconds=31)
        )
    second.refresh_from_db()
    assert second.status == AttemptStatus.EXPIRED
    assert second.submitted_at == second.deadline + services.GRACE


def test_expired_attempts_are_graded_by_the_job_and_when_the_person_comes_back(world):
    exam = fixed_exam(world, time_limit_minutes=5, attempts_allowed=2)
    member = world.user("member")
    start = timezone.now() - timedelta(minutes=10)
    attempt = services.attempt_start(actor=member, exam=exam, now=start)
    assert services.attempts_close_expired() == 1
    attempt.refresh_from_db()
    assert attempt.status == AttemptStatus.EXPIRED and attempt.score == 0
    assert services.attempts_close_expired() == 0
    # Coming back starts a fresh attempt instead of resuming the expired one.
    second = services.attempt_start(actor=member, exam=exam, now=start)
    within = start + timedelta(minutes=5)
    assert services.attempt_start(actor=member, exam=exam, now=within).pk == second.pk
    with pytest.raises(DomainError):
        services.attempt_start(actor=member, exam=exam, now=start + timedelta(minutes=7))
    second.refresh_from_db()
    assert second.status == AttemptStatus.EXPIRED


def test_the_deadline_is_the_closing_time_when_that_comes_first(world):
    now = timezone.now()
    exam = fixed_exam(world, time_limit_minutes=60, closes_at=now + timedelta(minutes=5))
    attempt = services.attempt_start(actor=world.user("member"), exam=exam, now=now)
    assert attempt.deadline == exam.closes_at


def test_closing_an_exam_grades_the_attempts_in_progress(world):
    exam = fixed_exam(world)
    member = world.user("member")
    attempt = services.attempt_start(actor=member, exam=exam)
    _answer_all(attempt, member)
    services.exam_close(actor=world.user("schooladmin"), exam=exam)
    attempt.refresh_from_db()
    assert exam.status == ExamStatus.CLOSED
    assert attempt.status == AttemptStatus.EXPIRED and attempt.passed
    with pytest.raises(DomainError):
        services.attempt_start(actor=member, exam=exam)


def test_submitting_twice_grades_once(world):
    exam = fixed_exam(world)
    member = world.user("member")
    attempt = services.attempt_start(actor=member, exam=exam)
    _answer_all(attempt, member)
    first = services.attempt_submit(actor=member, attempt=attempt)
    again = services.attempt_submit(actor=member, attempt=Attempt.objects.get(pk=attempt.pk))
    assert again.score == first.score
    assert Certificate.objects.count() == 1
    with pytest.raises(DomainError):
        services.answer_save(
            actor=member, attempt=again, question_id=attempt.question_ids[0], response="B"
        )
