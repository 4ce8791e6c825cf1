import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation

from dangwu.core import hooks
from dangwu.school import services
from dangwu.school.enums import CourseStatus
from dangwu.school.models import Course, Lesson
from dangwu.school.selectors import STUDY_TIME_SOURCES
from dangwu.school.tests.factories import TEXT, WEBM, course, pdf, png, video_lesson, webm


def zh(msgid: str) -> str:
    with translation.override("zh-hans"):
        return translation.gettext(msgid)


def text(response) -> str:
    return response.content.decode()


# ------------------------------------------------------------------------- learners


def test_the_school_home_lists_courses_by_category_with_my_hours(world, client_for):
    made = course(world, lessons=2)
    services.lesson_time_credit(
        actor=world.user("member"), lesson=made.lessons.order_by("order").first(), seconds=60
    )
    course(world, title="草稿课程", publish=False)
    response = client_for("member").get("/school/")
    assert response.status_code == 200
    page = text(response)
    assert "党章学习" in page and "草稿课程" not in page
    assert zh("Party Constitution and regulations") in page
    assert "1.0" in page  # the hours of the finished lesson this year


def test_the_school_home_offers_to_continue_where_i_stopped(world, client_for):
    made = course(world, lessons=2)
    second = made.lessons.get(title="第2课")
    services.lesson_time_credit(actor=world.user("member"), lesson=second, seconds=20)
    page = text(client_for("member").get("/school/"))
    assert f'href="/school/lessons/{second.pk}/"' in page
    # Studied a little, finished nothing: the course shows as begun, not as not started.
    assert zh("Not started") not in page
    assert zh("%(done)s of %(total)s lessons finished") % {"done": 0, "total": 2} in page


def test_the_school_home_links_to_exams_training_typing_and_the_classics(client_for):
    page = text(client_for("member").get("/school/"))
    for href in ("/exams/", "/training/", "/training/typing/", "/library/classics/"):
        assert f'href="{href}"' in page


def test_the_main_menu_leaves_the_school_s_own_pages_to_its_home(client_for):
    page = text(client_for("member").get("/"))
    assert 'href="/school/"' in page
    assert 'href="/exams/"' not in page and 'href="/library/classics/"' not in page


def test_the_school_home_costs_a_fixed_number_of_queries(
    world, client_for, django_assert_max_num_queries
):
    for n in range(6):
        made = course(world, title=f"课程{n}", lessons=3)
        services.lesson_time_credit(
            actor=world.user("member"), lesson=made.lessons.first(), seconds=20
        )
    client = client_for("member")
    with django_assert_max_num_queries(12):
        assert client.get("/school/").status_code == 200


def test_a_course_page_shows_lessons_and_my_progress(world, client_for):
    made = course(world, lessons=2)
    services.lesson_time_credit(
        actor=world.user("member"), lesson=made.lessons.get(title="第1课"), seconds=60
    )
    page = text(client_for("member").get(f"/school/courses/{made.pk}/"))
    assert "第1课" in page and "第2课" in page
    assert zh("Finished") in page


def test_a_course_page_names_the_prerequisites_not_finished(world, client_for):
    first = course(world, title="党章学习")
    second = course(world, title="党史", prerequisites=[first])
    page = text(client_for("member").get(f"/school/courses/{second.pk}/"))
    assert zh("not finished") in page and "党章学习" in page
    lesson = second.lessons.get()
    assert f'href="/school/lessons/{lesson.pk}/"' not in page


def test_a_lesson_before_its_prerequisites_says_what_to_finish_first(world, client_for):
    first = course(world, title="党章学习")
    second = course(world, title="党史", prerequisites=[first])
    response = client_for("member").get(f"/school/lessons/{second.lessons.get().pk}/")
    assert response.status_code == 403
    assert zh("Before this course, please finish these courses:") in text(response)
    assert "data-token" not in text(response)


def test_a_text_lesson_page_carries_the_heartbeat_and_no_finish_button(world, client_for):
    lesson = course(world).lessons.get()
    response = client_for("member").get(f"/school/lessons/{lesson.pk}/")
    page = text(response)
    assert response.status_code == 200
    assert "党章是党的根本大法" in page
    assert f'data-beat-url="/api/v1/school/lessons/{lesson.pk}/progress"' in page
    assert "school/lesson.js" in page
    assert 'type="submit"' not in page.split('id="main"')[1].split("</main>")[0]


def test_a_finished_lesson_shows_the_hours_and_reports_nothing(world, client_for):
    lesson = course(world).lessons.get()
    services.lesson_time_credit(actor=world.user("member"), lesson=lesson, seconds=60)
    page = text(client_for("member").get(f"/school/lessons/{lesson.pk}/"))
    assert "data-beat-url" not in page


def test_a_video_lesson_uses_the_browsers_player(world, client_for):
    made = course(world, publish=False, lessons=0)
    lesson = video_lesson(world, made)
    services.course_publish(actor=world.user("schooladmin"), course=made)
    page = text(client_for("member").get(f"/school/lessons/{lesson.pk}/"))
    assert re.search(rf'<video[^>]+src="/school/lessons/{lesson.pk}/file/"', page)


def test_a_draft_lesson_is_missing_for_learners_and_a_preview_for_the_administrator(
    world, client_for
):
    lesson = course(world, publish=False).lessons.get()
    assert client_for("member").get(f"/school/lessons/{lesson.pk}/").status_code == 404
    response = client_for("schooladmin").get(f"/school/lessons/{lesson.pk}/")
    assert response.status_code == 200
    assert "data-beat-url" not in text(response)


def test_the_administrators_see_no_school(world, client_for):
    lesson = course(world).lessons.get()
    for path in ("/school/", f"/school/lessons/{lesson.pk}/", "/school/record/"):
        assert client_for("auditor").get(path).status_code == 404


def test_my_learning_record_shows_hours_per_year_and_lessons(world, client_for):
    made = course(world, lessons=2)
    services.lesson_time_credit(
        actor=world.user("member"), lesson=made.lessons.get(title="第1课"), seconds=60
    )
    page = text(client_for("member").get("/school/record/"))
    assert "第1课" in page and "党章学习" in page
    assert "1.0" in page


def test_my_learning_record_costs_a_fixed_number_of_queries(
    world, client_for, django_assert_max_num_queries
):
    made = course(world, lessons=8)
    for lesson in made.lessons.all():
        services.lesson_time_credit(actor=world.user("member"), lesson=lesson, seconds=60)
    client = client_for("member")
    # The year's hours and the table per year each ask every study time source once (reading).
    with django_assert_max_num_queries(10 + 2 * len(hooks.get_hooks(STUDY_TIME_SOURCES))):
        assert client.get("/school/record/").status_code == 200


# ------------------------------------------------------------------------- files and ranges


def _video(world):
    made = course(world, publish=False, lessons=0)
    lesson = video_lesson(world, made)
    services.course_publish(actor=world.user("schooladmin"), course=made)
    return lesson


def _body(response) -> bytes:
    return b"".join(response.streaming_content)


def test_a_video_is_served_whole_with_ranges_accepted(world, client_for):
    lesson = _video(world)
    response = client_for("member").get(f"/school/lessons/{lesson.pk}/file/")
    assert response.status_code == 200
    assert response["Accept-Ranges"] == "bytes"
    assert response["Content-Type"] == "video/webm"
    assert response["Content-Length"] == str(len(WEBM))
    assert _body(response) == WEBM


@pytest.mark.parametrize(
    ("header", "first", "last"),
    [("bytes=0-99", 0, 99), ("bytes=100-", 100, None), ("bytes=-50", -50, None)],
)
def test_a_range_is_answered_with_206_and_exactly_those_bytes(
    world, client_for, header, first, last
):
    lesson = _video(world)
    response = client_for("member").get(f"/school/lessons/{lesson.pk}/file/", HTTP_RANGE=header)
    assert response.status_code == 206
    expected = WEBM[first : None if last is None else last + 1]
    start = first if first >= 0 else len(WEBM) + first
    assert response["Content-Range"] == f"bytes {start}-{start + len(expected) - 1}/{len(WEBM)}"
    assert response["Content-Length"] == str(len(expected))
    assert _body(response) == expected


def test_a_range_past_the_end_is_clipped_to_the_file(world, client_for):
    lesson = _video(world)
    response = client_for("member").get(
        f"/school/lessons/{lesson.pk}/file/", HTTP_RANGE="bytes=800-99999"
    )
    assert response.status_code == 206
    assert _body(response) == WEBM[800:]


@pytest.mark.parametrize(
    "header", ["bytes=99999-", "bytes=50-10", "bytes=abc", "bytes=-0", "bytes=-"]
)
def test_a_bad_range_is_answered_with_416_and_the_size(world, client_for, header):
    lesson = _video(world)
    response = client_for("member").get(f"/school/lessons/{lesson.pk}/file/", HTTP_RANGE=header)
    assert response.status_code == 416
    assert response["Content-Range"] == f"bytes */{len(WEBM)}"


def test_several_ranges_or_another_unit_get_the_whole_file(world, client_for):
    lesson = _video(world)
    client = client_for("member")
    for header in ("bytes=0-1,5-6", "items=0-1"):
        response = client.get(f"/school/lessons/{lesson.pk}/file/", HTTP_RANGE=header)
        assert response.status_code == 200
        assert _body(response) == WEBM


def test_a_file_of_a_draft_course_is_missing_for_learners(world, client_for):
    made = course(world, publish=False, lessons=0)
    lesson = video_lesson(world, made)
    assert client_for("member").get(f"/school/lessons/{lesson.pk}/file/").status_code == 404


def test_a_pdf_may_be_shown_in_a_frame_of_the_platform(world, client_for):
    made = course(world, publish=False, lessons=0)
    lesson = services.lesson_create(
        actor=world.user("schooladmin"),
        course=made,
        title="课件",
        kind="pdf",
        hours="1",
        required_minutes=5,
        upload=pdf(),
    )
    services.course_publish(actor=world.user("schooladmin"), course=made)
    response = client_for("member").get(f"/school/lessons/{lesson.pk}/file/")
    assert response.status_code == 200
    assert response["X-Frame-Options"] == "SAMEORIGIN"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "inline" in response["Content-Disposition"]


# ------------------------------------------------------------------------- management


def test_a_school_administrator_creates_a_course_through_the_page(world, client_for):
    client = client_for("schooladmin")
    assert client.get("/school/manage/new/").status_code == 200
    response = client.post(
        "/school/manage/new/",
        {
            "title": "理论学习",
            "category": "theory",
            "organization": world.orgs["root"].pk,
            "description": "学习",
        },
    )
    made = Course.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/school/manage/{made.pk}/"


def test_a_course_form_with_errors_keeps_what_was_typed(world, client_for):
    response = client_for("schooladmin").post(
        "/school/manage/new/",
        {
            "title": "",
            "category": "theory",
            "organization": world.orgs["root"].pk,
            "description": "保留",
        },
    )
    assert response.status_code == 400
    assert "保留" in text(response)
    assert Course.objects.count() == 0


def test_a_lesson_is_added_with_its_video_through_the_page(world, client_for):
    made = course(world, publish=False, lessons=0)
    client = client_for("schooladmin")
    assert client.get(f"/school/manage/{made.pk}/lessons/new/?kind=video").status_code == 200
    response = client.post(
        f"/school/manage/{made.pk}/lessons/new/?kind=video",
        {"title": "视频", "hours": "0.5", "required_minutes": "5", "file": webm()},
    )
    lesson = Lesson.objects.get()
    assert response.status_code == 302
    assert (lesson.kind, lesson.duration_seconds) == ("video", 3)


def test_a_wrong_file_for_a_lesson_is_explained_on_the_page(world, client_for):
    made = course(world, publish=False, lessons=0)
    response = client_for("schooladmin").post(
        f"/school/manage/{made.pk}/lessons/new/?kind=video",
        {
            "title": "视频",
            "hours": "0.5",
            "required_minutes": "5",
            "file": SimpleUploadedFile("视频.mp4", b"%PDF-1.4 not a video"),
        },
    )
    assert response.status_code == 400
    assert Lesson.objects.count() == 0
    assert 'value="视频"' in text(response)


def test_a_lesson_is_changed_moved_and_deleted_through_the_pages(world, client_for):
    made = course(world, publish=False, lessons=2)
    first, second = made.lessons.order_by("order")
    client = client_for("schooladmin")
    assert client.get(f"/school/manage/lessons/{first.pk}/").status_code == 200
    response = client.post(
        f"/school/manage/lessons/{first.pk}/",
        {"title": "新标题", "hours": "2", "required_minutes": "3", "body": TEXT},
    )
    assert response.status_code == 302
    client.post(f"/school/manage/lessons/{second.pk}/move/", {"direction": "up"})
    assert list(made.lessons.order_by("order").values_list("pk", flat=True)) == [
        second.pk,
        first.pk,
    ]
    client.post(f"/school/manage/lessons/{second.pk}/delete/")
    assert list(made.lessons.values_list("title", flat=True)) == ["新标题"]


def test_a_course_is_published_and_withdrawn_through_the_page(world, client_for):
    made = course(world, publish=False)
    client = client_for("schooladmin")
    client.post(f"/school/manage/{made.pk}/publish/")
    made.refresh_from_db()
    assert made.status == CourseStatus.PUBLISHED
    client.post(f"/school/manage/{made.pk}/unpublish/")
    made.refresh_from_db()
    assert made.status == CourseStatus.DRAFT


def test_publishing_an_empty_course_says_why_on_the_page(world, client_for):
    made = course(world, publish=False, lessons=0)
    client = client_for("schooladmin")
    response = client.post(f"/school/manage/{made.pk}/publish/", follow=True)
    assert zh("Add at least one lesson before publishing the course.") in text(response)


def test_slides_pictures_are_added_shown_and_removed(world, client_for):
    made = course(world, publish=False, lessons=0)
    lesson = services.lesson_create(
        actor=world.user("schooladmin"),
        course=made,
        title="幻灯片",
        kind="slides",
        hours="1",
        required_minutes=5,
    )
    client = client_for("schooladmin")
    assert (
        client.post(f"/school/manage/lessons/{lesson.pk}/slides/", {"file": png()}).status_code
        == 302
    )
    slide = lesson.slides.get()
    assert client.get(f"/school/slides/{slide.pk}/").status_code == 200
    assert client.post(f"/school/manage/slides/{slide.pk}/remove/").status_code == 302
    assert not lesson.slides.exists()


def test_a_member_cannot_reach_the_management_pages(world, client_for):
    made = course(world)
    lesson = made.lessons.get()
    client = client_for("member")
    for path in (
        "/school/manage/",
        "/school/manage/new/",
        f"/school/manage/{made.pk}/",
        f"/school/manage/lessons/{lesson.pk}/",
    ):
        assert client.get(path).status_code in (403, 404)
    assert client.post(f"/school/manage/{made.pk}/unpublish/").status_code in (403, 404)
    made.refresh_from_db()
    assert made.status == CourseStatus.PUBLISHED


def test_the_management_list_costs_a_fixed_number_of_queries(
    world, client_for, django_assert_max_num_queries
):
    for n in range(6):
        course(world, title=f"课程{n}", lessons=2)
    client = client_for("schooladmin")
    with django_assert_max_num_queries(8):
        assert client.get("/school/manage/").status_code == 200


def test_a_lesson_page_costs_a_fixed_number_of_queries(
    world, client_for, django_assert_max_num_queries
):
    first = course(world, title="党章学习", lessons=2)
    second = course(world, title="党史", prerequisites=[first], lessons=12)
    for lesson in first.lessons.all():
        services.lesson_time_credit(actor=world.user("member"), lesson=lesson, seconds=60)
    lesson = second.lessons.order_by("order")[5]
    client = client_for("member")
    with django_assert_max_num_queries(14):
        assert client.get(f"/school/lessons/{lesson.pk}/").status_code == 200
    with django_assert_max_num_queries(14):
        assert client.get(f"/school/courses/{second.pk}/").status_code == 200
