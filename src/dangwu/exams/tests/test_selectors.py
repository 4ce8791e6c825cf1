"""Reads with a fixed number of queries whatever the number of rows, and scoped by the policy."""

import pytest

from dangwu.exams import selectors, services
from dangwu.exams.tests.factories import bank, correct_response, fixed_exam

pytestmark = pytest.mark.django_db

PERSONAS = ("member", "secretary", "other_secretary", "leader", "editor", "clerk", "orgclerk")


def _everyone_takes(world, exam):
    for persona in PERSONAS:
        user = world.user(persona)
        attempt = services.attempt_start(actor=user, exam=exam)
        for item in selectors.attempt_paper(attempt)[: len(persona) % 4]:
            services.answer_save(
                actor=user,
                attempt=attempt,
                question_id=item.question.pk,
                response=correct_response(item.question),
            )
        services.attempt_submit(actor=user, attempt=attempt)


def test_statistics_cost_the_same_four_queries_for_nobody_or_seven_people(
    world, django_assert_num_queries
):
    exam = fixed_exam(world, bank(world, n=5))
    admin = world.user("schooladmin")
    admin._dangwu_grants = None
    selectors.exam_statistics(user=admin, exam=exam)  # grants loaded once
    with django_assert_num_queries(4):
        selectors.exam_statistics(user=admin, exam=exam)
    _everyone_takes(world, exam)
    with django_assert_num_queries(4):
        stats = selectors.exam_statistics(user=admin, exam=exam)
    assert stats.takers == len(PERSONAS)
    assert sum(n for _b, n in stats.bands) == len(PERSONAS)
    assert sum(r.takers for r in stats.organizations) == len(PERSONAS)


def test_standings_and_passes_are_one_query_for_any_number_of_exams(
    world, django_assert_num_queries
):
    questions = bank(world, n=1)
    exams = [fixed_exam(world, questions, title=f"考试{i}") for i in range(5)]
    member = world.user("member")
    for exam in exams[:3]:
        attempt = services.attempt_start(actor=member, exam=exam)
        services.attempt_submit(actor=member, attempt=attempt)
    with django_assert_num_queries(1):
        rows = selectors.standings(user=member, exams=exams)
    assert [r.used for r in rows] == [1, 1, 1, 0, 0]
    with django_assert_num_queries(1):
        selectors.exams_passed(user_ids=[member.pk], exam_ids=[e.pk for e in exams])


def test_a_paper_is_read_in_two_queries_whatever_its_length(world, django_assert_num_queries):
    exam = fixed_exam(world, bank(world, n=10))
    attempt = services.attempt_start(actor=world.user("member"), exam=exam)
    with django_assert_num_queries(2):
        items = selectors.attempt_paper(attempt)
    assert len(items) == 40


def test_exams_open_to_a_person_follow_the_audience(world):
    questions = bank(world, n=1)
    everyone = fixed_exam(world, questions, title="全体")
    branch = fixed_exam(world, questions, title="第一支部", audience=world.orgs["branch1"])
    other = fixed_exam(world, questions, title="第二机关党委", audience=world.orgs["org2"])
    draft = fixed_exam(world, questions, title="草稿", publish=False)
    seen = set(selectors.exams_open_to(world.user("member")))
    assert seen == {everyone, branch}
    assert set(selectors.exams_open_to(world.user("other_secretary"))) == {everyone, other}
    assert draft not in set(selectors.exams_open_to(world.user("schooladmin")))
    assert list(selectors.exams_open_to(world.user("auditor"))) == []


def test_statistics_are_listed_for_exams_reaching_the_viewers_subtree(world):
    questions = bank(world, n=1)
    everyone = fixed_exam(world, questions, title="全体")
    other = fixed_exam(world, questions, title="第二", audience=world.orgs["org2"])
    assert set(selectors.stats_exams(world.user("secretary"))) == {everyone}
    assert set(selectors.stats_exams(world.user("other_secretary"))) == {everyone, other}
    assert set(selectors.stats_exams(world.user("member"))) == set()
