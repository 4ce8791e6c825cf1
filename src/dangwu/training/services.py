"""Writes of the training app: typing practice results and training plans.

Typing practice (汉字输入练习): the page asks for a signed start token (``typing_token_issue``);
the finished exercise comes back with that token, the typed text and the seconds the page
measured from the first committed character. The server recomputes every figure and refuses
what cannot have happened (see ``typing_result_record`` and docs/training.md):

* the token must be genuine, the caller's, for that text, unused and at most two hours old;
* the seconds claimed may not exceed the time since the token was issued (plus a little slack
  for the two clocks);
* nobody types more than ``MAX_CHARS_PER_MINUTE`` characters a minute with a pinyin IME for a
  whole exercise: a faster result is refused as pasted or forged, and nothing is counted.

Training plans (培训计划) assign courses and exams to organization subtrees, roles held in the
plan's subtree, and named people, between two dates. School administrators make them for their
subtree; a draft owes nothing, an active plan appears in 我的待办, a closed one is kept.
"""

from __future__ import annotations

import difflib
import secrets
from collections.abc import Iterable, Sequence
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.core import signing
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dangwu import access
from dangwu.accounts.models import RoleAssignment, User
from dangwu.audit.services import audit_record
from dangwu.core.errors import DomainError, NotFound, ValidationFailed
from dangwu.orgs.models import Member, Organization
from dangwu.training import permissions as perms
from dangwu.training.enums import PlanStatus, TargetKind, TypingLevel
from dangwu.training.models import PlanItem, PlanTarget, TrainingPlan, TypingSession, TypingText

# ------------------------------------------------------------------------------ typing practice

TOKEN_SALT = "dangwu.training.typing"  # noqa: S105  (a signing namespace, not a secret)
# A start token is good for two hours: long enough for any exercise, short enough not to be kept.
TOKEN_MAX_AGE = 2 * 3600
# Faster than this over a whole exercise is not typing with pinyin (a fast typist manages 100-150).
MAX_CHARS_PER_MINUTE = 300
MIN_CHARS = 5
# The browser's and the server's clocks and the network: seconds the claim may exceed the server.
CLOCK_SLACK = 3
MAX_SECONDS = 3600
MAX_TYPED = 10_000
TEXT_MAX = 2000


def _refused(field: str, message: str) -> ValidationFailed:
    return ValidationFailed(message, errors=[(field, message)])


def _normalized(text: str) -> str:
    # Spaces and line breaks are not typed with the IME: they neither count nor hurt.
    return "".join(text.split())


def typing_score(original: str, typed: str) -> tuple[int, int]:
    """Return (characters typed, characters matching the original in order).

    Characters are compared after dropping white space; the matching blocks of difflib's
    ``SequenceMatcher`` count once each, so a skipped, doubled or wrong character costs one.
    """
    a, b = _normalized(original), _normalized(typed)
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    correct = sum(block.size for block in matcher.get_matching_blocks())
    return len(b), correct


def typing_text_create(
    *, actor: Any, title: str, body: str, level: int = TypingLevel.BEGINNER
) -> TypingText:
    """Add a passage for the typing practice (school administrators)."""
    access.require(actor, perms.PLAN_MANAGE)
    problems = []
    title, body = title.strip(), body.strip()
    if not title:
        problems.append(("title", _("The title is required.")))
    if len(title) > 100:
        problems.append(("title", _("The title may have at most 100 characters.")))
    if len(_normalized(body)) < 10:
        problems.append(("body", _("The text needs at least 10 characters.")))
    if len(body) > TEXT_MAX:
        problems.append(("body", _("The text may have at most 2,000 characters.")))
    if level not in TypingLevel.values:
        problems.append(("level", _("Choose a level.")))
    if problems:
        raise ValidationFailed(problems[0][1], errors=problems)
    with transaction.atomic():
        text = TypingText.objects.create(title=title, body=body, level=level)
        audit_record(actor=actor, action="training.typing_text_created", target=text)
    return text


def typing_token_issue(*, actor: Any, text: TypingText, now: datetime | None = None) -> str:
    """Return the signed start token of one exercise on ``text`` by ``actor``."""
    access.require(actor, perms.STUDY)
    if not text.active:
        raise NotFound(_("This text does not exist, or it is no longer used."))
    issued = (now or timezone.now()).timestamp()
    payload = {"u": actor.pk, "t": text.pk, "n": secrets.token_hex(16), "s": issued}
    return signing.dumps(payload, salt=TOKEN_SALT)


def _token_payload(token: str, actor: Any, now: datetime) -> dict[str, Any]:
    broken = _refused("token", _("This exercise could not be checked. Please start it again."))
    try:
        payload = signing.loads(token, salt=TOKEN_SALT)
    except signing.BadSignature:
        raise broken from None
    if not isinstance(payload, dict):
        raise broken
    if payload.get("u") != actor.pk:
        # A genuine token of someone else's exercise: "not yours" is answered as "missing".
        raise NotFound(_("This exercise does not exist, or it is not yours."))
    issued = payload.get("s")
    if not isinstance(issued, (int, float)) or not isinstance(payload.get("n"), str):
        raise broken
    if now.timestamp() - issued > TOKEN_MAX_AGE:
        raise _refused(
            "token", _("This exercise was started more than two hours ago. Please start again.")
        )
    return payload


def _one_decimal(value: float) -> Decimal:
    return Decimal(str(value)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


@transaction.atomic
def typing_result_record(
    *, actor: Any, token: str, typed: str, seconds: int | None, now: datetime | None = None
) -> TypingSession:
    """Record a finished exercise: the server computes accuracy and speed from the token.

    ``seconds`` is the time the page measured from the first committed character; it may not
    exceed the time since the token was issued (without it, that time is taken: a page used
    without JavaScript). Refused, with nothing recorded or credited: a
    forged, foreign, reused or expired token; fewer than 5 characters; a duration longer than
    possible; more than 300 characters a minute. The seconds are then credited as study time to
    the published practice lessons (school.services.lesson_time_credit).
    """
    access.require(actor, perms.STUDY)
    now = now or timezone.now()
    payload = _token_payload(token, actor, now)
    text = TypingText.objects.filter(pk=int(payload.get("t") or 0)).first()
    if text is None:
        raise NotFound(_("This text does not exist, or it is no longer used."))
    if TypingSession.objects.filter(nonce=payload["n"]).exists():
        raise _refused("token", _("This exercise has already been recorded."))
    if len(typed) > MAX_TYPED:
        raise _refused("typed", _("Far more was typed than the text has. Nothing was recorded."))
    elapsed = now.timestamp() - float(payload["s"])
    if seconds is None:
        seconds = max(1, min(int(elapsed), MAX_SECONDS))
    if isinstance(seconds, bool) or seconds < 1 or seconds > MAX_SECONDS:
        raise _refused("seconds", _("The time must be between 1 second and 1 hour."))
    if seconds > elapsed + CLOCK_SLACK:
        raise _refused(
            "seconds",
            _(
                "The time reported is longer than the time since the exercise started. "
                "Nothing was recorded."
            ),
        )
    typed_chars, correct = typing_score(text.body, typed)
    if typed_chars < MIN_CHARS:
        raise _refused("typed", _("Please type at least 5 characters before you finish."))
    if typed_chars * 60 > MAX_CHARS_PER_MINUTE * seconds:
        raise _refused(
            "typed",
            _(
                "Nobody types more than %(limit)s characters a minute with pinyin, so this "
                "result was not recorded. Please type the text yourself rather than paste it."
            )
            % {"limit": MAX_CHARS_PER_MINUTE},
        )
    try:
        with transaction.atomic():
            session = TypingSession.objects.create(
                user=actor,
                text=text,
                nonce=payload["n"],
                typed=typed,
                typed_chars=typed_chars,
                correct_chars=correct,
                seconds=seconds,
                chars_per_minute=_one_decimal(correct * 60 / seconds),
                accuracy=_one_decimal(correct * 100 / typed_chars),
                created_at=now,
            )
    except IntegrityError:
        # The same token sent twice at once: the second finds the first's row.
        raise _refused("token", _("This exercise has already been recorded.")) from None
    audit_record(
        actor=actor,
        action="training.typing_recorded",
        target=session,
        details={"seconds": seconds, "chars": typed_chars},
    )
    _credit_practice(actor, seconds)
    return session


def _credit_practice(actor: Any, seconds: int) -> int:
    """Credit ``seconds`` of typing to every published practice lesson; return how many."""
    from dangwu.school.enums import CourseStatus, LessonKind
    from dangwu.school.models import Lesson
    from dangwu.school.services import lesson_time_credit

    lessons = Lesson.objects.filter(
        kind=LessonKind.PRACTICE, course__status=CourseStatus.PUBLISHED
    ).select_related("course")
    credited = 0
    for lesson in lessons:
        try:
            # The lesson's own rules (prerequisites, a completed lesson) may decline the time;
            # the typing result stands regardless.
            with transaction.atomic():
                lesson_time_credit(actor=actor, lesson=lesson, seconds=seconds)
        except DomainError:
            continue
        credited += 1
    return credited


# ------------------------------------------------------------------------------ training plans

PLAN_FIELDS = ("title", "description", "organization", "starts_on", "due_on")


def _check_plan(
    actor: Any,
    *,
    title: str,
    description: str,
    organization: Organization,
    starts_on: date,
    due_on: date,
    courses: Sequence[Any],
    exams: Sequence[Any],
    target_organizations: Sequence[Organization],
    target_roles: Sequence[str],
    target_users: Sequence[User],
) -> None:
    access.require(actor, perms.PLAN_MANAGE, organization)
    problems: list[tuple[str, str]] = []
    if not title.strip():
        problems.append(("title", _("The title is required.")))
    elif len(title.strip()) > 200:
        problems.append(("title", _("The title may have at most 200 characters.")))
    if len(description) > 5000:
        problems.append(("description", _("The description may have at most 5,000 characters.")))
    if due_on < starts_on:
        problems.append(("due_on", _("The due date is before the start date.")))
    elif due_on.year - starts_on.year > 5:
        problems.append(("due_on", _("A plan may last at most five years.")))
    path = organization.path
    for org in target_organizations:
        if not org.path.startswith(path) or not access.can(actor, perms.PLAN_MANAGE, org):
            problems.append(
                (
                    "target_organizations",
                    _("%(name)s is outside the organization this plan belongs to.")
                    % {"name": org.name},
                )
            )
    for role in target_roles:
        if role not in access.BUSINESS_ROLES:
            problems.append(("target_roles", _("Choose roles from the list.")))
            break
    if target_users:
        problems += _user_problems(path, target_users)
    for course in courses:
        if not _related(course.organization, path):
            problems.append(
                (
                    "courses",
                    _("The course %(title)s is not open to this organization.")
                    % {"title": course.title},
                )
            )
    for exam in exams:
        if not _related(exam.organization, path):
            problems.append(
                (
                    "exams",
                    _("The exam %(title)s is not open to this organization.")
                    % {"title": exam.title},
                )
            )
    if problems:
        raise ValidationFailed(problems[0][1], errors=problems)


def _related(owner: Organization | None, path: str) -> bool:
    """A course or exam of the plan's organization, one above it or one under it may be assigned."""
    return owner is None or owner.path.startswith(path) or path.startswith(owner.path)


def _user_problems(path: str, users: Sequence[User]) -> list[tuple[str, str]]:
    """Named people must be active business users with a record or a role in the subtree."""
    ids = [u.pk for u in users]
    inside = set(
        Member.objects.filter(user_id__in=ids, organization__path__startswith=path).values_list(
            "user_id", flat=True
        )
    ) | set(
        RoleAssignment.objects.filter(
            user_id__in=ids, organization__path__startswith=path
        ).values_list("user_id", flat=True)
    )
    admins = set(
        RoleAssignment.objects.filter(
            user_id__in=ids, role__in=access.SEPARATED_ADMINS
        ).values_list("user_id", flat=True)
    )
    problems = []
    for user in users:
        if not user.is_active or user.pk in admins:
            problems.append(
                ("target_users", _("%(name)s cannot take part in training.") % {"name": user.label})
            )
        elif user.pk not in inside:
            problems.append(
                (
                    "target_users",
                    _("%(name)s is outside the organization this plan belongs to.")
                    % {"name": user.label},
                )
            )
    return problems


def _write_parts(
    plan: TrainingPlan,
    *,
    courses: Sequence[Any],
    exams: Sequence[Any],
    target_organizations: Sequence[Organization],
    target_roles: Sequence[str],
    target_users: Sequence[User],
) -> None:
    PlanItem.objects.filter(plan=plan).delete()
    PlanTarget.objects.filter(plan=plan).delete()
    items = [PlanItem(plan=plan, course=c, order=i) for i, c in enumerate(dict.fromkeys(courses))]
    items += [
        PlanItem(plan=plan, exam=e, order=len(items) + i)
        for i, e in enumerate(dict.fromkeys(exams))
    ]
    PlanItem.objects.bulk_create(items)
    targets = [
        PlanTarget(plan=plan, kind=TargetKind.ORGANIZATION, organization=o)
        for o in dict.fromkeys(target_organizations)
    ]
    targets += [
        PlanTarget(plan=plan, kind=TargetKind.ROLE, role=r, organization=plan.organization)
        for r in dict.fromkeys(target_roles)
    ]
    targets += [
        PlanTarget(plan=plan, kind=TargetKind.PERSON, user=u) for u in dict.fromkeys(target_users)
    ]
    PlanTarget.objects.bulk_create(targets)


@transaction.atomic
def plan_create(
    *,
    actor: Any,
    title: str,
    organization: Organization,
    starts_on: date,
    due_on: date,
    description: str = "",
    courses: Iterable[Any] = (),
    exams: Iterable[Any] = (),
    target_organizations: Iterable[Organization] = (),
    target_roles: Iterable[str] = (),
    target_users: Iterable[User] = (),
) -> TrainingPlan:
    """Make a training plan (a draft) for ``organization``: its items and who owes them.

    Refused: not a school administrator of that organization; no title; a due date before the
    start; a target organization, role holder or named person outside the plan's subtree.
    """
    parts = {
        "courses": list(courses),
        "exams": list(exams),
        "target_organizations": list(target_organizations),
        "target_roles": list(target_roles),
        "target_users": list(target_users),
    }
    _check_plan(
        actor,
        title=title,
        description=description,
        organization=organization,
        starts_on=starts_on,
        due_on=due_on,
        **parts,
    )
    if due_on < timezone.localdate():
        raise _refused("due_on", _("The due date has already passed."))
    plan = TrainingPlan.objects.create(
        title=title.strip(),
        description=description.strip(),
        organization=organization,
        starts_on=starts_on,
        due_on=due_on,
        created_by=actor if isinstance(actor, User) else None,
    )
    _write_parts(plan, **parts)
    audit_record(actor=actor, action="training.plan_created", target=plan)
    return plan


@transaction.atomic
def plan_update(
    *,
    actor: Any,
    plan: TrainingPlan,
    title: str,
    organization: Organization,
    starts_on: date,
    due_on: date,
    description: str = "",
    courses: Iterable[Any] = (),
    exams: Iterable[Any] = (),
    target_organizations: Iterable[Organization] = (),
    target_roles: Iterable[str] = (),
    target_users: Iterable[User] = (),
) -> TrainingPlan:
    """Change a draft or active plan: every field, item and target is replaced by the ones given."""
    access.require(actor, perms.PLAN_MANAGE, plan)
    if plan.status == PlanStatus.CLOSED:
        raise DomainError(_("This plan is closed and can no longer be changed."))
    parts = {
        "courses": list(courses),
        "exams": list(exams),
        "target_organizations": list(target_organizations),
        "target_roles": list(target_roles),
        "target_users": list(target_users),
    }
    _check_plan(
        actor,
        title=title,
        description=description,
        organization=organization,
        starts_on=starts_on,
        due_on=due_on,
        **parts,
    )
    if plan.status == PlanStatus.ACTIVE:
        _check_publishable(plan, parts["courses"], parts["exams"], parts)
    changed = [
        name
        for name, value in (
            ("title", title.strip()),
            ("description", description.strip()),
            ("organization_id", organization.pk),
            ("starts_on", starts_on),
            ("due_on", due_on),
        )
        if getattr(plan, name) != value
    ]
    plan.title, plan.description = title.strip(), description.strip()
    plan.organization, plan.starts_on, plan.due_on = organization, starts_on, due_on
    plan.save(update_fields=[*PLAN_FIELDS, "updated_at"])
    _write_parts(plan, **parts)
    audit_record(
        actor=actor, action="training.plan_updated", target=plan, details={"changed": changed}
    )
    return plan


def _check_publishable(
    plan: TrainingPlan, courses: Sequence[Any], exams: Sequence[Any], parts: dict[str, Any]
) -> None:
    from dangwu.exams.enums import ExamStatus
    from dangwu.school.enums import CourseStatus

    problems = []
    if not courses and not exams:
        problems.append(("courses", _("Choose at least one course or exam.")))
    if not any(parts[k] for k in ("target_organizations", "target_roles", "target_users")):
        problems.append(("target_organizations", _("Choose who takes part.")))
    for course in courses:
        if course.status != CourseStatus.PUBLISHED:
            problems.append(
                ("courses", _("The course %(title)s is not open yet.") % {"title": course.title})
            )
    for exam in exams:
        if exam.status != ExamStatus.PUBLISHED:
            problems.append(
                ("exams", _("The exam %(title)s is not open yet.") % {"title": exam.title})
            )
    if problems:
        raise ValidationFailed(problems[0][1], errors=problems)


def _parts_of(plan: TrainingPlan) -> dict[str, Any]:
    items = list(plan.items.select_related("course", "exam"))
    targets = list(plan.targets.all())
    return {
        "courses": [i.course for i in items if i.course_id],
        "exams": [i.exam for i in items if i.exam_id],
        "target_organizations": [t.organization_id for t in targets if t.kind == "organization"],
        "target_roles": [t.role for t in targets if t.kind == TargetKind.ROLE],
        "target_users": [t.user_id for t in targets if t.kind == TargetKind.PERSON],
    }


@transaction.atomic
def plan_publish(*, actor: Any, plan: TrainingPlan) -> TrainingPlan:
    """Start a draft plan: from now on its people owe its items (我的待办, reminders).

    Refused: not a draft; no item or nobody targeted; a course or exam not open yet; the due
    date already passed.
    """
    access.require(actor, perms.PLAN_MANAGE, plan)
    plan = TrainingPlan.objects.select_for_update().get(pk=plan.pk)
    if plan.status != PlanStatus.DRAFT:
        raise DomainError(_("Only a draft plan can be started."))
    if plan.due_on < timezone.localdate():
        raise _refused("due_on", _("The due date has already passed."))
    parts = _parts_of(plan)
    _check_publishable(plan, parts["courses"], parts["exams"], parts)
    plan.status = PlanStatus.ACTIVE
    plan.save(update_fields=["status", "updated_at"])
    audit_record(actor=actor, action="training.plan_published", target=plan)
    return plan


@transaction.atomic
def plan_close(*, actor: Any, plan: TrainingPlan) -> TrainingPlan:
    """Close an active plan: nobody owes its items any more; its completion stays visible."""
    access.require(actor, perms.PLAN_MANAGE, plan)
    plan = TrainingPlan.objects.select_for_update().get(pk=plan.pk)
    if plan.status != PlanStatus.ACTIVE:
        raise DomainError(_("Only a plan in progress can be closed."))
    plan.status = PlanStatus.CLOSED
    plan.save(update_fields=["status", "updated_at"])
    audit_record(actor=actor, action="training.plan_closed", target=plan)
    return plan


__all__ = [
    "plan_close",
    "plan_create",
    "plan_publish",
    "plan_update",
    "typing_result_record",
    "typing_score",
    "typing_text_create",
    "typing_token_issue",
]
