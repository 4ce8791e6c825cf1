"""What the other modules of the services share: limits, refusals, the scope of an organization."""

from datetime import timedelta
from typing import Any

from django.utils.translation import gettext as _

from dangwu import access
from dangwu.accounts.models import User
from dangwu.core.errors import DomainError, NotFound, ValidationFailed
from dangwu.exams.models import Exam
from dangwu.orgs.models import Organization

# Saves and submissions this long after the deadline still count: the click happened in time,
# the network was slow. Anything later is refused.
GRACE = timedelta(seconds=30)
TIME_LIMIT_MAX = 600
ATTEMPTS_MAX = 20
RULES_MAX = 20
PAPER_MAX = 200
POINTS_MAX = 100


def problem(field: str, message: str) -> ValidationFailed:
    return ValidationFailed(message, errors=[(field, message)])


def refuse(problems: list[tuple[str, str]]) -> ValidationFailed:
    return ValidationFailed(problems[0][1], errors=problems)


def user_or_none(actor: Any) -> User | None:
    return actor if isinstance(actor, User) else None


def ancestor_paths(path: str) -> list[str]:
    """Return "/GW/", "/GW/A01/", ... "/GW/A01/A0101/" for "/GW/A01/A0101/"."""
    codes = [c for c in path.split("/") if c]
    return ["/" + "/".join(codes[: i + 1]) + "/" for i in range(len(codes))]


def home_organization(actor: Any, rule: str) -> Organization:
    """Return the outermost organization where ``actor`` may ``rule`` (the root for SYSTEM)."""
    if actor is access.SYSTEM:
        root = Organization.objects.filter(parent=None).order_by("path").first()
    else:
        paths = access.scope_paths(actor, rule)
        root = Organization.objects.filter(path=paths[0]).first() if paths else None
    if root is None:
        access.require(actor, rule)
        raise NotFound(_("There is no organization to keep questions for."))
    return root


def exam_owner(exam: Exam) -> Organization:
    """Return the organization that sets ``exam`` (whose bank its paper comes from)."""
    if exam.organization is None:  # only exams made before the bank existed lack one
        raise DomainError(_("This exam belongs to no organization."))
    return exam.organization
