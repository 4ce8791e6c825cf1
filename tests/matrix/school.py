"""Access matrix cases of the school app (see tests/matrix/__init__.py).

Every business user studies published courses (pages, files, the heartbeat, their own record);
the three administrators see no Party content. Only the school administrator builds courses.
"""

from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile

from tests.matrix import BUSINESS, Case

MANAGERS = frozenset({"schooladmin"})
API = "/api/v1/school"
PNG = b"\x89PNG\r\n\x1a\n" + bytes(64)


class _Picture:
    """A picture the test client can send any number of times (the cases are shared)."""

    name = "幻灯片.png"

    def read(self, *args) -> bytes:
        from dangwu.portal.tests.files import png

        return png()


def _course(world, *, publish: bool = True, lessons: int = 1):
    from dangwu.school.tests.factories import course

    return course(world, publish=publish, lessons=lessons, title="矩阵课程")


def _lesson(world, *, publish: bool = True) -> int:
    return _course(world, publish=publish).lessons.get().pk


def _video(world) -> int:
    from dangwu.school import services
    from dangwu.school.tests.factories import video_lesson

    made = _course(world, publish=False, lessons=0)
    lesson = video_lesson(world, made)
    services.course_publish(actor=world.user("schooladmin"), course=made)
    return lesson.pk


def _slide(world) -> int:
    from dangwu.school import services

    made = _course(world, publish=False, lessons=0)
    lesson = services.lesson_create(
        actor=world.user("schooladmin"),
        course=made,
        title="幻灯片",
        kind="slides",
        hours=Decimal("1"),
        required_minutes=5,
        upload=SimpleUploadedFile("幻灯片.png", _Picture().read()),
    )
    services.course_publish(actor=world.user("schooladmin"), course=made)
    return lesson.slides.get().pk


def _second_lesson(world) -> int:
    return _course(world, publish=False, lessons=2).lessons.order_by("order").last().pk


def _new_course(world) -> dict:
    return {"title": "矩阵课程", "category": "theory", "organization": world.orgs["root"].pk}


def _lesson_form(world) -> dict:
    return {"title": "改过", "hours": "1", "required_minutes": "2", "body": "<p>正文</p>"}


CASES = [
    # ------------------------------------------------------------------ studying
    Case("school:home", "get", lambda w: "/school/", BUSINESS),
    Case("school:record", "get", lambda w: "/school/record/", BUSINESS),
    Case("school:course", "get", lambda w: f"/school/courses/{_course(w).pk}/", BUSINESS),
    Case(
        "school:course",
        "get",
        lambda w: f"/school/courses/{_course(w, publish=False).pk}/",
        MANAGERS,
    ),
    Case("school:lesson", "get", lambda w: f"/school/lessons/{_lesson(w)}/", BUSINESS),
    Case(
        "school:lesson", "get", lambda w: f"/school/lessons/{_lesson(w, publish=False)}/", MANAGERS
    ),
    Case("school:lesson_file", "get", lambda w: f"/school/lessons/{_video(w)}/file/", BUSINESS),
    Case("school:slide_file", "get", lambda w: f"/school/slides/{_slide(w)}/", BUSINESS),
    # ------------------------------------------------------------------ building courses
    Case("school:manage", "get", lambda w: "/school/manage/", MANAGERS),
    Case("school:course_create", "get", lambda w: "/school/manage/new/", MANAGERS),
    Case("school:course_create", "post", lambda w: "/school/manage/new/", MANAGERS, _new_course),
    Case("school:course_edit", "get", lambda w: f"/school/manage/{_course(w).pk}/", MANAGERS),
    Case(
        "school:course_edit",
        "post",
        lambda w: f"/school/manage/{_course(w, publish=False).pk}/",
        MANAGERS,
        {"title": "改过的课程", "category": "history"},
    ),
    Case(
        "school:course_publish",
        "post",
        lambda w: f"/school/manage/{_course(w, publish=False).pk}/publish/",
        MANAGERS,
    ),
    Case(
        "school:course_unpublish",
        "post",
        lambda w: f"/school/manage/{_course(w).pk}/unpublish/",
        MANAGERS,
    ),
    Case(
        "school:lesson_create",
        "get",
        lambda w: f"/school/manage/{_course(w, publish=False).pk}/lessons/new/?kind=text",
        MANAGERS,
    ),
    Case(
        "school:lesson_create",
        "post",
        lambda w: f"/school/manage/{_course(w, publish=False).pk}/lessons/new/?kind=text",
        MANAGERS,
        _lesson_form,
    ),
    Case(
        "school:lesson_edit",
        "get",
        lambda w: f"/school/manage/lessons/{_lesson(w)}/",
        MANAGERS,
    ),
    Case(
        "school:lesson_edit",
        "post",
        lambda w: f"/school/manage/lessons/{_lesson(w)}/",
        MANAGERS,
        _lesson_form,
    ),
    Case(
        "school:lesson_delete",
        "post",
        lambda w: f"/school/manage/lessons/{_second_lesson(w)}/delete/",
        MANAGERS,
    ),
    Case(
        "school:lesson_move",
        "post",
        lambda w: f"/school/manage/lessons/{_second_lesson(w)}/move/",
        MANAGERS,
        {"direction": "up"},
    ),
    Case(
        "school:slide_add",
        "post",
        lambda w: f"/school/manage/lessons/{_lesson_of_slide(w)}/slides/",
        MANAGERS,
        {"file": _Picture()},
    ),
    Case(
        "school:slide_remove",
        "post",
        lambda w: f"/school/manage/slides/{_slide(w)}/remove/",
        MANAGERS,
    ),
    # ------------------------------------------------------------------ API
    Case("api:school_course_list", "get", lambda w: f"{API}/courses", BUSINESS),
    Case("api:school_course_detail", "get", lambda w: f"{API}/courses/{_course(w).pk}", BUSINESS),
    Case(
        "api:school_course_detail",
        "get",
        lambda w: f"{API}/courses/{_course(w, publish=False).pk}",
        MANAGERS,
    ),
    Case("api:school_lesson_detail", "get", lambda w: f"{API}/lessons/{_lesson(w)}", BUSINESS),
    Case(
        "api:school_progress_report",
        "post",
        lambda w: f"{API}/lessons/{_lesson(w)}/progress",
        BUSINESS,
        {"token": "matrix", "seconds": 0},
    ),
    Case("api:school_my_hours", "get", lambda w: f"{API}/my/hours", BUSINESS),
    Case("api:school_my_progress", "get", lambda w: f"{API}/my/progress", BUSINESS),
]


def _lesson_of_slide(world) -> int:
    from dangwu.school.models import LessonSlide

    return LessonSlide.objects.get(pk=_slide(world)).lesson_id
