"""Demo training data: typing texts, the computer-skills course with its exams, a plan, progress.

Built after the school (order 80) and exams (55) builders, through their services, acting as the
demo school administrator; the demo secretary has done part of the plan, so its completion page
shows something; two people have typing results, so the history chart has points.
"""

from datetime import timedelta
from typing import Any

from django.utils import timezone

from dangwu.access import SYSTEM, Role
from dangwu.accounts.models import User
from dangwu.core.demo import DemoContext
from dangwu.training import content, services

TYPED_DEMO = [
    # (username, text index, seconds, characters wrong)
    ("demo-secretary", 0, 95, 4),
    ("demo-secretary", 1, 80, 2),
    ("demo-secretary", 0, 62, 1),
    ("demo-member", 1, 70, 3),
]


def _user(username: str) -> Any:
    return User.objects.filter(username=username).first()


def build_course(context: DemoContext, admin: Any) -> tuple[Any, list[Any], list[Any]]:
    """Make and publish the course, its lessons and one exam per lesson with questions."""
    from dangwu.exams import services as exams
    from dangwu.school import services as school
    from dangwu.school.enums import CourseCategory

    root = context.data["root"]
    course = school.course_create(
        actor=admin,
        title=content.COURSE_TITLE,
        category=CourseCategory.COMPUTER,
        organization=root,
        description=content.COURSE_DESCRIPTION,
    )
    lessons = []
    for spec in content.LESSONS:
        lessons.append(
            school.lesson_create(
                actor=admin,
                course=course,
                title=str(spec["title"]),
                kind=str(spec["kind"]),
                hours=spec["hours"],
                required_minutes=int(spec["minutes"]),  # type: ignore[call-overload]
                body=str(spec["body"]),
            )
        )
    school.course_publish(actor=admin, course=course)
    made_exams = []
    for spec in content.LESSONS:
        questions = [
            exams.question_create(
                actor=admin,
                kind=kind,
                stem=stem,
                options=options,
                answer=answer,
                tags=["计算机基础"],
                organization=root,
            )
            for kind, stem, options, answer in spec["questions"]  # type: ignore[attr-defined]
        ]
        if not questions:
            continue
        exam = exams.exam_create(
            actor=admin,
            title=f"小测验：{spec['title']}",
            organization=root,
            course=course,
            questions=questions,
            time_limit_minutes=content.EXAM_RULES["time_limit_minutes"],
            attempts_allowed=content.EXAM_RULES["attempts_allowed"],
            pass_mark=content.EXAM_RULES["pass_mark"],
        )
        made_exams.append(exams.exam_publish(actor=admin, exam=exam))
    return course, lessons, made_exams


def _pass_exam(user: Any, exam: Any) -> None:
    """Take ``exam`` as ``user`` and answer every question right (the demo's progress)."""
    from dangwu.exams import services as exams
    from dangwu.exams.models import ExamQuestion

    attempt = exams.attempt_start(actor=user, exam=exam)
    answers = {
        eq.question_id: eq.question.answer
        for eq in ExamQuestion.objects.filter(exam=exam).select_related("question")
    }
    exams.answers_save(actor=user, attempt=attempt, responses=answers)
    exams.attempt_submit(actor=user, attempt=attempt)


def _type(username: str, text: Any, seconds: int, wrong: int, days_ago: int) -> None:
    user = _user(username)
    if user is None:
        return
    now = timezone.now() - timedelta(days=days_ago)
    token = services.typing_token_issue(
        actor=user, text=text, now=now - timedelta(seconds=seconds + 20)
    )
    body = "".join(text.body.split())
    typed = body[: len(body) - wrong] + "的" * wrong
    services.typing_result_record(actor=user, token=token, typed=typed, seconds=seconds, now=now)


def build_training(context: DemoContext) -> None:
    texts = [
        services.typing_text_create(actor=SYSTEM, title=title, body=body, level=level)
        for title, level, body in content.TYPING_TEXTS
    ]
    admin = _user("demo-schooladmin") or SYSTEM
    course, lessons, made_exams = build_course(context, admin)
    today = timezone.localdate()
    plan = services.plan_create(
        actor=admin,
        title=str(content.PLAN["title"]),
        description=str(content.PLAN["description"]),
        organization=context.data["root"],
        starts_on=today,
        due_on=today + timedelta(days=int(content.PLAN["days"])),  # type: ignore[call-overload]
        courses=[course],
        exams=made_exams,
        target_roles=[Role.SECRETARY],
    )
    services.plan_publish(actor=admin, plan=plan)
    # Progress: the secretary has studied the first three lessons and passed the first quiz,
    # and typed a few times (which credits the practice lesson); the other secretary nothing.
    secretary = _user("demo-secretary")
    if secretary is not None:
        from dangwu.school.services import lesson_time_credit

        for lesson in lessons[:3]:
            lesson_time_credit(actor=secretary, lesson=lesson, seconds=lesson.required_minutes * 60)
        if made_exams:
            _pass_exam(secretary, made_exams[0])
    for n, (username, index, seconds, wrong) in enumerate(TYPED_DEMO):
        _type(username, texts[index], seconds, wrong, days_ago=len(TYPED_DEMO) - n)


build_training.order = 90  # type: ignore[attr-defined]  # after school (80) and exams (55)
