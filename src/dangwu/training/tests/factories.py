"""Test data of the training app: courses and exams made through the school and exams apps'
services where that is cheap; completion (lessons completed, exams passed) written directly."""

from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from dangwu.access import SYSTEM, Role
from dangwu.training import services
from dangwu.training.enums import TypingLevel

TEXT = "学习党章，遵守党章，贯彻党章，维护党章，是全党同志的重要任务。"


def typing_text(title: str = "学习党章", body: str = TEXT, level: int = TypingLevel.BEGINNER):
    return services.typing_text_create(actor=SYSTEM, title=title, body=body, level=level)


def course(world, title: str = "计算机基础", lessons: int = 2, publish: bool = True, org=None):
    from dangwu.school import services as school
    from dangwu.school.enums import CourseCategory, LessonKind

    made = school.course_create(
        actor=SYSTEM,
        title=title,
        category=CourseCategory.COMPUTER,
        organization=org or world.orgs["root"],
    )
    for n in range(lessons):
        school.lesson_create(
            actor=SYSTEM,
            course=made,
            title=f"第{n + 1}课",
            kind=LessonKind.TEXT,
            hours=Decimal("0.5"),
            required_minutes=1,
            body="<p>请认真阅读本课内容。</p>",
        )
    if publish:
        school.course_publish(actor=SYSTEM, course=made)
    return made


def practice_course(world):
    """A published course whose only lesson is the typing practice (2 minutes required)."""
    from dangwu.school import services as school
    from dangwu.school.enums import CourseCategory, LessonKind

    made = school.course_create(
        actor=SYSTEM,
        title="打字练习课",
        category=CourseCategory.COMPUTER,
        organization=world.orgs["root"],
    )
    lesson = school.lesson_create(
        actor=SYSTEM,
        course=made,
        title="汉字输入练习",
        kind=LessonKind.PRACTICE,
        hours=Decimal("1.0"),
        required_minutes=2,
        body="<p>请到汉字输入练习页面练习。</p>",
    )
    school.course_publish(actor=SYSTEM, course=made)
    return made, lesson


def exam(world, title: str = "计算机基础测试", publish: bool = True, org=None):
    from dangwu.exams.models import Exam

    organization = org or world.orgs["root"]
    return Exam.objects.create(
        title=title,
        organization=organization,
        audience=organization,
        status="published" if publish else "draft",
    )


def complete_course(user, course) -> None:
    from dangwu.school.models import LessonProgress

    now = timezone.now()
    LessonProgress.objects.bulk_create(
        LessonProgress(user=user, lesson=lesson, seconds=600, completed_at=now)
        for lesson in course.lessons.all()
    )


def pass_exam(user, exam, passed: bool = True) -> None:
    from dangwu.exams.models import Attempt

    now = timezone.now()
    Attempt.objects.create(
        exam=exam,
        user=user,
        number=Attempt.objects.filter(exam=exam, user=user).count() + 1,
        status="submitted",
        started_at=now - timedelta(minutes=10),
        deadline=now + timedelta(minutes=20),
        submitted_at=now,
        total_points=5,
        score=5 if passed else 1,
        percent=100 if passed else 20,
        passed=passed,
    )


def plan(world, *, courses=(), exams=(), orgs=(), roles=(), users=(), publish=True, **extra):
    values = {
        "title": "2026年党务干部计算机技能培训",
        "organization": world.orgs["root"],
        "starts_on": timezone.localdate(),
        "due_on": timezone.localdate() + timedelta(days=30),
        **extra,
    }
    made = services.plan_create(
        actor=world.user("schooladmin"),
        courses=courses,
        exams=exams,
        target_organizations=orgs,
        target_roles=roles,
        target_users=users,
        **values,
    )
    if publish:
        made = services.plan_publish(actor=world.user("schooladmin"), plan=made)
    return made


def make_overdue(plan, days: int = 5) -> None:
    """Move a plan's dates into the past (the services refuse past due dates on purpose)."""
    from dangwu.training.models import TrainingPlan

    today = timezone.localdate()
    TrainingPlan.objects.filter(pk=plan.pk).update(
        starts_on=today - timedelta(days=days + 30), due_on=today - timedelta(days=days)
    )
    plan.refresh_from_db()


SECRETARIES = (Role.SECRETARY,)
