"""Writes for incoming documents (收文办理, 条例 第二十四条).

登记 (a clerk) → 拟办 (the clerk proposes, naming the leader to instruct) → 批办 (that or another
leader) → 承办 (a clerk assigns people or departments, a lead when several, a deadline when
urgent) → 办结 (a clerk or an assigned person records the result). 传阅 runs alongside any open
step: leaders each mark the document read with a comment, and it cannot be closed while one has
not. Every step is a trail entry (who, when, what) and an audit record.
"""

from collections.abc import Sequence
from datetime import date
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dangwu import access
from dangwu.accounts.models import User
from dangwu.audit.services import audit_record
from dangwu.core.classification import classification_problem
from dangwu.core.errors import DomainError, Forbidden, ValidationFailed
from dangwu.core.files import check_upload, files_removed_on_error
from dangwu.core.search import index_on_commit
from dangwu.incoming import permissions as perms
from dangwu.incoming.enums import OPEN, Classification, IncomingStatus, Step, Urgency
from dangwu.incoming.models import (
    Assignment,
    Circulation,
    IncomingDocument,
    IncomingFile,
    TrailEntry,
)
from dangwu.orgs.models import Organization

SEARCH_KIND = "incoming.document"  # the search provider's kind (incoming/search.py)
URGENT = frozenset({Urgency.VERY_URGENT, Urgency.URGENT})


def _problem(field: str, message: str) -> ValidationFailed:
    return ValidationFailed(message, errors=[(field, message)])


def _text(value: str | None, field: str, max_length: int, *, required: bool = True) -> str:
    text = (value or "").strip()
    if required and not text:
        raise _problem(field, _("This field is required."))
    if len(text) > max_length:
        raise _problem(field, _("At most %(n)d characters are allowed here.") % {"n": max_length})
    return text


def _step(document: IncomingDocument, actor: Any, step: str, note: str = "") -> None:
    TrailEntry.objects.create(
        document=document,
        step=step,
        actor=actor if getattr(actor, "pk", None) else None,
        actor_name=str(getattr(actor, "label", "") or actor),
        note=note,
    )


def _reindex(document: IncomingDocument) -> None:
    index_on_commit(SEARCH_KIND, [document.pk])


def _require_status(document: IncomingDocument, *allowed: str) -> None:
    if document.status not in allowed:
        raise DomainError(
            _("This cannot be done while the document is “%(status)s”.")
            % {"status": document.get_status_display()}
        )


def _check_classification(classification: str, *texts: str) -> str:
    if problem := classification_problem(*texts, declared_level=classification):
        raise _problem("classification", problem)
    if classification not in Classification.values:
        raise _problem(
            "classification", _("Choose the classification: 非密 (not classified) or 内部.")
        )
    return classification


def _store_file(*, document: IncomingDocument, actor: Any, upload: Any) -> IncomingFile:
    checked = check_upload(upload)
    with files_removed_on_error(IncomingFile.file.field.storage) as written:
        stored = IncomingFile(
            document=document,
            original_name=checked.name,
            content_type=checked.kind.content_type,
            size=checked.size,
            sha256=checked.sha256,
            text=checked.text,
            uploaded_by=actor if getattr(actor, "pk", None) else None,
        )
        stored.file.save("upload", upload, save=False)
        written.append(stored.file.name)
        stored.save()
        _step(document, actor, Step.FILE_ADDED, checked.name)
        audit_record(
            actor=actor,
            action="incoming.file_added",
            target=stored,
            details={"document": document.pk, "size": checked.size, "sha256": checked.sha256},
        )
    return stored


@transaction.atomic
def incoming_register(
    *,
    actor: Any,
    organization: Organization,
    source: str,
    title: str,
    document_date: date | None,
    received_on: date | None,
    source_number: str = "",
    urgency: str = Urgency.NORMAL,
    classification: str = Classification.NON_SECRET,
    copies: int = 1,
    upload: Any = None,
) -> IncomingDocument:
    """Register (登记) a received document, with its scan or file when given.

    Refused, with nothing saved: a missing source, title or date, a document dated after it was
    received, a receipt date in the future, a classified mark (only 非密 and 内部 are accepted).
    """
    access.require(actor, perms.REGISTER, organization)
    values = {
        "source": _text(source, "source", 100),
        "source_number": _text(source_number, "source_number", 60, required=False),
        "title": _text(title, "title", 200),
    }
    if document_date is None:
        raise _problem("document_date", _("Enter the date of the document."))
    if received_on is None:
        raise _problem("received_on", _("Enter the date the document was received."))
    if received_on > timezone.localdate():
        raise _problem("received_on", _("The date received cannot be in the future."))
    if document_date > received_on:
        raise _problem(
            "document_date", _("The document cannot be dated after the day it was received.")
        )
    if urgency not in Urgency.values:
        raise _problem("urgency", _("Choose the urgency."))
    if copies < 1 or copies > 9999:
        raise _problem("copies", _("Enter the number of copies received (1 or more)."))
    values["classification"] = _check_classification(
        classification, values["title"], values["source_number"]
    )
    document = IncomingDocument.objects.create(
        organization=organization,
        document_date=document_date,
        received_on=received_on,
        urgency=urgency,
        copies=copies,
        registered_by=actor if getattr(actor, "pk", None) else None,
        **values,
    )
    _step(document, actor, Step.REGISTERED)
    audit_record(actor=actor, action="incoming.registered", target=document)
    if upload is not None:
        _store_file(document=document, actor=actor, upload=upload)
    _reindex(document)
    return document


@transaction.atomic
def incoming_file_add(*, actor: Any, document: IncomingDocument, upload: Any) -> IncomingFile:
    """Add a scan or file to a document that is not yet completed."""
    access.require(actor, perms.REGISTER, document)
    _require_status(document, *OPEN)
    stored = _store_file(document=document, actor=actor, upload=upload)
    _reindex(document)
    return stored


@transaction.atomic
def incoming_propose(
    *, actor: Any, document: IncomingDocument, proposal: str, leader: User | None
) -> IncomingDocument:
    """Write the proposed handling (拟办意见) and name the leader who is to instruct."""
    access.require(actor, perms.REGISTER, document)
    _require_status(document, IncomingStatus.REGISTERED, IncomingStatus.PROPOSED)
    text = _text(proposal, "proposal", 2000)
    if leader is None or not leader.is_active or not _is_leader_for(leader, document):
        raise _problem("leader", _("Choose a leader of the committee to instruct."))
    document.proposal = text
    document.instruction_leader = leader
    document.status = IncomingStatus.PROPOSED
    document.save(update_fields=["proposal", "instruction_leader", "status", "updated_at"])
    _step(document, actor, Step.PROPOSED, f"{text}\n{_('Leader to instruct')}：{leader.label}")
    audit_record(
        actor=actor, action="incoming.proposed", target=document, details={"leader": leader.pk}
    )
    _reindex(document)
    return document


def _is_leader_for(user: User, document: IncomingDocument) -> bool:
    return access.can(user, perms.INSTRUCT, document)


@transaction.atomic
def incoming_instruct(
    *, actor: Any, document: IncomingDocument, instruction: str
) -> IncomingDocument:
    """Give the leader's instruction (批办意见) on a proposed document."""
    access.require(actor, perms.INSTRUCT, document)
    _require_status(document, IncomingStatus.PROPOSED)
    text = _text(instruction, "instruction", 2000)
    document.instruction = text
    document.instructed_by = actor if getattr(actor, "pk", None) else None
    document.instructed_at = timezone.now()
    document.status = IncomingStatus.INSTRUCTED
    document.save(
        update_fields=["instruction", "instructed_by", "instructed_at", "status", "updated_at"]
    )
    _step(document, actor, Step.INSTRUCTED, text)
    audit_record(actor=actor, action="incoming.instructed", target=document)
    _reindex(document)
    return document


def _may_be_assigned(user: User, document: IncomingDocument) -> bool:
    """A person holding a business role in the receiving organization's subtree."""
    path = document.organization.path
    return user.is_active and any(
        g.path.startswith(path) and g.role in access.BUSINESS_ROLES for g in access.grants_of(user)
    )


@transaction.atomic
def incoming_assign(
    *,
    actor: Any,
    document: IncomingDocument,
    people: Sequence[User] = (),
    departments: Sequence[Organization] = (),
    lead: User | Organization | None = None,
    deadline: date | None = None,
) -> list[Assignment]:
    """Assign (承办) the instructed document to people and/or departments.

    With several, one must lead (主办); an urgent document needs a deadline; a deadline is never
    in the past. More can be assigned while the document is being handled.
    """
    access.require(actor, perms.REGISTER, document)
    _require_status(document, IncomingStatus.INSTRUCTED, IncomingStatus.HANDLING)
    people, departments = list(dict.fromkeys(people)), list(dict.fromkeys(departments))
    if not people and not departments:
        raise _problem("people", _("Choose at least one person or department."))
    for person in people:
        if not _may_be_assigned(person, document):
            raise _problem(
                "people",
                _("%(name)s does not work for this organization and cannot be assigned.")
                % {"name": person.label},
            )
    subtree = document.organization.path
    if any(not d.path.startswith(subtree) for d in departments):
        raise _problem("departments", _("Choose departments of this organization."))
    everyone: list[User | Organization] = [*people, *departments]
    if lead is not None and lead not in everyone:
        raise _problem("lead", _("The lead must be one of those assigned."))
    existing_lead = document.assignments.filter(is_lead=True).exists()
    if len(everyone) + document.assignments.count() > 1 and lead is None and not existing_lead:
        raise _problem("lead", _("Several are assigned: choose who leads (主办)."))
    if lead is not None and existing_lead:
        raise _problem("lead", _("This document already has a lead (主办)."))
    if deadline is None and document.urgency in URGENT:
        raise _problem("deadline", _("An urgent document needs a deadline."))
    if deadline is not None and deadline < timezone.localdate():
        raise _problem("deadline", _("The deadline cannot be in the past."))
    already = set(document.assignments.values_list("assignee_id", flat=True)) | set(
        document.assignments.values_list("department_id", flat=True)
    )
    repeated = [p.label for p in people if p.pk in already] + [
        d.name for d in departments if d.pk in already
    ]
    if repeated:
        raise _problem("people", _("Already assigned: %(names)s.") % {"names": "、".join(repeated)})
    who = actor if getattr(actor, "pk", None) else None
    rows = Assignment.objects.bulk_create(
        [
            Assignment(
                document=document, assignee=p, is_lead=p == lead, deadline=deadline, assigned_by=who
            )
            for p in people
        ]
        + [
            Assignment(
                document=document,
                department=d,
                is_lead=d == lead,
                deadline=deadline,
                assigned_by=who,
            )
            for d in departments
        ]
    )
    names = "、".join(
        [f"{p.label}{_('(lead)') if p == lead else ''}" for p in people]
        + [f"{d.name}{_('(lead)') if d == lead else ''}" for d in departments]
    )
    document.status = IncomingStatus.HANDLING
    document.save(update_fields=["status", "updated_at"])
    note = names if deadline is None else f"{names}; {_('deadline')} {deadline:%Y-%m-%d}"
    _step(document, actor, Step.ASSIGNED, note)
    audit_record(
        actor=actor,
        action="incoming.assigned",
        target=document,
        details={"people": [p.pk for p in people], "departments": [d.pk for d in departments]},
    )
    return rows


@transaction.atomic
def incoming_circulate(
    *, actor: Any, document: IncomingDocument, readers: Sequence[User]
) -> list[Circulation]:
    """Send the document round leaders for reading (传阅); each then marks it read."""
    access.require(actor, perms.REGISTER, document)
    _require_status(
        document, IncomingStatus.PROPOSED, IncomingStatus.INSTRUCTED, IncomingStatus.HANDLING
    )
    readers = list(dict.fromkeys(readers))
    if not readers:
        raise _problem("readers", _("Choose at least one leader to read the document."))
    for reader in readers:
        if not reader.is_active or not _is_leader_for(reader, document):
            raise _problem(
                "readers",
                _("%(name)s is not a leader of the committee.") % {"name": reader.label},
            )
    already = set(document.circulations.values_list("reader_id", flat=True))
    if repeated := [r.label for r in readers if r.pk in already]:
        raise _problem(
            "readers",
            _("Already sent to: %(names)s.") % {"names": "、".join(repeated)},
        )
    rows = Circulation.objects.bulk_create(
        Circulation(
            document=document,
            reader=reader,
            sent_by=actor if getattr(actor, "pk", None) else None,
        )
        for reader in readers
    )
    _step(document, actor, Step.CIRCULATED, "、".join(r.label for r in readers))
    audit_record(
        actor=actor,
        action="incoming.circulated",
        target=document,
        details={"readers": [r.pk for r in readers]},
    )
    return rows


@transaction.atomic
def incoming_mark_read(*, actor: Any, document: IncomingDocument, comment: str = "") -> Circulation:
    """Mark the document read in circulation (阅), with an optional comment."""
    access.require(actor, perms.VIEW, document)
    entry = (
        Circulation.objects.select_for_update()
        .filter(document=document, reader_id=getattr(actor, "pk", None))
        .first()
    )
    if entry is None:
        # Not a reader: a matter of permission (403), not of the input.
        raise Forbidden(_("This document was not sent to you for reading."))
    if entry.read_at is not None:
        raise DomainError(_("You have already marked this document read."))
    entry.read_at = timezone.now()
    entry.comment = _text(comment, "comment", 2000, required=False)
    entry.save(update_fields=["read_at", "comment"])
    _step(document, actor, Step.READ, entry.comment)
    audit_record(actor=actor, action="incoming.read", target=document)
    return entry


@transaction.atomic
def incoming_complete(*, actor: Any, document: IncomingDocument, result: str) -> IncomingDocument:
    """Close the document (办结) with the result; refused while a leader has not read it."""
    access.require(actor, perms.COMPLETE, document)
    _require_status(document, IncomingStatus.INSTRUCTED, IncomingStatus.HANDLING)
    text = _text(result, "result", 2000)
    unread = list(
        document.circulations.filter(read_at__isnull=True).select_related("reader").order_by("id")
    )
    if unread:
        raise DomainError(
            _("Not yet read by: %(names)s. Complete the document once every leader has read it.")
            % {"names": "、".join(c.reader.label for c in unread)}
        )
    document.result = text
    document.status = IncomingStatus.COMPLETED
    document.completed_by = actor if getattr(actor, "pk", None) else None
    document.completed_at = timezone.now()
    document.save(update_fields=["result", "status", "completed_by", "completed_at", "updated_at"])
    _step(document, actor, Step.COMPLETED, text)
    audit_record(actor=actor, action="incoming.completed", target=document)
    _reindex(document)
    return document
