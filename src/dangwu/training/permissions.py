"""Who may plan training, follow its completion, and practise typing.

School administrators make and change training plans for their subtree. Leaders, secretaries,
organization clerks and school administrators follow the completion of their own subtree: they
see a plan when it concerns them, i.e. when it is owned by their organization, an organization
under it, or one above it (a committee's plan reaches every branch), and then only the people of
their subtree. Every business user practises typing and sees the plans they owe.
"""

from typing import Any

from django.db.models import Q

from dangwu import access
from dangwu.access import Role

PLAN_MANAGE = "training.plan_manage"
PLAN_VIEW = "training.plan_view"
STUDY = "training.study"

VIEWER_ROLES = frozenset({Role.SCHOOL_ADMIN, Role.LEADER, Role.SECRETARY, Role.ORG_CLERK})

access.register(
    PLAN_MANAGE,
    roles={Role.SCHOOL_ADMIN},
    description="Make, change, publish and close training plans of one's subtree",
)


def ancestors(path: str) -> list[str]:
    """Return ``path`` and every path above it: "/GW/A01/" → ["/GW/", "/GW/A01/"]."""
    codes = [code for code in path.split("/") if code]
    return ["/" + "/".join(codes[: i + 1]) + "/" for i in range(len(codes))]


def _viewer_paths(user: Any) -> list[str]:
    return sorted({g.path for g in access.grants_of(user) if g.role in VIEWER_ROLES})


def _plan_above(user: Any, plan: Any) -> bool:
    # A plan of an organization above the viewer's reaches the viewer's subtree.
    path = plan.scope_path
    return any(p.startswith(path) for p in _viewer_paths(user))


def _plan_above_q(user: Any, paths: list[str]) -> Q:
    above = {a for p in _viewer_paths(user) for a in ancestors(p)}
    return Q(organization__path__in=sorted(above))


access.register(
    PLAN_VIEW,
    roles=VIEWER_ROLES,
    also=_plan_above,
    also_q=_plan_above_q,
    description="See training plans that reach one's subtree and their completion there",
)
access.register(
    STUDY,
    roles=access.BUSINESS_ROLES,
    scoped=False,
    description="Practise typing, see one's typing history and the training plans one owes",
)
