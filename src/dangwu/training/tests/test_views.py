"""The training pages: typing practice, history and export, my training, plans and completion."""

import io
import re
from datetime import timedelta

import openpyxl
import pytest
from django.urls import reverse
from django.utils import timezone, translation

from dangwu.access import Role
from dangwu.training import services
from dangwu.training.enums import PlanStatus
from dangwu.training.models import TrainingPlan, TypingSession
from dangwu.training.tests import factories


def zh(msgid: str) -> str:
    with translation.override("zh-hans"):
        return translation.gettext(msgid)


def _token(page) -> str:
    return re.search(r'name="token" value="([^"]+)"', page.content.decode()).group(1)


def test_a_member_types_a_text_and_sees_the_result(client_for, world):
    text = factories.typing_text()
    client = client_for("member")
    page = client.get(reverse("training:typing_exercise", args=[text.pk]))
    assert page.status_code == 200
    assert factories.TEXT in page.content.decode()
    # As if the page had been opened a minute ago and typed for 45 seconds.
    started = services.typing_token_issue(
        actor=world.user("member"), text=text, now=timezone.now() - timedelta(minutes=1)
    )
    response = client.post(
        reverse("training:typing_exercise", args=[text.pk]),
        {"token": started, "typed": factories.TEXT, "seconds": "45"},
    )
    session = TypingSession.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("training:typing_result", args=[session.pk])
    result = client.get(response["Location"])
    assert f"{session.accuracy}%" in result.content.decode()


def test_a_forged_duration_is_refused_with_the_typed_text_kept(client_for, world):
    text = factories.typing_text()
    client = client_for("member")
    page = client.get(reverse("training:typing_exercise", args=[text.pk]))
    response = client.post(
        reverse("training:typing_exercise", args=[text.pk]),
        {"token": _token(page), "typed": factories.TEXT, "seconds": "3000"},
    )
    assert response.status_code == 400
    content = response.content.decode()
    assert (
        zh(
            "The time reported is longer than the time since the exercise started. "
            "Nothing was recorded."
        )
        in content
    )
    assert factories.TEXT in content
    assert _token(response) != _token(page)
    assert TypingSession.objects.count() == 0


def test_the_history_shows_the_chart_data_and_the_table_and_exports(client_for, world):
    from dangwu.training.tests.test_services import _record

    text = factories.typing_text()
    for seconds in (60, 50, 40):
        _record(world.user("member"), text, factories.TEXT, seconds=seconds)
    client = client_for("member")
    page = client.get(reverse("training:typing_history"))
    content = page.content.decode()
    assert 'id="typing-chart-data"' in content
    assert "echarts.min.js" in content
    assert content.count("<tr>") >= 6
    export = client.get(reverse("training:typing_export"))
    sheet = openpyxl.load_workbook(io.BytesIO(export.content)).active
    assert sheet.max_row == 4


def test_someone_elses_result_is_not_found(client_for, world):
    from dangwu.training.tests.test_services import _record

    session = _record(world.user("member"), factories.typing_text(), factories.TEXT, seconds=60)
    response = client_for("secretary").get(reverse("training:typing_result", args=[session.pk]))
    assert response.status_code == 404


def test_my_training_lists_what_the_plan_asks(client_for, world):
    course = factories.course(world, title="电脑入门")
    factories.plan(world, courses=[course], orgs=[world.orgs["org1"]])
    content = client_for("member").get(reverse("training:mine")).content.decode()
    assert "2026年党务干部计算机技能培训" in content
    assert "电脑入门" in content


def _plan_form(world, course, **overrides):
    today = timezone.localdate()
    return {
        "title": "2026年党务干部计算机技能培训",
        "description": "",
        "organization": world.orgs["root"].pk,
        "starts_on": today.isoformat(),
        "due_on": today.replace(year=today.year + 1).isoformat(),
        "courses": [course.pk],
        "target_roles": [Role.SECRETARY],
        "target_users": "demo-member",
        **overrides,
    }


def test_a_school_administrator_makes_and_starts_a_plan_through_the_pages(client_for, world):
    course = factories.course(world)
    client = client_for("schooladmin")
    assert client.get(reverse("training:plan_create")).status_code == 200
    response = client.post(reverse("training:plan_create"), _plan_form(world, course))
    plan = TrainingPlan.objects.get()
    assert response["Location"] == reverse("training:plan_detail", args=[plan.pk])
    assert plan.targets.count() == 2
    client.post(reverse("training:plan_publish", args=[plan.pk]))
    plan.refresh_from_db()
    assert plan.status == PlanStatus.ACTIVE
    edit = client.get(reverse("training:plan_edit", args=[plan.pk]))
    assert "demo-member" in edit.content.decode()


def test_a_plan_form_with_bad_dates_or_an_unknown_person_keeps_the_input(client_for, world):
    course = factories.course(world)
    client = client_for("schooladmin")
    response = client.post(
        reverse("training:plan_create"),
        _plan_form(world, course, due_on="2020-01-01", target_users="nobody-here", title="保留"),
    )
    assert response.status_code == 400
    content = response.content.decode()
    assert zh("The due date is before the start date.") in content
    assert "nobody-here" in content
    assert "保留" in content
    assert TrainingPlan.objects.count() == 0


def test_a_target_outside_the_plans_organization_is_shown_as_a_problem(client_for, world):
    course = factories.course(world)
    response = client_for("schooladmin").post(
        reverse("training:plan_create"),
        _plan_form(
            world,
            course,
            organization=world.orgs["org1"].pk,
            target_organizations=[world.orgs["org2"].pk],
            target_users="",
        ),
    )
    assert response.status_code == 400
    assert "第二机关党委" in response.content.decode()
    assert TrainingPlan.objects.count() == 0


def test_a_secretary_sees_the_completion_of_their_organization_and_exports_it(
    client_for, world, people, django_assert_max_num_queries
):
    course = factories.course(world)
    plan = factories.plan(world, courses=[course], orgs=[world.orgs["root"]])
    mine = people(world.orgs["branch1"], 3)
    theirs = people(world.orgs["branch3"], 2)
    factories.complete_course(mine[0], course)
    client = client_for("secretary")
    client.get(reverse("training:plan_detail", args=[plan.pk]))
    with django_assert_max_num_queries(16):
        page = client.get(reverse("training:plan_detail", args=[plan.pk]))
    content = page.content.decode()
    assert "第一机关党委第一支部" in content
    assert "第二机关党委第一支部" not in content
    for user in theirs:
        assert user.member.name not in content
    export = client.get(reverse("training:plan_export", args=[plan.pk]))
    book = openpyxl.load_workbook(io.BytesIO(export.content))
    names = [row[0].value for row in book.worksheets[1].iter_rows(min_row=2)]
    assert mine[0].member.name in names
    assert theirs[0].member.name not in names


def test_the_plan_page_takes_the_same_queries_for_more_people(
    client_for, world, people, django_assert_max_num_queries
):
    course = factories.course(world)
    plan = factories.plan(world, courses=[course], orgs=[world.orgs["root"]])
    client = client_for("schooladmin")
    client.get(reverse("training:plan_detail", args=[plan.pk]))
    with django_assert_max_num_queries(20) as few:
        client.get(reverse("training:plan_detail", args=[plan.pk]))
    people(world.orgs["branch2"], 20)
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(reverse("training:plan_detail", args=[plan.pk]))


def test_a_secretary_may_not_make_plans_and_a_member_may_not_see_them(client_for, world):
    plan = factories.plan(world, courses=[factories.course(world)], roles=["secretary"])
    assert client_for("secretary").get(reverse("training:plan_create")).status_code == 403
    assert client_for("member").get(reverse("training:plans")).status_code == 403
    assert (
        client_for("member").get(reverse("training:plan_detail", args=[plan.pk])).status_code == 404
    )


@pytest.mark.parametrize("url", ["training:mine", "training:typing", "training:typing_history"])
def test_the_administrators_see_no_training_pages(client_for, world, url):
    assert client_for("auditor").get(reverse(url)).status_code == 403
