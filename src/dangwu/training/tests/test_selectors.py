"""Who owes what, completion per organization and person, 我的待办, and the reminders."""

from datetime import timedelta

import pytest
from django.utils import timezone

from dangwu.access import SYSTEM, Role
from dangwu.messages.models import Notification
from dangwu.training import hooks, reminders, selectors, services
from dangwu.training.models import PlanReminder
from dangwu.training.tests import factories


@pytest.fixture
def small(world, people):
    """第一支部 (branch1) has the demo member and two more people; 第二支部 (branch2) two;
    第二机关党委 (org2) one. A plan on 第一机关党委 (org1) and everyone under it, plus every
    secretary of the committee: one course and one exam."""
    course = factories.course(world)
    exam = factories.exam(world)
    branch1 = [world.user("member"), *people(world.orgs["branch1"], 2)]
    branch2 = people(world.orgs["branch2"], 2)
    outside = people(world.orgs["branch3"], 1)
    plan = factories.plan(
        world,
        courses=[course],
        exams=[exam],
        orgs=[world.orgs["org1"]],
        roles=[Role.SECRETARY],
    )
    # Done: the member everything; branch1[1] only the course; branch2[0] everything.
    for user in (branch1[0], branch2[0]):
        factories.complete_course(user, course)
        factories.pass_exam(user, exam)
    factories.complete_course(branch1[1], course)
    factories.pass_exam(branch1[2], exam, passed=False)
    return {
        "plan": plan,
        "course": course,
        "exam": exam,
        "branch1": branch1,
        "branch2": branch2,
        "outside": outside,
    }


def _ids(people):
    return {p.user_id for p in people}


def test_the_audience_is_the_targeted_subtree_the_role_holders_and_the_named(world, small):
    completion = selectors.plan_completion(small["plan"], user=world.user("schooladmin"))
    expected = {u.pk for u in small["branch1"] + small["branch2"]}
    # The secretaries: of org1 (inside the subtree anyway) and of org2 (by the role).
    expected |= {world.user("secretary").pk, world.user("other_secretary").pk}
    assert _ids(completion.people) == expected
    assert small["outside"][0].pk not in _ids(completion.people)


def test_completion_counts_people_who_did_every_item(world, small):
    completion = selectors.plan_completion(small["plan"], user=world.user("schooladmin"))
    assert completion.assigned == 7
    assert completion.completed == 2
    assert completion.percent == 29
    done = {row.kind: row.done for row in completion.items}
    assert done == {"course": 3, "exam": 2}
    by_user = {p.user_id: p for p in completion.people}
    half = by_user[small["branch1"][1].pk]
    assert (half.done, half.complete, half.missing) == (1, False, ["计算机基础测试"])


def test_completion_per_organization_rolls_up_to_the_organizations_above(world, small):
    completion = selectors.plan_completion(small["plan"], user=world.user("schooladmin"))
    rows = {row.name: row for row in completion.organizations}
    branch1 = rows["第一机关党委第一支部"]
    assert (branch1.assigned, branch1.completed, branch1.percent) == (3, 1, 33)
    org1 = rows["第一机关党委"]
    assert (org1.assigned, org1.completed) == (1, 0)  # the secretary's own record
    assert (org1.assigned_all, org1.completed_all) == (6, 2)
    root = rows["市直机关工委"]
    assert (root.assigned_all, root.completed_all) == (7, 2)


def test_a_secretary_sees_only_the_people_of_their_own_subtree(world, small):
    mine = selectors.plan_completion(small["plan"], user=world.user("secretary"))
    assert _ids(mine.people) == {u.pk for u in small["branch1"] + small["branch2"]} | {
        world.user("secretary").pk
    }
    theirs = selectors.plan_completion(small["plan"], user=world.user("other_secretary"))
    assert _ids(theirs.people) == {world.user("other_secretary").pk}
    assert {row.name for row in theirs.organizations} == {"第二机关党委"}


def test_reading_what_is_done_by_items_agrees_with_the_school_and_exams_selectors(
    world, small, monkeypatch
):
    by_ids = selectors.plan_completion(small["plan"], user=world.user("schooladmin"))
    monkeypatch.setattr(selectors, "BY_IDS_UP_TO", 0)
    by_items = selectors.plan_completion(small["plan"], user=world.user("schooladmin"))
    assert [(p.user_id, p.done) for p in by_ids.people] == [
        (p.user_id, p.done) for p in by_items.people
    ]


def test_a_plan_above_the_secretary_is_visible_and_another_organizations_plan_is_not(world):
    admin_plan = factories.plan(
        world,
        courses=[factories.course(world)],
        orgs=[world.orgs["org2"]],
        organization=world.orgs["org2"],
    )
    root_plan = factories.plan(world, courses=[factories.course(world, "乙")], roles=["secretary"])
    visible = set(selectors.plans_visible(world.user("secretary")))
    assert root_plan in visible
    assert admin_plan not in visible
    draft = factories.plan(world, roles=["secretary"], publish=False)
    assert draft not in set(selectors.plans_visible(world.user("secretary")))
    assert draft in set(selectors.plans_visible(world.user("schooladmin")))
    assert not selectors.plans_visible(world.user("member")).exists()
    assert not selectors.plans_visible(world.user("sysadmin")).exists()


def test_completion_takes_a_fixed_number_of_queries(
    world, small, people, django_assert_max_num_queries
):
    viewer = world.user("schooladmin")
    selectors.plan_completion(small["plan"], user=viewer)  # grants cached
    with django_assert_max_num_queries(9) as few:
        selectors.plan_completion(small["plan"], user=viewer)
    more = people(world.orgs["branch2"], 20) + people(world.orgs["group1"], 10)
    for user in more[:10]:
        factories.complete_course(user, small["course"])
    with django_assert_max_num_queries(len(few.captured_queries)):
        completion = selectors.plan_completion(small["plan"], user=viewer)
    assert completion.assigned == 37


# ---------------------------------------------------------------------------------- obligations


def test_a_member_owes_the_items_they_have_not_done(world, small):
    user = small["branch1"][1]
    owed = selectors.obligations_for(user)
    assert [(o.kind, o.done, o.overdue) for o in owed] == [
        ("course", True, False),
        ("exam", False, False),
    ]
    assert [o.kind for o in selectors.obligations_for(user, include_done=False)] == ["exam"]


def test_someone_outside_the_targets_owes_nothing(world, small):
    assert selectors.obligations_for(small["outside"][0]) == []
    assert selectors.obligations_for(world.user("sysadmin")) == []


def test_a_role_holder_owes_the_plan_and_a_named_person_too(world, people):
    course = factories.course(world)
    stranger = people(world.orgs["branch3"], 1)[0]
    factories.plan(world, courses=[course], roles=[Role.SECRETARY], users=[stranger])
    assert len(selectors.obligations_for(world.user("other_secretary"))) == 1
    assert len(selectors.obligations_for(stranger)) == 1
    assert selectors.obligations_for(world.user("member")) == []


def test_drafts_and_closed_plans_owe_nothing(world, small):
    services.plan_close(actor=world.user("schooladmin"), plan=small["plan"])
    assert selectors.obligations_for(small["branch1"][1]) == []


def test_the_todo_list_shows_what_is_owed_and_marks_overdue_items_urgent(world, small):
    user = small["branch1"][1]
    todos = hooks.todos(user)
    assert len(todos) == 1
    assert not todos[0].urgent
    factories.make_overdue(small["plan"])
    todos = hooks.todos(user)
    assert todos[0].urgent
    assert todos[0].due == small["plan"].due_on.isoformat()
    assert hooks.todos(world.user("sysadmin")) == []


def test_the_todo_list_costs_a_fixed_number_of_queries(
    world, people, django_assert_max_num_queries
):
    courses = [factories.course(world, f"课{n}", lessons=1) for n in range(15)]
    factories.plan(world, courses=courses, orgs=[world.orgs["org1"]])
    user = world.user("member")
    with django_assert_max_num_queries(7):
        todos = hooks.todos(user)
    assert len(todos) == hooks.TODO_SHOWN + 1


# ---------------------------------------------------------------------------------- reminders


def test_overdue_people_are_reminded_once_per_interval(world, small, settings):
    settings.TRAINING_REMIND_DAYS = 3
    factories.make_overdue(small["plan"])
    now = timezone.now()
    sent = reminders.reminders_send(now)
    assert sent == 5  # 7 people, 2 finished
    assert Notification.objects.filter(kind="training.overdue").count() == 5
    assert not Notification.objects.filter(recipient=small["branch1"][0]).exists()
    assert reminders.reminders_send(now + timedelta(days=1)) == 0
    assert reminders.reminders_send(now + timedelta(days=3, minutes=1)) == 5
    assert PlanReminder.objects.count() == 5


def test_plans_not_yet_due_send_no_reminder(world, small):
    assert reminders.reminders_send() == 0
    assert not Notification.objects.exists()


def test_reminders_take_a_fixed_number_of_queries_per_plan(
    world, small, people, django_assert_max_num_queries
):
    factories.make_overdue(small["plan"])
    with django_assert_max_num_queries(25) as few:
        reminders.reminders_send()
    people(world.orgs["branch2"], 15)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert reminders.reminders_send(timezone.now() + timedelta(days=4)) == 20


def test_the_system_sees_every_person(world, small):
    assert selectors.plan_completion(small["plan"], user=SYSTEM).assigned == 7
