"""Writes for official documents: the drafting workflow, numbering, distribution, receipts.

draft → in review (核稿) → waiting for sign-off → signed (签发, numbered) → distributed; a
reviewer or the leader may return it with a comment. Distribution makes one receipt per
recipient organization; each receipt is then signed for (签收), handled (办理) and, when the
document asks for it, replied to (答复).
"""

from datetime import datetime
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from dangwu import access
from dangwu.accounts.models import User
from dangwu.audit.services import audit_record
from dangwu.core.classification import SECRET_LEVELS, classification_problem
from dangwu.core.errors import DomainError, ValidationFailed
from dangwu.core.files import check_upload, files_removed_on_error
from dangwu.core.html import html_to_text, sanitize_html
from dangwu.documents import permissions as perms
from dangwu.documents.enums import (
    DISABLED_TYPES,
    EDITABLE,
    Classification,
    Disclosure,
    DocType,
    DocumentStatus,
    GroupRule,
    ReceiptStatus,
    RecipientKind,
    StepAction,
    Urgency,
)
from dangwu.documents.models import (
    Document,
    DocumentFile,
    DocumentStep,
    NumberSequence,
    Receipt,
    ReceiptNote,
    RecipientGroup,
)
from dangwu.orgs.enums import NetworkAccess, OrgKind
from dangwu.orgs.models import Organization

# The fields a drafter fills in, as document_create / document_update take them.
DOCUMENT_FIELDS = (
    "doc_type",
    "issuer_mark",
    "code",
    "urgency",
    "classification",
    "disclosure",
    "title",
    "body",
    "main_line",
    "copy_line",
    "contact",
    "reply_required",
    "reply_due",
    "late_replies_closed",
)
RECIPIENT_FIELDS = ("main_organizations", "main_groups", "copy_organizations", "copy_groups")


def _problem(field: str, message: str) -> ValidationFailed:
    return ValidationFailed(message, errors=[(field, message)])


def disabled_types() -> frozenset[str]:
    """Return the document types this committee may not issue (setting DOCUMENTS_DISABLED_TYPES)."""
    return frozenset(getattr(settings, "DOCUMENTS_DISABLED_TYPES", DISABLED_TYPES))


def _actor_or_none(actor: Any) -> User | None:
    return actor if getattr(actor, "pk", None) else None


def _actor_name(actor: Any) -> str:
    return str(getattr(actor, "label", "") or actor)


def _step(document: Document, actor: Any, action: str, comment: str = "") -> None:
    DocumentStep.objects.create(
        document=document,
        action=action,
        actor=_actor_or_none(actor),
        actor_name=_actor_name(actor),
        comment=comment,
    )


# ---------------------------------------------------------------------------------- groups


@transaction.atomic
def group_create(
    *,
    actor: Any,
    name: str,
    rule: str,
    organizations: list[Organization] | None = None,
) -> RecipientGroup:
    """Save a group of recipients: a rule evaluated at each distribution, or a fixed list."""
    access.require(actor, perms.DOCUMENT_DISTRIBUTE)
    name = (name or "").strip()
    if not name:
        raise _problem("name", _("Give the group a name."))
    if rule not in GroupRule.values:
        raise _problem("rule", _("Choose how the group finds its organizations."))
    if rule == GroupRule.LIST and not organizations:
        raise _problem("organizations", _("Choose the organizations of the group."))
    if RecipientGroup.objects.filter(name=name).exists():
        raise _problem("name", _("A group with this name exists already."))
    group = RecipientGroup.objects.create(name=name, rule=rule)
    if rule == GroupRule.LIST:
        group.organizations.set(organizations or [])
    audit_record(actor=actor, action="documents.group_created", target=group)
    return group


def group_q(group: RecipientGroup) -> Q:
    """Return the filter of the organizations ``group`` reaches today."""
    if group.rule == GroupRule.PARTY_COMMITTEES:
        return Q(kind=OrgKind.PARTY_COMMITTEE)
    if group.rule == GroupRule.NO_INTERNAL_NETWORK:
        return Q(network_access__in=[NetworkAccess.INTERNET_ONLY, NetworkAccess.NONE])
    if group.rule == GroupRule.ALL:
        return ~Q(kind=OrgKind.GROUP)
    members = RecipientGroup.organizations.through.objects.filter(recipientgroup_id=group.pk)
    return Q(pk__in=members.values("organization_id"))


# ---------------------------------------------------------------------------------- drafting


def _clean(values: dict[str, Any]) -> dict[str, Any]:
    """Check and complete a document's fields; raise ``ValidationFailed`` listing the problems."""
    problems: list[tuple[str, str]] = []
    doc_type = values.get("doc_type") or ""
    if doc_type not in DocType.values:
        problems.append(("doc_type", _("Choose the type of document.")))
    elif doc_type in disabled_types():
        problems.append(
            (
                "doc_type",
                _("A working committee does not issue a %(type)s.")
                % {"type": DocType(doc_type).label},
            )
        )
    title = (values.get("title") or "").strip()
    if not title:
        problems.append(("title", _("The title is required.")))
    elif len(title) > 200:
        problems.append(("title", _("The title may have at most 200 characters.")))
    code = (values.get("code") or "").strip()
    if not code:
        problems.append(("code", _("Enter the issuer code (机关代字), for example 市直工.")))
    elif any(ch.isdigit() or ch in "〔〕[]()（）号" for ch in code) or len(code) > 20:
        problems.append(
            ("code", _("The issuer code is the short name only, without year or number."))
        )
    issuer_mark = (values.get("issuer_mark") or "").strip()
    if not issuer_mark:
        problems.append(("issuer_mark", _("Enter the issuer mark printed in red at the top.")))
    urgency = values.get("urgency") or Urgency.NORMAL
    if urgency not in Urgency.values:
        problems.append(("urgency", _("Choose the urgency.")))
    classification = values.get("classification") or Classification.NONE
    body = sanitize_html(values.get("body") or "")
    body_text = html_to_text(body)
    secret = classification_problem(
        title,
        body_text,
        declared_level=classification if classification in SECRET_LEVELS else "",
    )
    if secret:
        problems.append(("classification", secret))
    elif classification not in Classification.values:
        problems.append(("classification", _("Choose 非密 or 内部.")))
    disclosure = values.get("disclosure") or ""
    if disclosure not in Disclosure.values:
        problems.append(("disclosure", _("Choose whether and how the document is disclosed.")))
    elif disclosure == Disclosure.PUBLIC and classification == Classification.INTERNAL:
        problems.append(("disclosure", _("An internal document cannot be published proactively.")))
    reply_required = bool(values.get("reply_required"))
    reply_due = values.get("reply_due") if reply_required else None
    if reply_required and reply_due is None:
        problems.append(("reply_due", _("Say by when the reply is due.")))
    elif reply_due is not None and reply_due <= timezone.now():
        problems.append(("reply_due", _("The reply date must be in the future.")))
    if problems:
        raise ValidationFailed(problems[0][1], errors=problems)
    return {
        "doc_type": doc_type,
        "issuer_mark": issuer_mark,
        "code": code,
        "urgency": urgency,
        "classification": classification,
        "disclosure": disclosure,
        "title": title,
        "body": body,
        "body_text": body_text,
        "main_line": (values.get("main_line") or "").strip(),
        "copy_line": (values.get("copy_line") or "").strip(),
        "contact": (values.get("contact") or "").strip(),
        "reply_required": reply_required,
        "reply_due": reply_due,
        "late_replies_closed": reply_required and bool(values.get("late_replies_closed")),
    }


def _recipients(values: dict[str, Any]) -> dict[str, list[Any]]:
    """Check the recipient choices: at least one main recipient, only known organizations."""
    chosen = {name: list(values.get(name) or []) for name in RECIPIENT_FIELDS}
    for name in ("main_organizations", "copy_organizations"):
        if any(not isinstance(o, Organization) or o.pk is None for o in chosen[name]):
            raise _problem(name, _("One of the chosen organizations does not exist."))
    for name in ("main_groups", "copy_groups"):
        if any(not isinstance(g, RecipientGroup) or g.pk is None for g in chosen[name]):
            raise _problem(name, _("One of the chosen groups does not exist."))
    if not chosen["main_organizations"] and not chosen["main_groups"]:
        raise _problem(
            "main_organizations",
            _("Choose at least one main recipient (主送): an organization or a group."),
        )
    return chosen


def _set_recipients(document: Document, chosen: dict[str, list[Any]]) -> None:
    for name, items in chosen.items():
        getattr(document, name).set(items)
    if not document.main_line or not document.copy_line:
        main, copy = _printed_lines(chosen)
        fields = []
        if not document.main_line:
            document.main_line = main
            fields.append("main_line")
        if not document.copy_line and copy:
            document.copy_line = copy
            fields.append("copy_line")
        if fields:
            document.save(update_fields=fields)


def _printed_lines(chosen: dict[str, list[Any]]) -> tuple[str, str]:
    """Return the 主送 and 抄送 lines as printed: group names, then organization names."""

    def line(groups: list[RecipientGroup], organizations: list[Organization]) -> str:
        names = [g.name for g in groups] + [o.label for o in organizations]
        return "、".join(names)[:500]

    return (
        line(chosen["main_groups"], chosen["main_organizations"]),
        line(chosen["copy_groups"], chosen["copy_organizations"]),
    )


@transaction.atomic
def document_create(*, actor: Any, organization: Organization, **values: Any) -> Document:
    """Draft a document for ``organization`` (a document clerk of it, or above)."""
    access.require(actor, perms.DOCUMENT_DRAFT, organization)
    cleaned = _clean(values)
    chosen = _recipients(values)
    document = Document.objects.create(
        organization=organization,
        created_by=_actor_or_none(actor),
        status=DocumentStatus.DRAFT,
        **cleaned,
    )
    _set_recipients(document, chosen)
    _step(document, actor, StepAction.CREATED)
    audit_record(actor=actor, action="documents.document_created", target=document)
    return document


@transaction.atomic
def document_update(*, actor: Any, document: Document, **values: Any) -> Document:
    """Change a draft or a returned document; fields not given keep their value."""
    access.require(actor, perms.DOCUMENT_DRAFT, document)
    _require_editable(document)
    merged = {f: getattr(document, f) for f in DOCUMENT_FIELDS} | {
        k: v for k, v in values.items() if k in DOCUMENT_FIELDS
    }
    cleaned = _clean(merged)
    current = {name: list(getattr(document, name).all()) for name in RECIPIENT_FIELDS}
    chosen = _recipients(current | {k: v for k, v in values.items() if k in RECIPIENT_FIELDS})
    changed = [f for f, v in cleaned.items() if getattr(document, f) != v]
    for field, value in cleaned.items():
        setattr(document, field, value)
    document.save()
    _set_recipients(document, chosen)
    _step(document, actor, StepAction.EDITED)
    audit_record(
        actor=actor,
        action="documents.document_updated",
        target=document,
        details={"fields": changed},
    )
    return document


def _require_editable(document: Document) -> None:
    if document.status not in EDITABLE:
        raise DomainError(
            _("This document is %(status)s and can no longer be changed.")
            % {"status": document.get_status_display()}
        )


def _locked(document: Document) -> Document:
    """Return the document's row locked until the transaction ends (PostgreSQL: FOR UPDATE)."""
    return Document.objects.select_for_update().select_related("organization").get(pk=document.pk)


def _transition(
    document: Document,
    actor: Any,
    *,
    allowed_from: set[str],
    to: str,
    action: str,
    comment: str = "",
    fields: dict[str, Any] | None = None,
) -> Document:
    locked = _locked(document)
    if locked.status not in allowed_from:
        raise DomainError(
            _("This cannot be done while the document is %(status)s.")
            % {"status": locked.get_status_display()}
        )
    locked.status = to
    update = {"status": to, "updated_at": timezone.now(), **(fields or {})}
    if comment:
        update["review_comment"] = comment
    for field, value in update.items():
        setattr(locked, field, value)
    locked.save(update_fields=list(update))
    _step(locked, actor, action, comment)
    audit_record(actor=actor, action=f"documents.document_{action}", target=locked)
    # The caller's object follows, so pages and the API show the new state.
    for field, value in update.items():
        setattr(document, field, value)
    return locked


@transaction.atomic
def document_submit(*, actor: Any, document: Document) -> Document:
    """Send a draft (or a returned document) for review (核稿)."""
    access.require(actor, perms.DOCUMENT_DRAFT, document)
    return _transition(
        document,
        actor,
        allowed_from=set(EDITABLE),
        to=DocumentStatus.IN_REVIEW,
        action=StepAction.SUBMITTED,
    )


@transaction.atomic
def document_review(*, actor: Any, document: Document, comment: str = "") -> Document:
    """核稿 passed: send the document to the leader for sign-off."""
    access.require(actor, perms.DOCUMENT_REVIEW, document)
    return _transition(
        document,
        actor,
        allowed_from={DocumentStatus.IN_REVIEW},
        to=DocumentStatus.AWAITING_SIGNOFF,
        action=StepAction.REVIEWED,
        comment=comment.strip(),
    )


@transaction.atomic
def document_return(*, actor: Any, document: Document, comment: str) -> Document:
    """Return a document under review or waiting for sign-off to its drafter, with a comment."""
    if document.status == DocumentStatus.AWAITING_SIGNOFF:
        access.require(actor, perms.DOCUMENT_SIGN, document)
    else:
        access.require(actor, perms.DOCUMENT_REVIEW, document)
    if not (comment or "").strip():
        raise _problem("comment", _("Say what should be changed, so the drafter knows."))
    return _transition(
        document,
        actor,
        allowed_from={DocumentStatus.IN_REVIEW, DocumentStatus.AWAITING_SIGNOFF},
        to=DocumentStatus.RETURNED,
        action=StepAction.RETURNED,
        comment=comment.strip(),
    )


def _next_serial(organization: Organization, code: str, year: int) -> int:
    """Take the next serial of (organization, code, year): no gap, no duplicate.

    The sequence row is locked (SELECT ... FOR UPDATE on PostgreSQL; SQLite's IMMEDIATE
    transactions serialize writers) until the sign-off commits, so a concurrent sign-off waits
    and then reads the number this one took. A rollback gives the number back.
    """
    sequence, _created = NumberSequence.objects.select_for_update().get_or_create(
        organization=organization, code=code, year=year
    )
    sequence.last += 1
    sequence.save(update_fields=["last"])
    return sequence.last


@transaction.atomic
def document_sign(*, actor: Any, document: Document, comment: str = "") -> Document:
    """签发: the leader signs off; the document gets its number (发文字号) now."""
    access.require(actor, perms.DOCUMENT_SIGN, document)
    now = timezone.now()
    locked = _locked(document)
    if locked.status != DocumentStatus.AWAITING_SIGNOFF:
        raise DomainError(
            _("This cannot be done while the document is %(status)s.")
            % {"status": locked.get_status_display()}
        )
    year = timezone.localdate(now).year
    serial = _next_serial(locked.organization, locked.code, year)
    return _transition(
        document,
        actor,
        allowed_from={DocumentStatus.AWAITING_SIGNOFF},
        to=DocumentStatus.SIGNED,
        action=StepAction.SIGNED,
        comment=comment.strip(),
        fields={
            "year": year,
            "serial": serial,
            "signer": _actor_or_none(actor),
            "signer_name": _actor_name(actor),
            "signed_at": now,
        },
    )


def recipients_q(document: Document, kind: str) -> Q:
    """Return the filter of the organizations ``document`` goes to as ``kind`` (主送 / 抄送)."""
    organizations_field, groups_field = (
        ("main_organizations", "main_groups")
        if kind == RecipientKind.MAIN
        else ("copy_organizations", "copy_groups")
    )
    through = getattr(Document, organizations_field).through.objects.filter(document_id=document.pk)
    q = Q(pk__in=through.values("organization_id"))
    for group in getattr(document, groups_field).all():
        q |= group_q(group)
    # The issuer does not receive its own document.
    return q & ~Q(pk=document.organization_id)


def _insert_receipts(document: Document, kind: str, now: datetime) -> int:
    """Insert one receipt per organization reached, in one INSERT ... SELECT; return the count.

    The set of organizations stays in the database: the number of queries does not grow with
    the number of recipients. Copy recipients who are also main recipients are skipped.
    """
    organizations = Organization.objects.filter(recipients_q(document, kind)).order_by()
    chosen = organizations.annotate(chosen_id=F("pk")).values("chosen_id")
    select_sql, select_params = chosen.query.sql_with_params()
    table = connection.ops.quote_name(Receipt._meta.db_table)
    sql = (
        f"INSERT INTO {table} (document_id, organization_id, kind, status, created_at, "  # noqa: S608
        "reply_text, reminder_count) "
        f"SELECT %s, chosen.chosen_id, %s, %s, %s, '', 0 FROM ({select_sql}) chosen "
        "WHERE chosen.chosen_id NOT IN "
        f"(SELECT organization_id FROM {table} WHERE document_id = %s)"
    )
    when = connection.ops.adapt_datetimefield_value(now)
    params = [document.pk, kind, ReceiptStatus.UNSIGNED, when, *select_params, document.pk]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return int(cursor.rowcount)


@transaction.atomic
def document_distribute(*, actor: Any, document: Document) -> int:
    """核发: make one receipt per recipient organization and tell them; return how many.

    Saved groups are evaluated now, against the organization tree of today.
    """
    access.require(actor, perms.DOCUMENT_DISTRIBUTE, document)
    now = timezone.now()
    locked = _locked(document)
    if locked.status != DocumentStatus.SIGNED:
        raise DomainError(
            _("This cannot be done while the document is %(status)s.")
            % {"status": locked.get_status_display()}
        )
    if locked.reply_required and locked.reply_due is not None and locked.reply_due <= now:
        raise _problem(
            "reply_due", _("The reply date has passed; return the document to change it first.")
        )
    main = _insert_receipts(locked, RecipientKind.MAIN, now)
    if main == 0:
        raise _problem("main_organizations", _("None of the chosen recipients exists any more."))
    copies = _insert_receipts(locked, RecipientKind.COPY, now)
    _transition(
        document,
        actor,
        allowed_from={DocumentStatus.SIGNED},
        to=DocumentStatus.DISTRIBUTED,
        action=StepAction.DISTRIBUTED,
        fields={"distributed_at": now},
    )
    audit_record(
        actor=actor,
        action="documents.receipts_created",
        target=locked,
        details={"main": main, "copy": copies},
    )
    from dangwu.documents.tasks import announce_distribution

    document_id = locked.pk
    transaction.on_commit(lambda: announce_distribution.enqueue(document_id))
    return main + copies


# ---------------------------------------------------------------------------------- files


def _store_file(
    *, actor: Any, upload: Any, document: Document | None = None, receipt: Receipt | None = None
) -> DocumentFile:
    checked = check_upload(upload)
    with files_removed_on_error(DocumentFile.file.field.storage) as written:
        stored = DocumentFile(
            document=document,
            receipt=receipt,
            original_name=checked.name,
            content_type=checked.kind.content_type,
            size=checked.size,
            sha256=checked.sha256,
            uploaded_by=_actor_or_none(actor),
        )
        stored.file.save("upload", upload, save=False)
        written.append(stored.file.name)
        stored.save()
        audit_record(
            actor=actor,
            action="documents.file_added",
            target=stored,
            details={"size": checked.size, "sha256": checked.sha256},
        )
    return stored


@transaction.atomic
def document_file_add(*, actor: Any, document: Document, upload: Any) -> DocumentFile:
    """Attach a file (附件) to a document that can still be changed; checked by content."""
    access.require(actor, perms.DOCUMENT_DRAFT, document)
    _require_editable(document)
    return _store_file(actor=actor, upload=upload, document=document)


@transaction.atomic
def document_file_remove(*, actor: Any, stored: DocumentFile) -> None:
    """Remove an attachment of a document that can still be changed."""
    document = stored.document
    if document is None:
        raise DomainError(_("This file does not belong to a document."))
    access.require(actor, perms.DOCUMENT_DRAFT, document)
    _require_editable(document)
    audit_record(actor=actor, action="documents.file_removed", target=stored)
    name, storage = stored.file.name, stored.file.storage
    stored.delete()
    transaction.on_commit(lambda: storage.delete(name))


# ---------------------------------------------------------------------------------- receipts


def _locked_receipt(receipt: Receipt) -> Receipt:
    return (
        Receipt.objects.select_for_update()
        .select_related("document", "organization")
        .get(pk=receipt.pk)
    )


def _refresh(receipt: Receipt, locked: Receipt, fields: list[str]) -> Receipt:
    for field in fields:
        setattr(receipt, field, getattr(locked, field))
    return locked


@transaction.atomic
def receipt_sign(*, actor: Any, receipt: Receipt) -> Receipt:
    """签收: the recipient organization confirms it has the document (one click)."""
    access.require(actor, perms.RECEIPT_SIGN, receipt)
    locked = _locked_receipt(receipt)
    if locked.status != ReceiptStatus.UNSIGNED:
        raise DomainError(
            _("This document was already signed for on %(time)s.")
            % {"time": timezone.localtime(locked.signed_at).strftime("%Y-%m-%d %H:%M")}
            if locked.signed_at
            else _("This document was already signed for.")
        )
    locked.status = ReceiptStatus.SIGNED
    locked.signed_at = timezone.now()
    locked.signed_by = _actor_or_none(actor)
    fields = ["status", "signed_at", "signed_by"]
    locked.save(update_fields=fields)
    audit_record(actor=actor, action="documents.receipt_signed", target=locked)
    return _refresh(receipt, locked, fields)


def assignable_users(receipt: Receipt) -> Any:
    """Return the people a receipt may be assigned to: accounts of its organization's members
    and the holders of a role on it (within its subtree)."""
    path = receipt.organization.path
    return (
        User.objects.filter(is_active=True)
        .filter(
            Q(member__organization__path__startswith=path)
            | Q(role_assignments__organization__path__startswith=path)
        )
        .distinct()
        .order_by("display_name", "username")
    )


def _require_signed(receipt: Receipt) -> None:
    if receipt.status == ReceiptStatus.UNSIGNED:
        raise DomainError(_("Sign for the document first."))


@transaction.atomic
def receipt_assign(*, actor: Any, receipt: Receipt, assignee: User, note: str = "") -> Receipt:
    """办理: give the document to a person of the organization to handle."""
    access.require(actor, perms.RECEIPT_SIGN, receipt)
    locked = _locked_receipt(receipt)
    _require_signed(locked)
    if not assignable_users(locked).filter(pk=getattr(assignee, "pk", None)).exists():
        raise _problem("assignee", _("Choose a person of this organization."))
    locked.assignee = assignee
    locked.assigned_at = timezone.now()
    fields = ["assignee", "assigned_at"]
    if locked.status == ReceiptStatus.SIGNED:
        locked.status = ReceiptStatus.HANDLING
        fields.append("status")
    locked.save(update_fields=fields)
    if note.strip():
        _note(locked, actor, note)
    audit_record(
        actor=actor,
        action="documents.receipt_assigned",
        target=locked,
        details={"assignee": assignee.pk},
    )
    return _refresh(receipt, locked, fields)


def _note(receipt: Receipt, actor: Any, text: str) -> ReceiptNote:
    return ReceiptNote.objects.create(
        receipt=receipt, author=_actor_or_none(actor), author_name=_actor_name(actor), text=text
    )


@transaction.atomic
def receipt_note_add(*, actor: Any, receipt: Receipt, text: str) -> ReceiptNote:
    """Record how the handling is going (办理情况)."""
    access.require(actor, perms.RECEIPT_WORK, receipt)
    locked = _locked_receipt(receipt)
    _require_signed(locked)
    text = (text or "").strip()
    if not text:
        raise _problem("text", _("Write what has been done."))
    if len(text) > 2000:
        raise _problem("text", _("A note may have at most 2000 characters."))
    if locked.status == ReceiptStatus.SIGNED:
        locked.status = ReceiptStatus.HANDLING
        locked.save(update_fields=["status"])
        receipt.status = locked.status
    note = _note(locked, actor, text)
    audit_record(actor=actor, action="documents.receipt_noted", target=locked)
    return note


@transaction.atomic
def receipt_reply(
    *, actor: Any, receipt: Receipt, text: str, uploads: list[Any] | None = None
) -> Receipt:
    """答复: answer the issuer with text and attachments, when the document asks for it."""
    access.require(actor, perms.RECEIPT_WORK, receipt)
    locked = _locked_receipt(receipt)
    document = locked.document
    _require_signed(locked)
    if not document.reply_required:
        raise DomainError(_("This document does not ask for a reply."))
    if locked.status == ReceiptStatus.REPLIED:
        raise DomainError(_("The reply has already been sent."))
    now = timezone.now()
    if document.late_replies_closed and document.reply_due and document.reply_due < now:
        raise DomainError(
            _("The reply was due on %(time)s; the issuer accepts no late replies.")
            % {"time": timezone.localtime(document.reply_due).strftime("%Y-%m-%d %H:%M")}
        )
    text = (text or "").strip()
    if not text:
        raise _problem("text", _("Write the reply."))
    if classification_problem(text):
        raise _problem("text", classification_problem(text) or "")
    for upload in uploads or []:
        _store_file(actor=actor, upload=upload, receipt=locked)
    locked.status = ReceiptStatus.REPLIED
    locked.reply_text = text
    locked.replied_at = now
    locked.replied_by = _actor_or_none(actor)
    fields = ["status", "reply_text", "replied_at", "replied_by"]
    locked.save(update_fields=fields)
    audit_record(
        actor=actor,
        action="documents.receipt_replied",
        target=locked,
        details={"files": len(uploads or [])},
    )
    return _refresh(receipt, locked, fields)
