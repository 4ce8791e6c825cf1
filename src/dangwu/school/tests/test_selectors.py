from datetime import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from dangwu.core import hooks
from dangwu.school import selectors, services
from dangwu.school.models import LessonProgress
from dangwu.school.tests.factories import course

SHANGHAI = ZoneInfo("Asia/Shanghai")


def _finish(world, persona, lesson):
    services.lesson_time_credit(
        actor=world.user(persona), lesson=lesson, seconds=lesson.required_seconds
    )


def test_courses_completed_needs_every_lesson(world):
    full = course(world, title="甲", lessons=2)
    half = course(world, title="乙", lessons=2)
    for lesson in full.lessons.all():
        _finish(world, "member", lesson)
    _finish(world, "member", half.lessons.first())
    _finish(world, "secretary", half.lessons.first())
    member, secretary = world.user("member").pk, world.user("secretary").pk
    assert selectors.courses_completed(
        user_ids=[member, secretary], course_ids=[full.pk, half.pk]
    ) == {(member, full.pk)}


def test_a_course_without_lessons_is_never_completed(world):
    empty = course(world, publish=False, lessons=0)
    assert selectors.courses_completed(
        user_ids=[world.user("member").pk], course_ids=[empty.pk]
    ) == (set())


def test_courses_completed_costs_two_queries_whatever_the_numbers(
    world, django_assert_max_num_queries
):
    courses = [course(world, title=f"课{n}", lessons=3) for n in range(5)]
    for made in courses:
        for lesson in made.lessons.all():
            _finish(world, "member", lesson)
    user_ids = [u.pk for u in world.users.values()]
    with django_assert_max_num_queries(2):
        done = selectors.courses_completed(user_ids=user_ids, course_ids=[c.pk for c in courses])
    assert len(done) == 5
    assert selectors.courses_completed(user_ids=[], course_ids=[1]) == set()


def test_study_hours_count_the_year_of_completion_in_beijing_time(world):
    made = course(world, lessons=3)
    first, second, third = made.lessons.order_by("order")
    for lesson in (first, second, third):
        _finish(world, "member", lesson)
    # 2025-12-31 23:30 in Beijing is still 2025; 2026-01-01 00:10 in Beijing is 2026 (UTC: 2025).
    LessonProgress.objects.filter(lesson=first).update(
        completed_at=datetime(2025, 12, 31, 23, 30, tzinfo=SHANGHAI)
    )
    LessonProgress.objects.filter(lesson=second).update(
        completed_at=datetime(2026, 1, 1, 0, 10, tzinfo=SHANGHAI)
    )
    LessonProgress.objects.filter(lesson=third).update(
        completed_at=datetime(2027, 6, 1, 9, 0, tzinfo=SHANGHAI)
    )
    member, secretary = world.user("member").pk, world.user("secretary").pk
    assert selectors.study_hours(user_ids=[member, secretary], year=2025) == {
        member: Decimal("1.0"),
        secretary: Decimal("0.0"),
    }
    assert selectors.study_hours(user_ids=[member], year=2026) == {member: Decimal("1.0")}


def test_study_hours_cost_one_query_and_one_a_study_time_source(
    world, django_assert_max_num_queries
):
    made = course(world, lessons=4)
    for lesson in made.lessons.all():
        _finish(world, "member", lesson)
        _finish(world, "secretary", lesson)
    year = LessonProgress.objects.first().completed_at.astimezone(SHANGHAI).year
    sources = len(hooks.get_hooks(selectors.STUDY_TIME_SOURCES))
    with django_assert_max_num_queries(1 + sources):
        hours = selectors.study_hours(user_ids=[u.pk for u in world.users.values()], year=year)
    assert hours[world.user("member").pk] == Decimal("4.0")


def test_unfinished_lessons_count_no_hours(world):
    lesson = course(world, lessons=1).lessons.get()
    services.lesson_time_credit(actor=world.user("member"), lesson=lesson, seconds=30)
    member = world.user("member").pk
    assert selectors.study_hours(user_ids=[member], year=2026)[member] == Decimal("0.0")


def test_prerequisites_missing_lists_what_is_not_finished(world):
    first = course(world, title="党章学习")
    second = course(world, title="党史", prerequisites=[first])
    member = world.user("member")
    assert selectors.prerequisites_missing(user=member, course=second) == [first]
    _finish(world, "member", first.lessons.get())
    assert selectors.prerequisites_missing(user=member, course=second) == []


def test_the_catalogue_hides_drafts_and_counts_my_finished_lessons(world):
    made = course(world, lessons=2)
    course(world, title="草稿", publish=False)
    _finish(world, "member", made.lessons.first())
    [(_category, items)] = selectors.catalogue(world.user("member"))
    assert [(i.course.title, i.lesson_count, i.completed) for i in items] == [("党章学习", 2, 1)]
    assert items[0].total_hours == Decimal("2.0")


def test_the_catalogue_is_empty_for_the_three_administrators(world):
    course(world)
    assert selectors.catalogue(world.user("sysadmin")) == []


def test_hours_by_year_sums_each_year(world):
    made = course(world, lessons=2)
    for lesson in made.lessons.all():
        _finish(world, "member", lesson)
    [row] = selectors.hours_by_year(world.user("member"))
    assert (row.hours, row.lessons) == (Decimal("2.0"), 2)


def test_the_demo_courses_are_built_with_the_members_progress(world):
    from random import Random

    from dangwu.core.demo import DemoContext
    from dangwu.school.demo import build_school
    from dangwu.school.enums import CourseStatus

    context = DemoContext(password="x", rng=Random(1), data={"root": world.orgs["root"]})
    build_school(context)
    charter = context.data["school_courses"]["charter"]
    history = context.data["school_courses"]["history"]
    assert charter.status == history.status == CourseStatus.PUBLISHED
    assert charter.lessons.count() == 5 and list(history.prerequisites.all()) == [charter]
    member = world.user("member")
    assert selectors.study_hours(user_ids=[member.pk], year=_this_year())[member.pk] == Decimal(
        "2.0"
    )
    assert selectors.continue_lesson(member).lesson.order == 3


def _this_year() -> int:
    from django.utils import timezone

    return timezone.localdate().year
