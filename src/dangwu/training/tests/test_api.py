"""The training API: typing, obligations, plans and completion, with the refusals."""

from datetime import timedelta

from django.utils import timezone

from dangwu.access import Role
from dangwu.training import services
from dangwu.training.models import TrainingPlan, TypingSession
from dangwu.training.tests import factories

API = "/api/v1/training"


def test_a_member_types_through_the_api_and_reads_the_history(api_for, world):
    text = factories.typing_text()
    caller = api_for("member")
    texts = caller.get(f"{API}/typing/texts").json()
    assert [t["title"] for t in texts] == [text.title]
    assert caller.post(f"{API}/typing/texts/{text.pk}/start").status_code == 200
    token = services.typing_token_issue(
        actor=world.user("member"), text=text, now=timezone.now() - timedelta(minutes=1)
    )
    response = caller.post(
        f"{API}/typing/results", {"token": token, "typed": factories.TEXT, "seconds": 40}
    )
    assert response.status_code == 201
    body = response.json()
    assert body["typed_chars"] == body["correct_chars"] == len(factories.TEXT)
    history = caller.get(f"{API}/typing/results").json()
    assert history["count"] == 1


def test_a_forged_typing_result_is_refused_with_400(api_for, world):
    text = factories.typing_text()
    caller = api_for("member")
    token = caller.post(f"{API}/typing/texts/{text.pk}/start").json()["token"]
    response = caller.post(
        f"{API}/typing/results", {"token": token, "typed": factories.TEXT, "seconds": 900}
    )
    assert response.status_code == 400
    assert response.json()["detail"]
    assert TypingSession.objects.count() == 0


def test_a_malformed_typing_result_is_refused_with_422(api_for, world):
    response = api_for("member").post(f"{API}/typing/results", {"token": "x", "seconds": -3})
    assert response.status_code == 422


def test_an_unknown_text_is_404(api_for, world):
    assert api_for("member").post(f"{API}/typing/texts/999/start").status_code == 404


def test_obligations_list_what_is_owed(api_for, world):
    course = factories.course(world)
    factories.plan(world, courses=[course], orgs=[world.orgs["org1"]])
    rows = api_for("member").get(f"{API}/obligations").json()
    assert [(r["kind"], r["object_id"], r["done"]) for r in rows] == [("course", course.pk, False)]


def test_a_school_administrator_makes_starts_and_follows_a_plan(api_for, world):
    course = factories.course(world)
    caller = api_for("schooladmin")
    today = timezone.localdate()
    response = caller.post(
        f"{API}/plans",
        {
            "title": "计算机培训",
            "organization": world.orgs["root"].pk,
            "starts_on": today.isoformat(),
            "due_on": (today + timedelta(days=20)).isoformat(),
            "courses": [course.pk],
            "target_roles": [Role.SECRETARY],
        },
    )
    assert response.status_code == 201
    plan_id = response.json()["id"]
    assert caller.post(f"{API}/plans/{plan_id}/publish").json()["status"] == "active"
    assert caller.get(f"{API}/plans").json()["count"] == 1
    detail = caller.get(f"{API}/plans/{plan_id}").json()
    assert detail["items"] == [{"kind": "course", "object_id": course.pk, "title": course.title}]
    completion = caller.get(f"{API}/plans/{plan_id}/completion").json()
    assert (completion["assigned"], completion["completed"]) == (2, 0)
    people = caller.get(f"{API}/plans/{plan_id}/completion/people", show="incomplete").json()
    assert people["count"] == 2
    assert caller.post(f"{API}/plans/{plan_id}/close").json()["status"] == "closed"


def test_a_plan_with_bad_dates_or_unknown_targets_is_refused(api_for, world):
    caller = api_for("schooladmin")
    today = timezone.localdate()
    base = {
        "title": "计算机培训",
        "organization": world.orgs["root"].pk,
        "starts_on": today.isoformat(),
        "due_on": (today - timedelta(days=1)).isoformat(),
    }
    assert caller.post(f"{API}/plans", base).status_code == 400
    late = {**base, "due_on": (today + timedelta(days=3)).isoformat()}
    assert caller.post(f"{API}/plans", {**late, "target_users": [987654]}).status_code == 400
    assert caller.post(f"{API}/plans", {**late, "starts_on": "not a date"}).status_code == 422
    assert TrainingPlan.objects.count() == 0


def test_a_secretary_follows_but_may_not_plan_and_a_member_sees_no_plan(api_for, world):
    plan = factories.plan(world, courses=[factories.course(world)], roles=["secretary"])
    secretary = api_for("secretary")
    assert secretary.get(f"{API}/plans/{plan.pk}/completion").status_code == 200
    assert secretary.post(f"{API}/plans/{plan.pk}/close").status_code == 403
    member = api_for("member")
    assert member.get(f"{API}/plans").status_code == 403
    assert member.get(f"{API}/plans/{plan.pk}").status_code == 404
