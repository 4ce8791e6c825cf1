"""The demo question bank and exams are built through the services and make sense."""

import pytest

from dangwu.core.demo import build_demo
from dangwu.exams.enums import AttemptStatus, ExamStatus
from dangwu.exams.models import Attempt, Exam, Question


@pytest.mark.django_db
def test_the_demo_has_a_real_bank_a_published_charter_test_and_graded_attempts():
    build_demo()
    assert Question.objects.count() >= 40
    for tag in ("党章", "党史", "党规"):
        assert Question.objects.filter(tags__contains=f",{tag},").count() >= 10
    charter = Exam.objects.get(title="党章知识测试")
    assert charter.status == ExamStatus.PUBLISHED
    assert Exam.objects.filter(status=ExamStatus.CLOSED).count() == 1
    assert Attempt.objects.filter(status=AttemptStatus.SUBMITTED).count() >= 4
    assert Attempt.objects.filter(passed=True).exists()
    assert not Attempt.objects.filter(exam=charter, user__username="demo-member").exists()
