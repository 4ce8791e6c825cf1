"""Typing results and training plans: what is recorded, and every refusal (nothing recorded)."""

from datetime import timedelta

import pytest
from django.core import signing
from django.utils import timezone, translation

from dangwu.access import SYSTEM, Role
from dangwu.accounts.services import role_grant, user_create
from dangwu.audit.models import AuditRecord
from dangwu.core.errors import DomainError, Forbidden, NotFound, ValidationFailed
from dangwu.training import services
from dangwu.training.enums import PlanStatus, TargetKind
from dangwu.training.models import PlanItem, PlanTarget, TrainingPlan, TypingSession
from dangwu.training.tests import factories


def zh(msgid: str) -> str:
    with translation.override("zh-hans"):
        return translation.gettext(msgid)


def _record(user, text, typed, seconds, *, started_ago=None, token=None, now=None):
    now = now or timezone.now()
    issued_at = now - timedelta(seconds=started_ago if started_ago is not None else seconds + 5)
    token = token or services.typing_token_issue(actor=user, text=text, now=issued_at)
    return services.typing_result_record(
        actor=user, token=token, typed=typed, seconds=seconds, now=now
    )


# ---------------------------------------------------------------------------------- scoring


def test_typing_the_text_exactly_scores_every_character():
    assert services.typing_score("学习党章，遵守党章。", "学习党章，遵守党章。") == (10, 10)


def test_a_wrong_character_costs_one_and_spaces_do_not_count():
    typed, correct = services.typing_score("学习党章，遵守党章。", "学习 党张，\n遵守党章。")
    assert (typed, correct) == (10, 9)


def test_stopping_halfway_keeps_full_accuracy_on_what_was_typed():
    assert services.typing_score("学习党章，遵守党章。", "学习党章") == (4, 4)


# ---------------------------------------------------------------------------------- typing


def test_a_member_records_an_exercise_and_the_server_computes_speed_and_accuracy(world):
    text = factories.typing_text()
    member = world.user("member")
    typed = factories.TEXT[:20] + "错"  # 21 characters, 20 right
    session = _record(member, text, typed, seconds=60)
    assert session.typed_chars == 21
    assert session.correct_chars == 20
    assert session.chars_per_minute == 20
    assert float(session.accuracy) == pytest.approx(95.2)
    assert AuditRecord.objects.filter(action="training.typing_recorded").count() == 1


def test_without_measured_seconds_the_time_since_the_start_is_taken(world):
    text = factories.typing_text()
    member = world.user("member")
    now = timezone.now()
    token = services.typing_token_issue(actor=member, text=text, now=now - timedelta(seconds=90))
    session = services.typing_result_record(
        actor=member, token=token, typed=factories.TEXT, seconds=None, now=now
    )
    assert session.seconds == 90


@pytest.mark.parametrize(
    ("case", "message"),
    [
        ("tampered", "This exercise could not be checked. Please start it again."),
        ("expired", "This exercise was started more than two hours ago. Please start again."),
        (
            "longer_than_elapsed",
            "The time reported is longer than the time since the exercise started. "
            "Nothing was recorded.",
        ),
        ("too_few", "Please type at least 5 characters before you finish."),
        ("zero_seconds", "The time must be between 1 second and 1 hour."),
    ],
)
def test_a_forged_or_impossible_result_is_refused_and_nothing_is_recorded(world, case, message):
    text = factories.typing_text()
    member = world.user("member")
    now = timezone.now()
    token = services.typing_token_issue(actor=member, text=text, now=now - timedelta(seconds=60))
    typed, seconds = factories.TEXT, 50
    if case == "tampered":
        token = token[:-3] + ("aaa" if not token.endswith("aaa") else "bbb")
    elif case == "expired":
        token = services.typing_token_issue(actor=member, text=text, now=now - timedelta(hours=3))
    elif case == "longer_than_elapsed":
        seconds = 600
    elif case == "too_few":
        typed = "学习党"
    elif case == "zero_seconds":
        seconds = 0
    with pytest.raises(ValidationFailed) as refused:
        services.typing_result_record(
            actor=member, token=token, typed=typed, seconds=seconds, now=now
        )
    assert refused.value.message == zh(message)
    assert TypingSession.objects.count() == 0


def test_someone_elses_start_token_is_answered_as_missing(world):
    text = factories.typing_text()
    token = services.typing_token_issue(actor=world.user("secretary"), text=text)
    with pytest.raises(NotFound):
        services.typing_result_record(
            actor=world.user("member"), token=token, typed=factories.TEXT, seconds=None
        )
    assert TypingSession.objects.count() == 0


def test_a_pasted_text_faster_than_anyone_types_with_pinyin_is_refused(world):
    text = factories.typing_text(body="党" * 400)
    member = world.user("member")
    # 400 characters in 60 seconds is 400 a minute: more than the 300 anyone sustains.
    with pytest.raises(ValidationFailed) as refused:
        _record(member, text, "党" * 400, seconds=60)
    assert "300" in refused.value.message
    assert TypingSession.objects.count() == 0
    # At the limit it counts.
    assert _record(member, text, "党" * 300, seconds=60).chars_per_minute == 300


def test_a_start_token_counts_only_once(world):
    text = factories.typing_text()
    member = world.user("member")
    now = timezone.now()
    token = services.typing_token_issue(actor=member, text=text, now=now - timedelta(seconds=60))
    services.typing_result_record(
        actor=member, token=token, typed=factories.TEXT, seconds=50, now=now
    )
    with pytest.raises(ValidationFailed) as refused:
        services.typing_result_record(
            actor=member, token=token, typed=factories.TEXT, seconds=50, now=now
        )
    assert refused.value.message == zh("This exercise has already been recorded.")
    assert TypingSession.objects.count() == 1


def test_a_token_signed_with_another_salt_is_refused(world):
    text = factories.typing_text()
    member = world.user("member")
    forged = signing.dumps({"u": member.pk, "t": text.pk, "n": "x" * 32, "s": 0.0})
    with pytest.raises(ValidationFailed):
        services.typing_result_record(actor=member, token=forged, typed=factories.TEXT, seconds=5)


def test_the_three_administrators_do_not_practise(world):
    text = factories.typing_text()
    with pytest.raises(Forbidden):
        services.typing_token_issue(actor=world.user("sysadmin"), text=text)


def test_typing_time_is_credited_to_the_practice_lesson_and_completes_it(world):
    from dangwu.school.models import LessonProgress

    _course, lesson = factories.practice_course(world)
    text = factories.typing_text()
    member = world.user("member")
    _record(member, text, factories.TEXT, seconds=70)
    progress = LessonProgress.objects.get(user=member, lesson=lesson)
    assert progress.seconds == 70
    assert progress.completed_at is None
    _record(member, text, factories.TEXT, seconds=60)
    progress.refresh_from_db()
    assert progress.seconds == 130
    assert progress.completed_at is not None


def test_a_refused_result_credits_no_study_time(world):
    from dangwu.school.models import LessonProgress

    factories.practice_course(world)
    text = factories.typing_text()
    with pytest.raises(ValidationFailed):
        _record(world.user("member"), text, factories.TEXT, seconds=600, started_ago=30)
    assert LessonProgress.objects.count() == 0


def test_a_typing_text_needs_a_title_and_enough_characters(world):
    with pytest.raises(ValidationFailed) as refused:
        services.typing_text_create(actor=world.user("schooladmin"), title=" ", body="太短")
    fields = {field for field, _message in refused.value.errors}
    assert fields == {"title", "body"}


# ---------------------------------------------------------------------------------- plans


def _plan_values(world, **overrides):
    today = timezone.localdate()
    return {
        "title": "2026年党务干部计算机技能培训",
        "organization": world.orgs["root"],
        "starts_on": today,
        "due_on": today + timedelta(days=30),
        **overrides,
    }


def test_a_school_administrator_makes_a_draft_plan_with_items_and_targets(world):
    course = factories.course(world)
    exam = factories.exam(world)
    plan = services.plan_create(
        actor=world.user("schooladmin"),
        courses=[course],
        exams=[exam],
        target_organizations=[world.orgs["org1"]],
        target_roles=[Role.SECRETARY],
        target_users=[world.user("member")],
        **_plan_values(world),
    )
    assert plan.status == PlanStatus.DRAFT
    assert PlanItem.objects.filter(plan=plan).count() == 2
    kinds = sorted(PlanTarget.objects.filter(plan=plan).values_list("kind", flat=True))
    assert kinds == sorted([TargetKind.ORGANIZATION, TargetKind.ROLE, TargetKind.PERSON])
    assert AuditRecord.objects.filter(action="training.plan_created").count() == 1


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"due_on": timezone.localdate() - timedelta(days=1)}, "due_on"),
        (
            {
                "starts_on": timezone.localdate() + timedelta(days=10),
                "due_on": timezone.localdate() + timedelta(days=5),
            },
            "due_on",
        ),
        ({"title": "  "}, "title"),
    ],
)
def test_a_plan_with_bad_dates_or_no_title_is_refused(world, overrides, field):
    with pytest.raises(ValidationFailed) as refused:
        services.plan_create(actor=world.user("schooladmin"), **_plan_values(world, **overrides))
    assert field in {f for f, _m in refused.value.errors}
    assert TrainingPlan.objects.count() == 0


def test_a_target_outside_the_plans_organization_is_refused(world):
    with pytest.raises(ValidationFailed) as refused:
        services.plan_create(
            actor=world.user("schooladmin"),
            target_organizations=[world.orgs["org2"]],
            **_plan_values(world, organization=world.orgs["org1"]),
        )
    assert refused.value.errors[0][0] == "target_organizations"
    assert TrainingPlan.objects.count() == 0


def test_a_planner_cannot_plan_for_or_target_outside_their_own_subtree(world):
    planner = user_create(actor=SYSTEM, username="org1-school", password="x-Pass-2026")
    role_grant(actor=SYSTEM, user=planner, role=Role.SCHOOL_ADMIN, organization=world.orgs["org1"])
    with pytest.raises(Forbidden):
        services.plan_create(actor=planner, **_plan_values(world))  # the root: not theirs
    with pytest.raises(ValidationFailed):
        services.plan_create(
            actor=planner,
            target_users=[world.user("other_secretary")],
            **_plan_values(world, organization=world.orgs["org1"]),
        )
    assert TrainingPlan.objects.count() == 0


def test_a_named_administrator_or_an_administrator_role_is_refused(world):
    with pytest.raises(ValidationFailed):
        services.plan_create(
            actor=world.user("schooladmin"),
            target_users=[world.user("sysadmin")],
            **_plan_values(world),
        )
    with pytest.raises(ValidationFailed):
        services.plan_create(
            actor=world.user("schooladmin"), target_roles=["sysadmin"], **_plan_values(world)
        )


def test_a_secretary_cannot_make_a_plan(world):
    with pytest.raises(Forbidden):
        services.plan_create(
            actor=world.user("secretary"), **_plan_values(world, organization=world.orgs["org1"])
        )


def test_publishing_needs_an_item_someone_and_open_courses(world):
    admin = world.user("schooladmin")
    empty = services.plan_create(actor=admin, **_plan_values(world))
    with pytest.raises(ValidationFailed):
        services.plan_publish(actor=admin, plan=empty)
    draft_course = factories.course(world, title="未发布的课", publish=False)
    plan = services.plan_create(
        actor=admin,
        courses=[draft_course],
        target_roles=[Role.SECRETARY],
        **_plan_values(world),
    )
    with pytest.raises(ValidationFailed) as refused:
        services.plan_publish(actor=admin, plan=plan)
    assert "未发布的课" in refused.value.message
    plan.refresh_from_db()
    assert plan.status == PlanStatus.DRAFT


def test_a_plan_is_started_then_closed_and_a_closed_plan_cannot_change(world):
    admin = world.user("schooladmin")
    plan = factories.plan(world, courses=[factories.course(world)], roles=[Role.SECRETARY])
    assert plan.status == PlanStatus.ACTIVE
    with pytest.raises(DomainError):
        services.plan_publish(actor=admin, plan=plan)
    services.plan_close(actor=admin, plan=plan)
    plan.refresh_from_db()
    with pytest.raises(DomainError):
        services.plan_update(actor=admin, plan=plan, **_plan_values(world))
    assert plan.status == PlanStatus.CLOSED


def test_updating_a_plan_replaces_its_items_and_targets(world):
    admin = world.user("schooladmin")
    first, second = factories.course(world, "甲"), factories.course(world, "乙")
    plan = factories.plan(world, courses=[first], roles=[Role.SECRETARY])
    services.plan_update(
        actor=admin,
        plan=plan,
        courses=[second],
        target_organizations=[world.orgs["org1"]],
        **_plan_values(world, title="新标题"),
    )
    plan.refresh_from_db()
    assert plan.title == "新标题"
    assert [i.course_id for i in plan.items.all()] == [second.pk]
    assert [t.kind for t in plan.targets.all()] == [TargetKind.ORGANIZATION]


def test_an_active_plan_cannot_lose_all_its_items(world):
    admin = world.user("schooladmin")
    plan = factories.plan(world, courses=[factories.course(world)], roles=[Role.SECRETARY])
    with pytest.raises(ValidationFailed):
        services.plan_update(
            actor=admin, plan=plan, target_roles=[Role.SECRETARY], **_plan_values(world)
        )
    assert plan.items.count() == 1
