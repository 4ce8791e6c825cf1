"""The demo's training data: the computer-skills course with its quizzes, the plan, progress."""

import pytest

from dangwu.accounts.models import User
from dangwu.core.demo import build_demo
from dangwu.training import content, selectors
from dangwu.training.enums import PlanStatus
from dangwu.training.models import TrainingPlan, TypingSession, TypingText


@pytest.fixture
def demo(db):
    return build_demo()


def test_the_demo_builds_the_course_quizzes_plan_and_some_progress(demo):
    from dangwu.exams.models import Exam
    from dangwu.school.models import Course

    course = Course.objects.get(title=content.COURSE_TITLE)
    assert course.status == "published"
    assert [lesson.title for lesson in course.lessons.order_by("order")] == [
        str(spec["title"]) for spec in content.LESSONS
    ]
    quizzes = Exam.objects.filter(course=course, status="published")
    assert quizzes.count() == 5
    assert all(q.paper.count() == 5 for q in quizzes)
    plan = TrainingPlan.objects.get(title=content.PLAN["title"])
    assert plan.status == PlanStatus.ACTIVE
    assert plan.items.count() == 6
    assert TypingText.objects.count() == len(content.TYPING_TEXTS)
    # The demo secretary has done part of the plan, the other secretary nothing.
    completion = selectors.plan_completion(plan, user=User.objects.get(username="demo-leader"))
    people = {p.name: p for p in completion.people}
    secretary = User.objects.get(username="demo-secretary")
    done = {p.user_id: p.done for p in completion.people}
    assert done[secretary.pk] == 1  # the first quiz; the course is not finished
    assert done[User.objects.get(username="demo-other-secretary").pk] == 0
    assert len(people) == completion.assigned >= 2
    assert TypingSession.objects.filter(user=secretary).count() == 3
