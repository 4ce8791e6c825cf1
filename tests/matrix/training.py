"""Access matrix cases of the training app (see tests/matrix/__init__.py).

Every business user practises typing and sees the plans they owe; the three administrators do
not. School administrators plan (schooladmin, on the root). Leaders, organization clerks,
secretaries and school administrators follow a plan's completion when the plan reaches their
subtree: a committee plan reaches both secretaries, a plan of 第二机关党委 only its secretary
(and those above it). A typing result is its author's alone.
"""

from datetime import timedelta

from tests.matrix import BUSINESS, Case

PLANNER = frozenset({"schooladmin"})
FOLLOWERS = frozenset({"leader", "orgclerk", "secretary", "other_secretary", "schooladmin"})
ORG2_FOLLOWERS = FOLLOWERS - {"secretary"}
API = "/api/v1/training"


def _text(world) -> int:
    from dangwu.training.tests.factories import typing_text

    return typing_text().pk


def _session(world) -> int:
    from dangwu.training.tests.factories import TEXT, typing_text
    from dangwu.training.tests.test_services import _record

    return _record(world.user("member"), typing_text(), TEXT, seconds=60).pk


def _result_payload(world) -> dict:
    """A finished exercise of the demo member (anyone else's token is "not yours")."""
    from django.utils import timezone

    from dangwu.training import services
    from dangwu.training.tests.factories import TEXT, typing_text

    token = services.typing_token_issue(
        actor=world.user("member"),
        text=typing_text(),
        now=timezone.now() - timedelta(minutes=1),
    )
    return {"token": token, "typed": TEXT, "seconds": 40}


def _plan(world, *, publish: bool = True, org: str = "root") -> int:
    from dangwu.training.tests import factories

    course = factories.course(world, lessons=1)
    organization = world.orgs[org]
    return factories.plan(
        world,
        courses=[course],
        orgs=[organization],
        organization=organization,
        publish=publish,
    ).pk


def _plan_payload(world) -> dict:
    from django.utils import timezone

    from dangwu.training.tests import factories

    today = timezone.localdate()
    return {
        "title": "计算机培训",
        "organization": world.orgs["root"].pk,
        "starts_on": today.isoformat(),
        "due_on": (today + timedelta(days=30)).isoformat(),
        "courses": [factories.course(world, lessons=1).pk],
        "target_roles": ["secretary"],
    }


CASES = [
    # Pages.
    Case("training:mine", "get", lambda w: "/training/", BUSINESS),
    Case("training:typing", "get", lambda w: "/training/typing/", BUSINESS),
    Case("training:typing_exercise", "get", lambda w: f"/training/typing/{_text(w)}/", BUSINESS),
    Case(
        "training:typing_result",
        "get",
        lambda w: f"/training/typing/results/{_session(w)}/",
        frozenset({"member"}),
    ),
    Case("training:typing_history", "get", lambda w: "/training/typing/history/", BUSINESS),
    Case("training:typing_export", "get", lambda w: "/training/typing/history.xlsx", BUSINESS),
    Case("training:plans", "get", lambda w: "/training/plans/", FOLLOWERS),
    Case("training:plan_create", "get", lambda w: "/training/plans/new/", PLANNER),
    Case("training:plan_detail", "get", lambda w: f"/training/plans/{_plan(w)}/", FOLLOWERS),
    Case(
        "training:plan_detail",
        "get",
        lambda w: f"/training/plans/{_plan(w, org='org2')}/",
        ORG2_FOLLOWERS,
    ),
    Case(
        "training:plan_detail",
        "get",
        lambda w: f"/training/plans/{_plan(w, publish=False)}/",
        PLANNER,
    ),
    Case("training:plan_edit", "get", lambda w: f"/training/plans/{_plan(w)}/edit/", PLANNER),
    Case(
        "training:plan_publish",
        "post",
        lambda w: f"/training/plans/{_plan(w, publish=False)}/publish/",
        PLANNER,
    ),
    Case("training:plan_close", "post", lambda w: f"/training/plans/{_plan(w)}/close/", PLANNER),
    Case(
        "training:plan_export",
        "get",
        lambda w: f"/training/plans/{_plan(w)}/completion.xlsx",
        FOLLOWERS,
    ),
    # API.
    Case("api:training_typing_texts", "get", lambda w: f"{API}/typing/texts", BUSINESS),
    Case(
        "api:training_typing_start",
        "post",
        lambda w: f"{API}/typing/texts/{_text(w)}/start",
        BUSINESS,
    ),
    Case(
        "api:training_typing_result",
        "post",
        lambda w: f"{API}/typing/results",
        frozenset({"member"}),
        _result_payload,
    ),
    Case("api:training_typing_history", "get", lambda w: f"{API}/typing/results", BUSINESS),
    Case("api:training_obligations", "get", lambda w: f"{API}/obligations", BUSINESS),
    Case("api:training_plan_list", "get", lambda w: f"{API}/plans", FOLLOWERS),
    Case("api:training_plan_create", "post", lambda w: f"{API}/plans", PLANNER, _plan_payload),
    Case("api:training_plan_detail", "get", lambda w: f"{API}/plans/{_plan(w)}", FOLLOWERS),
    Case(
        "api:training_plan_detail",
        "get",
        lambda w: f"{API}/plans/{_plan(w, org='org2')}",
        ORG2_FOLLOWERS,
    ),
    Case(
        "api:training_plan_publish",
        "post",
        lambda w: f"{API}/plans/{_plan(w, publish=False)}/publish",
        PLANNER,
    ),
    Case("api:training_plan_close", "post", lambda w: f"{API}/plans/{_plan(w)}/close", PLANNER),
    Case(
        "api:training_plan_completion",
        "get",
        lambda w: f"{API}/plans/{_plan(w)}/completion",
        FOLLOWERS,
    ),
    Case(
        "api:training_plan_completion_people",
        "get",
        lambda w: f"{API}/plans/{_plan(w, org='org2')}/completion/people",
        ORG2_FOLLOWERS,
    ),
]
