"""API of the online Party school: courses, lessons, study progress and study hours.

The same selectors, services and policy as the pages. Learners see published courses; a
course or lesson the caller may not see is answered as missing (404). Study time is reported
with the heartbeat (``POST /school/lessons/{id}/progress``) carrying the lesson's ``beat_token``
from ``GET /school/lessons/{id}``: the server credits at most the real time elapsed since the
previous report and refuses (400, nothing counted) a report claiming more.
"""

from datetime import datetime
from decimal import Decimal
from typing import Any

from django.db.models import Count, F, Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate

from dangwu import access
from dangwu.api.pagination import Pages
from dangwu.api.schemas import NO_NUL, ErrorOut, ObjectId, ValidationErrorOut
from dangwu.api.security import ApiRequest
from dangwu.core.errors import NotFound
from dangwu.school import conf, selectors, services
from dangwu.school import permissions as perms
from dangwu.school.enums import YEARLY_HOURS_REQUIRED, CourseCategory, CourseStatus, LessonKind
from dangwu.school.models import LessonProgress

router = Router(tags=["school"])

_ERRORS: dict[int, Any] = {
    400: ErrorOut,
    401: ErrorOut,
    403: ErrorOut,
    404: ErrorOut,
    422: ValidationErrorOut,
}


# ---------------------------------------------------------------------------------- schemas


class CourseBase(Schema):
    id: int
    title: str
    category: CourseCategory
    category_label: str
    description: str
    status: CourseStatus
    organization_id: int | None
    lesson_count: int
    total_hours: Decimal = Field(..., description="学时 of all its lessons")


class CourseOut(CourseBase):
    @staticmethod
    def resolve_category_label(obj: Any) -> str:
        return str(obj.get_category_display())

    @staticmethod
    def resolve_total_hours(obj: Any) -> Decimal:
        return Decimal(getattr(obj, "total_hours", None) or 0)


class LessonOut(Schema):
    id: int
    order: int
    title: str
    kind: LessonKind
    hours: Decimal
    required_minutes: int
    seconds: int = Field(..., description="Seconds of study credited to me")
    completed_at: datetime | None


class PrerequisiteOut(Schema):
    id: int
    title: str
    completed: bool


class CourseDetailOut(CourseBase):
    lessons: list[LessonOut]
    prerequisites: list[PrerequisiteOut]
    may_start: bool = Field(..., description="False while a prerequisite is not completed")


class ProgressOut(Schema):
    lesson_id: int
    seconds: int
    required_seconds: int
    position: int = Field(..., description="Video watched without skipping, in seconds")
    completed: bool
    completed_at: datetime | None
    hours: Decimal = Field(..., description="学时 credited (0 until completed)")


class LessonDetailOut(Schema):
    id: int
    course_id: int
    order: int
    title: str
    kind: LessonKind
    hours: Decimal
    required_minutes: int
    body: str = Field(..., description="Sanitized HTML")
    file_url: str | None = Field(..., description="PDF, video or slides; serves byte ranges")
    file_name: str
    content_type: str
    duration_seconds: int | None = Field(..., description="A video's length, read from the file")
    slide_urls: list[str]
    progress: ProgressOut | None
    beat_token: str | None = Field(
        ..., description="Send it with each progress report; null when nothing is to report"
    )
    heartbeat_seconds: int
    active_window_seconds: int


class BeatIn(Schema):
    token: str = Field(..., min_length=1, max_length=500, pattern=NO_NUL)
    seconds: int = Field(
        ..., ge=0, le=86400, description="Seconds of active study since the previous report"
    )
    position: int | None = Field(
        None, ge=0, le=86400, description="Video: seconds watched without skipping"
    )


class BeatOut(ProgressOut):
    credited: int = Field(..., description="Seconds this report added")
    completed_now: bool


class YearOut(Schema):
    year: int
    hours: Decimal
    lessons: int


class HoursOut(Schema):
    year: int
    hours: Decimal = Field(..., description="学时 completed this year (Asia/Shanghai)")
    required: int = Field(..., description="学时 required a year")
    years: list[YearOut]


class MyProgressOut(Schema):
    lesson_id: int
    lesson_title: str
    course_id: int
    course_title: str
    seconds: int
    completed_at: datetime | None
    hours: Decimal
    last_beat_at: datetime | None

    @staticmethod
    def resolve_lesson_title(obj: Any) -> str:
        return str(obj.lesson.title)

    @staticmethod
    def resolve_course_id(obj: Any) -> int:
        return int(obj.lesson.course_id)

    @staticmethod
    def resolve_course_title(obj: Any) -> str:
        return str(obj.lesson.course.title)


class CourseFilters(Schema):
    category: CourseCategory | None = None


class HoursFilters(Schema):
    year: int | None = Field(None, ge=2000, le=2100, description="Default: this year")


# ---------------------------------------------------------------------------------- helpers


def _require_study(request: ApiRequest) -> None:
    if not access.can(request.auth, perms.STUDY):
        raise NotFound(_("This page does not exist, or you may not see it."))


def _progress(progress: LessonProgress | None, lesson: Any) -> dict[str, Any] | None:
    if progress is None:
        return None
    return {
        "lesson_id": lesson.pk,
        "seconds": progress.seconds,
        "required_seconds": lesson.required_seconds,
        "position": progress.position,
        "completed": progress.completed_at is not None,
        "completed_at": progress.completed_at,
        "hours": progress.hours,
    }


# ---------------------------------------------------------------------------------- courses


@router.get(
    "/school/courses",
    response={200: list[CourseOut], **_ERRORS},
    summary="List the published courses I may study, by category and title",
)
@paginate(Pages)
def school_course_list(request: ApiRequest, filters: Query[CourseFilters]) -> Any:
    access.require(request.auth, perms.STUDY)
    courses = selectors.courses_for_study(request.auth)
    if filters.category:
        courses = courses.filter(category=filters.category)
    return courses.annotate(
        lesson_count=Count("lessons"), total_hours=Sum("lessons__hours")
    ).order_by("category", "title", "id")


@router.get(
    "/school/courses/{course_id}",
    response={200: CourseDetailOut, **_ERRORS},
    summary="One course with its lessons (and my progress on each) and its prerequisites",
)
def school_course_detail(request: ApiRequest, course_id: ObjectId) -> Any:
    course = selectors.course_access(user=request.auth, pk=course_id)
    lessons = selectors.course_lessons(user=request.auth, course=course)
    missing = {c.pk for c in selectors.prerequisites_missing(user=request.auth, course=course)}
    return {
        "id": course.pk,
        "title": course.title,
        "category": course.category,
        "category_label": str(course.get_category_display()),
        "description": course.description,
        "status": course.status,
        "organization_id": course.organization_id,
        "lesson_count": len(lessons),
        "total_hours": sum((lesson.hours for lesson, _p in lessons), Decimal("0.0")),
        "lessons": [
            {
                "id": lesson.pk,
                "order": lesson.order,
                "title": lesson.title,
                "kind": lesson.kind,
                "hours": lesson.hours,
                "required_minutes": lesson.required_minutes,
                "seconds": progress.seconds if progress else 0,
                "completed_at": progress.completed_at if progress else None,
            }
            for lesson, progress in lessons
        ],
        "prerequisites": [
            {"id": p.pk, "title": p.title, "completed": p.pk not in missing}
            for p in course.prerequisites.order_by("title", "id")
        ],
        "may_start": not missing,
    }


# ---------------------------------------------------------------------------------- lessons


@router.get(
    "/school/lessons/{lesson_id}",
    response={200: LessonDetailOut, **_ERRORS},
    summary="One lesson: its content, my progress, and the token to report study time with",
)
def school_lesson_detail(request: ApiRequest, lesson_id: ObjectId) -> Any:
    """Answered 400 while a prerequisite of the course is not completed (its content is kept)."""
    user = request.auth
    lesson = selectors.lesson_access(user=user, pk=lesson_id)
    published = lesson.course.status == CourseStatus.PUBLISHED
    studying = published and access.can(user, perms.STUDY)
    if studying:
        services.require_startable(user=user, course=lesson.course)
    progress = selectors.progress_of(user=user, lesson=lesson) if studying else None
    reports = (
        studying
        and lesson.kind != LessonKind.PRACTICE
        and (progress is None or progress.completed_at is None)
    )
    return {
        "id": lesson.pk,
        "course_id": lesson.course_id,
        "order": lesson.order,
        "title": lesson.title,
        "kind": lesson.kind,
        "hours": lesson.hours,
        "required_minutes": lesson.required_minutes,
        "body": lesson.body,
        "file_url": reverse("school:lesson_file", args=[lesson.pk]) if lesson.file else None,
        "file_name": lesson.original_name,
        "content_type": lesson.content_type,
        "duration_seconds": lesson.duration_seconds,
        "slide_urls": [reverse("school:slide_file", args=[s.pk]) for s in lesson.slides.all()],
        "progress": _progress(progress, lesson),
        "beat_token": services.beat_token(user=user, lesson=lesson) if reports else None,
        "heartbeat_seconds": conf.heartbeat_seconds(),
        "active_window_seconds": conf.active_window_seconds(),
    }


@router.post(
    "/school/lessons/{lesson_id}/progress",
    response={200: BeatOut, **_ERRORS},
    summary="Report study time on a lesson (the heartbeat, about once a minute)",
)
def school_progress_report(request: ApiRequest, lesson_id: ObjectId, payload: BeatIn) -> Any:
    """Credit at most the real time elapsed since the previous report.

    A report of 0 seconds without a position counts nothing and only answers the progress.
    400, nothing counted: more seconds than elapsed (forged), a video position advancing faster
    than real time, time overlapping a report on another lesson, an invalid or stale token, a
    prerequisite not completed. 404: the lesson is not in a published course I may study.
    """
    lesson = selectors.lesson_for_study(user=request.auth, pk=lesson_id)
    result = services.progress_report(
        actor=request.auth,
        lesson=lesson,
        seconds=payload.seconds,
        token=payload.token,
        position=payload.position,
    )
    body = _progress(result.progress, lesson) or {}
    return {**body, "credited": result.credited, "completed_now": result.completed_now}


# ---------------------------------------------------------------------------------- mine


@router.get(
    "/school/my/hours",
    response={200: HoursOut, **_ERRORS},
    summary="My study hours (学时) in a year against the yearly requirement, and per year",
)
def school_my_hours(request: ApiRequest, filters: Query[HoursFilters]) -> Any:
    _require_study(request)
    user = request.auth
    year = filters.year or timezone.localdate().year
    return {
        "year": year,
        "hours": selectors.study_hours(user_ids=[user.pk], year=year)[user.pk],
        "required": YEARLY_HOURS_REQUIRED,
        "years": [
            {"year": y.year, "hours": y.hours, "lessons": y.lessons}
            for y in selectors.hours_by_year(user)
        ],
    }


@router.get(
    "/school/my/progress",
    response={200: list[MyProgressOut], **_ERRORS},
    summary="My progress on every lesson I have started, last studied first",
)
@paginate(Pages)
def school_my_progress(request: ApiRequest) -> Any:
    _require_study(request)
    return (
        LessonProgress.objects.filter(user_id=request.auth.pk)
        .select_related("lesson", "lesson__course")
        .defer("lesson__body", "lesson__course__description")
        .order_by(F("last_beat_at").desc(nulls_last=True), "-started_at", "-id")
    )
