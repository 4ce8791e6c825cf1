"""Roles, scopes and the policy registry that every permission decision goes through.

A role is held on an organization subtree ("secretary of 市财政局机关党委 and everything under
it"). Apps register named rules in their ``permissions.py``; views, the API, services and
templates ask only this module: :func:`can`, :func:`require`, :func:`scope_q` / :func:`visible`.

Organizations carry a materialized ``path`` ("/GW/A01/A0101/"): an object is in a subtree when
its path starts with the subtree's path, so scoping costs one query whatever the tree's depth.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any, Protocol, TypeVar

from django.db import models
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from dangwu.core.errors import Forbidden


class Role(models.TextChoices):
    LEADER = "leader", _("Committee leader")
    EDITOR = "editor", _("Editor")
    REVIEWER = "reviewer", _("Reviewer")
    DOC_CLERK = "doc_clerk", _("Document clerk")
    SECRETARY = "secretary", _("Organization secretary")
    ORG_CLERK = "org_clerk", _("Organization clerk")
    MEMBER = "member", _("Member")
    SCHOOL_ADMIN = "school_admin", _("School administrator")
    DISCIPLINE = "discipline", _("Discipline inspector")
    SYSADMIN = "sysadmin", _("System administrator")
    SECADMIN = "secadmin", _("Security administrator")
    AUDITOR = "auditor", _("Audit administrator")


# The three separated administrators (三员): each excludes every other role.
SEPARATED_ADMINS = frozenset({Role.SYSADMIN, Role.SECADMIN, Role.AUDITOR})
BUSINESS_ROLES = frozenset(Role) - SEPARATED_ADMINS


class SystemActor:
    """The platform itself acting from the command line (demo data, imports run by operators).

    It passes every policy check and is audited under the name ``system``.
    """

    is_authenticated = True
    is_active = True
    pk = None

    def get_username(self) -> str:
        return "system"

    def __str__(self) -> str:
        return "system"


SYSTEM = SystemActor()

_M = TypeVar("_M", bound=models.Model)


class Scoped(Protocol):
    """Anything that belongs to an organization subtree."""

    @property
    def scope_path(self) -> str: ...


@dataclass(frozen=True)
class Grant:
    role: str
    path: str


@dataclass(frozen=True)
class Rule:
    """Who may do ``name``: holders of ``roles`` on a subtree containing the object.

    ``scoped=False`` means the role anywhere suffices (e.g. the audit administrator).
    ``also`` admits extra cases per object (e.g. a member viewing their own record) and
    ``also_q(user, paths)`` is its queryset counterpart; it receives the subtree paths already
    granted and returns None when they cover the extra case (an OR that adds nothing would
    stop the database from using the path index).
    """

    name: str
    roles: frozenset[str]
    scoped: bool = True
    authenticated: bool = False
    also: Callable[[Any, Any], bool] | None = None
    also_q: Callable[[Any, list[str]], Q | None] | None = None
    description: str = ""


_rules: dict[str, Rule] = {}


def register(
    name: str,
    *,
    roles: Iterable[str] = (),
    scoped: bool = True,
    authenticated: bool = False,
    also: Callable[[Any, Any], bool] | None = None,
    also_q: Callable[[Any, list[str]], Q | None] | None = None,
    description: str = "",
) -> Rule:
    """Register the rule ``name``; ``authenticated=True`` admits every signed-in user."""
    rule = Rule(
        name=name,
        roles=frozenset(roles),
        scoped=scoped,
        authenticated=authenticated,
        also=also,
        also_q=also_q,
        description=description,
    )
    _rules[name] = rule
    return rule


def rules() -> dict[str, Rule]:
    """Return every registered rule by name (the access matrix test walks these)."""
    return dict(_rules)


def _rule(name: str) -> Rule:
    try:
        return _rules[name]
    except KeyError:
        raise KeyError(f"no access rule named {name!r}") from None


def grants_of(user: Any) -> tuple[Grant, ...]:
    """Return the user's role grants, loaded once per user object (one query)."""
    if user is SYSTEM or user is None:
        return ()
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return ()
    cached = getattr(user, "_dangwu_grants", None)
    if cached is None:
        from dangwu.accounts.models import RoleAssignment

        cached = tuple(
            Grant(role, path)
            for role, path in RoleAssignment.objects.filter(user=user).values_list(
                "role", "organization__path"
            )
        )
        user._dangwu_grants = cached
    return cached


def forget_grants(user: Any) -> None:
    """Drop the cached grants (after a role change in the same request)."""
    if hasattr(user, "_dangwu_grants"):
        del user._dangwu_grants


def has_role(user: Any, *roles: str) -> bool:
    """Return True if the user holds any of ``roles`` somewhere."""
    return any(g.role in roles for g in grants_of(user))


def _matching_paths(user: Any, rule: Rule) -> list[str]:
    paths = sorted({g.path for g in grants_of(user) if g.role in rule.roles})
    # Drop paths inside another granted path: "/GW/" already covers "/GW/A01/".
    kept: list[str] = []
    for path in paths:
        if not any(path.startswith(k) for k in kept):
            kept.append(path)
    return kept


def can(user: Any, name: str, obj: Scoped | None = None) -> bool:
    """Return True if ``user`` may do ``name`` (on ``obj``, when given)."""
    rule = _rule(name)
    if user is SYSTEM:
        return True
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    if rule.authenticated:
        return True
    if obj is not None and rule.also is not None and rule.also(user, obj):
        return True
    if obj is None or not rule.scoped:
        return any(g.role in rule.roles for g in grants_of(user))
    path = obj.scope_path
    return any(path.startswith(p) for p in _matching_paths(user, rule))


def require(user: Any, name: str, obj: Scoped | None = None) -> None:
    """Raise :class:`Forbidden` (and audit the refusal) unless :func:`can` allows it."""
    if not can(user, name, obj):
        from dangwu.audit.services import audit_record

        error = Forbidden(str(_("You do not have permission to do this.")))
        # Kept on the error: when a service's transaction rolls back with this refusal, the
        # error mapping (core.middleware) appends the record again outside it.
        error.denial = audit_record(
            actor=user,
            action="access.denied",
            target=obj,
            success=False,
            details={"permission": name},
        )
        raise error


def scope_q(user: Any, name: str, path_field: str = "path") -> Q:
    """Return a filter selecting the rows ``user`` may ``name``, by their subtree path."""
    rule = _rule(name)
    nothing = Q(pk__in=[])
    if user is SYSTEM:
        return Q()
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return nothing
    if rule.authenticated or (not rule.scoped and has_role(user, *rule.roles)):
        return Q()
    q = nothing
    paths = _matching_paths(user, rule)
    for path in paths:
        q |= Q(**{f"{path_field}__startswith": path})
    if rule.also_q is not None and (extra := rule.also_q(user, paths)) is not None:
        q |= extra
    return q


def visible(user: Any, name: str, queryset: QuerySet[_M], path_field: str = "path") -> QuerySet[_M]:
    """Filter ``queryset`` down to what ``user`` may ``name``."""
    return queryset.filter(scope_q(user, name, path_field))


def scope_paths(user: Any, name: str) -> list[str]:
    """Return the subtree roots on which ``user`` may ``name`` (outermost only)."""
    return _matching_paths(user, _rule(name))


# ---------------------------------------------------------------- audiences of published content
#
# Published content is read by audience (公开 / 内部 / 限定范围) rather than by role on a subtree,
# and visitors without an account read public content. Apps register one audience per kind of
# content; pages, feeds, search and the API ask only these two functions.


@dataclass(frozen=True)
class Audience:
    name: str
    q: Callable[[Any], Q]  # user (possibly anonymous) -> filter of readable rows
    allows: Callable[[Any, Any], bool]  # user, object -> may read


_audiences: dict[str, Audience] = {}


def register_audience(
    name: str, *, q: Callable[[Any], Q], allows: Callable[[Any, Any], bool]
) -> Audience:
    """Register who may read the content named ``name``."""
    audience = Audience(name=name, q=q, allows=allows)
    _audiences[name] = audience
    return audience


def readable(user: Any, name: str, queryset: QuerySet[_M]) -> QuerySet[_M]:
    """Filter ``queryset`` down to the content ``user`` (or a visitor) may read."""
    return queryset.filter(_audiences[name].q(user))


def may_read(user: Any, name: str, obj: Any) -> bool:
    """Return True if ``user`` (or a visitor) may read ``obj``."""
    return _audiences[name].allows(user, obj)


def paths_of(user: Any) -> set[str]:
    """Return the organization paths a person belongs to: their grants and their own record."""
    paths = {g.path for g in grants_of(user)}
    member = getattr(user, "member", None) if getattr(user, "is_authenticated", False) else None
    if member is not None:
        paths.add(member.organization.path)
    return paths
