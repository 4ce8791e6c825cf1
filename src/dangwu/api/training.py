"""The training API: typing practice, my obligations, training plans and their completion.

Same services, selectors and policy as the pages. Typing results are computed by the server from
a signed start token (``POST /training/typing/texts/{id}/start``): a forged, reused or expired
token, a duration longer than possible or a speed above 300 characters a minute is refused with
400 and nothing is recorded. A plan the caller may not see is answered as missing (404).
"""

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from dangwu import access
from dangwu.api.pagination import Pages
from dangwu.api.schemas import MAX_ID, NO_NUL, ErrorOut, ObjectId, ValidationErrorOut
from dangwu.api.security import ApiRequest
from dangwu.core.errors import ValidationFailed
from dangwu.orgs.models import Organization
from dangwu.training import permissions as perms
from dangwu.training import selectors, services
from dangwu.training.enums import PlanStatus, TargetKind
from dangwu.training.services import MAX_SECONDS, MAX_TYPED

router = Router(tags=["training"])

MAX_IDS = 5000
_ERRORS: dict[int, Any] = {
    400: ErrorOut,
    401: ErrorOut,
    403: ErrorOut,
    404: ErrorOut,
    422: ValidationErrorOut,
}


def _text(default: Any, max_length: int, **extra: Any) -> Any:
    return Field(default, max_length=max_length, pattern=NO_NUL, **extra)


# ---------------------------------------------------------------------------------- schemas


class TypingTextOut(Schema):
    id: int
    title: str
    level: int
    level_label: str
    body: str

    @staticmethod
    def resolve_level_label(obj: Any) -> str:
        return str(obj.get_level_display())


class StartOut(Schema):
    token: str = Field(..., description="Send it back with the result; good for two hours, once")


class TypingResultIn(Schema):
    token: str = Field(..., min_length=1, max_length=500)
    typed: str = Field(..., max_length=MAX_TYPED, pattern=NO_NUL)
    seconds: int | None = Field(
        None,
        ge=1,
        le=MAX_SECONDS,
        description="Seconds from the first committed character; default: since the start",
    )


class TypingResultOut(Schema):
    id: int
    text_id: int
    text_title: str
    typed_chars: int
    correct_chars: int
    seconds: int
    chars_per_minute: Decimal
    accuracy: Decimal = Field(..., description="Percentage of the typed characters that match")
    created_at: datetime

    @staticmethod
    def resolve_text_title(obj: Any) -> str:
        return str(obj.text.title)


class ObligationOut(Schema):
    plan_id: int
    plan_title: str
    due_on: date
    kind: str = Field(..., description="course or exam")
    object_id: int = Field(..., description="The course or exam id")
    title: str
    done: bool
    overdue: bool


class PlanOut(Schema):
    id: int
    title: str
    organization_id: int
    organization_name: str
    starts_on: date
    due_on: date
    status: PlanStatus

    @staticmethod
    def resolve_organization_name(obj: Any) -> str:
        if isinstance(obj, dict):
            return str(obj["organization_name"])
        return str(obj.organization.name)


class ItemOut(Schema):
    kind: str
    object_id: int
    title: str


class TargetOut(Schema):
    kind: TargetKind
    organization_id: int | None
    role: str
    user_id: int | None


class PlanDetailOut(PlanOut):
    description: str
    items: list[ItemOut]
    targets: list[TargetOut]


class PlanIn(Schema):
    title: str = _text(..., 200, min_length=1)
    description: str = _text("", 5000)
    organization: int = Field(..., ge=1, le=MAX_ID, description="Organization the plan belongs to")
    starts_on: date
    due_on: date
    courses: list[int] = Field(default_factory=list, max_length=200)
    exams: list[int] = Field(default_factory=list, max_length=200)
    target_organizations: list[int] = Field(default_factory=list, max_length=MAX_IDS)
    target_roles: list[str] = Field(default_factory=list, max_length=20)
    target_users: list[int] = Field(default_factory=list, max_length=MAX_IDS)


class ItemCompletionOut(Schema):
    kind: str
    object_id: int
    title: str
    done: int


class OrganizationCompletionOut(Schema):
    organization_id: int
    name: str
    assigned: int
    completed: int
    assigned_with_children: int
    completed_with_children: int


class CompletionOut(Schema):
    plan_id: int
    assigned: int = Field(..., description="People owing the plan, within the caller's subtree")
    completed: int = Field(..., description="Of them, those who did every item")
    items: list[ItemCompletionOut]
    organizations: list[OrganizationCompletionOut]


class PersonCompletionOut(Schema):
    user_id: int
    name: str
    organization_id: int | None
    organization_name: str
    done: int
    complete: bool
    missing: list[str]


class PeopleFilter(Schema):
    show: str = Field("", pattern=r"^(|complete|incomplete)$")


# ---------------------------------------------------------------------------------- helpers


def _refused(field: str, message: str) -> ValidationFailed:
    return ValidationFailed(message, errors=[(field, message)])


def _item_title(item: Any) -> str:
    target = item.course or item.exam
    return str(target.title) if target is not None else ""


def _detail(plan: Any) -> dict[str, Any]:
    items = selectors.plan_items(plan)
    return {
        "id": plan.pk,
        "title": plan.title,
        "description": plan.description,
        "organization_id": plan.organization_id,
        "organization_name": plan.organization.name,
        "starts_on": plan.starts_on,
        "due_on": plan.due_on,
        "status": plan.status,
        "items": [
            {
                "kind": "course" if i.course_id else "exam",
                "object_id": i.course_id or i.exam_id,
                "title": _item_title(i),
            }
            for i in items
        ],
        "targets": selectors.plan_targets(plan),
    }


def _plan_values(payload: PlanIn) -> dict[str, Any]:
    from dangwu.accounts.models import User
    from dangwu.exams.models import Exam
    from dangwu.school.models import Course

    def fetch(model: Any, ids: list[int], field: str, message: str) -> list[Any]:
        found = list(model.objects.filter(pk__in=ids))
        if len(found) != len(set(ids)):
            raise _refused(field, message)
        order = {pk: n for n, pk in enumerate(ids)}
        return sorted(found, key=lambda o: order[o.pk])

    organization = Organization.objects.filter(pk=payload.organization).first()
    if organization is None:
        raise _refused("organization", _("There is no such organization."))
    return {
        "title": payload.title,
        "description": payload.description,
        "organization": organization,
        "starts_on": payload.starts_on,
        "due_on": payload.due_on,
        "courses": fetch(
            Course, payload.courses, "courses", _("One of the courses does not exist.")
        ),
        "exams": fetch(Exam, payload.exams, "exams", _("One of the exams does not exist.")),
        "target_organizations": fetch(
            Organization,
            payload.target_organizations,
            "target_organizations",
            _("One of the chosen organizations does not exist."),
        ),
        "target_roles": payload.target_roles,
        "target_users": fetch(
            User, payload.target_users, "target_users", _("One of the people does not exist.")
        ),
    }


# ---------------------------------------------------------------------------------- typing


@router.get(
    "/training/typing/texts",
    response={200: list[TypingTextOut], **_ERRORS},
    summary="List the passages of the typing practice, easiest first",
)
def training_typing_texts(request: ApiRequest) -> Any:
    access.require(request.auth, perms.STUDY)
    return list(selectors.typing_texts())


@router.post(
    "/training/typing/texts/{text_id}/start",
    response={200: StartOut, **_ERRORS},
    summary="Start an exercise: get the signed start token to send back with the result",
)
def training_typing_start(request: ApiRequest, text_id: ObjectId) -> Any:
    access.require(request.auth, perms.STUDY)
    text = selectors.typing_text_access(pk=text_id)
    return {"token": services.typing_token_issue(actor=request.auth, text=text)}


@router.post(
    "/training/typing/results",
    response={201: TypingResultOut, **_ERRORS},
    summary="Finish an exercise: the server scores the typed text and records the result",
)
def training_typing_result(request: ApiRequest, payload: TypingResultIn) -> Any:
    """Refused with 400, nothing recorded: a forged, reused or expired token; fewer than 5
    characters; more seconds than since the start; more than 300 characters a minute. Someone
    else's token: 404."""
    session = services.typing_result_record(
        actor=request.auth, token=payload.token, typed=payload.typed, seconds=payload.seconds
    )
    return Status(201, session)


@router.get(
    "/training/typing/results",
    response={200: list[TypingResultOut], **_ERRORS},
    summary="My typing results, newest first",
)
@paginate(Pages)
def training_typing_history(request: ApiRequest) -> Any:
    access.require(request.auth, perms.STUDY)
    return selectors.typing_history(request.auth)


# ---------------------------------------------------------------------------------- obligations


@router.get(
    "/training/obligations",
    response={200: list[ObligationOut], **_ERRORS},
    summary="What the plans in progress ask of me: each course and exam, done or not, overdue",
)
def training_obligations(request: ApiRequest) -> Any:
    access.require(request.auth, perms.STUDY)
    return selectors.obligations_for(request.auth)


# ---------------------------------------------------------------------------------- plans


class PlanFilters(Schema):
    status: PlanStatus | None = None


@router.get(
    "/training/plans",
    response={200: list[PlanOut], **_ERRORS},
    summary="The training plans I plan or follow (drafts only for their planners)",
)
@paginate(Pages)
def training_plan_list(request: ApiRequest, filters: Query[PlanFilters]) -> Any:
    if not access.can(request.auth, perms.PLAN_MANAGE):
        access.require(request.auth, perms.PLAN_VIEW)
    plans = selectors.plans_visible(request.auth)
    if filters.status:
        plans = plans.filter(status=filters.status)
    return plans.order_by("-starts_on", "-id")


@router.post(
    "/training/plans",
    response={201: PlanDetailOut, **_ERRORS},
    summary="Make a training plan (a draft) for an organization I plan for",
)
def training_plan_create(request: ApiRequest, payload: PlanIn) -> Any:
    """Refused with 400, nothing saved: bad dates, an unknown or outside target, no title."""
    access.require(request.auth, perms.PLAN_MANAGE)
    plan = services.plan_create(actor=request.auth, **_plan_values(payload))
    return Status(201, _detail(plan))


@router.get(
    "/training/plans/{plan_id}",
    response={200: PlanDetailOut, **_ERRORS},
    summary="One plan with its courses, exams and who takes part",
)
def training_plan_detail(request: ApiRequest, plan_id: ObjectId) -> Any:
    return _detail(selectors.plan_access(user=request.auth, pk=plan_id))


@router.post(
    "/training/plans/{plan_id}/publish",
    response={200: PlanDetailOut, **_ERRORS},
    summary="Start a draft plan: its people owe its items from now on",
)
def training_plan_publish(request: ApiRequest, plan_id: ObjectId) -> Any:
    plan = selectors.plan_access(user=request.auth, pk=plan_id)
    return _detail(services.plan_publish(actor=request.auth, plan=plan))


@router.post(
    "/training/plans/{plan_id}/close",
    response={200: PlanDetailOut, **_ERRORS},
    summary="Close a plan in progress",
)
def training_plan_close(request: ApiRequest, plan_id: ObjectId) -> Any:
    plan = selectors.plan_access(user=request.auth, pk=plan_id)
    return _detail(services.plan_close(actor=request.auth, plan=plan))


@router.get(
    "/training/plans/{plan_id}/completion",
    response={200: CompletionOut, **_ERRORS},
    summary="Completion within my subtree: overall, per course or exam, per organization",
)
def training_plan_completion(request: ApiRequest, plan_id: ObjectId) -> Any:
    plan = selectors.plan_access(user=request.auth, pk=plan_id)
    completion = selectors.plan_completion(plan, user=request.auth)
    return {
        "plan_id": plan.pk,
        "assigned": completion.assigned,
        "completed": completion.completed,
        "items": [
            {
                "kind": row.kind,
                "object_id": row.item.course_id or row.item.exam_id,
                "title": row.title,
                "done": row.done,
            }
            for row in completion.items
        ],
        "organizations": [
            {
                "organization_id": row.organization_id,
                "name": row.name,
                "assigned": row.assigned,
                "completed": row.completed,
                "assigned_with_children": row.assigned_all,
                "completed_with_children": row.completed_all,
            }
            for row in completion.organizations
        ],
    }


@router.get(
    "/training/plans/{plan_id}/completion/people",
    response={200: list[PersonCompletionOut], **_ERRORS},
    summary="Completion per person within my subtree, in tree order",
)
@paginate(Pages)
def training_plan_completion_people(
    request: ApiRequest, plan_id: ObjectId, filters: Query[PeopleFilter]
) -> Any:
    plan = selectors.plan_access(user=request.auth, pk=plan_id)
    people = selectors.plan_completion(plan, user=request.auth).people
    if filters.show == "complete":
        people = [p for p in people if p.complete]
    elif filters.show == "incomplete":
        people = [p for p in people if not p.complete]
    return people
