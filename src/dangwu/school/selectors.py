"""Reads of the online Party school, each with a fixed number of queries.

Learners see published courses (``school.study``); school administrators see the courses of
their subtree in any state (``school.manage``). A course or lesson the person may not see is
answered as missing.
"""

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from decimal import ROUND_DOWN, Decimal
from typing import Any

from django.db.models import Count, F, Q, QuerySet, Sum
from django.db.models.functions import Coalesce, ExtractYear
from django.utils import timezone
from django.utils.translation import gettext as _

from dangwu import access
from dangwu.core import hooks
from dangwu.core.errors import NotFound
from dangwu.school import conf
from dangwu.school import permissions as perms
from dangwu.school.enums import CourseCategory, CourseStatus
from dangwu.school.models import Course, Lesson, LessonProgress

ZERO = Decimal("0.0")


def _study_q(user: Any, prefix: str = "") -> Q:
    return Q(**{f"{prefix}status": CourseStatus.PUBLISHED}) & access.scope_q(
        user, perms.STUDY, f"{prefix}organization__path"
    )


def _manage_q(user: Any, prefix: str = "") -> Q:
    return access.scope_q(user, perms.MANAGE, f"{prefix}organization__path")


def courses_for_study(user: Any) -> QuerySet[Course]:
    """Return the published courses ``user`` may study."""
    return Course.objects.filter(_study_q(user))


def courses_managed(user: Any) -> QuerySet[Course]:
    """Return the courses ``user`` manages, in any state, with lesson count and 学时."""
    return (
        Course.objects.filter(_manage_q(user))
        .select_related("organization")
        .annotate(lesson_count=Count("lessons"), total_hours=Sum("lessons__hours"))
        .order_by("category", "title", "id")
    )


def course_access(*, user: Any, pk: int) -> Course:
    """Fetch a course ``user`` may study (published) or manage, or the same NotFound."""
    course = (
        Course.objects.filter(_study_q(user) | _manage_q(user), pk=pk)
        .select_related("organization")
        .first()
    )
    if course is None:
        raise NotFound(_("This course does not exist, or you may not see it."))
    return course


def course_manage_access(*, user: Any, pk: int) -> Course:
    """Fetch a course ``user`` manages, or NotFound (learners get the same answer)."""
    course = Course.objects.filter(_manage_q(user), pk=pk).select_related("organization").first()
    if course is None:
        raise NotFound(_("This course does not exist, or you may not see it."))
    return course


def lesson_access(*, user: Any, pk: int) -> Lesson:
    """Fetch a lesson of a course ``user`` may study or manage, with its course, or NotFound."""
    lesson = (
        Lesson.objects.filter(_study_q(user, "course__") | _manage_q(user, "course__"), pk=pk)
        .select_related("course", "course__organization")
        .first()
    )
    if lesson is None:
        raise NotFound(_("This lesson does not exist, or you may not see it."))
    return lesson


def lesson_for_study(*, user: Any, pk: int) -> Lesson:
    """Fetch a lesson of a published course ``user`` may study (for reporting progress)."""
    lesson = (
        Lesson.objects.filter(_study_q(user, "course__"), pk=pk)
        .select_related("course", "course__organization")
        .first()
    )
    if lesson is None:
        raise NotFound(_("This lesson does not exist, or you may not see it."))
    return lesson


def lesson_manage_access(*, user: Any, pk: int) -> Lesson:
    """Fetch a lesson of a course ``user`` manages, or NotFound."""
    lesson = (
        Lesson.objects.filter(_manage_q(user, "course__"), pk=pk)
        .select_related("course", "course__organization")
        .first()
    )
    if lesson is None:
        raise NotFound(_("This lesson does not exist, or you may not see it."))
    return lesson


# ------------------------------------------------------------------------- the contract


def courses_completed(
    *, user_ids: Iterable[int], course_ids: Iterable[int]
) -> set[tuple[int, int]]:
    """Return the (user id, course id) pairs where the user completed every lesson.

    A course without lessons is never completed. Two queries, whatever the numbers.
    """
    users, courses = list(set(user_ids)), list(set(course_ids))
    if not users or not courses:
        return set()
    totals = dict(
        Lesson.objects.filter(course_id__in=courses)
        .values_list("course_id")
        .annotate(n=Count("id"))
        .values_list("course_id", "n")
    )
    done = (
        LessonProgress.objects.filter(
            user_id__in=users, lesson__course_id__in=courses, completed_at__isnull=False
        )
        .values_list("user_id", "lesson__course_id")
        .annotate(n=Count("id"))
        .values_list("user_id", "lesson__course_id", "n")
    )
    return {(user, course) for user, course, n in done if n and n >= totals.get(course, 0) > 0}


def _year_bounds(year: int) -> tuple[datetime, datetime]:
    tz = timezone.get_default_timezone()  # Asia/Shanghai
    return datetime(year, 1, 1, tzinfo=tz), datetime(year + 1, 1, 1, tzinfo=tz)


@dataclass(frozen=True)
class StudyTimeSource:
    """Study outside lessons that counts toward 学时 (reading the classics, say).

    ``seconds(user_ids=..., years=...)`` returns the seconds per (user id, year), ``years``
    None meaning every year, in a fixed number of queries. Apps register one under
    :data:`STUDY_TIME_SOURCES`; every ``conf.minutes_per_study_hour()`` minutes make one 学时.
    """

    label: Any  # what the study was, shown beside the hours (usually gettext_lazy)
    seconds: Callable[..., dict[tuple[int, int], int]]


STUDY_TIME_SOURCES = "school.study_time_sources"
# Entries of the school's home page that other apps add (exams, training plans, typing
# practice): ``hooks.MenuItem`` providers, drawn with ``hooks.menu_for(user, SCHOOL_LINKS)``.
# They live there rather than in the main menu, which stays short for occasional users.
SCHOOL_LINKS = "school.links"


def _as_hours(seconds: int) -> Decimal:
    hours = Decimal(seconds) / (60 * conf.minutes_per_study_hour())
    return hours.quantize(Decimal("0.1"), rounding=ROUND_DOWN)


def other_study(
    *, user_ids: Iterable[int], years: Iterable[int] | None = None
) -> dict[tuple[int, int], Decimal]:
    """Return the 学时 per (user id, year) from study outside lessons (one query a source)."""
    users = list(set(user_ids))
    wanted = None if years is None else list(years)
    seconds: dict[tuple[int, int], int] = defaultdict(int)
    for source in hooks.get_hooks(STUDY_TIME_SOURCES):
        for key, value in source().seconds(user_ids=users, years=wanted).items():
            seconds[key] += value
    return {key: _as_hours(value) for key, value in seconds.items()}


def study_hours(*, user_ids: Iterable[int], year: int) -> dict[int, Decimal]:
    """Return each user's 学时 in ``year`` (Asia/Shanghai): lessons completed that year plus
    study outside lessons (:func:`other_study`); one query plus one a study time source.

    Users without any hours that year are given ``0.0``.
    """
    users = list(set(user_ids))
    start, end = _year_bounds(year)
    rows = (
        LessonProgress.objects.filter(
            user_id__in=users, completed_at__gte=start, completed_at__lt=end
        )
        .values_list("user_id")
        .annotate(total=Sum("hours"))
        .values_list("user_id", "total")
    )
    hours = {user: ZERO for user in users}
    hours.update({user: Decimal(total or 0) for user, total in rows})
    for (user, _year), extra in other_study(user_ids=users, years=[year]).items():
        hours[user] += extra
    return hours


# ------------------------------------------------------------------------- pages


def prerequisites_missing(*, user: Any, course: Course) -> list[Course]:
    """Return the prerequisites of ``course`` that ``user`` has not completed (three queries)."""
    required = list(course.prerequisites.only("id", "title", "status").order_by("title", "id"))
    if not required:
        return []
    done = courses_completed(user_ids=[user.pk], course_ids=[c.pk for c in required])
    return [c for c in required if (user.pk, c.pk) not in done]


@dataclass
class CatalogueCourse:
    course: Course
    lesson_count: int
    total_hours: Decimal
    completed: int
    studied: int = 0  # lessons with any study time, completed or not

    @property
    def finished(self) -> bool:
        return self.lesson_count > 0 and self.completed >= self.lesson_count

    @property
    def started(self) -> bool:
        return self.studied > 0


def catalogue(user: Any) -> list[tuple[str, list[CatalogueCourse]]]:
    """Return the published courses by category, with the person's completed lessons (2 queries)."""
    courses = list(
        courses_for_study(user)
        .annotate(lesson_count=Count("lessons"), total_hours=Sum("lessons__hours"))
        .only("id", "title", "category", "description")
        .order_by("category", "title", "id")
    )
    progress = {
        course_id: (completed, studied)
        for course_id, completed, studied in LessonProgress.objects.filter(
            user_id=user.pk, lesson__course_id__in=[c.pk for c in courses]
        )
        .values_list("lesson__course_id")
        .annotate(done=Count("id", filter=Q(completed_at__isnull=False)), studied=Count("id"))
        .values_list("lesson__course_id", "done", "studied")
    }
    by_category: dict[str, list[CatalogueCourse]] = {}
    for course in courses:
        item = CatalogueCourse(
            course=course,
            lesson_count=course.lesson_count,  # annotated
            total_hours=course.total_hours or ZERO,  # annotated
            completed=progress.get(course.pk, (0, 0))[0],
            studied=progress.get(course.pk, (0, 0))[1],
        )
        by_category.setdefault(course.category, []).append(item)
    return [
        (str(label), by_category[value])
        for value, label in CourseCategory.choices
        if value in by_category
    ]


def continue_lesson(user: Any) -> LessonProgress | None:
    """Return the person's most recently studied lesson not yet completed (one query)."""
    return (
        LessonProgress.objects.filter(
            _study_q(user, "lesson__course__"), user_id=user.pk, completed_at__isnull=True
        )
        .select_related("lesson", "lesson__course")
        .order_by(F("last_beat_at").desc(nulls_last=True), "-started_at", "-id")
        .first()
    )


def course_lessons(*, user: Any, course: Course) -> list[tuple[Lesson, LessonProgress | None]]:
    """Return the course's lessons in order with the person's progress on each (two queries)."""
    lessons = list(course.lessons.defer("body").order_by("order", "id"))
    progress = {
        p.lesson_id: p
        for p in LessonProgress.objects.filter(
            user_id=user.pk, lesson_id__in=[lesson.pk for lesson in lessons]
        )
    }
    return [(lesson, progress.get(lesson.pk)) for lesson in lessons]


def progress_of(*, user: Any, lesson: Lesson) -> LessonProgress | None:
    """Return the person's progress on ``lesson``, if any (one query)."""
    return LessonProgress.objects.filter(user_id=user.pk, lesson_id=lesson.pk).first()


def neighbours(lesson: Lesson) -> tuple[Lesson | None, Lesson | None]:
    """Return the lessons before and after ``lesson`` in its course (one query)."""
    lessons = list(
        Lesson.objects.filter(course_id=lesson.course_id)
        .only("id", "title", "order")
        .order_by("order", "id")
    )
    index = next(i for i, item in enumerate(lessons) if item.pk == lesson.pk)
    before = lessons[index - 1] if index > 0 else None
    after = lessons[index + 1] if index + 1 < len(lessons) else None
    return before, after


@dataclass
class YearHours:
    year: int
    lesson_hours: Decimal
    lessons: int
    other_hours: Decimal = ZERO

    @property
    def hours(self) -> Decimal:
        return self.lesson_hours + self.other_hours


def hours_by_year(user: Any) -> list[YearHours]:
    """Return the person's 学时 per year (Asia/Shanghai), latest first: from lessons (and how
    many were completed) and from study outside lessons."""
    rows = (
        LessonProgress.objects.filter(user_id=user.pk, completed_at__isnull=False)
        .annotate(year=ExtractYear("completed_at"))
        .values("year")
        .annotate(hours=Sum("hours"), lessons=Count("id"))
        .order_by("-year")
    )
    years = {r["year"]: YearHours(r["year"], Decimal(r["hours"] or 0), r["lessons"]) for r in rows}
    for (_user, year), extra in other_study(user_ids=[user.pk]).items():
        years.setdefault(year, YearHours(year, ZERO, 0)).other_hours = extra
    return sorted(years.values(), key=lambda y: -y.year)


def lessons_completed(user: Any, *, limit: int = 200) -> list[LessonProgress]:
    """Return the person's completed lessons, latest first, with lesson and course (one query)."""
    return list(
        LessonProgress.objects.filter(user_id=user.pk, completed_at__isnull=False)
        .select_related("lesson", "lesson__course")
        .defer("lesson__body", "lesson__course__description")
        .order_by("-completed_at", "-id")[:limit]
    )


def seconds_studied(user: Any) -> int:
    """Return all the seconds the person has been credited, completed or not (one query)."""
    total = LessonProgress.objects.filter(user_id=user.pk).aggregate(s=Coalesce(Sum("seconds"), 0))[
        "s"
    ]
    return int(total)
