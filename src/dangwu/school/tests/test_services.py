from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from dangwu.access import SYSTEM
from dangwu.audit.models import AuditRecord
from dangwu.core.errors import DomainError, Forbidden, NotFound, ValidationFailed
from dangwu.school import services
from dangwu.school.enums import CourseStatus, LessonKind
from dangwu.school.models import Course, Lesson, LessonProgress
from dangwu.school.tests.factories import (
    TEXT,
    WEBM,
    course,
    mp4_bytes,
    pdf,
    png,
    text_lesson,
    video_lesson,
    webm,
)


def zh(msgid: str) -> str:
    with translation.override("zh-hans"):
        return translation.gettext(msgid)


def beat(world, lesson, seconds, *, persona="member", token=None, position=None):
    user = world.user(persona)
    return services.progress_report(
        actor=user,
        lesson=lesson,
        seconds=seconds,
        token=token or services.beat_token(user=user, lesson=lesson),
        position=position,
    )


# ------------------------------------------------------------------------- courses


def test_school_administrator_creates_a_draft_course(world):
    made = course(world, publish=False, lessons=0, description="逐章学习")
    assert made.status == CourseStatus.DRAFT
    assert made.organization == world.orgs["root"]
    assert made.created_by == world.user("schooladmin")
    assert AuditRecord.objects.filter(action="school.course_created").count() == 1


@pytest.mark.parametrize("persona", ["member", "secretary", "leader", "sysadmin"])
def test_only_a_school_administrator_creates_courses(world, persona):
    with pytest.raises(Forbidden):
        services.course_create(
            actor=world.user(persona),
            title="课程",
            category="theory",
            organization=world.orgs["root"],
        )
    assert Course.objects.count() == 0


def test_a_course_needs_a_title_and_a_known_category(world):
    admin, root = world.user("schooladmin"), world.orgs["root"]
    with pytest.raises(ValidationFailed) as error:
        services.course_create(actor=admin, title="  ", category="theory", organization=root)
    assert error.value.errors[0][0] == "title"
    with pytest.raises(ValidationFailed) as error:
        services.course_create(actor=admin, title="课", category="cooking", organization=root)
    assert error.value.errors[0][0] == "category"
    assert Course.objects.count() == 0


def test_a_classified_course_title_is_refused(world):
    with pytest.raises(ValidationFailed):
        services.course_create(
            actor=world.user("schooladmin"),
            title="机密★ 内部课程",
            category="theory",
            organization=world.orgs["root"],
        )
    assert Course.objects.count() == 0


def test_a_course_without_lessons_cannot_be_published(world):
    made = course(world, publish=False, lessons=0)
    with pytest.raises(DomainError) as error:
        services.course_publish(actor=world.user("schooladmin"), course=made)
    assert error.value.message == zh("Add at least one lesson before publishing the course.")
    made.refresh_from_db()
    assert made.status == CourseStatus.DRAFT


def test_a_course_cannot_be_published_before_its_prerequisites(world):
    first = course(world, publish=False, title="党章学习")
    second = course(world, publish=False, title="党史", prerequisites=[first])
    with pytest.raises(DomainError) as error:
        services.course_publish(actor=world.user("schooladmin"), course=second)
    assert "《党章学习》" in error.value.message


def test_a_course_required_by_a_published_course_cannot_be_withdrawn(world):
    first = course(world, title="党章学习")
    course(world, title="党史", prerequisites=[first])
    with pytest.raises(DomainError) as error:
        services.course_unpublish(actor=world.user("schooladmin"), course=first)
    assert "《党史》" in error.value.message
    first.refresh_from_db()
    assert first.status == CourseStatus.PUBLISHED


def test_prerequisites_cannot_make_a_circle(world):
    first = course(world, publish=False, title="甲")
    second = course(world, publish=False, title="乙", prerequisites=[first])
    with pytest.raises(ValidationFailed) as error:
        services.course_update(
            actor=world.user("schooladmin"),
            course=first,
            title="甲",
            category="theory",
            prerequisites=[second],
        )
    assert error.value.errors[0][0] == "prerequisites"
    assert list(first.prerequisites.all()) == []


def test_a_course_cannot_require_itself(world):
    first = course(world, publish=False)
    with pytest.raises(ValidationFailed):
        services.course_update(
            actor=world.user("schooladmin"),
            course=first,
            title="甲",
            category="theory",
            prerequisites=[first],
        )


def test_a_secretary_cannot_change_a_course(world):
    made = course(world)
    with pytest.raises(Forbidden):
        services.course_update(
            actor=world.user("secretary"), course=made, title="改", category="theory"
        )
    made.refresh_from_db()
    assert made.title == "党章学习"


# ------------------------------------------------------------------------- lessons


def test_lessons_are_added_at_the_end_in_order(world):
    made = course(world, publish=False, lessons=3)
    assert list(made.lessons.values_list("title", "order")) == [
        ("第1课", 1),
        ("第2课", 2),
        ("第3课", 3),
    ]


def test_a_text_lesson_is_sanitized(world):
    made = course(world, publish=False, lessons=0)
    lesson = text_lesson(world, made, body='<p onclick="x()">正文</p><script>alert(1)</script>')
    assert lesson.body == "<p>正文</p>"


@pytest.mark.parametrize(
    ("values", "field"),
    [
        ({"title": ""}, "title"),
        ({"kind": "game"}, "kind"),
        ({"hours": "0"}, "hours"),
        ({"hours": "41"}, "hours"),
        ({"hours": "很多"}, "hours"),
        ({"required_minutes": 0}, "required_minutes"),
        ({"required_minutes": 601}, "required_minutes"),
        ({"body": "<p> </p>"}, "body"),
        ({"body": "<p>本文件为绝密★启用前</p>"}, "body"),
        ({"upload": "pdf"}, "file"),
    ],
)
def test_a_bad_lesson_is_refused_and_nothing_is_saved(world, values, field):
    made = course(world, publish=False, lessons=0)
    arguments = {
        "title": "总纲",
        "kind": LessonKind.TEXT,
        "hours": "1",
        "required_minutes": 10,
        "body": TEXT,
        **values,
    }
    if arguments.get("upload") == "pdf":
        arguments["upload"] = pdf()
    with pytest.raises(ValidationFailed) as error:
        services.lesson_create(actor=world.user("schooladmin"), course=made, **arguments)
    assert error.value.errors[0][0] == field
    assert Lesson.objects.count() == 0


def test_a_video_lesson_reads_the_length_of_the_video(world):
    made = course(world, publish=False, lessons=0)
    lesson = video_lesson(world, made)
    assert lesson.content_type == "video/webm"
    assert lesson.duration_seconds == 3
    assert lesson.original_name == "示例视频.webm"
    assert lesson.file.read() == webm().read()


def test_an_mp4_video_is_accepted_with_its_length(world):
    made = course(world, publish=False, lessons=0)
    upload = SimpleUploadedFile("讲座.mp4", mp4_bytes(seconds=125), "video/mp4")
    lesson = video_lesson(world, made, upload=upload)
    assert (lesson.content_type, lesson.duration_seconds) == ("video/mp4", 125)


@pytest.mark.parametrize(
    "upload",
    [
        SimpleUploadedFile("讲座.mp4", b"%PDF-1.4 not a video", "video/mp4"),
        SimpleUploadedFile("讲座.mp4", b"", "video/mp4"),
        SimpleUploadedFile("讲座.mp4", WEBM, "video/mp4"),
        SimpleUploadedFile("讲座<b>.webm", b"\x1a\x45\xdf\xa3webm", "video/webm"),
    ],
    ids=["pdf-renamed", "empty", "webm-named-mp4", "markup-in-name"],
)
def test_a_file_that_is_not_a_playable_video_is_refused(world, upload):
    made = course(world, publish=False, lessons=0)
    with pytest.raises(ValidationFailed):
        video_lesson(world, made, upload=upload)
    assert Lesson.objects.count() == 0


def test_a_video_larger_than_the_limit_is_refused(world, settings):
    settings.SCHOOL_VIDEO_MAX_BYTES = 100
    made = course(world, publish=False, lessons=0)
    with pytest.raises(ValidationFailed):
        video_lesson(world, made)


def test_a_pdf_lesson_takes_a_pdf_and_refuses_a_picture(world):
    made = course(world, publish=False, lessons=0)
    admin = world.user("schooladmin")
    lesson = services.lesson_create(
        actor=admin,
        course=made,
        title="课件",
        kind=LessonKind.PDF,
        hours="1",
        required_minutes=5,
        upload=pdf(),
    )
    assert lesson.content_type == "application/pdf"
    with pytest.raises(ValidationFailed):
        services.lesson_create(
            actor=admin,
            course=made,
            title="图",
            kind=LessonKind.PDF,
            hours="1",
            required_minutes=5,
            upload=png("图.png"),
        )


def test_a_slides_lesson_may_be_made_of_pictures(world):
    made = course(world, publish=False, lessons=0)
    admin = world.user("schooladmin")
    lesson = services.lesson_create(
        actor=admin,
        course=made,
        title="幻灯片",
        kind=LessonKind.SLIDES,
        hours="1",
        required_minutes=5,
        upload=png("第一张.png"),
    )
    services.lesson_slide_add(actor=admin, lesson=lesson, upload=png("第二张.png"))
    assert list(lesson.slides.values_list("original_name", "order")) == [
        ("第一张.png", 1),
        ("第二张.png", 2),
    ]
    services.course_publish(actor=admin, course=made)


def test_a_slides_lesson_without_slides_keeps_the_course_from_publishing(world):
    made = course(world, publish=False, lessons=0)
    admin = world.user("schooladmin")
    services.lesson_create(
        actor=admin, course=made, title="幻灯片", kind="slides", hours="1", required_minutes=5
    )
    with pytest.raises(DomainError):
        services.course_publish(actor=admin, course=made)


def test_lessons_move_up_and_down(world):
    made = course(world, publish=False, lessons=3)
    third = made.lessons.get(title="第3课")
    services.lesson_move(actor=world.user("schooladmin"), lesson=third, direction="up")
    assert list(made.lessons.order_by("order").values_list("title", flat=True)) == [
        "第1课",
        "第3课",
        "第2课",
    ]
    first = made.lessons.get(title="第1课")
    with pytest.raises(DomainError):
        services.lesson_move(actor=world.user("schooladmin"), lesson=first, direction="up")


def test_a_lesson_nobody_studied_can_be_deleted(world):
    made = course(world, publish=False, lessons=2)
    services.lesson_delete(actor=world.user("schooladmin"), lesson=made.lessons.first())
    assert made.lessons.count() == 1


def test_a_studied_lesson_cannot_be_deleted(world):
    made = course(world)
    lesson = made.lessons.get()
    services.lesson_time_credit(actor=world.user("member"), lesson=lesson, seconds=30)
    with pytest.raises(DomainError):
        services.lesson_delete(actor=world.user("schooladmin"), lesson=lesson)
    assert Lesson.objects.filter(pk=lesson.pk).exists()


def test_a_member_cannot_add_or_delete_lessons(world):
    made = course(world, publish=False)
    with pytest.raises(Forbidden):
        services.lesson_create(
            actor=world.user("member"),
            course=made,
            title="课",
            kind="text",
            hours="1",
            required_minutes=1,
            body=TEXT,
        )
    with pytest.raises(Forbidden):
        services.lesson_delete(actor=world.user("member"), lesson=made.lessons.get())


def test_changing_a_lessons_hours_does_not_rewrite_hours_already_credited(world):
    made = course(world)
    lesson = made.lessons.get()
    services.lesson_time_credit(actor=world.user("member"), lesson=lesson, seconds=60)
    services.lesson_update(
        actor=world.user("schooladmin"),
        lesson=lesson,
        title=lesson.title,
        hours="3",
        required_minutes=1,
        body=TEXT,
    )
    assert LessonProgress.objects.get().hours == Decimal("1.0")


# ------------------------------------------------------------------------- the heartbeat


def test_a_report_credits_the_time_elapsed_since_the_page_was_served(world, clock):
    lesson = course(world).lessons.get()
    token = services.beat_token(user=world.user("member"), lesson=lesson)
    clock.advance(40)
    result = beat(world, lesson, 40, token=token)
    assert result.credited == 40
    progress = LessonProgress.objects.get()
    assert (progress.seconds, progress.completed_at) == (40, None)
    assert progress.last_beat_at == clock.now


def test_the_next_report_is_measured_from_the_previous_one(world, clock):
    lesson = course(world).lessons.get()
    token = services.beat_token(user=world.user("member"), lesson=lesson)
    clock.advance(30)
    beat(world, lesson, 30, token=token)
    clock.advance(20)
    with pytest.raises(DomainError):
        beat(world, lesson, 30, token=token)  # 30 claimed, 20 elapsed since the last report
    assert LessonProgress.objects.get().seconds == 30
    beat(world, lesson, 20, token=token)
    assert LessonProgress.objects.get().seconds == 50


def test_a_forged_report_claiming_more_than_elapsed_is_refused_and_recorded(world, clock):
    lesson = course(world).lessons.get()
    token = services.beat_token(user=world.user("member"), lesson=lesson)
    clock.advance(10)
    with pytest.raises(DomainError) as error:
        beat(world, lesson, 60, token=token)
    with translation.override("zh-hans"):
        expected = translation.gettext(
            "This report claims %(claimed)d seconds of study, but only %(elapsed)d seconds "
            "have passed since the last one. Nothing is counted."
        ) % {"claimed": 60, "elapsed": 10}
    assert error.value.message == expected
    assert LessonProgress.objects.count() == 0
    refusal = AuditRecord.objects.get(action="school.progress_refused")
    assert refusal.success is False


def test_a_report_within_the_network_tolerance_credits_only_the_time_elapsed(world, clock):
    lesson = course(world).lessons.get()
    token = services.beat_token(user=world.user("member"), lesson=lesson)
    clock.advance(59)
    assert beat(world, lesson, 60, token=token).credited == 59


@pytest.mark.parametrize("seconds", [-1, 601, 10**9, 1.5, True])
def test_absurd_seconds_are_refused(world, clock, seconds):
    lesson = course(world).lessons.get()
    clock.advance(3600)
    with pytest.raises(DomainError):
        beat(world, lesson, seconds)
    assert LessonProgress.objects.count() == 0


def test_a_token_of_another_person_or_lesson_or_a_made_up_one_is_refused(world, clock):
    made = course(world, lessons=2)
    first, second = made.lessons.order_by("order")
    others = services.beat_token(user=world.user("secretary"), lesson=first)
    other_lesson = services.beat_token(user=world.user("member"), lesson=second)
    clock.advance(60)
    for token in (others, other_lesson, "made-up", others[:-2] + "xx"):
        with pytest.raises(DomainError):
            beat(world, first, 30, token=token)
    assert LessonProgress.objects.count() == 0


def test_a_token_older_than_allowed_must_be_renewed_by_reloading(world, clock, settings):
    settings.SCHOOL_BEAT_TOKEN_HOURS = 0
    lesson = course(world).lessons.get()
    token = services.beat_token(user=world.user("member"), lesson=lesson)
    import time

    time.sleep(1.1)
    clock.advance(60)
    with pytest.raises(DomainError) as error:
        beat(world, lesson, 30, token=token)
    assert error.value.message == zh(
        "The lesson page has been open too long. Please reload it to go on studying."
    )


def test_the_lesson_is_completed_when_the_required_time_is_reached(world, clock):
    lesson = course(world).lessons.get()  # 1 minute, 1 学时
    token = services.beat_token(user=world.user("member"), lesson=lesson)
    clock.advance(35)
    assert not beat(world, lesson, 35, token=token).completed_now
    clock.advance(30)
    result = beat(world, lesson, 30, token=token)
    assert result.completed_now
    progress = LessonProgress.objects.get()
    assert progress.completed_at == clock.now
    assert progress.hours == Decimal("1.0")


def test_reports_on_a_completed_lesson_write_nothing(world, clock):
    lesson = course(world).lessons.get()
    token = services.beat_token(user=world.user("member"), lesson=lesson)
    clock.advance(60)
    beat(world, lesson, 60, token=token)
    clock.advance(60)
    with CaptureQueriesContext(connection) as queries:
        result = beat(world, lesson, 60, token=token)
    assert result.credited == 0
    assert not [q for q in queries if q["sql"].startswith(("UPDATE", "INSERT"))]


def test_one_report_is_one_conditional_update_of_the_progress_row(world, clock):
    lesson = course(world, lessons=1).lessons.get()
    lesson.required_minutes = 30
    lesson.save(update_fields=["required_minutes"])
    member = world.user("member")
    token = services.beat_token(user=member, lesson=lesson)
    clock.advance(60)
    beat(world, lesson, 60, token=token)
    clock.advance(60)
    member = type(member).objects.get(pk=member.pk)
    from dangwu import access

    access.grants_of(member)  # loaded once per request by the API's authentication anyway
    with CaptureQueriesContext(connection) as queries:
        services.progress_report(actor=member, lesson=lesson, seconds=60, token=token)
    writes = [q["sql"] for q in queries if not q["sql"].startswith("SELECT")]
    assert len(writes) == 1 and writes[0].startswith("UPDATE")
    assert "last_beat_at" in writes[0]
    assert len(queries) == 2  # the progress row (with the other lessons' last report), the update


def test_time_on_two_lessons_at_once_is_counted_once(world, clock):
    made = course(world, lessons=2)
    first, second = made.lessons.order_by("order")
    first_token = services.beat_token(user=world.user("member"), lesson=first)
    second_token = services.beat_token(user=world.user("member"), lesson=second)
    clock.advance(60)
    beat(world, first, 30, token=first_token)
    clock.advance(1)
    with pytest.raises(DomainError):
        beat(world, second, 60, token=second_token)
    assert not LessonProgress.objects.filter(lesson=second).exists()


def test_a_video_position_cannot_advance_faster_than_real_time(world, clock):
    made = course(world, publish=False, lessons=0)
    lesson = video_lesson(world, made)
    services.course_publish(actor=world.user("schooladmin"), course=made)
    token = services.beat_token(user=world.user("member"), lesson=lesson)
    clock.advance(1)
    with pytest.raises(DomainError):
        beat(world, lesson, 1, token=token, position=3000)
    assert LessonProgress.objects.count() == 0
    assert AuditRecord.objects.filter(action="school.progress_refused").exists()


def test_a_video_watched_to_the_end_completes_the_lesson(world, clock):
    made = course(world, publish=False, lessons=0)
    lesson = video_lesson(world, made, required_minutes=10)  # 3 seconds long
    services.course_publish(actor=world.user("schooladmin"), course=made)
    token = services.beat_token(user=world.user("member"), lesson=lesson)
    clock.advance(4)
    result = beat(world, lesson, 4, token=token, position=3)
    assert result.completed_now
    assert result.progress.hours == Decimal("0.5")


def test_a_draft_course_cannot_be_studied(world, clock):
    lesson = course(world, publish=False).lessons.get()
    clock.advance(60)
    with pytest.raises(NotFound):
        beat(world, lesson, 30)


def test_the_three_administrators_do_not_study(world, clock):
    lesson = course(world).lessons.get()
    clock.advance(60)
    with pytest.raises(Forbidden):
        beat(world, lesson, 30, persona="sysadmin")


def test_a_course_cannot_be_started_before_its_prerequisites(world, clock):
    first = course(world, title="党章学习")
    second = course(world, title="党史", prerequisites=[first])
    clock.advance(60)
    with pytest.raises(DomainError) as error:
        beat(world, second.lessons.get(), 30)
    assert "《党章学习》" in error.value.message
    assert LessonProgress.objects.count() == 0
    services.lesson_time_credit(actor=world.user("member"), lesson=first.lessons.get(), seconds=60)
    lesson = second.lessons.get()
    token = services.beat_token(user=world.user("member"), lesson=lesson)
    clock.advance(60)
    assert beat(world, lesson, 30, token=token).credited == 30


# ------------------------------------------------------------------------- time measured elsewhere


def test_time_measured_elsewhere_is_credited_and_completes_the_lesson(world):
    lesson = course(world).lessons.get()
    member = world.user("member")
    progress = services.lesson_time_credit(actor=member, lesson=lesson, seconds=45)
    assert (progress.seconds, progress.completed_at) == (45, None)
    progress = services.lesson_time_credit(actor=member, lesson=lesson, seconds=45)
    assert progress.seconds == 90 and progress.completed_at is not None
    assert AuditRecord.objects.filter(action="school.time_credited").count() == 2


@pytest.mark.parametrize("seconds", [0, -5, 4 * 3600 + 1, 2.5, "60"])
def test_absurd_credits_are_refused(world, seconds):
    lesson = course(world).lessons.get()
    with pytest.raises(ValidationFailed):
        services.lesson_time_credit(actor=world.user("member"), lesson=lesson, seconds=seconds)
    assert LessonProgress.objects.count() == 0


def test_credits_need_a_published_course_and_a_business_user(world):
    draft = course(world, publish=False).lessons.get()
    with pytest.raises(NotFound):
        services.lesson_time_credit(actor=world.user("member"), lesson=draft, seconds=60)
    published = course(world).lessons.get()
    with pytest.raises(Forbidden):
        services.lesson_time_credit(actor=world.user("auditor"), lesson=published, seconds=60)


def test_the_system_actor_cannot_study(world):
    lesson = course(world).lessons.get()
    with pytest.raises(Forbidden):
        services.lesson_time_credit(actor=SYSTEM, lesson=lesson, seconds=60)


def test_a_video_report_from_the_start_is_accepted(world, clock):
    made = course(world, publish=False, lessons=0)
    lesson = video_lesson(world, made)
    services.course_publish(actor=world.user("schooladmin"), course=made)
    token = services.beat_token(user=world.user("member"), lesson=lesson)
    clock.advance(2)
    assert beat(world, lesson, 2, token=token, position=0).credited == 2


@pytest.mark.parametrize("position", [-1, 86401, 1.5, "3"])
def test_a_malformed_video_position_is_refused(world, clock, position):
    made = course(world, publish=False, lessons=0)
    lesson = video_lesson(world, made)
    services.course_publish(actor=world.user("schooladmin"), course=made)
    token = services.beat_token(user=world.user("member"), lesson=lesson)
    clock.advance(2)
    with pytest.raises(ValidationFailed):
        beat(world, lesson, 2, token=token, position=position)
