from decimal import Decimal

from dangwu.school import services
from dangwu.school.models import LessonProgress
from dangwu.school.tests.factories import course, video_lesson

API = "/api/v1/school"


def test_the_course_list_shows_published_courses_with_hours(world, api_for):
    course(world, lessons=2)
    course(world, title="草稿", publish=False)
    response = api_for("member").get(f"{API}/courses")
    assert response.status_code == 200
    [item] = response.json()["items"]
    assert (item["title"], item["lesson_count"], Decimal(item["total_hours"])) == (
        "党章学习",
        2,
        Decimal("2.0"),
    )
    assert item["category_label"]


def test_the_course_list_can_be_filtered_and_refuses_an_unknown_category(world, api_for):
    course(world)
    caller = api_for("member")
    assert caller.get(f"{API}/courses", category="history").json()["items"] == []
    assert caller.get(f"{API}/courses", category="cooking").status_code == 422


def test_a_course_shows_its_lessons_prerequisites_and_whether_i_may_start(world, api_for):
    first = course(world, title="党章学习")
    second = course(world, title="党史", prerequisites=[first])
    body = api_for("member").get(f"{API}/courses/{second.pk}").json()
    assert body["may_start"] is False
    assert body["prerequisites"] == [{"id": first.pk, "title": "党章学习", "completed": False}]
    assert [lesson["title"] for lesson in body["lessons"]] == ["第1课"]


def test_a_draft_course_is_missing_for_a_member(world, api_for):
    draft = course(world, publish=False)
    assert api_for("member").get(f"{API}/courses/{draft.pk}").status_code == 404


def test_a_lesson_gives_its_content_and_a_token_to_report_with(world, api_for):
    lesson = course(world).lessons.get()
    body = api_for("member").get(f"{API}/lessons/{lesson.pk}").json()
    assert "党章" in body["body"]
    assert body["beat_token"] and body["heartbeat_seconds"] == 60
    assert body["progress"] is None


def test_a_lesson_before_its_prerequisites_is_refused_with_a_reason(world, api_for):
    first = course(world, title="党章学习")
    second = course(world, title="党史", prerequisites=[first])
    response = api_for("member").get(f"{API}/lessons/{second.lessons.get().pk}")
    assert response.status_code == 400
    assert "《党章学习》" in response.json()["detail"]


def test_the_heartbeat_credits_real_time_and_refuses_a_forged_claim(world, api_for, clock):
    lesson = course(world).lessons.get()
    caller = api_for("member")
    token = caller.get(f"{API}/lessons/{lesson.pk}").json()["beat_token"]
    clock.advance(30)
    response = caller.post(f"{API}/lessons/{lesson.pk}/progress", {"token": token, "seconds": 300})
    assert response.status_code == 400
    assert "300" in response.json()["detail"]
    assert LessonProgress.objects.count() == 0
    response = caller.post(f"{API}/lessons/{lesson.pk}/progress", {"token": token, "seconds": 30})
    assert response.status_code == 200
    body = response.json()
    assert (body["seconds"], body["credited"], body["completed"]) == (30, 30, False)
    clock.advance(31)
    body = caller.post(
        f"{API}/lessons/{lesson.pk}/progress", {"token": token, "seconds": 31}
    ).json()
    assert body["completed"] and body["completed_now"]
    assert Decimal(body["hours"]) == Decimal("1.0")


def test_the_heartbeat_refuses_malformed_reports_with_422(world, api_for):
    lesson = course(world).lessons.get()
    caller = api_for("member")
    url = f"{API}/lessons/{lesson.pk}/progress"
    for payload in ({"seconds": 10}, {"token": "x", "seconds": -1}, {"token": "x", "seconds": "a"}):
        assert caller.post(url, payload).status_code == 422
    assert caller.post(url, {"token": "made-up", "seconds": 10}).status_code == 400


def test_the_heartbeat_on_a_draft_lesson_is_missing(world, api_for):
    lesson = course(world, publish=False).lessons.get()
    response = api_for("schooladmin").post(
        f"{API}/lessons/{lesson.pk}/progress", {"token": "x", "seconds": 1}
    )
    assert response.status_code == 404


def test_a_video_reports_its_position(world, api_for, clock):
    made = course(world, publish=False, lessons=0)
    lesson = video_lesson(world, made)
    services.course_publish(actor=world.user("schooladmin"), course=made)
    caller = api_for("member")
    detail = caller.get(f"{API}/lessons/{lesson.pk}").json()
    assert detail["duration_seconds"] == 3
    assert detail["file_url"] == f"/school/lessons/{lesson.pk}/file/"
    clock.advance(3)
    body = caller.post(
        f"{API}/lessons/{lesson.pk}/progress",
        {"token": detail["beat_token"], "seconds": 3, "position": 3},
    ).json()
    assert body["completed"] and body["position"] == 3


def test_my_hours_and_my_progress(world, api_for):
    made = course(world, lessons=2)
    first, second = made.lessons.order_by("order")
    member = world.user("member")
    services.lesson_time_credit(actor=member, lesson=first, seconds=60)
    services.lesson_time_credit(actor=member, lesson=second, seconds=20)
    caller = api_for("member")
    hours = caller.get(f"{API}/my/hours").json()
    assert Decimal(hours["hours"]) == Decimal("1.0") and hours["required"] == 32
    assert caller.get(f"{API}/my/hours", year=1999).status_code == 422
    items = caller.get(f"{API}/my/progress").json()["items"]
    assert {(i["lesson_title"], i["seconds"]) for i in items} == {("第1课", 60), ("第2课", 20)}


def test_the_three_administrators_get_nothing(world, api_for):
    lesson = course(world).lessons.get()
    caller = api_for("auditor")
    assert caller.get(f"{API}/courses").status_code == 403
    assert caller.get(f"{API}/lessons/{lesson.pk}").status_code == 404
    assert caller.get(f"{API}/my/hours").status_code == 404
