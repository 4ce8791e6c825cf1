"""Who may do what with incoming documents (收文).

The committee's document clerks register and route; leaders instruct and read; a person (or the
secretary or clerk of a department) assigned to a document sees that document; circulation
readers see what was sent to them. Nobody else sees anything: 404, as for a missing document.
"""

from typing import Any

from django.db.models import Q

from dangwu import access
from dangwu.access import Role

REGISTER = "incoming.register"  # register, propose, assign, circulate, add files, complete
INSTRUCT = "incoming.instruct"  # 批办
VIEW = "incoming.view"
COMPLETE = "incoming.complete"

# The roles through which a department (an organization) receives an assignment.
DEPARTMENT_ROLES = frozenset({Role.SECRETARY, Role.ORG_CLERK})


def department_paths(user: Any) -> list[str]:
    """Return the organizations (paths) the user answers for as a department's secretary/clerk."""
    return sorted({g.path for g in access.grants_of(user) if g.role in DEPARTMENT_ROLES})


def _involved_q(user: Any, paths: list[str] | None = None) -> Q | None:
    """Documents assigned to the user (or their department) or sent to them for reading."""
    from dangwu.incoming.models import Assignment, Circulation

    if not getattr(user, "is_authenticated", False) or user is access.SYSTEM:
        return None
    assigned = Assignment.objects.filter(
        Q(assignee=user) | Q(department__path__in=department_paths(user))
    )
    readers = Circulation.objects.filter(reader=user)
    return Q(pk__in=assigned.values("document_id")) | Q(pk__in=readers.values("document_id"))


def _is_involved(user: Any, document: Any) -> bool:
    from dangwu.incoming.models import IncomingDocument

    q = _involved_q(user)
    return q is not None and IncomingDocument.objects.filter(q, pk=document.pk).exists()


def _is_person_assigned(user: Any, document: Any) -> bool:
    from dangwu.incoming.models import Assignment

    return Assignment.objects.filter(document=document, assignee_id=user.pk).exists()


access.register(
    REGISTER,
    roles={Role.DOC_CLERK},
    description="Register incoming documents and route them (propose, assign, circulate, close)",
)
access.register(
    INSTRUCT,
    roles={Role.LEADER},
    description="Give the leader's instruction (批办) on an incoming document",
)
access.register(
    VIEW,
    roles={Role.DOC_CLERK, Role.LEADER},
    also=_is_involved,
    also_q=_involved_q,
    description="See incoming documents: clerks and leaders, and those assigned or reading",
)
access.register(
    COMPLETE,
    roles={Role.DOC_CLERK},
    also=_is_person_assigned,
    description="Complete (办结) an incoming document: clerks, or a person assigned to it",
)
