"""Reads for incoming documents, scoped by ``incoming.view``: one query whatever the tree."""

from typing import Any

from django.db.models import (
    BooleanField,
    Count,
    Exists,
    ExpressionWrapper,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
)
from django.utils.translation import gettext as _

from dangwu import access
from dangwu.access import Role
from dangwu.accounts.models import User
from dangwu.core.errors import NotFound
from dangwu.incoming import permissions as perms
from dangwu.incoming.enums import IncomingStatus
from dangwu.incoming.models import Assignment, Circulation, IncomingDocument, IncomingFile
from dangwu.orgs.models import Organization

# What a list row shows; the long texts are not read.
LIST_FIELDS = (
    "id",
    "title",
    "source",
    "source_number",
    "received_on",
    "urgency",
    "classification",
    "status",
    "organization_id",
)


def documents_visible(user: Any) -> QuerySet[IncomingDocument]:
    """Return the incoming documents the user may see, newest received first."""
    return access.visible(
        user, perms.VIEW, IncomingDocument.objects.all(), "organization__path"
    ).order_by("-received_on", "-id")


def documents_listed(
    user: Any, *, status: str = "", urgency: str = "", words: str = ""
) -> QuerySet[IncomingDocument]:
    """Return the list page's rows with the count of unread circulation copies (one query)."""
    documents = documents_visible(user).only(*LIST_FIELDS)
    if status:
        documents = documents.filter(status=status)
    if urgency:
        documents = documents.filter(urgency=urgency)
    if words:
        documents = documents.filter(
            Q(title__contains=words) | Q(source__contains=words) | Q(source_number__contains=words)
        )
    return documents.annotate(
        unread=Count("circulations", filter=Q(circulations__read_at__isnull=True))
    )


def document_access(*, user: Any, pk: int) -> IncomingDocument:
    """Fetch a document the user may see, or the same NotFound as a missing one."""
    document = (
        documents_visible(user)
        .select_related("organization", "instruction_leader")
        .filter(pk=pk)
        .first()
    )
    if document is None:
        raise NotFound(_("This document does not exist, or you may not see it."))
    return document


def document_with_trail(document: IncomingDocument) -> IncomingDocument:
    """Load everything the detail page shows about ``document`` in a fixed number of queries."""
    from django.db.models import prefetch_related_objects

    prefetch_related_objects(
        [document],
        Prefetch("files", IncomingFile.objects.defer("text")),
        Prefetch(
            "assignments",
            Assignment.objects.select_related("assignee", "department", "assigned_by"),
        ),
        Prefetch("circulations", Circulation.objects.select_related("reader", "sent_by")),
        "trail",
    )
    return document


def file_access(*, user: Any, pk: int) -> IncomingFile:
    """Fetch a file of a document the user may see, or NotFound."""
    document_ids = documents_visible(user).values("pk")
    stored = IncomingFile.objects.filter(pk=pk, document_id__in=document_ids).first()
    if stored is None:
        raise NotFound(_("This file does not exist, or you may not see it."))
    return stored


def _ancestor_paths(path: str) -> list[str]:
    codes = [c for c in path.split("/") if c]
    return ["/" + "/".join(codes[: i + 1]) + "/" for i in range(len(codes))]


def leaders_for(document: IncomingDocument) -> QuerySet[User]:
    """Return the leaders who may instruct or read ``document`` (leader on its org or above)."""
    return (
        User.objects.filter(
            is_active=True,
            role_assignments__role=Role.LEADER,
            role_assignments__organization__path__in=_ancestor_paths(document.scope_path),
        )
        .distinct()
        .order_by("display_name", "username")
    )


def assignable_people(document: IncomingDocument) -> QuerySet[User]:
    """Return the people who may be assigned: a business role in the organization's subtree."""
    return (
        User.objects.filter(
            is_active=True,
            role_assignments__role__in=access.BUSINESS_ROLES,
            role_assignments__organization__path__startswith=document.scope_path,
        )
        .distinct()
        .order_by("display_name", "username")
    )


def departments_for(document: IncomingDocument) -> QuerySet[Organization]:
    """Return the organizations directly under the receiving one (its departments)."""
    return Organization.objects.filter(parent_id=document.organization_id).order_by("code")


def registering_organization(user: Any) -> Organization | None:
    """Return the organization the clerk registers for: their outermost one."""
    paths = access.scope_paths(user, perms.REGISTER)
    if not paths:
        return None
    return Organization.objects.filter(path=paths[0]).first()


def todo_documents(user: Any) -> QuerySet[IncomingDocument]:
    """Documents waiting for ``user``, in one query, each marked with why.

    ``to_instruct``: the proposal names them as the leader; ``to_read``: sent to them in
    circulation and unread; ``to_handle``: open and assigned to them or their department.
    """
    unread = Circulation.objects.filter(
        document_id=OuterRef("pk"), reader_id=user.pk, read_at__isnull=True
    )
    assigned = Assignment.objects.filter(
        Q(assignee_id=user.pk) | Q(department__path__in=perms.department_paths(user)),
        document_id=OuterRef("pk"),
    )
    to_instruct = Q(status=IncomingStatus.PROPOSED, instruction_leader_id=user.pk)
    return (
        documents_visible(user)
        .annotate(
            to_read=Exists(unread),
            to_handle=Exists(assigned.filter(document__status=IncomingStatus.HANDLING)),
            to_instruct=ExpressionWrapper(to_instruct, output_field=BooleanField()),
        )
        .filter(Q(to_read=True) | Q(to_handle=True) | to_instruct)
        .only("id", "title", "urgency", "received_on", "status")
        .order_by("received_on", "id")
    )


def may_list(user: Any) -> bool:
    """Return True if the user has a list of incoming documents: a clerk, a leader, or involved."""
    return access.can(user, perms.VIEW) or documents_visible(user).exists()
